// SPDX-License-Identifier: GPL-2.0
/* Identities: keys, certificates, fingerprints; see identity.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "identity.h"

bool lc_dns_name_valid(const char *name)
{
	size_t len = strlen(name), label = 0, i;
	char c, prev = '.';

	if (len == 0 || len > LC_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		c = name[i];
		if (c == '.') {
			if (label == 0 || prev == '-')
				return false;
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '-') {
			if (c == '-' && label == 0)
				return false;
			if (++label > 63)
				return false;
		} else {
			return false;
		}
		prev = c;
	}
	return label > 0 && prev != '-';
}

/*
 * Read the whole regular file @path (at most LC_PEM_FILE_MAX bytes) into
 * a new buffer, NUL-terminated.  @what names it in messages.  With
 * @secret, the file must be private to its owner, and the owner root or
 * us.  The buffer may hold secrets: free it with OPENSSL_clear_free().
 */
static char *read_file(const char *path, const char *what, bool secret,
		       size_t *len, struct lc_err *err)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	ssize_t n;
	int fd;

	/* O_NONBLOCK: opening a FIFO must not hang; S_ISREG refuses it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		lc_err_set(err, "cannot open %s '%s': %s", what, path,
			   strerror(errno));
		return NULL;
	}
	/* What was opened, not the name: no race with chmod or rename. */
	if (fstat(fd, &st) < 0) {
		lc_err_set(err, "cannot stat %s '%s': %s", what, path,
			   strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		lc_err_set(err, "%s '%s' is not a regular file", what, path);
		goto fail;
	}
	if (secret && (st.st_mode & (S_IRWXG | S_IRWXO))) {
		lc_err_set(err, "permissions %04o for '%s' are too open; it must not be accessible by group or others (chmod 600 %s)",
			   (unsigned int)(st.st_mode & 07777), path, path);
		goto fail;
	}
	if (secret && st.st_uid != 0 && st.st_uid != geteuid()) {
		lc_err_set(err, "%s '%s' is owned by uid %u; it must be owned by root or by uid %u",
			   what, path, (unsigned int)st.st_uid,
			   (unsigned int)geteuid());
		goto fail;
	}
	buf = OPENSSL_zalloc(LC_PEM_FILE_MAX + 1);
	if (!buf) {
		lc_err_set(err, "cannot read %s '%s': out of memory", what, path);
		goto fail;
	}
	for (;;) {
		n = read(fd, buf + got, LC_PEM_FILE_MAX + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			lc_err_set(err, "cannot read %s '%s': %s", what, path,
				   strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > LC_PEM_FILE_MAX) {
			lc_err_set(err, "%s '%s' is larger than %d bytes", what,
				   path, LC_PEM_FILE_MAX);
			goto fail;
		}
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
fail:
	OPENSSL_clear_free(buf, LC_PEM_FILE_MAX + 1);
	close(fd);
	return NULL;
}

/* Our key, or a peer's: RSA, and large enough. */
static int check_rsa(const EVP_PKEY *key, const char *what, struct lc_err *err)
{
	const char *type = EVP_PKEY_get0_type_name(key);
	int bits;

	if (!EVP_PKEY_is_a(key, "RSA")) {
		lc_err_set(err, "%s: %s keys are not supported; linkcrypt uses RSA keys",
			   what, type ? type : "unknown");
		return -1;
	}
	bits = EVP_PKEY_get_bits(key);
	if (bits < LC_RSA_MIN_BITS) {
		lc_err_set(err, "%s: RSA keys below %d bits are refused (this one has %d)",
			   what, LC_RSA_MIN_BITS, bits);
		return -1;
	}
	return 0;
}

/* Never asks: a daemon starts unattended.  Notes that it was asked. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	*(bool *)u = true;
	return -1;
}

EVP_PKEY *lc_key_load(const char *path, struct lc_err *err)
{
	EVP_PKEY *key = NULL;
	bool asked = false;
	char what[PATH_MAX + 32];
	size_t len;
	char *buf;
	BIO *bio;

	buf = read_file(path, "private key", true, &len, err);
	if (!buf)
		return NULL;
	bio = BIO_new_mem_buf(buf, (int)len);
	if (bio)
		key = PEM_read_bio_PrivateKey_ex(bio, NULL, no_passphrase,
						 &asked, NULL, NULL);
	BIO_free(bio);
	OPENSSL_clear_free(buf, LC_PEM_FILE_MAX + 1);
	if (!key) {
		if (asked) {
			ERR_clear_error();
			lc_err_set(err, "private key '%s' is encrypted; linkcrypt needs it unencrypted, to start unattended",
				   path);
		} else {
			lc_err_ssl(err, "cannot read a private key from '%s'",
				   path);
		}
		return NULL;
	}
	snprintf(what, sizeof(what), "private key '%s'", path);
	if (check_rsa(key, what, err)) {
		EVP_PKEY_free(key);
		return NULL;
	}
	return key;
}

X509 *lc_cert_load(const char *path, struct lc_err *err)
{
	X509 *cert = NULL;
	size_t len;
	char *buf;
	BIO *bio;

	buf = read_file(path, "certificate", false, &len, err);
	if (!buf)
		return NULL;
	bio = BIO_new_mem_buf(buf, (int)len);
	if (bio)
		cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	OPENSSL_clear_free(buf, LC_PEM_FILE_MAX + 1);
	if (!cert)
		lc_err_ssl(err, "cannot read a certificate from '%s'", path);
	return cert;
}

int lc_cert_check_key(X509 *cert, const char *what, struct lc_err *err)
{
	EVP_PKEY *key = X509_get0_pubkey(cert);

	if (!key) {
		lc_err_ssl(err, "%s: cannot decode its public key", what);
		return -1;
	}
	return check_rsa(key, what, err);
}

const char *lc_asn1_time_str(const ASN1_TIME *t, char *buf, size_t len)
{
	struct tm tm;

	if (!ASN1_TIME_to_tm(t, &tm) ||
	    !strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, len, "(invalid time)");
	return buf;
}

int lc_cert_check_time(X509 *cert, const char *what, time_t now,
		       struct lc_err *err)
{
	const ASN1_TIME *nb = X509_get0_notBefore(cert);
	const ASN1_TIME *na = X509_get0_notAfter(cert);
	char when[LC_TIME_STRLEN];
	int cmp;

	/* X509_cmp_time(): -1 if earlier or equal, 1 if later, 0 if bad. */
	cmp = X509_cmp_time(nb, &now);
	if (cmp == 0) {
		ERR_clear_error();
		lc_err_set(err, "%s has an invalid notBefore time", what);
		return -1;
	}
	if (cmp > 0) {
		lc_err_set(err, "%s is not valid before %s", what,
			   lc_asn1_time_str(nb, when, sizeof(when)));
		return -1;
	}
	cmp = X509_cmp_time(na, &now);
	if (cmp == 0) {
		ERR_clear_error();
		lc_err_set(err, "%s has an invalid notAfter time", what);
		return -1;
	}
	if (cmp < 0) {
		lc_err_set(err, "%s expired on %s", what,
			   lc_asn1_time_str(na, when, sizeof(when)));
		return -1;
	}
	return 0;
}

int lc_cert_check_peer(X509 *cert, const char *what, time_t now,
		       struct lc_err *err)
{
	if (lc_cert_check_key(cert, what, err))
		return -1;
	return lc_cert_check_time(cert, what, now, err);
}

int lc_identity_load(struct lc_identity *id, const char *key_path,
		     const char *cert_path, time_t now, struct lc_err *err)
{
	char what[PATH_MAX + 32];

	memset(id, 0, sizeof(*id));
	id->key = lc_key_load(key_path, err);
	if (!id->key)
		return LC_ID_EKEY;
	id->cert = lc_cert_load(cert_path, err);
	if (!id->cert)
		goto fail;
	snprintf(what, sizeof(what), "certificate '%s'", cert_path);
	if (lc_cert_check_peer(id->cert, what, now, err))
		goto fail;
	if (X509_check_private_key(id->cert, id->key) != 1) {
		ERR_clear_error();
		lc_err_set(err, "private key '%s' does not belong to certificate '%s'",
			   key_path, cert_path);
		goto fail;
	}
	if (lc_fpr_of_cert(id->cert, &id->fpr, err))
		goto fail;
	return LC_ID_OK;
fail:
	lc_identity_free(id);
	return LC_ID_ECERT;
}

void lc_identity_free(struct lc_identity *id)
{
	EVP_PKEY_free(id->key);	/* OpenSSL clears the key's numbers */
	X509_free(id->cert);
	memset(id, 0, sizeof(*id));
}

X509_STORE *lc_ca_load(const char *path, int *count, struct lc_err *err)
{
	STACK_OF(X509_INFO) *infos = NULL;
	X509_STORE *store = NULL;
	char subject[256];
	X509_INFO *info;
	size_t len;
	char *buf;
	BIO *bio;
	int i, n = 0;

	buf = read_file(path, "CA file", false, &len, err);
	if (!buf)
		return NULL;
	bio = BIO_new_mem_buf(buf, (int)len);
	if (bio)
		infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);
	BIO_free(bio);
	OPENSSL_clear_free(buf, LC_PEM_FILE_MAX + 1);
	if (!infos) {
		lc_err_ssl(err, "cannot read certificates from CA file '%s'",
			   path);
		return NULL;
	}
	store = X509_STORE_new();
	if (!store) {
		lc_err_ssl(err, "cannot load CA file '%s'", path);
		goto out;
	}
	for (i = 0; i < sk_X509_INFO_num(infos); i++) {
		info = sk_X509_INFO_value(infos, i);
		if (!info->x509)
			continue;
		if (X509_check_ca(info->x509) < 1) {
			X509_NAME_oneline(X509_get_subject_name(info->x509),
					  subject, sizeof(subject));
			lc_err_set(err, "CA file '%s': certificate %d (%s) is not a CA certificate",
				   path, n + 1, subject);
			goto fail;
		}
		if (!X509_STORE_add_cert(store, info->x509)) {
			lc_err_ssl(err, "cannot load CA file '%s'", path);
			goto fail;
		}
		n++;
	}
	if (n == 0) {
		lc_err_set(err, "CA file '%s' holds no certificate", path);
		goto fail;
	}
	*count = n;
	goto out;
fail:
	X509_STORE_free(store);
	store = NULL;
out:
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	return store;
}

