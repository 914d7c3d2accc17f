// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the command line helpers (cli.c) and global options. */
#include "kselftest_harness.h"

#include "cli.h"
#include "helpers.h"
#include "lcctl.h"

TEST(matches_prefixes)
{
	EXPECT_TRUE(matches("s", "show"));
	EXPECT_TRUE(matches("sh", "show"));
	EXPECT_TRUE(matches("show", "show"));
	EXPECT_FALSE(matches("shows", "show"));
	EXPECT_FALSE(matches("", "show"));
	EXPECT_FALSE(matches("x", "show"));
	EXPECT_FALSE(matches("Show", "show"));
}

TEST(help_words)
{
	EXPECT_TRUE(cli_is_help("help"));
	EXPECT_TRUE(cli_is_help("-h"));
	EXPECT_TRUE(cli_is_help("--help"));
	EXPECT_FALSE(cli_is_help("hel"));
	EXPECT_FALSE(cli_is_help("helpme"));
	EXPECT_FALSE(cli_is_help(""));
}

TEST(parse_u32_strict)
{
	uint32_t v = 12345;

	EXPECT_EQ(0, cli_parse_u32("0", &v));
	EXPECT_EQ(0u, v);
	EXPECT_EQ(0, cli_parse_u32("007", &v));
	EXPECT_EQ(7u, v);
	EXPECT_EQ(0, cli_parse_u32("4294967295", &v));
	EXPECT_EQ(4294967295u, v);

	v = 12345;
	EXPECT_EQ(-1, cli_parse_u32("4294967296", &v));
	EXPECT_EQ(-1, cli_parse_u32("99999999999999999999999", &v));
	EXPECT_EQ(-1, cli_parse_u32("", &v));
	EXPECT_EQ(-1, cli_parse_u32("-1", &v));
	EXPECT_EQ(-1, cli_parse_u32("+1", &v));
	EXPECT_EQ(-1, cli_parse_u32(" 1", &v));
	EXPECT_EQ(-1, cli_parse_u32("1 ", &v));
	EXPECT_EQ(-1, cli_parse_u32("0x10", &v));
	EXPECT_EQ(-1, cli_parse_u32("1e3", &v));
	/* Failures leave the output alone. */
	EXPECT_EQ(12345u, v);
}

TEST(parse_u16_strict)
{
	uint16_t v = 0;

	EXPECT_EQ(0, cli_parse_u16("65535", &v));
	EXPECT_EQ(65535, v);
	EXPECT_EQ(0, cli_parse_u16("7788", &v));
	EXPECT_EQ(7788, v);
	EXPECT_EQ(-1, cli_parse_u16("65536", &v));
	EXPECT_EQ(7788, v);
}

TEST(ifname_rules)
{
	EXPECT_TRUE(cli_ifname_valid("lc0"));
	EXPECT_TRUE(cli_ifname_valid("a"));
	EXPECT_TRUE(cli_ifname_valid("..."));
	EXPECT_TRUE(cli_ifname_valid("-j"));
	EXPECT_TRUE(cli_ifname_valid("123456789012345"));	/* 15 */
	EXPECT_FALSE(cli_ifname_valid("1234567890123456"));	/* 16 */
	EXPECT_FALSE(cli_ifname_valid(""));
	EXPECT_FALSE(cli_ifname_valid("."));
	EXPECT_FALSE(cli_ifname_valid(".."));
	EXPECT_FALSE(cli_ifname_valid("a/b"));
	EXPECT_FALSE(cli_ifname_valid("a:b"));
	EXPECT_FALSE(cli_ifname_valid("a b"));
	EXPECT_FALSE(cli_ifname_valid("a\tb"));
	EXPECT_FALSE(cli_ifname_valid("a\n"));
}

/* A parser in the iproute2 style, to exercise NEXT_ARG(). */
static int parse_kv(int argc, char **argv, const char **val)
{
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "key")) {
			NEXT_ARG();
			*val = *argv;
		} else {
			return cli_error("unexpected \"%s\".", *argv);
		}
	}
	return CLI_OK;
}

TEST(next_arg_macro)
{
	char *ok[] = { "key", "v1", "key", "v2" };
	char *incomplete[] = { "key", "v1", "key" };
	const char *val = NULL;
	struct capture c;
	int ret;

	EXPECT_EQ(CLI_OK, parse_kv(4, ok, &val));
	EXPECT_STREQ("v2", val);

	capture_begin(&c);
	ret = parse_kv(3, incomplete, &val);
	capture_end(&c);
	EXPECT_EQ(CLI_USAGE, ret);
	EXPECT_STREQ("Error: \"key\" requires an argument.\n", c.err);
	EXPECT_STREQ("", c.out);
	capture_free(&c);
}

