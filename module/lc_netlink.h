/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_NETLINK_H
#define _LC_NETLINK_H

#include <linux/types.h>

struct lc_key;
struct lc_peer;

int lc_genl_init(void);
void lc_genl_uninit(void);
void lc_nl_event(struct lc_peer *peer, struct lc_key *key, u32 event);

#endif /* _LC_NETLINK_H */
