// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lc_nl.h"

int lc_nl_open(struct lc_nl *nl, int proto)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sk = mnl_socket_open(proto);
	if (!nl->sk)
		return -errno;
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one)) < 0 ||
	    mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one)) < 0) {
		int err = -errno;

		mnl_socket_close(nl->sk);
		nl->sk = NULL;
		return err;
	}
	nl->seq = (unsigned int)time(NULL);
	return 0;
}

void lc_nl_close(struct lc_nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

static int lc_nl_extack_cb(const struct nlattr *attr, void *data)
{
	struct lc_nl *nl = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(nl->extack, sizeof(nl->extack), "%s",
				 mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			nl->extack_off = (int)mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

/* NETLINK_CAP_ACK is set, so the error carries only the request's header. */
static int lc_nl_error(struct lc_nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return -EBADMSG;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, sizeof(*e), lc_nl_extack_cb, nl);
	return e->error;
}

/* A dump ends with NLMSG_DONE carrying its status; no ack follows. */
static int lc_nl_done(struct lc_nl *nl, const struct nlmsghdr *nlh)
{
	const int *status = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*status)))
		return 0;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, sizeof(*status), lc_nl_extack_cb, nl);
	return *status;
}

int lc_nl_talk(struct lc_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	/* The kernel sizes dump messages up to 32 KiB by the reader's buffer. */
	static char buf[32768];
	unsigned int portid = mnl_socket_get_portid(nl->sk);
	int len, ret;

	nl->extack[0] = '\0';
	nl->extack_off = -1;
	nlh->nlmsg_seq = ++nl->seq;
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;

	for (;;) {
		len = mnl_socket_recvfrom(nl->sk, buf, sizeof(buf));
		if (len < 0)
			return -errno;
		for (struct nlmsghdr *m = (struct nlmsghdr *)buf;
		     mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
			if (!mnl_nlmsg_portid_ok(m, portid) ||
			    !mnl_nlmsg_seq_ok(m, nl->seq))
				return -EPROTO;
			if (m->nlmsg_type == NLMSG_ERROR)
				return lc_nl_error(nl, m);
			if (m->nlmsg_type == NLMSG_DONE)
				return lc_nl_done(nl, m);
			if (cb) {
				ret = cb(m, data);
				if (ret <= MNL_CB_STOP)
					return ret == MNL_CB_ERROR ? -EBADMSG : 0;
			}
		}
	}
}

struct nlmsghdr *lc_rt_newlink_start(char *buf, const char *name, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nlh;
}

static int lc_rt_link(struct lc_nl *nl, const char *name, uint16_t flags,
		      int port, int cipher)
{
	char buf[LC_NL_BUFSZ];
	struct nlmsghdr *nlh = lc_rt_newlink_start(buf, name, flags);
	struct nlattr *linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	struct nlattr *data;

	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "linkcrypt");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	if (port >= 0)
		mnl_attr_put_u16(nlh, IFLA_LINKCRYPT_PORT, (uint16_t)port);
	if (cipher >= 0)
		mnl_attr_put_u16(nlh, IFLA_LINKCRYPT_CIPHER, (uint16_t)cipher);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return lc_nl_talk(nl, nlh, NULL, NULL);
}

static int lc_rt_link_attr(struct lc_nl *nl, const char *name, uint16_t flags,
			   uint16_t type, const void *val, size_t len)
{
	char buf[LC_NL_BUFSZ];
	struct nlmsghdr *nlh = lc_rt_newlink_start(buf, name, flags);
	struct nlattr *linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	struct nlattr *data;

	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "linkcrypt");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put(nlh, type, len, val);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return lc_nl_talk(nl, nlh, NULL, NULL);
}

int lc_rt_create_attr(struct lc_nl *nl, const char *name, uint16_t type,
		      const void *val, size_t len)
{
	return lc_rt_link_attr(nl, name, NLM_F_CREATE | NLM_F_EXCL, type, val, len);
}

int lc_rt_change_attr(struct lc_nl *nl, const char *name, uint16_t type,
		      const void *val, size_t len)
{
	return lc_rt_link_attr(nl, name, 0, type, val, len);
}