TEST(error_message)
{
	struct capture c;
	int ret;

	capture_begin(&c);
	ret = cli_error("bad %s %d.", "thing", 42);
	capture_end(&c);
	EXPECT_EQ(CLI_USAGE, ret);
	EXPECT_STREQ("Error: bad thing 42.\n", c.err);
	capture_free(&c);
}

/* lcctl_parse_opts() on a NULL-terminated argument list. */
static int parse_opts(struct lcctl_opts *opts, int *next, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	*next = -1;
	return lcctl_parse_opts(argc, argv, opts, next);
}

TEST(global_options)
{
	char *a1[] = { "lcctl", "show", NULL };
	char *a2[] = { "lcctl", "-j", "show", "lc0", NULL };
	char *a3[] = { "lcctl", "-jp", "show", NULL };
	char *a4[] = { "lcctl", "--pretty", "show", NULL };
	char *a5[] = { "lcctl", "-json", "show", NULL };
	char *a6[] = { "lcctl", "show", "-j", NULL };
	char *a7[] = { "lcctl", "--", "show", NULL };
	struct lcctl_opts o;
	int next;

	EXPECT_EQ(LCCTL_OPTS_RUN, parse_opts(&o, &next, a1));
	EXPECT_EQ(1, next);
	EXPECT_FALSE(o.json);
	EXPECT_FALSE(o.pretty);

	EXPECT_EQ(LCCTL_OPTS_RUN, parse_opts(&o, &next, a2));
	EXPECT_EQ(2, next);
	EXPECT_TRUE(o.json);
	EXPECT_FALSE(o.pretty);

	EXPECT_EQ(LCCTL_OPTS_RUN, parse_opts(&o, &next, a3));
	EXPECT_EQ(2, next);
	EXPECT_TRUE(o.json);
	EXPECT_TRUE(o.pretty);

	/* -p alone implies JSON. */
	EXPECT_EQ(LCCTL_OPTS_RUN, parse_opts(&o, &next, a4));
	EXPECT_TRUE(o.json);
	EXPECT_TRUE(o.pretty);

	EXPECT_EQ(LCCTL_OPTS_RUN, parse_opts(&o, &next, a5));
	EXPECT_TRUE(o.json);

	/* Options end at the command. */
	EXPECT_EQ(LCCTL_OPTS_RUN, parse_opts(&o, &next, a6));
	EXPECT_EQ(1, next);
	EXPECT_FALSE(o.json);

	EXPECT_EQ(LCCTL_OPTS_RUN, parse_opts(&o, &next, a7));
	EXPECT_EQ(2, next);
}

TEST(global_option_netns)
{
	char *n1[] = { "lcctl", "-n", "blue", "show", NULL };
	char *n2[] = { "lcctl", "-j", "--netns", "blue", "show", NULL };
	char *n3[] = { "lcctl", "-netns", "blue", "-j", "show", NULL };
	char *b1[] = { "lcctl", "-n", NULL };
	char *b2[] = { "lcctl", "-n", "../blue", "show", NULL };
	char *b3[] = { "lcctl", "-n", "", "show", NULL };
	char *b4[] = { "lcctl", "--netns", "..", "show", NULL };
	struct capture c;
	struct lcctl_opts o;
	int next;

	EXPECT_EQ(LCCTL_OPTS_RUN, parse_opts(&o, &next, n1));
	EXPECT_EQ(3, next);
	EXPECT_STREQ("blue", o.netns);
	EXPECT_FALSE(o.json);

	EXPECT_EQ(LCCTL_OPTS_RUN, parse_opts(&o, &next, n2));
	EXPECT_EQ(4, next);
	EXPECT_STREQ("blue", o.netns);
	EXPECT_TRUE(o.json);

	EXPECT_EQ(LCCTL_OPTS_RUN, parse_opts(&o, &next, n3));
	EXPECT_EQ(4, next);
	EXPECT_TRUE(o.json);

	/* Without -n, this namespace. */
	EXPECT_EQ(LCCTL_OPTS_RUN, parse_opts(&o, &next, n1 + 2));
	EXPECT_TRUE(o.netns == NULL);

	capture_begin(&c);
	EXPECT_EQ(LCCTL_OPTS_USAGE, parse_opts(&o, &next, b1));
	capture_end(&c);
	EXPECT_STREQ("Error: option \"-n\" needs a network namespace name.\n", c.err);
	capture_free(&c);

	capture_begin(&c);
	EXPECT_EQ(LCCTL_OPTS_USAGE, parse_opts(&o, &next, b2));
	capture_end(&c);
	EXPECT_STREQ("Error: invalid network namespace name \"../blue\".\n", c.err);
	capture_free(&c);

	capture_begin(&c);
	EXPECT_EQ(LCCTL_OPTS_USAGE, parse_opts(&o, &next, b3));
	EXPECT_EQ(LCCTL_OPTS_USAGE, parse_opts(&o, &next, b4));
	capture_end(&c);
	capture_free(&c);
}

