/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_REPLAY_H
#define _LC_REPLAY_H

#include <linux/bitops.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/*
 * The replay window of one RX key: a ring of LC_REPLAY_BITS bits indexed by
 * counter.  Counters up to LC_REPLAY_WINDOW behind the newest accepted one
 * are still accepted once each, so frames reordered across CPUs (or by the
 * network) are not lost; anything older, or seen before, is refused.
 */
#define LC_REPLAY_BITS		8192
#define LC_REPLAY_WORDS		(LC_REPLAY_BITS / BITS_PER_LONG)
/* One word is given up so that the oldest and newest never share a word. */
#define LC_REPLAY_WINDOW	(LC_REPLAY_BITS - BITS_PER_LONG)

struct lc_replay {
	spinlock_t lock;	/* writers of @next and @bits */
	u64 next;		/* newest accepted counter + 1; 0: none yet */
	unsigned long bits[LC_REPLAY_WORDS];
};

void lc_replay_init(struct lc_replay *r);
bool lc_replay_maybe_new(const struct lc_replay *r, u64 counter);
bool lc_replay_accept(struct lc_replay *r, u64 counter);

#endif /* _LC_REPLAY_H */
