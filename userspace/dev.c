// SPDX-License-Identifier: GPL-2.0
/* linkcrypt devices; see dev.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/linkcrypt.h>

#include "dev.h"
#include "family.h"

/* Tries of a dump the kernel flags as inconsistent (NLM_F_DUMP_INTR). */
#define LC_DUMP_TRIES 5

static const struct lc_nl_policy dev_policy[LINKCRYPT_A_DEV_MAX + 1] = {
	[LINKCRYPT_A_DEV_IFINDEX]	= { MNL_TYPE_U32, 0 },
	[LINKCRYPT_A_DEV_IFNAME]	= { MNL_TYPE_NUL_STRING, IFNAMSIZ },
	[LINKCRYPT_A_DEV_PORT]		= { MNL_TYPE_U16, 0 },
	[LINKCRYPT_A_DEV_CIPHER]	= { MNL_TYPE_U16, 0 },
	[LINKCRYPT_A_DEV_MTU]		= { MNL_TYPE_U32, 0 },
	[LINKCRYPT_A_DEV_STATS]		= { MNL_TYPE_NESTED, 0 },
	[LINKCRYPT_A_DEV_PEERS]		= { MNL_TYPE_U32, 0 },
	[LINKCRYPT_A_DEV_CRYPTO]	= { MNL_TYPE_U8, 0 },
};

_Static_assert(LINKCRYPT_A_DEV_MAX < 32, "lc_dev.present is too small");

int lc_dev_parse(const struct nlmsghdr *nlh, struct lc_dev *dev)
{
	const struct nlattr *tb[LINKCRYPT_A_DEV_MAX + 1];
	unsigned int i;
	int err;

	memset(dev, 0, sizeof(*dev));
	err = lc_nl_parse_genl(nlh, dev_policy, LINKCRYPT_A_DEV_MAX, tb);
	if (err)
		return err;
	if (!tb[LINKCRYPT_A_DEV_IFINDEX] || !tb[LINKCRYPT_A_DEV_IFNAME])
		return -EBADMSG;

	for (i = 0; i <= LINKCRYPT_A_DEV_MAX; i++) {
		if (tb[i])
			dev->present |= 1u << i;
	}
	dev->ifindex = mnl_attr_get_u32(tb[LINKCRYPT_A_DEV_IFINDEX]);
	/* NUL-terminated within IFNAMSIZ: checked by the policy. */
	memcpy(dev->ifname, mnl_attr_get_str(tb[LINKCRYPT_A_DEV_IFNAME]),
	       mnl_attr_get_payload_len(tb[LINKCRYPT_A_DEV_IFNAME]));
	if (tb[LINKCRYPT_A_DEV_PORT])
		dev->port = mnl_attr_get_u16(tb[LINKCRYPT_A_DEV_PORT]);
	if (tb[LINKCRYPT_A_DEV_CIPHER])
		dev->cipher = mnl_attr_get_u16(tb[LINKCRYPT_A_DEV_CIPHER]);
	if (tb[LINKCRYPT_A_DEV_MTU])
		dev->mtu = mnl_attr_get_u32(tb[LINKCRYPT_A_DEV_MTU]);
	if (tb[LINKCRYPT_A_DEV_PEERS])
		dev->n_peers = mnl_attr_get_u32(tb[LINKCRYPT_A_DEV_PEERS]);
	if (tb[LINKCRYPT_A_DEV_CRYPTO])
		dev->crypto = mnl_attr_get_u8(tb[LINKCRYPT_A_DEV_CRYPTO]);
	if (tb[LINKCRYPT_A_DEV_STATS])
		return lc_stats_parse(tb[LINKCRYPT_A_DEV_STATS], &dev->stats);
	return 0;
}

const char *lc_dev_crypto_str(unsigned int mode, char *buf, size_t len)
{
	switch (mode) {
	case LINKCRYPT_CRYPTO_PARALLEL:
		snprintf(buf, len, "parallel");
		break;
	case LINKCRYPT_CRYPTO_INLINE:
		snprintf(buf, len, "inline");
		break;
	default:
		snprintf(buf, len, "unknown(%u)", mode);
		break;
	}
	return buf;
}

int lc_dev_list_add(struct lc_dev_list *list, const struct lc_dev *dev)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 8;
		struct lc_dev *devs;

		devs = realloc(list->devs, cap * sizeof(*devs));
		if (!devs) {
			struct lc_peer_list peers = dev->peers;

			lc_peer_list_free(&peers);
			return -ENOMEM;
		}
		list->devs = devs;
		list->cap = cap;
	}
	list->devs[list->n++] = *dev;
	return 0;
}

void lc_dev_list_remove(struct lc_dev_list *list, size_t i)
{
	lc_peer_list_free(&list->devs[i].peers);
	memmove(&list->devs[i], &list->devs[i + 1],
		(list->n - i - 1) * sizeof(*list->devs));
	list->n--;
}

void lc_dev_list_free(struct lc_dev_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		lc_peer_list_free(&list->devs[i].peers);
	free(list->devs);
	memset(list, 0, sizeof(*list));
}

static int dev_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct lc_dev dev;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -EBADMSG;
	if (genl->cmd != LINKCRYPT_CMD_DEV_GET)
		return 0;
	err = lc_dev_parse(nlh, &dev);
	if (err)
		return err;
	return lc_dev_list_add(data, &dev);
}

int lc_dev_get(struct lc_conn *c, const struct lc_dev_sel *sel,
	       struct lc_dev_list *list)
{
	size_t n0 = list->n;
	struct nlmsghdr *req;
	int tries = 0;
	int err;

	if (sel->ifname || sel->ifindex) {
		req = lc_req(c, LINKCRYPT_CMD_DEV_GET, 0);
		if (sel->ifname)
			mnl_attr_put_strz(req, LINKCRYPT_A_DEV_IFNAME, sel->ifname);
		else
			mnl_attr_put_u32(req, LINKCRYPT_A_DEV_IFINDEX, sel->ifindex);
		return lc_nl_talk(&c->nl, req, dev_cb, list);
	}

	do {
		/* Forget a previous, inconsistent try. */
		while (list->n > n0)
			lc_dev_list_remove(list, list->n - 1);
		req = lc_req(c, LINKCRYPT_CMD_DEV_GET, NLM_F_DUMP);
		err = lc_nl_talk(&c->nl, req, dev_cb, list);
	} while (err == -EINTR && ++tries < LC_DUMP_TRIES);
	return err;
}
