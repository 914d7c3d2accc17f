// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of "show": argument parsing, decoding of the kernel's device
 * messages, text and JSON output, and the exit codes of lcctl_main() for
 * command lines that never reach the kernel.
 */
#include <linux/genetlink.h>
#include <linux/linkcrypt.h>

#include "kselftest_harness.h"

#include "cli.h"
#include "dev.h"
#include "helpers.h"
#include "lcctl.h"
#include "show.h"

/* show_parse_args() on a NULL-terminated list; stderr is captured. */
static int parse(struct show_args *args, char **err, char **argv)
{
	struct capture c;
	int argc = 0;
	int ret;

	while (argv[argc])
		argc++;
	capture_begin(&c);
	ret = show_parse_args(argc, argv, args);
	capture_end(&c);
	*err = c.err;
	free(c.out);
	return ret;
}

#define PARSE(...) parse(&args, &err, (char *[]){ __VA_ARGS__, NULL })
#define PARSE_NONE() parse(&args, &err, (char *[]){ NULL })

TEST(args_none)
{
	struct show_args args;
	char *err;

	EXPECT_EQ(CLI_OK, PARSE_NONE());
	EXPECT_EQ(NULL, args.ifname);
	EXPECT_EQ(0u, args.ifindex);
	EXPECT_STREQ("", err);
	free(err);
}

TEST(args_one_device)
{
	struct show_args args;
	char *err;

	EXPECT_EQ(CLI_OK, PARSE("lc0"));
	EXPECT_STREQ("lc0", args.ifname);
	free(err);

	EXPECT_EQ(CLI_OK, PARSE("dev", "lc1"));
	EXPECT_STREQ("lc1", args.ifname);
	free(err);

	/* "dev" takes names that look like keywords or options. */
	EXPECT_EQ(CLI_OK, PARSE("dev", "help"));
	EXPECT_STREQ("help", args.ifname);
	free(err);
	EXPECT_EQ(CLI_OK, PARSE("dev", "-j"));
	EXPECT_STREQ("-j", args.ifname);
	free(err);

	EXPECT_EQ(CLI_OK, PARSE("ifindex", "7"));
	EXPECT_EQ(NULL, args.ifname);
	EXPECT_EQ(7u, args.ifindex);
	free(err);

	EXPECT_EQ(CLI_OK, PARSE("123456789012345"));
	free(err);
}

TEST(args_help)
{
	struct show_args args;
	char *err;

	EXPECT_EQ(CLI_HELP, PARSE("help"));
	free(err);
	EXPECT_EQ(CLI_HELP, PARSE("lc0", "help"));
	free(err);
}

TEST(args_too_many)
{
	struct show_args args;
	char *err;

	EXPECT_EQ(CLI_USAGE, PARSE("lc0", "lc1"));
	EXPECT_STREQ("Error: too many arguments: \"lc1\"; show takes one device at most.\n",
		     err);
	free(err);
	EXPECT_EQ(CLI_USAGE, PARSE("dev", "lc0", "lc1"));
	free(err);
	EXPECT_EQ(CLI_USAGE, PARSE("lc0", "ifindex", "3"));
	free(err);
	EXPECT_EQ(CLI_USAGE, PARSE("ifindex", "3", "lc0"));
	free(err);
}

TEST(args_bad)
{
	struct show_args args;
	char *err;

	EXPECT_EQ(CLI_USAGE, PARSE("dev"));
	EXPECT_STREQ("Error: \"dev\" requires an argument.\n", err);
	free(err);
	EXPECT_EQ(CLI_USAGE, PARSE("ifindex"));
	free(err);
	EXPECT_EQ(CLI_USAGE, PARSE("ifindex", "0"));
	EXPECT_STREQ("Error: \"0\" is not a valid interface index.\n", err);
	free(err);
	EXPECT_EQ(CLI_USAGE, PARSE("ifindex", "-1"));
	free(err);
	EXPECT_EQ(CLI_USAGE, PARSE("ifindex", "2147483648"));
	free(err);
	EXPECT_EQ(CLI_USAGE, PARSE("ifindex", "lc0"));
	free(err);
	EXPECT_EQ(CLI_USAGE, PARSE("1234567890123456"));
	EXPECT_STREQ("Error: \"1234567890123456\" is not a valid interface name.\n",
		     err);
	free(err);
	EXPECT_EQ(CLI_USAGE, PARSE("a/b"));
	free(err);
	/* A global option after the command. */
	EXPECT_EQ(CLI_USAGE, PARSE("-j"));
	EXPECT_NE(NULL, strstr(err, "options go before the command"));
	free(err);
}

