// SPDX-License-Identifier: GPL-2.0
/* Generic netlink over libmnl; see nl.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "nl.h"

/*
 * The kernel sizes dump messages after the reader's buffer, up to 32 KiB;
 * a bigger buffer never sees a truncated (MSG_TRUNC) read.
 */
#define LC_NL_RXBUF_SIZE	65536
#define LC_NL_TXBUF_SIZE	8192

int lc_nl_open(struct lc_nl *nl)
{
	int one = 1;
	int err;

	memset(nl, 0, sizeof(*nl));
	nl->rxbuf = malloc(LC_NL_RXBUF_SIZE);
	nl->txbuf = malloc(LC_NL_TXBUF_SIZE);
	if (!nl->rxbuf || !nl->txbuf) {
		err = -ENOMEM;
		goto fail;
	}
	nl->sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!nl->sock) {
		err = -errno;
		goto fail;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	/*
	 * Extended acks carry the kernel's error text; capped acks leave out
	 * the echo of our request.  Kernels without them still work.
	 */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->seq = (uint32_t)time(NULL);
	return 0;
fail:
	lc_nl_close(nl);
	return err;
}

void lc_nl_close(struct lc_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->rxbuf);
	free(nl->txbuf);
	memset(nl, 0, sizeof(*nl));
}

void lc_nl_wipe(struct lc_nl *nl)
{
	if (nl->txbuf)
		explicit_bzero(nl->txbuf, LC_NL_TXBUF_SIZE);
	if (nl->rxbuf)
		explicit_bzero(nl->rxbuf, LC_NL_RXBUF_SIZE);
}

int lc_nl_subscribe(struct lc_nl *nl, uint32_t group)
{
	unsigned int grp = group;

	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0)
		return -errno;
	return 0;
}

