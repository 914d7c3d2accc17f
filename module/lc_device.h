/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_DEVICE_H
#define _LC_DEVICE_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>

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
 *
 * @port and @cipher are written under RTNL only.
 */
struct lc_device {
	struct net_device *dev;
	struct list_head list;
	struct net *creating_net;
	u16 port;
	u16 cipher;
};

int lc_device_init(void);
void lc_device_uninit(void);

bool lc_device_is(const struct net_device *dev);

#endif /* _LC_DEVICE_H */
