/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Two ends of a negotiation (negot.c) in one process, joined by an
 * in-memory BIO pair and stepped in turn: the driver shared by the unit
 * tests (tests/test_negot.c) and the benchmark (scripts/bench-negot.c),
 * so that both run the same sessions.  Each end pins the other's
 * fingerprint, as a pinned peer of "lcctl up" does, and its install
 * callbacks keep the material instead of sending it over netlink.
 * Failures to allocate abort(): they are bugs of the caller.
 */
#ifndef LCCTL_TEST_NEGOT_PAIR_H
#define LCCTL_TEST_NEGOT_PAIR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/ssl.h>

#include "identity.h"
#include "negot.h"

struct pair_end {
	struct lc_identity id;
	struct lc_fpr pin;	/* the fingerprint the other end must have */
	SSL_CTX *ctx;
	struct lc_sess s;
	/* What identify() proposes. */
	uint32_t index;
	uint16_t cipher;
	uint32_t epoch_min;
	/* What the install callbacks saw. */
	int calls;		/* order: rx sets 1, tx sets 2 after rx */
	int rx_at, tx_at;
	uint8_t rx[LINKCRYPT_MATERIAL_LEN], tx[LINKCRYPT_MATERIAL_LEN];
	uint32_t rx_epoch, tx_epoch;
};

/* A pinned peer: its fingerprint, then the checks of every certificate. */
static inline int pair_identify(struct lc_sess *s, void *arg)
{
	struct pair_end *e = arg;
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
	s->cipher = e->cipher;
	s->epoch_min = e->epoch_min;
	return 0;
}

static inline int pair_install_rx(struct lc_sess *s, void *arg,
				  const uint8_t *mat)
{
	struct pair_end *e = arg;

	memcpy(e->rx, mat, sizeof(e->rx));
	e->rx_epoch = s->epoch;
	e->rx_at = ++e->calls;
	return 0;
}

static inline int pair_install_tx(struct lc_sess *s, void *arg,
				  const uint8_t *mat)
{
	struct pair_end *e = arg;

	memcpy(e->tx, mat, sizeof(e->tx));
	e->tx_epoch = s->epoch;
	e->tx_at = ++e->calls;
	return 0;
}

static const struct lc_sess_ops pair_ops = {
	.identify = pair_identify,
	.install_rx = pair_install_rx,
	.install_tx = pair_install_tx,
};

/* A new session of @e on its context, as the client or the server. */
static inline void pair_start(struct pair_end *e, bool server)
{
	SSL *ssl = SSL_new(e->ctx);

	if (!ssl)
		abort();
	if (server)
		SSL_set_accept_state(ssl);
	else
		SSL_set_connect_state(ssl);
	lc_sess_init(&e->s, ssl, &pair_ops, e);
}

/* Join the sessions of @a and @b by a BIO pair. */
static inline void pair_join(struct pair_end *a, struct pair_end *b)
{
	BIO *ba, *bb;

	if (BIO_new_bio_pair(&ba, 0, &bb, 0) != 1)
		abort();
	SSL_set_bio(a->s.ssl, ba, ba);
	SSL_set_bio(b->s.ssl, bb, bb);
}

static inline bool pair_final(enum lc_sess_state st)
{
	return st == LC_SESS_DONE || st == LC_SESS_FAILED;
}

/*
 * Step both sessions in turn until both are over, or @rounds rounds
 * (a bound against a session that waits forever).
 */
static inline void pair_pump(struct pair_end *a, struct pair_end *b,
			     int rounds)
{
	int i;

	for (i = 0; i < rounds && !(pair_final(a->s.state) &&
				    pair_final(b->s.state)); i++) {
		lc_sess_step(&a->s);
		lc_sess_step(&b->s);
	}
}

#endif /* LCCTL_TEST_NEGOT_PAIR_H */
