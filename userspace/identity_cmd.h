/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "genkey" and "fingerprint" commands: a server's RSA key and
 * self-signed certificate, and the fingerprint its peers pin.  Argument
 * parsing is apart from the work so that the unit tests reach it.
 */
#ifndef LCCTL_IDENTITY_CMD_H
#define LCCTL_IDENTITY_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "genkey.h"
#include "identity.h"
#include "lcctl.h"

int cmd_genkey(const struct lcctl_opts *opts, int argc, char **argv);
void genkey_usage(FILE *f, bool full);
int cmd_fingerprint(const struct lcctl_opts *opts, int argc, char **argv);
void fingerprint_usage(FILE *f, bool full);

struct genkey_args {
	int bits;		/* default LC_GENKEY_DEFAULT_BITS */
	int days;		/* default LC_GENKEY_DEFAULT_DAYS */
	const char *name;	/* NULL: the host name */
	const char *key;
	const char *cert;
};

/* Parse the arguments after "genkey"; enum cli_result. */
int genkey_parse_args(int argc, char **argv, struct genkey_args *args);

/* Parse the arguments after "fingerprint"; enum cli_result. */
int fingerprint_parse_args(int argc, char **argv, const char **cert);

#endif /* LCCTL_IDENTITY_CMD_H */