/* lcctl_main() with stdout and stderr captured. */
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

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

TEST(main_usage_errors)
{
	struct run r;

	r = run_main((char *[]){ "lcctl", NULL });
	EXPECT_EQ(LC_EXIT_USAGE, r.ret);
	EXPECT_STREQ("", r.out);
	EXPECT_NE(NULL, strstr(r.err, "Error: no command given."));
	EXPECT_NE(NULL, strstr(r.err, "Usage: lcctl"));
	run_free(&r);

	r = RUN("bogus");
	EXPECT_EQ(LC_EXIT_USAGE, r.ret);
	EXPECT_STREQ("", r.out);
	EXPECT_NE(NULL, strstr(r.err, "Error: unknown command \"bogus\"."));
	EXPECT_NE(NULL, strstr(r.err, "Usage: lcctl"));
	run_free(&r);

	r = RUN("-x", "show");
	EXPECT_EQ(LC_EXIT_USAGE, r.ret);
	EXPECT_NE(NULL, strstr(r.err, "Usage: lcctl"));
	run_free(&r);

	r = RUN("show", "lc0", "lc1");
	EXPECT_EQ(LC_EXIT_USAGE, r.ret);
	EXPECT_STREQ("", r.out);
	EXPECT_NE(NULL, strstr(r.err, "Error: too many arguments"));
	EXPECT_NE(NULL, strstr(r.err, "Usage: lcctl show"));
	run_free(&r);

	r = RUN("-j", "sh", "ifindex", "x");
	EXPECT_EQ(LC_EXIT_USAGE, r.ret);
	run_free(&r);

	r = RUN("help", "bogus");
	EXPECT_EQ(LC_EXIT_USAGE, r.ret);
	run_free(&r);

	r = RUN("help", "show", "extra");
	EXPECT_EQ(LC_EXIT_USAGE, r.ret);
	run_free(&r);
}

TEST(main_help)
{
	struct run r;

	r = RUN("help");
	EXPECT_EQ(LC_EXIT_OK, r.ret);
	EXPECT_EQ(r.out, strstr(r.out, "Usage: lcctl"));
	EXPECT_NE(NULL, strstr(r.out, "show"));
	EXPECT_STREQ("", r.err);
	run_free(&r);

	r = RUN("-h");
	EXPECT_EQ(LC_EXIT_OK, r.ret);
	EXPECT_EQ(r.out, strstr(r.out, "Usage: lcctl"));
	run_free(&r);

	r = RUN("show", "help");
	EXPECT_EQ(LC_EXIT_OK, r.ret);
	EXPECT_EQ(r.out, strstr(r.out, "Usage: lcctl show"));
	EXPECT_NE(NULL, strstr(r.out, "aes-256-gcm | chacha20-poly1305"));
	EXPECT_STREQ("", r.err);
	run_free(&r);

	r = RUN("help", "sh");
	EXPECT_EQ(LC_EXIT_OK, r.ret);
	EXPECT_EQ(r.out, strstr(r.out, "Usage: lcctl show"));
	run_free(&r);

	r = RUN("-V");
	EXPECT_EQ(LC_EXIT_OK, r.ret);
	EXPECT_EQ(r.out, strstr(r.out, "lcctl "));
	run_free(&r);
}

/* Device messages as the kernel would send them. */

static char msgbuf[4096] __attribute__((aligned(8)));

static struct nlmsghdr *dev_msg(void)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(msgbuf, 0, sizeof(msgbuf));
	nlh = mnl_nlmsg_put_header(msgbuf);
	nlh->nlmsg_type = GENL_MIN_ID + 3;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = LINKCRYPT_CMD_DEV_GET;
	genl->version = LINKCRYPT_GENL_VERSION;
	return nlh;
}

static struct nlmsghdr *full_dev_msg(uint32_t ifindex, const char *name,
				     uint16_t port, uint16_t cipher, uint32_t mtu)
{
	struct nlmsghdr *nlh = dev_msg();

	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, ifindex);
	mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, name);
	mnl_attr_put_u16(nlh, LINKCRYPT_A_DEV_PORT, port);
	mnl_attr_put_u16(nlh, LINKCRYPT_A_DEV_CIPHER, cipher);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_MTU, mtu);
	return nlh;
}

