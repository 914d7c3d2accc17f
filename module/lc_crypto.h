/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_CRYPTO_H
#define _LC_CRYPTO_H

#include <crypto/aead.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>

#include "lc_compat.h"

struct lc_key;
struct lc_peer;

/*
 * State of a frame between the start of its AEAD operation and the end,
 * which may come later on another CPU (lc_crypto.c).  Kept in skb->cb.
 */
struct lc_cb {
	struct lc_peer *peer;		/* referenced */
	struct lc_key *key;		/* referenced */
	u64 counter;
	unsigned int inner_len;
	__be16 sport;			/* TX: from the inner flow's hash */
};

#define LC_CB(skb) ((struct lc_cb *)(skb)->cb)

/**
 * struct lc_crypto_seq - operations that complete in the order they started
 * @lock: guards the other members
 * @jobs: the operations started and not yet completed, oldest first
 * @queued: how many are on @jobs
 * @cpu: the CPU the last operation handed off was given to
 * @home: the CPU the completions run on, while it is online
 * @node: entry in the home CPU's worker's list, while @scheduled
 * @completing: a context is completing the finished head of @jobs
 * @scheduled: the home CPU's worker is to complete the finished head
 *
 * Embedded in its owner (a peer has one per direction).  Every operation in
 * a sequence must hold a reference on the owner, and the owner must be freed
 * no sooner than a grace period after its last reference goes: the lock is
 * taken again just after a completion may have dropped that reference.
 */
struct lc_crypto_seq {
	spinlock_t lock;	/* always taken with bottom halves disabled */
	struct list_head jobs;
	unsigned int queued;
	int cpu;
	unsigned int home;
	struct llist_node node;
	bool completing;
	bool scheduled;
};

typedef void (*lc_crypto_done_t)(struct sk_buff *skb, int err);

void lc_crypto_seq_init(struct lc_crypto_seq *seq, unsigned int home);
void lc_crypto_start(struct sk_buff *skb, struct crypto_aead *tfm,
		     bool encrypt, struct lc_crypto_seq *seq,
		     lc_crypto_done_t done);
int lc_crypto_init(void);
void lc_crypto_uninit(void);

#endif /* _LC_CRYPTO_H */
