// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of peers: the "peer" command's arguments and requests
 * (peer_cmd.c), the decoding of PEER_GET replies (peer.c, key.c, stats.c)
 * and their text and JSON output (show.c).
 */
#include <arpa/inet.h>
#include <sys/socket.h>

#include "kselftest_harness.h"

#include "cli.h"
#include "helpers.h"
#include "lcctl.h"
#include "msg.h"
#include "peer.h"
#include "peer_cmd.h"
#include "show.h"

static char txbuf[8192] __attribute__((aligned(8)));
static char msgbuf[8192] __attribute__((aligned(8)));

/* peer_parse_args() on a NULL-terminated list; stderr captured. */
static int parse(struct peer_args *args, char **err, char **argv)
{
	struct capture c;
	int argc = 0;
	int ret;

	while (argv[argc])
		argc++;
	capture_begin(&c);
	ret = peer_parse_args(argc, argv, args);
	capture_end(&c);
	*err = c.err;
	free(c.out);
	return ret;
}

#define PARSE(...) parse(&args, &err, (char *[]){ __VA_ARGS__, NULL })

/* A usage error whose message contains @msg. */
#define EXPECT_USAGE(msg, ...) do {					\
		EXPECT_EQ(CLI_USAGE, PARSE(__VA_ARGS__));		\
		EXPECT_NE(NULL, strstr(err, msg)) {			\
			TH_LOG("stderr: %s", err);			\
		}							\
		free(err);						\
	} while (0)

TEST(args_add)
{
	struct peer_args args;
	char *err;

	ASSERT_EQ(CLI_OK, PARSE("add", "lc0", "id", "1", "remote-id", "7",
				"endpoint", "192.0.2.2:7788"));
	EXPECT_STREQ("", err);
	free(err);
	EXPECT_EQ(PEER_OP_ADD, (int)args.op);
	EXPECT_STREQ("lc0", args.ifname);
	EXPECT_EQ(1u, args.id);
	EXPECT_EQ(7u, args.remote_id);
	EXPECT_EQ(AF_INET, args.ep.family);
	EXPECT_EQ(7788, args.ep.port);
	EXPECT_EQ(0u, args.n_macs);
	EXPECT_FALSE(args.macs_none);

	/* Any order, "dev DEV", several MACs, IPv6, the largest ids. */
	ASSERT_EQ(CLI_OK, PARSE("add", "dev", "add", "mac", "02:00:00:00:00:02",
				"endpoint", "[2001:db8::2]:1", "remote-id",
				"4294967295", "mac", "02:00:00:00:00:03", "id",
				"4294967295"));
	free(err);
	EXPECT_STREQ("add", args.ifname);
	EXPECT_EQ(UINT32_MAX, args.id);
	EXPECT_EQ(UINT32_MAX, args.remote_id);
	EXPECT_EQ(AF_INET6, args.ep.family);
	ASSERT_EQ(2u, args.n_macs);
	EXPECT_EQ(0, memcmp("\x02\0\0\0\0\x02", args.macs[0].a, 6));
	EXPECT_EQ(0, memcmp("\x02\0\0\0\0\x03", args.macs[1].a, 6));
}

TEST(args_add_missing)
{
	struct peer_args args;
	char *err;

	EXPECT_USAGE("needs a device", "add");
	EXPECT_USAGE("needs the peer's \"id\"", "add", "lc0");
	EXPECT_USAGE("needs \"remote-id\"", "add", "lc0", "id", "1",
		     "endpoint", "192.0.2.2:1");
	EXPECT_USAGE("needs \"endpoint\"", "add", "lc0", "id", "1",
		     "remote-id", "2");
	EXPECT_USAGE("\"endpoint\" requires an argument", "add", "lc0", "id",
		     "1", "remote-id", "2", "endpoint");
	EXPECT_USAGE("\"dev\" requires an argument", "add", "dev");
}

TEST(args_bad_values)
{
	struct peer_args args;
	char *err;

	EXPECT_USAGE("\"0\" is not a valid peer id", "del", "lc0", "id", "0");
	EXPECT_USAGE("not a valid peer id", "del", "lc0", "id", "4294967296");
	EXPECT_USAGE("not a valid peer id", "del", "lc0", "id", "-1");
	EXPECT_USAGE("not a valid peer id", "del", "lc0", "id", "one");
	EXPECT_USAGE("not a valid remote id", "set", "lc0", "id", "1",
		     "remote-id", "0");
	EXPECT_USAGE("\"id\" given twice", "del", "lc0", "id", "1", "id", "2");
	EXPECT_USAGE("\"endpoint\" given twice", "set", "lc0", "id", "1",
		     "endpoint", "192.0.2.1:1", "endpoint", "192.0.2.1:1");
	EXPECT_USAGE("has no port", "set", "lc0", "id", "1", "endpoint",
		     "192.0.2.1");
	EXPECT_USAGE("multicast", "set", "lc0", "id", "1", "mac",
		     "01:00:5e:00:00:01");
	EXPECT_USAGE("given twice", "set", "lc0", "id", "1", "mac",
		     "02:00:00:00:00:01", "mac", "02:00:00:00:00:01");
	EXPECT_USAGE("not a valid interface name", "show", "a/b");
	EXPECT_USAGE("not a valid interface name", "show", "1234567890123456");
}

