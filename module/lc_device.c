// SPDX-License-Identifier: GPL-2.0
/*
 * The linkcrypt net_device: its setup, the "linkcrypt" rtnetlink link kind,
 * and its life across network namespaces.
 *
 * Locking: the configuration of a device (port, cipher, peers, keys) and
 * lc_device_list change only under RTNL.  rtnetlink already holds it around
 * validate, newlink, changelink and dellink; the generic netlink handlers
 * take it.  The data path reads under RCU.
 */
#include <linux/etherdevice.h>
#include <linux/if_link.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "lc_cipher.h"
#include "lc_compat.h"
#include "lc_consts.h"
#include "lc_device.h"
#include "lc_ethtool.h"
#include "lc_peer.h"
#include "lc_send.h"
#include "lc_socket.h"

/* Every linkcrypt device of every namespace, for lc_pernet_pre_exit(). */
static LIST_HEAD(lc_device_list);

static struct rtnl_link_ops lc_link_ops;

bool lc_device_is(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &lc_link_ops;
}

/* Counts a drop that belongs to no peer. */
void lc_device_drop(struct lc_device *lc, unsigned int reason, bool tx)
{
	lc_stats_inc(lc->stats, reason);
	if (tx)
		DEV_STATS_INC(lc->dev, tx_dropped);
	else
		DEV_STATS_INC(lc->dev, rx_dropped);
}

static int lc_init(struct net_device *dev)
{
	struct lc_device *lc = netdev_priv(dev);
	int err;

	lc->stats = lc_stats_alloc();
	if (!lc->stats)
		return -ENOMEM;
	err = gro_cells_init(&lc->gro_cells, dev);
	if (err) {
		free_percpu(lc->stats);
		lc->stats = NULL;
		return err;
	}
	INIT_LIST_HEAD(&lc->peers);
	xa_init(&lc->peer_xa);
	lc_fdb_init(&lc->fdb);
	return 0;
}

/*
 * Called under RTNL when the device is unregistered, however that happens,
 * after it was closed.  Frames still in flight hold references on their
 * peers, and the peers on the device: unregistering waits for them.
 */
static void lc_uninit(struct net_device *dev)
{
	struct lc_device *lc = netdev_priv(dev);

	ASSERT_RTNL();
	list_del_init(&lc->list);
	lc_peer_remove_all(lc);
	lc_fdb_uninit(&lc->fdb);
	xa_destroy(&lc->peer_xa);
}

/* After the last reference: nothing can deliver to the GRO cells any more. */
static void lc_destruct(struct net_device *dev)
{
	struct lc_device *lc = netdev_priv(dev);

	gro_cells_destroy(&lc->gro_cells);
	free_percpu(lc->stats);
}

static int lc_open(struct net_device *dev)
{
	return lc_socket_open(netdev_priv(dev));
}

static int lc_stop(struct net_device *dev)
{
	lc_socket_close(netdev_priv(dev));
	return 0;
}

static const struct net_device_ops lc_netdev_ops = {
	.ndo_init		= lc_init,
	.ndo_uninit		= lc_uninit,
	.ndo_open		= lc_open,
	.ndo_stop		= lc_stop,
	.ndo_start_xmit		= lc_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

#define LC_FEATURES	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA | \
			 NETIF_F_RXCSUM | NETIF_F_GSO_SOFTWARE)

static void lc_setup(struct net_device *dev)
{
	struct lc_device *lc = netdev_priv(dev);

	ether_setup(dev);
	dev->netdev_ops = &lc_netdev_ops;
	dev->ethtool_ops = &lc_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = lc_destruct;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;

	/* Frames are encrypted in place: a shared skb must never reach us. */
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;
	lc_compat_set_lltx(dev);
	/* Big GSO frames are segmented, checksummed and encrypted here. */
	dev->features |= LC_FEATURES;
	dev->hw_features |= LC_FEATURES;
	dev->needed_headroom = LC_HEADROOM;
	dev->needed_tailroom = LINKCRYPT_TAG_LEN;

	dev->mtu = LC_DEFAULT_MTU;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = LC_MAX_MTU;
	eth_hw_addr_random(dev);

	lc->dev = dev;
	INIT_LIST_HEAD(&lc->list);
}

