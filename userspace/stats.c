// SPDX-License-Identifier: GPL-2.0
/* Counters of devices and peers; see stats.h. */
#include <errno.h>
#include <string.h>

#include "nl.h"
#include "stats.h"

_Static_assert(LINKCRYPT_A_STATS_MAX < 32, "lc_stats.present is too small");

static const struct {
	const char *text;
	const char *json;
} names[LINKCRYPT_A_STATS_MAX + 1] = {
	[LINKCRYPT_A_STATS_TX_PACKETS]	= { "tx-packets", "tx_packets" },
	[LINKCRYPT_A_STATS_TX_BYTES]	= { "tx-bytes", "tx_bytes" },
	[LINKCRYPT_A_STATS_RX_PACKETS]	= { "rx-packets", "rx_packets" },
	[LINKCRYPT_A_STATS_RX_BYTES]	= { "rx-bytes", "rx_bytes" },
	[LINKCRYPT_A_STATS_DROP_NO_KEY]	= { "no-key", "drop_no_key" },
	[LINKCRYPT_A_STATS_DROP_KEY_EXPIRED] = { "key-expired", "drop_key_expired" },
	[LINKCRYPT_A_STATS_DROP_AUTH]	= { "auth", "drop_auth" },
	[LINKCRYPT_A_STATS_DROP_REPLAY]	= { "replay", "drop_replay" },
	[LINKCRYPT_A_STATS_DROP_MALFORMED] = { "malformed", "drop_malformed" },
	[LINKCRYPT_A_STATS_DROP_NO_PEER] = { "no-peer", "drop_no_peer" },
	[LINKCRYPT_A_STATS_DROP_TX_ERROR] = { "tx-error", "drop_tx_error" },
	[LINKCRYPT_A_STATS_DROP_NO_PEER_TX] = { "no-peer-tx", "drop_no_peer_tx" },
};

/* Every counter; the padding attribute of nla_put_u64_64bit() is skipped. */
static const struct lc_nl_policy stats_policy[LINKCRYPT_A_STATS_MAX + 1] = {
	[LINKCRYPT_A_STATS_TX_PACKETS]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_STATS_TX_BYTES]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_STATS_RX_PACKETS]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_STATS_RX_BYTES]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_STATS_DROP_NO_KEY]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_STATS_DROP_KEY_EXPIRED] = { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_STATS_DROP_AUTH]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_STATS_DROP_REPLAY]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_STATS_DROP_MALFORMED] = { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_STATS_DROP_NO_PEER] = { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_STATS_DROP_TX_ERROR] = { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_STATS_DROP_NO_PEER_TX] = { MNL_TYPE_U64, 0 },
};

int lc_stats_parse(const struct nlattr *nest, struct lc_stats *s)
{
	const struct nlattr *tb[LINKCRYPT_A_STATS_MAX + 1];
	unsigned int i;
	int err;

	memset(s, 0, sizeof(*s));
	err = lc_nl_parse_nested(nest, stats_policy, LINKCRYPT_A_STATS_MAX, tb);
	if (err)
		return err;
	for (i = 0; i <= LINKCRYPT_A_STATS_MAX; i++) {
		if (!tb[i] || !names[i].json)
			continue;
		s->present |= 1u << i;
		s->v[i] = mnl_attr_get_u64(tb[i]);
	}
	return 0;
}

const char *lc_stats_text_name(unsigned int attr)
{
	return attr <= LINKCRYPT_A_STATS_MAX ? names[attr].text : NULL;
}

const char *lc_stats_json_name(unsigned int attr)
{
	return attr <= LINKCRYPT_A_STATS_MAX ? names[attr].json : NULL;
}

bool lc_stats_is_drop(unsigned int attr)
{
	return attr >= LINKCRYPT_A_STATS_DROP_NO_KEY &&
	       attr <= LINKCRYPT_A_STATS_DROP_NO_PEER_TX;
}
