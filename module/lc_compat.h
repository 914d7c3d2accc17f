/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where the differences between the kernels linkcrypt builds
 * for (Debian 12's 6.1 and the 6.12 backport) are handled.  Everything else
 * is written against the newer API and uses the helpers below.
 */
#ifndef _LC_COMPAT_H
#define _LC_COMPAT_H

#include <linux/crypto.h>
#include <linux/netdevice.h>
#include <linux/version.h>
#include <net/genetlink.h>

/*
 * Differences are detected by the feature where a macro allows it, so that
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

/*
 * 6.3 changed asynchronous crypto completions from taking the request to
 * taking its data pointer.  Only types changed, which #ifdef cannot see.
 * Completions are declared as: void done(LC_CRYPTO_DONE_ARG arg, int err)
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define LC_CRYPTO_DONE_ARG	crypto_completion_data_t *
#define lc_crypto_done_data(arg)	crypto_get_completion_data(arg)
#else
#define LC_CRYPTO_DONE_ARG	void *
#define lc_crypto_done_data(arg)	(arg)
#endif

/* 6.6 moved the attributes of a dump request into a struct genl_info. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define lc_compat_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#else
#define lc_compat_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#endif

#endif /* _LC_COMPAT_H */