TEST(args_ops)
{
	struct peer_args args;
	char *err;

	ASSERT_EQ(CLI_OK, PARSE("del", "lc0", "id", "3"));
	free(err);
	EXPECT_EQ(PEER_OP_DEL, (int)args.op);
	EXPECT_EQ(3u, args.id);
	ASSERT_EQ(CLI_OK, PARSE("delete", "lc0", "id", "3"));
	free(err);
	EXPECT_EQ(PEER_OP_DEL, (int)args.op);

	ASSERT_EQ(CLI_OK, PARSE("show", "lc0"));
	free(err);
	EXPECT_EQ(PEER_OP_SHOW, (int)args.op);
	EXPECT_EQ(0u, args.id);
	ASSERT_EQ(CLI_OK, PARSE("show", "lc0", "id", "9"));
	free(err);
	EXPECT_EQ(9u, args.id);

	/* Keywords and sub-commands are matched whole. */
	EXPECT_USAGE("unknown sub-command \"peer a\"", "a", "lc0");
	EXPECT_USAGE("unknown sub-command \"peer sh\"", "sh", "lc0");
	EXPECT_USAGE("unknown argument \"i\"", "show", "lc0", "i", "1");
	EXPECT_USAGE("unknown argument \"remote\"", "set", "lc0", "id", "1",
		     "remote", "2");
	EXPECT_USAGE("needs a sub-command", NULL);

	/* Arguments of other sub-commands. */
	EXPECT_USAGE("\"endpoint\" is not an argument of \"peer del\"", "del",
		     "lc0", "id", "1", "endpoint", "192.0.2.1:1");
	EXPECT_USAGE("\"remote-id\" is not an argument of \"peer show\"",
		     "show", "lc0", "remote-id", "1");
	EXPECT_USAGE("\"mac\" is not an argument of \"peer del\"", "del", "lc0",
		     "id", "1", "mac", "none");
	EXPECT_USAGE("needs the peer's \"id\"", "del", "lc0");
	EXPECT_USAGE("needs the peer's \"id\"", "set", "lc0", "remote-id", "1");
}

TEST(args_set)
{
	struct peer_args args;
	char *err;

	EXPECT_USAGE("needs something to change", "set", "lc0", "id", "1");

	ASSERT_EQ(CLI_OK, PARSE("set", "lc0", "id", "1", "remote-id", "5"));
	free(err);
	EXPECT_EQ(PEER_OP_SET, (int)args.op);
	EXPECT_EQ(5u, args.remote_id);
	EXPECT_EQ(AF_UNSPEC, args.ep.family);

	ASSERT_EQ(CLI_OK, PARSE("set", "lc0", "id", "1", "mac", "none"));
	free(err);
	EXPECT_TRUE(args.macs_none);
	EXPECT_EQ(0u, args.n_macs);

	EXPECT_USAGE("cannot be combined", "set", "lc0", "id", "1", "mac",
		     "none", "mac", "02:00:00:00:00:01");
	EXPECT_USAGE("cannot be combined", "set", "lc0", "id", "1", "mac",
		     "02:00:00:00:00:01", "mac", "none");
	EXPECT_USAGE("\"mac none\" given twice", "set", "lc0", "id", "1", "mac",
		     "none", "mac", "none");
	EXPECT_USAGE("\"mac none\" is for \"peer set\"", "add", "lc0", "id", "1",
		     "remote-id", "2", "endpoint", "192.0.2.1:1", "mac", "none");
}

TEST(args_too_many_macs)
{
	char *argv[5 + 2 * (LC_PEER_MAX_MACS + 1)];
	char macs[LC_PEER_MAX_MACS + 1][LC_MAC_STRLEN];
	struct peer_args args;
	struct capture c;
	int argc = 0, i, ret;

	argv[argc++] = "set";
	argv[argc++] = "lc0";
	argv[argc++] = "id";
	argv[argc++] = "1";
	for (i = 0; i <= LC_PEER_MAX_MACS; i++) {
		snprintf(macs[i], sizeof(macs[i]), "02:00:00:00:%02x:%02x",
			 i >> 8, i & 0xff);
		argv[argc++] = "mac";
		argv[argc++] = macs[i];
	}
	ASSERT_EQ(CLI_OK, peer_parse_args(argc - 2, argv, &args));
	EXPECT_EQ((size_t)LC_PEER_MAX_MACS, args.n_macs);
	capture_begin(&c);
	ret = peer_parse_args(argc, argv, &args);
	capture_end(&c);
	EXPECT_EQ(CLI_USAGE, ret);
	EXPECT_NE(NULL, strstr(c.err, "too many MACs"));
	capture_free(&c);
}

TEST(args_help)
{
	struct peer_args args;
	char *err;

	EXPECT_EQ(CLI_HELP, PARSE("help"));
	free(err);
	EXPECT_EQ(CLI_HELP, PARSE("add", "help"));
	free(err);
	EXPECT_EQ(CLI_HELP, PARSE("add", "lc0", "id", "1", "help"));
	free(err);
	/* A device called "help". */
	EXPECT_EQ(CLI_OK, PARSE("show", "dev", "help"));
	EXPECT_STREQ("help", args.ifname);
	free(err);
}

/* Requests. */

static struct nlmsghdr *build(struct lc_conn *c, char **argv)
{
	struct peer_args args;
	int argc = 0;

	while (argv[argc])
		argc++;
	fake_conn(c, txbuf);
	if (peer_parse_args(argc, argv, &args) != CLI_OK)
		abort();
	return peer_build_req(c, &args);
}

#define BUILD(...) build(&c, (char *[]){ __VA_ARGS__, NULL })

