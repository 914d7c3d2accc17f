// SPDX-License-Identifier: GPL-2.0
/*
 * One AEAD operation over one datagram, in place, and the CPU it runs on.
 *
 * The datagram at skb->data is: header (16 bytes, the associated data, its
 * last 8 bytes the counter) | text | tag (16 bytes).  The ESP constructions
 * (rfc4106, rfc7539esp) take exactly this: assoclen 16 with the 8-byte IV at
 * the end of it, and the salt stored with the key.
 *
 * With more than one CPU online, and unless the device asks for its crypto
 * inline (IFLA_LINKCRYPT_CRYPTO), an operation goes through padata, one
 * instance per direction: it runs on whichever CPU a padata worker is free
 * on, or on the caller's when all workers are busy, and the completions come
 * back in the order the operations were started, on one CPU per peer.  So
 * one peer's traffic uses every CPU yet leaves in order, which TCP and the
 * receiver's replay window both want.  Running in a worker also keeps the
 * SIMD implementations usable, where a caller in an interrupt would be sent
 * to cryptd.  With one CPU, or a kernel without padata, the operation runs
 * in the caller's context.
 *
 * Each operation is a job, allocated by lc_crypto_start() and freed just
 * before its completion is called.  Jobs in flight are counted, so that the
 * module's code outlives the last completion (lc_crypto_uninit()).
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/padata.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <uapi/linux/linkcrypt.h>

#include "lc_crypto.h"

/**
 * struct lc_crypto_job - one AEAD operation under way
 * @padata: padata's state while the job is in an instance
 * @skb: the datagram, owned by the job until @done
 * @done: the caller's completion
 * @req: the request, followed in the same allocation by its context, the
 *	IV and the scatterlist (lc_crypto_alloc())
 * @err: the operation's result
 * @encrypt: the direction
 * @parallel: the job went to padata, which must see its end
 */
struct lc_crypto_job {
	struct padata_priv padata;
	struct sk_buff *skb;
	lc_crypto_done_t done;
	struct aead_request *req;
	int err;
	bool encrypt;
	bool parallel;
};

/* One padata instance per direction: [0] decrypts, [1] encrypts. */
static struct lc_crypto_pool {
	struct padata_instance *pinst;
	struct padata_shell *ps;
} lc_crypto_pools[2];

static atomic_t lc_crypto_inflight = ATOMIC_INIT(0);

/* The job, then the request with its context, the IV, the scatterlist. */
static struct lc_crypto_job *lc_crypto_alloc(struct crypto_aead *tfm, int nsg,
					     u8 **iv, struct scatterlist **sg)
{
	unsigned int align = crypto_aead_alignmask(tfm) + 1;
	size_t head = ALIGN(sizeof(struct lc_crypto_job), CRYPTO_MINALIGN);
	size_t len = head + sizeof(struct aead_request) + crypto_aead_reqsize(tfm);
	struct lc_crypto_job *job;

	len = ALIGN(len, align) + ALIGN(crypto_aead_ivsize(tfm), align);
	len = ALIGN(len, __alignof__(struct scatterlist));
	job = kmalloc(len + sizeof(struct scatterlist) * nsg, GFP_ATOMIC);
	if (!job)
		return NULL;
	job->req = (struct aead_request *)((u8 *)job + head);
	*iv = PTR_ALIGN((u8 *)job->req + sizeof(*job->req) +
			crypto_aead_reqsize(tfm), align);
	*sg = PTR_ALIGN((struct scatterlist *)(*iv + crypto_aead_ivsize(tfm)),
			__alignof__(struct scatterlist));
	aead_request_set_tfm(job->req, tfm);
	return job;
}

/* The end of a job, with bottom halves disabled. */
static void lc_crypto_complete(struct lc_crypto_job *job)
{
	struct sk_buff *skb = job->skb;
	lc_crypto_done_t done = job->done;
	int err = job->err;

	kfree(job);
	done(skb, err);
	if (atomic_dec_and_test(&lc_crypto_inflight))
		wake_up_var(&lc_crypto_inflight);
}

/* An operation that went asynchronous (cryptd, an accelerator) ended. */
static void lc_crypto_aead_done(LC_CRYPTO_DONE_ARG arg, int err)
{
	struct lc_crypto_job *job = lc_crypto_done_data(arg);

	/* Without MAY_BACKLOG there is no -EINPROGRESS notification first. */
	job->err = err;
	local_bh_disable();
	if (LC_HAVE_PADATA && job->parallel)
		padata_do_serial(&job->padata);
	else
		lc_crypto_complete(job);
	local_bh_enable();
}

/* Returns the result, or -EINPROGRESS: lc_crypto_aead_done() will have it. */
static int lc_crypto_run(struct lc_crypto_job *job)
{
	return job->encrypt ? crypto_aead_encrypt(job->req) :
			      crypto_aead_decrypt(job->req);
}

