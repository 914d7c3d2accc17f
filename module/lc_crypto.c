// SPDX-License-Identifier: GPL-2.0
/*
 * One AEAD operation over one datagram, in place, and the CPU it runs on.
 *
 * The datagram at skb->data is: header (16 bytes, the associated data, its
 * last 8 bytes the counter) | text | tag (16 bytes).  The ESP constructions
 * (rfc4106, rfc7539esp) take exactly this: assoclen 16 with the 8-byte IV at
 * the end of it, and the salt stored with the key.
 *
 * An operation started in a sequence (struct lc_crypto_seq, one per peer
 * and direction) runs in a crypto worker, one per CPU: each operation goes
 * to the less loaded of the next two online CPUs in turn.  The completions
 * come back in the order the operations were started, all on the
 * sequence's home CPU.  So one peer's traffic uses every CPU yet leaves in
 * order, which TCP and the receiver's replay window both want; and since
 * one CPU sends a peer's datagrams, the underlay's per-CPU queues cannot
 * reorder them either.  The workers run in process context, where the SIMD
 * implementations are always usable and never fall back to cryptd.
 *
 * Some operations in a sequence run in the caller's context, still in
 * order: a datagram so short that handing it off costs more than its
 * crypto; the next operation of a sequence with too many under way (the
 * caller then pays for its own crypto, which is the back-pressure); any,
 * with one CPU online.  Without a sequence an operation runs in the
 * caller's context and completes there (or from cryptd, when SIMD is not
 * usable there).
 *
 * Each operation is a job, allocated by lc_crypto_start() and freed just
 * before its completion is called.  Jobs in flight are counted, so that the
 * module's code outlives the last completion (lc_crypto_uninit()).
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/llist.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>
#include <uapi/linux/linkcrypt.h>

#include "lc_consts.h"
#include "lc_crypto.h"

/**
 * struct lc_crypto_job - one AEAD operation under way
 * @node: entry in a worker's queue, until the worker takes it
 * @list: entry in @seq->jobs (@seq->lock), until it completes
 * @seq: the sequence it completes in, or NULL
 * @skb: the datagram, owned by the job until it completes
 * @done: the caller's completion
 * @req: the request, followed in the same allocation by its context, the
 *	IV and the scatterlist (lc_crypto_alloc())
 * @err: the operation's result
 * @encrypt: the direction
 * @finished: the operation has ended (@seq->lock)
 */
struct lc_crypto_job {
	struct llist_node node;
	struct list_head list;
	struct lc_crypto_seq *seq;
	struct sk_buff *skb;
	lc_crypto_done_t done;
	struct aead_request *req;
	int err;
	bool encrypt;
	bool finished;
};

/**
 * struct lc_crypto_worker - a CPU's crypto worker
 * @jobs: the jobs given to it and not yet taken, newest first
 * @seqs: the sequences whose finished operations it is to complete, as
 *	their home CPU's worker
 * @queued: how many jobs it has been given and not yet run: how far
 *	behind it is, which lc_crypto_pick() weighs
 * @work: runs the jobs and completes the sequences, bound to the CPU
 */
struct lc_crypto_worker {
	struct llist_head jobs;
	struct llist_head seqs;
	atomic_t queued;
	struct work_struct work;
};

static struct lc_crypto_worker __percpu *lc_crypto_workers;
/* Bound to the CPUs; NULL when the machine can only ever have one. */
static struct workqueue_struct *lc_crypto_wq;
static atomic_t lc_crypto_inflight = ATOMIC_INIT(0);

void lc_crypto_seq_init(struct lc_crypto_seq *seq, unsigned int home)
{
	spin_lock_init(&seq->lock);
	INIT_LIST_HEAD(&seq->jobs);
	seq->queued = 0;
	seq->cpu = -1;
	seq->home = home % nr_cpu_ids;
	seq->completing = false;
	seq->scheduled = false;
}

/* The home CPU, or another while it is offline. */
static int lc_crypto_seq_home(const struct lc_crypto_seq *seq)
{
	return cpu_online(seq->home) ? seq->home :
				       cpumask_first(cpu_online_mask);
}

static void lc_crypto_wake(int cpu)
{
	queue_work_on(cpu, lc_crypto_wq,
		      &per_cpu_ptr(lc_crypto_workers, cpu)->work);
}

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

/*
 * Completes the finished jobs at the head of @seq, oldest first, on its
 * home CPU.  One context at a time does it (@seq->completing), so that
 * completions cannot pass each other; a job that finishes meanwhile is
 * left to it, and it looks again before it stops.  The lock is not held
 * across a completion: it sends or delivers a frame, which may start
 * another job in the same sequence.
 */
