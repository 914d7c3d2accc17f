// SPDX-License-Identifier: GPL-2.0
/*
 * Key negotiation (negot.c) between two in-memory TLS endpoints joined
 * by a BIO pair: messages, the session state machine, the derivation.
 */
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "kselftest_harness.h"

#include "identity.h"
#include "negot.h"
#include "up.h"
#include "cli.h"
#include "negot_pair.h"
#include "pki.h"

static void make_id(struct lc_identity *id, const char *cn)
{
	id->key = pki_rsa(2048);
	id->cert = pki_cert(id->key, cn, T_2020, T_2100, false);
	if (lc_fpr_of_cert(id->cert, &id->fpr, NULL))
		abort();
}

static void end_start(struct pair_end *e, bool server)
{
	struct lc_err err;

	e->ctx = lc_neg_ctx(&e->id, NULL, &err);
	if (!e->ctx) {
		fprintf(stderr, "%s\n", err.msg);
		abort();
	}
	pair_start(e, server);
}

static void end_stop(struct pair_end *e)
{
	lc_sess_free(&e->s);
	SSL_CTX_free(e->ctx);
	e->ctx = NULL;
}

FIXTURE(neg) {
	struct pair_end a, b;
	struct lc_identity third;
};

FIXTURE_SETUP(neg)
{
	memset(&self->a, 0, sizeof(self->a));
	memset(&self->b, 0, sizeof(self->b));
	make_id(&self->a.id, "alpha");
	make_id(&self->b.id, "beta");
	make_id(&self->third, "gamma");
	self->a.pin = self->b.id.fpr;
	self->b.pin = self->a.id.fpr;
	self->a.index = 7;
	self->b.index = 9;
	self->a.cipher = self->b.cipher = LINKCRYPT_CIPHER_AES_256_GCM;
	self->a.epoch_min = 1;
	self->b.epoch_min = 5;
}

FIXTURE_TEARDOWN(neg)
{
	lc_identity_free(&self->a.id);
	lc_identity_free(&self->b.id);
	lc_identity_free(&self->third);
}

static void run(struct pair_end *a, struct pair_end *b)
{
	end_start(a, false);
	end_start(b, true);
	pair_join(a, b);
	pair_pump(a, b, 200);
}

TEST(messages)
{
	struct lc_msg m = { .type = LC_MSG_HELLO, .index = 0x01020304,
			    .cipher = 2, .epoch = 0xa0b0c0d0 }, d;
	uint8_t buf[LC_MSG_MAX_LEN];
	size_t n, used = 0;

	n = lc_msg_encode(&m, buf, sizeof(buf));
	ASSERT_EQ(14u, n);
	EXPECT_EQ(LC_MSG_HELLO, buf[0]);
	EXPECT_EQ(LC_NEG_VERSION, buf[1]);
	EXPECT_EQ(0, buf[2]);
	EXPECT_EQ(10, buf[3]);
	EXPECT_EQ(0x01u, buf[4]);
	/* Every truncation waits for more. */
	for (size_t i = 0; i < n; i++) {
		EXPECT_EQ(0, lc_msg_decode(buf, i, &d, &used));
	}
	ASSERT_EQ(1, lc_msg_decode(buf, n, &d, &used));
	EXPECT_EQ(n, used);
	EXPECT_EQ(m.index, d.index);
	EXPECT_EQ(m.cipher, d.cipher);
	EXPECT_EQ(m.epoch, d.epoch);

	m = (struct lc_msg){ .type = LC_MSG_READY, .epoch = 77 };
	ASSERT_EQ(8u, lc_msg_encode(&m, buf, sizeof(buf)));
	ASSERT_EQ(1, lc_msg_decode(buf, 8, &d, &used));
	EXPECT_EQ(77u, d.epoch);
	EXPECT_EQ(LC_MSG_READY, d.type);

	m = (struct lc_msg){ .type = LC_MSG_ERROR, .code = LC_NEG_E_CIPHER };
	ASSERT_EQ(6u, lc_msg_encode(&m, buf, sizeof(buf)));
	ASSERT_EQ(1, lc_msg_decode(buf, 6, &d, &used));
	EXPECT_EQ(LC_NEG_E_CIPHER, d.code);

	/* Too small a buffer, unknown type. */
	EXPECT_EQ(0u, lc_msg_encode(&m, buf, 5));
	m.type = 9;
	EXPECT_EQ(0u, lc_msg_encode(&m, buf, sizeof(buf)));

	/* Malformed: bad version, wrong length, unknown type. */
	buf[0] = LC_MSG_ERROR;
	buf[1] = 2;
	EXPECT_EQ(-1, lc_msg_decode(buf, 6, &d, &used));
	buf[1] = LC_NEG_VERSION;
	buf[3] = 3;
	EXPECT_EQ(-1, lc_msg_decode(buf, 6, &d, &used));
	buf[3] = 2;
	buf[0] = 0;
	EXPECT_EQ(-1, lc_msg_decode(buf, 6, &d, &used));
}

