// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of identities (identity.c): lcctl genkey, fingerprints,
 * private key permissions and sizes, certificate checks (dates, key size,
 * key match), CA files, and that the certificates made work for mutual
 * TLS 1.3 with pinned fingerprints.
 */
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>

#include "kselftest_harness.h"

#include "genkey.h"
#include "identity.h"
#include "pki.h"

FIXTURE(id) {
	struct scratch s;
};

FIXTURE_SETUP(id)
{
	scratch_init(&self->s);
}

FIXTURE_TEARDOWN(id)
{
	scratch_cleanup(&self->s);
}

/* lc_genkey() of a 2048-bit key for @name into @key and @cert. */
static int genkey(const char *name, const char *key, const char *cert,
		  struct lc_fpr *fpr, struct lc_err *err)
{
	struct lc_genkey_params p = {
		.bits = 2048, .days = 30, .name = name,
		.key_path = key, .cert_path = cert,
	};

	return lc_genkey(&p, fpr, err);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return (mode_t)-1;
	return st.st_mode & 07777;
}

static char *slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

TEST(dns_names)
{
	static const char *const good[] = {
		"alpha", "alpha.example", "a-1.b-2.example", "A.EXAMPLE",
		"1.example", "x.y.z",
		/* 64 characters, the most a CN holds */
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bc",
	};
	static const char *const bad[] = {
		"", ".", "alpha.", ".alpha", "a..b", "-a.example", "a-.example",
		"a_b.example", "a b", "*.example", "alpha.example/x", "ä.example",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bcd",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		EXPECT_TRUE(lc_dns_name_valid(good[i])) TH_LOG("good[%zu]", i);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_FALSE(lc_dns_name_valid(bad[i])) TH_LOG("bad[%zu]", i);
}

TEST_F(id, genkey_2048_loads)
{
	const char *key = scratch_path(&self->s, "a.key");
	const char *cert = scratch_path(&self->s, "a.crt");
	struct lc_identity ident;
	struct lc_fpr fpr;
	struct lc_err err;

	umask(0);	/* the key must still be 0600 */
	ASSERT_EQ(0, genkey("alpha.example", key, cert, &fpr, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(0600u, mode_of(key));
	EXPECT_EQ(0644u, mode_of(cert));
	EXPECT_EQ(0, strncmp(slurp(key), "-----BEGIN PRIVATE KEY-----\n", 28));
	EXPECT_EQ(0, strncmp(slurp(cert), "-----BEGIN CERTIFICATE-----\n", 28));

	ASSERT_EQ(LC_ID_OK, lc_identity_load(&ident, key, cert, time(NULL),
					     &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(2048, EVP_PKEY_get_bits(ident.key));
	EXPECT_TRUE(lc_fpr_equal(&fpr, &ident.fpr));
	lc_identity_free(&ident);
	EXPECT_EQ(NULL, ident.key);
}

TEST_F(id, genkey_mode_ignores_umask)
{
	const char *key = scratch_path(&self->s, "a.key");
	const char *cert = scratch_path(&self->s, "a.crt");
	struct lc_err err;

	umask(0277);	/* would make 0400 of 0600 */
	ASSERT_EQ(0, genkey("alpha.example", key, cert, NULL, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(0600u, mode_of(key));
	EXPECT_EQ(0400u, mode_of(cert));	/* a certificate follows the umask */
}

TEST_F(id, genkey_certificate_profile)
{
	const char *key = scratch_path(&self->s, "a.key");
	const char *path = scratch_path(&self->s, "a.crt");
	struct lc_err err;
	char cn[128];
	BIGNUM *serial;
	int day, sec;
	time_t now, t;
	X509 *cert;

	now = time(NULL);
	ASSERT_EQ(0, genkey("alpha.example", key, path, NULL, &err))
		TH_LOG("%s", err.msg);
	cert = lc_cert_load(path, &err);
	ASSERT_NE(NULL, cert) TH_LOG("%s", err.msg);

	EXPECT_EQ(X509_VERSION_3, X509_get_version(cert));
	EXPECT_EQ(NID_sha256WithRSAEncryption, X509_get_signature_nid(cert));
	EXPECT_EQ(1, X509_verify(cert, X509_get0_pubkey(cert)));
	EXPECT_EQ(0, X509_NAME_cmp(X509_get_subject_name(cert),
				   X509_get_issuer_name(cert)));
	EXPECT_LT(0, X509_NAME_get_text_by_NID(X509_get_subject_name(cert),
					       NID_commonName, cn, sizeof(cn)));
	EXPECT_STREQ("alpha.example", cn);
	/* subjectAltName DNS:alpha.example */
	EXPECT_EQ(1, X509_check_host(cert, "alpha.example", 0, 0, NULL));
	EXPECT_NE(1, X509_check_host(cert, "beta.example", 0, 0, NULL));

	/* CA:FALSE, digitalSignature only, serverAuth + clientAuth. */
	EXPECT_EQ(0, X509_check_ca(cert));
	EXPECT_TRUE(!!(X509_get_extension_flags(cert) & EXFLAG_BCONS));
	EXPECT_TRUE(!!(X509_get_extension_flags(cert) & EXFLAG_KUSAGE));
	EXPECT_EQ((uint32_t)KU_DIGITAL_SIGNATURE, X509_get_key_usage(cert));
	EXPECT_EQ((uint32_t)(XKU_SSL_SERVER | XKU_SSL_CLIENT),
		  X509_get_extended_key_usage(cert));
	EXPECT_EQ(1, X509_check_purpose(cert, X509_PURPOSE_SSL_SERVER, 0));
	EXPECT_EQ(1, X509_check_purpose(cert, X509_PURPOSE_SSL_CLIENT, 0));
	EXPECT_NE(NULL, X509_get0_subject_key_id(cert));

	/* Random, positive, 128 bits (more than 64 but for 2^-64). */
	serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
	ASSERT_NE(NULL, serial);
	EXPECT_FALSE(BN_is_negative(serial));
	EXPECT_GE(128, BN_num_bits(serial));
	EXPECT_LT(64, BN_num_bits(serial));
	BN_free(serial);

	/* From an hour ago, for 30 days (give the test a minute). */
	ASSERT_EQ(1, ASN1_TIME_diff(&day, &sec, X509_get0_notBefore(cert),
				    X509_get0_notAfter(cert)));
	EXPECT_EQ(30, day);
	EXPECT_EQ(3600, sec);
	t = now - 3600 + 60;
	EXPECT_EQ(-1, X509_cmp_time(X509_get0_notBefore(cert), &t));
	t = now - 3600 - 60;
	EXPECT_EQ(1, X509_cmp_time(X509_get0_notBefore(cert), &t));
	X509_free(cert);
}

TEST_F(id, genkey_refuses_small_and_odd_sizes)
{
	const char *key = scratch_path(&self->s, "a.key");
	const char *cert = scratch_path(&self->s, "a.crt");
	struct lc_genkey_params p = {
		.bits = 1024, .days = 30, .name = "alpha.example",
		.key_path = key, .cert_path = cert,
	};
	struct lc_err err;

	EXPECT_EQ(-1, lc_genkey(&p, NULL, &err));
	EXPECT_STREQ("RSA keys below 2048 bits are refused", err.msg);
	p.bits = 2047;
	EXPECT_EQ(-1, lc_genkey(&p, NULL, &err));
	EXPECT_STREQ("RSA keys below 2048 bits are refused", err.msg);
	p.bits = 2500;
	EXPECT_EQ(-1, lc_genkey(&p, NULL, &err));
	EXPECT_STREQ("RSA keys of 2500 bits are not made; use 2048, 3072 or 4096",
		     err.msg);
	p.bits = 2048;
	p.days = 0;
	EXPECT_EQ(-1, lc_genkey(&p, NULL, &err));
	EXPECT_STREQ("a certificate is valid for 1 to 36500 days, not 0", err.msg);
	p.days = 1;
	p.name = "a_b";
	EXPECT_EQ(-1, lc_genkey(&p, NULL, &err));
	EXPECT_EQ(0, strncmp(err.msg, "\"a_b\" is not a valid DNS name", 29))
		TH_LOG("%s", err.msg);
	EXPECT_FALSE(file_exists(key));
	EXPECT_FALSE(file_exists(cert));
}

TEST_F(id, genkey_never_overwrites)
{
	const char *key = scratch_path(&self->s, "a.key");
	const char *cert = scratch_path(&self->s, "a.crt");
	char msg[512];
	struct lc_err err;

	/* An existing key file: untouched, and no certificate made. */
	pki_write_text(key, "precious\n", 0600);
	EXPECT_EQ(-1, genkey("alpha.example", key, cert, NULL, &err));
	snprintf(msg, sizeof(msg), "key file '%s' exists; it is not overwritten",
		 key);
	EXPECT_STREQ(msg, err.msg);
	EXPECT_STREQ("precious\n", slurp(key));
	EXPECT_FALSE(file_exists(cert));

	/* An existing certificate file: untouched, and no key left behind. */
	unlink(key);
	pki_write_text(cert, "precious too\n", 0644);
	EXPECT_EQ(-1, genkey("alpha.example", key, cert, NULL, &err));
	snprintf(msg, sizeof(msg),
		 "certificate file '%s' exists; it is not overwritten", cert);
	EXPECT_STREQ(msg, err.msg);
	EXPECT_STREQ("precious too\n", slurp(cert));
	EXPECT_FALSE(file_exists(key));

	/* A symbolic link is not followed. */
	unlink(cert);
	ASSERT_EQ(0, symlink("/nonexistent/lcctl-test", key));
	EXPECT_EQ(-1, genkey("alpha.example", key, cert, NULL, &err));
	EXPECT_FALSE(file_exists("/nonexistent/lcctl-test"));
	EXPECT_FALSE(file_exists(cert));
}

/* The SPKI's SHA-256 computed another way: i2d_PUBKEY() of the key. */
static void spki_sha256(X509 *cert, uint8_t out[32])
{
	unsigned char *der = NULL;
	int len = i2d_PUBKEY(X509_get0_pubkey(cert), &der);

	if (len <= 0)
		abort();
	SHA256(der, (size_t)len, out);
	OPENSSL_free(der);
}

TEST_F(id, fingerprint)
{
	const char *key = scratch_path(&self->s, "a.key");
	const char *path = scratch_path(&self->s, "a.crt");
	char hex[LC_FPR_HEX_LEN + 1], hex2[LC_FPR_HEX_LEN + 1];
	char cmd[512], line[128];
	struct lc_fpr f1, f2, f3;
	uint8_t sha[32];
	struct lc_err err;
	EVP_PKEY *k;
	X509 *cert, *renewed;
	FILE *p;

	ASSERT_EQ(0, genkey("alpha.example", key, path, &f1, &err))
		TH_LOG("%s", err.msg);
	cert = lc_cert_load(path, &err);
	ASSERT_NE(NULL, cert);
	ASSERT_EQ(0, lc_fpr_of_cert(cert, &f2, &err));
	EXPECT_TRUE(lc_fpr_equal(&f1, &f2));
	spki_sha256(cert, sha);
	EXPECT_EQ(0, memcmp(sha, f2.b, 32));

	lc_fpr_hex(&f2, hex, sizeof(hex));
	EXPECT_EQ((size_t)LC_FPR_HEX_LEN, strlen(hex));
	EXPECT_EQ(strspn(hex, "0123456789abcdef"), strlen(hex));

	/* The key's, not the certificate's: a new certificate keeps it. */
	k = lc_key_load(key, &err);
	ASSERT_NE(NULL, k) TH_LOG("%s", err.msg);
	renewed = lc_cert_make(k, "other.example", time(NULL), time(NULL) + 99,
			       &err);
	ASSERT_NE(NULL, renewed) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, lc_fpr_of_cert(renewed, &f3, &err));
	EXPECT_TRUE(lc_fpr_equal(&f2, &f3));
	X509_free(renewed);
	EVP_PKEY_free(k);
	X509_free(cert);

	/* What the documentation says it is. */
	if (system("command -v openssl >/dev/null && command -v sha256sum >/dev/null"))
		SKIP(return, "no openssl or sha256sum binary");
	snprintf(cmd, sizeof(cmd),
		 "openssl x509 -in '%s' -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum",
		 path);
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, fgets(line, sizeof(line), p));
	pclose(p);
	snprintf(hex2, sizeof(hex2), "%.64s", line);
	EXPECT_STREQ(hex, hex2);
}

TEST(fingerprint_hex)
{
	struct lc_fpr a, b;
	char hex[LC_FPR_HEX_LEN + 1];
	char s[80];
	size_t i;

	for (i = 0; i < LC_FPR_LEN; i++)
		a.b[i] = (uint8_t)(i * 9 + 0xa0);
	lc_fpr_hex(&a, hex, sizeof(hex));
	EXPECT_STREQ("a0a9b2bbc4cdd6dfe8f1fa030c151e273039424b545d666f78818a939ca5aeb7",
		     hex);
	ASSERT_EQ(0, lc_fpr_parse(hex, &b));
	EXPECT_TRUE(lc_fpr_equal(&a, &b));
	/* Either case in. */
	snprintf(s, sizeof(s), "A0A9B2BBC4CDD6DFE8F1FA030C151E273039424B545D666F78818A939CA5AEB7");
	ASSERT_EQ(0, lc_fpr_parse(s, &b));
	EXPECT_TRUE(lc_fpr_equal(&a, &b));
	b.b[31] ^= 1;
	EXPECT_FALSE(lc_fpr_equal(&a, &b));
	b.b[31] ^= 1;
	b.b[0] ^= 0x80;
	EXPECT_FALSE(lc_fpr_equal(&a, &b));

	EXPECT_EQ(-1, lc_fpr_parse("", &b));
	EXPECT_EQ(-1, lc_fpr_parse("a0", &b));
	snprintf(s, sizeof(s), "%.63s", hex);
	EXPECT_EQ(-1, lc_fpr_parse(s, &b));
	snprintf(s, sizeof(s), "%s0", hex);
	EXPECT_EQ(-1, lc_fpr_parse(s, &b));
	snprintf(s, sizeof(s), "%.62sg0", hex);
	EXPECT_EQ(-1, lc_fpr_parse(s, &b));
	snprintf(s, sizeof(s), "sha256:%.57s", hex);
	EXPECT_EQ(-1, lc_fpr_parse(s, &b));
	/* Too small a buffer gets an empty string, not a truncated one. */
	EXPECT_STREQ("", lc_fpr_hex(&a, s, 10));
}

TEST_F(id, key_permissions)
{
	static const mode_t refused[] = { 0644, 0640, 0604, 0620, 0602, 0610, 0601, 0660 };
	const char *path = scratch_path(&self->s, "k.pem");
	EVP_PKEY *key = pki_rsa(2048), *loaded;
	char want[512];
	struct lc_err err;
	size_t i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		pki_write_key(path, key, refused[i], NULL);
		EXPECT_EQ(NULL, lc_key_load(path, &err));
		snprintf(want, sizeof(want),
			 "permissions %04o for '%s' are too open; it must not be accessible by group or others (chmod 600 %s)",
			 (unsigned int)refused[i], path, path);
		EXPECT_STREQ(want, err.msg);
	}
	pki_write_key(path, key, 0600, NULL);
	loaded = lc_key_load(path, &err);
	EXPECT_NE(NULL, loaded) TH_LOG("%s", err.msg);
	EVP_PKEY_free(loaded);
	pki_write_key(path, key, 0400, NULL);
	loaded = lc_key_load(path, &err);
	EXPECT_NE(NULL, loaded) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, EVP_PKEY_eq(key, loaded));
	EVP_PKEY_free(loaded);
	EVP_PKEY_free(key);
}

TEST_F(id, key_refusals)
{
	const char *path = scratch_path(&self->s, "k.pem");
	const char *dir = self->s.dir;
	EVP_PKEY *key;
	char want[512];
	struct lc_err err;

	EXPECT_EQ(NULL, lc_key_load(scratch_path(&self->s, "none"), &err));
	EXPECT_NE(NULL, strstr(err.msg, "No such file or directory"));

	EXPECT_EQ(NULL, lc_key_load(dir, &err));
	snprintf(want, sizeof(want), "private key '%s' is not a regular file", dir);
	EXPECT_STREQ(want, err.msg);

	key = pki_rsa(1024);
	pki_write_key(path, key, 0600, NULL);
	EVP_PKEY_free(key);
	EXPECT_EQ(NULL, lc_key_load(path, &err));
	snprintf(want, sizeof(want),
		 "private key '%s': RSA keys below 2048 bits are refused (this one has 1024)",
		 path);
	EXPECT_STREQ(want, err.msg);

	key = pki_ec();
	pki_write_key(path, key, 0600, NULL);
	EVP_PKEY_free(key);
	EXPECT_EQ(NULL, lc_key_load(path, &err));
	snprintf(want, sizeof(want),
		 "private key '%s': EC keys are not supported; linkcrypt uses RSA keys",
		 path);
	EXPECT_STREQ(want, err.msg);

	key = pki_rsa(2048);
	pki_write_key(path, key, 0600, "passphrase");
	EVP_PKEY_free(key);
	EXPECT_EQ(NULL, lc_key_load(path, &err));
	snprintf(want, sizeof(want),
		 "private key '%s' is encrypted; linkcrypt needs it unencrypted, to start unattended",
		 path);
	EXPECT_STREQ(want, err.msg);

	/* Someone else's file: they could replace the key. */
	if (geteuid() == 0) {
		key = pki_rsa(2048);
		pki_write_key(path, key, 0600, NULL);
		EVP_PKEY_free(key);
		ASSERT_EQ(0, chown(path, 65534, 65534));
		EXPECT_EQ(NULL, lc_key_load(path, &err));
		snprintf(want, sizeof(want),
			 "private key '%s' is owned by uid 65534; it must be owned by root or by uid 0",
			 path);
		EXPECT_STREQ(want, err.msg);
		unlink(path);
	}

	pki_write_text(path, "not a key\n", 0600);
	EXPECT_EQ(NULL, lc_key_load(path, &err));
	snprintf(want, sizeof(want), "cannot read a private key from '%s'", path);
	EXPECT_EQ(0, strncmp(want, err.msg, strlen(want))) TH_LOG("%s", err.msg);
	/* The reason was taken, so the queue is empty for the next caller. */
	EXPECT_EQ(0ul, ERR_peek_error());
}

TEST_F(id, cert_dates)
{
	const char *path = scratch_path(&self->s, "old.crt");
	const char *kpath = scratch_path(&self->s, "old.key");
	struct lc_identity ident;
	EVP_PKEY *key = pki_rsa(2048);
	X509 *old = pki_cert(key, "old.example", T_2020, T_2021, false);
	X509 *future = pki_cert(key, "new.example", T_2021, T_2100, false);
	struct lc_err err;
	char want[512];

	EXPECT_EQ(-1, lc_cert_check_peer(old, "peer 2's certificate",
					 time(NULL), &err));
	EXPECT_STREQ("peer 2's certificate expired on 2021-01-01 00:00:00 UTC",
		     err.msg);
	EXPECT_EQ(-1, lc_cert_check_peer(future, "peer 2's certificate",
					 T_2020, &err));
	EXPECT_STREQ("peer 2's certificate is not valid before 2021-01-01 00:00:00 UTC",
		     err.msg);
	/* Inside the window, both pass; the bounds are inclusive of notBefore. */
	EXPECT_EQ(0, lc_cert_check_peer(old, "c", T_2020 + 86400, &err));
	EXPECT_EQ(0, lc_cert_check_peer(future, "c", time(NULL), &err));
	EXPECT_EQ(0, lc_cert_check_time(future, "c", T_2021, &err));
	EXPECT_EQ(-1, lc_cert_check_time(future, "c", T_2021 - 1, &err));
	EXPECT_EQ(-1, lc_cert_check_time(future, "c", T_2100 + 1, &err));
	EXPECT_STREQ("c expired on 2100-01-01 00:00:00 UTC", err.msg);

	/* Our own: lc_identity_load() refuses an expired certificate. */
	pki_write_key(kpath, key, 0600, NULL);
	pki_write_cert(path, old, false);
	EXPECT_EQ(LC_ID_ECERT, lc_identity_load(&ident, kpath, path, time(NULL),
						&err));
	snprintf(want, sizeof(want),
		 "certificate '%s' expired on 2021-01-01 00:00:00 UTC", path);
	EXPECT_STREQ(want, err.msg);
	EXPECT_EQ(NULL, ident.key);
	EXPECT_EQ(LC_ID_OK, lc_identity_load(&ident, kpath, path, T_2020 + 1,
					     &err)) TH_LOG("%s", err.msg);
	lc_identity_free(&ident);
	X509_free(old);
	X509_free(future);
	EVP_PKEY_free(key);
}

TEST(peer_cert_keys)
{
	EVP_PKEY *small = pki_rsa(1024), *ec = pki_ec(), *big = pki_rsa(3072);
	X509 *c1 = pki_cert(small, "small.example", T_2020, T_2100, false);
	X509 *c2 = pki_cert(ec, "ec.example", T_2020, T_2100, false);
	X509 *c3 = pki_cert(big, "big.example", T_2020, T_2100, false);
	struct lc_err err;

	EXPECT_EQ(-1, lc_cert_check_peer(c1, "peer 3's certificate", time(NULL),
					 &err));
	EXPECT_STREQ("peer 3's certificate: RSA keys below 2048 bits are refused (this one has 1024)",
		     err.msg);
	EXPECT_EQ(-1, lc_cert_check_peer(c2, "peer 3's certificate", time(NULL),
					 &err));
	EXPECT_STREQ("peer 3's certificate: EC keys are not supported; linkcrypt uses RSA keys",
		     err.msg);
	EXPECT_EQ(0, lc_cert_check_peer(c3, "peer 3's certificate", time(NULL),
					&err)) TH_LOG("%s", err.msg);
	X509_free(c1);
	X509_free(c2);
	X509_free(c3);
	EVP_PKEY_free(small);
	EVP_PKEY_free(ec);
	EVP_PKEY_free(big);
}

TEST_F(id, identity_mismatch)
{
	const char *ka = scratch_path(&self->s, "a.key");
	const char *ca = scratch_path(&self->s, "a.crt");
	const char *kb = scratch_path(&self->s, "b.key");
	const char *cb = scratch_path(&self->s, "b.crt");
	struct lc_identity ident;
	struct lc_err err;
	char want[512];

	ASSERT_EQ(0, genkey("alpha.example", ka, ca, NULL, &err));
	ASSERT_EQ(0, genkey("beta.example", kb, cb, NULL, &err));
	EXPECT_EQ(LC_ID_ECERT, lc_identity_load(&ident, kb, ca, time(NULL), &err));
	snprintf(want, sizeof(want),
		 "private key '%s' does not belong to certificate '%s'", kb, ca);
	EXPECT_STREQ(want, err.msg);
	EXPECT_EQ(0ul, ERR_peek_error());

	/* A key file as a certificate, a certificate as a key. */
	EXPECT_EQ(LC_ID_ECERT, lc_identity_load(&ident, ka, ka, time(NULL), &err));
	EXPECT_NE(NULL, strstr(err.msg, "cannot read a certificate from"));
	chmod(ca, 0600);
	EXPECT_EQ(LC_ID_EKEY, lc_identity_load(&ident, ca, ca, time(NULL), &err));
	EXPECT_NE(NULL, strstr(err.msg, "cannot read a private key from"));
}

TEST_F(id, ca_files)
{
	const char *path = scratch_path(&self->s, "ca.pem");
	const char *leaf_key = scratch_path(&self->s, "a.key");
	const char *leaf = scratch_path(&self->s, "a.crt");
	EVP_PKEY *k1 = pki_rsa(2048), *k2 = pki_rsa(2048);
	X509 *ca1 = pki_cert(k1, "CA one", T_2020, T_2100, true);
	X509 *ca2 = pki_cert(k2, "CA two", T_2020, T_2100, true);
	struct lc_err err;
	X509_STORE *st;
	char want[512];
	int n = 0;

	pki_write_cert(path, ca1, false);
	st = lc_ca_load(path, &n, &err);
	ASSERT_NE(NULL, st) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, n);
	X509_STORE_free(st);

	pki_write_cert(path, ca2, true);
	st = lc_ca_load(path, &n, &err);
	ASSERT_NE(NULL, st) TH_LOG("%s", err.msg);
	EXPECT_EQ(2, n);
	X509_STORE_free(st);

	/* A leaf certificate is no CA. */
	ASSERT_EQ(0, genkey("alpha.example", leaf_key, leaf, NULL, &err));
	st = lc_ca_load(leaf, &n, &err);
	EXPECT_EQ(NULL, st);
	snprintf(want, sizeof(want),
		 "CA file '%s': certificate 1 (/CN=alpha.example) is not a CA certificate",
		 leaf);
	EXPECT_STREQ(want, err.msg);

	pki_write_text(path, "# nothing here\n", 0644);
	EXPECT_EQ(NULL, lc_ca_load(path, &n, &err));
	snprintf(want, sizeof(want), "CA file '%s' holds no certificate", path);
	EXPECT_STREQ(want, err.msg);

	EXPECT_EQ(NULL, lc_ca_load(scratch_path(&self->s, "none.pem"), &n, &err));
	EXPECT_NE(NULL, strstr(err.msg, "cannot open CA file"));

	X509_free(ca1);
	X509_free(ca2);
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
}

/*
 * TLS 1.3 with mutual authentication between two identities made by
 * lc_genkey(), each pinning the other's fingerprint, as "lcctl up" will:
 * the certificates must be usable as they are, and both ends must export
 * the same keying material.
 */
struct tls_end {
	struct lc_identity id;
	struct lc_fpr pin;	/* the peer's expected fingerprint */
	SSL_CTX *ctx;
	SSL *ssl;
};

/* Self-signed is expected; the pin is checked after the handshake. */
static int verify_self_signed(int ok, X509_STORE_CTX *ctx)
{
	int e = X509_STORE_CTX_get_error(ctx);

	if (ok)
		return 1;
	return e == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT;
}

static void tls_end_init(struct tls_end *t, bool server)
{
	t->ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
	if (!t->ctx ||
	    !SSL_CTX_set_min_proto_version(t->ctx, TLS1_3_VERSION) ||
	    SSL_CTX_use_certificate(t->ctx, t->id.cert) != 1 ||
	    SSL_CTX_use_PrivateKey(t->ctx, t->id.key) != 1)
		abort();
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER |
			   SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_self_signed);
	t->ssl = SSL_new(t->ctx);
	if (!t->ssl)
		abort();
	if (server)
		SSL_set_accept_state(t->ssl);
	else
		SSL_set_connect_state(t->ssl);
}

TEST_F(id, tls13_mutual_pinned)
{
	const char *ka = scratch_path(&self->s, "a.key");
	const char *ca = scratch_path(&self->s, "a.crt");
	const char *kb = scratch_path(&self->s, "b.key");
	const char *cb = scratch_path(&self->s, "b.crt");
	struct tls_end a = { 0 }, b = { 0 };
	unsigned char ka_out[36], kb_out[36];
	struct lc_fpr got;
	struct lc_err err;
	BIO *ba, *bb;
	X509 *peer;
	int i, ra = 0, rb = 0;

	ASSERT_EQ(0, genkey("alpha.example", ka, ca, &b.pin, &err));
	ASSERT_EQ(0, genkey("beta.example", kb, cb, &a.pin, &err));
	ASSERT_EQ(0, lc_identity_load(&a.id, ka, ca, time(NULL), &err));
	ASSERT_EQ(0, lc_identity_load(&b.id, kb, cb, time(NULL), &err));
	tls_end_init(&a, false);
	tls_end_init(&b, true);
	ASSERT_EQ(1, BIO_new_bio_pair(&ba, 0, &bb, 0));
	SSL_set_bio(a.ssl, ba, ba);
	SSL_set_bio(b.ssl, bb, bb);
	for (i = 0; i < 20 && (ra != 1 || rb != 1); i++) {
		if (ra != 1)
			ra = SSL_do_handshake(a.ssl);
		if (rb != 1)
			rb = SSL_do_handshake(b.ssl);
	}
	ASSERT_EQ(1, ra) TH_LOG("client: %d", SSL_get_error(a.ssl, ra));
	ASSERT_EQ(1, rb) TH_LOG("server: %d", SSL_get_error(b.ssl, rb));
	EXPECT_EQ(TLS1_3_VERSION, SSL_version(a.ssl));

	/* Each end sees the other's pinned key. */
	peer = SSL_get0_peer_certificate(a.ssl);
	ASSERT_NE(NULL, peer);
	ASSERT_EQ(0, lc_fpr_of_cert(peer, &got, &err));
	EXPECT_TRUE(lc_fpr_equal(&a.pin, &got));
	EXPECT_EQ(0, lc_cert_check_peer(peer, "beta", time(NULL), &err));
	peer = SSL_get0_peer_certificate(b.ssl);
	ASSERT_NE(NULL, peer);
	ASSERT_EQ(0, lc_fpr_of_cert(peer, &got, &err));
	EXPECT_TRUE(lc_fpr_equal(&b.pin, &got));
	EXPECT_FALSE(lc_fpr_equal(&a.pin, &got));

	ASSERT_EQ(1, SSL_export_keying_material(a.ssl, ka_out, sizeof(ka_out),
						"EXPORTER-linkcrypt-test", 23,
						NULL, 0, 0));
	ASSERT_EQ(1, SSL_export_keying_material(b.ssl, kb_out, sizeof(kb_out),
						"EXPORTER-linkcrypt-test", 23,
						NULL, 0, 0));
	EXPECT_EQ(0, memcmp(ka_out, kb_out, sizeof(ka_out)));
	OPENSSL_cleanse(ka_out, sizeof(ka_out));
	OPENSSL_cleanse(kb_out, sizeof(kb_out));

	SSL_free(a.ssl);
	SSL_free(b.ssl);
	SSL_CTX_free(a.ctx);
	SSL_CTX_free(b.ctx);
	lc_identity_free(&a.id);
	lc_identity_free(&b.id);
}

TEST_HARNESS_MAIN
