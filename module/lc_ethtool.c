// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool: driver information, link state and the counters of a device
 * for "ethtool -S".
 *
 * The counters are the ones netlink reports (enum linkcrypt_stats_attrs),
 * for the whole device: the device's own drops plus the counters of every
 * peer it has now, and the drops charged to the keys installed now.  A
 * deleted peer or key takes its share with it.  Per-peer and per-key values
 * are in "lcctl show".
 *
 * Locking: the peers and their key slots are read under RCU; the counters
 * are per CPU or atomic, so nothing here blocks the data path.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

#include "lc_consts.h"
#include "lc_device.h"
#include "lc_ethtool.h"
#include "lc_key.h"
#include "lc_peer.h"

/* Where the value of an ethtool counter comes from. */
enum lc_ethtool_source {
	LC_ETS_STATS,		/* device + peers, .attr in linkcrypt_stats_attrs */
	LC_ETS_PEERS,		/* number of peers */
	LC_ETS_KEYS,		/* number of installed keys */
	LC_ETS_KEY_AUTH,	/* auth failures of the installed keys */
	LC_ETS_KEY_REPLAYS,	/* replays of the installed keys */
};

struct lc_ethtool_stat {
	char name[ETH_GSTRING_LEN];
	u8 source;
	u8 attr;
};

#define LC_ETS(_name, _attr) \
	{ .name = _name, .source = LC_ETS_STATS, .attr = LINKCRYPT_A_STATS_##_attr }
#define LC_ETS_OTHER(_name, _source) \
	{ .name = _name, .source = _source }

/* The names are ABI for scripts: append, never rename or reorder. */
static const struct lc_ethtool_stat lc_ethtool_stats[] = {
	LC_ETS_OTHER("peers", LC_ETS_PEERS),
	LC_ETS("tx_packets_peers", TX_PACKETS),
	LC_ETS("tx_bytes_peers", TX_BYTES),
	LC_ETS("rx_packets_peers", RX_PACKETS),
	LC_ETS("rx_bytes_peers", RX_BYTES),
	LC_ETS("tx_drop_no_peer", DROP_NO_PEER_TX),
	LC_ETS("tx_drop_no_key", DROP_NO_KEY),
	LC_ETS("tx_drop_error", DROP_TX_ERROR),
	LC_ETS("rx_drop_malformed", DROP_MALFORMED),
	LC_ETS("rx_drop_no_peer", DROP_NO_PEER),
	LC_ETS("rx_drop_auth", DROP_AUTH),
	LC_ETS("rx_drop_replay", DROP_REPLAY),
	LC_ETS("drop_key_expired", DROP_KEY_EXPIRED),
	LC_ETS_OTHER("keys", LC_ETS_KEYS),
	LC_ETS_OTHER("rx_key_auth_failures", LC_ETS_KEY_AUTH),
	LC_ETS_OTHER("rx_key_replays", LC_ETS_KEY_REPLAYS),
};

struct lc_ethtool_sum {
	u64 stats[LINKCRYPT_A_STATS_MAX + 1];
	u64 peers;
	u64 keys;
	u64 key_auth;
	u64 key_replays;
};

/* Under RCU. */
static void lc_ethtool_sum_keys(struct lc_peer *peer,
				struct lc_ethtool_sum *sum)
{
	struct lc_key *key;
	int d, s;

	for (d = 0; d < 2; d++) {
		for (s = 0; s < 2; s++) {
			key = rcu_dereference(peer->keys[d][s]);
			if (!key)
				continue;
			sum->keys++;
			sum->key_auth += atomic64_read(&key->auth_failures);
			sum->key_replays += atomic64_read(&key->replays);
		}
	}
}

static void lc_ethtool_sum(struct lc_device *lc, struct lc_ethtool_sum *sum)
{
	u64 one[LINKCRYPT_A_STATS_MAX + 1];
	struct lc_peer *peer;
	unsigned int i;

	memset(sum, 0, sizeof(*sum));
	lc_stats_read(lc->stats, sum->stats);
	rcu_read_lock();
	list_for_each_entry_rcu(peer, &lc->peers, list) {
		sum->peers++;
		lc_stats_read(peer->stats, one);
		for (i = 0; i <= LINKCRYPT_A_STATS_MAX; i++)
			sum->stats[i] += one[i];
		lc_ethtool_sum_keys(peer, sum);
	}
	rcu_read_unlock();
}

static void lc_ethtool_get_drvinfo(struct net_device *dev,
				   struct ethtool_drvinfo *info)
{
	strscpy(info->driver, "linkcrypt", sizeof(info->driver));
	strscpy(info->version, LC_VERSION, sizeof(info->version));
}

static int lc_ethtool_get_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return ARRAY_SIZE(lc_ethtool_stats);
}

static void lc_ethtool_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(lc_ethtool_stats); i++)
		memcpy(data + i * ETH_GSTRING_LEN, lc_ethtool_stats[i].name,
		       ETH_GSTRING_LEN);
}

static void lc_ethtool_get_stats(struct net_device *dev,
				 struct ethtool_stats *stats, u64 *data)
{
	struct lc_ethtool_sum sum;
	unsigned int i;

	lc_ethtool_sum(netdev_priv(dev), &sum);
	for (i = 0; i < ARRAY_SIZE(lc_ethtool_stats); i++) {
		const struct lc_ethtool_stat *st = &lc_ethtool_stats[i];

		switch (st->source) {
		case LC_ETS_STATS:
			data[i] = sum.stats[st->attr];
			break;
		case LC_ETS_PEERS:
			data[i] = sum.peers;
			break;
		case LC_ETS_KEYS:
			data[i] = sum.keys;
			break;
		case LC_ETS_KEY_AUTH:
			data[i] = sum.key_auth;
			break;
		case LC_ETS_KEY_REPLAYS:
			data[i] = sum.key_replays;
			break;
		}
	}
}

const struct ethtool_ops lc_ethtool_ops = {
	.get_drvinfo		= lc_ethtool_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= lc_ethtool_get_sset_count,
	.get_strings		= lc_ethtool_get_strings,
	.get_ethtool_stats	= lc_ethtool_get_stats,
};
