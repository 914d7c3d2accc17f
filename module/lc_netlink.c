// SPDX-License-Identifier: GPL-2.0
/*
 * The "linkcrypt" generic netlink family: devices, peers, keys, counters and
 * event notifications.
 *
 * Every command needs CAP_NET_ADMIN in the user namespace that owns the
 * caller's network namespace, sees only the devices of that namespace, and
 * runs under RTNL, which also protects what it reads and changes.  Requests
 * are validated strictly by the policies below before a handler runs.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <uapi/linux/linkcrypt.h>

#include "lc_compat.h"
#include "lc_consts.h"
#include "lc_device.h"
#include "lc_netlink.h"
#include "lc_peer.h"

static struct genl_family lc_genl_family;

#define LC_NL_READ_ONLY "read-only attribute"
#define LC_NL_IP_LINK	LC_NL_READ_ONLY "; change it with ip link"

static const struct nla_policy lc_mac_policy[LINKCRYPT_A_MAC_MAX + 1] = {
	[LINKCRYPT_A_MAC_ADDR]		= NLA_POLICY_ETH_ADDR,
};

static const struct nla_policy lc_key_policy[LINKCRYPT_A_KEY_MAX + 1] = {
	[LINKCRYPT_A_KEY_DIR]		= NLA_POLICY_RANGE(NLA_U8, LINKCRYPT_KEY_DIR_TX,
							   LINKCRYPT_KEY_DIR_RX),
	[LINKCRYPT_A_KEY_SLOT]		= NLA_POLICY_MAX(NLA_U8,
							 LINKCRYPT_KEY_SLOT_SECONDARY),
	[LINKCRYPT_A_KEY_ID]		= { .type = NLA_U8 },
	[LINKCRYPT_A_KEY_MATERIAL]	= NLA_POLICY_EXACT_LEN(LINKCRYPT_MATERIAL_LEN),
	[LINKCRYPT_A_KEY_SOFT_PACKETS]	= { .type = NLA_U64 },
	[LINKCRYPT_A_KEY_HARD_PACKETS]	= { .type = NLA_U64 },
	[LINKCRYPT_A_KEY_SOFT_BYTES]	= { .type = NLA_U64 },
	[LINKCRYPT_A_KEY_HARD_BYTES]	= { .type = NLA_U64 },
	[LINKCRYPT_A_KEY_SOFT_SECONDS]	= { .type = NLA_U32 },
	[LINKCRYPT_A_KEY_HARD_SECONDS]	= { .type = NLA_U32 },
	[LINKCRYPT_A_KEY_PACKETS]	= { .type = NLA_REJECT, .reject_message = LC_NL_READ_ONLY },
	[LINKCRYPT_A_KEY_BYTES]		= { .type = NLA_REJECT, .reject_message = LC_NL_READ_ONLY },
	[LINKCRYPT_A_KEY_AUTH_FAILURES]	= { .type = NLA_REJECT, .reject_message = LC_NL_READ_ONLY },
	[LINKCRYPT_A_KEY_REPLAYS]	= { .type = NLA_REJECT, .reject_message = LC_NL_READ_ONLY },
	[LINKCRYPT_A_KEY_AGE_SECONDS]	= { .type = NLA_REJECT, .reject_message = LC_NL_READ_ONLY },
	[LINKCRYPT_A_KEY_FLAGS]		= { .type = NLA_REJECT, .reject_message = LC_NL_READ_ONLY },
	[LINKCRYPT_A_KEY_PAD]		= { .type = NLA_REJECT },
};

static const struct nla_policy lc_peer_policy[LINKCRYPT_A_PEER_MAX + 1] = {
	[LINKCRYPT_A_PEER_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[LINKCRYPT_A_PEER_REMOTE_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[LINKCRYPT_A_PEER_ENDPOINT_IP4]	= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[LINKCRYPT_A_PEER_ENDPOINT_IP6]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[LINKCRYPT_A_PEER_ENDPOINT_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[LINKCRYPT_A_PEER_MACS]		= NLA_POLICY_NESTED(lc_mac_policy),
	[LINKCRYPT_A_PEER_KEY]		= NLA_POLICY_NESTED(lc_key_policy),
	[LINKCRYPT_A_PEER_STATS]	= { .type = NLA_REJECT, .reject_message = LC_NL_READ_ONLY },
	[LINKCRYPT_A_PEER_LAST_RX_MSECS] = { .type = NLA_REJECT,
					     .reject_message = LC_NL_READ_ONLY },
	[LINKCRYPT_A_PEER_PAD]		= { .type = NLA_REJECT },
};

static const struct nla_policy lc_dev_policy[LINKCRYPT_A_DEV_MAX + 1] = {
	[LINKCRYPT_A_DEV_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[LINKCRYPT_A_DEV_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[LINKCRYPT_A_DEV_PORT]		= { .type = NLA_REJECT,
					    .reject_message = LC_NL_IP_LINK },
	[LINKCRYPT_A_DEV_CIPHER]	= { .type = NLA_REJECT,
					    .reject_message = LC_NL_IP_LINK },
	[LINKCRYPT_A_DEV_MTU]		= { .type = NLA_REJECT,
					    .reject_message = LC_NL_IP_LINK },
	[LINKCRYPT_A_DEV_PEER]		= NLA_POLICY_NESTED(lc_peer_policy),
	[LINKCRYPT_A_DEV_STATS]		= { .type = NLA_REJECT, .reject_message = LC_NL_READ_ONLY },
	[LINKCRYPT_A_DEV_EVENT]		= { .type = NLA_REJECT, .reject_message = LC_NL_READ_ONLY },
	[LINKCRYPT_A_DEV_PEERS]		= { .type = NLA_REJECT, .reject_message = LC_NL_READ_ONLY },
	[LINKCRYPT_A_DEV_CRYPTO]	= { .type = NLA_REJECT,
					    .reject_message = LC_NL_IP_LINK },
};

/* --- Replies ----------------------------------------------------------- */

