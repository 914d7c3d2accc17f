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
 * which may come later from another context (cryptd) when the SIMD
 * implementations cannot use the FPU.  Kept in skb->cb.
 */
struct lc_cb {
	struct lc_peer *peer;		/* referenced */
	struct lc_key *key;		/* referenced */
	struct aead_request *req;
	u64 counter;
	unsigned int inner_len;
	__be16 sport;			/* TX: from the inner flow's hash */
};

#define LC_CB(skb) ((struct lc_cb *)(skb)->cb)

typedef void (*lc_crypto_done_t)(LC_CRYPTO_DONE_ARG arg, int err);

int lc_crypto_start(struct sk_buff *skb, struct crypto_aead *tfm,
		    bool encrypt, lc_crypto_done_t done);

#endif /* _LC_CRYPTO_H */
