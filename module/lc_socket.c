// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP sockets of a device, in the namespace it was created in: one for
 * IPv4 and one for IPv6 (v6only), bound to the device's port while the
 * device is up.
 */
#include <linux/in.h>
#include <linux/rtnetlink.h>
#include <net/ip6_route.h>
#include <net/ipv6_stubs.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "lc_device.h"
#include "lc_peer.h"
#include "lc_socket.h"

static int lc_socket_create(struct lc_device *lc, struct udp_port_cfg *cfg,
			    struct socket **sockp)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = lc,
		.encap_type = 1,
		.encap_rcv = lc_receive,
	};
	int err;

	cfg->local_udp_port = htons(lc->port);
	err = udp_sock_create(lc->creating_net, cfg, sockp);
	if (err)
		return err;
	setup_udp_tunnel_sock(lc->creating_net, *sockp, &tcfg);
	return 0;
}

int lc_socket_open(struct lc_device *lc)
{
	struct udp_port_cfg cfg4 = {
		.family = AF_INET,
		.local_ip.s_addr = htonl(INADDR_ANY),
	};
	struct udp_port_cfg cfg6 = {
		.family = AF_INET6,
		.local_ip6 = IN6ADDR_ANY_INIT,
		.ipv6_v6only = 1,
	};
	int err;

	ASSERT_RTNL();
	err = lc_socket_create(lc, &cfg4, &lc->sock4);
	if (err)
		return err;
	/* A namespace may run without IPv6; IPv4 peers still work. */
	err = lc_socket_create(lc, &cfg6, &lc->sock6);
	if (err && err != -EAFNOSUPPORT) {
		udp_tunnel_sock_release(lc->sock4);
		lc->sock4 = NULL;
		return err;
	}
	if (err)
		lc->sock6 = NULL;
	rcu_assign_pointer(lc->sk4, lc->sock4->sk);
	if (lc->sock6)
		rcu_assign_pointer(lc->sk6, lc->sock6->sk);
	return 0;
}

void lc_socket_close(struct lc_device *lc)
{
	ASSERT_RTNL();
	RCU_INIT_POINTER(lc->sk4, NULL);
	RCU_INIT_POINTER(lc->sk6, NULL);
	/* Senders and receivers in RCU sections finish with the old ones. */
	synchronize_net();
	if (lc->sock4)
		udp_tunnel_sock_release(lc->sock4);
	if (lc->sock6)
		udp_tunnel_sock_release(lc->sock6);
	lc->sock4 = NULL;
	lc->sock6 = NULL;
}

static int lc_send4(struct lc_device *lc, struct sock *sk,
		    const struct sockaddr_in *dst, struct sk_buff *skb,
		    __be16 sport)
{
	struct flowi4 fl4 = {
		.daddr = dst->sin_addr.s_addr,
		.fl4_dport = dst->sin_port,
		.fl4_sport = sport,
		.flowi4_proto = IPPROTO_UDP,
	};
	struct rtable *rt;

	rt = ip_route_output_flow(sock_net(sk), &fl4, sk);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	udp_tunnel_xmit_skb(rt, sk, skb, fl4.saddr, fl4.daddr, 0,
			    ip4_dst_hoplimit(&rt->dst), 0, sport, dst->sin_port,
			    !net_eq(sock_net(sk), dev_net(lc->dev)), false);
	return 0;
}

static int lc_send6(struct lc_device *lc, struct sock *sk,
		    const struct sockaddr_in6 *dst, struct sk_buff *skb,
		    __be16 sport)
{
	struct flowi6 fl6 = {
		.daddr = dst->sin6_addr,
		.fl6_dport = dst->sin6_port,
		.fl6_sport = sport,
		.flowi6_proto = IPPROTO_UDP,
		.flowi6_oif = dst->sin6_scope_id,
	};
	struct dst_entry *dst_e;

	dst_e = ipv6_stub->ipv6_dst_lookup_flow(sock_net(sk), sk, &fl6, NULL);
	if (IS_ERR(dst_e))
		return PTR_ERR(dst_e);
	udp_tunnel6_xmit_skb(dst_e, sk, skb, lc->dev, &fl6.saddr, &fl6.daddr,
			     0, ip6_dst_hoplimit(dst_e), 0, sport, dst->sin6_port,
			     false);
	return 0;
}

/*
 * Sends the datagram at skb->data to @ep, from source port @sport; consumes
 * @skb in every case.  The tunnel code counts it in the device's tstats.
 * Called under RCU with bottom halves disabled.
 */
int lc_socket_send(struct lc_device *lc, const struct lc_endpoint *ep,
		   struct sk_buff *skb, __be16 sport)
{
	struct sock *sk;
	int err = -ENETDOWN;

	if (ep->sa.sa_family == AF_INET) {
		sk = rcu_dereference(lc->sk4);
		if (sk)
			err = lc_send4(lc, sk, &ep->in4, skb, sport);
	} else {
		sk = rcu_dereference(lc->sk6);
		if (sk)
			err = lc_send6(lc, sk, &ep->in6, skb, sport);
		else
			err = -EAFNOSUPPORT;
	}
	if (err)
		kfree_skb(skb);
	return err;
}