static int lc_nl_put_stats(struct sk_buff *skb, int type,
			   struct lc_stats __percpu *stats)
{
	u64 sum[LINKCRYPT_A_STATS_MAX + 1];
	struct nlattr *nest;
	int i;

	lc_stats_read(stats, sum);
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = LINKCRYPT_A_STATS_TX_PACKETS; i <= LINKCRYPT_A_STATS_MAX; i++) {
		if (i == LINKCRYPT_A_STATS_PAD)
			continue;
		if (nla_put_u64_64bit(skb, i, sum[i], LINKCRYPT_A_STATS_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int lc_nl_put_dev_id(struct sk_buff *skb, const struct lc_device *lc)
{
	if (nla_put_u32(skb, LINKCRYPT_A_DEV_IFINDEX, lc->dev->ifindex) ||
	    nla_put_string(skb, LINKCRYPT_A_DEV_IFNAME, lc->dev->name))
		return -EMSGSIZE;
	return 0;
}

static int lc_nl_fill_dev(struct sk_buff *skb, struct lc_device *lc,
			  u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &lc_genl_family, flags,
			  LINKCRYPT_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (lc_nl_put_dev_id(skb, lc) ||
	    nla_put_u16(skb, LINKCRYPT_A_DEV_PORT, lc->port) ||
	    nla_put_u16(skb, LINKCRYPT_A_DEV_CIPHER, lc->cipher) ||
	    nla_put_u32(skb, LINKCRYPT_A_DEV_MTU, lc->dev->mtu) ||
	    nla_put_u32(skb, LINKCRYPT_A_DEV_PEERS, lc->npeers) ||
	    nla_put_u8(skb, LINKCRYPT_A_DEV_CRYPTO, READ_ONCE(lc->crypto)) ||
	    lc_nl_put_stats(skb, LINKCRYPT_A_DEV_STATS, lc->stats)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int lc_nl_put_u64(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, LINKCRYPT_A_KEY_PAD);
}

static int lc_nl_put_key(struct sk_buff *skb, const struct lc_key *key,
			 int slot)
{
	const struct lc_key_limits *l = &key->limits;
	struct nlattr *nest = nla_nest_start(skb, LINKCRYPT_A_PEER_KEY);
	u32 flags = lc_key_uapi_flags(key);

	if (!nest)
		return -EMSGSIZE;
	/* Metadata and counters only: key material never leaves the kernel. */
	if (nla_put_u8(skb, LINKCRYPT_A_KEY_DIR, key->dir) ||
	    nla_put_u8(skb, LINKCRYPT_A_KEY_SLOT, slot) ||
	    nla_put_u8(skb, LINKCRYPT_A_KEY_ID, key->id) ||
	    lc_nl_put_u64(skb, LINKCRYPT_A_KEY_SOFT_PACKETS, l->soft_packets) ||
	    lc_nl_put_u64(skb, LINKCRYPT_A_KEY_HARD_PACKETS, l->hard_packets) ||
	    lc_nl_put_u64(skb, LINKCRYPT_A_KEY_SOFT_BYTES, l->soft_bytes) ||
	    lc_nl_put_u64(skb, LINKCRYPT_A_KEY_HARD_BYTES, l->hard_bytes) ||
	    nla_put_u32(skb, LINKCRYPT_A_KEY_SOFT_SECONDS, l->soft_seconds) ||
	    nla_put_u32(skb, LINKCRYPT_A_KEY_HARD_SECONDS, l->hard_seconds) ||
	    lc_nl_put_u64(skb, LINKCRYPT_A_KEY_PACKETS, atomic64_read(&key->packets)) ||
	    lc_nl_put_u64(skb, LINKCRYPT_A_KEY_BYTES, atomic64_read(&key->bytes)) ||
	    lc_nl_put_u64(skb, LINKCRYPT_A_KEY_AUTH_FAILURES,
			  atomic64_read(&key->auth_failures)) ||
	    lc_nl_put_u64(skb, LINKCRYPT_A_KEY_REPLAYS, atomic64_read(&key->replays)) ||
	    nla_put_u32(skb, LINKCRYPT_A_KEY_AGE_SECONDS, lc_key_age(key)) ||
	    nla_put_u32(skb, LINKCRYPT_A_KEY_FLAGS, flags))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int lc_nl_put_endpoint(struct sk_buff *skb, const struct lc_endpoint *ep)
{
	if (ep->sa.sa_family == AF_INET)
		return nla_put_in_addr(skb, LINKCRYPT_A_PEER_ENDPOINT_IP4,
				       ep->in4.sin_addr.s_addr) ?:
		       nla_put_u16(skb, LINKCRYPT_A_PEER_ENDPOINT_PORT,
				   ntohs(ep->in4.sin_port));
	return nla_put_in6_addr(skb, LINKCRYPT_A_PEER_ENDPOINT_IP6,
				&ep->in6.sin6_addr) ?:
	       nla_put_u16(skb, LINKCRYPT_A_PEER_ENDPOINT_PORT,
			   ntohs(ep->in6.sin6_port));
}

static int lc_nl_put_macs(struct sk_buff *skb, struct lc_peer *peer)
{
	u8 *macs;
	struct nlattr *nest;
	int i, n, err = -EMSGSIZE;

	macs = kmalloc_array(LC_PEER_MAX_MACS, ETH_ALEN, GFP_KERNEL);
	if (!macs)
		return -ENOMEM;
	n = lc_fdb_static_of(&peer->lc->fdb, peer, macs, LC_PEER_MAX_MACS);
	nest = nla_nest_start(skb, LINKCRYPT_A_PEER_MACS);
	if (!nest)
		goto out;
	for (i = 0; i < n; i++)
		if (nla_put(skb, LINKCRYPT_A_MAC_ADDR, ETH_ALEN, macs + i * ETH_ALEN))
			goto out;
	nla_nest_end(skb, nest);
	err = 0;
out:
	kfree(macs);
	return err;
}

static int lc_nl_put_peer(struct sk_buff *skb, struct lc_peer *peer)
{
	unsigned long last_rx = READ_ONCE(peer->last_rx);
	struct nlattr *nest;
	int d, s;

	nest = nla_nest_start(skb, LINKCRYPT_A_DEV_PEER);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, LINKCRYPT_A_PEER_ID, peer->id) ||
	    nla_put_u32(skb, LINKCRYPT_A_PEER_REMOTE_ID, peer->remote_id) ||
	    lc_nl_put_endpoint(skb, rtnl_dereference(peer->endpoint)) ||
	    lc_nl_put_macs(skb, peer) ||
	    lc_nl_put_stats(skb, LINKCRYPT_A_PEER_STATS, peer->stats))
		return -EMSGSIZE;
	if (last_rx &&
	    nla_put_u64_64bit(skb, LINKCRYPT_A_PEER_LAST_RX_MSECS,
			      jiffies_to_msecs(jiffies - last_rx), LINKCRYPT_A_PEER_PAD))
		return -EMSGSIZE;
	for (d = 0; d < 2; d++) {
		for (s = 0; s < 2; s++) {
			struct lc_key *key = rtnl_dereference(peer->keys[d][s]);

			if (key && lc_nl_put_key(skb, key, s))
				return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int lc_nl_fill_peer(struct sk_buff *skb, struct lc_peer *peer,
			   u32 portid, u32 seq, int flags)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &lc_genl_family, flags,
			  LINKCRYPT_CMD_PEER_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (lc_nl_put_dev_id(skb, peer->lc) || lc_nl_put_peer(skb, peer)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* --- Requests ---------------------------------------------------------- */

/*
 * The device a request names, by index, by name, or by both when they
 * agree.  Only linkcrypt devices of the caller's namespace qualify.
 */
static struct lc_device *lc_nl_lookup(struct net *net, struct nlattr **attrs,
				      struct netlink_ext_ack *extack)
{
	struct nlattr *ifindex = attrs[LINKCRYPT_A_DEV_IFINDEX];
	struct nlattr *ifname = attrs[LINKCRYPT_A_DEV_IFNAME];
	struct net_device *dev = NULL, *named;

	ASSERT_RTNL();
	if (ifindex) {
		dev = __dev_get_by_index(net, nla_get_u32(ifindex));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, ifindex,
					    "no device with this index in this network namespace");
			return ERR_PTR(-ENODEV);
		}
	}
	if (ifname) {
		named = __dev_get_by_name(net, nla_data(ifname));
		if (!named) {
			NL_SET_ERR_MSG_ATTR(extack, ifname,
					    "no device with this name in this network namespace");
			return ERR_PTR(-ENODEV);
		}
		if (dev && dev != named) {
			NL_SET_ERR_MSG_ATTR(extack, ifname,
					    "index and name denote different devices");
			return ERR_PTR(-EINVAL);
		}
		dev = named;
	}
	if (!dev) {
		NL_SET_ERR_MSG(extack, "a device is needed: give its index or its name");
		return ERR_PTR(-EINVAL);
	}
	if (!lc_device_is(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, ifname ?: ifindex, "not a linkcrypt device");
		return ERR_PTR(-ENODEV);
	}
	return netdev_priv(dev);
}

static struct lc_device *lc_nl_info_lookup(struct genl_info *info)
{
	return lc_nl_lookup(genl_info_net(info), info->attrs, info->extack);
}

/* The LINKCRYPT_A_DEV_PEER nest of a request, parsed into @pa. */
static int lc_nl_parse_peer(struct genl_info *info, struct nlattr **pa,
			    bool need_id)
{
	struct nlattr *nest = info->attrs[LINKCRYPT_A_DEV_PEER];
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(info->extack, "a peer is needed (LINKCRYPT_A_DEV_PEER)");
		return -EINVAL;
	}
	err = nla_parse_nested(pa, LINKCRYPT_A_PEER_MAX, nest, lc_peer_policy,
			       info->extack);
	if (err)
		return err;
	if (need_id && !pa[LINKCRYPT_A_PEER_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest, "the peer's id is needed");
		return -EINVAL;
	}
	return 0;
}

static struct lc_peer *lc_nl_peer(struct lc_device *lc, struct nlattr **pa,
				  struct netlink_ext_ack *extack)
{
	struct lc_peer *peer;

	peer = lc_peer_lookup(lc, nla_get_u32(pa[LINKCRYPT_A_PEER_ID]));
	if (!peer) {
		NL_SET_ERR_MSG_ATTR(extack, pa[LINKCRYPT_A_PEER_ID],
				    "no peer with this id on this device");
		return ERR_PTR(-ENOENT);
	}
	return peer;
}

/* Under RTNL: the existing peer a request names (and, by it, the device). */
static struct lc_peer *lc_nl_request_peer(struct genl_info *info,
					  struct nlattr **pa)
{
	struct lc_device *lc = lc_nl_info_lookup(info);
	int err;

	if (IS_ERR(lc))
		return ERR_CAST(lc);
	err = lc_nl_parse_peer(info, pa, true);
	if (err)
		return ERR_PTR(err);
	return lc_nl_peer(lc, pa, info->extack);
}

/*
 * The endpoint a request gives, merged with @old for the parts it leaves
 * out.  Returns 1 if the request names an endpoint at all.
 */
static int lc_nl_endpoint(struct nlattr **pa, const struct lc_endpoint *old,
			  struct sockaddr_storage *ss,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *ip4 = pa[LINKCRYPT_A_PEER_ENDPOINT_IP4];
	struct nlattr *ip6 = pa[LINKCRYPT_A_PEER_ENDPOINT_IP6];
	struct nlattr *port = pa[LINKCRYPT_A_PEER_ENDPOINT_PORT];
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (!ip4 && !ip6 && !port)
		return 0;
	if (ip4 && ip6) {
		NL_SET_ERR_MSG_ATTR(extack, ip6, "give one endpoint address, IPv4 or IPv6");
		return -EINVAL;
	}
	if (!ip4 && !ip6) {
		if (!old) {
			NL_SET_ERR_MSG_ATTR(extack, port, "an endpoint address is needed");
			return -EINVAL;
		}
		memcpy(ss, &old->sa, old->sa.sa_family == AF_INET ?
		       sizeof(old->in4) : sizeof(old->in6));
	} else if (ip4) {
		in4->sin_family = AF_INET;
		in4->sin_addr.s_addr = nla_get_in_addr(ip4);
		if (ipv4_is_multicast(in4->sin_addr.s_addr) ||
		    ipv4_is_zeronet(in4->sin_addr.s_addr) ||
		    ipv4_is_lbcast(in4->sin_addr.s_addr)) {
			NL_SET_ERR_MSG_ATTR(extack, ip4, "endpoint must be a unicast address");
			return -EINVAL;
		}
	} else {
		in6->sin6_family = AF_INET6;
		in6->sin6_addr = nla_get_in6_addr(ip6);
		if (ipv6_addr_is_multicast(&in6->sin6_addr) ||
		    ipv6_addr_any(&in6->sin6_addr)) {
			NL_SET_ERR_MSG_ATTR(extack, ip6, "endpoint must be a unicast address");
			return -EINVAL;
		}
	}
	if (port) {
		__be16 p = htons(nla_get_u16(port));

		if (ss->ss_family == AF_INET)
			in4->sin_port = p;
		else
			in6->sin6_port = p;
		return 1;
	}
	if (!old || old->sa.sa_family != ss->ss_family) {
		NL_SET_ERR_MSG_ATTR(extack, ip4 ?: ip6, "an endpoint port is needed");
		return -EINVAL;
	}
	if (ss->ss_family == AF_INET)
		in4->sin_port = old->in4.sin_port;
	else
		in6->sin6_port = old->in6.sin6_port;
	return 1;
}

/* Static MACs of a request into @macs; returns how many, or -errno. */
static int lc_nl_macs(struct nlattr *nest, u8 *macs,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *attr;
	int rem, n = 0;

	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) != LINKCRYPT_A_MAC_ADDR)
			continue;
		if (n == LC_PEER_MAX_MACS) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "too many static MAC addresses");
			return -E2BIG;
		}
		if (!is_valid_ether_addr(nla_data(attr))) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "a static MAC address must be unicast and not zero");
			return -EINVAL;
		}
		ether_addr_copy(macs + n++ * ETH_ALEN, nla_data(attr));
	}
	return n;
}

