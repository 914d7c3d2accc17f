/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_REPLAY_H
#define _LC_REPLAY_H

#include <linux/bitops.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/*
 * The replay window of one RX key: a ring of bits indexed by counter.
 * Counters up to LC_REPLAY_WINDOW behind the newest accepted one are still
 * accepted once each, so frames reordered across CPUs (or by the network)
 * are not lost; anything older, or seen before, is refused.  The ring has
 * one word more than the window needs, so that the oldest counter still in
 * the window never shares a word with the newest.
 */
#define LC_REPLAY_WINDOW	8192
#define LC_REPLAY_WORDS		(LC_REPLAY_WINDOW / BITS_PER_LONG + 1)
#define LC_REPLAY_BITS		(LC_REPLAY_WORDS * BITS_PER_LONG)

struct lc_replay {
	spinlock_t lock;	/* writers of @next and @bits */
	u64 next;		/* newest accepted counter + 1; 0: none yet */
	unsigned long bits[LC_REPLAY_WORDS];
};

void lc_replay_init(struct lc_replay *r);
bool lc_replay_maybe_new(const struct lc_replay *r, u64 counter);
bool lc_replay_accept(struct lc_replay *r, u64 counter);

#endif /* _LC_REPLAY_H */
