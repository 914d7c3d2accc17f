/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the lcctl unit tests: capturing stdout/stderr of code under
 * test, and writing to a memory stream.  The harness runs every test in a
 * child process, so redirecting the standard streams is harmless.
 */
#ifndef LCCTL_TEST_HELPERS_H
#define LCCTL_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct capture {
	FILE *out_file, *err_file;
	int saved_out, saved_err;
	char *out, *err;	/* what was written, after capture_end() */
};

static inline char *capture_slurp(FILE *f)
{
	long len;
	char *buf;

	fflush(f);
	len = ftell(f);
	buf = calloc(1, (size_t)(len < 0 ? 0 : len) + 1);
	if (!buf)
		abort();
	rewind(f);
	if (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	return buf;
}

static inline void capture_begin(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	fflush(stdout);
	fflush(stderr);
	c->out_file = tmpfile();
	c->err_file = tmpfile();
	c->saved_out = dup(STDOUT_FILENO);
	c->saved_err = dup(STDERR_FILENO);
	if (!c->out_file || !c->err_file || c->saved_out < 0 || c->saved_err < 0 ||
	    dup2(fileno(c->out_file), STDOUT_FILENO) < 0 ||
	    dup2(fileno(c->err_file), STDERR_FILENO) < 0)
		abort();
}

static inline void capture_end(struct capture *c)
{
	fflush(stdout);
	fflush(stderr);
	if (dup2(c->saved_out, STDOUT_FILENO) < 0 ||
	    dup2(c->saved_err, STDERR_FILENO) < 0)
		abort();
	close(c->saved_out);
	close(c->saved_err);
	c->out = capture_slurp(c->out_file);
	c->err = capture_slurp(c->err_file);
}

static inline void capture_free(struct capture *c)
{
	free(c->out);
	free(c->err);
}

/* A FILE writing to memory; mem_close() returns the text (free() it). */
struct mem {
	FILE *f;
	char *buf;
	size_t len;
};

static inline FILE *mem_open(struct mem *m)
{
	memset(m, 0, sizeof(*m));
	m->f = open_memstream(&m->buf, &m->len);
	if (!m->f)
		abort();
	return m->f;
}

static inline char *mem_close(struct mem *m)
{
	fclose(m->f);
	return m->buf;
}

#endif /* LCCTL_TEST_HELPERS_H */
