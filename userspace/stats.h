/* SPDX-License-Identifier: GPL-2.0 */
/* Counters of devices and peers (LINKCRYPT_A_*_STATS, LINKCRYPT_A_STATS_*). */
#ifndef LCCTL_STATS_H
#define LCCTL_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/linkcrypt.h>

struct lc_stats {
	uint32_t present;	/* bit (1 << LINKCRYPT_A_STATS_*) per counter */
	uint64_t v[LINKCRYPT_A_STATS_MAX + 1];
};

static inline bool lc_stats_has(const struct lc_stats *s, unsigned int attr)
{
	return s->present & (1u << attr);
}

/*
 * Decode a LINKCRYPT_A_*_STATS nest: u64 counters, padding and counters
 * unknown to lcctl skipped.  -EBADMSG if malformed.
 */
int lc_stats_parse(const struct nlattr *nest, struct lc_stats *s);

/*
 * Names of LINKCRYPT_A_STATS_* counters, NULL for those that are not
 * counters (UNSPEC, PAD) or unknown: for text, without "drop-" ("no-key"
 * in a "drops:" line, "packets"...), and for JSON ("drop_no_key").
 */
const char *lc_stats_text_name(unsigned int attr);
const char *lc_stats_json_name(unsigned int attr);
/* Whether counter @attr counts drops (LINKCRYPT_A_STATS_DROP_*). */
bool lc_stats_is_drop(unsigned int attr);

#endif /* LCCTL_STATS_H */
