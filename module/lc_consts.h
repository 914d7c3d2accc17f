/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants of linkcrypt.ko that are not part of the uapi.  Keeping them in
 * one place makes the MTU arithmetic and the defaults easy to audit.
 */
#ifndef _LC_CONSTS_H
#define _LC_CONSTS_H

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <uapi/linux/linkcrypt.h>

#define LC_VERSION		"0.1.0"

/*
 * Bytes added around the inner Ethernet header and payload, excluding the
 * underlay IP header: UDP, our header and the AEAD tag.
 */
#define LC_ENCAP_OVERHEAD	(sizeof(struct udphdr) + LINKCRYPT_HDR_LEN + \
				 LINKCRYPT_TAG_LEN)

/*
 * The default MTU lets a full-sized frame cross a 1500-byte IPv6 underlay
 * (the larger of the two IP headers) without fragmentation:
 * 1500 - 40 (IPv6) - 8 (UDP) - 16 (header) - 16 (tag) - 14 (Ethernet) = 1406.
 */
#define LC_DEFAULT_MTU		(ETH_DATA_LEN - sizeof(struct ipv6hdr) - \
				 LC_ENCAP_OVERHEAD - ETH_HLEN)

/* The largest frame that still fits one IPv4 datagram. */
#define LC_MAX_MTU		(IP_MAX_MTU - sizeof(struct iphdr) - \
				 LC_ENCAP_OVERHEAD - ETH_HLEN)

/* Room the send path needs in front of a frame, so it never reallocates. */
#define LC_HEADROOM		(LL_MAX_HEADER + sizeof(struct ipv6hdr) + \
				 sizeof(struct udphdr) + LINKCRYPT_HDR_LEN)

/* FDB: learned entries age out; their number is bounded per device. */
#define LC_FDB_AGEING		(300 * HZ)
#define LC_FDB_GC_INTERVAL	(30 * HZ)
#define LC_FDB_MAX		16384
/* Static MAC addresses one peer may have. */
#define LC_PEER_MAX_MACS	64

/*
 * Operations one peer may have under way in one direction before the next
 * runs in its sender's context (lc_crypto.c): bounds the memory a flood
 * can queue, and makes the sender share the cost once the workers lag.
 */
#define LC_CRYPTO_MAX_QUEUED	1024
/*
 * Datagrams this short (a TCP ACK is about 100 bytes) cost less to encrypt
 * or decrypt than to hand to another CPU's worker: they run in the caller,
 * still completing in their peer's order.
 */
#define LC_CRYPTO_INLINE_LEN	256

/* At most one LINKCRYPT_EVENT_NO_KEY per peer in this interval. */
#define LC_NO_KEY_EVENT_INTERVAL	HZ

#endif /* _LC_CONSTS_H */
