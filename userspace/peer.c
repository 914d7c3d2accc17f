// SPDX-License-Identifier: GPL-2.0
/* Peers as the kernel reports them; see peer.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/linkcrypt.h>

#include "family.h"
#include "peer.h"

/* Tries of a dump the kernel flags as inconsistent (NLM_F_DUMP_INTR). */
#define LC_DUMP_TRIES 5

_Static_assert(LINKCRYPT_A_PEER_MAX < 32, "lc_peer.present is too small");

/* KEY and MACS are nests walked separately; KEY repeats. */
static const struct lc_nl_policy peer_policy[LINKCRYPT_A_PEER_MAX + 1] = {
	[LINKCRYPT_A_PEER_ID]		= { MNL_TYPE_U32, 0 },
	[LINKCRYPT_A_PEER_REMOTE_ID]	= { MNL_TYPE_U32, 0 },
	[LINKCRYPT_A_PEER_ENDPOINT_IP4]	= { MNL_TYPE_U32, 0 },
	[LINKCRYPT_A_PEER_ENDPOINT_IP6]	= { MNL_TYPE_BINARY, 16 },
	[LINKCRYPT_A_PEER_ENDPOINT_PORT] = { MNL_TYPE_U16, 0 },
	[LINKCRYPT_A_PEER_MACS]		= { MNL_TYPE_NESTED, 0 },
	[LINKCRYPT_A_PEER_KEY]		= { MNL_TYPE_NESTED, 0 },
	[LINKCRYPT_A_PEER_STATS]	= { MNL_TYPE_NESTED, 0 },
	[LINKCRYPT_A_PEER_LAST_RX_MSECS] = { MNL_TYPE_U64, 0 },
};

/*
 * @arr (of *@cap elements of @size), grown if needed to hold one more than
 * @n; NULL if out of memory (@arr is then still valid).
 */
static void *grow(void *arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return arr;
	ncap = *cap ? 2 * *cap : 4;
	p = realloc(arr, ncap * size);
	if (p)
		*cap = ncap;
	return p;
}

static int parse_macs(const struct nlattr *nest, struct lc_peer *peer)
{
	const struct nlattr *attr;
	struct lc_mac *macs;
	size_t cap = 0;

	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != LINKCRYPT_A_MAC_ADDR)
			continue;
		if (mnl_attr_get_payload_len(attr) != LC_MAC_LEN)
			return -EBADMSG;
		macs = grow(peer->macs, &cap, peer->n_macs, sizeof(*macs));
		if (!macs)
			return -ENOMEM;
		peer->macs = macs;
		memcpy(peer->macs[peer->n_macs++].a, mnl_attr_get_payload(attr),
		       LC_MAC_LEN);
	}
	return 0;
}

static int parse_keys(const struct nlattr *nest, struct lc_peer *peer)
{
	const struct nlattr *attr;
	struct lc_key *keys;
	size_t cap = 0;
	int err;

	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) != LINKCRYPT_A_PEER_KEY)
			continue;
		keys = grow(peer->keys, &cap, peer->n_keys, sizeof(*keys));
		if (!keys)
			return -ENOMEM;
		peer->keys = keys;
		err = lc_key_parse(attr, &peer->keys[peer->n_keys]);
		if (err)
			return err;
		peer->n_keys++;
	}
	return 0;
}

/* TX before RX, primary before secondary: output that reads the same. */
static int key_cmp(const void *a, const void *b)
{
	const struct lc_key *ka = a, *kb = b;
	unsigned int i;

	for (i = LINKCRYPT_A_KEY_DIR; i <= LINKCRYPT_A_KEY_SLOT; i++) {
		if (ka->v[i] != kb->v[i])
			return ka->v[i] < kb->v[i] ? -1 : 1;
	}
	return 0;
}

