/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "peer" command: argument parsing and request building, apart from
 * the netlink exchange so that the unit tests reach them without a kernel.
 */
#ifndef LCCTL_PEER_CMD_H
#define LCCTL_PEER_CMD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"

struct lc_conn;
struct nlmsghdr;

/* Static MACs one command line may give (the kernel may allow fewer). */
#define LC_PEER_MAX_MACS 256

enum peer_op {
	PEER_OP_NONE,		/* not known yet: no or a bad sub-command */
	PEER_OP_ADD,
	PEER_OP_SET,
	PEER_OP_DEL,
	PEER_OP_SHOW,
};

struct peer_args {
	enum peer_op op;
	const char *ifname;
	uint32_t id;		/* 0: not given */
	uint32_t remote_id;	/* 0: not given */
	struct lc_endpoint ep;	/* AF_UNSPEC: not given */
	bool macs_none;		/* "mac none": clear the list */
	size_t n_macs;
	struct lc_mac macs[LC_PEER_MAX_MACS];
};

/* Parse the arguments after "peer"; enum cli_result. */
int peer_parse_args(int argc, char **argv, struct peer_args *args);

/*
 * The request for PEER_OP_ADD, _SET or _DEL in @c's send buffer:
 * LINKCRYPT_A_DEV_IFNAME, then one LINKCRYPT_A_DEV_PEER nest with the
 * peer's attributes.
 */
struct nlmsghdr *peer_build_req(struct lc_conn *c, const struct peer_args *args);

/*
 * The grammar of @op (PEER_OP_NONE: of every sub-command), the first line
 * after @lead ("Usage: ", or 7 spaces), the others indented to match.
 */
void peer_usage_op(FILE *f, enum peer_op op, const char *lead);

#endif /* LCCTL_PEER_CMD_H */
