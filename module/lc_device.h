/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_DEVICE_H
#define _LC_DEVICE_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/xarray.h>
#include <net/gro_cells.h>
#include <net/net_namespace.h>
#include <uapi/linux/linkcrypt.h>

#include "lc_fdb.h"
#include "lc_stats.h"

/**
 * struct lc_device - private part of a linkcrypt net_device
 * @dev: the net_device this is the private area of
 * @list: entry in the global device list, protected by RTNL
 * @creating_net: network namespace the device was created in, where its
 *	UDP socket lives even after the device is moved elsewhere.  Not
 *	reference counted: lc_pernet_pre_exit() deletes every device whose
 *	creating namespace dies, before the namespace is freed.
 * @port: UDP port, unique among devices with the same @creating_net
 * @cipher: enum linkcrypt_cipher
 * @crypto: enum linkcrypt_crypto_mode (RTNL writes, READ_ONCE reads)
 * @peers: every peer (RTNL; RCU for readers)
 * @peer_xa: peers by their id (RTNL for writers; RCU for readers)
 * @npeers: number of peers (RTNL writes, READ_ONCE reads)
 * @fdb: MAC address -> peer
 * @sock4, @sock6: the UDP sockets while the device is up (RTNL)
 * @sk4, @sk6: their sockets for the data path (RCU)
 * @gro_cells: hands received frames to GRO
 * @stats: drops that belong to no peer (enum linkcrypt_stats_attrs)
 *
 * @port and @cipher are written under RTNL only.  Keys bind the cipher
 * they were made for, so it changes only while the device has no peers.
 */
struct lc_device {
	struct net_device *dev;
	struct list_head list;
	struct net *creating_net;
	u16 port;
	u16 cipher;
	u8 crypto;
	struct list_head peers;
	struct xarray peer_xa;
	unsigned int npeers;
	struct lc_fdb fdb;
	struct socket *sock4;
	struct socket *sock6;
	struct sock __rcu *sk4;
	struct sock __rcu *sk6;
	struct gro_cells gro_cells;
	struct lc_stats __percpu *stats;
};

int lc_device_init(void);
void lc_device_uninit(void);

bool lc_device_is(const struct net_device *dev);
void lc_device_drop(struct lc_device *lc, unsigned int reason, bool tx);

/* Whether @lc's crypto goes to the per-CPU workers (linkcrypt_crypto_mode). */
static inline bool lc_device_parallel(const struct lc_device *lc)
{
	return READ_ONCE(lc->crypto) == LINKCRYPT_CRYPTO_PARALLEL;
}

#endif /* _LC_DEVICE_H */
