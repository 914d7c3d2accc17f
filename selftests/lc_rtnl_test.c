// SPDX-License-Identifier: GPL-2.0
/*
 * The "linkcrypt" link kind over rtnetlink: creation with and without
 * attributes, strict validation with extack messages, changes that are
 * refused whole, MTU limits, and many devices.  Every test runs in a network
 * namespace of its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "lc_nl.h"

#define LC_DEFAULT_MTU	1406
#define LC_MAX_MTU	65461

/* The request failed with @err, said why, and @name was not created. */
#define ASSERT_REFUSED(nl, ret, err, msg, name) do {				\
	struct lc_link_info __info;						\
	ASSERT_EQ(-(err), ret) TH_LOG("extack: %s", (nl)->extack);		\
	ASSERT_NE(NULL, strstr((nl)->extack, msg))				\
		TH_LOG("extack \"%s\" lacks \"%s\"", (nl)->extack, msg);	\
	ASSERT_EQ(-ENODEV, lc_rt_get(nl, name, &__info));			\
} while (0)

FIXTURE(rtnl) {
	struct lc_nl nl;
};

FIXTURE_SETUP(rtnl)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, lc_nl_open(&self->nl, NETLINK_ROUTE));
}

FIXTURE_TEARDOWN(rtnl)
{
	lc_nl_close(&self->nl);
}

TEST_F(rtnl, create_with_defaults)
{
	struct lc_link_info info;

	ASSERT_EQ(0, lc_rt_create(&self->nl, "lc0", -1, -1)) TH_LOG("%s", self->nl.extack);
	ASSERT_EQ(0, lc_rt_get(&self->nl, "lc0", &info));
	EXPECT_STREQ("linkcrypt", info.kind);
	EXPECT_EQ(LINKCRYPT_DEFAULT_PORT, info.port);
	EXPECT_EQ(LINKCRYPT_CIPHER_AES_256_GCM, info.cipher);
	EXPECT_EQ(LINKCRYPT_CRYPTO_PARALLEL, info.crypto);
	EXPECT_EQ(LC_DEFAULT_MTU, info.mtu);
}

TEST_F(rtnl, create_with_every_attribute)
{
	struct lc_link_info info;

	ASSERT_EQ(0, lc_rt_create(&self->nl, "lc0", 7790,
				  LINKCRYPT_CIPHER_CHACHA20_POLY1305));
	ASSERT_EQ(0, lc_rt_get(&self->nl, "lc0", &info));
	EXPECT_EQ(7790, info.port);
	EXPECT_EQ(LINKCRYPT_CIPHER_CHACHA20_POLY1305, info.cipher);
}

TEST_F(rtnl, delete)
{
	struct lc_link_info info;

	ASSERT_EQ(0, lc_rt_create(&self->nl, "lc0", -1, -1));
	ASSERT_EQ(0, lc_rt_del(&self->nl, "lc0"));
	ASSERT_EQ(-ENODEV, lc_rt_get(&self->nl, "lc0", &info));
}

TEST_F(rtnl, port_zero_refused)
{
	int ret = lc_rt_create(&self->nl, "lc0", 0, -1);

	ASSERT_REFUSED(&self->nl, ret, ERANGE, "out of range", "lc0");
}

/* rtnetlink's lenient parse accepts this; only our strict one refuses it. */
TEST_F(rtnl, port_too_long_refused)
{
	uint32_t wide = 7788;
	int ret;

	ret = lc_rt_create_attr(&self->nl, "lc0", IFLA_LINKCRYPT_PORT,
				&wide, sizeof(wide));
	ASSERT_REFUSED(&self->nl, ret, EINVAL, "invalid attribute length", "lc0");
}

TEST_F(rtnl, port_too_short_refused)
{
	uint8_t narrow = 77;
	int ret;

	ret = lc_rt_create_attr(&self->nl, "lc0", IFLA_LINKCRYPT_PORT,
				&narrow, sizeof(narrow));
	ASSERT_REFUSED(&self->nl, ret, ERANGE, "policy", "lc0");
}

TEST_F(rtnl, unknown_cipher_refused)
{
	static const int ciphers[] = { LINKCRYPT_CIPHER_UNSPEC,
				       LINKCRYPT_CIPHER_MAX + 1, 0xffff };

	for (size_t i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++) {
		int ret = lc_rt_create(&self->nl, "lc0", -1, ciphers[i]);

		ASSERT_REFUSED(&self->nl, ret, EINVAL, "unknown cipher", "lc0");
	}
}

TEST_F(rtnl, crypto_inline_at_creation)
{
	uint8_t mode = LINKCRYPT_CRYPTO_INLINE;
	struct lc_link_info info;

	ASSERT_EQ(0, lc_rt_create_attr(&self->nl, "lc0", IFLA_LINKCRYPT_CRYPTO,
				       &mode, sizeof(mode))) TH_LOG("%s", self->nl.extack);
	ASSERT_EQ(0, lc_rt_get(&self->nl, "lc0", &info));
	EXPECT_EQ(LINKCRYPT_CRYPTO_INLINE, info.crypto);
}

