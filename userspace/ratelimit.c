// SPDX-License-Identifier: GPL-2.0
/* Token buckets for incoming handshakes; see ratelimit.h. */
#include <netinet/in.h>
#include <string.h>

#include "ratelimit.h"

static void refill(uint64_t *milli, int64_t *stamp, uint32_t rate,
		   uint32_t burst, int64_t now)
{
	uint64_t max = (uint64_t)burst * 1000;

	if (now > *stamp) {
		/* ms x tokens/s = millitokens */
		*milli += (uint64_t)(now - *stamp) * rate;
		if (*milli > max)
			*milli = max;
	}
	*stamp = now;
}

void lc_tb_init(struct lc_tb *tb, uint32_t rate, uint32_t burst, int64_t now)
{
	tb->rate = rate;
	tb->burst = burst;
	tb->stamp = now;
	tb->milli = (uint64_t)burst * 1000;
}

bool lc_tb_take(struct lc_tb *tb, int64_t now)
{
	refill(&tb->milli, &tb->stamp, tb->rate, tb->burst, now);
	if (tb->milli < 1000)
		return false;
	tb->milli -= 1000;
	return true;
}

void lc_rl_init(struct lc_rl *rl, uint32_t rate, uint32_t burst,
		uint32_t grate, uint32_t gburst, uint64_t seed, int64_t now)
{
	memset(rl, 0, sizeof(*rl));
	lc_tb_init(&rl->global, grate, gburst, now);
	rl->rate = rate;
	rl->burst = burst;
	rl->seed = seed;
}

int lc_rl_key(const struct sockaddr *sa, uint8_t key[16])
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	const struct sockaddr_in6 *s6 = (const void *)sa;
	const struct sockaddr_in *s4 = (const void *)sa;

	memset(key, 0, 16);
	if (sa->sa_family == AF_INET) {
		memcpy(key, mapped, sizeof(mapped));
		memcpy(key + 12, &s4->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return -1;
	if (!memcmp(&s6->sin6_addr, mapped, sizeof(mapped)))
		memcpy(key, &s6->sin6_addr, 16);	/* IPv4 */
	else
		memcpy(key, &s6->sin6_addr, 8);		/* the /64 */
	return 0;
}

/* FNV-1a, seeded: the slot is not predictable from the address alone. */
static uint32_t hash(const struct lc_rl *rl, const uint8_t key[16])
{
	uint64_t h = 0xcbf29ce484222325ULL ^ rl->seed;
	int i;

	for (i = 0; i < 16; i++) {
		h ^= key[i];
		h *= 0x100000001b3ULL;
	}
	return (uint32_t)(h ^ (h >> 32));
}

static struct lc_rl_bucket *lookup(struct lc_rl *rl, const uint8_t key[16],
				   int64_t now)
{
	uint32_t h = hash(rl, key);
	struct lc_rl_bucket *b, *victim = NULL;
	int i;

	for (i = 0; i < LC_RL_PROBE; i++) {
		b = &rl->slot[(h + (uint32_t)i) % LC_RL_SLOTS];
		if (b->used && !memcmp(b->key, key, 16))
			return b;
		if (!b->used) {
			if (!victim || victim->used)
				victim = b;
		} else if (!victim || (victim->used && b->stamp < victim->stamp)) {
			victim = b;
		}
	}
	memcpy(victim->key, key, 16);
	victim->used = true;
	victim->stamp = now;
	victim->milli = (uint64_t)rl->burst * 1000;
	return victim;
}

bool lc_rl_allow(struct lc_rl *rl, const struct sockaddr *sa, int64_t now)
{
	struct lc_rl_bucket *b;
	uint8_t key[16];

	if (lc_rl_key(sa, key))
		return false;
	b = lookup(rl, key, now);
	refill(&b->milli, &b->stamp, rl->rate, rl->burst, now);
	refill(&rl->global.milli, &rl->global.stamp, rl->global.rate,
	       rl->global.burst, now);
	if (b->milli < 1000 || rl->global.milli < 1000)
		return false;
	b->milli -= 1000;
	rl->global.milli -= 1000;
	return true;
}
