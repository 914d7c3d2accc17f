// SPDX-License-Identifier: GPL-2.0
/*
 * Replay protection.  A frame is checked twice: cheaply and without the lock
 * before it is decrypted, so that replays cost no crypto, and for real once
 * its tag has verified, so that only authentic counters move the window.
 */
#include <linux/minmax.h>

#include "lc_replay.h"

void lc_replay_init(struct lc_replay *r)
{
	spin_lock_init(&r->lock);
	r->next = 0;
	bitmap_zero(r->bits, LC_REPLAY_BITS);
}

static bool lc_replay_too_old(u64 next, u64 counter)
{
	return counter < next && next - counter > LC_REPLAY_WINDOW;
}

static unsigned long *lc_replay_word(struct lc_replay *r, u64 counter)
{
	return &r->bits[(counter / BITS_PER_LONG) % LC_REPLAY_WORDS];
}

/* May race with lc_replay_accept(); a wrong "new" is caught there. */
bool lc_replay_maybe_new(const struct lc_replay *r, u64 counter)
{
	u64 next = READ_ONCE(r->next);

	if (counter >= next)
		return true;
	if (lc_replay_too_old(next, counter))
		return false;
	return !test_bit(counter % BITS_PER_LONG,
			 &r->bits[(counter / BITS_PER_LONG) % LC_REPLAY_WORDS]);
}

/* Records @counter as seen; false if it was seen before or is too old. */
bool lc_replay_accept(struct lc_replay *r, u64 counter)
{
	bool fresh = false;

	spin_lock_bh(&r->lock);
	if (counter >= r->next) {
		/*
		 * Moving ahead: the words between the old newest and the new
		 * one hold bits of counters a whole ring ago; clear them.
		 */
		u64 from = r->next ? (r->next - 1) / BITS_PER_LONG : 0;
		u64 to = counter / BITS_PER_LONG;
		u64 i, n = min_t(u64, to - from, LC_REPLAY_WORDS);

		for (i = 1; i <= n; i++)
			r->bits[(from + i) % LC_REPLAY_WORDS] = 0;
		WRITE_ONCE(r->next, counter + 1);
	} else if (lc_replay_too_old(r->next, counter)) {
		goto out;
	}
	fresh = !__test_and_set_bit(counter % BITS_PER_LONG,
				    lc_replay_word(r, counter));
out:
	spin_unlock_bh(&r->lock);
	return fresh;
}