TEST_F(rtnl, unknown_crypto_mode_refused)
{
	static const uint8_t modes[] = { LINKCRYPT_CRYPTO_UNSPEC,
					 LINKCRYPT_CRYPTO_MAX + 1, 0xff };

	for (size_t i = 0; i < sizeof(modes); i++) {
		int ret = lc_rt_create_attr(&self->nl, "lc0", IFLA_LINKCRYPT_CRYPTO,
					    &modes[i], sizeof(modes[i]));

		ASSERT_REFUSED(&self->nl, ret, EINVAL, "unknown crypto mode", "lc0");
	}
}

/* Unlike the port and the cipher, the mode changes under traffic. */
TEST_F(rtnl, crypto_mode_changes_while_up)
{
	uint8_t inl = LINKCRYPT_CRYPTO_INLINE, bad = 7;
	struct lc_link_info info;

	ASSERT_EQ(0, lc_rt_create(&self->nl, "lc0", -1, -1));
	ASSERT_EQ(0, lc_rt_set_up(&self->nl, "lc0", true));
	ASSERT_EQ(0, lc_rt_change_attr(&self->nl, "lc0", IFLA_LINKCRYPT_CRYPTO,
				       &inl, sizeof(inl))) TH_LOG("%s", self->nl.extack);
	ASSERT_EQ(0, lc_rt_get(&self->nl, "lc0", &info));
	EXPECT_EQ(LINKCRYPT_CRYPTO_INLINE, info.crypto);
	/* A refused change leaves the mode as it was. */
	EXPECT_EQ(-EINVAL, lc_rt_change_attr(&self->nl, "lc0", IFLA_LINKCRYPT_CRYPTO,
					     &bad, sizeof(bad)));
	ASSERT_EQ(0, lc_rt_get(&self->nl, "lc0", &info));
	EXPECT_EQ(LINKCRYPT_CRYPTO_INLINE, info.crypto);
}

TEST_F(rtnl, unknown_attribute_refused)
{
	uint32_t val = 1;
	int ret;

	ret = lc_rt_create_attr(&self->nl, "lc0", IFLA_LINKCRYPT_MAX + 1,
				&val, sizeof(val));
	ASSERT_REFUSED(&self->nl, ret, EINVAL, "Unknown attribute type", "lc0");
}

static int create_with_mac(struct lc_nl *nl, const void *mac, size_t len)
{
	char buf[LC_NL_BUFSZ];
	struct nlmsghdr *nlh = lc_rt_newlink_start(buf, "lc0",
						   NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *linkinfo;

	mnl_attr_put(nlh, IFLA_ADDRESS, len, mac);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "linkcrypt");
	mnl_attr_nest_end(nlh, linkinfo);
	return lc_nl_talk(nl, nlh, NULL, NULL);
}

