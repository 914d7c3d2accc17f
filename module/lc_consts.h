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

#endif /* _LC_CONSTS_H */
