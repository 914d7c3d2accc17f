// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the generic netlink layer (nl.c) on made-up kernel
 * replies: extended acks, family lookup replies, attribute validation,
 * and the reply loop (dumps, stale messages, errors, NLM_F_DUMP_INTR).
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"

#include "nl.h"

#define PORTID	1234
#define SEQ	77

static char buf[8192] __attribute__((aligned(8)));
static char buf2[8192] __attribute__((aligned(8)));

/* A generic netlink request, as lcctl would have sent it. */
static struct nlmsghdr *request(void *mem, const char *attr_str)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(mem, 0, 1024);
	nlh = mnl_nlmsg_put_header(mem);
	nlh->nlmsg_type = GENL_MIN_ID;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = 1;
	/*
	 * Type 1 is also NLMSGERR_ATTR_MSG: if the echo of the request were
	 * taken for the ack TLVs, this text would show up.
	 */
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, attr_str);
	return nlh;
}

/* NLMSG_ERROR for @req; @echo: not capped; @msg: extack text or NULL. */
static struct nlmsghdr *error_msg(void *mem, int error, bool echo,
				  const struct nlmsghdr *req, const char *msg)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;

	memset(mem, 0, 4096);
	nlh = mnl_nlmsg_put_header(mem);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = req->nlmsg_pid;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg = *req;
	if (echo) {
		size_t len = req->nlmsg_len - sizeof(*req);
		void *p = mnl_nlmsg_put_extra_header(nlh, MNL_ALIGN(len));

		memcpy(p, mnl_nlmsg_get_payload(req), len);
	} else {
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	}
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	return nlh;
}

TEST(error_capped_with_msg)
{
	struct nlmsghdr *req = request(buf2, "WRONG");
	struct lc_nl_ext ext;
	int error = 0;

	ASSERT_EQ(0, lc_nl_parse_error(error_msg(buf, -ENODEV, false, req,
						 "no such linkcrypt device"),
				       &error, &ext));
	EXPECT_EQ(-ENODEV, error);
	EXPECT_STREQ("no such linkcrypt device", ext.msg);
	EXPECT_EQ(0u, ext.miss_type);
}

TEST(error_echoed_request_with_msg)
{
	struct nlmsghdr *req = request(buf2, "WRONG");
	struct lc_nl_ext ext;
	int error = 0;

	ASSERT_EQ(0, lc_nl_parse_error(error_msg(buf, -EINVAL, true, req,
						 "right"), &error, &ext));
	EXPECT_EQ(-EINVAL, error);
	EXPECT_STREQ("right", ext.msg);
}

TEST(error_echoed_unaligned_request)
{
	/* A request whose length is not a multiple of 4: padded in the echo. */
	struct nlmsghdr *req = request(buf2, "ab");
	struct lc_nl_ext ext;
	int error = 0;

	req->nlmsg_len -= 1;
	ASSERT_NE(0u, req->nlmsg_len % 4);
	ASSERT_EQ(0, lc_nl_parse_error(error_msg(buf, -EINVAL, true, req,
						 "padded"), &error, &ext));
	EXPECT_STREQ("padded", ext.msg);
}

TEST(error_without_tlvs)
{
	struct nlmsghdr *req = request(buf2, "WRONG");
	struct lc_nl_ext ext;
	int error = 0;

	ASSERT_EQ(0, lc_nl_parse_error(error_msg(buf, -EPERM, true, req, NULL),
				       &error, &ext));
	EXPECT_EQ(-EPERM, error);
	EXPECT_STREQ("", ext.msg);

	/* A positive errno is taken as the negative one. */
	ASSERT_EQ(0, lc_nl_parse_error(error_msg(buf, EPERM, false, req, NULL),
				       &error, &ext));
	EXPECT_EQ(-EPERM, error);
}

TEST(error_ack_and_missing_attr)
{
	struct nlmsghdr *req = request(buf2, "WRONG");
	struct nlmsghdr *nlh;
	struct lc_nl_ext ext;
	int error = 1;

	/* An ack with a warning. */
	ASSERT_EQ(0, lc_nl_parse_error(error_msg(buf, 0, false, req, "careful"),
				       &error, &ext));
	EXPECT_EQ(0, error);
	EXPECT_STREQ("careful", ext.msg);

	nlh = error_msg(buf, -EINVAL, false, req, NULL);
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, 2);
	ASSERT_EQ(0, lc_nl_parse_error(nlh, &error, &ext));
	EXPECT_EQ(-EINVAL, error);
	EXPECT_STREQ("", ext.msg);
	EXPECT_EQ(2u, ext.miss_type);
}