int lc_peer_parse(const struct nlattr *nest, struct lc_peer *peer)
{
	const struct nlattr *tb[LINKCRYPT_A_PEER_MAX + 1];
	unsigned int i;
	int err;

	memset(peer, 0, sizeof(*peer));
	err = lc_nl_parse_nested(nest, peer_policy, LINKCRYPT_A_PEER_MAX, tb);
	if (err)
		return err;
	if (!tb[LINKCRYPT_A_PEER_ID])
		return -EBADMSG;
	for (i = 0; i <= LINKCRYPT_A_PEER_MAX; i++) {
		if (tb[i])
			peer->present |= 1u << i;
	}
	peer->id = mnl_attr_get_u32(tb[LINKCRYPT_A_PEER_ID]);
	if (tb[LINKCRYPT_A_PEER_REMOTE_ID])
		peer->remote_id = mnl_attr_get_u32(tb[LINKCRYPT_A_PEER_REMOTE_ID]);
	/* One of the two addresses, never both: IPv4 wins if both came. */
	if (tb[LINKCRYPT_A_PEER_ENDPOINT_IP4]) {
		peer->ep.family = AF_INET;
		memcpy(&peer->ep.addr.v4,
		       mnl_attr_get_payload(tb[LINKCRYPT_A_PEER_ENDPOINT_IP4]), 4);
	} else if (tb[LINKCRYPT_A_PEER_ENDPOINT_IP6]) {
		if (mnl_attr_get_payload_len(tb[LINKCRYPT_A_PEER_ENDPOINT_IP6]) != 16)
			return -EBADMSG;
		peer->ep.family = AF_INET6;
		memcpy(&peer->ep.addr.v6,
		       mnl_attr_get_payload(tb[LINKCRYPT_A_PEER_ENDPOINT_IP6]), 16);
	}
	if (tb[LINKCRYPT_A_PEER_ENDPOINT_PORT])
		peer->ep.port = mnl_attr_get_u16(tb[LINKCRYPT_A_PEER_ENDPOINT_PORT]);
	if (tb[LINKCRYPT_A_PEER_LAST_RX_MSECS])
		peer->last_rx_msecs =
			mnl_attr_get_u64(tb[LINKCRYPT_A_PEER_LAST_RX_MSECS]);
	if (tb[LINKCRYPT_A_PEER_STATS]) {
		err = lc_stats_parse(tb[LINKCRYPT_A_PEER_STATS], &peer->stats);
		if (err)
			return err;
	}
	if (tb[LINKCRYPT_A_PEER_MACS]) {
		err = parse_macs(tb[LINKCRYPT_A_PEER_MACS], peer);
		if (err)
			return err;
	}
	/* Every key nest, not only the last one in tb[]. */
	err = parse_keys(nest, peer);
	if (err)
		return err;
	if (peer->n_keys > 1)
		qsort(peer->keys, peer->n_keys, sizeof(*peer->keys), key_cmp);
	return 0;
}

void lc_peer_free(struct lc_peer *peer)
{
	free(peer->macs);
	free(peer->keys);
	memset(peer, 0, sizeof(*peer));
}

static const struct lc_nl_policy msg_policy[LINKCRYPT_A_DEV_MAX + 1] = {
	[LINKCRYPT_A_DEV_IFINDEX]	= { MNL_TYPE_U32, 0 },
	[LINKCRYPT_A_DEV_PEER]		= { MNL_TYPE_NESTED, 0 },
};

int lc_peer_parse_msg(const struct nlmsghdr *nlh, struct lc_peer *peer,
		      uint32_t *ifindex)
{
	const struct nlattr *tb[LINKCRYPT_A_DEV_MAX + 1];
	int err;

	memset(peer, 0, sizeof(*peer));
	err = lc_nl_parse_genl(nlh, msg_policy, LINKCRYPT_A_DEV_MAX, tb);
	if (err)
		return err;
	if (!tb[LINKCRYPT_A_DEV_PEER])
		return -EBADMSG;
	if (ifindex)
		*ifindex = tb[LINKCRYPT_A_DEV_IFINDEX] ?
			   mnl_attr_get_u32(tb[LINKCRYPT_A_DEV_IFINDEX]) : 0;
	return lc_peer_parse(tb[LINKCRYPT_A_DEV_PEER], peer);
}

int lc_peer_list_add(struct lc_peer_list *list, struct lc_peer *peer)
{
	struct lc_peer *peers;

	peers = grow(list->peers, &list->cap, list->n, sizeof(*peers));
	if (!peers) {
		lc_peer_free(peer);
		return -ENOMEM;
	}
	list->peers = peers;
	list->peers[list->n++] = *peer;
	memset(peer, 0, sizeof(*peer));
	return 0;
}

static void list_truncate(struct lc_peer_list *list, size_t n)
{
	while (list->n > n)
		lc_peer_free(&list->peers[--list->n]);
}

void lc_peer_list_free(struct lc_peer_list *list)
{
	list_truncate(list, 0);
	free(list->peers);
	memset(list, 0, sizeof(*list));
}

static int peer_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct lc_peer peer;
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -EBADMSG;
	if (genl->cmd != LINKCRYPT_CMD_PEER_GET)
		return 0;
	err = lc_peer_parse_msg(nlh, &peer, NULL);
	if (err) {
		lc_peer_free(&peer);
		return err;
	}
	return lc_peer_list_add(data, &peer);
}

struct nlmsghdr *lc_peer_get_req(struct lc_conn *c,
				 const struct lc_peer_sel *sel)
{
	struct nlmsghdr *req;
	struct nlattr *nest;

	req = lc_req(c, LINKCRYPT_CMD_PEER_GET, sel->id ? 0 : NLM_F_DUMP);
	lc_put_dev(req, sel->ifname, sel->ifindex);
	if (sel->id) {
		nest = mnl_attr_nest_start(req, LINKCRYPT_A_DEV_PEER);
		mnl_attr_put_u32(req, LINKCRYPT_A_PEER_ID, sel->id);
		mnl_attr_nest_end(req, nest);
	}
	return req;
}

int lc_peer_get(struct lc_conn *c, const struct lc_peer_sel *sel,
		struct lc_peer_list *list)
{
	size_t n0 = list->n;
	int tries = 0;
	int err;

	do {
		list_truncate(list, n0);	/* forget an inconsistent try */
		err = lc_nl_talk(&c->nl, lc_peer_get_req(c, sel), peer_cb, list);
	} while (err == -EINTR && !sel->id && ++tries < LC_DUMP_TRIES);
	if (err)
		list_truncate(list, n0);
	return err;
}