int lc_fpr_of_cert(X509 *cert, struct lc_fpr *fpr, struct lc_err *err)
{
	unsigned char *der = NULL;
	unsigned int mdlen = 0;
	int len, ok;

	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	if (len <= 0) {
		lc_err_ssl(err, "cannot encode the certificate's public key");
		return -1;
	}
	ok = EVP_Digest(der, (size_t)len, fpr->b, &mdlen, EVP_sha256(), NULL);
	OPENSSL_free(der);
	if (!ok || mdlen != LC_FPR_LEN) {
		lc_err_ssl(err, "cannot compute SHA-256");
		return -1;
	}
	return 0;
}

const char *lc_fpr_hex(const struct lc_fpr *fpr, char *buf, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (len < LC_FPR_HEX_LEN + 1) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	for (i = 0; i < LC_FPR_LEN; i++) {
		buf[2 * i] = digits[fpr->b[i] >> 4];
		buf[2 * i + 1] = digits[fpr->b[i] & 0xf];
	}
	buf[LC_FPR_HEX_LEN] = '\0';
	return buf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int lc_fpr_parse(const char *s, struct lc_fpr *fpr)
{
	struct lc_fpr f;
	int hi, lo;
	size_t i;

	if (strlen(s) != LC_FPR_HEX_LEN)
		return -1;
	for (i = 0; i < LC_FPR_LEN; i++) {
		hi = hexval(s[2 * i]);
		lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		f.b[i] = (uint8_t)(hi << 4 | lo);
	}
	*fpr = f;
	return 0;
}

bool lc_fpr_equal(const struct lc_fpr *a, const struct lc_fpr *b)
{
	return CRYPTO_memcmp(a->b, b->b, LC_FPR_LEN) == 0;
}
