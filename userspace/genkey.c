// SPDX-License-Identifier: GPL-2.0
/* New identities: an RSA key and a self-signed certificate; see genkey.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "genkey.h"

static int add_ext(X509 *cert, X509V3_CTX *ctx, int nid, const char *value,
		   struct lc_err *err)
{
	X509_EXTENSION *ext;
	int ok;

	ext = X509V3_EXT_nconf_nid(NULL, ctx, nid, (char *)value);
	ok = ext && X509_add_ext(cert, ext, -1);

	X509_EXTENSION_free(ext);
	if (!ok)
		lc_err_ssl(err, "cannot add the %s extension", OBJ_nid2sn(nid));
	return ok ? 0 : -1;
}

/* A random positive serial number of 128 bits (RFC 5280: at most 20 octets). */
static int set_serial(X509 *cert, struct lc_err *err)
{
	unsigned char bytes[16];
	ASN1_INTEGER *serial = NULL;
	BIGNUM *bn = NULL;
	int ok = 0;

	if (RAND_bytes(bytes, sizeof(bytes)) == 1)
		bn = BN_bin2bn(bytes, sizeof(bytes), NULL);
	/* Zero is not a valid serial; 2^-128, but cheap to exclude. */
	if (bn && !BN_is_zero(bn))
		serial = BN_to_ASN1_INTEGER(bn, NULL);
	if (serial)
		ok = X509_set_serialNumber(cert, serial);
	ASN1_INTEGER_free(serial);
	BN_free(bn);
	if (!ok)
		lc_err_ssl(err, "cannot make a serial number");
	return ok ? 0 : -1;
}

X509 *lc_cert_make(EVP_PKEY *key, const char *name, time_t not_before,
		   time_t not_after, struct lc_err *err)
{
	char san[LC_NAME_MAX + 8];
	X509_NAME *subject;
	X509V3_CTX ctx;
	X509 *cert;

	if (!lc_dns_name_valid(name)) {
		lc_err_set(err, "\"%s\" is not a valid DNS name", name);
		return NULL;
	}
	cert = X509_new();
	if (!cert) {
		lc_err_ssl(err, "cannot make a certificate");
		return NULL;
	}
	subject = X509_get_subject_name(cert);
	if (!X509_set_version(cert, X509_VERSION_3) ||
	    !ASN1_TIME_set(X509_getm_notBefore(cert), not_before) ||
	    !ASN1_TIME_set(X509_getm_notAfter(cert), not_after) ||
	    !X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
					(const unsigned char *)name, -1, -1, 0) ||
	    !X509_set_issuer_name(cert, subject) ||
	    !X509_set_pubkey(cert, key)) {
		lc_err_ssl(err, "cannot make a certificate");
		goto fail;
	}
	if (set_serial(cert, err))
		goto fail;
	snprintf(san, sizeof(san), "DNS:%s", name);
	X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
	if (add_ext(cert, &ctx, NID_basic_constraints, "critical,CA:FALSE", err) ||
	    add_ext(cert, &ctx, NID_key_usage, "critical,digitalSignature", err) ||
	    add_ext(cert, &ctx, NID_ext_key_usage, "serverAuth,clientAuth", err) ||
	    add_ext(cert, &ctx, NID_subject_alt_name, san, err) ||
	    add_ext(cert, &ctx, NID_subject_key_identifier, "hash", err))
		goto fail;
	if (X509_sign(cert, key, EVP_sha256()) <= 0) {
		lc_err_ssl(err, "cannot sign the certificate");
		goto fail;
	}
	return cert;
fail:
	X509_free(cert);
	return NULL;
}