static int lc_nl_set_macs(struct lc_peer *peer, struct nlattr *nest,
			  struct netlink_ext_ack *extack)
{
	u8 *macs;
	int n;

	macs = kmalloc_array(LC_PEER_MAX_MACS, ETH_ALEN, GFP_KERNEL);
	if (!macs)
		return -ENOMEM;
	n = lc_nl_macs(nest, macs, extack);
	if (n >= 0)
		n = lc_fdb_set_static(&peer->lc->fdb, peer, macs, n, extack);
	kfree(macs);
	return n;
}

/* --- Commands ---------------------------------------------------------- */

static int lc_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lc_device *lc;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rtnl_lock();
	lc = lc_nl_info_lookup(info);
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

static int lc_nl_peer_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *pa[LINKCRYPT_A_PEER_MAX + 1];
	struct sockaddr_storage ss;
	struct lc_device *lc;
	struct lc_peer *peer;
	int err;

	rtnl_lock();
	lc = lc_nl_info_lookup(info);
	err = PTR_ERR_OR_ZERO(lc);
	if (err)
		goto out;
	err = lc_nl_parse_peer(info, pa, true);
	if (err)
		goto out;
	if (!pa[LINKCRYPT_A_PEER_REMOTE_ID]) {
		NL_SET_ERR_MSG(info->extack, "the peer's remote id is needed");
		err = -EINVAL;
		goto out;
	}
	err = lc_nl_endpoint(pa, NULL, &ss, info->extack);
	if (err <= 0) {
		if (!err)
			NL_SET_ERR_MSG(info->extack, "the peer's endpoint is needed");
		err = err ?: -EINVAL;
		goto out;
	}
	peer = lc_peer_create(lc, nla_get_u32(pa[LINKCRYPT_A_PEER_ID]),
			      nla_get_u32(pa[LINKCRYPT_A_PEER_REMOTE_ID]),
			      (struct sockaddr *)&ss);
	err = PTR_ERR_OR_ZERO(peer);
	if (err) {
		if (err == -EEXIST)
			NL_SET_ERR_MSG_ATTR(info->extack, pa[LINKCRYPT_A_PEER_ID],
					    "a peer with this id exists on this device");
		goto out;
	}
	if (pa[LINKCRYPT_A_PEER_MACS]) {
		err = lc_nl_set_macs(peer, pa[LINKCRYPT_A_PEER_MACS], info->extack);
		if (err)
			lc_peer_remove(peer);
	}
