/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_FDB_H
#define _LC_FDB_H

#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct lc_peer;

#define LC_FDB_HASH_BITS	8

/**
 * struct lc_fdb - which peer each MAC address is behind
 * @lock: serialises writers; readers use RCU
 * @count: learned and static entries, bounded by LC_FDB_MAX
 * @heads: hash buckets of struct lc_fdb_entry
 * @gc: removes learned entries once they age out
 *
 * Learned entries come only from frames that authenticated from a peer.
 * A fresh entry is not moved to another peer, so a peer cannot take over
 * another's MAC address while that one is in use; a static entry never is.
 */
struct lc_fdb {
	spinlock_t lock;	/* writers of @heads and @count */
	unsigned int count;
	struct hlist_head heads[1 << LC_FDB_HASH_BITS];
	struct delayed_work gc;
};

void lc_fdb_init(struct lc_fdb *fdb);
void lc_fdb_uninit(struct lc_fdb *fdb);
struct lc_peer *lc_fdb_lookup(struct lc_fdb *fdb, const u8 *mac);
void lc_fdb_learn(struct lc_fdb *fdb, const u8 *mac, struct lc_peer *peer);
int lc_fdb_set_static(struct lc_fdb *fdb, struct lc_peer *peer,
		      const u8 *macs, int n, struct netlink_ext_ack *extack);
void lc_fdb_remove_peer(struct lc_fdb *fdb, struct lc_peer *peer);
int lc_fdb_static_of(struct lc_fdb *fdb, const struct lc_peer *peer,
		     u8 *macs, int max);

#endif /* _LC_FDB_H */
