/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "lcctl up DEV -c FILE": the key negotiation daemon.  It runs in the
 * foreground, logs to stderr, and keeps the keys of every peer of the
 * configuration fresh over TLS 1.3 (negot.h); see userspace/README.md
 * and docs/protocol.md, "Negotiation".
 */
#ifndef LCCTL_UP_H
#define LCCTL_UP_H

#include <stdbool.h>
#include <stdio.h>

#include "lcctl.h"

int cmd_up(const struct lcctl_opts *opts, int argc, char **argv);
void up_usage(FILE *f, bool full);

struct up_args {
	const char *dev;	/* NULL: Device of the file */
	const char *file;
	bool verbose;		/* debug messages too */
};

/* Parse the arguments after "up"; enum cli_result. */
int up_parse_args(int argc, char **argv, struct up_args *args);

#endif /* LCCTL_UP_H */