TEST(dev_parse_full)
{
	struct lc_dev d;

	ASSERT_EQ(0, lc_dev_parse(full_dev_msg(5, "lc0", 7788,
					       LINKCRYPT_CIPHER_CHACHA20_POLY1305,
					       1406), &d));
	EXPECT_EQ(5u, d.ifindex);
	EXPECT_STREQ("lc0", d.ifname);
	EXPECT_EQ(7788, d.port);
	EXPECT_EQ(LINKCRYPT_CIPHER_CHACHA20_POLY1305, d.cipher);
	EXPECT_EQ(1406u, d.mtu);
	EXPECT_TRUE(lc_dev_has(&d, LINKCRYPT_A_DEV_PORT));
	EXPECT_TRUE(lc_dev_has(&d, LINKCRYPT_A_DEV_CIPHER));
	EXPECT_TRUE(lc_dev_has(&d, LINKCRYPT_A_DEV_MTU));
}

TEST(dev_parse_minimal_and_unknown_attrs)
{
	struct nlmsghdr *nlh = dev_msg();
	struct lc_dev d;

	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, 9);
	/* From a newer kernel: lcctl must skip it. */
	mnl_attr_put_u64(nlh, LINKCRYPT_A_DEV_MAX + 1, 1);
	mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_MAX + 7, "future");
	mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, "123456789012345");
	ASSERT_EQ(0, lc_dev_parse(nlh, &d));
	EXPECT_EQ(9u, d.ifindex);
	EXPECT_STREQ("123456789012345", d.ifname);
	EXPECT_FALSE(lc_dev_has(&d, LINKCRYPT_A_DEV_PORT));
	EXPECT_FALSE(lc_dev_has(&d, LINKCRYPT_A_DEV_CIPHER));
	EXPECT_FALSE(lc_dev_has(&d, LINKCRYPT_A_DEV_MTU));
}

TEST(dev_parse_malformed)
{
	struct nlmsghdr *nlh;
	struct lc_dev d;

	/* Required attributes missing. */
	nlh = dev_msg();
	mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, "lc0");
	EXPECT_EQ(-EBADMSG, lc_dev_parse(nlh, &d));
	nlh = dev_msg();
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, 1);
	EXPECT_EQ(-EBADMSG, lc_dev_parse(nlh, &d));

	/* Wrong sizes. */
	nlh = dev_msg();
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, 1);
	mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, "lc0");
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_PORT, 7788);
	EXPECT_EQ(-EBADMSG, lc_dev_parse(nlh, &d));
	nlh = dev_msg();
	mnl_attr_put_u16(nlh, LINKCRYPT_A_DEV_IFINDEX, 1);
	mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, "lc0");
	EXPECT_EQ(-EBADMSG, lc_dev_parse(nlh, &d));

	/* Names not NUL-terminated, or too long. */
	nlh = dev_msg();
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, 1);
	mnl_attr_put(nlh, LINKCRYPT_A_DEV_IFNAME, 3, "lc0");
	EXPECT_EQ(-EBADMSG, lc_dev_parse(nlh, &d));
	nlh = dev_msg();
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, 1);
	mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, "1234567890123456");
	EXPECT_EQ(-EBADMSG, lc_dev_parse(nlh, &d));
	nlh = dev_msg();
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, 1);
	mnl_attr_put(nlh, LINKCRYPT_A_DEV_IFNAME, 0, NULL);
	EXPECT_EQ(-EBADMSG, lc_dev_parse(nlh, &d));

	/* No room for the genl header. */
	nlh = dev_msg();
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	EXPECT_EQ(-EBADMSG, lc_dev_parse(nlh, &d));
}

static void sample_devs(struct lc_dev_list *list)
{
	struct lc_dev d;

	memset(list, 0, sizeof(*list));
	if (lc_dev_parse(full_dev_msg(5, "lc0", 7788,
				      LINKCRYPT_CIPHER_AES_256_GCM, 1406), &d) ||
	    lc_dev_list_add(list, &d))
		abort();
	/* A cipher from a newer kernel. */
	if (lc_dev_parse(full_dev_msg(6, "lc\"1", 1, 42, 1420), &d) ||
	    lc_dev_list_add(list, &d))
		abort();
	/* Only the required attributes. */
	memset(&d, 0, sizeof(d));
	d.present = 1u << LINKCRYPT_A_DEV_IFINDEX | 1u << LINKCRYPT_A_DEV_IFNAME;
	d.ifindex = 7;
	strcpy(d.ifname, "lc2");
	if (lc_dev_list_add(list, &d))
		abort();
}