static void lc_crypto_seq_complete(struct lc_crypto_seq *seq)
{
	struct lc_crypto_job *job;

	lockdep_assert_held(&seq->lock);
	if (seq->completing)
		return;
	seq->completing = true;
	while ((job = list_first_entry_or_null(&seq->jobs, struct lc_crypto_job,
					       list)) && job->finished) {
		list_del(&job->list);
		seq->queued--;
		spin_unlock(&seq->lock);
		lc_crypto_complete(job);
		spin_lock(&seq->lock);
	}
	seq->completing = false;
}

/* @job's operation ended with @err; bottom halves disabled. */
static void lc_crypto_finish(struct lc_crypto_job *job, int err)
{
	struct lc_crypto_seq *seq = job->seq;
	int home;

	job->err = err;
	if (!seq) {
		lc_crypto_complete(job);
		return;
	}
	/*
	 * A completion may drop the last reference on the sequence's owner,
	 * which frees it a grace period later: this read-side section keeps
	 * @seq valid until its lock is released for the last time.
	 */
	rcu_read_lock();
	spin_lock(&seq->lock);
	job->finished = true;
	home = lc_crypto_seq_home(seq);
	/*
	 * Elsewhere, the home CPU's worker is told.  While it has not run,
	 * this job stays on @seq->jobs with its reference on the owner, so
	 * @seq outlives its place on the worker's list; the home CPU itself
	 * leaves it to the worker too, then, and completes only when no
	 * worker is to.
	 */
	if (!lc_crypto_wq ||
	    (home == smp_processor_id() && !seq->scheduled)) {
		lc_crypto_seq_complete(seq);
	} else if (!seq->scheduled) {
		seq->scheduled = true;
		if (llist_add(&seq->node,
			      &per_cpu_ptr(lc_crypto_workers, home)->seqs))
			lc_crypto_wake(home);
	}
	spin_unlock(&seq->lock);
	rcu_read_unlock();
}

/* A home CPU's worker completes the sequences it was told of. */
static void lc_crypto_work_seqs(struct lc_crypto_worker *worker)
{
	struct lc_crypto_seq *seq, *next;
	struct llist_node *first;

	first = llist_del_all(&worker->seqs);
	local_bh_disable();
	rcu_read_lock();
	llist_for_each_entry_safe(seq, next, first, node) {
		spin_lock(&seq->lock);
		seq->scheduled = false;
		lc_crypto_seq_complete(seq);
		spin_unlock(&seq->lock);
	}
	rcu_read_unlock();
	local_bh_enable();
}

/* An operation that went asynchronous (cryptd, an accelerator) ended. */
static void lc_crypto_aead_done(LC_CRYPTO_DONE_ARG arg, int err)
{
	struct lc_crypto_job *job = lc_crypto_done_data(arg);

	/* Without MAY_BACKLOG there is no -EINPROGRESS notification first. */
	local_bh_disable();
	lc_crypto_finish(job, err);
	local_bh_enable();
}

/* Runs @job where it is; lc_crypto_aead_done() ends it if it goes async. */
static void lc_crypto_run(struct lc_crypto_job *job)
{
	int err = job->encrypt ? crypto_aead_encrypt(job->req) :
				 crypto_aead_decrypt(job->req);

	if (err != -EINPROGRESS)
		lc_crypto_finish(job, err);
}

/*
 * A CPU's worker, in process context: completes what finished for the
 * sequences at home here, then runs the jobs given to it.
 */
static void lc_crypto_work(struct work_struct *work)
{
	struct lc_crypto_worker *worker =
		container_of(work, struct lc_crypto_worker, work);
	struct lc_crypto_job *job, *next;
	struct llist_node *first;

	lc_crypto_work_seqs(worker);
	first = llist_reverse_order(llist_del_all(&worker->jobs));
	llist_for_each_entry_safe(job, next, first, node) {
		atomic_dec(&worker->queued);
		/* Completions and the IP stack want bottom halves disabled. */
		local_bh_disable();
		lc_crypto_run(job);
		local_bh_enable();
		cond_resched();
	}
}

static int lc_crypto_next_cpu(int cpu)
{
	cpu = cpumask_next(cpu, cpu_online_mask);
	return cpu < nr_cpu_ids ? cpu : cpumask_first(cpu_online_mask);
}

/*
 * The CPU for @seq's next operation: of the next two online CPUs in turn,
 * the one whose worker is less behind.  Turns alone would give a CPU busy
 * with other work (the sender's TCP, the receiving softirq) as many
 * operations as an idle one, and the sequence would wait for it: its
 * completions cannot pass the oldest operation.
 */