TEST_F(rtnl, bad_mac_refused)
{
	static const uint8_t multicast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const uint8_t zero[6];
	static const uint8_t good[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	int ret;

	ret = create_with_mac(&self->nl, multicast, sizeof(multicast));
	ASSERT_REFUSED(&self->nl, ret, EADDRNOTAVAIL, "unicast", "lc0");
	ret = create_with_mac(&self->nl, zero, sizeof(zero));
	ASSERT_REFUSED(&self->nl, ret, EADDRNOTAVAIL, "unicast", "lc0");
	ret = create_with_mac(&self->nl, good, 5);
	ASSERT_REFUSED(&self->nl, ret, EINVAL, "6 bytes", "lc0");
	ASSERT_EQ(0, create_with_mac(&self->nl, good, sizeof(good)))
		TH_LOG("%s", self->nl.extack);
}

TEST_F(rtnl, port_shared_in_one_netns_refused)
{
	struct lc_link_info info;
	int ret;

	ASSERT_EQ(0, lc_rt_create(&self->nl, "lc0", -1, -1));
	ret = lc_rt_create(&self->nl, "lc1", -1, -1);
	ASSERT_REFUSED(&self->nl, ret, EADDRINUSE, "already used", "lc1");
	ret = lc_rt_create(&self->nl, "lc1", LINKCRYPT_DEFAULT_PORT, -1);
	ASSERT_REFUSED(&self->nl, ret, EADDRINUSE, "already used", "lc1");
	ASSERT_EQ(0, lc_rt_create(&self->nl, "lc1", LINKCRYPT_DEFAULT_PORT + 1, -1));
	/* Once lc0 is gone its port is free again. */
	ASSERT_EQ(0, lc_rt_del(&self->nl, "lc0"));
	ASSERT_EQ(0, lc_rt_create(&self->nl, "lc2", -1, -1));
	ASSERT_EQ(0, lc_rt_get(&self->nl, "lc2", &info));
	EXPECT_EQ(LINKCRYPT_DEFAULT_PORT, info.port);
}

TEST_F(rtnl, change_cipher)
{
	struct lc_link_info info;

	ASSERT_EQ(0, lc_rt_create(&self->nl, "lc0", -1, -1));
	ASSERT_EQ(0, lc_rt_change(&self->nl, "lc0", -1,
				  LINKCRYPT_CIPHER_CHACHA20_POLY1305));
	ASSERT_EQ(0, lc_rt_get(&self->nl, "lc0", &info));
	EXPECT_EQ(LINKCRYPT_CIPHER_CHACHA20_POLY1305, info.cipher);
	EXPECT_EQ(LINKCRYPT_DEFAULT_PORT, info.port);
	ASSERT_EQ(-EINVAL, lc_rt_change(&self->nl, "lc0", -1, 7));
	ASSERT_EQ(0, lc_rt_get(&self->nl, "lc0", &info));
	EXPECT_EQ(LINKCRYPT_CIPHER_CHACHA20_POLY1305, info.cipher);
}

TEST_F(rtnl, change_port_only_while_down)
{
	struct lc_link_info info;

	ASSERT_EQ(0, lc_rt_create(&self->nl, "lc0", -1, -1));
	ASSERT_EQ(0, lc_rt_change(&self->nl, "lc0", 7800, -1));
	ASSERT_EQ(0, lc_rt_set_up(&self->nl, "lc0", true));
	ASSERT_EQ(-EBUSY, lc_rt_change(&self->nl, "lc0", 7801, -1));
	EXPECT_NE(NULL, strstr(self->nl.extack, "set it down first"));
	/* Naming the current port is no change, so it is fine while up. */
	ASSERT_EQ(0, lc_rt_change(&self->nl, "lc0", 7800, -1));
	ASSERT_EQ(0, lc_rt_get(&self->nl, "lc0", &info));
	EXPECT_EQ(7800, info.port);
	ASSERT_EQ(0, lc_rt_set_up(&self->nl, "lc0", false));
	ASSERT_EQ(0, lc_rt_change(&self->nl, "lc0", 7801, -1));
	ASSERT_EQ(0, lc_rt_get(&self->nl, "lc0", &info));
	EXPECT_EQ(7801, info.port);
}

TEST_F(rtnl, refused_change_changes_nothing)
{
	struct lc_link_info info;

	ASSERT_EQ(0, lc_rt_create(&self->nl, "lc0", 7788, -1));
	ASSERT_EQ(0, lc_rt_create(&self->nl, "lc1", 7789, -1));
	/* A good cipher with a taken port: neither may be applied. */
	ASSERT_EQ(-EADDRINUSE, lc_rt_change(&self->nl, "lc1", 7788,
					    LINKCRYPT_CIPHER_CHACHA20_POLY1305));
	ASSERT_EQ(0, lc_rt_get(&self->nl, "lc1", &info));
	EXPECT_EQ(7789, info.port);
	EXPECT_EQ(LINKCRYPT_CIPHER_AES_256_GCM, info.cipher);
}

TEST_F(rtnl, mtu_limits)
{
	struct lc_link_info info;

	ASSERT_EQ(0, lc_rt_create(&self->nl, "lc0", -1, -1));
	ASSERT_EQ(0, lc_rt_set_mtu(&self->nl, "lc0", LC_MAX_MTU));
	ASSERT_EQ(-EINVAL, lc_rt_set_mtu(&self->nl, "lc0", LC_MAX_MTU + 1));
	ASSERT_EQ(0, lc_rt_set_mtu(&self->nl, "lc0", 68));
	ASSERT_EQ(-EINVAL, lc_rt_set_mtu(&self->nl, "lc0", 67));
	ASSERT_EQ(0, lc_rt_get(&self->nl, "lc0", &info));
	EXPECT_EQ(68, info.mtu);
}

/*
 * 300 devices made, read back and deleted.  The harness's default 30 s is
 * a time limit, not part of what is tested: on the debug kernel (KASAN,
 * lockdep, kmemleak under TCG) the loop alone takes longer.
 */
TEST_F_TIMEOUT(rtnl, many_devices, 600)
{
	enum { N = 300 };
	struct lc_link_info info;
	char name[IFNAMSIZ];

	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "lc%d", i);
		ASSERT_EQ(0, lc_rt_create(&self->nl, name, 10000 + i, 1 + i % 2))
			TH_LOG("%s: %s", name, self->nl.extack);
	}
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "lc%d", i);
		ASSERT_EQ(0, lc_rt_get(&self->nl, name, &info));
		ASSERT_EQ(10000 + i, info.port);
		ASSERT_EQ(1 + i % 2, info.cipher);
	}
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "lc%d", i);
		ASSERT_EQ(0, lc_rt_del(&self->nl, name));
	}
	ASSERT_EQ(-ENODEV, lc_rt_get(&self->nl, "lc0", &info));
}

TEST_HARNESS_MAIN