TEST(tie_break)
{
	struct lc_fpr x, y;

	memset(&x, 0x11, sizeof(x));
	memset(&y, 0x11, sizeof(y));
	y.b[31] = 0x12;
	EXPECT_TRUE(lc_neg_we_win(&x, &y));
	EXPECT_FALSE(lc_neg_we_win(&y, &x));
	EXPECT_FALSE(lc_neg_we_win(&x, &x));
}

TEST_F(neg, agree)
{
	struct pair_end *a = &self->a, *b = &self->b;
	uint8_t zero[LINKCRYPT_MATERIAL_LEN] = { 0 };
	int nid = 0, group;

	run(a, b);
	ASSERT_EQ(LC_SESS_DONE, (int)a->s.state) TH_LOG("a: %s", a->s.err.msg);
	ASSERT_EQ(LC_SESS_DONE, (int)b->s.state) TH_LOG("b: %s", b->s.err.msg);

	/* TLS 1.3, X25519, RSA-PSS both ways. */
	EXPECT_EQ(TLS1_3_VERSION, SSL_version(a->s.ssl));
	group = SSL_get_negotiated_group(a->s.ssl);
	EXPECT_EQ(NID_X25519, group);
	ASSERT_EQ(1, SSL_get_peer_signature_type_nid(a->s.ssl, &nid));
	EXPECT_EQ(EVP_PKEY_RSA_PSS, nid);
	ASSERT_EQ(1, SSL_get_peer_signature_type_nid(b->s.ssl, &nid));
	EXPECT_EQ(EVP_PKEY_RSA_PSS, nid);

	/* Each learnt the other's index; the epoch is the larger proposal. */
	EXPECT_EQ(9u, a->s.remote_index);
	EXPECT_EQ(7u, b->s.remote_index);
	EXPECT_EQ(5u, a->s.epoch);
	EXPECT_EQ(5u, b->s.epoch);
	EXPECT_EQ(5u, a->rx_epoch);
	EXPECT_EQ(5u, a->tx_epoch);

	/* RX before TX, on both sides. */
	EXPECT_EQ(1, a->rx_at);
	EXPECT_EQ(2, a->tx_at);
	EXPECT_EQ(1, b->rx_at);
	EXPECT_EQ(2, b->tx_at);

	/* One side's TX is the other's RX; the directions differ. */
	EXPECT_EQ(0, memcmp(a->tx, b->rx, LINKCRYPT_MATERIAL_LEN));
	EXPECT_EQ(0, memcmp(a->rx, b->tx, LINKCRYPT_MATERIAL_LEN));
	EXPECT_NE(0, memcmp(a->tx, a->rx, LINKCRYPT_MATERIAL_LEN));
	EXPECT_NE(0, memcmp(a->tx, zero, LINKCRYPT_MATERIAL_LEN));
	/* The session wiped its copy. */
	EXPECT_EQ(0, memcmp(a->s.tx, zero, LINKCRYPT_MATERIAL_LEN));

	end_stop(a);
	end_stop(b);
}

