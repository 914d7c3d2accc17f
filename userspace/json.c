// SPDX-License-Identifier: GPL-2.0
/* A small streaming JSON writer; see json.h. */
#include <inttypes.h>
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *f, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->pretty = pretty;
}

static void indent(struct json *j)
{
	unsigned int i;

	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Separator and indentation before a member or element. */
static void begin_item(struct json *j)
{
	unsigned int top = j->depth - 1;

	if (j->nonempty[top])
		fputc(',', j->f);
	j->nonempty[top] = true;
	if (j->pretty)
		indent(j);
}

/* Prepare to write a value; false (and failed) if none may come here. */
static bool begin_value(struct json *j)
{
	if (j->failed)
		return false;
	if (j->depth == 0) {
		if (j->done)
			goto misuse;
		return true;
	}
	if (j->kind[j->depth - 1] == '{') {
		if (!j->key_pending)
			goto misuse;
		j->key_pending = false;
		return true;
	}
	begin_item(j);
	return true;
misuse:
	j->failed = true;
	return false;
}

/* After a complete value: at top level, the document is done. */
static void end_value(struct json *j)
{
	if (j->depth == 0)
		j->done = true;
}

static void open_container(struct json *j, char kind)
{
	if (!begin_value(j))
		return;
	if (j->depth == JSON_MAX_DEPTH) {
		j->failed = true;
		return;
	}
	fputc(kind, j->f);
	j->kind[j->depth] = kind;
	j->nonempty[j->depth] = false;
	j->depth++;
}

static void close_container(struct json *j, char kind)
{
	bool nonempty;

	if (j->failed)
		return;
	if (j->depth == 0 || j->kind[j->depth - 1] != kind || j->key_pending) {
		j->failed = true;
		return;
	}
	nonempty = j->nonempty[j->depth - 1];
	j->depth--;
	if (j->pretty && nonempty)
		indent(j);
	fputc(kind == '{' ? '}' : ']', j->f);
	end_value(j);
}

void json_open_object(struct json *j)
{
	open_container(j, '{');
}

void json_close_object(struct json *j)
{
	close_container(j, '{');
}

void json_open_array(struct json *j)
{
	open_container(j, '[');
}

void json_close_array(struct json *j)
{
	close_container(j, '[');
}

void json_key(struct json *j, const char *key)
{
	if (j->failed)
		return;
	if (j->depth == 0 || j->kind[j->depth - 1] != '{' || j->key_pending) {
		j->failed = true;
		return;
	}
	begin_item(j);
	json_write_string(j->f, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->key_pending = true;
}

/*
 * Length of the well-formed UTF-8 sequence at @s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 if there is none.
 */
static size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (c == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;	/* overlong */
		else if (c == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		return 0;
	}
	/* The first continuation byte has the narrowed range. */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++) {
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	}
	return len;
}

void json_write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputc('"', f);
	while (*s) {
		unsigned char c = *s;

		switch (c) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fprintf(f, "\\u%04x", c);
			} else if (c < 0x80) {
				fputc(c, f);
			} else if ((n = utf8_seq_len(s)) != 0) {
				fwrite(s, 1, n, f);
				s += n;
				continue;
			} else {
				fputs("\\ufffd", f);
			}
		}
		s++;
	}
	fputc('"', f);
}

void json_string(struct json *j, const char *s)
{
	if (!begin_value(j))
		return;
	json_write_string(j->f, s);
	end_value(j);
}

void json_uint(struct json *j, uint64_t v)
{
	if (!begin_value(j))
		return;
	fprintf(j->f, "%" PRIu64, v);
	end_value(j);
}

void json_int(struct json *j, int64_t v)
{
	if (!begin_value(j))
		return;
	fprintf(j->f, "%" PRId64, v);
	end_value(j);
}

void json_bool(struct json *j, bool v)
{
	if (!begin_value(j))
		return;
	fputs(v ? "true" : "false", j->f);
	end_value(j);
}

void json_null(struct json *j)
{
	if (!begin_value(j))
		return;
	fputs("null", j->f);
	end_value(j);
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_uint(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_kv_int(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

int json_finish(struct json *j)
{
	if (j->failed || !j->done)
		return -1;
	fputc('\n', j->f);
	return 0;
}
