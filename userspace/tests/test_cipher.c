// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the cipher names (cipher.c). */
#include <linux/linkcrypt.h>

#include "kselftest_harness.h"

#include "cipher.h"

TEST(known_names)
{
	EXPECT_STREQ("aes-256-gcm", lc_cipher_name(LINKCRYPT_CIPHER_AES_256_GCM));
	EXPECT_STREQ("chacha20-poly1305",
		     lc_cipher_name(LINKCRYPT_CIPHER_CHACHA20_POLY1305));
}

TEST(unknown_values_have_no_name)
{
	EXPECT_EQ(NULL, lc_cipher_name(LINKCRYPT_CIPHER_UNSPEC));
	EXPECT_EQ(NULL, lc_cipher_name(LINKCRYPT_CIPHER_MAX + 1));
	EXPECT_EQ(NULL, lc_cipher_name(65535));
	EXPECT_EQ(NULL, lc_cipher_name(~0u));
}

TEST(str_unknown)
{
	char buf[LC_CIPHER_STRLEN];

	EXPECT_STREQ("aes-256-gcm",
		     lc_cipher_str(LINKCRYPT_CIPHER_AES_256_GCM, buf, sizeof(buf)));
	EXPECT_STREQ("unknown(0)", lc_cipher_str(0, buf, sizeof(buf)));
	EXPECT_STREQ("unknown(42)", lc_cipher_str(42, buf, sizeof(buf)));
	EXPECT_STREQ("unknown(65535)", lc_cipher_str(65535, buf, sizeof(buf)));
	EXPECT_STREQ("unknown(4294967295)", lc_cipher_str(~0u, buf, sizeof(buf)));
}

TEST(name_lookup)
{
	EXPECT_EQ(LINKCRYPT_CIPHER_AES_256_GCM, lc_cipher_from_name("aes-256-gcm"));
	EXPECT_EQ(LINKCRYPT_CIPHER_CHACHA20_POLY1305,
		  lc_cipher_from_name("chacha20-poly1305"));
	EXPECT_EQ(LINKCRYPT_CIPHER_CHACHA20_POLY1305,
		  lc_cipher_from_name("ChaCha20-Poly1305"));
	EXPECT_EQ(-1, lc_cipher_from_name(""));
	EXPECT_EQ(-1, lc_cipher_from_name("aes"));
	EXPECT_EQ(-1, lc_cipher_from_name("aes-256-gcm "));
	EXPECT_EQ(-1, lc_cipher_from_name("unknown(0)"));
}

TEST(every_cipher_round_trips)
{
	unsigned int c;

	for (c = LINKCRYPT_CIPHER_UNSPEC + 1; c <= LINKCRYPT_CIPHER_MAX; c++) {
		const char *name = lc_cipher_name(c);

		ASSERT_NE(NULL, name) TH_LOG("cipher %u has no name", c);
		EXPECT_EQ((int)c, lc_cipher_from_name(name));
		EXPECT_NE(NULL, strstr(lc_cipher_names(), name));
	}
}

TEST(names_list)
{
	EXPECT_STREQ("aes-256-gcm | chacha20-poly1305", lc_cipher_names());
	/* Built once, the same afterwards. */
	EXPECT_EQ(lc_cipher_names(), lc_cipher_names());
}

TEST_HARNESS_MAIN