TEST(req_add_ipv4)
{
	const struct nlattr *peer, *a, *macs;
	struct nlmsghdr *req;
	struct lc_conn c;

	req = BUILD("add", "lc0", "id", "1", "remote-id", "7", "endpoint",
		    "192.0.2.2:7788", "mac", "02:00:00:00:00:02", "mac",
		    "0a:0b:0c:0d:0e:0f");
	EXPECT_TRUE(msg_well_formed(req));
	EXPECT_EQ(TEST_FAMILY_ID, req->nlmsg_type);
	EXPECT_EQ(NLM_F_REQUEST | NLM_F_ACK, req->nlmsg_flags);
	EXPECT_EQ(LINKCRYPT_CMD_PEER_NEW, genl_cmd(req));
	EXPECT_EQ(LINKCRYPT_GENL_VERSION,
		  ((struct genlmsghdr *)mnl_nlmsg_get_payload(req))->version);

	/* The device by name, one peer nest, nothing else. */
	EXPECT_EQ(2, msg_n_attrs(req));
	a = msg_attr(req, LINKCRYPT_A_DEV_IFNAME);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(0, mnl_attr_validate(a, MNL_TYPE_NUL_STRING));
	EXPECT_STREQ("lc0", mnl_attr_get_str(a));
	EXPECT_EQ(4u, mnl_attr_get_payload_len(a));
	peer = msg_attr(req, LINKCRYPT_A_DEV_PEER);
	ASSERT_NE(NULL, peer);
	EXPECT_TRUE(mnl_attr_get_type(peer) == LINKCRYPT_A_DEV_PEER);
	EXPECT_EQ(5, nest_n_attrs(peer));

	a = nest_attr(peer, LINKCRYPT_A_PEER_ID);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(4u, mnl_attr_get_payload_len(a));
	EXPECT_EQ(1u, mnl_attr_get_u32(a));
	a = nest_attr(peer, LINKCRYPT_A_PEER_REMOTE_ID);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(4u, mnl_attr_get_payload_len(a));
	EXPECT_EQ(7u, mnl_attr_get_u32(a));
	/* The address in network byte order, the port in host order. */
	a = nest_attr(peer, LINKCRYPT_A_PEER_ENDPOINT_IP4);
	ASSERT_NE(NULL, a);
	ASSERT_EQ(4u, mnl_attr_get_payload_len(a));
	EXPECT_EQ(0, memcmp("\xc0\x00\x02\x02", mnl_attr_get_payload(a), 4));
	EXPECT_EQ(NULL, nest_attr(peer, LINKCRYPT_A_PEER_ENDPOINT_IP6));
	a = nest_attr(peer, LINKCRYPT_A_PEER_ENDPOINT_PORT);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(2u, mnl_attr_get_payload_len(a));
	EXPECT_EQ(7788, mnl_attr_get_u16(a));

	macs = nest_attr(peer, LINKCRYPT_A_PEER_MACS);
	ASSERT_NE(NULL, macs);
	EXPECT_EQ(2, nest_n_attrs(macs));
	a = nest_attr_n(macs, LINKCRYPT_A_MAC_ADDR, 0);
	ASSERT_NE(NULL, a);
	ASSERT_EQ(6u, mnl_attr_get_payload_len(a));
	EXPECT_EQ(0, memcmp("\x02\0\0\0\0\x02", mnl_attr_get_payload(a), 6));
	a = nest_attr_n(macs, LINKCRYPT_A_MAC_ADDR, 1);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(0, memcmp("\x0a\x0b\x0c\x0d\x0e\x0f", mnl_attr_get_payload(a), 6));
}

