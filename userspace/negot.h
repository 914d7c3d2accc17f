/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key negotiation of "lcctl up", apart from sockets and netlink so that
 * the unit tests drive it over in-memory TLS endpoints (BIO pairs):
 *
 *  - the TLS 1.3 context (mutual authentication, X25519, RSA-PSS),
 *  - the framed messages carried inside TLS (HELLO, READY, ERROR),
 *  - the derivation of the per-direction key material with
 *    SSL_export_keying_material(),
 *  - one negotiation session as a non-blocking state machine.
 *
 * The protocol is described in docs/protocol.md, "Negotiation".  Key
 * material is cleansed (OPENSSL_cleanse) from every buffer that held it.
 */
#ifndef LCCTL_NEGOT_H
#define LCCTL_NEGOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>
#include <linux/linkcrypt.h>

#include "config.h"
#include "errbuf.h"
#include "identity.h"

#define LC_NEG_VERSION		1
#define LC_NEG_LABEL		"EXPORTER-linkcrypt v1 keys"

/* Message types. */
enum {
	LC_MSG_HELLO = 1,
	LC_MSG_READY = 2,
	LC_MSG_ERROR = 3,
};

/* Codes of LC_MSG_ERROR. */
enum {
	LC_NEG_E_PROTO = 1,	/* malformed or unexpected message */
	LC_NEG_E_CIPHER = 2,	/* the ciphers differ */
	LC_NEG_E_INTERNAL = 3,	/* the sender could not go on (netlink) */
	LC_NEG_E_REFUSED = 4,	/* unknown peer, or a duplicate session */
};

/* type u8, version u8, body length u16 (big endian), body. */
#define LC_MSG_HDR_LEN		4
#define LC_MSG_MAX_LEN		(LC_MSG_HDR_LEN + 16)

struct lc_msg {
	uint8_t type;
	uint32_t index;		/* HELLO: the sender's index for the receiver */
	uint16_t cipher;	/* HELLO: enum linkcrypt_cipher */
	uint32_t epoch;		/* HELLO: proposed; READY: agreed */
	uint16_t code;		/* ERROR */
};

/* Encode @m into @buf; its length, or 0 if @len is too small or type bad. */
size_t lc_msg_encode(const struct lc_msg *m, uint8_t *buf, size_t len);

/*
 * Decode the first message of the @len bytes at @buf.  1 with *@used set,
 * 0 if more bytes are needed, -1 if malformed (unknown type or version,
 * wrong body length).
 */
int lc_msg_decode(const uint8_t *buf, size_t len, struct lc_msg *m,
		  size_t *used);

/* The key id of an epoch: its low 8 bits. */
static inline uint8_t lc_neg_key_id(uint32_t epoch)
{
	return (uint8_t)(epoch & 0xff);
}

/*
 * Whether, of two simultaneous sessions between us (@ours) and a peer
 * (@theirs), the one we initiated is kept: the side with the lower
 * fingerprint wins, on both ends alike.
 */
bool lc_neg_we_win(const struct lc_fpr *ours, const struct lc_fpr *theirs);

/*
 * Derive the material of epoch @epoch from the TLS session @ssl:
 * SSL_export_keying_material(LC_NEG_LABEL, context = lower fingerprint ||
 * higher fingerprint || epoch (u32 BE) || key id (u8)), 72 bytes: the
 * first 36 for the direction lower -> higher, the other 36 for higher ->
 * lower.  @tx and @rx (LINKCRYPT_MATERIAL_LEN bytes each) get ours.
 * 0, or -1 with @err set (equal fingerprints, exporter failure).
 */
int lc_neg_derive(SSL *ssl, const struct lc_fpr *ours,
		  const struct lc_fpr *theirs, uint32_t epoch, uint8_t *tx,
		  uint8_t *rx, struct lc_err *err);

/*
 * A TLS context for both roles: TLS 1.3 only, security level 2, group
 * X25519, RSA-PSS signatures, no session tickets, our identity, peer
 * certificates required.  @ca (may be NULL; up-referenced) verifies CA
 * peers; self-signed leaves are let through the chain check for pinned
 * peers, whose fingerprint is checked after the handshake.
 */
SSL_CTX *lc_neg_ctx(const struct lc_identity *id, X509_STORE *ca,
		    struct lc_err *err);

/*
 * Whether the peer certificate @cert of a finished handshake (SPKI
 * fingerprint @fpr; @verified: SSL_get_verify_result() is X509_V_OK, a
 * chain to the CA) is the configured peer @cp: pinned, by fingerprint;
 * by Name, a verified chain and @cp->name as a subjectAltName.  If not,
 * @err (may be NULL) says why.
 */
bool lc_neg_peer_is(X509 *cert, const struct lc_fpr *fpr, bool verified,
		    const struct lc_conf_peer *cp, struct lc_err *err);

struct lc_sess;

struct lc_sess_ops {
	/*
	 * Called once the handshake is done: authenticate the peer
	 * (SSL_get0_peer_certificate()), and fill in @s->peer_fpr,
	 * @s->our_index, @s->cipher, @s->epoch_min.  0, or -1 with @s->err.
	 */
	int (*identify)(struct lc_sess *s, void *arg);
	/* Install the key we receive under, then the one we send under. */
	int (*install_rx)(struct lc_sess *s, void *arg, const uint8_t *mat);
	int (*install_tx)(struct lc_sess *s, void *arg, const uint8_t *mat);
};

enum lc_sess_state {
	LC_SESS_HANDSHAKE,
	LC_SESS_HELLO,		/* HELLO sent, the peer's awaited */
	LC_SESS_READY,		/* RX installed, READY sent, the peer's awaited */
	LC_SESS_CLOSING,	/* TX installed, close_notify sent */
	LC_SESS_DONE,
	LC_SESS_FAILED,		/* @err says why */
};

struct lc_sess {
	SSL *ssl;
	enum lc_sess_state state;
	const struct lc_sess_ops *ops;
	void *arg;
	/* Set by ops->identify. */
	struct lc_fpr our_fpr, peer_fpr;
	uint32_t our_index;
	uint16_t cipher;
	uint32_t epoch_min;	/* the epoch we propose */
	/* Learnt from the peer. */
	uint32_t remote_index;
	uint32_t epoch;		/* agreed: max of both proposals */
	/* For poll(): what SSL waits for (POLLIN or POLLOUT). */
	short want;
	uint8_t out[2 * LC_MSG_MAX_LEN];
	size_t out_len;
	uint8_t in[2 * LC_MSG_MAX_LEN];
	size_t in_len;
	uint16_t peer_error;	/* code of an ERROR received, 0 if none */
	bool shut_sent;
	uint8_t tx[LINKCRYPT_MATERIAL_LEN];	/* from HELLO until READY */
	struct lc_err err;
};

/* Start a session on @ssl (connect or accept state set already). */
void lc_sess_init(struct lc_sess *s, SSL *ssl, const struct lc_sess_ops *ops,
		  void *arg);

/*
 * Advance as far as possible without blocking.  Returns the new state;
 * LC_SESS_DONE and LC_SESS_FAILED are final.
 */
enum lc_sess_state lc_sess_step(struct lc_sess *s);

/* Frees the SSL object and wipes the session. */
void lc_sess_free(struct lc_sess *s);

#endif /* LCCTL_NEGOT_H */