static int lc_crypto_pick(struct lc_crypto_seq *seq)
{
	int a = lc_crypto_next_cpu(seq->cpu);
	int b = lc_crypto_next_cpu(a);

	if (atomic_read(&per_cpu_ptr(lc_crypto_workers, b)->queued) <
	    atomic_read(&per_cpu_ptr(lc_crypto_workers, a)->queued))
		a = b;
	seq->cpu = a;
	return a;
}

/*
 * Appends @job to @seq; returns the CPU whose worker is to run it, or -1
 * when the caller is to run it itself.
 */
static int lc_crypto_seq_add(struct lc_crypto_seq *seq,
			     struct lc_crypto_job *job, unsigned int skb_len)
{
	int cpu = -1;

	spin_lock(&seq->lock);
	list_add_tail(&job->list, &seq->jobs);
	job->seq = seq;
	if (lc_crypto_wq && skb_len > LC_CRYPTO_INLINE_LEN &&
	    seq->queued < LC_CRYPTO_MAX_QUEUED && num_online_cpus() > 1)
		cpu = lc_crypto_pick(seq);
	seq->queued++;
	spin_unlock(&seq->lock);
	return cpu;
}

/*
 * Encrypts or decrypts the datagram at skb->data in place and calls @done
 * with the skb and the result, exactly once, with bottom halves disabled:
 * from here, or later from another CPU.  The caller has bottom halves
 * disabled, and room for the tag at the end when encrypting.  With a
 * sequence @seq, the operation runs on some CPU's worker and completes in
 * the order of @seq; without, it runs here (or in cryptd, when SIMD is not
 * usable here).
 */
void lc_crypto_start(struct sk_buff *skb, struct crypto_aead *tfm,
		     bool encrypt, struct lc_crypto_seq *seq,
		     lc_crypto_done_t done)
{
	const struct linkcrypt_hdr *hdr = (const struct linkcrypt_hdr *)skb->data;
	struct lc_crypto_worker *worker;
	struct lc_crypto_job *job;
	struct sk_buff *trailer;
	struct scatterlist *sg;
	int nsg, err, cpu;
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
	job->seq = NULL;
	job->finished = false;
	/* Without MAY_BACKLOG a full cryptd queue answers -EBUSY: drop. */
	aead_request_set_callback(job->req, 0, lc_crypto_aead_done, job);
	aead_request_set_ad(job->req, LINKCRYPT_HDR_LEN);
	aead_request_set_crypt(job->req, sg, sg, skb->len - LINKCRYPT_HDR_LEN -
			       (encrypt ? LINKCRYPT_TAG_LEN : 0), iv);

	atomic_inc(&lc_crypto_inflight);
	cpu = seq ? lc_crypto_seq_add(seq, job, skb->len) : -1;
	if (cpu < 0) {
		lc_crypto_run(job);
		return;
	}
	worker = per_cpu_ptr(lc_crypto_workers, cpu);
	atomic_inc(&worker->queued);
	/* The first job on an idle worker's queue wakes it. */
	if (llist_add(&job->node, &worker->jobs))
		lc_crypto_wake(cpu);
}

int __init lc_crypto_init(void)
{
	struct lc_crypto_worker *worker;
	int cpu;

	/* A machine that can only ever have one CPU gains nothing. */
	if (num_possible_cpus() < 2)
		return 0;
	lc_crypto_workers = alloc_percpu(struct lc_crypto_worker);
	if (!lc_crypto_workers)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		worker = per_cpu_ptr(lc_crypto_workers, cpu);
		init_llist_head(&worker->jobs);
		init_llist_head(&worker->seqs);
		atomic_set(&worker->queued, 0);
		INIT_WORK(&worker->work, lc_crypto_work);
	}
	/*
	 * CPU-intensive: a worker may run long, and must not hold back the
	 * CPU's other work items.  MEM_RECLAIM: sending may be what frees
	 * memory (swap or writeback over the link).
	 */
	lc_crypto_wq = alloc_workqueue("linkcrypt_crypt",
				       WQ_CPU_INTENSIVE | WQ_MEM_RECLAIM, 0);
	if (!lc_crypto_wq) {
		free_percpu(lc_crypto_workers);
		lc_crypto_workers = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* After the last device is gone: its last frames' completions, workers. */
void lc_crypto_uninit(void)
{
	wait_var_event(&lc_crypto_inflight, !atomic_read(&lc_crypto_inflight));
	/* The last completion may still be returning, under RCU. */
	synchronize_rcu();
	if (!lc_crypto_wq)
		return;
	destroy_workqueue(lc_crypto_wq);
	free_percpu(lc_crypto_workers);
}
