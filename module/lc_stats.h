/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU counters of a peer or a device, indexed like the uapi's
 * enum linkcrypt_stats_attrs so that netlink can report them in a loop.
 */
#ifndef _LC_STATS_H
#define _LC_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <uapi/linux/linkcrypt.h>

struct lc_stats {
	struct u64_stats_sync syncp;
	u64_stats_t c[LINKCRYPT_A_STATS_MAX + 1];
};

static inline struct lc_stats __percpu *lc_stats_alloc(void)
{
	return netdev_alloc_pcpu_stats(struct lc_stats);
}

/* From any context; the counters are per CPU, so no lock is needed. */
static inline void lc_stats_add(struct lc_stats __percpu *stats,
				unsigned int idx, u64 n)
{
	struct lc_stats *s = get_cpu_ptr(stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_add(&s->c[idx], n);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(stats);
}

static inline void lc_stats_inc(struct lc_stats __percpu *stats,
				unsigned int idx)
{
	lc_stats_add(stats, idx, 1);
}

/* Sums every CPU's counters into @sum[LINKCRYPT_A_STATS_MAX + 1]. */
static inline void lc_stats_read(struct lc_stats __percpu *stats, u64 *sum)
{
	unsigned int cpu, i, start;

	memset(sum, 0, sizeof(u64) * (LINKCRYPT_A_STATS_MAX + 1));
	for_each_possible_cpu(cpu) {
		const struct lc_stats *s = per_cpu_ptr(stats, cpu);
		u64 v[LINKCRYPT_A_STATS_MAX + 1];

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i <= LINKCRYPT_A_STATS_MAX; i++)
				v[i] = u64_stats_read(&s->c[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i <= LINKCRYPT_A_STATS_MAX; i++)
			sum[i] += v[i];
	}
}

#endif /* _LC_STATS_H */
