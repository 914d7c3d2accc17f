// SPDX-License-Identifier: GPL-2.0
/*
 * Negotiations per second of lcctl's negotiation code (userspace/negot.c),
 * for `make bench`: both ends of full RSA-2048 mutually authenticated
 * TLS 1.3 negotiations (handshake, HELLO, key derivation, READY,
 * close_notify) run in this one thread, joined by an in-memory BIO pair,
 * so one CPU does the work of both peers.  Each end keeps its SSL_CTX
 * across negotiations, as "lcctl up" does; there are no session tickets,
 * so each negotiation is a full handshake.  The two ends are those of the
 * unit tests (userspace/tests/negot_pair.h): pinned fingerprints, and
 * install callbacks that keep the derived material instead of sending it
 * over netlink.
 *
 *   bench-negot [--seconds S] A.key A.crt B.key B.crt
 *
 * Prints one JSON object: negotiations, seconds, negotiations_per_s
 * (both ends on one CPU) and end_per_s (one end's share: twice that);
 * cpu_seconds and negotiations_per_cpu_s, the same per second of this
 * process's CPU time, which other jobs on a shared host disturb far less
 * than the wall-clock rate (they take the CPU away, not just slow it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "identity.h"
#include "negot.h"
#include "negot_pair.h"

static void die(const char *what, const struct lc_err *err)
{
	fprintf(stderr, "bench-negot: %s%s%s\n", what, err ? ": " : "",
		err ? err->msg : "");
	exit(1);
}

static void end_load(struct pair_end *e, const char *key, const char *crt,
		     uint32_t index)
{
	struct lc_err err;

	if (lc_identity_load(&e->id, key, crt, time(NULL), &err))
		die(crt, &err);
	e->ctx = lc_neg_ctx(&e->id, NULL, &err);
	if (!e->ctx)
		die("TLS context", &err);
	e->index = index;
	e->cipher = LINKCRYPT_CIPHER_AES_256_GCM;
	e->epoch_min = 1;
}

/* One full negotiation between @a (client) and @b (server). */
static void negotiate(struct pair_end *a, struct pair_end *b)
{
	a->calls = b->calls = 0;
	pair_start(a, false);
	pair_start(b, true);
	pair_join(a, b);
	pair_pump(a, b, 1000);
	if (a->s.state != LC_SESS_DONE || b->s.state != LC_SESS_DONE)
		die("negotiation failed", a->s.state == LC_SESS_FAILED ?
		    &a->s.err : &b->s.err);
	/* Each end's TX material is the other's RX material. */
	if (memcmp(a->tx, b->rx, LINKCRYPT_MATERIAL_LEN) ||
	    memcmp(a->rx, b->tx, LINKCRYPT_MATERIAL_LEN))
		die("the ends derived different keys", NULL);
	lc_sess_free(&a->s);
	lc_sess_free(&b->s);
}

static double now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct pair_end a = { 0 }, b = { 0 };
	double secs = 5, t0, t, c0, c;
	long n = 0;

	if (argc == 7 && !strcmp(argv[1], "--seconds")) {
		secs = atof(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc != 5 || secs <= 0) {
		fprintf(stderr, "usage: bench-negot [--seconds S] A.key A.crt B.key B.crt\n");
		return 2;
	}
	end_load(&a, argv[1], argv[2], 7);
	end_load(&b, argv[3], argv[4], 9);
	a.pin = b.id.fpr;
	b.pin = a.id.fpr;
	negotiate(&a, &b);	/* warm-up, not counted */
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	t0 = now(CLOCK_MONOTONIC);
	do {
		negotiate(&a, &b);
		n++;
		t = now(CLOCK_MONOTONIC) - t0;
	} while (t < secs);
	c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
	printf("{\"negotiations\": %ld, \"seconds\": %.3f, "
	       "\"negotiations_per_s\": %.1f, \"end_per_s\": %.1f, "
	       "\"cpu_seconds\": %.3f, \"negotiations_per_cpu_s\": %.1f}\n",
	       n, t, n / t, 2 * n / t, c, n / c);
	OPENSSL_cleanse(a.rx, sizeof(a.rx));
	OPENSSL_cleanse(a.tx, sizeof(a.tx));
	OPENSSL_cleanse(b.rx, sizeof(b.rx));
	OPENSSL_cleanse(b.tx, sizeof(b.tx));
	SSL_CTX_free(a.ctx);
	SSL_CTX_free(b.ctx);
	lc_identity_free(&a.id);
	lc_identity_free(&b.id);
	return 0;
}
