// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: every frame the stack hands lc0 is encrypted whole under the
 * primary TX key of the peer it goes to and sent in one UDP datagram.
 *
 * GSO super-frames are segmented first, so each datagram carries at most an
 * MTU-sized frame.  Encryption is in place and, unless the device's crypto
 * is inline, completes on another CPU (lc_crypto.c), where lc_send_finish()
 * sends the datagram; each frame holds references on its peer and key
 * until then.
 *
 * Fail closed: a frame without a usable key is dropped and counted, never
 * sent.  A counter is handed out once per key and never again.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/dst.h>
#include <net/udp.h>

#include "lc_consts.h"
#include "lc_crypto.h"
#include "lc_device.h"
#include "lc_netlink.h"
#include "lc_peer.h"
#include "lc_send.h"
#include "lc_socket.h"

static void lc_peer_drop(struct lc_peer *peer, unsigned int reason)
{
	lc_stats_inc(peer->stats, reason);
	DEV_STATS_INC(peer->lc->dev, tx_dropped);
}

static void lc_send_events(struct lc_peer *peer, struct lc_key *key)
{
	unsigned int events = lc_key_new_events(key);

	if (events & BIT(LINKCRYPT_EVENT_SOFT_LIMIT))
		lc_nl_event(peer, key, LINKCRYPT_EVENT_SOFT_LIMIT);
	if (events & BIT(LINKCRYPT_EVENT_HARD_LIMIT))
		lc_nl_event(peer, key, LINKCRYPT_EVENT_HARD_LIMIT);
}

static void lc_send_no_key(struct lc_peer *peer)
{
	unsigned long last = READ_ONCE(peer->last_no_key);

	lc_peer_drop(peer, LINKCRYPT_A_STATS_DROP_NO_KEY);
	if (last && time_before(jiffies, last + LC_NO_KEY_EVENT_INTERVAL))
		return;
	/* Racing CPUs may both notify; the rate limit is best effort. */
	WRITE_ONCE(peer->last_no_key, jiffies ?: 1);
	lc_nl_event(peer, NULL, LINKCRYPT_EVENT_NO_KEY);
}

/*
 * Ends a frame's journey after encryption: lc_crypto_start()'s completion,
 * in the peer's TX order, on its home CPU (lc_crypto.c) or in lc_xmit(),
 * bottom halves disabled.
 */
static void lc_send_finish(struct sk_buff *skb, int err)
{
	struct lc_cb *cb = LC_CB(skb);
	struct lc_peer *peer = cb->peer;
	struct lc_key *key = cb->key;
	unsigned int inner_len = cb->inner_len;
	const struct lc_endpoint *ep;
	__be16 sport;

	if (unlikely(err)) {
		lc_peer_drop(peer, LINKCRYPT_A_STATS_DROP_TX_ERROR);
		kfree_skb(skb);
		goto out;
	}

	/* The IP output path wants bottom halves disabled, as they are. */
	rcu_read_lock();
	ep = rcu_dereference(peer->endpoint);
	sport = LC_CB(skb)->sport;
	skb->ip_summed = CHECKSUM_NONE;
	err = ep ? lc_socket_send(peer->lc, ep, skb, sport) : -EDESTADDRREQ;
	if (!ep)
		kfree_skb(skb);
	rcu_read_unlock();

	if (err) {
		lc_peer_drop(peer, LINKCRYPT_A_STATS_DROP_TX_ERROR);
	} else {
		lc_stats_inc(peer->stats, LINKCRYPT_A_STATS_TX_PACKETS);
		lc_stats_add(peer->stats, LINKCRYPT_A_STATS_TX_BYTES, inner_len);
	}
out:
	lc_key_put(key);
	lc_peer_put(peer);
}

/* Makes room for the header in front and the tag behind the frame. */
static int lc_send_prepare(struct sk_buff *skb)
{
	struct sk_buff *trailer;
	int err;

	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		err = skb_checksum_help(skb);
		if (err)
			return err;
	}
	err = skb_cow_head(skb, LC_HEADROOM);
	if (err)
		return err;
	err = skb_cow_data(skb, LINKCRYPT_TAG_LEN, &trailer);
	if (err < 0)
		return err;
	pskb_put(skb, trailer, LINKCRYPT_TAG_LEN);
	return 0;
}

