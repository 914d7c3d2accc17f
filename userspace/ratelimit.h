/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Token buckets for incoming handshakes of "lcctl up": one per source
 * (an IPv4 address, or the /64 of an IPv6 one, so that one host cannot
 * take a bucket per address of its prefix), in a fixed-size table, and
 * one for all sources together.  A TLS handshake costs the listener an
 * RSA signature and an X25519 exchange; the buckets bound how many
 * strangers can make it pay, so that a flood cannot starve the peers.
 * No clock and no socket here: the caller passes the time (ms).
 */
#ifndef LCCTL_RATELIMIT_H
#define LCCTL_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define LC_RL_SLOTS	1024	/* sources tracked at once */
#define LC_RL_PROBE	8	/* slots looked at per source */

struct lc_rl_bucket {
	uint8_t key[16];	/* IPv4 mapped to IPv6, or an IPv6 /64 */
	bool used;
	int64_t stamp;		/* ms of the last refill */
	uint64_t milli;		/* tokens x 1000 */
};

struct lc_tb {
	uint32_t rate;		/* tokens per second */
	uint32_t burst;		/* tokens at most */
	int64_t stamp;
	uint64_t milli;
};

struct lc_rl {
	struct lc_tb global;	/* all sources together */
	uint32_t rate, burst;	/* of each source's bucket */
	uint64_t seed;		/* of the hash: sources cannot aim at slots */
	struct lc_rl_bucket slot[LC_RL_SLOTS];
};

/* A full bucket of @burst tokens, @rate more per second. */
void lc_tb_init(struct lc_tb *tb, uint32_t rate, uint32_t burst, int64_t now);
/* Take one token if there is one. */
bool lc_tb_take(struct lc_tb *tb, int64_t now);

/*
 * Each source: @rate handshakes per second, bursts of @burst; all of
 * them: @grate per second, bursts of @gburst.  @seed: random.
 */
void lc_rl_init(struct lc_rl *rl, uint32_t rate, uint32_t burst,
		uint32_t grate, uint32_t gburst, uint64_t seed, int64_t now);

/*
 * The key of a source address (struct sockaddr_in or _in6; an IPv4-mapped
 * IPv6 address is its IPv4 address).  -1 for another family.
 */
int lc_rl_key(const struct sockaddr *sa, uint8_t key[16]);

/*
 * Whether the source @sa may start a handshake now: a token from its
 * bucket and from the global one (neither is taken if either is empty).
 * A source not seen gets a full bucket, in place of the one refilled the
 * longest ago when its slots are all used.
 */
bool lc_rl_allow(struct lc_rl *rl, const struct sockaddr *sa, int64_t now);

#endif /* LCCTL_RATELIMIT_H */