TEST(global_options_help_version)
{
	char *h1[] = { "lcctl", "-h", NULL };
	char *h2[] = { "lcctl", "--help", "show", NULL };
	char *v1[] = { "lcctl", "-V", NULL };
	char *v2[] = { "lcctl", "-j", "--version", NULL };
	struct lcctl_opts o;
	int next;

	EXPECT_EQ(LCCTL_OPTS_HELP, parse_opts(&o, &next, h1));
	EXPECT_EQ(LCCTL_OPTS_HELP, parse_opts(&o, &next, h2));
	EXPECT_EQ(LCCTL_OPTS_VERSION, parse_opts(&o, &next, v1));
	EXPECT_EQ(LCCTL_OPTS_VERSION, parse_opts(&o, &next, v2));
}

TEST(global_options_unknown)
{
	char *u1[] = { "lcctl", "-x", "show", NULL };
	char *u2[] = { "lcctl", "--bogus", "show", NULL };
	char *u3[] = { "lcctl", "-jx", "show", NULL };
	struct lcctl_opts o;
	struct capture c;
	int r1, r2, r3, next;

	capture_begin(&c);
	r1 = parse_opts(&o, &next, u1);
	r2 = parse_opts(&o, &next, u2);
	r3 = parse_opts(&o, &next, u3);
	capture_end(&c);
	EXPECT_EQ(LCCTL_OPTS_USAGE, r1);
	EXPECT_EQ(LCCTL_OPTS_USAGE, r2);
	EXPECT_EQ(LCCTL_OPTS_USAGE, r3);
	EXPECT_STREQ("Error: unknown option \"-x\".\n"
		     "Error: unknown option \"--bogus\".\n"
		     "Error: unknown option \"-x\".\n", c.err);
	capture_free(&c);
}

/* cli_parse_dev() on a NULL-terminated argument list. */
static int parse_dev(char **argv, const char *op, const char **ifname,
		     int *left)
{
	int argc = 0, ret;

	while (argv[argc])
		argc++;
	ret = cli_parse_dev(&argc, &argv, "peer", op, ifname);
	*left = argc;
	return ret;
}

TEST(dev_argument)
{
	char *d1[] = { "lc0", "id", "1", NULL };
	char *d2[] = { "dev", "lc0", NULL };
	char *d3[] = { "help", NULL };
	char *b1[] = { NULL };
	char *b2[] = { "dev", NULL };
	char *b3[] = { "a/b", NULL };
	const char *ifname = NULL;
	struct capture c;
	int left;

	EXPECT_EQ(CLI_OK, parse_dev(d1, "add", &ifname, &left));
	EXPECT_STREQ("lc0", ifname);
	EXPECT_EQ(2, left);
	EXPECT_EQ(CLI_OK, parse_dev(d2, "add", &ifname, &left));
	EXPECT_STREQ("lc0", ifname);
	EXPECT_EQ(0, left);
	EXPECT_EQ(CLI_HELP, parse_dev(d3, "add", &ifname, &left));

	capture_begin(&c);
	EXPECT_EQ(CLI_USAGE, parse_dev(b1, "add", &ifname, &left));
	capture_end(&c);
	EXPECT_STREQ("Error: \"peer add\" needs a device.\n", c.err);
	capture_free(&c);

	capture_begin(&c);
	EXPECT_EQ(CLI_USAGE, parse_dev(b1, NULL, &ifname, &left));
	capture_end(&c);
	EXPECT_STREQ("Error: \"peer\" needs a device.\n", c.err);
	capture_free(&c);

	capture_begin(&c);
	EXPECT_EQ(CLI_USAGE, parse_dev(b2, "add", &ifname, &left));
	capture_end(&c);
	EXPECT_STREQ("Error: \"dev\" requires an argument.\n", c.err);
	capture_free(&c);

	capture_begin(&c);
	EXPECT_EQ(CLI_USAGE, parse_dev(b3, "add", &ifname, &left));
	capture_end(&c);
	EXPECT_STREQ("Error: \"a/b\" is not a valid interface name.\n", c.err);
	capture_free(&c);
}

