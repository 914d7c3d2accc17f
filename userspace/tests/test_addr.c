// SPDX-License-Identifier: GPL-2.0
/* Unit tests of endpoints and MAC addresses (addr.c). */
#include <arpa/inet.h>
#include <sys/socket.h>

#include "kselftest_harness.h"

#include "addr.h"
#include "cli.h"
#include "helpers.h"

/* lc_endpoint_parse() with stderr captured into *@err (free() it). */
static int ep_parse(const char *s, struct lc_endpoint *ep, char **err)
{
	struct capture c;
	int ret;

	capture_begin(&c);
	ret = lc_endpoint_parse(s, ep);
	capture_end(&c);
	*err = c.err;
	free(c.out);
	return ret;
}

static int mac_parse(const char *s, struct lc_mac *mac, char **err)
{
	struct capture c;
	int ret;

	capture_begin(&c);
	ret = lc_mac_parse(s, mac);
	capture_end(&c);
	*err = c.err;
	free(c.out);
	return ret;
}

TEST(endpoint_ipv4)
{
	struct lc_endpoint ep;
	char buf[LC_ENDPOINT_STRLEN];
	char *err;

	ASSERT_EQ(CLI_OK, ep_parse("192.0.2.2:7788", &ep, &err));
	EXPECT_STREQ("", err);
	free(err);
	EXPECT_EQ(AF_INET, ep.family);
	EXPECT_EQ(htonl(0xc0000202), ep.addr.v4.s_addr);
	EXPECT_EQ(7788, ep.port);
	EXPECT_STREQ("192.0.2.2:7788", lc_endpoint_str(&ep, buf, sizeof(buf)));
	EXPECT_STREQ("192.0.2.2", lc_endpoint_addr_str(&ep, buf, sizeof(buf)));

	ASSERT_EQ(CLI_OK, ep_parse("0.0.0.1:1", &ep, &err));
	free(err);
	EXPECT_EQ(1, ep.port);
	ASSERT_EQ(CLI_OK, ep_parse("255.255.255.255:65535", &ep, &err));
	free(err);
	EXPECT_EQ(65535, ep.port);
}

TEST(endpoint_ipv6)
{
	static const uint8_t want[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct lc_endpoint ep;
	char buf[LC_ENDPOINT_STRLEN];
	char *err;

	ASSERT_EQ(CLI_OK, ep_parse("[2001:db8::1]:7788", &ep, &err));
	EXPECT_STREQ("", err);
	free(err);
	EXPECT_EQ(AF_INET6, ep.family);
	EXPECT_EQ(0, memcmp(want, &ep.addr.v6, 16));
	EXPECT_EQ(7788, ep.port);
	EXPECT_STREQ("[2001:db8::1]:7788", lc_endpoint_str(&ep, buf, sizeof(buf)));
	EXPECT_STREQ("2001:db8::1", lc_endpoint_addr_str(&ep, buf, sizeof(buf)));

	/* Upper case and a v4-mapped address are IPv6 addresses too. */
	ASSERT_EQ(CLI_OK, ep_parse("[2001:DB8::A]:1", &ep, &err));
	free(err);
	EXPECT_STREQ("[2001:db8::a]:1", lc_endpoint_str(&ep, buf, sizeof(buf)));
	ASSERT_EQ(CLI_OK, ep_parse("[::ffff:192.0.2.1]:9", &ep, &err));
	free(err);
	EXPECT_EQ(AF_INET6, ep.family);
	ASSERT_EQ(CLI_OK, ep_parse("[::]:9", &ep, &err));
	free(err);
}

TEST(endpoint_bad)
{
	static const struct {
		const char *s, *msg;
	} bad[] = {
		{ "192.0.2.2", "has no port" },
		{ "192.0.2.2:", "has no port" },
		{ "192.0.2.2:0", "not a valid UDP port" },
		{ "192.0.2.2:65536", "not a valid UDP port" },
		{ "192.0.2.2:-1", "not a valid UDP port" },
		{ "192.0.2.2:+1", "not a valid UDP port" },
		{ "192.0.2.2:0x10", "not a valid UDP port" },
		{ "192.0.2.2: 1", "not a valid UDP port" },
		{ "192.0.2:1", "not an IPv4 address" },
		{ "192.0.2.256:1", "not an IPv4 address" },
		{ "192.0.2.2.1:1", "not an IPv4 address" },
		{ "010.0.0.1:1", "not an IPv4 address" },
		{ "example.com:1", "names are not resolved" },
		{ ":1", "not an IPv4 address" },
		{ "", "has no port" },
		{ "2001:db8::1:7788", "goes in brackets" },
		{ "[2001:db8::1]", "has no port" },
		{ "[2001:db8::1]:", "has no port" },
		{ "[2001:db8::1]7788", "expected \":PORT\"" },
		{ "[2001:db8::1:7788", "no \"]\"" },
		{ "[]:1", "not an IPv6 address" },
		{ "[192.0.2.1]:1", "not an IPv6 address" },
		{ "[2001:db8::g]:1", "not an IPv6 address" },
		{ "[fe80::1%eth0]:1", "scoped IPv6" },
		{ "[2001:db8::1]:99999", "not a valid UDP port" },
	};
	struct lc_endpoint ep;
	size_t i;
	char *err;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&ep, 0x55, sizeof(ep));
		EXPECT_EQ(CLI_USAGE, ep_parse(bad[i].s, &ep, &err)) {
			TH_LOG("accepted \"%s\"", bad[i].s);
		}
		EXPECT_EQ(err, strstr(err, "Error: ")) {
			TH_LOG("\"%s\": %s", bad[i].s, err);
		}
		EXPECT_NE(NULL, strstr(err, bad[i].msg)) {
			TH_LOG("\"%s\": %s", bad[i].s, err);
		}
		/* One line. */
		EXPECT_EQ(strchr(err, '\n'), err + strlen(err) - 1);
		free(err);
		/* Untouched on failure. */
		EXPECT_EQ(0x55555555, ep.family);
	}
}