TEST(text_output)
{
	struct lc_dev_list list;
	struct mem m;
	char *out;

	sample_devs(&list);
	show_print_text(mem_open(&m), list.devs, list.n);
	out = mem_close(&m);
	EXPECT_STREQ("lc0: port 7788 cipher aes-256-gcm mtu 1406\n"
		     "lc\"1: port 1 cipher unknown(42) mtu 1420\n"
		     "lc2:\n", out);
	free(out);

	show_print_text(mem_open(&m), list.devs, 0);
	out = mem_close(&m);
	EXPECT_STREQ("", out);
	free(out);
	lc_dev_list_free(&list);
}

TEST(json_output)
{
	struct lc_dev_list list;
	struct mem m;
	char *out;

	sample_devs(&list);
	EXPECT_EQ(0, show_print_json(mem_open(&m), false, list.devs, list.n));
	out = mem_close(&m);
	EXPECT_STREQ("[{\"ifname\":\"lc0\",\"ifindex\":5,\"port\":7788,"
		     "\"cipher\":\"aes-256-gcm\",\"mtu\":1406},"
		     "{\"ifname\":\"lc\\\"1\",\"ifindex\":6,\"port\":1,"
		     "\"cipher\":\"unknown(42)\",\"mtu\":1420},"
		     "{\"ifname\":\"lc2\",\"ifindex\":7}]\n", out);
	free(out);

	EXPECT_EQ(0, show_print_json(mem_open(&m), false, list.devs, 0));
	out = mem_close(&m);
	EXPECT_STREQ("[]\n", out);
	free(out);

	EXPECT_EQ(0, show_print_json(mem_open(&m), true, list.devs, 1));
	out = mem_close(&m);
	EXPECT_STREQ("[\n"
		     "  {\n"
		     "    \"ifname\": \"lc0\",\n"
		     "    \"ifindex\": 5,\n"
		     "    \"port\": 7788,\n"
		     "    \"cipher\": \"aes-256-gcm\",\n"
		     "    \"mtu\": 1406\n"
		     "  }\n"
		     "]\n", out);
	free(out);
	lc_dev_list_free(&list);
}

/* LINKCRYPT_A_DEV_CRYPTO: parsed, named, shown between cipher and mtu. */
TEST(crypto_mode)
{
	struct nlmsghdr *nlh;
	struct lc_dev d[2];
	struct mem m;
	char *out;

	nlh = full_dev_msg(5, "lc0", 7788, LINKCRYPT_CIPHER_AES_256_GCM, 1406);
	mnl_attr_put_u8(nlh, LINKCRYPT_A_DEV_CRYPTO, LINKCRYPT_CRYPTO_INLINE);
	ASSERT_EQ(0, lc_dev_parse(nlh, &d[0]));
	EXPECT_TRUE(lc_dev_has(&d[0], LINKCRYPT_A_DEV_CRYPTO));
	EXPECT_EQ(LINKCRYPT_CRYPTO_INLINE, d[0].crypto);
	/* A mode from a newer kernel is shown as its number. */
	nlh = full_dev_msg(6, "lc1", 7789, LINKCRYPT_CIPHER_AES_256_GCM, 1406);
	mnl_attr_put_u8(nlh, LINKCRYPT_A_DEV_CRYPTO, 9);
	ASSERT_EQ(0, lc_dev_parse(nlh, &d[1]));

	show_print_text(mem_open(&m), d, 2);
	out = mem_close(&m);
	EXPECT_STREQ("lc0: port 7788 cipher aes-256-gcm crypto inline mtu 1406\n"
		     "lc1: port 7789 cipher aes-256-gcm crypto unknown(9) mtu 1406\n",
		     out);
	free(out);

	EXPECT_EQ(0, show_print_json(mem_open(&m), false, d, 1));
	out = mem_close(&m);
	EXPECT_STREQ("[{\"ifname\":\"lc0\",\"ifindex\":5,\"port\":7788,"
		     "\"cipher\":\"aes-256-gcm\",\"crypto\":\"inline\","
		     "\"mtu\":1406}]\n", out);
	free(out);

	/* Not a u8. */
	nlh = full_dev_msg(5, "lc0", 7788, LINKCRYPT_CIPHER_AES_256_GCM, 1406);
	mnl_attr_put_u16(nlh, LINKCRYPT_A_DEV_CRYPTO, LINKCRYPT_CRYPTO_INLINE);
	EXPECT_EQ(-EBADMSG, lc_dev_parse(nlh, &d[0]));
}

