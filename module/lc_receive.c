// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: a datagram on the device's port is checked before anything is
 * trusted (length, type, reserved bits, receiver index, key id, replay
 * window), decrypted in place, checked against the replay window again now
 * that it is authentic, and its frame handed to the stack on lc0.
 *
 * Unless the device's crypto is inline, decryption completes on another CPU
 * (lc_crypto.c), in the order the datagrams arrived; lc_receive_finish()
 * goes on from there.  Each frame holds references on its peer and key
 * until it is finished.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/dst.h>
#include <net/udp.h>

#include "lc_crypto.h"
#include "lc_device.h"
#include "lc_netlink.h"
#include "lc_peer.h"
#include "lc_socket.h"

/* Smallest valid datagram: header, an Ethernet header, tag. */
#define LC_MIN_DATAGRAM	(LINKCRYPT_HDR_LEN + ETH_HLEN + LINKCRYPT_TAG_LEN)

static void lc_rx_drop_peer(struct lc_peer *peer, unsigned int reason)
{
	lc_stats_inc(peer->stats, reason);
	DEV_STATS_INC(peer->lc->dev, rx_dropped);
}

static void lc_rx_events(struct lc_peer *peer, struct lc_key *key)
{
	unsigned int events = lc_key_new_events(key);

	if (events & BIT(LINKCRYPT_EVENT_SOFT_LIMIT))
		lc_nl_event(peer, key, LINKCRYPT_EVENT_SOFT_LIMIT);
	if (events & BIT(LINKCRYPT_EVENT_HARD_LIMIT))
		lc_nl_event(peer, key, LINKCRYPT_EVENT_HARD_LIMIT);
}

/* The frame is authentic: deliver it on lc0. */
static void lc_receive_deliver(struct lc_peer *peer, struct lc_key *key,
			       struct sk_buff *skb)
{
	struct lc_device *lc = peer->lc;
	struct net_device *dev = lc->dev;
	unsigned int len;

	if (!lc_replay_accept(&key->replay, LC_CB(skb)->counter)) {
		atomic64_inc(&key->replays);
		lc_rx_drop_peer(peer, LINKCRYPT_A_STATS_DROP_REPLAY);
		goto drop;
	}
	/* Header and tag go; the Ethernet frame stays. */
	if (pskb_trim(skb, skb->len - LINKCRYPT_TAG_LEN))
		goto drop_malformed;
	__skb_pull(skb, LINKCRYPT_HDR_LEN);
	if (!pskb_may_pull(skb, ETH_HLEN))
		goto drop_malformed;

	len = skb->len;
	lc_key_account(key, len);
	lc_rx_events(peer, key);
	WRITE_ONCE(peer->last_rx, jiffies ?: 1);
	lc_stats_inc(peer->stats, LINKCRYPT_A_STATS_RX_PACKETS);
	lc_stats_add(peer->stats, LINKCRYPT_A_STATS_RX_BYTES, len);

	skb_scrub_packet(skb, !net_eq(dev_net(dev), lc->creating_net));
	skb->protocol = eth_type_trans(skb, dev);
	skb_reset_network_header(skb);
	/* The AEAD authenticated every byte, checksums included. */
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = ~0;

	if (!is_multicast_ether_addr(eth_hdr(skb)->h_source))
		lc_fdb_learn(&lc->fdb, eth_hdr(skb)->h_source, peer);
	dev_sw_netstats_rx_add(dev, len);
	gro_cells_receive(&lc->gro_cells, skb);
	return;

drop_malformed:
	lc_rx_drop_peer(peer, LINKCRYPT_A_STATS_DROP_MALFORMED);
drop:
	kfree_skb(skb);
}