TEST(endpoint_none)
{
	struct lc_endpoint ep = { .family = AF_UNSPEC };
	char buf[LC_ENDPOINT_STRLEN];

	EXPECT_STREQ("none", lc_endpoint_str(&ep, buf, sizeof(buf)));
	EXPECT_STREQ("none", lc_endpoint_addr_str(&ep, buf, sizeof(buf)));
}

TEST(mac_good)
{
	struct lc_mac mac;
	char buf[LC_MAC_STRLEN];
	char *err;

	ASSERT_EQ(CLI_OK, mac_parse("02:00:5e:10:00:01", &mac, &err));
	EXPECT_STREQ("", err);
	free(err);
	EXPECT_EQ(0, memcmp("\x02\x00\x5e\x10\x00\x01", mac.a, 6));
	EXPECT_STREQ("02:00:5e:10:00:01", lc_mac_str(&mac, buf, sizeof(buf)));

	ASSERT_EQ(CLI_OK, mac_parse("AA:BB:CC:DD:EE:FF", &mac, &err));
	free(err);
	EXPECT_STREQ("aa:bb:cc:dd:ee:ff", lc_mac_str(&mac, buf, sizeof(buf)));
	/* Only the last byte set: not all zero. */
	ASSERT_EQ(CLI_OK, mac_parse("00:00:00:00:00:01", &mac, &err));
	free(err);
}

TEST(mac_bad)
{
	static const struct {
		const char *s, *msg;
	} bad[] = {
		{ "01:00:5e:00:00:01", "multicast" },
		{ "ff:ff:ff:ff:ff:ff", "multicast or broadcast" },
		{ "03:00:00:00:00:00", "multicast" },
		{ "00:00:00:00:00:00", "all zero" },
		{ "02:00:00:00:00", "not a MAC address" },
		{ "02:00:00:00:00:00:00", "not a MAC address" },
		{ "2:0:0:0:0:1", "not a MAC address" },
		{ "02-00-00-00-00-01", "not a MAC address" },
		{ "0200.0000.0001", "not a MAC address" },
		{ "02:00:00:00:00:0g", "not a MAC address" },
		{ "02:00:00:00:00:01 ", "not a MAC address" },
		{ "none", "not a MAC address" },
		{ "", "not a MAC address" },
	};
	struct lc_mac mac;
	size_t i;
	char *err;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(CLI_USAGE, mac_parse(bad[i].s, &mac, &err)) {
			TH_LOG("accepted \"%s\"", bad[i].s);
		}
		EXPECT_NE(NULL, strstr(err, bad[i].msg)) {
			TH_LOG("\"%s\": %s", bad[i].s, err);
		}
		free(err);
	}
}

TEST_HARNESS_MAIN