TEST(req_add_ipv6_no_macs)
{
	static const uint8_t addr[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	const struct nlattr *peer, *a;
	struct nlmsghdr *req;
	struct lc_conn c;

	req = BUILD("add", "lc1", "id", "2", "remote-id", "3", "endpoint",
		    "[2001:db8::2]:65535");
	EXPECT_TRUE(msg_well_formed(req));
	peer = msg_attr(req, LINKCRYPT_A_DEV_PEER);
	ASSERT_NE(NULL, peer);
	EXPECT_EQ(4, nest_n_attrs(peer));
	EXPECT_EQ(NULL, nest_attr(peer, LINKCRYPT_A_PEER_ENDPOINT_IP4));
	EXPECT_EQ(NULL, nest_attr(peer, LINKCRYPT_A_PEER_MACS));
	a = nest_attr(peer, LINKCRYPT_A_PEER_ENDPOINT_IP6);
	ASSERT_NE(NULL, a);
	ASSERT_EQ(16u, mnl_attr_get_payload_len(a));
	EXPECT_EQ(0, memcmp(addr, mnl_attr_get_payload(a), 16));
	EXPECT_EQ(65535, mnl_attr_get_u16(nest_attr(peer,
						    LINKCRYPT_A_PEER_ENDPOINT_PORT)));
}

TEST(req_set)
{
	const struct nlattr *peer, *macs;
	struct nlmsghdr *req;
	struct lc_conn c;

	/* Only what is given. */
	req = BUILD("set", "lc0", "id", "4", "remote-id", "9");
	EXPECT_EQ(LINKCRYPT_CMD_PEER_SET, genl_cmd(req));
	peer = msg_attr(req, LINKCRYPT_A_DEV_PEER);
	ASSERT_NE(NULL, peer);
	EXPECT_EQ(2, nest_n_attrs(peer));
	EXPECT_EQ(4u, mnl_attr_get_u32(nest_attr(peer, LINKCRYPT_A_PEER_ID)));
	EXPECT_EQ(9u, mnl_attr_get_u32(nest_attr(peer, LINKCRYPT_A_PEER_REMOTE_ID)));

	req = BUILD("set", "lc0", "id", "4", "endpoint", "192.0.2.9:1");
	peer = msg_attr(req, LINKCRYPT_A_DEV_PEER);
	EXPECT_EQ(3, nest_n_attrs(peer));
	EXPECT_NE(NULL, nest_attr(peer, LINKCRYPT_A_PEER_ENDPOINT_IP4));
	EXPECT_NE(NULL, nest_attr(peer, LINKCRYPT_A_PEER_ENDPOINT_PORT));
	EXPECT_EQ(NULL, nest_attr(peer, LINKCRYPT_A_PEER_REMOTE_ID));

	/* "mac none": an empty MACS nest. */
	req = BUILD("set", "lc0", "id", "4", "mac", "none");
	EXPECT_TRUE(msg_well_formed(req));
	peer = msg_attr(req, LINKCRYPT_A_DEV_PEER);
	EXPECT_EQ(2, nest_n_attrs(peer));
	macs = nest_attr(peer, LINKCRYPT_A_PEER_MACS);
	ASSERT_NE(NULL, macs);
	EXPECT_EQ(0u, mnl_attr_get_payload_len(macs));
	EXPECT_EQ(0, nest_n_attrs(macs));

	req = BUILD("set", "lc0", "id", "4", "mac", "02:00:00:00:00:09");
	macs = nest_attr(msg_attr(req, LINKCRYPT_A_DEV_PEER), LINKCRYPT_A_PEER_MACS);
	ASSERT_NE(NULL, macs);
	EXPECT_EQ(1, nest_n_attrs(macs));
}

TEST(req_del_and_get)
{
	struct lc_peer_sel sel = { "lc0", 0, 0 };
	const struct nlattr *peer;
	struct nlmsghdr *req;
	struct lc_conn c;

	req = BUILD("del", "lc0", "id", "4294967295");
	EXPECT_EQ(LINKCRYPT_CMD_PEER_DEL, genl_cmd(req));
	EXPECT_EQ(2, msg_n_attrs(req));
	peer = msg_attr(req, LINKCRYPT_A_DEV_PEER);
	EXPECT_EQ(1, nest_n_attrs(peer));
	EXPECT_EQ(UINT32_MAX, mnl_attr_get_u32(nest_attr(peer, LINKCRYPT_A_PEER_ID)));

	/* A dump of every peer of a device: the device in the request. */
	fake_conn(&c, txbuf);
	req = lc_peer_get_req(&c, &sel);
	EXPECT_EQ(LINKCRYPT_CMD_PEER_GET, genl_cmd(req));
	EXPECT_EQ(NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, req->nlmsg_flags);
	EXPECT_EQ(1, msg_n_attrs(req));
	EXPECT_STREQ("lc0", mnl_attr_get_str(msg_attr(req, LINKCRYPT_A_DEV_IFNAME)));

	/* By ifindex, as show does. */
	sel.ifname = NULL;
	sel.ifindex = 12;
	req = lc_peer_get_req(&c, &sel);
	EXPECT_EQ(1, msg_n_attrs(req));
	EXPECT_EQ(12u, mnl_attr_get_u32(msg_attr(req, LINKCRYPT_A_DEV_IFINDEX)));

	/* One peer: not a dump. */
	sel.id = 5;
	req = lc_peer_get_req(&c, &sel);
	EXPECT_EQ(NLM_F_REQUEST | NLM_F_ACK, req->nlmsg_flags);
	EXPECT_EQ(2, msg_n_attrs(req));
	peer = msg_attr(req, LINKCRYPT_A_DEV_PEER);
	EXPECT_EQ(1, nest_n_attrs(peer));
	EXPECT_EQ(5u, mnl_attr_get_u32(nest_attr(peer, LINKCRYPT_A_PEER_ID)));
}

/* Replies, as the kernel would send them. */

static void put_key(struct nlmsghdr *nlh, uint8_t dir, uint8_t slot, uint8_t id,
		    uint64_t packets, uint32_t flags)
{
	struct nlattr *key = mnl_attr_nest_start(nlh, LINKCRYPT_A_PEER_KEY);

	mnl_attr_put_u8(nlh, LINKCRYPT_A_KEY_DIR, dir);
	mnl_attr_put_u8(nlh, LINKCRYPT_A_KEY_SLOT, slot);
	mnl_attr_put_u8(nlh, LINKCRYPT_A_KEY_ID, id);
	put_u64_pad(nlh, LINKCRYPT_A_KEY_SOFT_PACKETS, LINKCRYPT_A_KEY_PAD, 0);
	put_u64_pad(nlh, LINKCRYPT_A_KEY_HARD_PACKETS, LINKCRYPT_A_KEY_PAD, 0);
	put_u64_pad(nlh, LINKCRYPT_A_KEY_SOFT_BYTES, LINKCRYPT_A_KEY_PAD,
		    dir == LINKCRYPT_KEY_DIR_TX ? 1000000 : 0);
	put_u64_pad(nlh, LINKCRYPT_A_KEY_HARD_BYTES, LINKCRYPT_A_KEY_PAD, 0);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_KEY_SOFT_SECONDS, 0);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_KEY_HARD_SECONDS,
			 dir == LINKCRYPT_KEY_DIR_TX ? 3600 : 0);
	put_u64_pad(nlh, LINKCRYPT_A_KEY_PACKETS, LINKCRYPT_A_KEY_PAD, packets);
	put_u64_pad(nlh, LINKCRYPT_A_KEY_BYTES, LINKCRYPT_A_KEY_PAD, packets * 40);
	if (dir == LINKCRYPT_KEY_DIR_RX) {
		put_u64_pad(nlh, LINKCRYPT_A_KEY_AUTH_FAILURES, LINKCRYPT_A_KEY_PAD, 2);
		put_u64_pad(nlh, LINKCRYPT_A_KEY_REPLAYS, LINKCRYPT_A_KEY_PAD, 1);
	}
	mnl_attr_put_u32(nlh, LINKCRYPT_A_KEY_AGE_SECONDS, 12);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_KEY_FLAGS, flags);
	mnl_attr_nest_end(nlh, key);
}

