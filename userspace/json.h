/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer.
 *
 *	struct json j;
 *
 *	json_init(&j, stdout, pretty);
 *	json_open_array(&j);
 *	json_open_object(&j);
 *	json_kv_string(&j, "ifname", "lc0");
 *	json_kv_uint(&j, "mtu", 1406);
 *	json_close_object(&j);
 *	json_close_array(&j);
 *	if (json_finish(&j)) ...
 *
 * Commas, nesting and (with @pretty) indentation are handled here; strings
 * are escaped, and bytes that are not valid UTF-8 become U+FFFD, so the
 * output is always valid JSON.  Misuse (a value without a key in an object,
 * a close that does not match, too deep nesting, two top-level values) is
 * not written and makes json_finish() fail.
 */
#ifndef LCCTL_JSON_H
#define LCCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
	FILE *f;
	bool pretty;
	bool failed;		/* misuse seen */
	bool key_pending;	/* a key was written, its value comes next */
	bool done;		/* the top-level value is complete */
	unsigned int depth;
	char kind[JSON_MAX_DEPTH];	/* '{' or '[' per open container */
	bool nonempty[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f, bool pretty);

void json_open_object(struct json *j);
void json_close_object(struct json *j);
void json_open_array(struct json *j);
void json_close_array(struct json *j);

/* The key of the next member of the current object. */
void json_key(struct json *j, const char *key);

void json_string(struct json *j, const char *s);
void json_uint(struct json *j, uint64_t v);
void json_int(struct json *j, int64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_uint(struct json *j, const char *key, uint64_t v);
void json_kv_int(struct json *j, const char *key, int64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

/*
 * End the document with a newline.  0 if it is complete and well formed;
 * -1 after misuse, an unclosed container, or nothing written.  Write errors
 * are left to the caller (ferror() on the stream).
 */
int json_finish(struct json *j);

/* Write @s as a quoted, escaped JSON string. */
void json_write_string(FILE *f, const char *s);

#endif /* LCCTL_JSON_H */