/* lc_crypto_start()'s completion, bottom halves disabled. */
static void lc_receive_finish(struct sk_buff *skb, int err)
{
	struct lc_cb *cb = LC_CB(skb);
	struct lc_peer *peer = cb->peer;
	struct lc_key *key = cb->key;

	if (unlikely(err)) {
		if (err == -EBADMSG)
			atomic64_inc(&key->auth_failures);
		lc_rx_drop_peer(peer, err == -EBADMSG ? LINKCRYPT_A_STATS_DROP_AUTH :
				LINKCRYPT_A_STATS_DROP_MALFORMED);
		kfree_skb(skb);
	} else {
		rcu_read_lock();
		lc_receive_deliver(peer, key, skb);
		rcu_read_unlock();
	}
	lc_key_put(key);
	lc_peer_put(peer);
}

/* Checks the header; returns the peer the datagram claims to be from. */
static struct lc_peer *lc_receive_check(struct lc_device *lc,
					struct sk_buff *skb)
{
	const struct linkcrypt_hdr *hdr;
	struct lc_peer *peer;

	if (skb->len < LC_MIN_DATAGRAM ||
	    !pskb_may_pull(skb, LINKCRYPT_HDR_LEN)) {
		lc_device_drop(lc, LINKCRYPT_A_STATS_DROP_MALFORMED, false);
		return NULL;
	}
	hdr = (const struct linkcrypt_hdr *)skb->data;
	if (hdr->type != LINKCRYPT_MSG_DATA || hdr->reserved) {
		lc_device_drop(lc, LINKCRYPT_A_STATS_DROP_MALFORMED, false);
		return NULL;
	}
	peer = lc_peer_lookup(lc, be32_to_cpu(hdr->receiver_index));
	if (!peer)
		lc_device_drop(lc, LINKCRYPT_A_STATS_DROP_NO_PEER, false);
	return peer;
}

/*
 * The UDP socket's encap_rcv, in softirq under RCU.  Returns 0: the
 * datagram is always consumed, delivered or dropped and counted.
 */
int lc_receive(struct sock *sk, struct sk_buff *skb)
{
	struct lc_device *lc = rcu_dereference_sk_user_data(sk);
	const struct linkcrypt_hdr *hdr;
	struct lc_peer *peer;
	struct lc_key *key;

	if (unlikely(!lc))
		goto drop;
	/* From here on skb->data is our header. */
	__skb_pull(skb, skb_transport_offset(skb) + sizeof(struct udphdr));

	peer = lc_receive_check(lc, skb);
	if (!peer)
		goto drop;
	hdr = (const struct linkcrypt_hdr *)skb->data;
	key = lc_peer_rx_key(peer, hdr->key_id);
	if (!key) {
		lc_rx_drop_peer(peer, LINKCRYPT_A_STATS_DROP_AUTH);
		goto drop;
	}
	if (!lc_key_usable(key)) {
		lc_rx_drop_peer(peer, LINKCRYPT_A_STATS_DROP_KEY_EXPIRED);
		lc_rx_events(peer, key);
		goto drop;
	}
	/* Replays cost no crypto; the real check follows authentication. */
	LC_CB(skb)->counter = be64_to_cpu(hdr->counter);
	if (!lc_replay_maybe_new(&key->replay, LC_CB(skb)->counter)) {
		atomic64_inc(&key->replays);
		lc_rx_drop_peer(peer, LINKCRYPT_A_STATS_DROP_REPLAY);
		goto drop;
	}

	LC_CB(skb)->peer = lc_peer_get(peer);
	LC_CB(skb)->key = lc_key_get(key);
	if (unlikely(!LC_CB(skb)->peer || !LC_CB(skb)->key)) {
		lc_key_put(LC_CB(skb)->key);
		lc_peer_put(LC_CB(skb)->peer);
		goto drop;
	}
	/*
	 * The datagram outlives this softirq while it is decrypted: it must
	 * point at nothing it holds no reference on, neither the underlay
	 * device nor a route taken without one; lc0 is held by the peer.
	 */
	skb_dst_drop(skb);
	skb->dev = lc->dev;
	lc_crypto_start(skb, key->tfm, false,
			lc_device_parallel(lc) ? &peer->seq[1] : NULL,
			lc_receive_finish);
	return 0;

drop:
	kfree_skb(skb);
	return 0;
}