static void put_peer_stats(struct nlmsghdr *nlh)
{
	struct nlattr *st = mnl_attr_nest_start(nlh, LINKCRYPT_A_PEER_STATS);
	const uint16_t pad = LINKCRYPT_A_STATS_PAD;

	put_u64_pad(nlh, LINKCRYPT_A_STATS_TX_PACKETS, pad, 123);
	put_u64_pad(nlh, LINKCRYPT_A_STATS_TX_BYTES, pad, 45678);
	put_u64_pad(nlh, LINKCRYPT_A_STATS_RX_PACKETS, pad, 120);
	put_u64_pad(nlh, LINKCRYPT_A_STATS_RX_BYTES, pad, 44000);
	put_u64_pad(nlh, LINKCRYPT_A_STATS_DROP_NO_KEY, pad, 0);
	put_u64_pad(nlh, LINKCRYPT_A_STATS_DROP_KEY_EXPIRED, pad, 1);
	put_u64_pad(nlh, LINKCRYPT_A_STATS_DROP_AUTH, pad, 2);
	put_u64_pad(nlh, LINKCRYPT_A_STATS_DROP_REPLAY, pad, 3);
	put_u64_pad(nlh, LINKCRYPT_A_STATS_DROP_TX_ERROR, pad, 4);
	/* From a newer kernel. */
	put_u64_pad(nlh, LINKCRYPT_A_STATS_MAX + 1, pad, 99);
	mnl_attr_nest_end(nlh, st);
}

/* A full PEER_GET reply for peer 1 of lc0 (ifindex 5). */
static struct nlmsghdr *peer_msg(bool ipv6)
{
	struct nlmsghdr *nlh = genl_msg(msgbuf, sizeof(msgbuf),
					LINKCRYPT_CMD_PEER_GET);
	struct nlattr *peer, *macs;

	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, 5);
	mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, "lc0");
	peer = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_ID, 1);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_REMOTE_ID, 7);
	if (ipv6)
		mnl_attr_put(nlh, LINKCRYPT_A_PEER_ENDPOINT_IP6, 16,
			     "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02");
	else
		mnl_attr_put(nlh, LINKCRYPT_A_PEER_ENDPOINT_IP4, 4, "\xc0\x00\x02\x02");
	mnl_attr_put_u16(nlh, LINKCRYPT_A_PEER_ENDPOINT_PORT, 7788);
	macs = mnl_attr_nest_start(nlh, LINKCRYPT_A_PEER_MACS);
	mnl_attr_put(nlh, LINKCRYPT_A_MAC_ADDR, 6, "\x02\0\0\0\0\x02");
	mnl_attr_put(nlh, LINKCRYPT_A_MAC_ADDR, 6, "\x02\0\0\0\0\x03");
	mnl_attr_nest_end(nlh, macs);
	/* Keys out of order: the output sorts them. */
	put_key(nlh, LINKCRYPT_KEY_DIR_RX, LINKCRYPT_KEY_SLOT_PRIMARY, 5, 120, 0);
	put_key(nlh, LINKCRYPT_KEY_DIR_TX, LINKCRYPT_KEY_SLOT_SECONDARY, 4, 0, 0);
	put_key(nlh, LINKCRYPT_KEY_DIR_TX, LINKCRYPT_KEY_SLOT_PRIMARY, 3, 100,
		LINKCRYPT_KEY_F_SOFT_EXPIRED);
	put_peer_stats(nlh);
	put_u64_pad(nlh, LINKCRYPT_A_PEER_LAST_RX_MSECS, LINKCRYPT_A_KEY_PAD, 1234);
	/* From a newer kernel. */
	mnl_attr_put_strz(nlh, LINKCRYPT_A_PEER_MAX + 1, "future");
	mnl_attr_nest_end(nlh, peer);
	return nlh;
}

