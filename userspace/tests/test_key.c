// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the "key" command (key_cmd.c): arguments, key material
 * from the command line and from files, limits, requests, and the wiping
 * of key material.
 */
#include <ctype.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "kselftest_harness.h"

#include "cli.h"
#include "helpers.h"
#include "key_cmd.h"
#include "lcctl.h"
#include "msg.h"

static char txbuf[8192] __attribute__((aligned(8)));

/* 32 bytes of key 00..1f, then the salt a0 a1 a2 a3. */
#define KEY_HEX "000102030405060708090a0b0c0d0e0f" \
		"101112131415161718191a1b1c1d1e1f" "a0a1a2a3"

static const uint8_t key_bytes[LINKCRYPT_MATERIAL_LEN] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	0xa0, 0xa1, 0xa2, 0xa3,
};

/* key_parse_args() on a NULL-terminated list; stderr captured. */
static int parse(struct key_args *args, char **err, char **argv)
{
	struct capture c;
	int argc = 0;
	int ret;

	while (argv[argc])
		argc++;
	capture_begin(&c);
	ret = key_parse_args(argc, argv, args);
	capture_end(&c);
	*err = c.err;
	free(c.out);
	return ret;
}

#define PARSE(...) parse(&args, &err, (char *[]){ __VA_ARGS__, NULL })

#define EXPECT_USAGE(msg, ...) do {					\
		EXPECT_EQ(CLI_USAGE, PARSE(__VA_ARGS__));		\
		EXPECT_NE(NULL, strstr(err, msg)) {			\
			TH_LOG("stderr: %s", err);			\
		}							\
		free(err);						\
	} while (0)

TEST(hex_decode)
{
	uint8_t out[LINKCRYPT_MATERIAL_LEN];
	char upper[] = KEY_HEX;
	size_t info = 0, i;

	EXPECT_EQ(KEY_HEX_OK, key_hex_decode(KEY_HEX, strlen(KEY_HEX), false,
					     out, &info));
	EXPECT_EQ(0, memcmp(key_bytes, out, sizeof(out)));

	for (i = 0; upper[i]; i++)
		upper[i] = (char)toupper((unsigned char)upper[i]);
	memset(out, 0, sizeof(out));
	EXPECT_EQ(KEY_HEX_OK, key_hex_decode(upper, strlen(upper), false, out,
					     &info));
	EXPECT_EQ(0, memcmp(key_bytes, out, sizeof(out)));

	/* One digit short, one too many, none. */
	EXPECT_EQ(KEY_HEX_BAD_LEN, key_hex_decode(KEY_HEX, 71, false, out, &info));
	EXPECT_EQ(71u, info);
	EXPECT_EQ(KEY_HEX_BAD_LEN, key_hex_decode(KEY_HEX "0", 73, false, out,
						  &info));
	EXPECT_EQ(73u, info);
	EXPECT_EQ(KEY_HEX_BAD_LEN, key_hex_decode("", 0, false, out, &info));
	EXPECT_EQ(0u, info);
	/* Zeroed on failure. */
	for (i = 0; i < sizeof(out); i++)
		EXPECT_EQ(0, out[i]);

	EXPECT_EQ(KEY_HEX_BAD_CHAR, key_hex_decode("0g", 2, false, out, &info));
	EXPECT_EQ(1u, info);
	EXPECT_EQ(KEY_HEX_BAD_CHAR, key_hex_decode("0x00", 4, false, out, &info));
	EXPECT_EQ(1u, info);
	/* Spaces: only where allowed. */
	EXPECT_EQ(KEY_HEX_BAD_CHAR, key_hex_decode("00 11", 5, false, out, &info));
	EXPECT_EQ(2u, info);
	EXPECT_EQ(KEY_HEX_BAD_CHAR, key_hex_decode("00\0" "11", 5, true, out,
						   &info));
	EXPECT_EQ(2u, info);
}

