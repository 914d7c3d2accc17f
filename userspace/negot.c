// SPDX-License-Identifier: GPL-2.0
/* Key negotiation: TLS context, messages, derivation, session state machine. */
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "cipher.h"
#include "negot.h"

/* Body lengths by type. */
static size_t body_len(uint8_t type)
{
	switch (type) {
	case LC_MSG_HELLO:
		return 10;	/* index u32, cipher u16, epoch u32 */
	case LC_MSG_READY:
		return 4;	/* epoch u32 */
	case LC_MSG_ERROR:
		return 2;	/* code u16 */
	}
	return 0;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

size_t lc_msg_encode(const struct lc_msg *m, uint8_t *buf, size_t len)
{
	size_t blen = body_len(m->type);
	uint8_t *b = buf + LC_MSG_HDR_LEN;

	if (!blen || len < LC_MSG_HDR_LEN + blen)
		return 0;
	buf[0] = m->type;
	buf[1] = LC_NEG_VERSION;
	put16(buf + 2, (uint16_t)blen);
	switch (m->type) {
	case LC_MSG_HELLO:
		put32(b, m->index);
		put16(b + 4, m->cipher);
		put32(b + 6, m->epoch);
		break;
	case LC_MSG_READY:
		put32(b, m->epoch);
		break;
	case LC_MSG_ERROR:
		put16(b, m->code);
		break;
	}
	return LC_MSG_HDR_LEN + blen;
}

int lc_msg_decode(const uint8_t *buf, size_t len, struct lc_msg *m,
		  size_t *used)
{
	const uint8_t *b = buf + LC_MSG_HDR_LEN;
	size_t blen;

	if (len < LC_MSG_HDR_LEN)
		return 0;
	blen = body_len(buf[0]);
	if (!blen || buf[1] != LC_NEG_VERSION || get16(buf + 2) != blen)
		return -1;
	if (len < LC_MSG_HDR_LEN + blen)
		return 0;
	memset(m, 0, sizeof(*m));
	m->type = buf[0];
	switch (m->type) {
	case LC_MSG_HELLO:
		m->index = get32(b);
		m->cipher = get16(b + 4);
		m->epoch = get32(b + 6);
		break;
	case LC_MSG_READY:
		m->epoch = get32(b);
		break;
	case LC_MSG_ERROR:
		m->code = get16(b);
		break;
	}
	*used = LC_MSG_HDR_LEN + blen;
	return 1;
}

bool lc_neg_we_win(const struct lc_fpr *ours, const struct lc_fpr *theirs)
{
	/* Fingerprints are public: no need for constant time here. */
	return memcmp(ours->b, theirs->b, LC_FPR_LEN) < 0;
}

int lc_neg_derive(SSL *ssl, const struct lc_fpr *ours,
		  const struct lc_fpr *theirs, uint32_t epoch, uint8_t *tx,
		  uint8_t *rx, struct lc_err *err)
{
	uint8_t ctx[2 * LC_FPR_LEN + 5];
	uint8_t out[2 * LINKCRYPT_MATERIAL_LEN];
	int c = memcmp(ours->b, theirs->b, LC_FPR_LEN);
	const struct lc_fpr *lo = c < 0 ? ours : theirs;
	const struct lc_fpr *hi = c < 0 ? theirs : ours;

	if (c == 0) {
		lc_err_set(err, "the peer has our own fingerprint");
		return -1;
	}
	memcpy(ctx, lo->b, LC_FPR_LEN);
	memcpy(ctx + LC_FPR_LEN, hi->b, LC_FPR_LEN);
	put32(ctx + 2 * LC_FPR_LEN, epoch);
	ctx[2 * LC_FPR_LEN + 4] = lc_neg_key_id(epoch);
	if (SSL_export_keying_material(ssl, out, sizeof(out), LC_NEG_LABEL,
				       strlen(LC_NEG_LABEL), ctx, sizeof(ctx),
				       1) != 1) {
		lc_err_ssl(err, "cannot export keying material");
		return -1;
	}
	/* First half: lower -> higher. */
	memcpy(tx, out + (c < 0 ? 0 : LINKCRYPT_MATERIAL_LEN),
	       LINKCRYPT_MATERIAL_LEN);
	memcpy(rx, out + (c < 0 ? LINKCRYPT_MATERIAL_LEN : 0),
	       LINKCRYPT_MATERIAL_LEN);
	OPENSSL_cleanse(out, sizeof(out));
	return 0;
}

bool lc_neg_peer_is(X509 *cert, const struct lc_fpr *fpr, bool verified,
		    const struct lc_conf_peer *cp, struct lc_err *err)
{
	char want[LC_FPR_HEX_LEN + 1], got[LC_FPR_HEX_LEN + 1];

	if (cp->has_fpr) {
		if (lc_fpr_equal(&cp->fpr, fpr))
			return true;
		if (err)
			lc_err_set(err, "fingerprint mismatch: expected %s, got %s",
				   lc_fpr_hex(&cp->fpr, want, sizeof(want)),
				   lc_fpr_hex(fpr, got, sizeof(got)));
		return false;
	}
	if (!verified) {
		if (err)
			lc_err_set(err, "certificate not verified by the CA");
		return false;
	}
	if (!cp->name || X509_check_host(cert, cp->name, 0, 0, NULL) != 1) {
		if (err)
			lc_err_set(err, "the certificate does not carry the name %s",
				   cp->name ? cp->name : "(none)");
		return false;
	}
	return true;
}

/*
 * Chain verification: a chain to the CA store passes; so does a
 * self-signed leaf alone, for pinned peers (the pin and the certificate
 * checks come after the handshake, and a CA peer requires
 * SSL_get_verify_result() == X509_V_OK).  Nothing else.
 */
static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
	if (ok)
		return 1;
	return X509_STORE_CTX_get_error_depth(ctx) == 0 &&
	       X509_STORE_CTX_get_error(ctx) ==
		       X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT;
}

