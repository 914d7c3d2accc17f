/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "config" command: "lcctl config check FILE" parses a configuration
 * file, loads the identity and the CA it names, and prints a summary.
 * The check and the output are apart from the command for the tests.
 */
#ifndef LCCTL_CONFIG_CMD_H
#define LCCTL_CONFIG_CMD_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "config.h"
#include "errbuf.h"
#include "identity.h"
#include "lcctl.h"

int cmd_config(const struct lcctl_opts *opts, int argc, char **argv);
void config_usage(FILE *f, bool full);

struct config_args {
	const char *file;
	const char *dev;	/* "dev DEV", or NULL */
};

/* What a successful check found. */
struct config_check {
	struct lc_conf conf;
	struct lc_identity id;
	int ca_certs;		/* in conf.ca; 0 without CA */
	const char *device;	/* from "dev DEV" or Device; NULL if neither */
};

/* Parse the arguments after "config"; enum cli_result. */
int config_parse_args(int argc, char **argv, struct config_args *args);

/*
 * Check @args->file at time @now: the file itself, the device name, our
 * identity (key, certificate, their match), and the CA file.  Returns an
 * exit code: LC_EXIT_OK with @out filled (config_check_free() it),
 * LC_EXIT_USAGE if the file's contents are wrong, LC_EXIT_FAIL if a file
 * cannot be read or an identity or CA check fails; @err says why as
 * "FILE:LINE: message", the line being that of the key at fault.
 */
int config_check(const struct config_args *args, time_t now,
		 struct config_check *out, struct lc_err *err);
void config_check_free(struct config_check *c);

/* The summary "lcctl config check" prints. */
void config_print_text(FILE *f, const struct config_check *c);
/* The same as JSON; 0, or -1 if the writer failed. */
int config_print_json(FILE *f, bool pretty, const struct config_check *c);

#endif /* LCCTL_CONFIG_CMD_H */