TEST(error_truncated)
{
	struct nlmsghdr *req = request(buf2, "WRONG");
	struct nlmsghdr *nlh = error_msg(buf, -EINVAL, false, req, NULL);
	struct lc_nl_ext ext;
	int error = 0;

	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 4;
	EXPECT_EQ(-EBADMSG, lc_nl_parse_error(nlh, &error, &ext));

	/* TLVs announced but the echo claims to be longer than the message. */
	nlh = error_msg(buf, -EINVAL, true, req, "x");
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 4000;
	ASSERT_EQ(0, lc_nl_parse_error(nlh, &error, &ext));
	EXPECT_STREQ("", ext.msg);
}

static struct nlmsghdr *done_msg(void *mem, uint32_t seq, int error,
				 const char *msg)
{
	struct nlmsghdr *nlh;
	int *payload;

	nlh = mnl_nlmsg_put_header(mem);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = PORTID;
	payload = mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	*payload = error;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	return nlh;
}

TEST(done_msgs)
{
	struct nlmsghdr *nlh;
	struct lc_nl_ext ext;
	int error = 1;

	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(0, lc_nl_parse_done(done_msg(buf, SEQ, 0, NULL), &error, &ext));
	EXPECT_EQ(0, error);

	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(0, lc_nl_parse_done(done_msg(buf, SEQ, -ENOBUFS, "dump failed"),
				      &error, &ext));
	EXPECT_EQ(-ENOBUFS, error);
	EXPECT_STREQ("dump failed", ext.msg);

	/* Old kernels: no payload at all. */
	memset(buf, 0, sizeof(buf));
	nlh = done_msg(buf, SEQ, -1, NULL);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN;
	ASSERT_EQ(0, lc_nl_parse_done(nlh, &error, &ext));
	EXPECT_EQ(0, error);
}

/* A CTRL_CMD_NEWFAMILY reply. */
static struct nlmsghdr *family_msg(void *mem, const char *name, bool with_grp_id)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct nlattr *grps, *grp, *ops;

	memset(mem, 0, 4096);
	nlh = mnl_nlmsg_put_header(mem);
	nlh->nlmsg_type = GENL_ID_CTRL;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_NEWFAMILY;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1a);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, 5);
	ops = mnl_attr_nest_start(nlh, CTRL_ATTR_OPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_OP_ID, 1);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, ops);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "events");
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 7);
	mnl_attr_nest_end(nlh, grp);
	grp = mnl_attr_nest_start(nlh, 2);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, "peers");
	if (with_grp_id)
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 8);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, grps);
	/* From a newer kernel. */
	mnl_attr_put_u64(nlh, CTRL_ATTR_MAX + 1, 0);
	return nlh;
}

TEST(family_reply)
{
	struct lc_genl_family fam;
	uint32_t id = 0;

	ASSERT_EQ(0, lc_nl_parse_family(family_msg(buf, "linkcrypt", true), &fam));
	EXPECT_STREQ("linkcrypt", fam.name);
	EXPECT_EQ(0x1a, fam.id);
	EXPECT_EQ(1u, fam.version);
	EXPECT_EQ(5u, fam.maxattr);
	ASSERT_EQ(2u, fam.n_mcast_grps);
	EXPECT_EQ(0, lc_nl_mcast_grp(&fam, "peers", &id));
	EXPECT_EQ(8u, id);
	EXPECT_EQ(0, lc_nl_mcast_grp(&fam, "events", &id));
	EXPECT_EQ(7u, id);
	EXPECT_EQ(-ENOENT, lc_nl_mcast_grp(&fam, "nope", &id));
}

TEST(family_malformed)
{
	struct lc_genl_family fam;
	struct nlmsghdr *nlh;

	/* A group without its id. */
	EXPECT_EQ(-EBADMSG, lc_nl_parse_family(family_msg(buf, "linkcrypt", false),
					       &fam));
	/* A name longer than GENL_NAMSIZ. */
	EXPECT_EQ(-EBADMSG, lc_nl_parse_family(family_msg(buf, "0123456789abcdef",
							  true), &fam));
	/* The id as a u32. */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "linkcrypt");
	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, 0x1a);
	EXPECT_EQ(-EBADMSG, lc_nl_parse_family(nlh, &fam));
	/* No id. */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "linkcrypt");
	EXPECT_EQ(-EBADMSG, lc_nl_parse_family(nlh, &fam));
}

