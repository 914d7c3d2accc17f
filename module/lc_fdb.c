// SPDX-License-Identifier: GPL-2.0
/*
 * The forwarding database of a device: MAC address -> peer.
 */
#include <linux/etherdevice.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "lc_consts.h"
#include "lc_fdb.h"
#include "lc_peer.h"

/*
 * An entry is freed a grace period after it leaves its bucket, and it
 * leaves before its peer goes (lc_fdb_remove_peer), so an RCU reader may
 * use entry->peer as long as it holds the read lock.  No entry is made for
 * a peer once it is removed (lc_fdb_learn), so none is left behind by a
 * frame that completes after the sweep.
 */
struct lc_fdb_entry {
	struct hlist_node node;
	struct rcu_head rcu;
	struct lc_peer *peer;
	unsigned long updated;
	bool is_static;
	u8 mac[ETH_ALEN];
};

static struct hlist_head *lc_fdb_head(struct lc_fdb *fdb, const u8 *mac)
{
	return &fdb->heads[hash_64(ether_addr_to_u64(mac), LC_FDB_HASH_BITS)];
}

static struct lc_fdb_entry *lc_fdb_find(struct lc_fdb *fdb, const u8 *mac)
{
	struct lc_fdb_entry *e;

	hlist_for_each_entry_rcu(e, lc_fdb_head(fdb, mac), node,
				 lockdep_is_held(&fdb->lock)) {
		if (ether_addr_equal(e->mac, mac))
			return e;
	}
	return NULL;
}

static bool lc_fdb_fresh(const struct lc_fdb_entry *e)
{
	return e->is_static ||
	       time_before(jiffies, READ_ONCE(e->updated) + LC_FDB_AGEING);
}

static void lc_fdb_del(struct lc_fdb *fdb, struct lc_fdb_entry *e)
{
	lockdep_assert_held(&fdb->lock);
	hlist_del_rcu(&e->node);
	kfree_rcu(e, rcu);
	fdb->count--;
}

static void lc_fdb_gc(struct work_struct *work)
{
	struct lc_fdb *fdb = container_of(to_delayed_work(work), struct lc_fdb, gc);
	struct lc_fdb_entry *e;
	struct hlist_node *tmp;
	unsigned int i;

	spin_lock_bh(&fdb->lock);
	for (i = 0; i < ARRAY_SIZE(fdb->heads); i++)
		hlist_for_each_entry_safe(e, tmp, &fdb->heads[i], node)
			if (!lc_fdb_fresh(e))
				lc_fdb_del(fdb, e);
	spin_unlock_bh(&fdb->lock);
	schedule_delayed_work(&fdb->gc, LC_FDB_GC_INTERVAL);
}

void lc_fdb_init(struct lc_fdb *fdb)
{
	spin_lock_init(&fdb->lock);
	fdb->count = 0;
	__hash_init(fdb->heads, ARRAY_SIZE(fdb->heads));
	INIT_DELAYED_WORK(&fdb->gc, lc_fdb_gc);
	schedule_delayed_work(&fdb->gc, LC_FDB_GC_INTERVAL);
}

void lc_fdb_uninit(struct lc_fdb *fdb)
{
	struct lc_fdb_entry *e;
	struct hlist_node *tmp;
	unsigned int i;

	cancel_delayed_work_sync(&fdb->gc);
	spin_lock_bh(&fdb->lock);
	for (i = 0; i < ARRAY_SIZE(fdb->heads); i++)
		hlist_for_each_entry_safe(e, tmp, &fdb->heads[i], node)
			lc_fdb_del(fdb, e);
	spin_unlock_bh(&fdb->lock);
}

/* The peer behind @mac, or NULL when unknown or aged out.  RCU. */
struct lc_peer *lc_fdb_lookup(struct lc_fdb *fdb, const u8 *mac)
{
	struct lc_fdb_entry *e = lc_fdb_find(fdb, mac);

	return e && lc_fdb_fresh(e) ? READ_ONCE(e->peer) : NULL;
}

/*
 * @peer authenticated a frame from @mac.  RCU, softirq; the frame holds a
 * reference on @peer, which may have been removed since it arrived.
 */
