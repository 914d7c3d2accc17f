// SPDX-License-Identifier: GPL-2.0
/* Error messages as values; see errbuf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "errbuf.h"

void lc_err_set(struct lc_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

void lc_err_ssl(struct lc_err *e, const char *fmt, ...)
{
	unsigned long code = ERR_peek_last_error();
	const char *reason = code ? ERR_reason_error_string(code) : NULL;
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	if (reason && len < sizeof(e->msg))
		snprintf(e->msg + len, sizeof(e->msg) - len, ": %s", reason);
	ERR_clear_error();
}
