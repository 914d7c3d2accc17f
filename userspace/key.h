/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keys as the kernel reports them (LINKCRYPT_A_PEER_KEY nests of peer
 * replies and events): metadata, limits and counters.  Replies never
 * carry key material, and lcctl never keeps any it might find.
 */
#ifndef LCCTL_KEY_H
#define LCCTL_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/linkcrypt.h>

struct lc_key {
	uint32_t present;	/* bit (1 << LINKCRYPT_A_KEY_*) per attribute */
	/* Values by attribute: DIR, SLOT, ID, limits, counters, AGE, FLAGS. */
	uint64_t v[LINKCRYPT_A_KEY_MAX + 1];
};

static inline bool lc_key_has(const struct lc_key *k, unsigned int attr)
{
	return k->present & (1u << attr);
}

/*
 * Decode a LINKCRYPT_A_PEER_KEY nest.  Attributes unknown to lcctl are
 * skipped, and so would be LINKCRYPT_A_KEY_MATERIAL.  -EBADMSG if
 * malformed.
 */
int lc_key_parse(const struct nlattr *nest, struct lc_key *key);

/* Room for "unknown(N)" of a u64, NUL included. */
#define LC_KEY_STRLEN 32

/* "tx", "rx"; "primary", "secondary"; NULL for other values. */
const char *lc_key_dir_name(uint64_t dir);
const char *lc_key_slot_name(uint64_t slot);
/* The same, or "unknown(N)" in @buf (LC_KEY_STRLEN bytes). */
const char *lc_key_dir_str(uint64_t dir, char *buf, size_t len);
const char *lc_key_slot_str(uint64_t slot, char *buf, size_t len);
/* enum linkcrypt_key_dir / enum linkcrypt_key_slot of @name, or -1. */
int lc_key_dir_from_name(const char *name);
int lc_key_slot_from_name(const char *name);

/*
 * The limits a key may have, in attribute order: the keyword of the
 * command line and output ("soft-packets"), the JSON member
 * ("soft_packets"), the attribute, and whether it is a u32 of seconds
 * (else a u64 of packets or bytes).
 */
struct lc_key_limit {
	const char *keyword;
	const char *json;
	uint16_t attr;
	bool seconds;
	bool bytes;
};

#define LC_KEY_N_LIMITS 6
extern const struct lc_key_limit lc_key_limits[LC_KEY_N_LIMITS];

#endif /* LCCTL_KEY_H */
