/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error messages as values: functions that a daemon will also call (the
 * identity and configuration code) describe a failure in a struct lc_err
 * instead of printing it, so that the caller decides where it goes
 * (stderr, a log) and the tests compare it exactly.
 */
#ifndef LCCTL_ERRBUF_H
#define LCCTL_ERRBUF_H

#define LC_ERR_LEN	1024

struct lc_err {
	char msg[LC_ERR_LEN];	/* one line, no newline, no program prefix */
};

/* Set @e's message (truncated to fit). */
void lc_err_set(struct lc_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * As lc_err_set(), followed by ": " and the reason of the most recent
 * error in OpenSSL's error queue, if there is one.  The queue is emptied
 * in any case, so that the next failure does not report a stale reason.
 */
void lc_err_ssl(struct lc_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* LCCTL_ERRBUF_H */
