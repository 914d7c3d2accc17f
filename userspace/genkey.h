/* SPDX-License-Identifier: GPL-2.0 */
/*
 * New identities, for "lcctl genkey": an RSA key (EVP_PKEY_Q_keygen()) and
 * a self-signed X.509v3 certificate for it, written to files that did not
 * exist.  The key's PEM goes to its file through a BIO of OpenSSL's secure
 * memory, cleared when freed.
 */
#ifndef LCCTL_GENKEY_H
#define LCCTL_GENKEY_H

#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "errbuf.h"
#include "identity.h"

/* Sizes "lcctl genkey" makes. */
#define LC_GENKEY_DEFAULT_BITS	2048
#define LC_GENKEY_DEFAULT_DAYS	825
#define LC_GENKEY_MAX_DAYS	36500
/*
 * notBefore of a new certificate is this far in the past, so that a peer
 * whose clock is a little behind ours accepts it at once.
 */
#define LC_GENKEY_BACKDATE_SECS	3600

struct lc_genkey_params {
	int bits;		/* RSA modulus: 2048, 3072 or 4096 */
	int days;		/* validity from now: 1..LC_GENKEY_MAX_DAYS */
	const char *name;	/* CN and DNS SAN; lc_dns_name_valid() */
	const char *key_path;	/* created, must not exist */
	const char *cert_path;	/* created, must not exist */
};

/*
 * Make a new RSA key and a self-signed X.509v3 certificate for it and
 * write them to @p->key_path (PKCS#8 PEM, mode 0600 whatever the umask)
 * and @p->cert_path (PEM, 0644 less the umask).  Neither file may exist
 * already; both are created with O_EXCL before the key is made.  On
 * failure neither is left behind.  The certificate: version 3, a random
 * 128-bit serial, subject and issuer CN=@p->name, valid from
 * LC_GENKEY_BACKDATE_SECS ago for @p->days days, basicConstraints
 * critical CA:FALSE, keyUsage critical digitalSignature, extendedKeyUsage
 * serverAuth and clientAuth, subjectAltName DNS:@p->name, a
 * subjectKeyIdentifier, signed with SHA-256.  If @fpr, the certificate's
 * fingerprint is stored there.  0, or -1 with @err set.
 */
int lc_genkey(const struct lc_genkey_params *p, struct lc_fpr *fpr,
	      struct lc_err *err);

/*
 * The self-signed certificate lc_genkey() writes, for @key, valid from
 * @not_before to @not_after (seconds since the epoch).  NULL with @err set
 * on failure.
 */
X509 *lc_cert_make(EVP_PKEY *key, const char *name, time_t not_before,
		   time_t not_after, struct lc_err *err);

#endif /* LCCTL_GENKEY_H */
