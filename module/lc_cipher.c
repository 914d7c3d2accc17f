// SPDX-License-Identifier: GPL-2.0
/*
 * The table of AEADs linkcrypt offers, and the check that the running kernel
 * can actually provide the one a user asks for.
 */
#include <crypto/aead.h>
#include <linux/kernel.h>
#include <uapi/linux/linkcrypt.h>

#include "lc_cipher.h"

static const struct lc_cipher lc_ciphers[] = {
	[LINKCRYPT_CIPHER_AES_256_GCM] = {
		.name = "aes-256-gcm",
		.alg = "rfc4106(gcm(aes))",
		.key_len = 32,
	},
	[LINKCRYPT_CIPHER_CHACHA20_POLY1305] = {
		.name = "chacha20-poly1305",
		.alg = "rfc7539esp(chacha20,poly1305)",
		.key_len = 32,
	},
};

/* Returns NULL for LINKCRYPT_CIPHER_UNSPEC and for ids this module lacks. */
const struct lc_cipher *lc_cipher_get(u16 id)
{
	if (id >= ARRAY_SIZE(lc_ciphers) || !lc_ciphers[id].alg)
		return NULL;
	return &lc_ciphers[id];
}

/*
 * Refuse a cipher at configuration time rather than at the first key: a
 * device that cannot encrypt would only ever drop frames.  Allocating a
 * transform is the real test (it loads the modules implementing the
 * algorithm and instantiates the template), and it is not on a hot path.
 */
int lc_cipher_check(u16 id, const struct nlattr *attr,
		    struct netlink_ext_ack *extack)
{
	const struct lc_cipher *c = lc_cipher_get(id);
	struct crypto_aead *tfm;

	if (!c) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "unknown cipher (1 = aes-256-gcm, 2 = chacha20-poly1305)");
		return -EINVAL;
	}
	tfm = crypto_alloc_aead(c->alg, 0, 0);
	if (IS_ERR(tfm)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "cipher not available in this kernel's crypto API");
		return -EOPNOTSUPP;
	}
	crypto_free_aead(tfm);
	return 0;
}