/* A DEV_GET reply of the data-path kernel: counters and peer count. */
static struct nlmsghdr *dev_msg_with_stats(void)
{
	struct nlmsghdr *nlh = full_dev_msg(5, "lc0", 7788,
					    LINKCRYPT_CIPHER_AES_256_GCM, 1406);
	struct nlattr *st;

	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_PEERS, 2);
	st = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_STATS);
	/* Padding first, as nla_put_u64_64bit() may put it. */
	mnl_attr_put(nlh, LINKCRYPT_A_STATS_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, LINKCRYPT_A_STATS_DROP_MALFORMED, 0);
	mnl_attr_put(nlh, LINKCRYPT_A_STATS_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, LINKCRYPT_A_STATS_DROP_NO_PEER, 1);
	mnl_attr_put(nlh, LINKCRYPT_A_STATS_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, LINKCRYPT_A_STATS_DROP_NO_PEER_TX, 3);
	mnl_attr_nest_end(nlh, st);
	return nlh;
}

TEST(dev_parse_stats)
{
	struct nlmsghdr *nlh;
	struct nlattr *st;
	struct lc_dev d;

	ASSERT_EQ(0, lc_dev_parse(dev_msg_with_stats(), &d));
	EXPECT_TRUE(lc_dev_has(&d, LINKCRYPT_A_DEV_PEERS));
	EXPECT_EQ(2u, d.n_peers);
	EXPECT_TRUE(lc_dev_has(&d, LINKCRYPT_A_DEV_STATS));
	EXPECT_EQ(1u << LINKCRYPT_A_STATS_DROP_MALFORMED |
		  1u << LINKCRYPT_A_STATS_DROP_NO_PEER |
		  1u << LINKCRYPT_A_STATS_DROP_NO_PEER_TX, d.stats.present);
	EXPECT_EQ(1u, d.stats.v[LINKCRYPT_A_STATS_DROP_NO_PEER]);
	EXPECT_EQ(3u, d.stats.v[LINKCRYPT_A_STATS_DROP_NO_PEER_TX]);
	EXPECT_FALSE(d.has_peers);

	/* A counter of the wrong size. */
	nlh = full_dev_msg(5, "lc0", 7788, 1, 1406);
	st = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_STATS);
	mnl_attr_put_u16(nlh, LINKCRYPT_A_STATS_DROP_NO_PEER, 1);
	mnl_attr_nest_end(nlh, st);
	EXPECT_EQ(-EBADMSG, lc_dev_parse(nlh, &d));

	/* The peer count of the wrong size. */
	nlh = full_dev_msg(5, "lc0", 7788, 1, 1406);
	mnl_attr_put_u64(nlh, LINKCRYPT_A_DEV_PEERS, 1);
	EXPECT_EQ(-EBADMSG, lc_dev_parse(nlh, &d));
}

/* Two devices as show has them after DEV_GET and PEER_GET. */
static void devs_with_peers(struct lc_dev_list *list)
{
	struct lc_peer p;
	struct lc_dev d;

	memset(list, 0, sizeof(*list));
	if (lc_dev_parse(dev_msg_with_stats(), &d))
		abort();
	d.has_peers = true;
	memset(&p, 0, sizeof(p));
	p.present = 1u << LINKCRYPT_A_PEER_ID | 1u << LINKCRYPT_A_PEER_REMOTE_ID;
	p.id = 1;
	p.remote_id = 7;
	p.ep.family = AF_INET;
	memcpy(&p.ep.addr.v4, "\xc0\x00\x02\x02", 4);
	p.ep.port = 7788;
	p.macs = calloc(1, sizeof(*p.macs));
	p.n_macs = 1;
	memcpy(p.macs[0].a, "\x02\0\0\0\0\x02", 6);
	p.stats.present = 1u << LINKCRYPT_A_STATS_TX_PACKETS |
			  1u << LINKCRYPT_A_STATS_RX_PACKETS |
			  1u << LINKCRYPT_A_STATS_DROP_NO_KEY;
	p.stats.v[LINKCRYPT_A_STATS_TX_PACKETS] = 10;
	p.stats.v[LINKCRYPT_A_STATS_RX_PACKETS] = 11;
	p.keys = calloc(1, sizeof(*p.keys));
	p.n_keys = 1;
	p.keys[0].present = 1u << LINKCRYPT_A_KEY_DIR | 1u << LINKCRYPT_A_KEY_SLOT |
			    1u << LINKCRYPT_A_KEY_ID | 1u << LINKCRYPT_A_KEY_PACKETS;
	p.keys[0].v[LINKCRYPT_A_KEY_DIR] = LINKCRYPT_KEY_DIR_TX;
	p.keys[0].v[LINKCRYPT_A_KEY_ID] = 3;
	p.keys[0].v[LINKCRYPT_A_KEY_PACKETS] = 10;
	if (!p.macs || !p.keys || lc_peer_list_add(&d.peers, &p))
		abort();
	p.id = 2;
	p.present = 1u << LINKCRYPT_A_PEER_ID;
	if (lc_peer_list_add(&d.peers, &p) || lc_dev_list_add(list, &d))
		abort();

	/* No peers. */
	if (lc_dev_parse(full_dev_msg(6, "lc1", 7790, 2, 9000), &d))
		abort();
	d.has_peers = true;
	if (lc_dev_list_add(list, &d))
		abort();
}

