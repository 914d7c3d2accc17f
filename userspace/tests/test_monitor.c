// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of "monitor" (monitor.c): decoding LINKCRYPT_CMD_EVENT
 * messages, their text and JSON lines, filtering by device, and the
 * arguments.
 */
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "kselftest_harness.h"

#include "cli.h"
#include "helpers.h"
#include "lcctl.h"
#include "monitor.h"
#include "msg.h"

static char msgbuf[8192] __attribute__((aligned(8)));

/*
 * Append an event to the batch at @mem + *@off: @peer 0 for none, @dir 0
 * for no key.
 */
static struct nlmsghdr *put_event(void *mem, size_t *off, uint32_t ifindex,
				  const char *ifname, uint32_t event,
				  uint32_t peer, uint8_t dir, uint8_t slot,
				  uint8_t id)
{
	struct nlmsghdr *nlh;
	struct nlattr *p, *k;

	nlh = genl_msg((char *)mem + *off, 1024, LINKCRYPT_CMD_EVENT);
	if (ifindex)
		mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, ifindex);
	if (ifname)
		mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, ifname);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_EVENT, event);
	if (peer) {
		p = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_PEER);
		mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_ID, peer);
		if (dir) {
			k = mnl_attr_nest_start(nlh, LINKCRYPT_A_PEER_KEY);
			mnl_attr_put_u8(nlh, LINKCRYPT_A_KEY_DIR, dir);
			mnl_attr_put_u8(nlh, LINKCRYPT_A_KEY_SLOT, slot);
			mnl_attr_put_u8(nlh, LINKCRYPT_A_KEY_ID, id);
			mnl_attr_nest_end(nlh, k);
		}
		mnl_attr_nest_end(nlh, p);
	}
	*off += nlh->nlmsg_len;
	return nlh;
}

static struct nlmsghdr *event_msg(uint32_t event, uint32_t peer, uint8_t dir)
{
	size_t off = 0;

	return put_event(msgbuf, &off, 5, "lc0", event, peer, dir,
			 LINKCRYPT_KEY_SLOT_PRIMARY, 3);
}

TEST(parse_key_event)
{
	struct lc_event ev;

	ASSERT_EQ(0, lc_event_parse(event_msg(LINKCRYPT_EVENT_SOFT_LIMIT, 1,
					      LINKCRYPT_KEY_DIR_TX), &ev));
	EXPECT_EQ(5u, ev.ifindex);
	EXPECT_STREQ("lc0", ev.ifname);
	EXPECT_EQ((uint32_t)LINKCRYPT_EVENT_SOFT_LIMIT, ev.event);
	EXPECT_TRUE(ev.has_peer);
	EXPECT_EQ(1u, ev.peer);
	ASSERT_TRUE(ev.has_key);
	EXPECT_EQ((uint64_t)LINKCRYPT_KEY_DIR_TX, ev.key.v[LINKCRYPT_A_KEY_DIR]);
	EXPECT_EQ((uint64_t)LINKCRYPT_KEY_SLOT_PRIMARY, ev.key.v[LINKCRYPT_A_KEY_SLOT]);
	EXPECT_EQ(3u, ev.key.v[LINKCRYPT_A_KEY_ID]);
}

TEST(parse_peer_event)
{
	struct lc_event ev;

	ASSERT_EQ(0, lc_event_parse(event_msg(LINKCRYPT_EVENT_NO_KEY, 2, 0), &ev));
	EXPECT_EQ((uint32_t)LINKCRYPT_EVENT_NO_KEY, ev.event);
	EXPECT_TRUE(ev.has_peer);
	EXPECT_EQ(2u, ev.peer);
	EXPECT_FALSE(ev.has_key);

	ASSERT_EQ(0, lc_event_parse(event_msg(LINKCRYPT_EVENT_NO_KEY, 0, 0), &ev));
	EXPECT_FALSE(ev.has_peer);
}

TEST(parse_malformed)
{
	struct nlmsghdr *nlh;
	struct nlattr *p, *k;
	struct lc_event ev;

	/* No event attribute. */
	nlh = genl_msg(msgbuf, sizeof(msgbuf), LINKCRYPT_CMD_EVENT);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, 5);
	EXPECT_EQ(-EBADMSG, lc_event_parse(nlh, &ev));

	/* The event as a u8. */
	nlh = genl_msg(msgbuf, sizeof(msgbuf), LINKCRYPT_CMD_EVENT);
	mnl_attr_put_u8(nlh, LINKCRYPT_A_DEV_EVENT, 1);
	EXPECT_EQ(-EBADMSG, lc_event_parse(nlh, &ev));

	/* A name that does not end. */
	nlh = genl_msg(msgbuf, sizeof(msgbuf), LINKCRYPT_CMD_EVENT);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_EVENT, 1);
	mnl_attr_put(nlh, LINKCRYPT_A_DEV_IFNAME, 3, "lc0");
	EXPECT_EQ(-EBADMSG, lc_event_parse(nlh, &ev));

	/* A key id as a u32. */
	nlh = genl_msg(msgbuf, sizeof(msgbuf), LINKCRYPT_CMD_EVENT);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_EVENT, 1);
	p = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_ID, 1);
	k = mnl_attr_nest_start(nlh, LINKCRYPT_A_PEER_KEY);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_KEY_ID, 1);
	mnl_attr_nest_end(nlh, k);
	mnl_attr_nest_end(nlh, p);
	EXPECT_EQ(-EBADMSG, lc_event_parse(nlh, &ev));
}

