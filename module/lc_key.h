/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_KEY_H
#define _LC_KEY_H

#include <crypto/aead.h>
#include <linux/atomic.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>

#include "lc_replay.h"

/* Bits of lc_key.flags */
enum {
	LC_KEY_SOFT_EXPIRED,	/* a soft limit was crossed */
	LC_KEY_HARD_EXPIRED,	/* a hard limit was reached: no longer used */
	LC_KEY_SOFT_NOTIFIED,	/* ... and userspace was told, once */
	LC_KEY_HARD_NOTIFIED,
};

struct lc_key_limits {
	u64 soft_packets, hard_packets;
	u64 soft_bytes, hard_bytes;
	u32 soft_seconds, hard_seconds;
};

/**
 * struct lc_key - one direction's key in one slot of a peer
 * @tfm: AEAD transform holding the key and salt (the crypto API wipes it
 *	when it is freed)
 * @id: key id carried in the header
 * @dir: enum linkcrypt_key_dir
 * @tx_counter: TX: number of counters handed out; the next frame uses this
 *	value.  Never decreases, so no counter is used twice under the key.
 * @packets, @bytes: frames sent or accepted, and their inner bytes
 * @auth_failures, @replays: RX drops charged to this key
 * @installed: boot-time clock at installation (ns), for the seconds limits
 * @limits: as configured; immutable
 * @flags: LC_KEY_* bits
 * @replay: RX replay window
 * @refcnt: held by the peer's slot and by every frame in flight
 * @free_work: frees the transform in process context after a grace period
 *
 * Lifetime: a key is published in a peer's slot under RTNL and read under
 * RCU; a frame takes a reference before asynchronous crypto.  When the last
 * reference goes, the key is freed after an RCU grace period.
 */
struct lc_key {
	struct crypto_aead *tfm;
	u8 id;
	u8 dir;
	atomic64_t tx_counter;
	atomic64_t packets;
	atomic64_t bytes;
	atomic64_t auth_failures;
	atomic64_t replays;
	u64 installed;
	struct lc_key_limits limits;
	unsigned long flags;
	struct lc_replay replay;
	refcount_t refcnt;
	struct rcu_work free_work;
};

int lc_key_init(void);
void lc_key_uninit(void);
struct lc_key *lc_key_create(u16 cipher, u8 dir, u8 id, const u8 *material,
			     const struct lc_key_limits *limits);
void lc_key_put(struct lc_key *key);

static inline struct lc_key *lc_key_get(struct lc_key *key)
{
	return refcount_inc_not_zero(&key->refcnt) ? key : NULL;
}

bool lc_key_usable(struct lc_key *key);
bool lc_key_tx_reserve(struct lc_key *key, unsigned int len, u64 *counter);
void lc_key_account(struct lc_key *key, unsigned int len);
unsigned int lc_key_new_events(struct lc_key *key);
u32 lc_key_age(const struct lc_key *key);
u32 lc_key_uapi_flags(const struct lc_key *key);

#endif /* _LC_KEY_H */