/* Every epoch is a new handshake: new ECDHE, new keys, same epoch or not. */
TEST_F(neg, fresh_keys_per_handshake)
{
	struct pair_end *a = &self->a, *b = &self->b;
	uint8_t first[LINKCRYPT_MATERIAL_LEN];
	uint8_t tx[LINKCRYPT_MATERIAL_LEN], rx[LINKCRYPT_MATERIAL_LEN];
	uint8_t tx2[LINKCRYPT_MATERIAL_LEN], rx2[LINKCRYPT_MATERIAL_LEN];
	struct lc_err err;

	run(a, b);
	ASSERT_EQ(LC_SESS_DONE, (int)a->s.state);
	memcpy(first, a->tx, sizeof(first));

	/* Same session, other epoch: other keys. */
	ASSERT_EQ(0, lc_neg_derive(a->s.ssl, &a->id.fpr, &b->id.fpr, 6, tx, rx,
				   &err));
	ASSERT_EQ(0, lc_neg_derive(a->s.ssl, &a->id.fpr, &b->id.fpr, 5, tx2,
				   rx2, &err));
	EXPECT_EQ(0, memcmp(tx2, first, sizeof(first)));
	EXPECT_NE(0, memcmp(tx, first, sizeof(first)));
	EXPECT_NE(0, memcmp(rx, rx2, sizeof(rx)));
	/* Our own fingerprint as the peer's: refused. */
	EXPECT_EQ(-1, lc_neg_derive(a->s.ssl, &a->id.fpr, &a->id.fpr, 6, tx,
				    rx, &err));
	end_stop(a);
	end_stop(b);

	/* A new handshake, the same epoch: other keys. */
	a->epoch_min = b->epoch_min = 5;
	run(a, b);
	ASSERT_EQ(LC_SESS_DONE, (int)a->s.state);
	ASSERT_EQ(LC_SESS_DONE, (int)b->s.state);
	EXPECT_EQ(5u, a->s.epoch);
	EXPECT_NE(0, memcmp(a->tx, first, sizeof(first)));
	EXPECT_EQ(0, memcmp(a->tx, b->rx, LINKCRYPT_MATERIAL_LEN));
	end_stop(a);
	end_stop(b);
}

TEST_F(neg, cipher_mismatch)
{
	struct pair_end *a = &self->a, *b = &self->b;

	b->cipher = LINKCRYPT_CIPHER_CHACHA20_POLY1305;
	run(a, b);
	EXPECT_EQ(LC_SESS_FAILED, (int)a->s.state);
	EXPECT_EQ(LC_SESS_FAILED, (int)b->s.state);
	EXPECT_NE(NULL, strstr(a->s.err.msg, "cipher")) TH_LOG("%s", a->s.err.msg);
	EXPECT_NE(NULL, strstr(b->s.err.msg, "cipher")) TH_LOG("%s", b->s.err.msg);
	EXPECT_EQ(0, a->calls);
	EXPECT_EQ(0, b->calls);
	end_stop(a);
	end_stop(b);
}

TEST_F(neg, wrong_pin)
{
	struct pair_end *a = &self->a, *b = &self->b;

	a->pin = self->third.fpr;
	run(a, b);
	EXPECT_EQ(LC_SESS_FAILED, (int)a->s.state);
	EXPECT_EQ(LC_SESS_FAILED, (int)b->s.state);
	EXPECT_STREQ("fingerprint mismatch", a->s.err.msg);
	EXPECT_EQ(0, a->calls);
	EXPECT_EQ(0, b->calls);
	end_stop(a);
	end_stop(b);
}

/* A leaf signed by a CA we do not hold: refused by the chain check. */
TEST_F(neg, unknown_ca)
{
	struct pair_end *a = &self->a, *b = &self->b;
	EVP_PKEY *cakey = pki_rsa(2048);
	X509 *ca = pki_cert(cakey, "ca", T_2020, T_2100, true);
	X509 *leaf = pki_cert(b->id.key, "beta", T_2020, T_2100, false);

	ASSERT_EQ(1, X509_set_issuer_name(leaf, X509_get_subject_name(ca)));
	ASSERT_LT(0, X509_sign(leaf, cakey, EVP_sha256()));
	X509_free(b->id.cert);
	b->id.cert = leaf;
	run(a, b);
	EXPECT_EQ(LC_SESS_FAILED, (int)a->s.state);
	EXPECT_EQ(LC_SESS_FAILED, (int)b->s.state);
	EXPECT_EQ(0, a->calls);
	end_stop(a);
	end_stop(b);
	X509_free(ca);
	EVP_PKEY_free(cakey);
}

