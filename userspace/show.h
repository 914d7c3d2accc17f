/* SPDX-License-Identifier: GPL-2.0 */
/* The "show" command: parsing and output, apart for the unit tests. */
#ifndef LCCTL_SHOW_H
#define LCCTL_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dev.h"

struct show_args {
	const char *ifname;	/* NULL: not by name */
	uint32_t ifindex;	/* 0: not by index */
};

/* Parse the arguments after "show"; enum cli_result. */
int show_parse_args(int argc, char **argv, struct show_args *args);

/*
 * Per device a line "lc0: port 7788 cipher aes-256-gcm mtu 1406 peers 2",
 * then, indented, its drops and its peers (show_print_peers_text()), as
 * far as the kernel reported them.
 */
void show_print_text(FILE *f, const struct lc_dev *devs, size_t n);

/* A JSON array of one object per device; 0, or -1 if the writer failed. */
int show_print_json(FILE *f, bool pretty, const struct lc_dev *devs, size_t n);

/*
 * Per peer a line "peer 1: remote-id 7 endpoint 192.0.2.2:7788 macs ...",
 * then, indented by two more spaces, its traffic, drops and keys; each
 * line starts with @indent.
 */
void show_print_peers_text(FILE *f, const char *indent,
			   const struct lc_peer *peers, size_t n);

/* A JSON array of one object per peer; 0, or -1 if the writer failed. */
int show_print_peers_json(FILE *f, bool pretty, const struct lc_peer *peers,
			  size_t n);

#endif /* LCCTL_SHOW_H */