out:
	rtnl_unlock();
	return err;
}

static int lc_nl_peer_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *pa[LINKCRYPT_A_PEER_MAX + 1];
	struct sockaddr_storage ss;
	struct lc_peer *peer;
	int err, has_ep;

	rtnl_lock();
	peer = lc_nl_request_peer(info, pa);
	err = PTR_ERR_OR_ZERO(peer);
	if (err)
		goto out;
	has_ep = lc_nl_endpoint(pa, rtnl_dereference(peer->endpoint), &ss,
				info->extack);
	err = has_ep < 0 ? has_ep : 0;
	if (err)
		goto out;
	/* What can be refused comes first, what cannot fail last. */
	if (pa[LINKCRYPT_A_PEER_MACS]) {
		err = lc_nl_set_macs(peer, pa[LINKCRYPT_A_PEER_MACS], info->extack);
		if (err)
			goto out;
	}
	if (has_ep) {
		err = lc_peer_set_endpoint(peer, (struct sockaddr *)&ss);
		if (err)
			goto out;
	}
	if (pa[LINKCRYPT_A_PEER_REMOTE_ID])
		WRITE_ONCE(peer->remote_id,
			   nla_get_u32(pa[LINKCRYPT_A_PEER_REMOTE_ID]));
out:
	rtnl_unlock();
	return err;
}