TEST(peer_parse_full)
{
	struct lc_peer p;
	uint32_t ifindex = 0;
	const struct lc_key *k;

	ASSERT_EQ(0, lc_peer_parse_msg(peer_msg(false), &p, &ifindex));
	EXPECT_EQ(5u, ifindex);
	EXPECT_EQ(1u, p.id);
	EXPECT_EQ(7u, p.remote_id);
	EXPECT_EQ(AF_INET, p.ep.family);
	EXPECT_EQ(htonl(0xc0000202), p.ep.addr.v4.s_addr);
	EXPECT_EQ(7788, p.ep.port);
	ASSERT_EQ(2u, p.n_macs);
	EXPECT_EQ(0, memcmp("\x02\0\0\0\0\x03", p.macs[1].a, 6));
	EXPECT_TRUE(lc_peer_has(&p, LINKCRYPT_A_PEER_LAST_RX_MSECS));
	EXPECT_EQ(1234u, p.last_rx_msecs);

	EXPECT_TRUE(lc_stats_has(&p.stats, LINKCRYPT_A_STATS_TX_PACKETS));
	EXPECT_EQ(123u, p.stats.v[LINKCRYPT_A_STATS_TX_PACKETS]);
	EXPECT_EQ(44000u, p.stats.v[LINKCRYPT_A_STATS_RX_BYTES]);
	EXPECT_EQ(4u, p.stats.v[LINKCRYPT_A_STATS_DROP_TX_ERROR]);
	EXPECT_FALSE(lc_stats_has(&p.stats, LINKCRYPT_A_STATS_DROP_MALFORMED));
	EXPECT_FALSE(lc_stats_has(&p.stats, LINKCRYPT_A_STATS_PAD));

	ASSERT_EQ(3u, p.n_keys);
	k = &p.keys[0];
	EXPECT_EQ((uint64_t)LINKCRYPT_KEY_DIR_TX, k->v[LINKCRYPT_A_KEY_DIR]);
	EXPECT_EQ((uint64_t)LINKCRYPT_KEY_SLOT_PRIMARY, k->v[LINKCRYPT_A_KEY_SLOT]);
	EXPECT_EQ(3u, k->v[LINKCRYPT_A_KEY_ID]);
	EXPECT_EQ(100u, k->v[LINKCRYPT_A_KEY_PACKETS]);
	EXPECT_EQ(4000u, k->v[LINKCRYPT_A_KEY_BYTES]);
	EXPECT_EQ(1000000u, k->v[LINKCRYPT_A_KEY_SOFT_BYTES]);
	EXPECT_EQ(3600u, k->v[LINKCRYPT_A_KEY_HARD_SECONDS]);
	EXPECT_EQ(12u, k->v[LINKCRYPT_A_KEY_AGE_SECONDS]);
	EXPECT_EQ((uint64_t)LINKCRYPT_KEY_F_SOFT_EXPIRED, k->v[LINKCRYPT_A_KEY_FLAGS]);
	EXPECT_FALSE(lc_key_has(k, LINKCRYPT_A_KEY_AUTH_FAILURES));
	EXPECT_FALSE(lc_key_has(k, LINKCRYPT_A_KEY_PAD));
	EXPECT_EQ((uint64_t)LINKCRYPT_KEY_SLOT_SECONDARY, p.keys[1].v[LINKCRYPT_A_KEY_SLOT]);
	k = &p.keys[2];
	EXPECT_EQ((uint64_t)LINKCRYPT_KEY_DIR_RX, k->v[LINKCRYPT_A_KEY_DIR]);
	EXPECT_EQ(2u, k->v[LINKCRYPT_A_KEY_AUTH_FAILURES]);
	EXPECT_EQ(1u, k->v[LINKCRYPT_A_KEY_REPLAYS]);
	lc_peer_free(&p);

	ASSERT_EQ(0, lc_peer_parse_msg(peer_msg(true), &p, NULL));
	EXPECT_EQ(AF_INET6, p.ep.family);
	EXPECT_EQ(2, p.ep.addr.v6.s6_addr[15]);
	lc_peer_free(&p);
}

TEST(peer_parse_minimal)
{
	struct nlmsghdr *nlh = genl_msg(msgbuf, sizeof(msgbuf),
					LINKCRYPT_CMD_PEER_GET);
	struct nlattr *peer;
	struct lc_peer p;
	uint32_t ifindex = 99;

	peer = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_ID, 2);
	mnl_attr_nest_end(nlh, peer);
	ASSERT_EQ(0, lc_peer_parse_msg(nlh, &p, &ifindex));
	EXPECT_EQ(0u, ifindex);
	EXPECT_EQ(2u, p.id);
	EXPECT_EQ(AF_UNSPEC, p.ep.family);
	EXPECT_EQ(0u, p.n_macs);
	EXPECT_EQ(0u, p.n_keys);
	EXPECT_EQ(0u, p.stats.present);
	EXPECT_FALSE(lc_peer_has(&p, LINKCRYPT_A_PEER_LAST_RX_MSECS));
	lc_peer_free(&p);
}

TEST(peer_parse_malformed)
{
	struct nlmsghdr *nlh;
	struct nlattr *peer, *n;
	struct lc_peer p;

	/* No peer nest. */
	nlh = genl_msg(msgbuf, sizeof(msgbuf), LINKCRYPT_CMD_PEER_GET);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, 5);
	EXPECT_EQ(-EBADMSG, lc_peer_parse_msg(nlh, &p, NULL));
	lc_peer_free(&p);

	/* No peer id. */
	nlh = genl_msg(msgbuf, sizeof(msgbuf), LINKCRYPT_CMD_PEER_GET);
	peer = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_REMOTE_ID, 2);
	mnl_attr_nest_end(nlh, peer);
	EXPECT_EQ(-EBADMSG, lc_peer_parse_msg(nlh, &p, NULL));
	lc_peer_free(&p);

	/* A short IPv6 address. */
	nlh = genl_msg(msgbuf, sizeof(msgbuf), LINKCRYPT_CMD_PEER_GET);
	peer = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_ID, 2);
	mnl_attr_put(nlh, LINKCRYPT_A_PEER_ENDPOINT_IP6, 15, "0123456789abcde");
	mnl_attr_nest_end(nlh, peer);
	EXPECT_EQ(-EBADMSG, lc_peer_parse_msg(nlh, &p, NULL));
	lc_peer_free(&p);

	/* A MAC of 5 bytes, after a good one (freed on failure: ASan). */
	nlh = genl_msg(msgbuf, sizeof(msgbuf), LINKCRYPT_CMD_PEER_GET);
	peer = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_ID, 2);
	n = mnl_attr_nest_start(nlh, LINKCRYPT_A_PEER_MACS);
	mnl_attr_put(nlh, LINKCRYPT_A_MAC_ADDR, 6, "\x02\0\0\0\0\x02");
	mnl_attr_put(nlh, LINKCRYPT_A_MAC_ADDR, 5, "\x02\0\0\0\0");
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, peer);
	EXPECT_EQ(-EBADMSG, lc_peer_parse_msg(nlh, &p, NULL));
	lc_peer_free(&p);

	/* A counter as a u32. */
	nlh = genl_msg(msgbuf, sizeof(msgbuf), LINKCRYPT_CMD_PEER_GET);
	peer = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_ID, 2);
	n = mnl_attr_nest_start(nlh, LINKCRYPT_A_PEER_STATS);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_STATS_TX_PACKETS, 1);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, peer);
	EXPECT_EQ(-EBADMSG, lc_peer_parse_msg(nlh, &p, NULL));
	lc_peer_free(&p);

	/* A key direction as a u32, after a good key. */
	nlh = genl_msg(msgbuf, sizeof(msgbuf), LINKCRYPT_CMD_PEER_GET);
	peer = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_ID, 2);
	put_key(nlh, LINKCRYPT_KEY_DIR_TX, 0, 1, 0, 0);
	n = mnl_attr_nest_start(nlh, LINKCRYPT_A_PEER_KEY);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_KEY_DIR, 1);
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, peer);
	EXPECT_EQ(-EBADMSG, lc_peer_parse_msg(nlh, &p, NULL));
	lc_peer_free(&p);
}

