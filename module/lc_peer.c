// SPDX-License-Identifier: GPL-2.0
/*
 * Peers of a device: creation, lookup by index, endpoints, keys' slots and
 * the end of their lives.
 *
 * Locking: peers are added, changed and removed under RTNL; the data path
 * finds them under RCU (lc->peer_xa by index, lc->peers for flooding) and
 * takes a reference for as long as a frame of theirs is in flight.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "lc_device.h"
#include "lc_fdb.h"
#include "lc_peer.h"

/* Creates a peer and publishes it, complete, to the data path. */
struct lc_peer *lc_peer_create(struct lc_device *lc, u32 id, u32 remote_id,
			       const struct sockaddr *endpoint)
{
	struct lc_peer *peer;
	int err;

	ASSERT_RTNL();
	peer = kzalloc(sizeof(*peer), GFP_KERNEL);
	if (!peer)
		return ERR_PTR(-ENOMEM);
	peer->stats = lc_stats_alloc();
	if (!peer->stats) {
		err = -ENOMEM;
		goto err_free;
	}
	peer->lc = lc;
	peer->id = id;
	peer->remote_id = remote_id;
	/* Both directions complete on one CPU, the peers spread over them. */
	lc_crypto_seq_init(&peer->seq[0], id);
	lc_crypto_seq_init(&peer->seq[1], id);
	refcount_set(&peer->refcnt, 1);
	err = lc_peer_set_endpoint(peer, endpoint);
	if (err)
		goto err_stats;

	err = xa_insert(&lc->peer_xa, id, peer, GFP_KERNEL);
	if (err)
		goto err_endpoint;
	list_add_tail_rcu(&peer->list, &lc->peers);
	WRITE_ONCE(lc->npeers, lc->npeers + 1);
	dev_hold(lc->dev);
	return peer;

err_endpoint:
	kfree(rcu_dereference_protected(peer->endpoint, true));
err_stats:
	free_percpu(peer->stats);
err_free:
	kfree(peer);
	return ERR_PTR(err == -EBUSY ? -EEXIST : err);
}

static void lc_peer_free_rcu(struct rcu_head *rcu)
{
	struct lc_peer *peer = container_of(rcu, struct lc_peer, rcu);

	kfree(rcu_dereference_protected(peer->endpoint, true));
	free_percpu(peer->stats);
	dev_put(peer->lc->dev);
	kfree(peer);
}

struct lc_peer *lc_peer_get(struct lc_peer *peer)
{
	return refcount_inc_not_zero(&peer->refcnt) ? peer : NULL;
}

void lc_peer_put(struct lc_peer *peer)
{
	if (peer && refcount_dec_and_test(&peer->refcnt))
		call_rcu(&peer->rcu, lc_peer_free_rcu);
}

/*
 * Unpublishes @peer and drops its keys and MAC entries; frames in flight
 * finish with the references they hold.
 */
void lc_peer_remove(struct lc_peer *peer)
{
	struct lc_device *lc = peer->lc;
	int d, s;

	ASSERT_RTNL();
	xa_erase(&lc->peer_xa, peer->id);
	list_del_rcu(&peer->list);
	WRITE_ONCE(lc->npeers, lc->npeers - 1);
	/*
	 * A frame from the peer may still be decrypting and learn its source
	 * MAC when it completes: the flag, seen under the fdb's lock, keeps
	 * such an entry from outliving the sweep below and the peer.
	 */
	WRITE_ONCE(peer->removed, true);
	lc_fdb_remove_peer(&lc->fdb, peer);
	for (d = 0; d < 2; d++) {
		for (s = 0; s < 2; s++) {
			struct lc_key *key = rtnl_dereference(peer->keys[d][s]);

			RCU_INIT_POINTER(peer->keys[d][s], NULL);
			lc_key_put(key);
		}
	}
	lc_peer_put(peer);
}

void lc_peer_remove_all(struct lc_device *lc)
{
	struct lc_peer *peer, *tmp;

	list_for_each_entry_safe(peer, tmp, &lc->peers, list)
		lc_peer_remove(peer);
}

/* Under RTNL, or RCU for the data path (no reference taken). */
struct lc_peer *lc_peer_lookup(struct lc_device *lc, u32 id)
{
	return xa_load(&lc->peer_xa, id);
}

int lc_peer_set_endpoint(struct lc_peer *peer, const struct sockaddr *sa)
{
	struct lc_endpoint *ep, *old;

	ASSERT_RTNL();
	ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return -ENOMEM;
	if (sa->sa_family == AF_INET)
		ep->in4 = *(const struct sockaddr_in *)sa;
	else
		ep->in6 = *(const struct sockaddr_in6 *)sa;
	old = rtnl_dereference(peer->endpoint);
	rcu_assign_pointer(peer->endpoint, ep);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

/* The RX key a header's key id names, or NULL.  RCU. */
struct lc_key *lc_peer_rx_key(struct lc_peer *peer, u8 key_id)
{
	struct lc_key *key;
	int s;

	for (s = 0; s < 2; s++) {
		key = rcu_dereference(peer->keys[LC_DIR(LINKCRYPT_KEY_DIR_RX)][s]);
		if (key && key->id == key_id)
			return key;
	}
	return NULL;
}