static const struct nla_policy lc_link_policy[IFLA_LINKCRYPT_MAX + 1] = {
	[IFLA_LINKCRYPT_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	/* Checked by lc_cipher_check(), which says what the choices are. */
	[IFLA_LINKCRYPT_CIPHER]	= { .type = NLA_U16 },
	/* Checked by lc_validate(), likewise. */
	[IFLA_LINKCRYPT_CRYPTO]	= { .type = NLA_U8 },
};

/*
 * rtnetlink parses IFLA_INFO_DATA leniently for the sake of old link kinds
 * and old tools: it ignores unknown attributes and accepts over-long ones.
 * A new kind has no such users, so hold its attributes to the strict rules
 * and point the sender at the one that is wrong.
 */
static int lc_validate(struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack)
{
	struct nlattr *attrs[IFLA_LINKCRYPT_MAX + 1];
	struct nlattr *nest = NULL;
	int err;

	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address must be 6 bytes");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address must be unicast and not zero");
			return -EADDRNOTAVAIL;
		}
	}

	if (tb[IFLA_LINKINFO])
		nest = nla_find_nested(tb[IFLA_LINKINFO], IFLA_INFO_DATA);
	if (!nest)
		return 0;
	err = nla_parse(attrs, IFLA_LINKCRYPT_MAX, nla_data(nest),
			nla_len(nest), lc_link_policy, extack);
	if (err)
		return err;
	if (attrs[IFLA_LINKCRYPT_CIPHER] &&
	    !lc_cipher_get(nla_get_u16(attrs[IFLA_LINKCRYPT_CIPHER]))) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[IFLA_LINKCRYPT_CIPHER],
				    "unknown cipher (1 = aes-256-gcm, 2 = chacha20-poly1305)");
		return -EINVAL;
	}
	if (attrs[IFLA_LINKCRYPT_CRYPTO]) {
		u8 mode = nla_get_u8(attrs[IFLA_LINKCRYPT_CRYPTO]);

		if (mode != LINKCRYPT_CRYPTO_PARALLEL &&
		    mode != LINKCRYPT_CRYPTO_INLINE) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[IFLA_LINKCRYPT_CRYPTO],
					    "unknown crypto mode (1 = parallel, 2 = inline)");
			return -EINVAL;
		}
	}
	return 0;
}

/* Two devices created in one namespace would need the same UDP socket. */
static int lc_port_check(const struct lc_device *self, u16 port,
			 const struct nlattr *attr,
			 struct netlink_ext_ack *extack)
{
	const struct lc_device *lc;

	ASSERT_RTNL();
	list_for_each_entry(lc, &lc_device_list, list) {
		if (lc != self && lc->creating_net == self->creating_net &&
		    lc->port == port) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "UDP port already used by another linkcrypt device of this network namespace; choose another with \"port\"");
			return -EADDRINUSE;
		}
	}
	return 0;
}

/*
 * Apply IFLA_INFO_DATA to @lc, all or nothing: every check runs before the
 * first field changes, so a refused request leaves the device as it was.
 */
static int lc_configure(struct lc_device *lc, struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct nlattr *port_attr = data ? data[IFLA_LINKCRYPT_PORT] : NULL;
	struct nlattr *cipher_attr = data ? data[IFLA_LINKCRYPT_CIPHER] : NULL;
	u16 port = port_attr ? nla_get_u16(port_attr) : lc->port;
	u16 cipher = cipher_attr ? nla_get_u16(cipher_attr) : lc->cipher;
	int err;

	if (port != lc->port && (lc->dev->flags & IFF_UP)) {
		/* The UDP socket stays bound to the port while the device is up. */
		NL_SET_ERR_MSG_ATTR(extack, port_attr,
				    "cannot change the port of a device that is up; set it down first");
		return -EBUSY;
	}
	if (cipher != lc->cipher && READ_ONCE(lc->npeers)) {
		/* Installed keys were made for the current cipher. */
		NL_SET_ERR_MSG_ATTR(extack, cipher_attr,
				    "cannot change the cipher of a device with peers; delete them first");
		return -EBUSY;
	}
	err = lc_port_check(lc, port, port_attr, extack);
	if (err)
		return err;
	err = lc_cipher_check(cipher, cipher_attr, extack);
	if (err)
		return err;

	lc->port = port;
	lc->cipher = cipher;
	/* Valid (lc_validate()); the data path takes it frame by frame. */
	if (data && data[IFLA_LINKCRYPT_CRYPTO])
		WRITE_ONCE(lc->crypto, nla_get_u8(data[IFLA_LINKCRYPT_CRYPTO]));
	return 0;
}