TEST(peer_key_material_never_kept)
{
	struct nlmsghdr *nlh = genl_msg(msgbuf, sizeof(msgbuf),
					LINKCRYPT_CMD_PEER_GET);
	struct nlattr *peer, *key;
	uint8_t secret[LINKCRYPT_MATERIAL_LEN];
	struct lc_peer p;

	memset(secret, 0xa5, sizeof(secret));
	peer = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_ID, 2);
	key = mnl_attr_nest_start(nlh, LINKCRYPT_A_PEER_KEY);
	mnl_attr_put_u8(nlh, LINKCRYPT_A_KEY_DIR, LINKCRYPT_KEY_DIR_TX);
	mnl_attr_put(nlh, LINKCRYPT_A_KEY_MATERIAL, sizeof(secret), secret);
	mnl_attr_nest_end(nlh, key);
	mnl_attr_nest_end(nlh, peer);
	ASSERT_EQ(0, lc_peer_parse_msg(nlh, &p, NULL));
	ASSERT_EQ(1u, p.n_keys);
	EXPECT_FALSE(lc_key_has(&p.keys[0], LINKCRYPT_A_KEY_MATERIAL));
	EXPECT_EQ(0u, p.keys[0].v[LINKCRYPT_A_KEY_MATERIAL]);
	lc_peer_free(&p);
}

/* Output. */