int lc_nl_fd(const struct lc_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

ssize_t lc_nl_recv(struct lc_nl *nl)
{
	struct sockaddr_nl addr;
	socklen_t alen;
	ssize_t len;

	do {
		alen = sizeof(addr);
		memset(&addr, 0, sizeof(addr));
		len = recvfrom(mnl_socket_get_fd(nl->sock), nl->rxbuf,
			       LC_NL_RXBUF_SIZE, MSG_DONTWAIT,
			       (struct sockaddr *)&addr, &alen);
	} while (len < 0 && errno == EINTR);
	if (len < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	/* A privileged process may send to our port id: only the kernel counts. */
	if (alen != sizeof(addr) || addr.nl_family != AF_NETLINK ||
	    addr.nl_pid != 0)
		return 0;
	return len;
}

struct nlmsghdr *lc_nl_genl_req(struct lc_nl *nl, uint16_t family_id,
				uint8_t cmd, uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	/* Sequence number 0 would turn off reply matching in libmnl. */
	if (++nl->seq == 0)
		nl->seq = 1;
	nlh = mnl_nlmsg_put_header(nl->txbuf);
	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/* Extended ack attributes, @offset bytes into the payload of @nlh. */
static int ext_attr_cb(const struct nlattr *attr, void *data)
{
	struct lc_nl_ext *ext = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(ext->msg, sizeof(ext->msg), "%s",
				 mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			ext->miss_type = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static void parse_ext(const struct nlmsghdr *nlh, size_t offset,
		      struct lc_nl_ext *ext)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (offset > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_parse(nlh, (unsigned int)offset, ext_attr_cb, ext);
}

int lc_nl_parse_error(const struct nlmsghdr *nlh, int *error,
		      struct lc_nl_ext *ext)
{
	const struct nlmsgerr *e;
	size_t offset = sizeof(*e);

	memset(ext, 0, sizeof(*ext));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
		return -EBADMSG;
	e = mnl_nlmsg_get_payload(nlh);
	/* Negative errno by convention; some senders use positive ones. */
	*error = e->error > 0 ? -e->error : e->error;
	/* Unless capped, our request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return 0;
		offset += MNL_ALIGN(e->msg.nlmsg_len - sizeof(struct nlmsghdr));
	}
	parse_ext(nlh, offset, ext);
	return 0;
}

int lc_nl_parse_done(const struct nlmsghdr *nlh, int *error,
		     struct lc_nl_ext *ext)
{
	int v;

	memset(ext, 0, sizeof(*ext));
	*error = 0;
	/* Very old kernels send an empty NLMSG_DONE. */
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(v))
		return 0;
	memcpy(&v, mnl_nlmsg_get_payload(nlh), sizeof(v));
	*error = v < 0 ? v : 0;
	parse_ext(nlh, sizeof(v), ext);
	return 0;
}

void lc_nl_rx_init(struct lc_nl_rx *rx, uint32_t portid, uint32_t seq,
		   lc_nl_cb_t cb, void *data, struct lc_nl_ext *ext)
{
	memset(rx, 0, sizeof(*rx));
	rx->portid = portid;
	rx->seq = seq;
	rx->cb = cb;
	rx->data = data;
	rx->ext = ext;
	memset(ext, 0, sizeof(*ext));
}

bool lc_nl_rx_feed(struct lc_nl_rx *rx, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int rem = len > INT_MAX ? INT_MAX : (int)len;
	int err;

	for (; !rx->finished && mnl_nlmsg_ok(nlh, rem);
	     nlh = mnl_nlmsg_next(nlh, &rem)) {
		/* Not an answer to this request (a stale one?): drop it. */
		if (!mnl_nlmsg_portid_ok(nlh, rx->portid) ||
		    !mnl_nlmsg_seq_ok(nlh, rx->seq))
			continue;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			rx->intr = true;

		switch (nlh->nlmsg_type) {
		case NLMSG_ERROR:
			err = lc_nl_parse_error(nlh, &rx->kernel_err, rx->ext);
			if (err)
				rx->kernel_err = err;
			rx->finished = true;
			break;
		case NLMSG_DONE:
			err = lc_nl_parse_done(nlh, &rx->kernel_err, rx->ext);
			if (err)
				rx->kernel_err = err;
			rx->finished = true;
			break;
		default:
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
				break;	/* NOOP, OVERRUN */
			/* After a failure, read on but ignore the rest. */
			if (rx->cb && !rx->cb_err)
				rx->cb_err = rx->cb(nlh, rx->data);
			break;
		}
	}
	return rx->finished;
}

int lc_nl_rx_result(const struct lc_nl_rx *rx)
{
	if (rx->kernel_err)
		return rx->kernel_err;
	if (rx->cb_err)
		return rx->cb_err;
	return rx->intr ? -EINTR : 0;
}

int lc_nl_talk(struct lc_nl *nl, struct nlmsghdr *req, lc_nl_cb_t cb,
	       void *data)
{
	struct lc_nl_rx rx;
	int err;

	lc_nl_rx_init(&rx, nl->portid, req->nlmsg_seq, cb, data, &nl->ext);
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	do {
		ssize_t len;

		len = mnl_socket_recvfrom(nl->sock, nl->rxbuf, LC_NL_RXBUF_SIZE);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		lc_nl_rx_feed(&rx, nl->rxbuf, (size_t)len);
	} while (!rx.finished);

	err = lc_nl_rx_result(&rx);
	/* An ack may carry a warning. */
	if (!rx.kernel_err && nl->ext.msg[0])
		fprintf(stderr, "Warning: %s\n", nl->ext.msg);
	return err;
}

struct attr_parse {
	const struct lc_nl_policy *policy;
	unsigned int maxtype;
	const struct nlattr **tb;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct attr_parse *p = data;
	uint16_t type = mnl_attr_get_type(attr);
	const struct lc_nl_policy *pol;

	if (type > p->maxtype)
		return MNL_CB_OK;
	pol = &p->policy[type];
	if (pol->type != MNL_TYPE_UNSPEC && mnl_attr_validate(attr, pol->type) < 0)
		return MNL_CB_ERROR;
	if (pol->maxlen && mnl_attr_get_payload_len(attr) > pol->maxlen)
		return MNL_CB_ERROR;
	p->tb[type] = attr;
	return MNL_CB_OK;
}

int lc_nl_parse_attrs(const struct nlmsghdr *nlh, size_t offset,
		      const struct lc_nl_policy *policy, unsigned int maxtype,
		      const struct nlattr **tb)
{
	struct attr_parse p = { policy, maxtype, tb };

	memset(tb, 0, (maxtype + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < offset)
		return -EBADMSG;
	if (mnl_attr_parse(nlh, (unsigned int)offset, attr_cb, &p) < 0)
		return -EBADMSG;
	return 0;
}

int lc_nl_parse_nested(const struct nlattr *nest,
		       const struct lc_nl_policy *policy, unsigned int maxtype,
		       const struct nlattr **tb)
{
	struct attr_parse p = { policy, maxtype, tb };

	memset(tb, 0, (maxtype + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, attr_cb, &p) < 0)
		return -EBADMSG;
	return 0;
}

int lc_nl_parse_genl(const struct nlmsghdr *nlh,
		     const struct lc_nl_policy *policy, unsigned int maxtype,
		     const struct nlattr **tb)
{
	return lc_nl_parse_attrs(nlh, GENL_HDRLEN, policy, maxtype, tb);
}

static const struct lc_nl_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID]	= { MNL_TYPE_U16, 0 },
	[CTRL_ATTR_FAMILY_NAME]	= { MNL_TYPE_NUL_STRING, GENL_NAMSIZ },
	[CTRL_ATTR_VERSION]	= { MNL_TYPE_U32, 0 },
	[CTRL_ATTR_HDRSIZE]	= { MNL_TYPE_U32, 0 },
	[CTRL_ATTR_MAXATTR]	= { MNL_TYPE_U32, 0 },
	[CTRL_ATTR_MCAST_GROUPS] = { MNL_TYPE_NESTED, 0 },
};

static const struct lc_nl_policy mcast_grp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME] = { MNL_TYPE_NUL_STRING, GENL_NAMSIZ },
	[CTRL_ATTR_MCAST_GRP_ID]   = { MNL_TYPE_U32, 0 },
};

static int parse_mcast_grps(const struct nlattr *nest,
			    struct lc_genl_family *fam)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	const struct nlattr *grp;
	int err;

	mnl_attr_for_each_nested(grp, nest) {
		if (fam->n_mcast_grps == LC_NL_MAX_MCAST_GRPS)
			break;
		err = lc_nl_parse_nested(grp, mcast_grp_policy,
					 CTRL_ATTR_MCAST_GRP_MAX, tb);
		if (err)
			return err;
		if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
			return -EBADMSG;
		snprintf(fam->mcast_grps[fam->n_mcast_grps].name, GENL_NAMSIZ,
			 "%s", mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]));
		fam->mcast_grps[fam->n_mcast_grps].id =
			mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
		fam->n_mcast_grps++;
	}
	return 0;
}

