// SPDX-License-Identifier: GPL-2.0
/*
 * One AEAD operation over one datagram, in place.
 *
 * The datagram at skb->data is: header (16 bytes, the associated data, its
 * last 8 bytes the counter) | text | tag (16 bytes).  The ESP constructions
 * (rfc4106, rfc7539esp) take exactly this: assoclen 16 with the 8-byte IV at
 * the end of it, and the salt stored with the key.
 */
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <uapi/linux/linkcrypt.h>

#include "lc_crypto.h"

/* The request, then the IV (aligned as the transform wants), then the sg. */
static struct aead_request *lc_crypto_alloc(struct crypto_aead *tfm, int nsg,
					    u8 **iv, struct scatterlist **sg)
{
	unsigned int align = crypto_aead_alignmask(tfm) + 1;
	size_t len = sizeof(struct aead_request) + crypto_aead_reqsize(tfm);
	struct aead_request *req;

	len = ALIGN(len, align) + ALIGN(crypto_aead_ivsize(tfm), align);
	len = ALIGN(len, __alignof__(struct scatterlist));
	req = kmalloc(len + sizeof(struct scatterlist) * nsg, GFP_ATOMIC);
	if (!req)
		return NULL;
	*iv = PTR_ALIGN((u8 *)req + sizeof(*req) + crypto_aead_reqsize(tfm),
			align);
	*sg = PTR_ALIGN((struct scatterlist *)(*iv + crypto_aead_ivsize(tfm)),
			__alignof__(struct scatterlist));
	aead_request_set_tfm(req, tfm);
	return req;
}

/*
 * Starts the operation and returns its result, or -EINPROGRESS when @done
 * will be called with it later.  The caller has made skb->data writable
 * (skb_cow_data) and, to encrypt, has room for the tag at the end.
 * LC_CB(skb)->req is set for the caller to free when it is done.
 */
int lc_crypto_start(struct sk_buff *skb, struct crypto_aead *tfm,
		    bool encrypt, lc_crypto_done_t done)
{
	const struct linkcrypt_hdr *hdr = (const struct linkcrypt_hdr *)skb->data;
	struct sk_buff *trailer;
	struct scatterlist *sg;
	struct aead_request *req;
	int nsg, err;
	u8 *iv;

	nsg = skb_cow_data(skb, 0, &trailer);
	if (nsg < 0)
		return nsg;
	req = lc_crypto_alloc(tfm, nsg, &iv, &sg);
	if (!req)
		return -ENOMEM;
	LC_CB(skb)->req = req;

	sg_init_table(sg, nsg);
	err = skb_to_sgvec(skb, sg, 0, skb->len);
	if (unlikely(err < 0))
		return err;
	memcpy(iv, &hdr->counter, sizeof(hdr->counter));

	/* Without MAY_BACKLOG a full cryptd queue answers -EBUSY: drop. */
	aead_request_set_callback(req, 0, done, skb);
	aead_request_set_ad(req, LINKCRYPT_HDR_LEN);
	aead_request_set_crypt(req, sg, sg, skb->len - LINKCRYPT_HDR_LEN -
			       (encrypt ? LINKCRYPT_TAG_LEN : 0), iv);
	return encrypt ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
}
