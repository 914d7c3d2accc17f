/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test fixtures made with OpenSSL directly, independently of identity.c:
 * keys, certificates with any validity (expired, not yet valid), CA
 * certificates, and the files holding them; and a scratch directory.
 * Failures abort(): they are bugs of the test, not of the code tested.
 */
#ifndef LCCTL_TEST_PKI_H
#define LCCTL_TEST_PKI_H

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/* 2020-01-01 00:00:00 UTC, 2021-01-01 and 2100-01-01 (GeneralizedTime). */
#define T_2020	((time_t)1577836800)
#define T_2021	((time_t)1609459200)
#define T_2100	((time_t)4102444800)

static inline EVP_PKEY *pki_rsa(unsigned int bits)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);

	if (!k)
		abort();
	return k;
}

static inline EVP_PKEY *pki_ec(void)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");

	if (!k)
		abort();
	return k;
}

static inline void pki_ext(X509 *x, int nid, const char *value)
{
	X509_EXTENSION *ext;
	X509V3_CTX ctx;

	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_nconf_nid(NULL, &ctx, nid, (char *)value);
	if (!ext || !X509_add_ext(x, ext, -1))
		abort();
	X509_EXTENSION_free(ext);
}

/* A self-signed v3 certificate for @key, CN=@cn, valid @nb to @na. */
static inline X509 *pki_cert(EVP_PKEY *key, const char *cn, time_t nb,
			     time_t na, bool ca)
{
	X509 *x = X509_new();

	if (!x || !X509_set_version(x, X509_VERSION_3) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(x), 42) ||
	    !ASN1_TIME_set(X509_getm_notBefore(x), nb) ||
	    !ASN1_TIME_set(X509_getm_notAfter(x), na) ||
	    !X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
					MBSTRING_ASC, (const unsigned char *)cn,
					-1, -1, 0) ||
	    !X509_set_issuer_name(x, X509_get_subject_name(x)) ||
	    !X509_set_pubkey(x, key))
		abort();
	if (ca)
		pki_ext(x, NID_basic_constraints, "critical,CA:TRUE");
	if (X509_sign(x, key, EVP_sha256()) <= 0)
		abort();
	return x;
}

/* @key as unencrypted PKCS#8 PEM (or encrypted with @pass), mode @mode. */
static inline void pki_write_key(const char *path, EVP_PKEY *key, mode_t mode,
				 const char *pass)
{
	FILE *f = fopen(path, "w");

	if (!f || !PEM_write_PKCS8PrivateKey(f, key,
					     pass ? EVP_aes_256_cbc() : NULL,
					     (char *)pass,
					     pass ? (int)strlen(pass) : 0,
					     NULL, NULL) ||
	    fclose(f) || chmod(path, mode))
		abort();
}

static inline void pki_write_cert(const char *path, X509 *cert, bool append)
{
	FILE *f = fopen(path, append ? "a" : "w");

	if (!f || !PEM_write_X509(f, cert) || fclose(f))
		abort();
}

static inline void pki_write_text(const char *path, const char *text,
				  mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) || chmod(path, mode))
		abort();
}

/* A scratch directory, and the paths of files in it. */
struct scratch {
	char dir[64];
	char path[8][128];
	unsigned int next;
};

static inline void scratch_init(struct scratch *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/lcctl-test-XXXXXX");
	if (!mkdtemp(s->dir))
		abort();
}

/* "<dir>/<name>"; valid until 8 more calls. */
static inline const char *scratch_path(struct scratch *s, const char *name)
{
	char *p = s->path[s->next++ % 8];
	size_t d = strlen(s->dir), n = strlen(name);

	if (d + 1 + n >= sizeof(s->path[0]))
		abort();
	memcpy(p, s->dir, d);
	p[d] = '/';
	memcpy(p + d + 1, name, n + 1);
	return p;
}

static inline void scratch_cleanup(struct scratch *s)
{
	char path[512];
	struct dirent *e;
	DIR *d;

	if (!s->dir[0])
		return;
	d = opendir(s->dir);
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", s->dir, e->d_name);
		if (unlink(path))
			rmdir(path);
	}
	if (d)
		closedir(d);
	rmdir(s->dir);
}

static inline bool file_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

#endif /* LCCTL_TEST_PKI_H */