/* Encrypts one frame for @peer and sends it; consumes @skb. */
static void lc_send_one(struct lc_peer *peer, struct sk_buff *skb)
{
	unsigned int inner_len = skb->len;
	struct linkcrypt_hdr *hdr;
	struct lc_key *key;
	u64 counter;

	key = rcu_dereference(peer->keys[LC_DIR(LINKCRYPT_KEY_DIR_TX)]
					[LINKCRYPT_KEY_SLOT_PRIMARY]);
	if (!key) {
		lc_send_no_key(peer);
		goto drop;
	}
	if (!lc_key_usable(key) || !lc_key_tx_reserve(key, inner_len, &counter)) {
		lc_peer_drop(peer, LINKCRYPT_A_STATS_DROP_KEY_EXPIRED);
		lc_send_events(peer, key);
		goto drop;
	}
	if (unlikely(lc_send_prepare(skb))) {
		lc_peer_drop(peer, LINKCRYPT_A_STATS_DROP_TX_ERROR);
		goto drop;
	}
	lc_key_account(key, inner_len);
	lc_send_events(peer, key);
	/*
	 * Spread flows over the receiver's queues: the hash must come from
	 * the inner headers, so take it while they are still in clear.
	 */
	LC_CB(skb)->sport = udp_flow_src_port(dev_net(peer->lc->dev), skb, 0, 0,
					      true);

	hdr = skb_push(skb, sizeof(*hdr));
	hdr->type = LINKCRYPT_MSG_DATA;
	hdr->key_id = key->id;
	hdr->reserved = 0;
	hdr->receiver_index = cpu_to_be32(READ_ONCE(peer->remote_id));
	hdr->counter = cpu_to_be64(counter);

	/*
	 * The references live as long as the frame, across async crypto.
	 * The overlay's route goes now: it may have been taken without a
	 * reference, and the datagram gets the underlay's when it is sent.
	 */
	skb_dst_drop(skb);
	LC_CB(skb)->peer = lc_peer_get(peer);
	LC_CB(skb)->key = lc_key_get(key);
	LC_CB(skb)->inner_len = inner_len;
	if (unlikely(!LC_CB(skb)->peer || !LC_CB(skb)->key)) {
		lc_key_put(LC_CB(skb)->key);
		lc_peer_put(LC_CB(skb)->peer);
		goto drop;
	}

	lc_crypto_start(skb, key->tfm, true,
			lc_device_parallel(peer->lc) ? &peer->seq[0] : NULL,
			lc_send_finish);
	return;
drop:
	kfree_skb(skb);
}

/*
 * Broadcast, multicast and unknown unicast go to every peer: a private
 * copy for all but the last, since encryption writes in place.
 */
static void lc_send_flood(struct lc_device *lc, struct sk_buff *skb)
{
	struct lc_peer *peer, *last = NULL;
	struct sk_buff *copy;

	list_for_each_entry_rcu(peer, &lc->peers, list) {
		if (last) {
			copy = skb_copy(skb, GFP_ATOMIC);
			if (copy)
				lc_send_one(last, copy);
			else
				lc_peer_drop(last, LINKCRYPT_A_STATS_DROP_TX_ERROR);
		}
		last = peer;
	}
	if (last) {
		lc_send_one(last, skb);
	} else {
		lc_device_drop(lc, LINKCRYPT_A_STATS_DROP_NO_PEER_TX, true);
		kfree_skb(skb);
	}
}

static void lc_send_frame(struct lc_device *lc, struct sk_buff *skb)
{
	const struct ethhdr *eth = eth_hdr(skb);
	struct lc_peer *peer;

	/* The common point-to-point case needs no table. */
	if (READ_ONCE(lc->npeers) == 1) {
		peer = list_first_or_null_rcu(&lc->peers, struct lc_peer, list);
		if (peer) {
			lc_send_one(peer, skb);
			return;
		}
	}
	if (is_unicast_ether_addr(eth->h_dest)) {
		peer = lc_fdb_lookup(&lc->fdb, eth->h_dest);
		if (peer) {
			lc_send_one(peer, skb);
			return;
		}
	}
	lc_send_flood(lc, skb);
}

netdev_tx_t lc_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct lc_device *lc = netdev_priv(dev);
	struct sk_buff *segs, *next;

	if (unlikely(!pskb_may_pull(skb, ETH_HLEN))) {
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	skb_reset_mac_header(skb);

	rcu_read_lock();
	if (!skb_is_gso(skb)) {
		lc_send_frame(lc, skb);
		goto out;
	}
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb(skb);
		goto out;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		skb_reset_mac_header(skb);
		lc_send_frame(lc, skb);
	}
out:
	rcu_read_unlock();
	return NETDEV_TX_OK;
}