TEST(genl_request)
{
	struct lc_nl nl = { 0 };
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	nl.txbuf = buf;
	nl.seq = UINT32_MAX;
	nlh = lc_nl_genl_req(&nl, 0x1a, 3, 1, NLM_F_DUMP);
	EXPECT_EQ(0x1a, nlh->nlmsg_type);
	EXPECT_EQ(NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, nlh->nlmsg_flags);
	/* Never 0: that would turn off reply matching. */
	EXPECT_EQ(1u, nlh->nlmsg_seq);
	EXPECT_EQ(MNL_NLMSG_HDRLEN + GENL_HDRLEN, nlh->nlmsg_len);
	genl = mnl_nlmsg_get_payload(nlh);
	EXPECT_EQ(3, genl->cmd);
	EXPECT_EQ(1, genl->version);

	nlh = lc_nl_genl_req(&nl, 0x1a, 3, 1, 0);
	EXPECT_EQ(2u, nlh->nlmsg_seq);
}

/* The reply loop. */

struct seen {
	int n;
	uint32_t values[16];
	int fail_at;		/* return -ENOMEM for this message (1-based) */
};

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct seen *s = data;
	const struct nlattr *attr = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);

	if (s->n < 16)
		s->values[s->n] = mnl_attr_get_u32(attr);
	s->n++;
	return s->n == s->fail_at ? -ENOMEM : 0;
}

/* Append a data message carrying @value to the batch at @mem + *@off. */
static void put_data(void *mem, size_t *off, uint32_t seq, uint16_t flags,
		     uint32_t value)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header((char *)mem + *off);

	nlh->nlmsg_type = 0x1a;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = PORTID;
	mnl_nlmsg_put_extra_header(nlh, GENL_HDRLEN);
	mnl_attr_put_u32(nlh, 1, value);
	*off += nlh->nlmsg_len;
}

static void put_done(void *mem, size_t *off, uint32_t seq, uint16_t flags,
		     int error)
{
	struct nlmsghdr *nlh = done_msg((char *)mem + *off, seq, error, NULL);

	nlh->nlmsg_flags |= flags;
	*off += nlh->nlmsg_len;
}

TEST(rx_dump_over_two_reads)
{
	struct seen s = { 0 };
	struct lc_nl_ext ext;
	struct lc_nl_rx rx;
	size_t off = 0;

	memset(buf, 0, sizeof(buf));
	lc_nl_rx_init(&rx, PORTID, SEQ, count_cb, &s, &ext);
	/* A stale message of an earlier request comes first. */
	put_data(buf, &off, SEQ - 1, NLM_F_MULTI, 99);
	put_data(buf, &off, SEQ, NLM_F_MULTI, 1);
	put_data(buf, &off, SEQ, NLM_F_MULTI, 2);
	EXPECT_FALSE(lc_nl_rx_feed(&rx, buf, off));

	off = 0;
	memset(buf, 0, sizeof(buf));
	put_data(buf, &off, SEQ, NLM_F_MULTI, 3);
	put_done(buf, &off, SEQ, 0, 0);
	EXPECT_TRUE(lc_nl_rx_feed(&rx, buf, off));
	EXPECT_EQ(0, lc_nl_rx_result(&rx));
	ASSERT_EQ(3, s.n);
	EXPECT_EQ(1u, s.values[0]);
	EXPECT_EQ(2u, s.values[1]);
	EXPECT_EQ(3u, s.values[2]);
}

TEST(rx_dump_error_in_done)
{
	struct seen s = { 0 };
	struct lc_nl_ext ext;
	struct lc_nl_rx rx;
	size_t off = 0;

	memset(buf, 0, sizeof(buf));
	lc_nl_rx_init(&rx, PORTID, SEQ, count_cb, &s, &ext);
	put_data(buf, &off, SEQ, NLM_F_MULTI, 1);
	put_done(buf, &off, SEQ, 0, -EMSGSIZE);
	EXPECT_TRUE(lc_nl_rx_feed(&rx, buf, off));
	EXPECT_EQ(-EMSGSIZE, lc_nl_rx_result(&rx));
}

TEST(rx_dump_interrupted)
{
	struct seen s = { 0 };
	struct lc_nl_ext ext;
	struct lc_nl_rx rx;
	size_t off = 0;

	memset(buf, 0, sizeof(buf));
	lc_nl_rx_init(&rx, PORTID, SEQ, count_cb, &s, &ext);
	put_data(buf, &off, SEQ, NLM_F_MULTI, 1);
	put_data(buf, &off, SEQ, NLM_F_MULTI | NLM_F_DUMP_INTR, 2);
	put_done(buf, &off, SEQ, NLM_F_DUMP_INTR, 0);
	/* Read to the end, then report it. */
	EXPECT_TRUE(lc_nl_rx_feed(&rx, buf, off));
	EXPECT_EQ(2, s.n);
	EXPECT_EQ(-EINTR, lc_nl_rx_result(&rx));
}

