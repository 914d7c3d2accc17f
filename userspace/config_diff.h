/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What changed between two configurations of "lcctl up": on SIGHUP the
 * daemon applies the difference and leaves everything else alone.  Peers
 * are the same peer when they have the same Id.
 */
#ifndef LCCTL_CONFIG_DIFF_H
#define LCCTL_CONFIG_DIFF_H

#include <stdint.h>

#include "config.h"

/* Differences of one peer (the same Id in both). */
enum {
	LC_DIFF_ENDPOINT	= 1 << 0,	/* Endpoint */
	LC_DIFF_MACS		= 1 << 1,	/* the set of MACs */
	LC_DIFF_TRUST		= 1 << 2,	/* Fingerprint or Name */
};

/* Differences of [Interface]. */
enum {
	LC_DIFF_DEVICE		= 1 << 0,
	LC_DIFF_LISTEN_PORT	= 1 << 1,
	LC_DIFF_CIPHER		= 1 << 2,
	LC_DIFF_PRIVATE_KEY	= 1 << 3,	/* the path */
	LC_DIFF_CERTIFICATE	= 1 << 4,	/* the path */
	LC_DIFF_CA		= 1 << 5,	/* the path, or CA given or not */
	LC_DIFF_REKEY		= 1 << 6,	/* RekeyAfter or KeyLifetime */
	LC_DIFF_ADDRESSES	= 1 << 7,	/* the set of Address */
};

/* LC_DIFF_ENDPOINT | ...: what differs between @a and @b; 0 if nothing. */
unsigned int lc_conf_peer_diff(const struct lc_conf_peer *a,
			       const struct lc_conf_peer *b);

/* LC_DIFF_DEVICE | ...: what differs between the [Interface]s. */
unsigned int lc_conf_iface_diff(const struct lc_conf *a,
				const struct lc_conf *b);

/* The peer of @conf with Id @id, or NULL. */
const struct lc_conf_peer *lc_conf_find_peer(const struct lc_conf *conf,
					     uint32_t id);

/* Whether @conf has the address @a (family, address and prefix). */
bool lc_conf_has_addr(const struct lc_conf *conf, const struct lc_conf_addr *a);

#endif /* LCCTL_CONFIG_DIFF_H */
