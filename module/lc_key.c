// SPDX-License-Identifier: GPL-2.0
/*
 * Keys: their transforms, lifetimes and accounting.
 */
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <uapi/linux/linkcrypt.h>

#include "lc_cipher.h"
#include "lc_key.h"

/* Frees keys in process context; flushed before the module goes. */
static struct workqueue_struct *lc_key_wq;

int __init lc_key_init(void)
{
	lc_key_wq = alloc_workqueue("linkcrypt_keys", 0, 0);
	return lc_key_wq ? 0 : -ENOMEM;
}

/* After the last key was put: wait for their grace periods, then frees. */
void lc_key_uninit(void)
{
	rcu_barrier();
	destroy_workqueue(lc_key_wq);
}

/* Counters stay far from wrapping: a key is retired long before. */
#define LC_KEY_MAX_COUNTER	(U64_MAX - (1ULL << 32))

struct lc_key *lc_key_create(u16 cipher, u8 dir, u8 id, const u8 *material,
			     const struct lc_key_limits *limits)
{
	const struct lc_cipher *c = lc_cipher_get(cipher);
	struct lc_key *key;
	int err;

	if (!c)
		return ERR_PTR(-EINVAL);
	key = kzalloc(sizeof(*key), GFP_KERNEL);
	if (!key)
		return ERR_PTR(-ENOMEM);

	key->tfm = crypto_alloc_aead(c->alg, 0, 0);
	if (IS_ERR(key->tfm)) {
		err = PTR_ERR(key->tfm);
		goto err_free;
	}
	/* The ESP constructions take the salt as the key's last 4 bytes. */
	err = crypto_aead_setkey(key->tfm, material, LINKCRYPT_MATERIAL_LEN);
	if (err)
		goto err_tfm;
	err = crypto_aead_setauthsize(key->tfm, LINKCRYPT_TAG_LEN);
	if (err)
		goto err_tfm;

	key->id = id;
	key->dir = dir;
	key->limits = *limits;
	key->installed = ktime_get_coarse_boottime_ns();
	lc_replay_init(&key->replay);
	refcount_set(&key->refcnt, 1);
	return key;

err_tfm:
	crypto_free_aead(key->tfm);
err_free:
	kfree(key);
	return ERR_PTR(err);
}

static void lc_key_free(struct work_struct *work)
{
	struct lc_key *key = container_of(to_rcu_work(work), struct lc_key,
					  free_work);

	/* crypto_free_aead() wipes the key schedule with kfree_sensitive(). */
	crypto_free_aead(key->tfm);
	kfree_sensitive(key);
}

void lc_key_put(struct lc_key *key)
{
	if (!key || !refcount_dec_and_test(&key->refcnt))
		return;
	/* Readers may still look at it; the transform may sleep when freed. */
	INIT_RCU_WORK(&key->free_work, lc_key_free);
	queue_rcu_work(lc_key_wq, &key->free_work);
}

/*
 * Whole seconds since installation, on the boot-time clock: it counts
 * suspend, and it follows the clocksource, where jiffies fall behind when
 * a guest loses ticks, and a key would then outlive its limit.  The coarse
 * read costs no clocksource access on the data path.
 */
u32 lc_key_age(const struct lc_key *key)
{
	u64 age = div_u64(ktime_get_coarse_boottime_ns() - key->installed,
			  NSEC_PER_SEC);

	return min_t(u64, age, U32_MAX);
}

static bool lc_over(u64 value, u64 limit)
{
	return limit && value >= limit;
}

/* Seconds are checked when a key is used: an idle key needs no timer. */
bool lc_key_usable(struct lc_key *key)
{
	if (test_bit(LC_KEY_HARD_EXPIRED, &key->flags))
		return false;
	if (lc_over(lc_key_age(key), key->limits.hard_seconds)) {
		set_bit(LC_KEY_HARD_EXPIRED, &key->flags);
		return false;
	}
	return true;
}

/*
 * Hands out the counter for one TX frame of @len inner bytes, or refuses
 * when that frame would pass a hard limit: exactly hard_packets frames are
 * ever sent under a key.
 */
bool lc_key_tx_reserve(struct lc_key *key, unsigned int len, u64 *counter)
{
	u64 n = atomic64_inc_return(&key->tx_counter);

	if ((key->limits.hard_packets && n > key->limits.hard_packets) ||
	    n > LC_KEY_MAX_COUNTER ||
	    (key->limits.hard_bytes &&
	     atomic64_read(&key->bytes) + len > key->limits.hard_bytes)) {
		/* Keep the counter from moving on while the key is dead. */
		atomic64_dec(&key->tx_counter);
		set_bit(LC_KEY_HARD_EXPIRED, &key->flags);
		return false;
	}
	*counter = n - 1;
	return true;
}

/* Counts one frame sent or accepted under @key, of @len inner bytes. */
void lc_key_account(struct lc_key *key, unsigned int len)
{
	const struct lc_key_limits *l = &key->limits;
	u64 packets = atomic64_inc_return(&key->packets);
	u64 bytes = atomic64_add_return(len, &key->bytes);
	u32 age = lc_key_age(key);

	if (lc_over(packets, l->soft_packets) || lc_over(bytes, l->soft_bytes) ||
	    lc_over(age, l->soft_seconds))
		set_bit(LC_KEY_SOFT_EXPIRED, &key->flags);
	if (lc_over(packets, l->hard_packets) || lc_over(bytes, l->hard_bytes) ||
	    lc_over(age, l->hard_seconds))
		set_bit(LC_KEY_HARD_EXPIRED, &key->flags);
}

/*
 * LINKCRYPT_KEY_F_* as userspace should see them.  A time limit is only
 * noted in the flags when the key is next used, so an idle key past its
 * seconds is reported by its age too.
 */
u32 lc_key_uapi_flags(const struct lc_key *key)
{
	const struct lc_key_limits *l = &key->limits;
	u32 age = lc_key_age(key), flags = 0;

	if (test_bit(LC_KEY_SOFT_EXPIRED, &key->flags) ||
	    lc_over(age, l->soft_seconds))
		flags |= LINKCRYPT_KEY_F_SOFT_EXPIRED;
	if (test_bit(LC_KEY_HARD_EXPIRED, &key->flags) ||
	    lc_over(age, l->hard_seconds))
		flags |= LINKCRYPT_KEY_F_HARD_EXPIRED;
	return flags;
}

/*
 * The events userspace has not been told of yet, as a mask of
 * BIT(LINKCRYPT_EVENT_*): each is reported once per key, by whichever
 * frame notices it first.
 */
unsigned int lc_key_new_events(struct lc_key *key)
{
	unsigned int events = 0;

	if (test_bit(LC_KEY_SOFT_EXPIRED, &key->flags) &&
	    !test_and_set_bit(LC_KEY_SOFT_NOTIFIED, &key->flags))
		events |= BIT(LINKCRYPT_EVENT_SOFT_LIMIT);
	if (test_bit(LC_KEY_HARD_EXPIRED, &key->flags) &&
	    !test_and_set_bit(LC_KEY_HARD_NOTIFIED, &key->flags))
		events |= BIT(LINKCRYPT_EVENT_HARD_LIMIT);
	return events;
}
