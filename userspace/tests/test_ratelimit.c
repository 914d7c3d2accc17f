// SPDX-License-Identifier: GPL-2.0
/*
 * Token buckets of incoming handshakes (ratelimit.c): per source, /64
 * for IPv6, IPv4-mapped addresses as IPv4, the global bucket, refill,
 * and a table full of other sources.
 */
#include <arpa/inet.h>
#include <string.h>

#include "kselftest_harness.h"

#include "ratelimit.h"

static struct sockaddr_storage v4(const char *a)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	s->sin_family = AF_INET;
	if (inet_pton(AF_INET, a, &s->sin_addr) != 1)
		abort();
	return ss;
}

static struct sockaddr_storage v6(const char *a)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	s->sin6_family = AF_INET6;
	if (inet_pton(AF_INET6, a, &s->sin6_addr) != 1)
		abort();
	return ss;
}

#define SA(ss) ((const struct sockaddr *)&(ss))

TEST(bucket)
{
	struct lc_tb tb;
	int i;

	lc_tb_init(&tb, 2, 3, 1000);
	for (i = 0; i < 3; i++)
		EXPECT_TRUE(lc_tb_take(&tb, 1000));
	EXPECT_FALSE(lc_tb_take(&tb, 1000));
	/* 2 per second: one token after 500 ms, not before. */
	EXPECT_FALSE(lc_tb_take(&tb, 1499));
	EXPECT_TRUE(lc_tb_take(&tb, 1500));
	EXPECT_FALSE(lc_tb_take(&tb, 1500));
	/* A long pause fills it up to the burst only. */
	for (i = 0; i < 3; i++)
		EXPECT_TRUE(lc_tb_take(&tb, 1000000));
	EXPECT_FALSE(lc_tb_take(&tb, 1000000));
	/* Time going backwards adds nothing. */
	EXPECT_FALSE(lc_tb_take(&tb, 999));
}

TEST(keys)
{
	struct sockaddr_storage a = v4("192.0.2.7"), b = v6("::ffff:192.0.2.7");
	struct sockaddr_storage c = v6("2001:db8:1:2::1"), d = v6("2001:db8:1:2:ffff::9");
	struct sockaddr_storage e = v6("2001:db8:1:3::1"), u;
	uint8_t ka[16], kb[16], kc[16], kd[16], ke[16];

	ASSERT_EQ(0, lc_rl_key(SA(a), ka));
	ASSERT_EQ(0, lc_rl_key(SA(b), kb));
	ASSERT_EQ(0, lc_rl_key(SA(c), kc));
	ASSERT_EQ(0, lc_rl_key(SA(d), kd));
	ASSERT_EQ(0, lc_rl_key(SA(e), ke));
	EXPECT_EQ(0, memcmp(ka, kb, 16));	/* mapped = IPv4 */
	EXPECT_EQ(0, memcmp(kc, kd, 16));	/* the same /64 */
	EXPECT_NE(0, memcmp(kc, ke, 16));	/* another /64 */
	EXPECT_NE(0, memcmp(ka, kc, 16));
	memset(&u, 0, sizeof(u));
	u.ss_family = AF_UNIX;
	EXPECT_EQ(-1, lc_rl_key(SA(u), ka));
}

FIXTURE(rl) {
	struct lc_rl rl;
};

FIXTURE_SETUP(rl)
{
	/* Each source 1/s, burst 2; all together 10/s, burst 5. */
	lc_rl_init(&self->rl, 1, 2, 10, 5, 0x1234, 0);
}

FIXTURE_TEARDOWN(rl)
{
}

TEST_F(rl, per_source)
{
	struct sockaddr_storage a = v4("192.0.2.7"), a6 = v6("::ffff:192.0.2.7");
	struct sockaddr_storage b = v4("192.0.2.8");

	EXPECT_TRUE(lc_rl_allow(&self->rl, SA(a), 0));
	EXPECT_TRUE(lc_rl_allow(&self->rl, SA(a6), 0));
	EXPECT_FALSE(lc_rl_allow(&self->rl, SA(a), 10));
	/* Another source is not held back by the first. */
	EXPECT_TRUE(lc_rl_allow(&self->rl, SA(b), 10));
	/* One second later, one more for the first. */
	EXPECT_FALSE(lc_rl_allow(&self->rl, SA(a), 999));
	EXPECT_TRUE(lc_rl_allow(&self->rl, SA(a), 1000));
	EXPECT_FALSE(lc_rl_allow(&self->rl, SA(a), 1000));
}

/* One host with many IPv6 addresses of its /64 has one bucket. */
TEST_F(rl, ipv6_prefix)
{
	char addr[64];
	int i, ok = 0;

	for (i = 1; i <= 10; i++) {
		struct sockaddr_storage s;

		snprintf(addr, sizeof(addr), "2001:db8:0:1::%x", i);
		s = v6(addr);
		ok += lc_rl_allow(&self->rl, SA(s), 0);
	}
	EXPECT_EQ(2, ok);
}

/* Many sources together: the global bucket. */
TEST_F(rl, global)
{
	struct sockaddr_storage last;
	char addr[32];
	int i, ok = 0;

	for (i = 1; i <= 50; i++) {
		struct sockaddr_storage s;

		snprintf(addr, sizeof(addr), "198.18.0.%d", i);
		s = v4(addr);
		ok += lc_rl_allow(&self->rl, SA(s), 0);
	}
	EXPECT_EQ(5, ok);
	/* A refused source did not lose its own token. */
	last = v4("198.18.0.50");
	EXPECT_TRUE(lc_rl_allow(&self->rl, SA(last), 100));
	EXPECT_TRUE(lc_rl_allow(&self->rl, SA(last), 200));
	EXPECT_FALSE(lc_rl_allow(&self->rl, SA(last), 300));
}

/*
 * More sources than slots: the table keeps working, and a source
 * refilled recently keeps its (empty) bucket against a stream of new
 * ones, as long as its slots hold older buckets.
 */
TEST_F(rl, table_full)
{
	struct sockaddr_storage a = v4("192.0.2.7");
	char addr[32];
	int i;

	lc_rl_init(&self->rl, 1, 2, 1000000, 1000000, 99, 0);
	for (i = 0; i < 3 * LC_RL_SLOTS; i++) {
		struct sockaddr_storage s;

		snprintf(addr, sizeof(addr), "10.%d.%d.1", i / 256, i % 256);
		s = v4(addr);
		EXPECT_TRUE(lc_rl_allow(&self->rl, SA(s), 0));
	}
	EXPECT_TRUE(lc_rl_allow(&self->rl, SA(a), 1));
	EXPECT_TRUE(lc_rl_allow(&self->rl, SA(a), 1));
	EXPECT_FALSE(lc_rl_allow(&self->rl, SA(a), 1));
	for (i = 0; i < 4; i++) {
		struct sockaddr_storage s;

		snprintf(addr, sizeof(addr), "10.200.%d.1", i);
		s = v4(addr);
		EXPECT_TRUE(lc_rl_allow(&self->rl, SA(s), 1));
	}
	EXPECT_FALSE(lc_rl_allow(&self->rl, SA(a), 2));
}

TEST_HARNESS_MAIN
