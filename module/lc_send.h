/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_SEND_H
#define _LC_SEND_H

#include <linux/netdevice.h>

netdev_tx_t lc_xmit(struct sk_buff *skb, struct net_device *dev);

#endif /* _LC_SEND_H */
