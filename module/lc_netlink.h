/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_NETLINK_H
#define _LC_NETLINK_H

int lc_genl_init(void);
void lc_genl_uninit(void);

#endif /* _LC_NETLINK_H */