static char *text(const struct lc_event *ev)
{
	struct mem m;

	if (monitor_print_text(mem_open(&m), ev))
		abort();
	return mem_close(&m);
}

static char *json(const struct lc_event *ev, bool pretty)
{
	struct mem m;

	if (monitor_print_json(mem_open(&m), pretty, ev))
		abort();
	return mem_close(&m);
}

TEST(output_text)
{
	struct lc_event ev;
	char *out;

	ASSERT_EQ(0, lc_event_parse(event_msg(LINKCRYPT_EVENT_SOFT_LIMIT, 1,
					      LINKCRYPT_KEY_DIR_TX), &ev));
	out = text(&ev);
	EXPECT_STREQ("lc0: peer 1 key tx id 3: soft-limit\n", out);
	free(out);

	ASSERT_EQ(0, lc_event_parse(event_msg(LINKCRYPT_EVENT_HARD_LIMIT, 7,
					      LINKCRYPT_KEY_DIR_RX), &ev));
	out = text(&ev);
	EXPECT_STREQ("lc0: peer 7 key rx id 3: hard-limit\n", out);
	free(out);

	ASSERT_EQ(0, lc_event_parse(event_msg(LINKCRYPT_EVENT_NO_KEY, 1, 0), &ev));
	out = text(&ev);
	EXPECT_STREQ("lc0: peer 1: no-key\n", out);
	free(out);

	/* What a newer kernel might send, and what an older one might not. */
	ASSERT_EQ(0, lc_event_parse(event_msg(42, 0, 0), &ev));
	out = text(&ev);
	EXPECT_STREQ("lc0: unknown(42)\n", out);
	free(out);
	ev.ifname[0] = '\0';
	out = text(&ev);
	EXPECT_STREQ("ifindex 5: unknown(42)\n", out);
	free(out);
}

TEST(output_json)
{
	struct lc_event ev;
	char *out;

	ASSERT_EQ(0, lc_event_parse(event_msg(LINKCRYPT_EVENT_SOFT_LIMIT, 1,
					      LINKCRYPT_KEY_DIR_TX), &ev));
	out = json(&ev, false);
	EXPECT_STREQ("{\"ifname\":\"lc0\",\"ifindex\":5,\"event\":\"soft-limit\","
		     "\"peer\":1,\"key\":{\"dir\":\"tx\",\"slot\":\"primary\","
		     "\"id\":3}}\n", out);
	free(out);

	ASSERT_EQ(0, lc_event_parse(event_msg(LINKCRYPT_EVENT_NO_KEY, 2, 0), &ev));
	out = json(&ev, false);
	EXPECT_STREQ("{\"ifname\":\"lc0\",\"ifindex\":5,\"event\":\"no-key\","
		     "\"peer\":2}\n", out);
	free(out);

	out = json(&ev, true);
	EXPECT_STREQ("{\n"
		     "  \"ifname\": \"lc0\",\n"
		     "  \"ifindex\": 5,\n"
		     "  \"event\": \"no-key\",\n"
		     "  \"peer\": 2\n"
		     "}\n", out);
	free(out);
}

/* monitor_feed() on a batch as one recv() may return it. */
static char *feed(const struct monitor *tmpl, const void *buf, size_t len,
		  int *n)
{
	struct monitor m = *tmpl;
	struct mem mem;

	m.f = mem_open(&mem);
	*n = monitor_feed(&m, buf, len);
	return mem_close(&mem);
}