TEST(hex_decode_space)
{
	const char *s = "  000102030405060708090a0b0c0d0e0f\n"
			"\t1011121314151617 18191a1b1c1d1e1f\r\n"
			"a0 a1 a2 a3\n\n";
	uint8_t out[LINKCRYPT_MATERIAL_LEN];
	size_t info;

	EXPECT_EQ(KEY_HEX_OK, key_hex_decode(s, strlen(s), true, out, &info));
	EXPECT_EQ(0, memcmp(key_bytes, out, sizeof(out)));
	/* A digit split by space is still the same digits. */
	EXPECT_EQ(KEY_HEX_BAD_LEN, key_hex_decode(s, strlen(s) - 5, true, out,
						  &info));
	EXPECT_EQ(70u, info);
}

TEST(args_add)
{
	struct key_args args;
	char *err;

	ASSERT_EQ(CLI_OK, PARSE("add", "lc0", "peer", "1", "dir", "tx", "id",
				"3", "key", KEY_HEX));
	EXPECT_STREQ("", err);
	free(err);
	EXPECT_EQ(KEY_OP_ADD, (int)args.op);
	EXPECT_STREQ("lc0", args.ifname);
	EXPECT_EQ(1u, args.peer);
	EXPECT_EQ(LINKCRYPT_KEY_DIR_TX, args.dir);
	EXPECT_EQ(-1, args.slot);
	EXPECT_EQ(3, args.id);
	EXPECT_TRUE(args.has_material);
	EXPECT_EQ(0, memcmp(key_bytes, args.material, sizeof(key_bytes)));
	EXPECT_EQ(0u, args.limits_given);
	EXPECT_EQ(NULL, args.key_file);

	ASSERT_EQ(CLI_OK, PARSE("add", "dev", "key", "id", "255", "slot",
				"secondary", "dir", "rx", "key-file", "/k",
				"peer", "4294967295", "soft-packets", "1k",
				"hard-packets", "2M", "soft-bytes", "1G",
				"hard-bytes", "2G", "soft-time", "1h",
				"hard-time", "7200"));
	free(err);
	EXPECT_STREQ("key", args.ifname);
	EXPECT_EQ(UINT32_MAX, args.peer);
	EXPECT_EQ(LINKCRYPT_KEY_DIR_RX, args.dir);
	EXPECT_EQ(LINKCRYPT_KEY_SLOT_SECONDARY, args.slot);
	EXPECT_EQ(255, args.id);
	EXPECT_STREQ("/k", args.key_file);
	EXPECT_FALSE(args.has_material);
	EXPECT_EQ(0x3fu, args.limits_given);
	EXPECT_EQ(1000u, args.limits[0]);
	EXPECT_EQ(2000000u, args.limits[1]);
	EXPECT_EQ(1ull << 30, args.limits[2]);
	EXPECT_EQ(2ull << 30, args.limits[3]);
	EXPECT_EQ(3600u, args.limits[4]);
	EXPECT_EQ(7200u, args.limits[5]);

	/* Key id 0, slot primary, soft limit without a hard one. */
	ASSERT_EQ(CLI_OK, PARSE("add", "lc0", "peer", "1", "dir", "tx", "slot",
				"primary", "id", "0", "key-file", "-",
				"soft-time", "0", "hard-bytes", "0",
				"soft-bytes", "5"));
	free(err);
	EXPECT_EQ(0, args.id);
	EXPECT_EQ(LINKCRYPT_KEY_SLOT_PRIMARY, args.slot);
	EXPECT_EQ(0x1cu, args.limits_given);
}