/* A leaf signed by the CA we hold, with the peer's name: verified. */
TEST_F(neg, ca_chain)
{
	struct pair_end *a = &self->a, *b = &self->b;
	EVP_PKEY *cakey = pki_rsa(2048);
	X509 *ca = pki_cert(cakey, "ca", T_2020, T_2100, true);
	X509 *leaf = pki_cert(b->id.key, "beta", T_2020, T_2100, false);
	X509_STORE *store = X509_STORE_new();
	struct lc_err err;
	SSL *ssl;

	ASSERT_NE(NULL, store);
	ASSERT_EQ(1, X509_STORE_add_cert(store, ca));
	pki_ext(leaf, NID_subject_alt_name, "DNS:beta.example");
	ASSERT_EQ(1, X509_set_issuer_name(leaf, X509_get_subject_name(ca)));
	ASSERT_LT(0, X509_sign(leaf, cakey, EVP_sha256()));
	X509_free(b->id.cert);
	b->id.cert = leaf;
	ASSERT_EQ(0, lc_fpr_of_cert(leaf, &b->id.fpr, &err));
	a->pin = b->id.fpr;

	a->ctx = lc_neg_ctx(&a->id, store, &err);
	ASSERT_NE(NULL, a->ctx);
	ssl = SSL_new(a->ctx);
	SSL_set_connect_state(ssl);
	ASSERT_EQ(1, SSL_set1_host(ssl, "beta.example"));
	lc_sess_init(&a->s, ssl, &pair_ops, a);
	end_start(b, true);
	pair_join(a, b);
	pair_pump(a, b, 200);
	ASSERT_EQ(LC_SESS_DONE, (int)a->s.state) TH_LOG("a: %s", a->s.err.msg);
	EXPECT_EQ(X509_V_OK, SSL_get_verify_result(a->s.ssl));
	EXPECT_EQ(1, X509_check_host(SSL_get0_peer_certificate(a->s.ssl),
				     "beta.example", 0, 0, NULL));
	/* The pinned side (b) sees a self-signed leaf: not X509_V_OK. */
	EXPECT_EQ(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
		  SSL_get_verify_result(b->s.ssl));
	end_stop(a);
	end_stop(b);

	/* Another name: the handshake fails. */
	a->ctx = lc_neg_ctx(&a->id, store, &err);
	ssl = SSL_new(a->ctx);
	SSL_set_connect_state(ssl);
	ASSERT_EQ(1, SSL_set1_host(ssl, "gamma.example"));
	lc_sess_init(&a->s, ssl, &pair_ops, a);
	b->calls = 0;
	end_start(b, true);
	pair_join(a, b);
	pair_pump(a, b, 200);
	EXPECT_EQ(LC_SESS_FAILED, (int)a->s.state);
	EXPECT_EQ(0, b->calls);
	end_stop(a);
	end_stop(b);
	X509_STORE_free(store);
	X509_free(ca);
	EVP_PKEY_free(cakey);
}

/*
 * CA mode as "lcctl up" runs it: alpha (the listener) verifies beta with
 * a CA bundle and beta's Name (lc_neg_peer_is()), beta pins alpha.  Each
 * case makes beta a certificate; the good one passes, every other is
 * refused before any key is installed.
 */
struct ca_end {
	struct pair_end e;
	struct lc_conf_peer cp;		/* alpha's configuration of beta */
};

static int ca_identify(struct lc_sess *s, void *arg)
{
	struct ca_end *c = arg;
	X509 *cert = SSL_get0_peer_certificate(s->ssl);

	if (!cert || lc_fpr_of_cert(cert, &s->peer_fpr, &s->err) ||
	    lc_cert_check_peer(cert, "the peer's certificate", time(NULL),
			       &s->err) ||
	    !lc_neg_peer_is(cert, &s->peer_fpr,
			    SSL_get_verify_result(s->ssl) == X509_V_OK, &c->cp,
			    &s->err))
		return -1;
	s->our_fpr = c->e.id.fpr;
	s->our_index = c->e.index;
	s->cipher = c->e.cipher;
	s->epoch_min = c->e.epoch_min;
	return 0;
}

static int ca_install_rx(struct lc_sess *s, void *arg, const uint8_t *mat)
{
	return pair_install_rx(s, &((struct ca_end *)arg)->e, mat);
}

static int ca_install_tx(struct lc_sess *s, void *arg, const uint8_t *mat)
{
	return pair_install_tx(s, &((struct ca_end *)arg)->e, mat);
}

static const struct lc_sess_ops ca_ops = {
	.identify = ca_identify,
	.install_rx = ca_install_rx,
	.install_tx = ca_install_tx,
};

