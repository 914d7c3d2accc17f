// SPDX-License-Identifier: GPL-2.0
/*
 * Negotiations per second of lcctl's negotiation code (userspace/negot.c),
 * for `make bench`: both ends of full RSA-2048 mutually authenticated
 * TLS 1.3 negotiations (handshake, HELLO, key derivation, READY,
 * close_notify) run in this one thread, joined by an in-memory BIO pair,
 * so one CPU does the work of both peers.  Each end keeps its SSL_CTX
 * across negotiations, as "lcctl up" does; there are no session tickets,
 * so each negotiation is a full handshake.  The install callbacks copy
 * the derived material instead of sending it over netlink.
 *
 *   bench-negot [--seconds S] A.key A.crt B.key B.crt
 *
 * Prints one JSON object: negotiations, seconds, negotiations_per_s
 * (both ends on one CPU) and end_per_s (one end's share: twice that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "identity.h"
#include "negot.h"

struct end {
	struct lc_identity id;
	struct lc_fpr pin;
	SSL_CTX *ctx;
	struct lc_sess s;
	uint32_t index;
	uint8_t mat[2][LINKCRYPT_MATERIAL_LEN];
};

static int identify(struct lc_sess *s, void *arg)
{
	struct end *e = arg;
	X509 *cert = SSL_get0_peer_certificate(s->ssl);

	if (!cert || lc_fpr_of_cert(cert, &s->peer_fpr, &s->err))
		return -1;
	if (!lc_fpr_equal(&s->peer_fpr, &e->pin)) {
		lc_err_set(&s->err, "fingerprint mismatch");
		return -1;
	}
	if (lc_cert_check_peer(cert, "peer's certificate", time(NULL), &s->err))
		return -1;
	s->our_fpr = e->id.fpr;
	s->our_index = e->index;
	s->cipher = LINKCRYPT_CIPHER_AES_256_GCM;
	s->epoch_min = 1;
	return 0;
}

static int install_rx(struct lc_sess *s, void *arg, const uint8_t *mat)
{
	struct end *e = arg;

	(void)s;
	memcpy(e->mat[0], mat, LINKCRYPT_MATERIAL_LEN);
	return 0;
}

static int install_tx(struct lc_sess *s, void *arg, const uint8_t *mat)
{
	struct end *e = arg;

	(void)s;
	memcpy(e->mat[1], mat, LINKCRYPT_MATERIAL_LEN);
	return 0;
}

static const struct lc_sess_ops ops = {
	.identify = identify,
	.install_rx = install_rx,
	.install_tx = install_tx,
};

static void die(const char *what, const struct lc_err *err)
{
	fprintf(stderr, "bench-negot: %s%s%s\n", what, err ? ": " : "",
		err ? err->msg : "");
	exit(1);
}

static void end_load(struct end *e, const char *key, const char *crt,
		     uint32_t index)
{
	struct lc_err err;

	if (lc_identity_load(&e->id, key, crt, time(NULL), &err))
		die(crt, &err);
	e->ctx = lc_neg_ctx(&e->id, NULL, &err);
	if (!e->ctx)
		die("TLS context", &err);
	e->index = index;
}

static bool final(enum lc_sess_state st)
{
	return st == LC_SESS_DONE || st == LC_SESS_FAILED;
}

/* One full negotiation between @a (client) and @b (server). */
static void negotiate(struct end *a, struct end *b)
{
	SSL *sa = SSL_new(a->ctx), *sb = SSL_new(b->ctx);
	BIO *ba, *bb;
	int i;

	if (!sa || !sb || BIO_new_bio_pair(&ba, 0, &bb, 0) != 1)
		die("out of memory", NULL);
	SSL_set_connect_state(sa);
	SSL_set_accept_state(sb);
	SSL_set_bio(sa, ba, ba);
	SSL_set_bio(sb, bb, bb);
	lc_sess_init(&a->s, sa, &ops, a);
	lc_sess_init(&b->s, sb, &ops, b);
	for (i = 0; i < 1000 && !(final(a->s.state) && final(b->s.state)); i++) {
		lc_sess_step(&a->s);
		lc_sess_step(&b->s);
	}
	if (a->s.state != LC_SESS_DONE || b->s.state != LC_SESS_DONE)
		die("negotiation failed", a->s.state == LC_SESS_FAILED ?
		    &a->s.err : &b->s.err);
	/* Each end's TX material is the other's RX material. */
	if (memcmp(a->mat[1], b->mat[0], LINKCRYPT_MATERIAL_LEN) ||
	    memcmp(a->mat[0], b->mat[1], LINKCRYPT_MATERIAL_LEN))
		die("the ends derived different keys", NULL);
	lc_sess_free(&a->s);
	lc_sess_free(&b->s);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct end a = { 0 }, b = { 0 };
	double secs = 5, t0, t;
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
	t0 = now();
	do {
		negotiate(&a, &b);
		n++;
		t = now() - t0;
	} while (t < secs);
	printf("{\"negotiations\": %ld, \"seconds\": %.3f, "
	       "\"negotiations_per_s\": %.1f, \"end_per_s\": %.1f}\n",
	       n, t, n / t, 2 * n / t);
	OPENSSL_cleanse(&a.mat, sizeof(a.mat));
	OPENSSL_cleanse(&b.mat, sizeof(b.mat));
	SSL_CTX_free(a.ctx);
	SSL_CTX_free(b.ctx);
	lc_identity_free(&a.id);
	lc_identity_free(&b.id);
	return 0;
}