int lc_nl_parse_family(const struct nlmsghdr *nlh, struct lc_genl_family *fam)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	int err;

	memset(fam, 0, sizeof(*fam));
	err = lc_nl_parse_genl(nlh, ctrl_policy, CTRL_ATTR_MAX, tb);
	if (err)
		return err;
	if (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_FAMILY_NAME])
		return -EBADMSG;
	fam->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	snprintf(fam->name, sizeof(fam->name), "%s",
		 mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]));
	if (tb[CTRL_ATTR_VERSION])
		fam->version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_HDRSIZE])
		fam->hdrsize = mnl_attr_get_u32(tb[CTRL_ATTR_HDRSIZE]);
	if (tb[CTRL_ATTR_MAXATTR])
		fam->maxattr = mnl_attr_get_u32(tb[CTRL_ATTR_MAXATTR]);
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		return parse_mcast_grps(tb[CTRL_ATTR_MCAST_GROUPS], fam);
	return 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return lc_nl_parse_family(nlh, data);
}

int lc_nl_resolve(struct lc_nl *nl, const char *name,
		  struct lc_genl_family *fam)
{
	struct nlmsghdr *req;
	int err;

	memset(fam, 0, sizeof(*fam));
	if (strlen(name) >= GENL_NAMSIZ)
		return -EINVAL;
	req = lc_nl_genl_req(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(req, CTRL_ATTR_FAMILY_NAME, name);
	err = lc_nl_talk(nl, req, family_cb, fam);
	if (err)
		return err;
	/* An ack without a family, or the wrong one: not what we asked. */
	if (fam->id == 0 || strcmp(fam->name, name) != 0)
		return -EBADMSG;
	return 0;
}

int lc_nl_mcast_grp(const struct lc_genl_family *fam, const char *name,
		    uint32_t *id)
{
	unsigned int i;

	for (i = 0; i < fam->n_mcast_grps; i++) {
		if (!strcmp(fam->mcast_grps[i].name, name)) {
			*id = fam->mcast_grps[i].id;
			return 0;
		}
	}
	return -ENOENT;
}