FIXTURE(ca) {
	EVP_PKEY *cakey, *otherkey;
	X509 *ca, *other;
	X509_STORE *store;
	struct ca_end a;
	struct pair_end b;
};

FIXTURE_SETUP(ca)
{
	memset(&self->a, 0, sizeof(self->a));
	memset(&self->b, 0, sizeof(self->b));
	self->cakey = pki_rsa(2048);
	self->ca = pki_cert(self->cakey, "ca", T_2020, T_2100, true);
	self->otherkey = pki_rsa(2048);
	self->other = pki_cert(self->otherkey, "ca", T_2020, T_2100, true);
	self->store = X509_STORE_new();
	if (!self->store || X509_STORE_add_cert(self->store, self->ca) != 1)
		abort();
	make_id(&self->a.e.id, "alpha");
	self->b.id.key = pki_rsa(2048);
	self->a.cp.id = 2;
	self->a.cp.name = "beta.example";
	self->a.e.index = 2;
	self->b.index = 1;
	self->a.e.cipher = self->b.cipher = LINKCRYPT_CIPHER_AES_256_GCM;
	self->a.e.epoch_min = self->b.epoch_min = 1;
	self->b.pin = self->a.e.id.fpr;
}

FIXTURE_TEARDOWN(ca)
{
	lc_identity_free(&self->a.e.id);
	lc_identity_free(&self->b.id);
	X509_STORE_free(self->store);
	X509_free(self->ca);
	X509_free(self->other);
	EVP_PKEY_free(self->cakey);
	EVP_PKEY_free(self->otherkey);
}

/* Beta's certificate: @key's, @san, valid @nb..@na, signed by @by. */
static void ca_leaf(struct pair_end *b, EVP_PKEY *key, const char *san, time_t nb,
		    time_t na, X509 *by, EVP_PKEY *bykey)
{
	X509 *leaf = pki_cert(key, "beta", nb, na, false);

	pki_ext(leaf, NID_subject_alt_name, san);
	if (X509_set_issuer_name(leaf, X509_get_subject_name(by)) != 1 ||
	    X509_sign(leaf, bykey, EVP_sha256()) <= 0)
		abort();
	X509_free(b->id.cert);
	b->id.cert = leaf;
	if (key != b->id.key) {
		EVP_PKEY_free(b->id.key);
		b->id.key = key;
	}
	if (lc_fpr_of_cert(leaf, &b->id.fpr, NULL))
		abort();
}

/*
 * Alpha listens with the CA; beta connects with its certificate (a
 * context of its own at security level 1, so that it can even present
 * an RSA-1024 key).  Returns alpha's state.
 */
static enum lc_sess_state ca_run(struct ca_end *a, struct pair_end *b,
				  X509_STORE *store)
{
	struct lc_err err;
	SSL *ssl;

	a->e.ctx = lc_neg_ctx(&a->e.id, store, &err);
	if (!a->e.ctx)
		abort();
	ssl = SSL_new(a->e.ctx);
	SSL_set_accept_state(ssl);
	lc_sess_init(&a->e.s, ssl, &ca_ops, a);

	b->ctx = SSL_CTX_new(TLS_method());
	if (!b->ctx)
		abort();
	SSL_CTX_set_security_level(b->ctx, 1);
	if (!SSL_CTX_set_min_proto_version(b->ctx, TLS1_3_VERSION) ||
	    SSL_CTX_use_certificate(b->ctx, b->id.cert) != 1 ||
	    SSL_CTX_use_PrivateKey(b->ctx, b->id.key) != 1)
		abort();
	SSL_CTX_set_verify(b->ctx, SSL_VERIFY_NONE, NULL);
	ssl = SSL_new(b->ctx);
	SSL_set_connect_state(ssl);
	lc_sess_init(&b->s, ssl, &pair_ops, b);
	pair_join(&a->e, b);
	pair_pump(&a->e, b, 200);
	return a->e.s.state;
}

static void ca_stop(struct ca_end *a, struct pair_end *b)
{
	end_stop(&a->e);
	end_stop(b);
}

