/* SPDX-License-Identifier: GPL-2.0 */
/* linkcrypt devices as LINKCRYPT_CMD_DEV_GET reports them. */
#ifndef LCCTL_DEV_H
#define LCCTL_DEV_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

#include "peer.h"
#include "stats.h"

struct lc_conn;

struct lc_dev {
	uint32_t present;	/* bit (1 << LINKCRYPT_A_DEV_*) per attribute */
	uint32_t ifindex;
	char ifname[IFNAMSIZ];
	uint16_t port;
	uint16_t cipher;	/* enum linkcrypt_cipher, maybe unknown to us */
	uint32_t mtu;
	uint32_t n_peers;	/* LINKCRYPT_A_DEV_PEERS */
	uint8_t crypto;		/* enum linkcrypt_crypto_mode, maybe unknown */
	struct lc_stats stats;	/* LINKCRYPT_A_DEV_STATS: drops of no peer */
	/*
	 * Not from DEV_GET: the device's peers, if they were read (show),
	 * owned by the device list.
	 */
	bool has_peers;
	struct lc_peer_list peers;
};

/* Whether the kernel reported attribute @attr (LINKCRYPT_A_DEV_*). */
static inline bool lc_dev_has(const struct lc_dev *dev, unsigned int attr)
{
	return dev->present & (1u << attr);
}

struct lc_dev_list {
	struct lc_dev *devs;
	size_t n;
	size_t cap;
};

/*
 * Decode one LINKCRYPT_CMD_DEV_GET message.  IFINDEX and IFNAME must be
 * there; the others are optional, attributes unknown to lcctl are
 * ignored.  -EBADMSG if malformed.
 */
int lc_dev_parse(const struct nlmsghdr *nlh, struct lc_dev *dev);

/* Sizes a buffer for lc_dev_crypto_str(). */
#define LC_CRYPTO_STRLEN 16

/* @mode's name ("parallel", "inline"), or "unknown(N)", in @buf. */
const char *lc_dev_crypto_str(unsigned int mode, char *buf, size_t len);

/* Append @dev; the list takes over its peers (also on failure). */
int lc_dev_list_add(struct lc_dev_list *list, const struct lc_dev *dev);
/* Remove the device at @i, and free its peers. */
void lc_dev_list_remove(struct lc_dev_list *list, size_t i);
void lc_dev_list_free(struct lc_dev_list *list);

/* Which devices to get: by @ifname, else by @ifindex, else all. */
struct lc_dev_sel {
	const char *ifname;
	uint32_t ifindex;
};

/*
 * Read the selected device(s) into @list (appended to): a doit request
 * for one device, a dump for all.  Returns 0 or a negative errno (see
 * lc_nl_talk()); a dump that raced with a device change is repeated.
 */
int lc_dev_get(struct lc_conn *c, const struct lc_dev_sel *sel,
	       struct lc_dev_list *list);

#endif /* LCCTL_DEV_H */
