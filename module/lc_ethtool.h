/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_ETHTOOL_H
#define _LC_ETHTOOL_H

#include <linux/ethtool.h>

extern const struct ethtool_ops lc_ethtool_ops;

#endif /* _LC_ETHTOOL_H */