TEST(args_bad)
{
	struct key_args args;
	char *err;

	EXPECT_USAGE("needs a sub-command", NULL);
	EXPECT_USAGE("unknown sub-command \"key ad\"", "ad", "lc0");
	EXPECT_USAGE("needs a device", "add");
	EXPECT_USAGE("needs \"peer\"", "add", "lc0", "dir", "tx", "id", "1",
		     "key", KEY_HEX);
	EXPECT_USAGE("needs \"dir\"", "add", "lc0", "peer", "1", "id", "1",
		     "key", KEY_HEX);
	EXPECT_USAGE("needs the key's \"id\"", "add", "lc0", "peer", "1", "dir",
		     "tx", "key", KEY_HEX);
	EXPECT_USAGE("needs \"key HEX\" or \"key-file FILE\"", "add", "lc0",
		     "peer", "1", "dir", "tx", "id", "1");
	EXPECT_USAGE("not a valid peer id", "add", "lc0", "peer", "0");
	EXPECT_USAGE("not a valid peer id", "add", "lc0", "peer", "4294967296");
	EXPECT_USAGE("not a valid key id (0..255)", "add", "lc0", "id", "256");
	EXPECT_USAGE("not a valid key id", "add", "lc0", "id", "-1");
	EXPECT_USAGE("not a direction", "add", "lc0", "dir", "TX");
	EXPECT_USAGE("not a direction", "add", "lc0", "dir", "t");
	EXPECT_USAGE("not a slot", "add", "lc0", "slot", "prim");
	EXPECT_USAGE("\"dir\" given twice", "add", "lc0", "dir", "tx", "dir",
		     "rx");
	EXPECT_USAGE("\"id\" given twice", "add", "lc0", "id", "1", "id", "1");
	EXPECT_USAGE("\"peer\" given twice", "add", "lc0", "peer", "1",
		     "peer", "1");
	EXPECT_USAGE("\"slot\" given twice", "del", "lc0", "slot", "primary",
		     "slot", "primary");
	EXPECT_USAGE("either \"key\" or \"key-file\"", "add", "lc0", "key-file",
		     "/a", "key-file", "/b");
	EXPECT_USAGE("either \"key\" or \"key-file\"", "add", "lc0", "key-file",
		     "/a", "key", KEY_HEX);
	EXPECT_USAGE("unknown argument \"keyfile\"", "add", "lc0", "keyfile", "/a");
	EXPECT_USAGE("\"key-file\" requires an argument", "add", "lc0", "key-file");

	/* Limits. */
	EXPECT_USAGE("not a valid soft-packets", "add", "lc0", "soft-packets",
		     "1x");
	EXPECT_USAGE("not a valid hard-bytes", "add", "lc0", "hard-bytes", "-1");
	EXPECT_USAGE("not a valid soft-time", "add", "lc0", "soft-time",
		     "4294967296");
	EXPECT_USAGE("not a valid hard-time", "add", "lc0", "hard-time", "1G");
	EXPECT_USAGE("\"soft-bytes\" given twice", "add", "lc0", "soft-bytes",
		     "1", "soft-bytes", "1");
	EXPECT_USAGE("soft-packets 2000 is above hard-packets 1000", "add", "lc0",
		     "peer", "1", "dir", "tx", "id", "1", "key", KEY_HEX,
		     "soft-packets", "2k", "hard-packets", "1000");
	EXPECT_USAGE("soft-time 7200 is above hard-time 3600", "add", "lc0",
		     "peer", "1", "dir", "tx", "id", "1", "key", KEY_HEX,
		     "soft-time", "2h", "hard-time", "1h");

	/* Sub-commands take their own arguments only. */
	EXPECT_USAGE("\"slot\" is not an argument of \"key swap\"", "swap", "lc0",
		     "peer", "1", "dir", "tx", "slot", "primary");
	EXPECT_USAGE("\"id\" is not an argument of \"key del\"", "del", "lc0",
		     "id", "1");
	EXPECT_USAGE("\"key\" is not an argument of \"key swap\"", "swap", "lc0",
		     "key", KEY_HEX);
	EXPECT_USAGE("\"hard-time\" is not an argument of \"key del\"", "del",
		     "lc0", "hard-time", "1");
	EXPECT_USAGE("\"key del\" needs \"slot\"", "del", "lc0", "peer", "1",
		     "dir", "rx");
	EXPECT_USAGE("\"key swap\" needs \"dir\"", "swap", "lc0", "peer", "1");
}