TEST(peers_text)
{
	struct lc_peer p[2];
	struct mem m;
	char *out;

	ASSERT_EQ(0, lc_peer_parse_msg(peer_msg(false), &p[0], NULL));
	memset(&p[1], 0, sizeof(p[1]));
	p[1].present = 1u << LINKCRYPT_A_PEER_ID;
	p[1].id = 2;
	show_print_peers_text(mem_open(&m), "", p, 2);
	out = mem_close(&m);
	EXPECT_STREQ("peer 1: remote-id 7 endpoint 192.0.2.2:7788 macs 02:00:00:00:00:02 02:00:00:00:00:03\n"
		     "  tx: 123 packets 45678 bytes  rx: 120 packets 44000 bytes  last-rx 1.2s ago\n"
		     "  drops: no-key 0 key-expired 1 auth 2 replay 3 tx-error 4\n"
		     "  key tx primary id 3: 100 packets 4000 bytes age 12s soft-bytes 1000000 hard-time 3600 [soft-expired]\n"
		     "  key tx secondary id 4: 0 packets 0 bytes age 12s soft-bytes 1000000 hard-time 3600\n"
		     "  key rx primary id 5: 120 packets 4800 bytes age 12s auth-failures 2 replays 1\n"
		     "peer 2:\n"
		     "  last-rx never\n"
		     "  keys: none\n", out);
	free(out);

	/* Indented, IPv6, both flags, unknown direction and slot. */
	p[0].ep.family = AF_INET6;
	memcpy(&p[0].ep.addr.v6, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	p[0].n_macs = 0;
	p[0].n_keys = 1;
	p[0].keys[0].v[LINKCRYPT_A_KEY_FLAGS] = LINKCRYPT_KEY_F_SOFT_EXPIRED |
						 LINKCRYPT_KEY_F_HARD_EXPIRED;
	p[0].keys[0].v[LINKCRYPT_A_KEY_DIR] = 9;
	p[0].keys[0].v[LINKCRYPT_A_KEY_SLOT] = 7;
	p[0].stats.present = 0;
	p[0].last_rx_msecs = 61999;
	show_print_peers_text(mem_open(&m), "  ", p, 1);
	out = mem_close(&m);
	EXPECT_STREQ("  peer 1: remote-id 7 endpoint [2001:db8::2]:7788\n"
		     "    last-rx 61.9s ago\n"
		     "    key unknown(9) unknown(7) id 3: 100 packets 4000 bytes age 12s soft-bytes 1000000 hard-time 3600 [soft-expired] [hard-expired]\n",
		     out);
	free(out);
	p[0].n_keys = 3;
	lc_peer_free(&p[0]);
}

TEST(peers_json)
{
	struct lc_peer p;
	struct mem m;
	char *out;

	ASSERT_EQ(0, lc_peer_parse_msg(peer_msg(false), &p, NULL));
	EXPECT_EQ(0, show_print_peers_json(mem_open(&m), false, &p, 1));
	out = mem_close(&m);
	EXPECT_STREQ("[{\"id\":1,\"remote_id\":7,"
		     "\"endpoint\":{\"address\":\"192.0.2.2\",\"port\":7788},"
		     "\"macs\":[\"02:00:00:00:00:02\",\"02:00:00:00:00:03\"],"
		     "\"stats\":{\"tx_packets\":123,\"tx_bytes\":45678,"
		     "\"rx_packets\":120,\"rx_bytes\":44000,\"drop_no_key\":0,"
		     "\"drop_key_expired\":1,\"drop_auth\":2,\"drop_replay\":3,"
		     "\"drop_tx_error\":4},"
		     "\"last_rx_msecs\":1234,"
		     "\"keys\":["
		     "{\"dir\":\"tx\",\"slot\":\"primary\",\"id\":3,\"packets\":100,"
		     "\"bytes\":4000,\"age_seconds\":12,\"soft_expired\":true,"
		     "\"hard_expired\":false,\"soft_packets\":0,\"hard_packets\":0,"
		     "\"soft_bytes\":1000000,\"hard_bytes\":0,\"soft_seconds\":0,"
		     "\"hard_seconds\":3600},"
		     "{\"dir\":\"tx\",\"slot\":\"secondary\",\"id\":4,\"packets\":0,"
		     "\"bytes\":0,\"age_seconds\":12,\"soft_expired\":false,"
		     "\"hard_expired\":false,\"soft_packets\":0,\"hard_packets\":0,"
		     "\"soft_bytes\":1000000,\"hard_bytes\":0,\"soft_seconds\":0,"
		     "\"hard_seconds\":3600},"
		     "{\"dir\":\"rx\",\"slot\":\"primary\",\"id\":5,\"packets\":120,"
		     "\"bytes\":4800,\"auth_failures\":2,\"replays\":1,"
		     "\"age_seconds\":12,\"soft_expired\":false,"
		     "\"hard_expired\":false,\"soft_packets\":0,\"hard_packets\":0,"
		     "\"soft_bytes\":0,\"hard_bytes\":0,\"soft_seconds\":0,"
		     "\"hard_seconds\":0}]}]\n", out);
	free(out);

	EXPECT_EQ(0, show_print_peers_json(mem_open(&m), false, &p, 0));
	out = mem_close(&m);
	EXPECT_STREQ("[]\n", out);
	free(out);
	lc_peer_free(&p);

	/* A peer with nothing but its id: empty lists, no endpoint. */
	memset(&p, 0, sizeof(p));
	p.id = 3;
	EXPECT_EQ(0, show_print_peers_json(mem_open(&m), true, &p, 1));
	out = mem_close(&m);
	EXPECT_STREQ("[\n"
		     "  {\n"
		     "    \"id\": 3,\n"
		     "    \"macs\": [],\n"
		     "    \"stats\": {},\n"
		     "    \"keys\": []\n"
		     "  }\n"
		     "]\n", out);
	free(out);
}

TEST(peer_list)
{
	struct lc_peer_list list = { 0 };
	struct lc_peer p;
	uint32_t i;

	for (i = 1; i <= 100; i++) {
		ASSERT_EQ(0, lc_peer_parse_msg(peer_msg(i % 2), &p, NULL));
		p.id = i;
		ASSERT_EQ(0, lc_peer_list_add(&list, &p));
		/* Taken over. */
		EXPECT_EQ(NULL, p.macs);
		EXPECT_EQ(NULL, p.keys);
	}
	ASSERT_EQ(100u, list.n);
	for (i = 0; i < 100; i++) {
		EXPECT_EQ(i + 1, list.peers[i].id);
		EXPECT_EQ(3u, list.peers[i].n_keys);
	}
	lc_peer_list_free(&list);
	EXPECT_EQ(0u, list.n);
	EXPECT_EQ(NULL, list.peers);
}

/* lcctl_main() on command lines that never reach the kernel. */

struct run {
	int ret;
	char *out, *err;
};

static struct run run_main(char **argv)
{
	struct capture c;
	struct run r;
	int argc = 0;

	while (argv[argc])
		argc++;
	capture_begin(&c);
	r.ret = lcctl_main(argc, argv);
	capture_end(&c);
	r.out = c.out;
	r.err = c.err;
	return r;
}

#define RUN(...) run_main((char *[]){ "lcctl", __VA_ARGS__, NULL })

TEST(main_peer)
{
	struct run r;

	r = RUN("peer", "help");
	EXPECT_EQ(LC_EXIT_OK, r.ret);
	EXPECT_EQ(r.out, strstr(r.out, "Usage: lcctl peer add DEV id ID"));
	EXPECT_NE(NULL, strstr(r.out, "lcctl peer show DEV [ id ID ]"));
	EXPECT_STREQ("", r.err);
	free(r.out);
	free(r.err);

	r = RUN("help", "peer");
	EXPECT_EQ(LC_EXIT_OK, r.ret);
	EXPECT_EQ(r.out, strstr(r.out, "Usage: lcctl peer add"));
	free(r.out);
	free(r.err);

	/* A usage error: the grammar of that sub-command only. */
	r = RUN("peer", "del", "lc0");
	EXPECT_EQ(LC_EXIT_USAGE, r.ret);
	EXPECT_STREQ("", r.out);
	EXPECT_EQ(r.err, strstr(r.err, "Error: \"peer del\" needs the peer's \"id\".\n"
				       "Usage: lcctl peer del DEV id ID\n"));
	EXPECT_EQ(NULL, strstr(r.err, "peer add"));
	free(r.out);
	free(r.err);

	r = RUN("peer");
	EXPECT_EQ(LC_EXIT_USAGE, r.ret);
	EXPECT_NE(NULL, strstr(r.err, "Usage: lcctl peer add"));
	EXPECT_NE(NULL, strstr(r.err, "lcctl peer show"));
	free(r.out);
	free(r.err);
}

TEST_HARNESS_MAIN