static int lc_nl_peer_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *pa[LINKCRYPT_A_PEER_MAX + 1];
	struct lc_peer *peer;
	int err;

	rtnl_lock();
	peer = lc_nl_request_peer(info, pa);
	err = PTR_ERR_OR_ZERO(peer);
	if (!err)
		lc_peer_remove(peer);
	rtnl_unlock();
	return err;
}

static int lc_nl_peer_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *pa[LINKCRYPT_A_PEER_MAX + 1];
	struct lc_peer *peer;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	peer = lc_nl_request_peer(info, pa);
	err = PTR_ERR_OR_ZERO(peer);
	if (err)
		goto err_unlock;
	err = lc_nl_fill_peer(msg, peer, info->snd_portid, info->snd_seq, 0);
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
 * Every peer of the device the request names, in id order: cb->args[0]
 * holds the device's ifindex, cb->args[1] the next id to send.
 */
static int lc_nl_peer_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct lc_device *lc;
	struct lc_peer *peer;
	unsigned long id;
	int err = 0;

	rtnl_lock();
	lc = lc_nl_lookup(sock_net(skb->sk), lc_compat_dump_attrs(cb), cb->extack);
	if (IS_ERR(lc)) {
		err = PTR_ERR(lc);
		goto out;
	}
	if (cb->args[0] && cb->args[0] != lc->dev->ifindex)
		goto out;	/* the device went between two rounds */
	cb->args[0] = lc->dev->ifindex;
	xa_for_each_start(&lc->peer_xa, id, peer, cb->args[1]) {
		err = lc_nl_fill_peer(skb, peer, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI);
		if (err)
			break;
		cb->args[1] = id + 1;
	}