SSL_CTX *lc_neg_ctx(const struct lc_identity *id, X509_STORE *ca,
		    struct lc_err *err)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_method());

	if (!ctx) {
		lc_err_ssl(err, "cannot create a TLS context");
		return NULL;
	}
	if (SSL_CTX_get_security_level(ctx) < 2)
		SSL_CTX_set_security_level(ctx, 2);
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set1_groups_list(ctx, "X25519") ||
	    !SSL_CTX_set1_sigalgs_list(ctx, "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:"
					    "rsa_pss_rsae_sha512:rsa_pss_pss_sha256:"
					    "rsa_pss_pss_sha384:rsa_pss_pss_sha512") ||
	    !SSL_CTX_set_num_tickets(ctx, 0) ||
	    SSL_CTX_use_certificate(ctx, id->cert) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, id->key) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		lc_err_ssl(err, "cannot set up the TLS context");
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (ca)
		SSL_CTX_set1_cert_store(ctx, ca);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_clear_mode(ctx, SSL_MODE_AUTO_RETRY);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
			   verify_cb);
	return ctx;
}

void lc_sess_init(struct lc_sess *s, SSL *ssl, const struct lc_sess_ops *ops,
		  void *arg)
{
	memset(s, 0, sizeof(*s));
	s->ssl = ssl;
	s->ops = ops;
	s->arg = arg;
	s->state = LC_SESS_HANDSHAKE;
	s->want = POLLIN | POLLOUT;
}

void lc_sess_free(struct lc_sess *s)
{
	SSL_free(s->ssl);
	OPENSSL_cleanse(s, sizeof(*s));
}

static enum lc_sess_state fail(struct lc_sess *s)
{
	s->state = LC_SESS_FAILED;
	return s->state;
}

/*
 * The outcome of an SSL call that returned @r <= 0: 0 if it must wait
 * (s->want set), 1 if the peer closed the session cleanly, -1 on error
 * (@s->err set, prefixed with @what).
 */