TEST(args_bad_key_hex_never_echoed)
{
	/* A key with one bad character, and one a digit short. */
	char bad_char[] = KEY_HEX;
	char short_key[] = KEY_HEX;
	struct key_args args;
	char *err;

	bad_char[40] = 'z';
	EXPECT_EQ(CLI_USAGE, PARSE("add", "lc0", "key", bad_char));
	EXPECT_STREQ("Error: the key has a character that is not a hex digit, at position 41.\n",
		     err);
	EXPECT_EQ(NULL, strstr(err, "0a0b"));
	free(err);
	EXPECT_FALSE(args.has_material);

	short_key[71] = '\0';
	EXPECT_EQ(CLI_USAGE, PARSE("add", "lc0", "key", short_key));
	EXPECT_STREQ("Error: the key must be 72 hex digits (a 32-byte key, then a 4-byte salt), not 71.\n",
		     err);
	free(err);

	EXPECT_USAGE("not 0", "add", "lc0", "key", "");
	EXPECT_USAGE("not 73", "add", "lc0", "key", KEY_HEX "0");
	EXPECT_USAGE("at position 1", "add", "lc0", "key", " " KEY_HEX);
}

TEST(args_swap_del)
{
	struct key_args args;
	char *err;

	ASSERT_EQ(CLI_OK, PARSE("swap", "lc0", "peer", "2", "dir", "rx"));
	free(err);
	EXPECT_EQ(KEY_OP_SWAP, (int)args.op);
	EXPECT_EQ(LINKCRYPT_KEY_DIR_RX, args.dir);
	EXPECT_EQ(-1, args.slot);

	ASSERT_EQ(CLI_OK, PARSE("del", "lc0", "peer", "2", "dir", "tx", "slot",
				"secondary"));
	free(err);
	EXPECT_EQ(KEY_OP_DEL, (int)args.op);
	EXPECT_EQ(LINKCRYPT_KEY_SLOT_SECONDARY, args.slot);
	ASSERT_EQ(CLI_OK, PARSE("delete", "lc0", "slot", "primary", "dir", "tx",
				"peer", "2"));
	free(err);
	EXPECT_EQ(KEY_OP_DEL, (int)args.op);

	EXPECT_EQ(CLI_HELP, PARSE("help"));
	free(err);
	EXPECT_EQ(CLI_HELP, PARSE("swap", "help"));
	free(err);
	EXPECT_EQ(CLI_HELP, PARSE("swap", "lc0", "peer", "1", "help"));
	free(err);
}

/* Key files. */

/* A temporary file holding @text with mode @mode; its name in @path. */
static void key_file(char *path, const char *text, mode_t mode)
{
	int fd;

	strcpy(path, "/tmp/lcctl-test-key.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    fchmod(fd, mode) < 0 || close(fd) < 0)
		abort();
}

static int load(const char *path, uint8_t *out, char **err)
{
	struct capture c;
	int ret;

	capture_begin(&c);
	ret = key_load_file(path, out);
	capture_end(&c);
	*err = c.err;
	free(c.out);
	return ret;
}

TEST(key_file_good)
{
	uint8_t out[LINKCRYPT_MATERIAL_LEN];
	char path[64];
	char *err;

	key_file(path, KEY_HEX "\n", 0600);
	EXPECT_EQ(0, load(path, out, &err));
	EXPECT_STREQ("", err);
	free(err);
	EXPECT_EQ(0, memcmp(key_bytes, out, sizeof(out)));
	unlink(path);

	/* Read-only for the owner; split over lines. */
	key_file(path, "000102030405060708090a0b0c0d0e0f\n"
		       "101112131415161718191a1b1c1d1e1f\n"
		       "A0A1A2A3\n", 0400);
	memset(out, 0, sizeof(out));
	EXPECT_EQ(0, load(path, out, &err));
	free(err);
	EXPECT_EQ(0, memcmp(key_bytes, out, sizeof(out)));
	unlink(path);
}

TEST(key_file_permissions)
{
	static const mode_t modes[] = { 0644, 0640, 0604, 0620, 0602, 0610,
					0601, 0660, 0666, 0777 };
	uint8_t out[LINKCRYPT_MATERIAL_LEN];
	char path[64], want[256];
	size_t i;
	char *err;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		key_file(path, KEY_HEX, modes[i]);
		memset(out, 0x55, sizeof(out));
		EXPECT_EQ(-1, load(path, out, &err)) {
			TH_LOG("mode %04o accepted", (unsigned int)modes[i]);
		}
		snprintf(want, sizeof(want),
			 "lcctl: permissions %04o for key file %s are too open: group and others must have no access; chmod 600 %s\n",
			 (unsigned int)modes[i], path, path);
		EXPECT_STREQ(want, err);
		free(err);
		/* Not even read. */
		EXPECT_EQ(0x55, out[0]);
		unlink(path);
	}
}