TEST(rx_callback_error_drains)
{
	struct seen s = { .fail_at = 1 };
	struct lc_nl_ext ext;
	struct lc_nl_rx rx;
	size_t off = 0;

	memset(buf, 0, sizeof(buf));
	lc_nl_rx_init(&rx, PORTID, SEQ, count_cb, &s, &ext);
	put_data(buf, &off, SEQ, NLM_F_MULTI, 1);
	put_data(buf, &off, SEQ, NLM_F_MULTI, 2);
	EXPECT_FALSE(lc_nl_rx_feed(&rx, buf, off));
	off = 0;
	memset(buf, 0, sizeof(buf));
	put_done(buf, &off, SEQ, 0, 0);
	EXPECT_TRUE(lc_nl_rx_feed(&rx, buf, off));
	/* The callback is not called after its failure. */
	EXPECT_EQ(1, s.n);
	EXPECT_EQ(-ENOMEM, lc_nl_rx_result(&rx));
}

TEST(rx_doit_reply_and_ack)
{
	struct nlmsghdr *req = request(buf2, "x");
	struct seen s = { 0 };
	struct lc_nl_ext ext;
	struct lc_nl_rx rx;
	size_t off = 0;
	struct nlmsghdr *ack;

	memset(buf, 0, sizeof(buf));
	lc_nl_rx_init(&rx, PORTID, SEQ, count_cb, &s, &ext);
	put_data(buf, &off, SEQ, 0, 42);
	ack = error_msg(buf + off, 0, false, req, NULL);
	off += ack->nlmsg_len;
	EXPECT_TRUE(lc_nl_rx_feed(&rx, buf, off));
	EXPECT_EQ(0, lc_nl_rx_result(&rx));
	EXPECT_EQ(1, s.n);
	EXPECT_EQ(42u, s.values[0]);
}

TEST(rx_doit_error)
{
	struct nlmsghdr *req = request(buf2, "x");
	struct seen s = { 0 };
	struct lc_nl_ext ext;
	struct lc_nl_rx rx;
	struct nlmsghdr *err;

	memset(buf, 0, sizeof(buf));
	lc_nl_rx_init(&rx, PORTID, SEQ, count_cb, &s, &ext);
	err = error_msg(buf, -ENODEV, false, req, "no device lc9");
	EXPECT_TRUE(lc_nl_rx_feed(&rx, buf, err->nlmsg_len));
	EXPECT_EQ(-ENODEV, lc_nl_rx_result(&rx));
	EXPECT_STREQ("no device lc9", ext.msg);
	EXPECT_EQ(0, s.n);
}

/* lc_nl_parse_attrs(): the policy's checks. */
enum { T_UNSPEC, T_U8, T_STR, T_ANY, T_MAX = T_ANY };

static const struct lc_nl_policy policy[T_MAX + 1] = {
	[T_U8]	= { MNL_TYPE_U8, 0 },
	[T_STR]	= { MNL_TYPE_NUL_STRING, 4 },
};

TEST(policy_checks)
{
	const struct nlattr *tb[T_MAX + 1];
	struct nlmsghdr *nlh;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_attr_put_u8(nlh, T_U8, 1);
	mnl_attr_put_strz(nlh, T_STR, "abc");
	mnl_attr_put(nlh, T_ANY, 5, "hello");
	ASSERT_EQ(0, lc_nl_parse_attrs(nlh, 0, policy, T_MAX, tb));
	EXPECT_NE(NULL, tb[T_U8]);
	EXPECT_NE(NULL, tb[T_STR]);
	EXPECT_NE(NULL, tb[T_ANY]);

	/* "abcd" and its NUL: 5 bytes, above the maximum of 4. */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_attr_put_strz(nlh, T_STR, "abcd");
	EXPECT_EQ(-EBADMSG, lc_nl_parse_attrs(nlh, 0, policy, T_MAX, tb));

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	mnl_attr_put_u16(nlh, T_U8, 1);
	EXPECT_EQ(-EBADMSG, lc_nl_parse_attrs(nlh, 0, policy, T_MAX, tb));

	/* An offset beyond the payload. */
	EXPECT_EQ(-EBADMSG, lc_nl_parse_attrs(nlh, 64, policy, T_MAX, tb));
}

TEST_HARNESS_MAIN