out:
	rtnl_unlock();
	if (err && !skb->len)
		return err;
	return skb->len;
}

/* The key nest of a key command, with its direction (required). */
static int lc_nl_parse_key(struct genl_info *info, struct nlattr **pa,
			   struct nlattr **ka)
{
	int err;

	if (!pa[LINKCRYPT_A_PEER_KEY]) {
		NL_SET_ERR_MSG(info->extack, "a key is needed (LINKCRYPT_A_PEER_KEY)");
		return -EINVAL;
	}
	err = nla_parse_nested(ka, LINKCRYPT_A_KEY_MAX, pa[LINKCRYPT_A_PEER_KEY],
			       lc_key_policy, info->extack);
	if (err)
		return err;
	if (!ka[LINKCRYPT_A_KEY_DIR]) {
		NL_SET_ERR_MSG_ATTR(info->extack, pa[LINKCRYPT_A_PEER_KEY],
				    "the key's direction is needed");
		return -EINVAL;
	}
	return 0;
}

static u64 lc_nl_u64(struct nlattr *attr)
{
	return attr ? nla_get_u64(attr) : 0;
}

static u32 lc_nl_u32(struct nlattr *attr)
{
	return attr ? nla_get_u32(attr) : 0;
}

static int lc_nl_key_install(struct lc_device *lc, struct lc_peer *peer,
			     struct nlattr **ka, struct netlink_ext_ack *extack)
{
	u8 dir = nla_get_u8(ka[LINKCRYPT_A_KEY_DIR]);
	u8 slot = ka[LINKCRYPT_A_KEY_SLOT] ? nla_get_u8(ka[LINKCRYPT_A_KEY_SLOT]) :
		  LINKCRYPT_KEY_SLOT_PRIMARY;
	struct lc_key_limits limits = {
		.soft_packets = lc_nl_u64(ka[LINKCRYPT_A_KEY_SOFT_PACKETS]),
		.hard_packets = lc_nl_u64(ka[LINKCRYPT_A_KEY_HARD_PACKETS]),
		.soft_bytes = lc_nl_u64(ka[LINKCRYPT_A_KEY_SOFT_BYTES]),
		.hard_bytes = lc_nl_u64(ka[LINKCRYPT_A_KEY_HARD_BYTES]),
		.soft_seconds = lc_nl_u32(ka[LINKCRYPT_A_KEY_SOFT_SECONDS]),
		.hard_seconds = lc_nl_u32(ka[LINKCRYPT_A_KEY_HARD_SECONDS]),
	};
	struct lc_key *key, *other;
	u8 id;

