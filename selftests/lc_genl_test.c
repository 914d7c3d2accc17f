// SPDX-License-Identifier: GPL-2.0
/*
 * The "linkcrypt" generic netlink family: device lookup and dump, strict
 * validation of requests, permissions and network namespace isolation.
 * Every test runs in a network namespace of its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/genetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lc_nl.h"

struct dev_seen {
	int count;
	int ifindex[512];
	char ifname[512][IFNAMSIZ];
	int port[512];
	int cipher[512];
	int mtu[512];
	int crypto[512];
};

static int dev_attr_cb(const struct nlattr *attr, void *data)
{
	struct dev_seen *s = data;
	int i = s->count;

	switch (mnl_attr_get_type(attr)) {
	case LINKCRYPT_A_DEV_IFINDEX:
		s->ifindex[i] = (int)mnl_attr_get_u32(attr);
		break;
	case LINKCRYPT_A_DEV_IFNAME:
		snprintf(s->ifname[i], IFNAMSIZ, "%s", mnl_attr_get_str(attr));
		break;
	case LINKCRYPT_A_DEV_PORT:
		s->port[i] = mnl_attr_get_u16(attr);
		break;
	case LINKCRYPT_A_DEV_CIPHER:
		s->cipher[i] = mnl_attr_get_u16(attr);
		break;
	case LINKCRYPT_A_DEV_MTU:
		s->mtu[i] = (int)mnl_attr_get_u32(attr);
		break;
	case LINKCRYPT_A_DEV_CRYPTO:
		s->crypto[i] = mnl_attr_get_u8(attr);
		break;
	}
	return MNL_CB_OK;
}

static int dev_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dev_seen *s = data;
	int ret;

	if (s->count >= 512)
		return MNL_CB_ERROR;
	ret = mnl_attr_parse(nlh, sizeof(struct genlmsghdr), dev_attr_cb, s);
	s->count++;
	return ret;
}

FIXTURE(genl) {
	struct lc_nl rt;
	struct lc_nl gn;
	struct dev_seen seen;
	char buf[LC_NL_BUFSZ];
};

FIXTURE_SETUP(genl)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, lc_nl_open(&self->rt, NETLINK_ROUTE));
	ASSERT_EQ(0, lc_nl_open(&self->gn, NETLINK_GENERIC));
	/* Resolving the family loads the module if need be. */
	ASSERT_EQ(0, lc_genl_resolve(&self->gn)) TH_LOG("%s", self->gn.extack);
	ASSERT_NE(0, self->gn.genl_id);
	memset(&self->seen, 0, sizeof(self->seen));
}

FIXTURE_TEARDOWN(genl)
{
	lc_nl_close(&self->gn);
	lc_nl_close(&self->rt);
}

static int dump(struct lc_nl *gn, char *buf, struct dev_seen *seen)
{
	struct nlmsghdr *nlh = lc_genl_start(gn, buf, LINKCRYPT_CMD_DEV_GET, NLM_F_DUMP);

	memset(seen, 0, sizeof(*seen));
	return lc_nl_talk(gn, nlh, dev_cb, seen);
}

static int get_by(struct lc_nl *gn, char *buf, const char *name, int ifindex,
		  struct dev_seen *seen)
{
	struct nlmsghdr *nlh = lc_genl_start(gn, buf, LINKCRYPT_CMD_DEV_GET, 0);

	if (name)
		mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, name);
	if (ifindex)
		mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, (uint32_t)ifindex);
	memset(seen, 0, sizeof(*seen));
	return lc_nl_talk(gn, nlh, dev_cb, seen);
}

TEST_F(genl, dump_lists_only_linkcrypt_devices)
{
	ASSERT_EQ(0, dump(&self->gn, self->buf, &self->seen));
	ASSERT_EQ(0, self->seen.count);

	ASSERT_EQ(0, lc_rt_create(&self->rt, "lc0", 7788, LINKCRYPT_CIPHER_AES_256_GCM));
	ASSERT_EQ(0, lc_rt_create(&self->rt, "lc1", 7789, LINKCRYPT_CIPHER_CHACHA20_POLY1305));
	ASSERT_EQ(0, dump(&self->gn, self->buf, &self->seen));
	ASSERT_EQ(2, self->seen.count);
	for (int i = 0; i < 2; i++) {
		int n = strcmp(self->seen.ifname[i], "lc0") ? 1 : 0;

		EXPECT_EQ(7788 + n, self->seen.port[i]);
		EXPECT_EQ(n ? LINKCRYPT_CIPHER_CHACHA20_POLY1305 :
			  LINKCRYPT_CIPHER_AES_256_GCM, self->seen.cipher[i]);
		EXPECT_EQ(1406, self->seen.mtu[i]);
		EXPECT_EQ(LINKCRYPT_CRYPTO_PARALLEL, self->seen.crypto[i]);
		EXPECT_EQ((int)if_nametoindex(self->seen.ifname[i]), self->seen.ifindex[i]);
	}
}