/* A new file, which must not exist yet; @mode exactly, whatever the umask. */
static int create_new(const char *path, const char *what, mode_t mode,
		      bool exact, struct lc_err *err)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW |
		  O_NOCTTY, mode);
	if (fd < 0) {
		if (errno == EEXIST)
			lc_err_set(err, "%s file '%s' exists; it is not overwritten",
				   what, path);
		else
			lc_err_set(err, "cannot create %s file '%s': %s", what,
				   path, strerror(errno));
		return -1;
	}
	if (exact && fchmod(fd, mode) < 0) {
		lc_err_set(err, "cannot set the mode of '%s': %s", path,
			   strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

/* Write @bio's contents to @fd, then sync and close it. */
static int write_bio(int fd, BIO *bio, const char *path, struct lc_err *err)
{
	BUF_MEM *mem = NULL;
	size_t off = 0;
	ssize_t n;

	BIO_get_mem_ptr(bio, &mem);
	while (mem && off < mem->length) {
		n = write(fd, mem->data + off, mem->length - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			lc_err_set(err, "cannot write '%s': %s", path,
				   n < 0 ? strerror(errno) : "short write");
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0) {
		lc_err_set(err, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (close(fd) < 0) {
		lc_err_set(err, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int lc_genkey(const struct lc_genkey_params *p, struct lc_fpr *fpr,
	      struct lc_err *err)
{
	BIO *key_pem = NULL, *cert_pem = NULL;
	int kfd = -1, cfd = -1, ret = -1;
	bool made_key = false, made_cert = false;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	time_t now;

	if (p->bits < LC_RSA_MIN_BITS) {
		lc_err_set(err, "RSA keys below %d bits are refused",
			   LC_RSA_MIN_BITS);
		return -1;
	}
	if (p->bits != 2048 && p->bits != 3072 && p->bits != 4096) {
		lc_err_set(err, "RSA keys of %d bits are not made; use 2048, 3072 or 4096",
			   p->bits);
		return -1;
	}
	if (p->days < 1 || p->days > LC_GENKEY_MAX_DAYS) {
		lc_err_set(err, "a certificate is valid for 1 to %d days, not %d",
			   LC_GENKEY_MAX_DAYS, p->days);
		return -1;
	}
	if (!lc_dns_name_valid(p->name)) {
		lc_err_set(err, "\"%s\" is not a valid DNS name (letters, digits, hyphens and dots; at most %d characters)",
			   p->name, LC_NAME_MAX);
		return -1;
	}
	if (!strcmp(p->key_path, p->cert_path)) {
		lc_err_set(err, "the key and the certificate need two different files");
		return -1;
	}

	/* Both files are claimed before the (slow) key generation. */
	kfd = create_new(p->key_path, "key", 0600, true, err);
	if (kfd < 0)
		return -1;
	made_key = true;
	cfd = create_new(p->cert_path, "certificate", 0644, false, err);
	if (cfd < 0)
		goto out;
	made_cert = true;

	key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)p->bits);
	if (!key) {
		lc_err_ssl(err, "cannot make an RSA key");
		goto out;
	}
	now = time(NULL);
	cert = lc_cert_make(key, p->name, now - LC_GENKEY_BACKDATE_SECS,
			    now + (time_t)p->days * 86400, err);
	if (!cert)
		goto out;
	if (fpr && lc_fpr_of_cert(cert, fpr, err))
		goto out;

	/* Secure memory, cleared when freed: it holds the private key. */
	key_pem = BIO_new(BIO_s_secmem());
	cert_pem = BIO_new(BIO_s_mem());
	if (!key_pem || !cert_pem ||
	    !PEM_write_bio_PKCS8PrivateKey(key_pem, key, NULL, NULL, 0, NULL,
					   NULL) ||
	    !PEM_write_bio_X509(cert_pem, cert)) {
		lc_err_ssl(err, "cannot encode the key and the certificate");
		goto out;
	}
	ret = write_bio(kfd, key_pem, p->key_path, err);
	kfd = -1;
	if (ret)
		goto out;
	ret = write_bio(cfd, cert_pem, p->cert_path, err);
	cfd = -1;
out:
	if (kfd >= 0)
		close(kfd);
	if (cfd >= 0)
		close(cfd);
	/* Only files this call created (O_EXCL), and only on failure. */
	if (ret && made_key)
		unlink(p->key_path);
	if (ret && made_cert)
		unlink(p->cert_path);
	BIO_free(key_pem);
	BIO_free(cert_pem);
	X509_free(cert);
	EVP_PKEY_free(key);
	return ret;
}