static size_t sample_batch(void *mem)
{
	struct nlmsghdr *nlh;
	size_t off = 0;

	memset(mem, 0, 8192);
	put_event(mem, &off, 5, "lc0", LINKCRYPT_EVENT_SOFT_LIMIT, 1,
		  LINKCRYPT_KEY_DIR_TX, 0, 3);
	/* Another family, another command: skipped. */
	nlh = put_event(mem, &off, 5, "lc0", LINKCRYPT_EVENT_NO_KEY, 9, 0, 0, 0);
	nlh->nlmsg_type = TEST_FAMILY_ID + 1;
	nlh = put_event(mem, &off, 5, "lc0", LINKCRYPT_EVENT_NO_KEY, 9, 0, 0, 0);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd =
		LINKCRYPT_CMD_PEER_GET;
	put_event(mem, &off, 6, "lc1", LINKCRYPT_EVENT_NO_KEY, 2, 0, 0, 0);
	/* Renamed: same ifindex, new name. */
	put_event(mem, &off, 5, "lc5", LINKCRYPT_EVENT_HARD_LIMIT, 1,
		  LINKCRYPT_KEY_DIR_RX, 1, 4);
	return off;
}

TEST(feed_all)
{
	struct monitor m = { .family = TEST_FAMILY_ID };
	static char batch[8192] __attribute__((aligned(8)));
	size_t len = sample_batch(batch);
	char *out;
	int n;

	out = feed(&m, batch, len, &n);
	EXPECT_EQ(3, n);
	EXPECT_STREQ("lc0: peer 1 key tx id 3: soft-limit\n"
		     "lc1: peer 2: no-key\n"
		     "lc5: peer 1 key rx id 4: hard-limit\n", out);
	free(out);

	m.json = true;
	out = feed(&m, batch, len, &n);
	EXPECT_EQ(3, n);
	EXPECT_STREQ("{\"ifname\":\"lc0\",\"ifindex\":5,\"event\":\"soft-limit\",\"peer\":1,\"key\":{\"dir\":\"tx\",\"slot\":\"primary\",\"id\":3}}\n"
		     "{\"ifname\":\"lc1\",\"ifindex\":6,\"event\":\"no-key\",\"peer\":2}\n"
		     "{\"ifname\":\"lc5\",\"ifindex\":5,\"event\":\"hard-limit\",\"peer\":1,\"key\":{\"dir\":\"rx\",\"slot\":\"secondary\",\"id\":4}}\n",
		     out);
	free(out);
}

TEST(feed_filtered)
{
	struct monitor m = { .family = TEST_FAMILY_ID, .ifname = "lc0",
			     .ifindex = 5 };
	static char batch[8192] __attribute__((aligned(8)));
	size_t len = sample_batch(batch);
	char *out;
	int n;

	/* By index: the renamed device still counts. */
	out = feed(&m, batch, len, &n);
	EXPECT_EQ(2, n);
	EXPECT_STREQ("lc0: peer 1 key tx id 3: soft-limit\n"
		     "lc5: peer 1 key rx id 4: hard-limit\n", out);
	free(out);

	/* By name if the index is unknown. */
	m.ifname = "lc1";
	m.ifindex = 0;
	out = feed(&m, batch, len, &n);
	EXPECT_EQ(1, n);
	EXPECT_STREQ("lc1: peer 2: no-key\n", out);
	free(out);

	m.ifname = "lc9";
	out = feed(&m, batch, len, &n);
	EXPECT_EQ(0, n);
	EXPECT_STREQ("", out);
	free(out);
}

TEST(feed_malformed_skipped)
{
	struct monitor m = { .family = TEST_FAMILY_ID };
	struct nlmsghdr *nlh;
	struct capture c;
	size_t off = 0;
	char *out;
	int n;

	memset(msgbuf, 0, sizeof(msgbuf));
	nlh = genl_msg(msgbuf, 1024, LINKCRYPT_CMD_EVENT);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, 5);
	off = nlh->nlmsg_len;
	put_event(msgbuf, &off, 5, "lc0", LINKCRYPT_EVENT_NO_KEY, 1, 0, 0, 0);
	/* A truncated message at the end is not read. */
	nlh = (struct nlmsghdr *)(msgbuf + off);
	nlh->nlmsg_len = 200;
	off += 8;

	capture_begin(&c);
	out = feed(&m, msgbuf, off, &n);
	capture_end(&c);
	EXPECT_EQ(1, n);
	EXPECT_STREQ("lc0: peer 1: no-key\n", out);
	EXPECT_STREQ("lcctl: ignoring a malformed event\n", c.err);
	free(out);
	capture_free(&c);
}

TEST(feed_write_error)
{
	struct monitor m = { .family = TEST_FAMILY_ID };
	static char batch[8192] __attribute__((aligned(8)));
	size_t len = sample_batch(batch);
	FILE *f = fopen("/dev/full", "w");

	if (!f)
		SKIP(return, "no /dev/full");
	m.f = f;
	EXPECT_EQ(-1, monitor_feed(&m, batch, len));
	fclose(f);
}

/*
 * monitor_listen() on a real generic netlink socket, subscribed to the
 * controller's "notify" group (linkcrypt is not needed): a child sends a
 * forged event to the socket from user space, then @sig.  Nothing may be
 * printed, and the signal ends it with exit status 0.
 */