TEST(key_file_bad_content)
{
	uint8_t out[LINKCRYPT_MATERIAL_LEN];
	char path[64], big[LC_KEY_FILE_MAX + 2];
	char *err;

	key_file(path, KEY_HEX "00\n", 0600);
	EXPECT_EQ(-1, load(path, out, &err));
	EXPECT_NE(NULL, strstr(err, "holds 74 hex digits; a key is 72"));
	EXPECT_EQ(NULL, strstr(err, "0001"));
	free(err);
	unlink(path);

	key_file(path, "key: " KEY_HEX "\n", 0600);
	EXPECT_EQ(-1, load(path, out, &err));
	EXPECT_NE(NULL, strstr(err, "byte 1 is neither a hex digit nor whitespace"));
	free(err);
	unlink(path);

	key_file(path, "", 0600);
	EXPECT_EQ(-1, load(path, out, &err));
	EXPECT_NE(NULL, strstr(err, "holds 0 hex digits"));
	free(err);
	unlink(path);

	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, KEY_HEX, strlen(KEY_HEX));
	key_file(path, big, 0600);
	EXPECT_EQ(-1, load(path, out, &err));
	EXPECT_NE(NULL, strstr(err, "is larger than 4096 bytes"));
	free(err);
	unlink(path);

	/* Exactly the largest size is fine. */
	big[sizeof(big) - 2] = '\0';
	key_file(path, big, 0600);
	EXPECT_EQ(0, load(path, out, &err));
	free(err);
	unlink(path);

	EXPECT_EQ(-1, load("/nonexistent/lcctl-key", out, &err));
	EXPECT_STREQ("lcctl: cannot open key file /nonexistent/lcctl-key: No such file or directory\n",
		     err);
	free(err);

	EXPECT_EQ(-1, load("/", out, &err));
	EXPECT_NE(NULL, strstr(err, "/"));
	free(err);
}

TEST(key_file_stdin)
{
	uint8_t out[LINKCRYPT_MATERIAL_LEN];
	int fds[2];
	char *err;

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ((ssize_t)strlen(KEY_HEX), write(fds[1], KEY_HEX, strlen(KEY_HEX)));
	close(fds[1]);
	ASSERT_EQ(0, dup2(fds[0], STDIN_FILENO));
	close(fds[0]);
	EXPECT_EQ(0, load("-", out, &err));
	EXPECT_STREQ("", err);
	free(err);
	EXPECT_EQ(0, memcmp(key_bytes, out, sizeof(out)));
}

/* Requests. */

static struct nlmsghdr *build(struct lc_conn *c, struct key_args *args,
			      char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	fake_conn(c, txbuf);
	if (key_parse_args(argc, argv, args) != CLI_OK)
		abort();
	return key_build_req(c, args);
}

#define BUILD(...) build(&c, &args, (char *[]){ __VA_ARGS__, NULL })

