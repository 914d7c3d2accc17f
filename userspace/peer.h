/* SPDX-License-Identifier: GPL-2.0 */
/* Peers as LINKCRYPT_CMD_PEER_GET reports them, with their keys. */
#ifndef LCCTL_PEER_H
#define LCCTL_PEER_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#include "addr.h"
#include "key.h"
#include "stats.h"

struct lc_conn;

struct lc_peer {
	uint32_t present;	/* bit (1 << LINKCRYPT_A_PEER_*) per attribute */
	uint32_t id;
	uint32_t remote_id;
	struct lc_endpoint ep;	/* AF_UNSPEC if no address was reported */
	struct lc_mac *macs;
	size_t n_macs;
	struct lc_stats stats;
	uint64_t last_rx_msecs;
	struct lc_key *keys;
	size_t n_keys;
};

static inline bool lc_peer_has(const struct lc_peer *p, unsigned int attr)
{
	return p->present & (1u << attr);
}

/*
 * Decode a LINKCRYPT_A_DEV_PEER nest into @peer (lc_peer_free() it, also
 * on failure).  PEER_ID must be there; -EBADMSG if malformed.
 */
int lc_peer_parse(const struct nlattr *nest, struct lc_peer *peer);
void lc_peer_free(struct lc_peer *peer);

/*
 * Decode a LINKCRYPT_CMD_PEER_GET message: its LINKCRYPT_A_DEV_PEER nest
 * into @peer, and, if @ifindex is not NULL, the device's ifindex (0 if the
 * message does not carry it).  -EBADMSG if malformed or without a peer.
 */
int lc_peer_parse_msg(const struct nlmsghdr *nlh, struct lc_peer *peer,
		      uint32_t *ifindex);

struct lc_peer_list {
	struct lc_peer *peers;
	size_t n;
	size_t cap;
};

/* Append @peer, taking over what it holds; on failure, @peer is freed. */
int lc_peer_list_add(struct lc_peer_list *list, struct lc_peer *peer);
void lc_peer_list_free(struct lc_peer_list *list);

/* Which peers to get: of the device @ifname (or @ifindex); @id, or all. */
struct lc_peer_sel {
	const char *ifname;	/* NULL: by ifindex */
	uint32_t ifindex;
	uint32_t id;		/* 0: every peer of the device (a dump) */
};

/* Start a PEER_GET request for @sel in @c's send buffer. */
struct nlmsghdr *lc_peer_get_req(struct lc_conn *c,
				 const struct lc_peer_sel *sel);

/*
 * Read the selected peer(s) into @list (appended to).  Returns 0 or a
 * negative errno (see lc_nl_talk()); a dump that raced with a change is
 * repeated.
 */
int lc_peer_get(struct lc_conn *c, const struct lc_peer_sel *sel,
		struct lc_peer_list *list);

#endif /* LCCTL_PEER_H */