TEST(text_output_with_peers)
{
	struct lc_dev_list list;
	struct mem m;
	char *out;

	devs_with_peers(&list);
	show_print_text(mem_open(&m), list.devs, list.n);
	out = mem_close(&m);
	EXPECT_STREQ("lc0: port 7788 cipher aes-256-gcm mtu 1406 peers 2\n"
		     "  drops: malformed 0 no-peer 1 no-peer-tx 3\n"
		     "  peer 1: remote-id 7 endpoint 192.0.2.2:7788 macs 02:00:00:00:00:02\n"
		     "    tx: 10 packets  rx: 11 packets  last-rx never\n"
		     "    drops: no-key 0\n"
		     "    key tx primary id 3: 10 packets\n"
		     "  peer 2:\n"
		     "    last-rx never\n"
		     "    keys: none\n"
		     "lc1: port 7790 cipher chacha20-poly1305 mtu 9000 peers 0\n", out);
	free(out);

	/* Removing a device (one deleted while show read it). */
	lc_dev_list_remove(&list, 0);
	ASSERT_EQ(1u, list.n);
	EXPECT_STREQ("lc1", list.devs[0].ifname);
	lc_dev_list_free(&list);
}

TEST(json_output_with_peers)
{
	struct lc_dev_list list;
	struct mem m;
	char *out;

	devs_with_peers(&list);
	EXPECT_EQ(0, show_print_json(mem_open(&m), false, list.devs, list.n));
	out = mem_close(&m);
	EXPECT_STREQ("[{\"ifname\":\"lc0\",\"ifindex\":5,\"port\":7788,"
		     "\"cipher\":\"aes-256-gcm\",\"mtu\":1406,"
		     "\"stats\":{\"drop_malformed\":0,\"drop_no_peer\":1,"
		     "\"drop_no_peer_tx\":3},"
		     "\"peers\":[{\"id\":1,\"remote_id\":7,"
		     "\"endpoint\":{\"address\":\"192.0.2.2\",\"port\":7788},"
		     "\"macs\":[\"02:00:00:00:00:02\"],"
		     "\"stats\":{\"tx_packets\":10,\"rx_packets\":11,"
		     "\"drop_no_key\":0},"
		     "\"keys\":[{\"dir\":\"tx\",\"slot\":\"primary\",\"id\":3,"
		     "\"packets\":10,\"soft_expired\":false,"
		     "\"hard_expired\":false}]},"
		     "{\"id\":2,\"macs\":[],\"stats\":{},\"keys\":[]}]},"
		     "{\"ifname\":\"lc1\",\"ifindex\":6,\"port\":7790,"
		     "\"cipher\":\"chacha20-poly1305\",\"mtu\":9000,\"peers\":[]}]\n",
		     out);
	free(out);
	lc_dev_list_free(&list);
}

TEST(dev_list_grows)
{
	struct lc_dev_list list = { 0 };
	struct lc_dev d = { 0 };
	uint32_t i;

	for (i = 0; i < 1000; i++) {
		d.ifindex = i;
		ASSERT_EQ(0, lc_dev_list_add(&list, &d));
	}
	ASSERT_EQ(1000u, list.n);
	for (i = 0; i < 1000; i++)
		EXPECT_EQ(i, list.devs[i].ifindex);
	lc_dev_list_free(&list);
	EXPECT_EQ(0u, list.n);
	EXPECT_EQ(NULL, list.devs);
}

TEST_HARNESS_MAIN