static int io_result(struct lc_sess *s, int r, const char *what)
{
	bool verify_failed;
	size_t len;

	switch (SSL_get_error(s->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		s->want = POLLIN;
		return 0;
	case SSL_ERROR_WANT_WRITE:
		s->want = POLLOUT;
		return 0;
	case SSL_ERROR_ZERO_RETURN:
		return 1;
	case SSL_ERROR_SYSCALL:
		if (!ERR_peek_error()) {
			lc_err_set(&s->err, "%s: connection closed or reset",
				   what);
			return -1;
		}
		/* fall through */
	default:
		verify_failed = ERR_GET_REASON(ERR_peek_last_error()) ==
				SSL_R_CERTIFICATE_VERIFY_FAILED;
		lc_err_ssl(&s->err, "%s", what);
		/* Say why: expired, unknown CA, key too weak... */
		len = strlen(s->err.msg);
		if (verify_failed && len < sizeof(s->err.msg))
			snprintf(s->err.msg + len, sizeof(s->err.msg) - len,
				 " (%s)", X509_verify_cert_error_string(
					 SSL_get_verify_result(s->ssl)));
		return -1;
	}
}

static int queue(struct lc_sess *s, const struct lc_msg *m)
{
	size_t n = lc_msg_encode(m, s->out + s->out_len,
				 sizeof(s->out) - s->out_len);

	if (!n) {
		lc_err_set(&s->err, "internal error: output buffer full");
		return -1;
	}
	s->out_len += n;
	return 0;
}

/* 1: all written, 0: must wait, -1: error. */
static int flush(struct lc_sess *s)
{
	size_t done;
	int r;

	if (!s->out_len)
		return 1;
	r = SSL_write_ex(s->ssl, s->out, s->out_len, &done);
	if (r == 1) {
		s->out_len = 0;
		return 1;
	}
	r = io_result(s, r, "TLS write");
	if (r == 1) {
		lc_err_set(&s->err, "the peer closed the session");
		return -1;
	}
	return r;
}

/* Send an ERROR as a last word, best effort. */
static void last_word(struct lc_sess *s, uint16_t code)
{
	struct lc_msg m = { .type = LC_MSG_ERROR, .code = code };
	struct lc_err keep = s->err;

	s->out_len = 0;
	if (!queue(s, &m))
		flush(s);
	s->err = keep;
	ERR_clear_error();
}

/* 1: a message in @m, 0: must wait, -1: error. */
static int read_msg(struct lc_sess *s, struct lc_msg *m)
{
	size_t used, got;
	int r;

	for (;;) {
		r = lc_msg_decode(s->in, s->in_len, m, &used);
		if (r < 0) {
			lc_err_set(&s->err, "malformed message from the peer");
			return -1;
		}
		if (r > 0) {
			memmove(s->in, s->in + used, s->in_len - used);
			s->in_len -= used;
			return 1;
		}
		r = SSL_read_ex(s->ssl, s->in + s->in_len,
				sizeof(s->in) - s->in_len, &got);
		if (r == 1) {
			s->in_len += got;
			continue;
		}
		r = io_result(s, r, "TLS read");
		if (r == 1) {
			lc_err_set(&s->err, "the peer closed the session before the keys were agreed");
			return -1;
		}
		return r;
	}
}

static enum lc_sess_state on_hello(struct lc_sess *s, const struct lc_msg *m)
{
	uint8_t rx[LINKCRYPT_MATERIAL_LEN];
	struct lc_msg ready = { .type = LC_MSG_READY };
	char a[LC_CIPHER_STRLEN], b[LC_CIPHER_STRLEN];
	int r;

	if (!m->index || !m->epoch) {
		lc_err_set(&s->err, "HELLO with a zero index or epoch");
		last_word(s, LC_NEG_E_PROTO);
		return fail(s);
	}
	if (m->cipher != s->cipher) {
		lc_err_set(&s->err, "cipher mismatch: ours is %s, the peer's %s",
			   lc_cipher_str(s->cipher, a, sizeof(a)),
			   lc_cipher_str(m->cipher, b, sizeof(b)));
		last_word(s, LC_NEG_E_CIPHER);
		return fail(s);
	}
	s->remote_index = m->index;
	s->epoch = m->epoch > s->epoch_min ? m->epoch : s->epoch_min;
	if (lc_neg_derive(s->ssl, &s->our_fpr, &s->peer_fpr, s->epoch, s->tx,
			  rx, &s->err)) {
		last_word(s, LC_NEG_E_INTERNAL);
		return fail(s);
	}
	r = s->ops->install_rx(s, s->arg, rx);
	OPENSSL_cleanse(rx, sizeof(rx));
	if (r) {
		last_word(s, LC_NEG_E_INTERNAL);
		return fail(s);
	}
	ready.epoch = s->epoch;
	if (queue(s, &ready))
		return fail(s);
	s->state = LC_SESS_READY;
	return s->state;
}

static enum lc_sess_state on_ready(struct lc_sess *s, const struct lc_msg *m)
{
	int r;

	if (m->epoch != s->epoch) {
		lc_err_set(&s->err, "READY for epoch %u, expected %u", m->epoch,
			   s->epoch);
		last_word(s, LC_NEG_E_PROTO);
		return fail(s);
	}
	r = s->ops->install_tx(s, s->arg, s->tx);
	OPENSSL_cleanse(s->tx, sizeof(s->tx));
	if (r) {
		last_word(s, LC_NEG_E_INTERNAL);
		return fail(s);
	}
	s->state = LC_SESS_CLOSING;
	return s->state;
}

static const char *error_name(uint16_t code)
{
	switch (code) {
	case LC_NEG_E_PROTO:
		return "protocol error";
	case LC_NEG_E_CIPHER:
		return "cipher mismatch";
	case LC_NEG_E_INTERNAL:
		return "internal error";
	case LC_NEG_E_REFUSED:
		return "session refused";
	}
	return "unknown error";
}

enum lc_sess_state lc_sess_step(struct lc_sess *s)
{
	struct lc_msg m;
	uint8_t sink[64];
	size_t got;
	int r;

	for (;;) {
		switch (s->state) {
		case LC_SESS_HANDSHAKE:
			r = SSL_do_handshake(s->ssl);
			if (r != 1) {
				r = io_result(s, r, "TLS handshake");
				if (r == 0)
					return s->state;
				if (r == 1)
					lc_err_set(&s->err, "TLS handshake: closed by the peer");
				return fail(s);
			}
			if (s->ops->identify(s, s->arg)) {
				last_word(s, LC_NEG_E_REFUSED);
				return fail(s);
			}
			m = (struct lc_msg){ .type = LC_MSG_HELLO,
					     .index = s->our_index,
					     .cipher = s->cipher,
					     .epoch = s->epoch_min };
			if (queue(s, &m))
				return fail(s);
			s->state = LC_SESS_HELLO;
			break;
		case LC_SESS_HELLO:
		case LC_SESS_READY:
			r = flush(s);
			if (r <= 0)
				return r ? fail(s) : s->state;
			r = read_msg(s, &m);
			if (r <= 0)
				return r ? fail(s) : s->state;
			if (m.type == LC_MSG_ERROR) {
				s->peer_error = m.code ? m.code : LC_NEG_E_PROTO;
				lc_err_set(&s->err, "the peer reported: %s",
					   error_name(m.code));
				return fail(s);
			}
			if (s->state == LC_SESS_HELLO && m.type == LC_MSG_HELLO)
				on_hello(s, &m);
			else if (s->state == LC_SESS_READY && m.type == LC_MSG_READY)
				on_ready(s, &m);
			else {
				lc_err_set(&s->err, "unexpected message type %u",
					   m.type);
				last_word(s, LC_NEG_E_PROTO);
				return fail(s);
			}
			if (s->state == LC_SESS_FAILED)
				return s->state;
			break;
		case LC_SESS_CLOSING:
			/* The keys are in: nothing below can undo them. */
			r = flush(s);
			if (r == 0)
				return s->state;
			if (r < 0) {
				s->state = LC_SESS_DONE;
				return s->state;
			}
			if (!s->shut_sent) {
				r = SSL_shutdown(s->ssl);
				if (r == 1) {
					s->state = LC_SESS_DONE;
					return s->state;
				}
				if (r < 0) {
					r = io_result(s, r, "TLS shutdown");
					if (r == 0)
						return s->state;
					s->state = LC_SESS_DONE;
					return s->state;
				}
				s->shut_sent = true;
			}
			/* Wait for the peer's close_notify. */
			r = SSL_read_ex(s->ssl, sink, sizeof(sink), &got);
			if (r == 1)
				break;
			r = io_result(s, r, "TLS read");
			if (r == 0)
				return s->state;
			ERR_clear_error();
			s->err.msg[0] = '\0';
			s->state = LC_SESS_DONE;
			return s->state;
		case LC_SESS_DONE:
		case LC_SESS_FAILED:
			return s->state;
		}
	}
}
