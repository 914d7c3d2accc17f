/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "lcctl down DEV [ timeout SECS ]": stop the "lcctl up" serving DEV in
 * this network namespace (found by the lock on its pid file, pidfile.h)
 * with SIGTERM, and wait until it has deleted its keys and exited.
 */
#ifndef LCCTL_DOWN_H
#define LCCTL_DOWN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lcctl.h"

#define LC_DOWN_TIMEOUT_DEFAULT	15	/* seconds */

int cmd_down(const struct lcctl_opts *opts, int argc, char **argv);
void down_usage(FILE *f, bool full);

struct down_args {
	const char *dev;
	uint32_t timeout;	/* seconds */
};

/* Parse the arguments after "down"; enum cli_result. */
int down_parse_args(int argc, char **argv, struct down_args *args);

/*
 * Stop the daemon holding the lock on @path: SIGTERM, then wait up to
 * @timeout seconds for the lock to go.  An exit code; a message on stderr
 * if it is not LC_EXIT_OK.
 */
int down_stop(const char *path, const char *dev, uint32_t timeout);

#endif /* LCCTL_DOWN_H */