static const struct nlattr *key_nest(const struct nlmsghdr *req, uint32_t peer_id)
{
	const struct nlattr *peer = msg_attr(req, LINKCRYPT_A_DEV_PEER);

	if (!peer || nest_n_attrs(peer) != 2)
		return NULL;
	if (mnl_attr_get_u32(nest_attr(peer, LINKCRYPT_A_PEER_ID)) != peer_id)
		return NULL;
	return nest_attr(peer, LINKCRYPT_A_PEER_KEY);
}

TEST(req_add)
{
	const struct nlattr *key, *a;
	char hex[] = KEY_HEX;
	struct key_args args;
	struct nlmsghdr *req;
	struct lc_conn c;

	req = BUILD("add", "lc0", "peer", "1", "dir", "tx", "id", "3", "key",
		    hex);
	EXPECT_TRUE(msg_well_formed(req));
	EXPECT_EQ(LINKCRYPT_CMD_KEY_NEW, genl_cmd(req));
	EXPECT_EQ(NLM_F_REQUEST | NLM_F_ACK, req->nlmsg_flags);
	EXPECT_EQ(2, msg_n_attrs(req));
	EXPECT_STREQ("lc0", mnl_attr_get_str(msg_attr(req, LINKCRYPT_A_DEV_IFNAME)));
	key = key_nest(req, 1);
	ASSERT_NE(NULL, key);
	/* DIR, ID, MATERIAL; no slot: the kernel's default. */
	EXPECT_EQ(3, nest_n_attrs(key));
	a = nest_attr(key, LINKCRYPT_A_KEY_DIR);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(1u, mnl_attr_get_payload_len(a));
	EXPECT_EQ(LINKCRYPT_KEY_DIR_TX, mnl_attr_get_u8(a));
	EXPECT_EQ(NULL, nest_attr(key, LINKCRYPT_A_KEY_SLOT));
	a = nest_attr(key, LINKCRYPT_A_KEY_ID);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(1u, mnl_attr_get_payload_len(a));
	EXPECT_EQ(3, mnl_attr_get_u8(a));
	a = nest_attr(key, LINKCRYPT_A_KEY_MATERIAL);
	ASSERT_NE(NULL, a);
	ASSERT_EQ((uint16_t)LINKCRYPT_MATERIAL_LEN, mnl_attr_get_payload_len(a));
	EXPECT_EQ(0, memcmp(key_bytes, mnl_attr_get_payload(a),
			    LINKCRYPT_MATERIAL_LEN));
	key_args_wipe(&args);
}

TEST(req_add_slot_and_limits)
{
	const struct nlattr *key, *a;
	char hex[] = KEY_HEX;
	struct key_args args;
	struct nlmsghdr *req;
	struct lc_conn c;

	req = BUILD("add", "lc0", "peer", "9", "dir", "rx", "slot", "secondary",
		    "id", "0", "key", hex, "soft-packets", "1k",
		    "hard-packets", "18446744073709551615", "soft-bytes", "1K",
		    "hard-bytes", "0", "soft-time", "1m", "hard-time", "4294967295");
	EXPECT_TRUE(msg_well_formed(req));
	key = key_nest(req, 9);
	ASSERT_NE(NULL, key);
	EXPECT_EQ(4 + 6, nest_n_attrs(key));
	EXPECT_EQ(LINKCRYPT_KEY_DIR_RX, mnl_attr_get_u8(nest_attr(key, LINKCRYPT_A_KEY_DIR)));
	a = nest_attr(key, LINKCRYPT_A_KEY_SLOT);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(1u, mnl_attr_get_payload_len(a));
	EXPECT_EQ(LINKCRYPT_KEY_SLOT_SECONDARY, mnl_attr_get_u8(a));
	EXPECT_EQ(0, mnl_attr_get_u8(nest_attr(key, LINKCRYPT_A_KEY_ID)));

	a = nest_attr(key, LINKCRYPT_A_KEY_SOFT_PACKETS);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(8u, mnl_attr_get_payload_len(a));
	EXPECT_EQ(1000u, mnl_attr_get_u64(a));
	EXPECT_EQ(UINT64_MAX, mnl_attr_get_u64(nest_attr(key, LINKCRYPT_A_KEY_HARD_PACKETS)));
	EXPECT_EQ(1024u, mnl_attr_get_u64(nest_attr(key, LINKCRYPT_A_KEY_SOFT_BYTES)));
	a = nest_attr(key, LINKCRYPT_A_KEY_HARD_BYTES);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(8u, mnl_attr_get_payload_len(a));
	EXPECT_EQ(0u, mnl_attr_get_u64(a));
	a = nest_attr(key, LINKCRYPT_A_KEY_SOFT_SECONDS);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(4u, mnl_attr_get_payload_len(a));
	EXPECT_EQ(60u, mnl_attr_get_u32(a));
	a = nest_attr(key, LINKCRYPT_A_KEY_HARD_SECONDS);
	ASSERT_NE(NULL, a);
	EXPECT_EQ(4u, mnl_attr_get_payload_len(a));
	EXPECT_EQ(UINT32_MAX, mnl_attr_get_u32(a));
	/* Read-only attributes are never sent. */
	EXPECT_EQ(NULL, nest_attr(key, LINKCRYPT_A_KEY_PACKETS));
	EXPECT_EQ(NULL, nest_attr(key, LINKCRYPT_A_KEY_FLAGS));
	EXPECT_EQ(NULL, nest_attr(key, LINKCRYPT_A_KEY_PAD));
	key_args_wipe(&args);
}