int lc_rt_create(struct lc_nl *nl, const char *name, int port, int cipher)
{
	return lc_rt_link(nl, name, NLM_F_CREATE | NLM_F_EXCL, port, cipher);
}

int lc_rt_change(struct lc_nl *nl, const char *name, int port, int cipher)
{
	return lc_rt_link(nl, name, 0, port, cipher);
}

int lc_rt_del(struct lc_nl *nl, const char *name)
{
	char buf[LC_NL_BUFSZ];
	struct nlmsghdr *nlh = lc_rt_newlink_start(buf, name, 0);

	nlh->nlmsg_type = RTM_DELLINK;
	return lc_nl_talk(nl, nlh, NULL, NULL);
}

int lc_rt_set_up(struct lc_nl *nl, const char *name, bool up)
{
	char buf[LC_NL_BUFSZ];
	struct nlmsghdr *nlh = lc_rt_newlink_start(buf, name, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return lc_nl_talk(nl, nlh, NULL, NULL);
}

int lc_rt_set_mtu(struct lc_nl *nl, const char *name, unsigned int mtu)
{
	char buf[LC_NL_BUFSZ];
	struct nlmsghdr *nlh = lc_rt_newlink_start(buf, name, 0);

	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return lc_nl_talk(nl, nlh, NULL, NULL);
}

static int lc_rt_data_cb(const struct nlattr *attr, void *data)
{
	struct lc_link_info *info = data;
	uint16_t type = mnl_attr_get_type(attr);

	/* A wrongly sized attribute stays "absent" (-1): the test sees it. */
	if (type == IFLA_LINKCRYPT_CRYPTO) {
		if (mnl_attr_validate(attr, MNL_TYPE_U8) == 0)
			info->crypto = mnl_attr_get_u8(attr);
		return MNL_CB_OK;
	}
	if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
		return MNL_CB_OK;
	if (type == IFLA_LINKCRYPT_PORT)
		info->port = mnl_attr_get_u16(attr);
	else if (type == IFLA_LINKCRYPT_CIPHER)
		info->cipher = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int lc_rt_linkinfo_cb(const struct nlattr *attr, void *data)
{
	struct lc_link_info *info = data;

	if (mnl_attr_get_type(attr) == IFLA_INFO_KIND)
		snprintf(info->kind, sizeof(info->kind), "%s", mnl_attr_get_str(attr));
	else if (mnl_attr_get_type(attr) == IFLA_INFO_DATA)
		mnl_attr_parse_nested(attr, lc_rt_data_cb, info);
	return MNL_CB_OK;
}

static int lc_rt_link_attr_cb(const struct nlattr *attr, void *data)
{
	struct lc_link_info *info = data;

	if (mnl_attr_get_type(attr) == IFLA_MTU)
		info->mtu = (int)mnl_attr_get_u32(attr);
	else if (mnl_attr_get_type(attr) == IFLA_LINKINFO)
		mnl_attr_parse_nested(attr, lc_rt_linkinfo_cb, info);
	return MNL_CB_OK;
}

static int lc_rt_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lc_link_info *info = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	info->ifindex = ifi->ifi_index;
	return mnl_attr_parse(nlh, sizeof(*ifi), lc_rt_link_attr_cb, info);
}

int lc_rt_get(struct lc_nl *nl, const char *name, struct lc_link_info *info)
{
	char buf[LC_NL_BUFSZ];
	struct nlmsghdr *nlh = lc_rt_newlink_start(buf, name, 0);

	memset(info, 0, sizeof(*info));
	info->port = -1;
	info->cipher = -1;
	info->crypto = -1;
	nlh->nlmsg_type = RTM_GETLINK;
	return lc_nl_talk(nl, nlh, lc_rt_get_cb, info);
}

static int lc_genl_family_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int lc_genl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr),
			      lc_genl_family_attr_cb, data);
}

int lc_genl_resolve(struct lc_nl *nl)
{
	char buf[LC_NL_BUFSZ];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, LINKCRYPT_GENL_NAME);
	return lc_nl_talk(nl, nlh, lc_genl_family_cb, &nl->genl_id);
}

struct nlmsghdr *lc_genl_start(struct lc_nl *nl, char *buf, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = nl->genl_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = LINKCRYPT_GENL_VERSION;
	return nlh;
}
