// SPDX-License-Identifier: GPL-2.0
/*
 * The "linkcrypt" generic netlink family.
 *
 * Every command needs CAP_NET_ADMIN in the user namespace that owns the
 * caller's network namespace, sees only the devices of that namespace, and
 * runs under RTNL, which also protects what it reads (see lc_device.h).
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/linkcrypt.h>

#include "lc_device.h"
#include "lc_netlink.h"

static struct genl_family lc_genl_family;

#define LC_NL_READ_ONLY "read-only attribute; change it with ip link"

static const struct nla_policy lc_dev_policy[LINKCRYPT_A_DEV_MAX + 1] = {
	[LINKCRYPT_A_DEV_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[LINKCRYPT_A_DEV_IFNAME]	= { .type = NLA_NUL_STRING,
					    .len = IFNAMSIZ - 1 },
	[LINKCRYPT_A_DEV_PORT]		= { .type = NLA_REJECT,
					    .reject_message = LC_NL_READ_ONLY },
	[LINKCRYPT_A_DEV_CIPHER]	= { .type = NLA_REJECT,
					    .reject_message = LC_NL_READ_ONLY },
	[LINKCRYPT_A_DEV_MTU]		= { .type = NLA_REJECT,
					    .reject_message = LC_NL_READ_ONLY },
};

static int lc_nl_fill_dev(struct sk_buff *skb, const struct lc_device *lc,
			  u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &lc_genl_family, flags,
			  LINKCRYPT_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, LINKCRYPT_A_DEV_IFINDEX, lc->dev->ifindex) ||
	    nla_put_string(skb, LINKCRYPT_A_DEV_IFNAME, lc->dev->name) ||
	    nla_put_u16(skb, LINKCRYPT_A_DEV_PORT, lc->port) ||
	    nla_put_u16(skb, LINKCRYPT_A_DEV_CIPHER, lc->cipher) ||
	    nla_put_u32(skb, LINKCRYPT_A_DEV_MTU, lc->dev->mtu)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * The device a request names, by index, by name, or by both when they
 * agree.  Only linkcrypt devices of the caller's namespace qualify.
 */
static struct lc_device *lc_nl_lookup(struct genl_info *info)
{
	struct nlattr *ifindex = info->attrs[LINKCRYPT_A_DEV_IFINDEX];
	struct nlattr *ifname = info->attrs[LINKCRYPT_A_DEV_IFNAME];
	struct net *net = genl_info_net(info);
	struct net_device *dev = NULL, *named;

	ASSERT_RTNL();
	if (ifindex) {
		dev = __dev_get_by_index(net, nla_get_u32(ifindex));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(info->extack, ifindex,
					    "no device with this index in this network namespace");
			return ERR_PTR(-ENODEV);
		}
	}
	if (ifname) {
		named = __dev_get_by_name(net, nla_data(ifname));
		if (!named) {
			NL_SET_ERR_MSG_ATTR(info->extack, ifname,
					    "no device with this name in this network namespace");
			return ERR_PTR(-ENODEV);
		}
		if (dev && dev != named) {
			NL_SET_ERR_MSG_ATTR(info->extack, ifname,
					    "index and name denote different devices");
			return ERR_PTR(-EINVAL);
		}
		dev = named;
	}
	if (!dev) {
		NL_SET_ERR_MSG(info->extack,
			       "a device is needed: give its index or its name");
		return ERR_PTR(-EINVAL);
	}
	if (!lc_device_is(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, ifname ?: ifindex,
				    "not a linkcrypt device");
		return ERR_PTR(-ENODEV);
	}
	return netdev_priv(dev);
}

static int lc_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lc_device *lc;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	lc = lc_nl_lookup(info);
	if (IS_ERR(lc)) {
		err = PTR_ERR(lc);
		goto err_unlock;
	}
	err = lc_nl_fill_dev(msg, lc, info->snd_portid, info->snd_seq, 0);
	if (err)
		goto err_unlock;
	rtnl_unlock();
	return genlmsg_reply(msg, info);

err_unlock:
	rtnl_unlock();
	nlmsg_free(msg);
	return err;
}

/*
 * cb->args[0] counts the linkcrypt devices already sent.  Like every
 * netlink dump this is not a snapshot: devices created or deleted between
 * two rounds may be missed or seen twice.
 */
static int lc_nl_dev_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	long done = 0, skip = cb->args[0];
	struct net_device *dev;
	int err = 0;

	rtnl_lock();
	for_each_netdev(net, dev) {
		if (!lc_device_is(dev) || done++ < skip)
			continue;
		err = lc_nl_fill_dev(skb, netdev_priv(dev),
				     NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err) {
			done--;
			break;
		}
	}
	rtnl_unlock();
	cb->args[0] = done;

	/* A full skb ends this round; the core calls again for the rest. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

static const struct genl_small_ops lc_genl_ops[] = {
	{
		.cmd	= LINKCRYPT_CMD_DEV_GET,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= lc_nl_dev_get_doit,
		.dumpit	= lc_nl_dev_get_dumpit,
	},
};

static struct genl_family lc_genl_family __ro_after_init = {
	.name		= LINKCRYPT_GENL_NAME,
	.version	= LINKCRYPT_GENL_VERSION,
	.maxattr	= LINKCRYPT_A_DEV_MAX,
	.policy		= lc_dev_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.small_ops	= lc_genl_ops,
	.n_small_ops	= ARRAY_SIZE(lc_genl_ops),
	/* No legacy users: validate every command strictly. */
	.resv_start_op	= LINKCRYPT_CMD_DEV_GET,
};

int __init lc_genl_init(void)
{
	return genl_register_family(&lc_genl_family);
}

void lc_genl_uninit(void)
{
	genl_unregister_family(&lc_genl_family);
}