/* The crypto mode set over rtnetlink is what DEV_GET reports. */
TEST_F(genl, crypto_mode_reported)
{
	uint8_t inl = LINKCRYPT_CRYPTO_INLINE;

	ASSERT_EQ(0, lc_rt_create_attr(&self->rt, "lc0", IFLA_LINKCRYPT_CRYPTO,
				       &inl, sizeof(inl))) TH_LOG("%s", self->rt.extack);
	ASSERT_EQ(0, get_by(&self->gn, self->buf, "lc0", 0, &self->seen));
	ASSERT_EQ(1, self->seen.count);
	EXPECT_EQ(LINKCRYPT_CRYPTO_INLINE, self->seen.crypto[0]);
	inl = LINKCRYPT_CRYPTO_PARALLEL;
	ASSERT_EQ(0, lc_rt_change_attr(&self->rt, "lc0", IFLA_LINKCRYPT_CRYPTO,
				       &inl, sizeof(inl))) TH_LOG("%s", self->rt.extack);
	ASSERT_EQ(0, get_by(&self->gn, self->buf, "lc0", 0, &self->seen));
	EXPECT_EQ(LINKCRYPT_CRYPTO_PARALLEL, self->seen.crypto[0]);
}

/*
 * Enough devices that the dump needs several rounds to send them all.  As
 * for lc_rtnl_test's many_devices, the harness's default 30 s is a time
 * limit, not part of what is tested: on the debug kernel with a second VM
 * beside it, making the 400 devices took longer.  The test deletes them
 * itself: left to its namespace's teardown, which holds the RTNL lock
 * while it unregisters them all, they made the next test wait past its
 * own 30 s there.
 */
TEST_F_TIMEOUT(genl, dump_spans_several_messages, 600)
{
	enum { N = 400 };
	char name[IFNAMSIZ];

	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "lc%d", i);
		ASSERT_EQ(0, lc_rt_create(&self->rt, name, 20000 + i, -1));
	}
	ASSERT_EQ(0, dump(&self->gn, self->buf, &self->seen));
	ASSERT_EQ(N, self->seen.count);
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			ASSERT_NE(self->seen.ifindex[i], self->seen.ifindex[j]);
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "lc%d", i);
		ASSERT_EQ(0, lc_rt_del(&self->rt, name));
	}
}

TEST_F(genl, get_by_name_and_by_index)
{
	int ifindex;

	ASSERT_EQ(0, lc_rt_create(&self->rt, "lc0", 7790, LINKCRYPT_CIPHER_CHACHA20_POLY1305));
	ifindex = (int)if_nametoindex("lc0");
	ASSERT_NE(0, ifindex);

	ASSERT_EQ(0, get_by(&self->gn, self->buf, "lc0", 0, &self->seen));
	ASSERT_EQ(1, self->seen.count);
	EXPECT_EQ(ifindex, self->seen.ifindex[0]);
	EXPECT_EQ(7790, self->seen.port[0]);
	EXPECT_EQ(LINKCRYPT_CIPHER_CHACHA20_POLY1305, self->seen.cipher[0]);

	ASSERT_EQ(0, get_by(&self->gn, self->buf, NULL, ifindex, &self->seen));
	ASSERT_EQ(1, self->seen.count);
	EXPECT_STREQ("lc0", self->seen.ifname[0]);

	ASSERT_EQ(0, get_by(&self->gn, self->buf, "lc0", ifindex, &self->seen));
	ASSERT_EQ(1, self->seen.count);
}

TEST_F(genl, get_errors_say_why)
{
	ASSERT_EQ(0, lc_rt_create(&self->rt, "lc0", -1, -1));

	ASSERT_EQ(-ENODEV, get_by(&self->gn, self->buf, "nosuch", 0, &self->seen));
	EXPECT_NE(NULL, strstr(self->gn.extack, "no device with this name"));
	ASSERT_EQ(-ENODEV, get_by(&self->gn, self->buf, NULL, 99999, &self->seen));
	EXPECT_NE(NULL, strstr(self->gn.extack, "no device with this index"));
	ASSERT_EQ(-ENODEV, get_by(&self->gn, self->buf, "lo", 0, &self->seen));
	EXPECT_NE(NULL, strstr(self->gn.extack, "not a linkcrypt device"));
	ASSERT_EQ(-EINVAL, get_by(&self->gn, self->buf, "lc0", 1, &self->seen));
	EXPECT_NE(NULL, strstr(self->gn.extack, "different devices"));
	ASSERT_EQ(-EINVAL, get_by(&self->gn, self->buf, NULL, 0, &self->seen));
	EXPECT_NE(NULL, strstr(self->gn.extack, "a device is needed"));
}