void lc_fdb_learn(struct lc_fdb *fdb, const u8 *mac, struct lc_peer *peer)
{
	struct lc_fdb_entry *e = lc_fdb_find(fdb, mac);

	/* The common case takes no lock. */
	if (e && READ_ONCE(e->peer) == peer) {
		if (!e->is_static)
			WRITE_ONCE(e->updated, jiffies);
		return;
	}
	if (e && lc_fdb_fresh(e))
		return;

	spin_lock_bh(&fdb->lock);
	/* Removed before lc_fdb_remove_peer() took the lock: seen here. */
	if (READ_ONCE(peer->removed))
		goto out;
	e = lc_fdb_find(fdb, mac);
	if (e) {
		if (!lc_fdb_fresh(e)) {
			WRITE_ONCE(e->peer, peer);
			WRITE_ONCE(e->updated, jiffies);
		}
	} else if (fdb->count < LC_FDB_MAX) {
		e = kzalloc(sizeof(*e), GFP_ATOMIC);
		if (e) {
			ether_addr_copy(e->mac, mac);
			e->peer = peer;
			e->updated = jiffies;
			hlist_add_head_rcu(&e->node, lc_fdb_head(fdb, mac));
			fdb->count++;
		}
	}
out:
	spin_unlock_bh(&fdb->lock);
}

/*
 * Makes @macs the static addresses of @peer, replacing its previous ones,
 * all or nothing.  An address static for another peer is refused.
 */
int lc_fdb_set_static(struct lc_fdb *fdb, struct lc_peer *peer,
		      const u8 *macs, int n, struct netlink_ext_ack *extack)
{
	struct lc_fdb_entry *e, *spare[LC_PEER_MAX_MACS];
	struct hlist_node *tmp;
	int i, used = 0, err = 0;
	unsigned int b;

	if (n > LC_PEER_MAX_MACS)
		return -E2BIG;
	/* Allocate first: under the lock nothing may fail half way. */
	for (i = 0; i < n; i++) {
		spare[i] = kzalloc(sizeof(*spare[i]), GFP_KERNEL);
		if (!spare[i]) {
			n = i;
			err = -ENOMEM;
			goto out;
		}
	}

	spin_lock_bh(&fdb->lock);
	for (i = 0; i < n; i++) {
		e = lc_fdb_find(fdb, macs + i * ETH_ALEN);
		if (e && e->is_static && e->peer != peer) {
			NL_SET_ERR_MSG(extack, "MAC address is static for another peer");
			err = -EEXIST;
			goto out_unlock;
		}
	}
	for (b = 0; b < ARRAY_SIZE(fdb->heads); b++)
		hlist_for_each_entry_safe(e, tmp, &fdb->heads[b], node)
			if (e->is_static && e->peer == peer)
				lc_fdb_del(fdb, e);
	for (i = 0; i < n; i++) {
		e = lc_fdb_find(fdb, macs + i * ETH_ALEN);
		if (!e) {
			e = spare[used++];
			ether_addr_copy(e->mac, macs + i * ETH_ALEN);
			hlist_add_head_rcu(&e->node, lc_fdb_head(fdb, e->mac));
			fdb->count++;
		}
		WRITE_ONCE(e->peer, peer);
		e->is_static = true;
	}
out_unlock:
	spin_unlock_bh(&fdb->lock);
out:
	for (i = used; i < n; i++)
		kfree(spare[i]);
	return err;
}

/* Before @peer goes: no entry may point to it afterwards. */
void lc_fdb_remove_peer(struct lc_fdb *fdb, struct lc_peer *peer)
{
	struct lc_fdb_entry *e;
	struct hlist_node *tmp;
	unsigned int i;

	spin_lock_bh(&fdb->lock);
	for (i = 0; i < ARRAY_SIZE(fdb->heads); i++)
		hlist_for_each_entry_safe(e, tmp, &fdb->heads[i], node)
			if (e->peer == peer)
				lc_fdb_del(fdb, e);
	spin_unlock_bh(&fdb->lock);
}

/* Copies up to @max static addresses of @peer; returns how many. */
int lc_fdb_static_of(struct lc_fdb *fdb, const struct lc_peer *peer,
		     u8 *macs, int max)
{
	struct lc_fdb_entry *e;
	unsigned int i;
	int n = 0;

	rcu_read_lock();
	for (i = 0; i < ARRAY_SIZE(fdb->heads); i++)
		hlist_for_each_entry_rcu(e, &fdb->heads[i], node)
			if (e->is_static && READ_ONCE(e->peer) == peer && n < max)
				ether_addr_copy(macs + n++ * ETH_ALEN, e->mac);
	rcu_read_unlock();
	return n;
}
