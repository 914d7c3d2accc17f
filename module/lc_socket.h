/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_SOCKET_H
#define _LC_SOCKET_H

#include <linux/skbuff.h>

struct lc_device;
struct lc_endpoint;

int lc_socket_open(struct lc_device *lc);
void lc_socket_close(struct lc_device *lc);
int lc_socket_send(struct lc_device *lc, const struct lc_endpoint *ep,
		   struct sk_buff *skb, __be16 sport);

/* Delivered by the UDP stack; see lc_receive.c. */
int lc_receive(struct sock *sk, struct sk_buff *skb);

#endif /* _LC_SOCKET_H */