TEST(req_swap_del)
{
	const struct nlattr *key;
	struct key_args args;
	struct nlmsghdr *req;
	struct lc_conn c;

	req = BUILD("swap", "lc0", "peer", "2", "dir", "rx");
	EXPECT_TRUE(msg_well_formed(req));
	EXPECT_EQ(LINKCRYPT_CMD_KEY_SWAP, genl_cmd(req));
	EXPECT_EQ(2, msg_n_attrs(req));
	key = key_nest(req, 2);
	ASSERT_NE(NULL, key);
	EXPECT_EQ(1, nest_n_attrs(key));
	EXPECT_EQ(LINKCRYPT_KEY_DIR_RX, mnl_attr_get_u8(nest_attr(key, LINKCRYPT_A_KEY_DIR)));

	req = BUILD("del", "lc0", "peer", "2", "dir", "tx", "slot", "primary");
	EXPECT_EQ(LINKCRYPT_CMD_KEY_DEL, genl_cmd(req));
	key = key_nest(req, 2);
	ASSERT_NE(NULL, key);
	EXPECT_EQ(2, nest_n_attrs(key));
	EXPECT_EQ(LINKCRYPT_KEY_DIR_TX, mnl_attr_get_u8(nest_attr(key, LINKCRYPT_A_KEY_DIR)));
	EXPECT_NE(NULL, nest_attr(key, LINKCRYPT_A_KEY_SLOT));
	EXPECT_EQ(LINKCRYPT_KEY_SLOT_PRIMARY,
		  mnl_attr_get_u8(nest_attr(key, LINKCRYPT_A_KEY_SLOT)));
}

/* Wiping. */

TEST(wipe_args)
{
	char hex[] = KEY_HEX;
	struct key_args args;
	size_t i;
	char *err;

	ASSERT_EQ(CLI_OK, PARSE("add", "lc0", "peer", "1", "dir", "tx", "id",
				"1", "key", hex));
	free(err);
	ASSERT_TRUE(args.key_arg == hex);
	key_args_wipe(&args);
	EXPECT_FALSE(args.has_material);
	for (i = 0; i < sizeof(args.material); i++)
		EXPECT_EQ(0, args.material[i]);
	for (i = 0; i < sizeof(hex); i++)
		EXPECT_EQ(0, hex[i]);
	EXPECT_EQ(NULL, args.key_arg);
}