	if (!ka[LINKCRYPT_A_KEY_ID] || !ka[LINKCRYPT_A_KEY_MATERIAL]) {
		NL_SET_ERR_MSG(extack, "a key needs its id and its material");
		return -EINVAL;
	}
	id = nla_get_u8(ka[LINKCRYPT_A_KEY_ID]);
	if (rtnl_dereference(peer->keys[LC_DIR(dir)][slot])) {
		NL_SET_ERR_MSG_ATTR(extack, ka[LINKCRYPT_A_KEY_SLOT],
				    "the slot holds a key; delete it or swap first");
		return -EEXIST;
	}
	other = rtnl_dereference(peer->keys[LC_DIR(dir)][!slot]);
	if (dir == LINKCRYPT_KEY_DIR_RX && other && other->id == id) {
		NL_SET_ERR_MSG_ATTR(extack, ka[LINKCRYPT_A_KEY_ID],
				    "the other RX slot holds a key with this id");
		return -EEXIST;
	}
	key = lc_key_create(lc->cipher, dir, id, nla_data(ka[LINKCRYPT_A_KEY_MATERIAL]),
			    &limits);
	/* Our copy of the material is in the transform now. */
	memzero_explicit(nla_data(ka[LINKCRYPT_A_KEY_MATERIAL]), LINKCRYPT_MATERIAL_LEN);
	if (IS_ERR(key)) {
		NL_SET_ERR_MSG(extack, "the crypto API refused the key");
		return PTR_ERR(key);
	}
	rcu_assign_pointer(peer->keys[LC_DIR(dir)][slot], key);
	return 0;
}

static int lc_nl_key_swap(struct lc_peer *peer, struct nlattr **ka,
			  struct netlink_ext_ack *extack)
{
	u8 d = LC_DIR(nla_get_u8(ka[LINKCRYPT_A_KEY_DIR]));
	struct lc_key *primary = rtnl_dereference(peer->keys[d][LINKCRYPT_KEY_SLOT_PRIMARY]);
	struct lc_key *secondary = rtnl_dereference(peer->keys[d][LINKCRYPT_KEY_SLOT_SECONDARY]);

	if (!secondary) {
		NL_SET_ERR_MSG(extack, "no secondary key to swap in");
		return -ENOENT;
	}
	/* Frames already under way finish with the key they took. */
	rcu_assign_pointer(peer->keys[d][LINKCRYPT_KEY_SLOT_PRIMARY], secondary);
	rcu_assign_pointer(peer->keys[d][LINKCRYPT_KEY_SLOT_SECONDARY], primary);
	return 0;
}

static int lc_nl_key_del(struct lc_peer *peer, struct nlattr **ka,
			 struct netlink_ext_ack *extack)
{
	u8 d = LC_DIR(nla_get_u8(ka[LINKCRYPT_A_KEY_DIR]));
	u8 slot = ka[LINKCRYPT_A_KEY_SLOT] ? nla_get_u8(ka[LINKCRYPT_A_KEY_SLOT]) :
		  LINKCRYPT_KEY_SLOT_PRIMARY;
	struct lc_key *key = rtnl_dereference(peer->keys[d][slot]);

	if (!key) {
		NL_SET_ERR_MSG(extack, "no key in this slot");
		return -ENOENT;
	}
	RCU_INIT_POINTER(peer->keys[d][slot], NULL);
	lc_key_put(key);
	return 0;
}