TEST_F(ca, good)
{
	ca_leaf(&self->b, self->b.id.key, "DNS:beta.example", T_2020, T_2100,
		self->ca, self->cakey);
	ASSERT_EQ(LC_SESS_DONE, (int)ca_run(&self->a, &self->b, self->store))
		TH_LOG("%s", self->a.e.s.err.msg);
	EXPECT_EQ(LC_SESS_DONE, (int)self->b.s.state) TH_LOG("%s", self->b.s.err.msg);
	EXPECT_EQ(2, self->a.e.calls);
	EXPECT_EQ(X509_V_OK, SSL_get_verify_result(self->a.e.s.ssl));
	ca_stop(&self->a, &self->b);
}

/* Refused: alpha installs nothing, and says why if the handshake got through. */
#define REFUSED(self_, why_) do {					\
		EXPECT_EQ(LC_SESS_FAILED,				\
			  (int)ca_run(&(self_)->a, &(self_)->b, (self_)->store)); \
		EXPECT_EQ(0, (self_)->a.e.calls);			\
		EXPECT_EQ(0, (self_)->b.calls);				\
		if (why_)						\
			EXPECT_NE(NULL, strstr((self_)->a.e.s.err.msg, why_ ? why_ : "")) \
				TH_LOG("%s", (self_)->a.e.s.err.msg);	\
		ca_stop(&(self_)->a, &(self_)->b);			\
	} while (0)

TEST_F(ca, wrong_ca)
{
	ca_leaf(&self->b, self->b.id.key, "DNS:beta.example", T_2020, T_2100,
		self->other, self->otherkey);
	REFUSED(self, "certificate verify failed");
}

TEST_F(ca, expired)
{
	ca_leaf(&self->b, self->b.id.key, "DNS:beta.example", T_2020, T_2021,
		self->ca, self->cakey);
	REFUSED(self, "certificate verify failed");
}

TEST_F(ca, not_yet_valid)
{
	ca_leaf(&self->b, self->b.id.key, "DNS:beta.example", T_2100 - 86400,
		T_2100, self->ca, self->cakey);
	REFUSED(self, "certificate verify failed");
}

TEST_F(ca, rsa1024)
{
	ca_leaf(&self->b, pki_rsa(1024), "DNS:beta.example", T_2020, T_2100,
		self->ca, self->cakey);
	REFUSED(self, (const char *)NULL);
}

TEST_F(ca, wrong_name)
{
	ca_leaf(&self->b, self->b.id.key, "DNS:gamma.example", T_2020, T_2100,
		self->ca, self->cakey);
	REFUSED(self, "the certificate does not carry the name beta.example");
}

/* A CA-signed certificate whose key is pinned elsewhere is no CA peer. */
TEST(peer_is)
{
	struct lc_conf_peer cp = { .has_fpr = true };
	struct lc_fpr f;
	struct lc_err err;

	memset(&cp.fpr, 0x11, sizeof(cp.fpr));
	memset(&f, 0x22, sizeof(f));
	EXPECT_FALSE(lc_neg_peer_is(NULL, &f, true, &cp, &err));
	EXPECT_EQ(0, strncmp(err.msg, "fingerprint mismatch: expected 1111", 35));
	EXPECT_TRUE(lc_neg_peer_is(NULL, &cp.fpr, false, &cp, &err));
	cp.has_fpr = false;
	cp.name = "beta.example";
	EXPECT_FALSE(lc_neg_peer_is(NULL, &f, false, &cp, &err));
	EXPECT_STREQ("certificate not verified by the CA", err.msg);
}

TEST(up_args)
{
	char *ok[] = { "lc0", "-c", "a.conf", "-v" };
	char *ok2[] = { "config", "a.conf" };
	char *nofile[] = { "lc0" };
	char *twodev[] = { "lc0", "lc1", "-c", "x" };
	char *badopt[] = { "-x", "-c", "x" };
	struct up_args a;

	ASSERT_EQ(CLI_OK, up_parse_args(4, ok, &a));
	EXPECT_STREQ("lc0", a.dev);
	EXPECT_STREQ("a.conf", a.file);
	EXPECT_TRUE(a.verbose);
	ASSERT_EQ(CLI_OK, up_parse_args(2, ok2, &a));
	EXPECT_EQ(NULL, a.dev);
	EXPECT_FALSE(a.verbose);
	EXPECT_EQ(CLI_USAGE, up_parse_args(1, nofile, &a));
	EXPECT_EQ(CLI_USAGE, up_parse_args(4, twodev, &a));
	EXPECT_EQ(CLI_USAGE, up_parse_args(3, badopt, &a));
}

TEST_HARNESS_MAIN