TEST(wipe_nl_buffers)
{
	struct lc_nl nl;
	size_t i;

	memset(&nl, 0, sizeof(nl));
	nl.txbuf = malloc(8192);
	nl.rxbuf = malloc(65536);
	ASSERT_NE(NULL, nl.txbuf);
	ASSERT_NE(NULL, nl.rxbuf);
	memset(nl.txbuf, 0xa5, 8192);
	memset(nl.rxbuf, 0xa5, 65536);
	lc_nl_wipe(&nl);
	for (i = 0; i < 8192; i++)
		ASSERT_EQ(0, ((uint8_t *)nl.txbuf)[i]);
	for (i = 0; i < 65536; i++)
		ASSERT_EQ(0, ((uint8_t *)nl.rxbuf)[i]);
	free(nl.txbuf);
	free(nl.rxbuf);
}

/* lcctl_main(): the key on the command line is wiped, whatever happens. */

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

TEST(main_wipes_argv)
{
	char good[] = KEY_HEX, bad[] = KEY_HEX "0", dev[] = "lctest-nx0";
	char *argv1[] = { "lcctl", "key", "add", dev, "peer", "1", "dir", "tx",
			  "id", "1", "key", good, NULL };
	char *argv2[] = { "lcctl", "key", "add", dev, "peer", "1", "key", bad,
			  NULL };
	struct run r;
	size_t i;

	/* No kernel module here, or no such device there: a failure. */
	r = run_main(argv1);
	EXPECT_EQ(LC_EXIT_FAIL, r.ret);
	EXPECT_STREQ("", r.out);
	EXPECT_EQ(NULL, strstr(r.err, "0001"));
	free(r.out);
	free(r.err);
	for (i = 0; i < sizeof(good); i++)
		EXPECT_EQ(0, good[i]);

	/* A usage error. */
	r = run_main(argv2);
	EXPECT_EQ(LC_EXIT_USAGE, r.ret);
	EXPECT_NE(NULL, strstr(r.err, "not 73"));
	EXPECT_NE(NULL, strstr(r.err, "Usage: lcctl key add"));
	EXPECT_EQ(NULL, strstr(r.err, "key swap"));
	free(r.out);
	free(r.err);
	for (i = 0; i < sizeof(bad); i++)
		EXPECT_EQ(0, bad[i]);
}

TEST(main_key_file_too_open)
{
	char path[64], dev[] = "lctest-nx0";
	char *argv[] = { "lcctl", "key", "add", dev, "peer", "1", "dir", "tx",
			 "id", "1", "key-file", path, NULL };
	struct run r;

	key_file(path, KEY_HEX, 0644);
	r = run_main(argv);
	EXPECT_EQ(LC_EXIT_FAIL, r.ret);
	EXPECT_NE(NULL, strstr(r.err, "permissions 0644 for key file"));
	EXPECT_NE(NULL, strstr(r.err, "chmod 600"));
	/* Refused before any contact with the kernel. */
	EXPECT_EQ(NULL, strstr(r.err, "module"));
	free(r.out);
	free(r.err);
	unlink(path);
}

TEST(main_help)
{
	char *argv[] = { "lcctl", "key", "help", NULL };
	char *argv2[] = { "lcctl", "help", "key", NULL };
	struct run r;

	r = run_main(argv);
	EXPECT_EQ(LC_EXIT_OK, r.ret);
	EXPECT_EQ(r.out, strstr(r.out, "Usage: lcctl key add DEV peer ID dir"));
	EXPECT_NE(NULL, strstr(r.out, "lcctl key swap DEV peer ID dir { tx | rx }"));
	EXPECT_NE(NULL, strstr(r.out, "lcctl key del DEV peer ID dir"));
	EXPECT_STREQ("", r.err);
	free(r.out);
	free(r.err);

	r = run_main(argv2);
	EXPECT_EQ(LC_EXIT_OK, r.ret);
	EXPECT_EQ(r.out, strstr(r.out, "Usage: lcctl key add"));
	free(r.out);
	free(r.err);
}

TEST_HARNESS_MAIN