/* In a padata worker (or the caller when none is free), BHs disabled. */
static void lc_crypto_parallel(struct padata_priv *padata)
{
	struct lc_crypto_job *job = container_of(padata, struct lc_crypto_job,
						 padata);
	int err = lc_crypto_run(job);

	if (err == -EINPROGRESS)
		return;
	job->err = err;
	padata_do_serial(padata);
}

/* In order, on the peer's completion CPU, BHs disabled. */
static void lc_crypto_serial(struct padata_priv *padata)
{
	lc_crypto_complete(container_of(padata, struct lc_crypto_job, padata));
}

/* Hands @job to padata; false when it cannot take it (CPU hotplug). */
static bool lc_crypto_go_parallel(struct lc_crypto_job *job, int cb_cpu)
{
	const struct lc_crypto_pool *pool = &lc_crypto_pools[job->encrypt];

	if (!LC_HAVE_PADATA || !pool->ps || num_online_cpus() < 2)
		return false;
	job->padata.parallel = lc_crypto_parallel;
	job->padata.serial = lc_crypto_serial;
	job->parallel = true;
	if (!padata_do_parallel(pool->ps, &job->padata, &cb_cpu))
		return true;
	job->parallel = false;
	return false;
}

/*
 * Encrypts or decrypts the datagram at skb->data in place and calls @done
 * with the skb and the result, exactly once, with bottom halves disabled:
 * from here, or later from another CPU.  The caller has room for the tag at
 * the end when encrypting.  With @parallel, operations started with the
 * same @cb_cpu are completed in the order they were started; without, the
 * operation runs here (or in cryptd, when SIMD is not usable here).
 */
void lc_crypto_start(struct sk_buff *skb, struct crypto_aead *tfm,
		     bool encrypt, bool parallel, unsigned int cb_cpu,
		     lc_crypto_done_t done)
{
	const struct linkcrypt_hdr *hdr = (const struct linkcrypt_hdr *)skb->data;
	struct lc_crypto_job *job;
	struct sk_buff *trailer;
	struct scatterlist *sg;
	int nsg, err;
	u8 *iv;

	nsg = skb_cow_data(skb, 0, &trailer);
	if (nsg < 0) {
		done(skb, nsg);
		return;
	}
	job = lc_crypto_alloc(tfm, nsg, &iv, &sg);
	if (!job) {
		done(skb, -ENOMEM);
		return;
	}
	sg_init_table(sg, nsg);
	err = skb_to_sgvec(skb, sg, 0, skb->len);
	if (unlikely(err < 0)) {
		kfree(job);
		done(skb, err);
		return;
	}
	memcpy(iv, &hdr->counter, sizeof(hdr->counter));
	job->skb = skb;
	job->done = done;
	job->encrypt = encrypt;
	job->parallel = false;
	/* Without MAY_BACKLOG a full cryptd queue answers -EBUSY: drop. */
	aead_request_set_callback(job->req, 0, lc_crypto_aead_done, job);
	aead_request_set_ad(job->req, LINKCRYPT_HDR_LEN);
	aead_request_set_crypt(job->req, sg, sg, skb->len - LINKCRYPT_HDR_LEN -
			       (encrypt ? LINKCRYPT_TAG_LEN : 0), iv);

	atomic_inc(&lc_crypto_inflight);
	if (parallel && lc_crypto_go_parallel(job, cb_cpu % nr_cpu_ids))
		return;
	err = lc_crypto_run(job);
	if (err == -EINPROGRESS)
		return;
	job->err = err;
	lc_crypto_complete(job);
}

static void lc_crypto_pools_free(void)
{
	int i;

	if (!LC_HAVE_PADATA)
		return;
	for (i = ARRAY_SIZE(lc_crypto_pools) - 1; i >= 0; i--) {
		if (lc_crypto_pools[i].ps)
			padata_free_shell(lc_crypto_pools[i].ps);
		if (lc_crypto_pools[i].pinst)
			padata_free(lc_crypto_pools[i].pinst);
		lc_crypto_pools[i] = (struct lc_crypto_pool){};
	}
}

int __init lc_crypto_init(void)
{
	static const char * const names[] = { "linkcrypt_rx", "linkcrypt_tx" };
	struct lc_crypto_pool *pool;
	int i;

	/* A machine that can only ever have one CPU gains nothing. */
	if (!LC_HAVE_PADATA || num_possible_cpus() < 2)
		return 0;
	for (i = 0; i < ARRAY_SIZE(lc_crypto_pools); i++) {
		pool = &lc_crypto_pools[i];
		pool->pinst = padata_alloc(names[i]);
		if (!pool->pinst)
			goto err;
		pool->ps = padata_alloc_shell(pool->pinst);
		if (!pool->ps)
			goto err;
	}
	return 0;
err:
	lc_crypto_pools_free();
	return -ENOMEM;
}

/* After the last device is gone: its last frames' completions, then padata. */
void lc_crypto_uninit(void)
{
	wait_var_event(&lc_crypto_inflight, !atomic_read(&lc_crypto_inflight));
	/* The last completion may still be returning: it has BHs disabled. */
	synchronize_rcu();
	lc_crypto_pools_free();
}
