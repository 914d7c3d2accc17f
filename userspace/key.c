// SPDX-License-Identifier: GPL-2.0
/* Keys as the kernel reports them; see key.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "key.h"
#include "nl.h"

_Static_assert(LINKCRYPT_A_KEY_MAX < 32, "lc_key.present is too small");

const struct lc_key_limit lc_key_limits[LC_KEY_N_LIMITS] = {
	{ "soft-packets", "soft_packets", LINKCRYPT_A_KEY_SOFT_PACKETS, false, false },
	{ "hard-packets", "hard_packets", LINKCRYPT_A_KEY_HARD_PACKETS, false, false },
	{ "soft-bytes",   "soft_bytes",   LINKCRYPT_A_KEY_SOFT_BYTES,   false, true },
	{ "hard-bytes",   "hard_bytes",   LINKCRYPT_A_KEY_HARD_BYTES,   false, true },
	{ "soft-time",    "soft_seconds", LINKCRYPT_A_KEY_SOFT_SECONDS, true,  false },
	{ "hard-time",    "hard_seconds", LINKCRYPT_A_KEY_HARD_SECONDS, true,  false },
};

/* MATERIAL is write-only: left out, so that it is skipped if ever sent. */
static const struct lc_nl_policy key_policy[LINKCRYPT_A_KEY_MAX + 1] = {
	[LINKCRYPT_A_KEY_DIR]		= { MNL_TYPE_U8, 0 },
	[LINKCRYPT_A_KEY_SLOT]		= { MNL_TYPE_U8, 0 },
	[LINKCRYPT_A_KEY_ID]		= { MNL_TYPE_U8, 0 },
	[LINKCRYPT_A_KEY_SOFT_PACKETS]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_KEY_HARD_PACKETS]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_KEY_SOFT_BYTES]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_KEY_HARD_BYTES]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_KEY_SOFT_SECONDS]	= { MNL_TYPE_U32, 0 },
	[LINKCRYPT_A_KEY_HARD_SECONDS]	= { MNL_TYPE_U32, 0 },
	[LINKCRYPT_A_KEY_PACKETS]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_KEY_BYTES]		= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_KEY_AUTH_FAILURES]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_KEY_REPLAYS]	= { MNL_TYPE_U64, 0 },
	[LINKCRYPT_A_KEY_AGE_SECONDS]	= { MNL_TYPE_U32, 0 },
	[LINKCRYPT_A_KEY_FLAGS]		= { MNL_TYPE_U32, 0 },
};

int lc_key_parse(const struct nlattr *nest, struct lc_key *key)
{
	const struct nlattr *tb[LINKCRYPT_A_KEY_MAX + 1];
	unsigned int i;
	int err;

	memset(key, 0, sizeof(*key));
	err = lc_nl_parse_nested(nest, key_policy, LINKCRYPT_A_KEY_MAX, tb);
	if (err)
		return err;
	for (i = 0; i <= LINKCRYPT_A_KEY_MAX; i++) {
		if (!tb[i])
			continue;
		switch (key_policy[i].type) {
		case MNL_TYPE_U8:
			key->v[i] = mnl_attr_get_u8(tb[i]);
			break;
		case MNL_TYPE_U32:
			key->v[i] = mnl_attr_get_u32(tb[i]);
			break;
		case MNL_TYPE_U64:
			key->v[i] = mnl_attr_get_u64(tb[i]);
			break;
		default:
			continue;	/* padding, material */
		}
		key->present |= 1u << i;
	}
	return 0;
}

const char *lc_key_dir_name(uint64_t dir)
{
	switch (dir) {
	case LINKCRYPT_KEY_DIR_TX:
		return "tx";
	case LINKCRYPT_KEY_DIR_RX:
		return "rx";
	}
	return NULL;
}

const char *lc_key_slot_name(uint64_t slot)
{
	switch (slot) {
	case LINKCRYPT_KEY_SLOT_PRIMARY:
		return "primary";
	case LINKCRYPT_KEY_SLOT_SECONDARY:
		return "secondary";
	}
	return NULL;
}

static const char *name_or_unknown(const char *name, uint64_t v, char *buf,
				   size_t len)
{
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "unknown(%llu)", (unsigned long long)v);
	return buf;
}

const char *lc_key_dir_str(uint64_t dir, char *buf, size_t len)
{
	return name_or_unknown(lc_key_dir_name(dir), dir, buf, len);
}

const char *lc_key_slot_str(uint64_t slot, char *buf, size_t len)
{
	return name_or_unknown(lc_key_slot_name(slot), slot, buf, len);
}

int lc_key_dir_from_name(const char *name)
{
	if (!strcmp(name, "tx"))
		return LINKCRYPT_KEY_DIR_TX;
	if (!strcmp(name, "rx"))
		return LINKCRYPT_KEY_DIR_RX;
	return -1;
}

int lc_key_slot_from_name(const char *name)
{
	if (!strcmp(name, "primary"))
		return LINKCRYPT_KEY_SLOT_PRIMARY;
	if (!strcmp(name, "secondary"))
		return LINKCRYPT_KEY_SLOT_SECONDARY;
	return -1;
}
