/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where the differences between the kernels linkcrypt builds
 * for (Debian 12's 6.1 and the 6.12 backport) are handled.  Everything else
 * is written against the newer API and uses the helpers below.
 */
#ifndef _LC_COMPAT_H
#define _LC_COMPAT_H

#include <linux/netdevice.h>

/*
 * Differences are detected by the feature, not the version number, so that
 * a stable kernel carrying a backport is handled right.
 */

/* 6.12 replaced the NETIF_F_LLTX feature bit with dev->lltx. */
static inline void lc_compat_set_lltx(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

#endif /* _LC_COMPAT_H */