TEST_F(genl, malformed_requests_refused)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	char longname[IFNAMSIZ + 8];

	/* read-only attribute */
	nlh = lc_genl_start(&self->gn, self->buf, LINKCRYPT_CMD_DEV_GET, 0);
	mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, "lc0");
	mnl_attr_put_u16(nlh, LINKCRYPT_A_DEV_PORT, 1);
	ASSERT_EQ(-EINVAL, lc_nl_talk(&self->gn, nlh, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->gn.extack, "read-only"));
	nlh = lc_genl_start(&self->gn, self->buf, LINKCRYPT_CMD_DEV_GET, 0);
	mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, "lc0");
	mnl_attr_put_u8(nlh, LINKCRYPT_A_DEV_CRYPTO, LINKCRYPT_CRYPTO_INLINE);
	ASSERT_EQ(-EINVAL, lc_nl_talk(&self->gn, nlh, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->gn.extack, "change it with ip link"));

	/* unknown attribute */
	nlh = lc_genl_start(&self->gn, self->buf, LINKCRYPT_CMD_DEV_GET, 0);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_MAX + 1, 1);
	ASSERT_EQ(-EINVAL, lc_nl_talk(&self->gn, nlh, NULL, NULL));
	EXPECT_NE(NULL, strstr(self->gn.extack, "Unknown attribute"));

	/* wrong type: ifindex as u16 */
	nlh = lc_genl_start(&self->gn, self->buf, LINKCRYPT_CMD_DEV_GET, 0);
	mnl_attr_put_u16(nlh, LINKCRYPT_A_DEV_IFINDEX, 1);
	ASSERT_NE(0, lc_nl_talk(&self->gn, nlh, NULL, NULL));

	/* name longer than an interface name can be */
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	nlh = lc_genl_start(&self->gn, self->buf, LINKCRYPT_CMD_DEV_GET, 0);
	mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, longname);
	ASSERT_NE(0, lc_nl_talk(&self->gn, nlh, NULL, NULL));

	/* name without its terminating NUL */
	nlh = lc_genl_start(&self->gn, self->buf, LINKCRYPT_CMD_DEV_GET, 0);
	mnl_attr_put(nlh, LINKCRYPT_A_DEV_IFNAME, 3, "lc0");
	ASSERT_EQ(-EINVAL, lc_nl_talk(&self->gn, nlh, NULL, NULL));

	/* reserved header field */
	nlh = lc_genl_start(&self->gn, self->buf, LINKCRYPT_CMD_DEV_GET, 0);
	g = mnl_nlmsg_get_payload(nlh);
	g->reserved = 1;
	mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, "lc0");
	ASSERT_EQ(-EINVAL, lc_nl_talk(&self->gn, nlh, NULL, NULL));

	/* unknown command */
	nlh = lc_genl_start(&self->gn, self->buf, LINKCRYPT_CMD_MAX + 1, 0);
	ASSERT_EQ(-EOPNOTSUPP, lc_nl_talk(&self->gn, nlh, NULL, NULL));
}

/* Runs @fn in a child process; returns its exit status. */
static int in_child(int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* 0 if a dump was refused with EPERM, 1 if it was allowed, 2 on error. */
static int dump_as_current_user(void)
{
	char buf[LC_NL_BUFSZ];
	struct dev_seen *seen = calloc(1, sizeof(*seen));
	struct lc_nl gn;
	int ret;

	if (!seen || lc_nl_open(&gn, NETLINK_GENERIC) || lc_genl_resolve(&gn))
		return 2;
	ret = dump(&gn, buf, seen);
	lc_nl_close(&gn);
	free(seen);
	return ret == -EPERM ? 0 : ret == 0 ? 1 : 2;
}

static int drop_root_and_dump(void)
{
	if (setgid(65534) || setuid(65534))
		return 3;
	return dump_as_current_user();
}

/* A user namespace of its own does not own the test's network namespace. */
static int new_userns_and_dump(void)
{
	if (unshare(CLONE_NEWUSER))
		return 3;
	return dump_as_current_user();
}

/* ...but it does own a network namespace it creates itself. */
static int new_userns_netns_and_dump(void)
{
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return 3;
	return dump_as_current_user();
}

TEST_F(genl, needs_cap_net_admin_over_the_netns)
{
	EXPECT_EQ(0, in_child(drop_root_and_dump));
	EXPECT_EQ(0, in_child(new_userns_and_dump));
	EXPECT_EQ(1, in_child(new_userns_netns_and_dump));
}

static int count_in_new_netns(void)
{
	char buf[LC_NL_BUFSZ];
	struct dev_seen *seen = calloc(1, sizeof(*seen));
	struct lc_nl gn;

	if (!seen || unshare(CLONE_NEWNET) || lc_nl_open(&gn, NETLINK_GENERIC) ||
	    lc_genl_resolve(&gn) || dump(&gn, buf, seen))
		return 255;
	return seen->count;
}

TEST_F(genl, other_netns_devices_are_invisible)
{
	ASSERT_EQ(0, lc_rt_create(&self->rt, "lc0", -1, -1));
	ASSERT_EQ(0, in_child(count_in_new_netns));
	ASSERT_EQ(0, dump(&self->gn, self->buf, &self->seen));
	ASSERT_EQ(1, self->seen.count);
}

TEST_HARNESS_MAIN
