/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_PEER_H
#define _LC_PEER_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <uapi/linux/linkcrypt.h>

#include "lc_crypto.h"
#include "lc_key.h"
#include "lc_stats.h"

struct lc_device;

struct lc_endpoint {
	union {
		struct sockaddr sa;
		struct sockaddr_in in4;
		struct sockaddr_in6 in6;
	};
	struct rcu_head rcu;
};

/**
 * struct lc_peer - a server this device exchanges frames with
 * @lc: the device; the peer holds a reference on its net_device
 * @list: entry in lc->peers (RTNL; RCU for the flooding readers)
 * @id: our index for the peer, its key in lc->peer_xa; immutable
 * @remote_id: the peer's index for us (RTNL writes, READ_ONCE reads)
 * @endpoint: where to send (RCU; replaced whole under RTNL)
 * @keys: [dir - 1][slot] (RCU; replaced under RTNL)
 * @stats: counters, enum linkcrypt_stats_attrs
 * @last_rx: jiffies of the last authenticated frame, 0 if none
 * @last_no_key: jiffies of the last LINKCRYPT_EVENT_NO_KEY
 * @seq: the order its frames' crypto completes in, [0] TX, [1] RX, in the
 *	parallel crypto mode (lc_crypto.c)
 * @refcnt: held by the device's table and by every frame in flight
 * @removed: set under RTNL when the peer leaves the device's table, before
 *	its MAC entries go; frames still in flight hold it after that, and
 *	must not publish it anywhere again (lc_fdb_learn() checks it under
 *	the fdb's lock)
 * @rcu: the peer is freed a grace period after its last reference
 */
struct lc_peer {
	struct lc_device *lc;
	struct list_head list;
	u32 id;
	u32 remote_id;
	struct lc_endpoint __rcu *endpoint;
	struct lc_key __rcu *keys[2][2];
	struct lc_stats __percpu *stats;
	unsigned long last_rx;
	unsigned long last_no_key;
	struct lc_crypto_seq seq[2];
	refcount_t refcnt;
	bool removed;
	struct rcu_head rcu;
};

#define LC_DIR(dir) ((dir) - LINKCRYPT_KEY_DIR_TX)

struct lc_peer *lc_peer_create(struct lc_device *lc, u32 id, u32 remote_id,
			       const struct sockaddr *endpoint);
void lc_peer_remove(struct lc_peer *peer);
void lc_peer_remove_all(struct lc_device *lc);
void lc_peer_put(struct lc_peer *peer);
struct lc_peer *lc_peer_get(struct lc_peer *peer);
struct lc_peer *lc_peer_lookup(struct lc_device *lc, u32 id);

int lc_peer_set_endpoint(struct lc_peer *peer, const struct sockaddr *sa);
struct lc_key *lc_peer_rx_key(struct lc_peer *peer, u8 key_id);

#endif /* _LC_PEER_H */