static int lc_newlink(struct net *src_net, struct net_device *dev,
		      struct nlattr *tb[], struct nlattr *data[],
		      struct netlink_ext_ack *extack)
{
	struct lc_device *lc = netdev_priv(dev);
	int err;

	lc->creating_net = src_net;
	lc->port = LINKCRYPT_DEFAULT_PORT;
	lc->cipher = LINKCRYPT_CIPHER_AES_256_GCM;
	lc->crypto = LINKCRYPT_CRYPTO_PARALLEL;
	err = lc_configure(lc, data, extack);
	if (err)
		return err;

	err = register_netdevice(dev);
	if (err)
		return err;
	list_add(&lc->list, &lc_device_list);
	return 0;
}

static int lc_changelink(struct net_device *dev, struct nlattr *tb[],
			 struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	return lc_configure(netdev_priv(dev), data, extack);
}

static size_t lc_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u16)) +	/* IFLA_LINKCRYPT_PORT */
	       nla_total_size(sizeof(u16)) +	/* IFLA_LINKCRYPT_CIPHER */
	       nla_total_size(sizeof(u8));	/* IFLA_LINKCRYPT_CRYPTO */
}

static int lc_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct lc_device *lc = netdev_priv(dev);

	if (nla_put_u16(skb, IFLA_LINKCRYPT_PORT, lc->port) ||
	    nla_put_u16(skb, IFLA_LINKCRYPT_CIPHER, lc->cipher) ||
	    nla_put_u8(skb, IFLA_LINKCRYPT_CRYPTO, READ_ONCE(lc->crypto)))
		return -EMSGSIZE;
	return 0;
}

/* Lets "ip -d link" show where the underlay is once the device has moved. */
static struct net *lc_get_link_net(const struct net_device *dev)
{
	const struct lc_device *lc = netdev_priv(dev);

	return lc->creating_net;
}

static struct rtnl_link_ops lc_link_ops __read_mostly = {
	.kind		= "linkcrypt",
	.priv_size	= sizeof(struct lc_device),
	.setup		= lc_setup,
	.maxtype	= IFLA_LINKCRYPT_MAX,
	.policy		= lc_link_policy,
	.validate	= lc_validate,
	.newlink	= lc_newlink,
	.changelink	= lc_changelink,
	.dellink	= unregister_netdevice_queue,
	.get_size	= lc_get_size,
	.fill_info	= lc_fill_info,
	.get_link_net	= lc_get_link_net,
};

/*
 * A device whose creating namespace dies has lost its underlay, wherever
 * the device itself now lives: delete it, before the namespace is freed
 * (creating_net is not reference counted).  Devices that live in the dying
 * namespace but were created elsewhere are deleted by the core, which calls
 * our dellink for each of them.
 */
static void __net_exit lc_pernet_pre_exit(struct net *net)
{
	struct lc_device *lc;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry(lc, &lc_device_list, list) {
		if (lc->creating_net == net)
			unregister_netdevice_queue(lc->dev, &kill);
	}
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static struct pernet_operations lc_pernet_ops = {
	.pre_exit = lc_pernet_pre_exit,
};

int __init lc_device_init(void)
{
	int err;

	err = register_pernet_device(&lc_pernet_ops);
	if (err)
		return err;
	err = rtnl_link_register(&lc_link_ops);
	if (err)
		goto err_pernet;
	return 0;

err_pernet:
	unregister_pernet_device(&lc_pernet_ops);
	return err;
}

void lc_device_uninit(void)
{
	/* Deletes every remaining linkcrypt device, in every namespace. */
	rtnl_link_unregister(&lc_link_ops);
	unregister_pernet_device(&lc_pernet_ops);
}