TEST(find_command)
{
	const struct lcctl_cmd *show = lcctl_find_command("show");

	ASSERT_NE(NULL, show);
	EXPECT_STREQ("show", show->name);
	EXPECT_EQ(show, lcctl_find_command("s"));
	EXPECT_EQ(show, lcctl_find_command("sho"));
	EXPECT_STREQ("help", lcctl_find_command("h")->name);
	EXPECT_STREQ("peer", lcctl_find_command("p")->name);
	EXPECT_STREQ("key", lcctl_find_command("k")->name);
	EXPECT_STREQ("monitor", lcctl_find_command("mon")->name);
	EXPECT_EQ(NULL, lcctl_find_command("showx"));
	EXPECT_EQ(NULL, lcctl_find_command(""));
	EXPECT_EQ(NULL, lcctl_find_command("bogus"));
}

TEST(parse_scaled)
{
	uint64_t v = 7;

	EXPECT_EQ(0, cli_parse_scaled("0", 1000, &v));
	EXPECT_EQ(0u, v);
	EXPECT_EQ(0, cli_parse_scaled("12", 1024, &v));
	EXPECT_EQ(12u, v);
	EXPECT_EQ(0, cli_parse_scaled("1k", 1000, &v));
	EXPECT_EQ(1000u, v);
	EXPECT_EQ(0, cli_parse_scaled("1K", 1024, &v));
	EXPECT_EQ(1024u, v);
	EXPECT_EQ(0, cli_parse_scaled("3M", 1000, &v));
	EXPECT_EQ(3000000u, v);
	EXPECT_EQ(0, cli_parse_scaled("3m", 1024, &v));
	EXPECT_EQ(3u << 20, v);
	EXPECT_EQ(0, cli_parse_scaled("2G", 1024, &v));
	EXPECT_EQ(2ull << 30, v);
	EXPECT_EQ(0, cli_parse_scaled("5T", 1000, &v));
	EXPECT_EQ(5000000000000ull, v);
	EXPECT_EQ(0, cli_parse_scaled("18446744073709551615", 1000, &v));
	EXPECT_EQ(UINT64_MAX, v);
	EXPECT_EQ(0, cli_parse_scaled("16777215T", 1024, &v));
	EXPECT_EQ(16777215ull << 40, v);

	v = 7;
	EXPECT_EQ(-1, cli_parse_scaled("16777216T", 1024, &v));
	EXPECT_EQ(-1, cli_parse_scaled("18446744073709551616", 1000, &v));
	EXPECT_EQ(-1, cli_parse_scaled("18446744073709552k", 1000, &v));
	EXPECT_EQ(-1, cli_parse_scaled("", 1000, &v));
	EXPECT_EQ(-1, cli_parse_scaled("k", 1000, &v));
	EXPECT_EQ(-1, cli_parse_scaled("1P", 1000, &v));
	EXPECT_EQ(-1, cli_parse_scaled("1kk", 1000, &v));
	EXPECT_EQ(-1, cli_parse_scaled("1 k", 1000, &v));
	EXPECT_EQ(-1, cli_parse_scaled("-1k", 1000, &v));
	EXPECT_EQ(-1, cli_parse_scaled("1.5G", 1000, &v));
	EXPECT_EQ(-1, cli_parse_scaled("0x10", 1000, &v));
	EXPECT_EQ(7u, v);
}

TEST(parse_seconds)
{
	uint32_t v = 7;

	EXPECT_EQ(0, cli_parse_seconds("0", &v));
	EXPECT_EQ(0u, v);
	EXPECT_EQ(0, cli_parse_seconds("90", &v));
	EXPECT_EQ(90u, v);
	EXPECT_EQ(0, cli_parse_seconds("90s", &v));
	EXPECT_EQ(90u, v);
	EXPECT_EQ(0, cli_parse_seconds("5m", &v));
	EXPECT_EQ(300u, v);
	EXPECT_EQ(0, cli_parse_seconds("2h", &v));
	EXPECT_EQ(7200u, v);
	EXPECT_EQ(0, cli_parse_seconds("1d", &v));
	EXPECT_EQ(86400u, v);
	EXPECT_EQ(0, cli_parse_seconds("4294967295", &v));
	EXPECT_EQ(UINT32_MAX, v);

	v = 7;
	EXPECT_EQ(-1, cli_parse_seconds("4294967296", &v));
	EXPECT_EQ(-1, cli_parse_seconds("49711d", &v));
	EXPECT_EQ(-1, cli_parse_seconds("1w", &v));
	EXPECT_EQ(-1, cli_parse_seconds("1H", &v));
	EXPECT_EQ(-1, cli_parse_seconds("s", &v));
	EXPECT_EQ(-1, cli_parse_seconds("", &v));
	EXPECT_EQ(-1, cli_parse_seconds("-1", &v));
	EXPECT_EQ(7u, v);
}

TEST_HARNESS_MAIN