static int lc_nl_key_cmd(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *pa[LINKCRYPT_A_PEER_MAX + 1];
	struct nlattr *ka[LINKCRYPT_A_KEY_MAX + 1];
	struct lc_peer *peer;
	int err;

	rtnl_lock();
	peer = lc_nl_request_peer(info, pa);
	err = PTR_ERR_OR_ZERO(peer);
	if (err)
		goto out;
	err = lc_nl_parse_key(info, pa, ka);
	if (err)
		goto out;

	switch (info->genlhdr->cmd) {
	case LINKCRYPT_CMD_KEY_NEW:
		err = lc_nl_key_install(peer->lc, peer, ka, info->extack);
		break;
	case LINKCRYPT_CMD_KEY_SWAP:
		err = lc_nl_key_swap(peer, ka, info->extack);
		break;
	default:
		err = lc_nl_key_del(peer, ka, info->extack);
		break;
	}
out:
	rtnl_unlock();
	return err;
}

/* --- Events ------------------------------------------------------------ */

static int lc_nl_key_slot(struct lc_peer *peer, const struct lc_key *key)
{
	int s;

	for (s = 0; s < 2; s++)
		if (rcu_access_pointer(peer->keys[LC_DIR(key->dir)][s]) == key)
			return s;
	return -1;
}

/*
 * Tells the "events" group about @peer (and @key, if any).  From the data
 * path, in atomic context; lost if memory is short, like any notification.
 */
void lc_nl_event(struct lc_peer *peer, struct lc_key *key, u32 event)
{
	struct net *net = dev_net(peer->lc->dev);
	struct nlattr *pnest, *knest;
	char name[IFNAMSIZ];
	struct sk_buff *msg;
	void *hdr;
	int slot;

	if (!genl_has_listeners(&lc_genl_family, net, 0))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &lc_genl_family, 0, LINKCRYPT_CMD_EVENT);
	if (!hdr)
		goto err;
	/*
	 * No RTNL here: copy the name once, so that a concurrent rename can
	 * at worst give an old or mixed name, never a malformed attribute.
	 */
	strscpy(name, peer->lc->dev->name, sizeof(name));
	if (nla_put_u32(msg, LINKCRYPT_A_DEV_IFINDEX, peer->lc->dev->ifindex) ||
	    nla_put_string(msg, LINKCRYPT_A_DEV_IFNAME, name) ||
	    nla_put_u32(msg, LINKCRYPT_A_DEV_EVENT, event))
		goto err;
	pnest = nla_nest_start(msg, LINKCRYPT_A_DEV_PEER);
	if (!pnest || nla_put_u32(msg, LINKCRYPT_A_PEER_ID, peer->id))
		goto err;
	if (key) {
		knest = nla_nest_start(msg, LINKCRYPT_A_PEER_KEY);
		slot = lc_nl_key_slot(peer, key);
		if (!knest || nla_put_u8(msg, LINKCRYPT_A_KEY_DIR, key->dir) ||
		    nla_put_u8(msg, LINKCRYPT_A_KEY_ID, key->id) ||
		    (slot >= 0 && nla_put_u8(msg, LINKCRYPT_A_KEY_SLOT, slot)))
			goto err;
		nla_nest_end(msg, knest);
	}
	nla_nest_end(msg, pnest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&lc_genl_family, net, msg, 0, 0, GFP_ATOMIC);
	return;
err:
	nlmsg_free(msg);
}

static const struct genl_small_ops lc_genl_ops[] = {
	{
		.cmd	= LINKCRYPT_CMD_DEV_GET,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= lc_nl_dev_get_doit,
		.dumpit	= lc_nl_dev_get_dumpit,
	},
	{
		.cmd	= LINKCRYPT_CMD_PEER_NEW,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= lc_nl_peer_new,
	},
	{
		.cmd	= LINKCRYPT_CMD_PEER_SET,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= lc_nl_peer_set,
	},
	{
		.cmd	= LINKCRYPT_CMD_PEER_DEL,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= lc_nl_peer_del,
	},
	{
		.cmd	= LINKCRYPT_CMD_PEER_GET,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= lc_nl_peer_get_doit,
		.dumpit	= lc_nl_peer_get_dumpit,
	},
	{
		.cmd	= LINKCRYPT_CMD_KEY_NEW,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= lc_nl_key_cmd,
	},
	{
		.cmd	= LINKCRYPT_CMD_KEY_SWAP,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= lc_nl_key_cmd,
	},
	{
		.cmd	= LINKCRYPT_CMD_KEY_DEL,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= lc_nl_key_cmd,
	},
};

static const struct genl_multicast_group lc_genl_mcgrps[] = {
	{ .name = LINKCRYPT_MCGRP_EVENTS },
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
	.mcgrps		= lc_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(lc_genl_mcgrps),
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
