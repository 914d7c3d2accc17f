/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Identities: a server's RSA private key and its X.509 certificate, the
 * checks a daemon applies to its own and to its peers' certificates, and
 * the fingerprint peers pin (SHA-256 of the certificate's
 * SubjectPublicKeyInfo, DER).  All cryptography is OpenSSL 3's.  New
 * identities are made by genkey.h.
 *
 * Every function that can fail describes why in a struct lc_err and
 * never prints; messages never hold key material.  Buffers that held a
 * private key (file contents, PEM) are cleansed (OPENSSL_cleanse) before
 * they are freed.
 */
#ifndef LCCTL_IDENTITY_H
#define LCCTL_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "errbuf.h"

/* RSA keys below this size are refused, ours and peers'. */
#define LC_RSA_MIN_BITS		2048
/* Longest name a certificate gets: the X.509 upper bound of a CN. */
#define LC_NAME_MAX		64

/* Largest key or certificate file read. */
#define LC_PEM_FILE_MAX		(64 * 1024)

/* SHA-256 of the DER SubjectPublicKeyInfo of a certificate. */
#define LC_FPR_LEN		32
#define LC_FPR_HEX_LEN		(2 * LC_FPR_LEN)

struct lc_fpr {
	uint8_t b[LC_FPR_LEN];
};

/* Our own identity, loaded and checked by lc_identity_load(). */
struct lc_identity {
	EVP_PKEY *key;
	X509 *cert;
	struct lc_fpr fpr;	/* of cert */
};

/*
 * Whether @name can be a certificate's name: a DNS name of letters,
 * digits and hyphens in dot-separated labels of 1..63 characters (no
 * hyphen first or last), at most LC_NAME_MAX characters, no trailing dot.
 */
bool lc_dns_name_valid(const char *name);

/*
 * Read our private key from @path (PEM, unencrypted).  Refused: a file
 * that is not a regular file, is accessible by group or others, or is
 * owned by someone other than root or the effective user; an encrypted
 * key; a key that is not RSA or has fewer than LC_RSA_MIN_BITS bits.
 * NULL with @err set on failure.
 */
EVP_PKEY *lc_key_load(const char *path, struct lc_err *err);

/* Read the first certificate of @path (PEM).  NULL with @err set. */
X509 *lc_cert_load(const char *path, struct lc_err *err);

/*
 * Whether @cert's key is RSA of at least LC_RSA_MIN_BITS bits.  @what
 * names the certificate in messages ("certificate 'b.crt'", "peer 2's
 * certificate").  0, or -1 with @err set.
 */
int lc_cert_check_key(X509 *cert, const char *what, struct lc_err *err);

/*
 * Whether @cert is valid at @now: "<what> expired on 2024-01-31 12:00:00
 * UTC" or "<what> is not valid before ...".  0, or -1 with @err set.
 */
int lc_cert_check_time(X509 *cert, const char *what, time_t now,
		       struct lc_err *err);

/*
 * The checks a certificate presented by a peer must pass, beyond the
 * peer's authentication itself (a pinned fingerprint or a CA): an RSA key
 * of at least LC_RSA_MIN_BITS bits, valid at @now.  Our own certificate
 * must pass them too.  0, or -1 with @err set.
 */
int lc_cert_check_peer(X509 *cert, const char *what, time_t now,
		       struct lc_err *err);

/* Results of lc_identity_load(). */
enum {
	LC_ID_OK = 0,
	LC_ID_EKEY = -1,	/* the private key is at fault */
	LC_ID_ECERT = -2,	/* the certificate, or the pair */
};

/*
 * Load our identity: lc_key_load(@key_path), lc_cert_load(@cert_path),
 * lc_cert_check_peer() of the certificate at @now, and the key must be
 * the certificate's (X509_check_private_key()).  LC_ID_OK, or an error
 * with @err set and @id empty.  lc_identity_free() releases it.
 */
int lc_identity_load(struct lc_identity *id, const char *key_path,
		     const char *cert_path, time_t now, struct lc_err *err);
void lc_identity_free(struct lc_identity *id);

/*
 * Load the CA bundle @path (PEM, one or more certificates) into a new
 * X509_STORE.  *@count gets the number of certificates.  NULL with @err
 * set if the file cannot be read or holds no certificate.
 */
X509_STORE *lc_ca_load(const char *path, int *count, struct lc_err *err);

/* SHA-256 of @cert's DER SubjectPublicKeyInfo.  0, or -1 with @err set. */
int lc_fpr_of_cert(X509 *cert, struct lc_fpr *fpr, struct lc_err *err);

/* 64 lowercase hex digits and a NUL into @buf (LC_FPR_HEX_LEN + 1 bytes). */
const char *lc_fpr_hex(const struct lc_fpr *fpr, char *buf, size_t len);

/* Exactly LC_FPR_HEX_LEN hex digits, either case.  0, or -1. */
int lc_fpr_parse(const char *s, struct lc_fpr *fpr);

/* Equality in constant time (CRYPTO_memcmp). */
bool lc_fpr_equal(const struct lc_fpr *a, const struct lc_fpr *b);

/* "2024-01-31 12:00:00 UTC" of an ASN1_TIME, or "(invalid time)". */
const char *lc_asn1_time_str(const ASN1_TIME *t, char *buf, size_t len);

#define LC_TIME_STRLEN	32

#endif /* LCCTL_IDENTITY_H */
