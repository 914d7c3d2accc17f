/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LC_CRYPTO_H
#define _LC_CRYPTO_H

#include <crypto/aead.h>
#include <linux/skbuff.h>

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

typedef void (*lc_crypto_done_t)(struct sk_buff *skb, int err);

void lc_crypto_start(struct sk_buff *skb, struct crypto_aead *tfm,
		     bool encrypt, bool parallel, unsigned int cb_cpu,
		     lc_crypto_done_t done);
int lc_crypto_init(void);
void lc_crypto_uninit(void);

#endif /* _LC_CRYPTO_H */