static void listen_until(struct __test_metadata *_metadata, int sig)
{
	struct monitor m = { .family = GENL_ID_CTRL };
	struct lc_genl_family fam;
	struct sockaddr_nl dst;
	struct capture c;
	struct lc_nl nl;
	uint32_t grp;
	size_t off = 0;
	pid_t pid;
	int ret, status;

	if (lc_nl_open(&nl))
		SKIP(return, "no generic netlink socket here");
	ASSERT_EQ(0, lc_nl_resolve(&nl, "nlctrl", &fam));
	ASSERT_EQ(0, lc_nl_mcast_grp(&fam, "notify", &grp));
	ASSERT_EQ(0, lc_nl_subscribe(&nl, grp));

	memset(msgbuf, 0, sizeof(msgbuf));
	put_event(msgbuf, &off, 5, "lc0", LINKCRYPT_EVENT_NO_KEY, 1, 0, 0, 0);
	((struct nlmsghdr *)msgbuf)->nlmsg_type = GENL_ID_CTRL;
	memset(&dst, 0, sizeof(dst));
	dst.nl_family = AF_NETLINK;
	dst.nl_pid = nl.portid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);

		/* Only root may send to another port: a failure is fine. */
		if (fd >= 0)
			sendto(fd, msgbuf, off, 0, (struct sockaddr *)&dst,
			       sizeof(dst));
		usleep(200000);
		kill(getppid(), sig);
		_exit(0);
	}
	m.f = stdout;
	capture_begin(&c);
	ret = monitor_listen(&nl, &m);
	capture_end(&c);
	waitpid(pid, &status, 0);
	EXPECT_EQ(LC_EXIT_OK, ret);
	EXPECT_STREQ("", c.out);
	EXPECT_STREQ("lcctl: listening for events\n", c.err);
	capture_free(&c);
	lc_nl_close(&nl);
}

TEST(listen_sigterm)
{
	listen_until(_metadata, SIGTERM);
}

TEST(listen_sigint)
{
	listen_until(_metadata, SIGINT);
}

static int parse(struct monitor_args *args, char **err, char **argv)
{
	struct capture c;
	int argc = 0;
	int ret;

	while (argv[argc])
		argc++;
	capture_begin(&c);
	ret = monitor_parse_args(argc, argv, args);
	capture_end(&c);
	*err = c.err;
	free(c.out);
	return ret;
}

#define PARSE(...) parse(&args, &err, (char *[]){ __VA_ARGS__, NULL })

TEST(args)
{
	struct monitor_args args;
	char *err;

	EXPECT_EQ(CLI_OK, PARSE(NULL));
	EXPECT_EQ(NULL, args.ifname);
	free(err);
	EXPECT_EQ(CLI_OK, PARSE("lc0"));
	EXPECT_STREQ("lc0", args.ifname);
	free(err);
	EXPECT_EQ(CLI_OK, PARSE("dev", "help"));
	EXPECT_STREQ("help", args.ifname);
	free(err);
	EXPECT_EQ(CLI_HELP, PARSE("help"));
	free(err);

	EXPECT_EQ(CLI_USAGE, PARSE("lc0", "lc1"));
	EXPECT_NE(NULL, strstr(err, "too many arguments"));
	free(err);
	EXPECT_EQ(CLI_USAGE, PARSE("-j"));
	EXPECT_NE(NULL, strstr(err, "options go before the command"));
	free(err);
	EXPECT_EQ(CLI_USAGE, PARSE("dev"));
	EXPECT_NE(NULL, strstr(err, "requires an argument"));
	free(err);
	EXPECT_EQ(CLI_USAGE, PARSE("a/b"));
	EXPECT_NE(NULL, strstr(err, "not a valid interface name"));
	free(err);
}

TEST(main_usage)
{
	char *a1[] = { "lcctl", "monitor", "lc0", "lc1", NULL };
	char *a2[] = { "lcctl", "monitor", "help", NULL };
	struct capture c;
	int ret;

	capture_begin(&c);
	ret = lcctl_main(4, a1);
	capture_end(&c);
	EXPECT_EQ(LC_EXIT_USAGE, ret);
	EXPECT_STREQ("", c.out);
	EXPECT_NE(NULL, strstr(c.err, "Usage: lcctl monitor [ [ dev ] DEV ]"));
	capture_free(&c);

	capture_begin(&c);
	ret = lcctl_main(3, a2);
	capture_end(&c);
	EXPECT_EQ(LC_EXIT_OK, ret);
	EXPECT_EQ(c.out, strstr(c.out, "Usage: lcctl monitor"));
	EXPECT_NE(NULL, strstr(c.out, "soft-limit"));
	capture_free(&c);
}

TEST_HARNESS_MAIN
