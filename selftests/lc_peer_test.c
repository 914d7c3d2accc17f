// SPDX-License-Identifier: GPL-2.0
/*
 * Peers and keys over generic netlink: every request validated, every
 * refusal explained, nothing half applied, key material never read back.
 * Every test runs in a network namespace of its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"
#include "lc_nl.h"

static const uint8_t material[LINKCRYPT_MATERIAL_LEN] = {
	0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc,
	0xdd, 0xee, 0xf0, 0x01, 0x12, 0x23, 0x34, 0x45, 0x56, 0x67, 0x78, 0x89,
	0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef, 0xf1, 0x02, 0xca, 0xfe, 0xf0, 0x0d,
};

/* What a PEER_GET reply said, and whether the material came back. */
struct peer_seen {
	int count;
	uint32_t id, remote_id;
	uint16_t port;
	uint32_t ip4;
	int nmacs;
	int nkeys;
	int key_dir[4], key_slot[4], key_id[4];
	int saw_material;
	int has_stats;
};

/* Peer request under construction: device name + LINKCRYPT_A_DEV_PEER. */
struct req {
	char buf[LC_NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct nlattr *peer;
};

static void req_start(struct lc_nl *gn, struct req *r, uint8_t cmd, uint16_t flags)
{
	r->nlh = lc_genl_start(gn, r->buf, cmd, flags);
	mnl_attr_put_strz(r->nlh, LINKCRYPT_A_DEV_IFNAME, "lc0");
	r->peer = mnl_attr_nest_start(r->nlh, LINKCRYPT_A_DEV_PEER);
}

static int req_send(struct lc_nl *gn, struct req *r, mnl_cb_t cb, void *data)
{
	mnl_attr_nest_end(r->nlh, r->peer);
	return lc_nl_talk(gn, r->nlh, cb, data);
}

static int peer_add(struct lc_nl *gn, uint32_t id, uint32_t remote, const char *ip4,
		    uint16_t port)
{
	struct req r;
	struct in_addr a;

	req_start(gn, &r, LINKCRYPT_CMD_PEER_NEW, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, id);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_REMOTE_ID, remote);
	inet_pton(AF_INET, ip4, &a);
	mnl_attr_put(r.nlh, LINKCRYPT_A_PEER_ENDPOINT_IP4, sizeof(a), &a);
	mnl_attr_put_u16(r.nlh, LINKCRYPT_A_PEER_ENDPOINT_PORT, port);
	return req_send(gn, &r, NULL, NULL);
}

static int key_cmd(struct lc_nl *gn, uint8_t cmd, uint32_t peer, int dir, int slot,
		   int id, const uint8_t *mat, size_t matlen)
{
	struct nlattr *k;
	struct req r;

	req_start(gn, &r, cmd, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, peer);
	k = mnl_attr_nest_start(r.nlh, LINKCRYPT_A_PEER_KEY);
	if (dir >= 0)
		mnl_attr_put_u8(r.nlh, LINKCRYPT_A_KEY_DIR, (uint8_t)dir);
	if (slot >= 0)
		mnl_attr_put_u8(r.nlh, LINKCRYPT_A_KEY_SLOT, (uint8_t)slot);
	if (id >= 0)
		mnl_attr_put_u8(r.nlh, LINKCRYPT_A_KEY_ID, (uint8_t)id);
	if (mat)
		mnl_attr_put(r.nlh, LINKCRYPT_A_KEY_MATERIAL, matlen, mat);
	mnl_attr_nest_end(r.nlh, k);
	return req_send(gn, &r, NULL, NULL);
}

static int key_add(struct lc_nl *gn, uint32_t peer, int dir, int slot, int id)
{
	return key_cmd(gn, LINKCRYPT_CMD_KEY_NEW, peer, dir, slot, id, material,
		       sizeof(material));
}

static int key_attr_cb(const struct nlattr *attr, void *data)
{
	struct peer_seen *s = data;
	int i = s->nkeys;

	switch (mnl_attr_get_type(attr)) {
	case LINKCRYPT_A_KEY_DIR:
		s->key_dir[i] = mnl_attr_get_u8(attr);
		break;
	case LINKCRYPT_A_KEY_SLOT:
		s->key_slot[i] = mnl_attr_get_u8(attr);
		break;
	case LINKCRYPT_A_KEY_ID:
		s->key_id[i] = mnl_attr_get_u8(attr);
		break;
	case LINKCRYPT_A_KEY_MATERIAL:
		s->saw_material = 1;
		break;
	}
	return MNL_CB_OK;
}

static int peer_attr_cb(const struct nlattr *attr, void *data)
{
	struct peer_seen *s = data;
	const struct nlattr *m;

	switch (mnl_attr_get_type(attr)) {
	case LINKCRYPT_A_PEER_ID:
		s->id = mnl_attr_get_u32(attr);
		break;
	case LINKCRYPT_A_PEER_REMOTE_ID:
		s->remote_id = mnl_attr_get_u32(attr);
		break;
	case LINKCRYPT_A_PEER_ENDPOINT_IP4:
		memcpy(&s->ip4, mnl_attr_get_payload(attr), 4);
		break;
	case LINKCRYPT_A_PEER_ENDPOINT_PORT:
		s->port = mnl_attr_get_u16(attr);
		break;
	case LINKCRYPT_A_PEER_MACS:
		mnl_attr_for_each_nested(m, attr)
			s->nmacs++;
		break;
	case LINKCRYPT_A_PEER_STATS:
		s->has_stats = 1;
		break;
	case LINKCRYPT_A_PEER_KEY:
		if (s->nkeys < 4) {
			mnl_attr_parse_nested(attr, key_attr_cb, s);
			s->nkeys++;
		}
		break;
	}
	return MNL_CB_OK;
}

static int top_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == LINKCRYPT_A_DEV_PEER)
		return mnl_attr_parse_nested(attr, peer_attr_cb, data);
	return MNL_CB_OK;
}

static int peer_cb(const struct nlmsghdr *nlh, void *data)
{
	struct peer_seen *s = data;

	s->count++;
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), top_attr_cb, data);
}

static int peer_get(struct lc_nl *gn, uint32_t id, struct peer_seen *s)
{
	struct req r;

	memset(s, 0, sizeof(*s));
	req_start(gn, &r, LINKCRYPT_CMD_PEER_GET, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, id);
	return req_send(gn, &r, peer_cb, s);
}

#define ASSERT_EXTACK(nl, ret, err, msg) do {					\
	ASSERT_EQ(-(err), ret) TH_LOG("extack: %s", (nl)->extack);		\
	ASSERT_NE(NULL, strstr((nl)->extack, msg))				\
		TH_LOG("extack \"%s\" lacks \"%s\"", (nl)->extack, msg);	\
} while (0)

FIXTURE(peer) {
	struct lc_nl rt;
	struct lc_nl gn;
};

FIXTURE_SETUP(peer)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, lc_nl_open(&self->rt, NETLINK_ROUTE));
	ASSERT_EQ(0, lc_nl_open(&self->gn, NETLINK_GENERIC));
	ASSERT_EQ(0, lc_genl_resolve(&self->gn));
	ASSERT_EQ(0, lc_rt_create(&self->rt, "lc0", -1, -1));
}

FIXTURE_TEARDOWN(peer)
{
	lc_nl_close(&self->gn);
	lc_nl_close(&self->rt);
}

TEST_F(peer, add_get_del)
{
	struct peer_seen s;

	ASSERT_EQ(0, peer_add(&self->gn, 1, 7, "192.0.2.2", 7788)) TH_LOG("%s", self->gn.extack);
	ASSERT_EQ(0, peer_get(&self->gn, 1, &s));
	ASSERT_EQ(1, s.count);
	EXPECT_EQ(1, s.id);
	EXPECT_EQ(7, s.remote_id);
	EXPECT_EQ(7788, s.port);
	EXPECT_EQ(htonl(0xc0000202), s.ip4);
	EXPECT_EQ(1, s.has_stats);

	{
		struct req r;

		req_start(&self->gn, &r, LINKCRYPT_CMD_PEER_DEL, 0);
		mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, 1);
		ASSERT_EQ(0, req_send(&self->gn, &r, NULL, NULL));
	}
	ASSERT_EXTACK(&self->gn, peer_get(&self->gn, 1, &s), ENOENT, "no peer with this id");
}

TEST_F(peer, add_refusals)
{
	struct in_addr a = { htonl(0xc0000202) };
	struct in6_addr a6 = IN6ADDR_LOOPBACK_INIT;
	struct req r;

	/* duplicate id */
	ASSERT_EQ(0, peer_add(&self->gn, 1, 7, "192.0.2.2", 7788));
	ASSERT_EXTACK(&self->gn, peer_add(&self->gn, 1, 8, "192.0.2.3", 7788), EEXIST,
		      "a peer with this id exists");
	/* id 0 */
	ASSERT_EQ(-ERANGE, peer_add(&self->gn, 0, 7, "192.0.2.2", 7788));
	/* no remote id */
	req_start(&self->gn, &r, LINKCRYPT_CMD_PEER_NEW, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, 2);
	mnl_attr_put(r.nlh, LINKCRYPT_A_PEER_ENDPOINT_IP4, 4, &a);
	mnl_attr_put_u16(r.nlh, LINKCRYPT_A_PEER_ENDPOINT_PORT, 7788);
	ASSERT_EXTACK(&self->gn, req_send(&self->gn, &r, NULL, NULL), EINVAL, "remote id");
	/* no endpoint */
	req_start(&self->gn, &r, LINKCRYPT_CMD_PEER_NEW, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, 2);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_REMOTE_ID, 2);
	ASSERT_EXTACK(&self->gn, req_send(&self->gn, &r, NULL, NULL), EINVAL, "endpoint");
	/* both address families */
	req_start(&self->gn, &r, LINKCRYPT_CMD_PEER_NEW, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, 2);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_REMOTE_ID, 2);
	mnl_attr_put(r.nlh, LINKCRYPT_A_PEER_ENDPOINT_IP4, 4, &a);
	mnl_attr_put(r.nlh, LINKCRYPT_A_PEER_ENDPOINT_IP6, 16, &a6);
	mnl_attr_put_u16(r.nlh, LINKCRYPT_A_PEER_ENDPOINT_PORT, 7788);
	ASSERT_EXTACK(&self->gn, req_send(&self->gn, &r, NULL, NULL), EINVAL, "one endpoint");
	/* address without port */
	req_start(&self->gn, &r, LINKCRYPT_CMD_PEER_NEW, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, 2);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_REMOTE_ID, 2);
	mnl_attr_put(r.nlh, LINKCRYPT_A_PEER_ENDPOINT_IP4, 4, &a);
	ASSERT_EXTACK(&self->gn, req_send(&self->gn, &r, NULL, NULL), EINVAL, "port");
	/* multicast endpoint */
	ASSERT_EXTACK(&self->gn, peer_add(&self->gn, 2, 2, "224.0.0.1", 7788), EINVAL,
		      "unicast");
	/* truncated address */
	req_start(&self->gn, &r, LINKCRYPT_CMD_PEER_NEW, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, 2);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_REMOTE_ID, 2);
	mnl_attr_put(r.nlh, LINKCRYPT_A_PEER_ENDPOINT_IP4, 3, &a);
	mnl_attr_put_u16(r.nlh, LINKCRYPT_A_PEER_ENDPOINT_PORT, 7788);
	ASSERT_NE(0, req_send(&self->gn, &r, NULL, NULL));
	/* read-only attribute in a request */
	req_start(&self->gn, &r, LINKCRYPT_CMD_PEER_NEW, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, 2);
	mnl_attr_put_u64(r.nlh, LINKCRYPT_A_PEER_LAST_RX_MSECS, 1);
	ASSERT_EXTACK(&self->gn, req_send(&self->gn, &r, NULL, NULL), EINVAL, "read-only");
	/* nothing of the refused requests stayed */
	{
		struct peer_seen s;

		ASSERT_EQ(-ENOENT, peer_get(&self->gn, 2, &s));
	}
}

TEST_F(peer, static_macs)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x42 };
	static const uint8_t mcast[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
	struct peer_seen s;
	struct nlattr *macs;
	struct req r;

	ASSERT_EQ(0, peer_add(&self->gn, 1, 7, "192.0.2.2", 7788));
	ASSERT_EQ(0, peer_add(&self->gn, 2, 7, "192.0.2.3", 7788));

	req_start(&self->gn, &r, LINKCRYPT_CMD_PEER_SET, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, 1);
	macs = mnl_attr_nest_start(r.nlh, LINKCRYPT_A_PEER_MACS);
	mnl_attr_put(r.nlh, LINKCRYPT_A_MAC_ADDR, 6, mac);
	mnl_attr_nest_end(r.nlh, macs);
	ASSERT_EQ(0, req_send(&self->gn, &r, NULL, NULL)) TH_LOG("%s", self->gn.extack);
	ASSERT_EQ(0, peer_get(&self->gn, 1, &s));
	ASSERT_EQ(1, s.nmacs);

	/* Another peer may not claim it, and its other changes don't happen. */
	req_start(&self->gn, &r, LINKCRYPT_CMD_PEER_SET, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, 2);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_REMOTE_ID, 99);
	macs = mnl_attr_nest_start(r.nlh, LINKCRYPT_A_PEER_MACS);
	mnl_attr_put(r.nlh, LINKCRYPT_A_MAC_ADDR, 6, mac);
	mnl_attr_nest_end(r.nlh, macs);
	ASSERT_EXTACK(&self->gn, req_send(&self->gn, &r, NULL, NULL), EEXIST,
		      "static for another peer");
	ASSERT_EQ(0, peer_get(&self->gn, 2, &s));
	EXPECT_EQ(7, s.remote_id);
	EXPECT_EQ(0, s.nmacs);

	/* Multicast is no station address. */
	req_start(&self->gn, &r, LINKCRYPT_CMD_PEER_SET, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, 2);
	macs = mnl_attr_nest_start(r.nlh, LINKCRYPT_A_PEER_MACS);
	mnl_attr_put(r.nlh, LINKCRYPT_A_MAC_ADDR, 6, mcast);
	mnl_attr_nest_end(r.nlh, macs);
	ASSERT_EXTACK(&self->gn, req_send(&self->gn, &r, NULL, NULL), EINVAL, "unicast");

	/* An empty list clears. */
	req_start(&self->gn, &r, LINKCRYPT_CMD_PEER_SET, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, 1);
	macs = mnl_attr_nest_start(r.nlh, LINKCRYPT_A_PEER_MACS);
	mnl_attr_nest_end(r.nlh, macs);
	ASSERT_EQ(0, req_send(&self->gn, &r, NULL, NULL));
	ASSERT_EQ(0, peer_get(&self->gn, 1, &s));
	EXPECT_EQ(0, s.nmacs);
}

TEST_F(peer, keys_slots_and_swap)
{
	struct peer_seen s;

	ASSERT_EQ(0, peer_add(&self->gn, 1, 7, "192.0.2.2", 7788));
	ASSERT_EQ(0, key_add(&self->gn, 1, LINKCRYPT_KEY_DIR_TX, -1, 3)) TH_LOG("%s", self->gn.extack);
	ASSERT_EXTACK(&self->gn, key_add(&self->gn, 1, LINKCRYPT_KEY_DIR_TX, 0, 4), EEXIST,
		      "slot holds a key");
	ASSERT_EQ(0, key_add(&self->gn, 1, LINKCRYPT_KEY_DIR_TX, 1, 4));
	ASSERT_EQ(0, key_add(&self->gn, 1, LINKCRYPT_KEY_DIR_RX, 0, 5));
	ASSERT_EXTACK(&self->gn, key_add(&self->gn, 1, LINKCRYPT_KEY_DIR_RX, 1, 5), EEXIST,
		      "other RX slot");

	ASSERT_EQ(0, peer_get(&self->gn, 1, &s));
	ASSERT_EQ(3, s.nkeys);
	EXPECT_EQ(0, s.saw_material);
	/* TX primary id 3, TX secondary id 4 */
	for (int i = 0; i < s.nkeys; i++)
		if (s.key_dir[i] == LINKCRYPT_KEY_DIR_TX)
			EXPECT_EQ(s.key_slot[i] ? 4 : 3, s.key_id[i]);

	ASSERT_EQ(0, key_cmd(&self->gn, LINKCRYPT_CMD_KEY_SWAP, 1, LINKCRYPT_KEY_DIR_TX,
			     -1, -1, NULL, 0));
	ASSERT_EQ(0, peer_get(&self->gn, 1, &s));
	for (int i = 0; i < s.nkeys; i++)
		if (s.key_dir[i] == LINKCRYPT_KEY_DIR_TX)
			EXPECT_EQ(s.key_slot[i] ? 3 : 4, s.key_id[i]);

	ASSERT_EXTACK(&self->gn, key_cmd(&self->gn, LINKCRYPT_CMD_KEY_SWAP, 1,
					 LINKCRYPT_KEY_DIR_RX, -1, -1, NULL, 0),
		      ENOENT, "no secondary key");
	ASSERT_EQ(0, key_cmd(&self->gn, LINKCRYPT_CMD_KEY_DEL, 1, LINKCRYPT_KEY_DIR_TX,
			     1, -1, NULL, 0));
	ASSERT_EXTACK(&self->gn, key_cmd(&self->gn, LINKCRYPT_CMD_KEY_DEL, 1,
					 LINKCRYPT_KEY_DIR_TX, 1, -1, NULL, 0),
		      ENOENT, "no key in this slot");
	ASSERT_EQ(0, peer_get(&self->gn, 1, &s));
	EXPECT_EQ(2, s.nkeys);
}

TEST_F(peer, key_refusals)
{
	uint64_t pkts = 5;
	struct nlattr *k;
	struct req r;

	ASSERT_EQ(0, peer_add(&self->gn, 1, 7, "192.0.2.2", 7788));
	/* unknown peer */
	ASSERT_EXTACK(&self->gn, key_add(&self->gn, 9, LINKCRYPT_KEY_DIR_TX, -1, 1), ENOENT,
		      "no peer with this id");
	/* no direction */
	ASSERT_EXTACK(&self->gn, key_add(&self->gn, 1, -1, -1, 1), EINVAL, "direction");
	/* bad direction and slot */
	ASSERT_EQ(-ERANGE, key_add(&self->gn, 1, 3, -1, 1));
	ASSERT_EQ(-ERANGE, key_add(&self->gn, 1, LINKCRYPT_KEY_DIR_TX, 2, 1));
	/* no id, no material, short and long material */
	ASSERT_EXTACK(&self->gn, key_add(&self->gn, 1, LINKCRYPT_KEY_DIR_TX, -1, -1), EINVAL,
		      "id and its material");
	ASSERT_EXTACK(&self->gn, key_cmd(&self->gn, LINKCRYPT_CMD_KEY_NEW, 1,
					 LINKCRYPT_KEY_DIR_TX, -1, 1, NULL, 0),
		      EINVAL, "id and its material");
	ASSERT_NE(0, key_cmd(&self->gn, LINKCRYPT_CMD_KEY_NEW, 1, LINKCRYPT_KEY_DIR_TX, -1,
			     1, material, 32));
	{
		uint8_t longer[LINKCRYPT_MATERIAL_LEN + 1] = { 0 };

		ASSERT_NE(0, key_cmd(&self->gn, LINKCRYPT_CMD_KEY_NEW, 1,
				     LINKCRYPT_KEY_DIR_TX, -1, 1, longer, sizeof(longer)));
	}
	/* read-only counter in a request */
	req_start(&self->gn, &r, LINKCRYPT_CMD_KEY_NEW, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, 1);
	k = mnl_attr_nest_start(r.nlh, LINKCRYPT_A_PEER_KEY);
	mnl_attr_put_u8(r.nlh, LINKCRYPT_A_KEY_DIR, LINKCRYPT_KEY_DIR_TX);
	mnl_attr_put_u8(r.nlh, LINKCRYPT_A_KEY_ID, 1);
	mnl_attr_put(r.nlh, LINKCRYPT_A_KEY_MATERIAL, sizeof(material), material);
	mnl_attr_put_u64(r.nlh, LINKCRYPT_A_KEY_PACKETS, pkts);
	mnl_attr_nest_end(r.nlh, k);
	ASSERT_EXTACK(&self->gn, req_send(&self->gn, &r, NULL, NULL), EINVAL, "read-only");
	/* no key nest at all */
	req_start(&self->gn, &r, LINKCRYPT_CMD_KEY_NEW, 0);
	mnl_attr_put_u32(r.nlh, LINKCRYPT_A_PEER_ID, 1);
	ASSERT_EXTACK(&self->gn, req_send(&self->gn, &r, NULL, NULL), EINVAL, "a key is needed");
	/* no peer nest at all */
	{
		struct nlmsghdr *nlh = lc_genl_start(&self->gn, r.buf, LINKCRYPT_CMD_KEY_NEW, 0);

		mnl_attr_put_strz(nlh, LINKCRYPT_A_DEV_IFNAME, "lc0");
		ASSERT_EXTACK(&self->gn, lc_nl_talk(&self->gn, nlh, NULL, NULL), EINVAL,
			      "a peer is needed");
	}
	{
		struct peer_seen s;

		ASSERT_EQ(0, peer_get(&self->gn, 1, &s));
		EXPECT_EQ(0, s.nkeys);
	}
}

TEST_F(peer, cipher_fixed_while_peers_exist)
{
	ASSERT_EQ(0, peer_add(&self->gn, 1, 7, "192.0.2.2", 7788));
	ASSERT_EQ(-EBUSY, lc_rt_change(&self->rt, "lc0", -1, LINKCRYPT_CIPHER_CHACHA20_POLY1305));
	EXPECT_NE(NULL, strstr(self->rt.extack, "delete them first"));
}

TEST_F(peer, dump_many_peers)
{
	enum { N = 300 };
	struct peer_seen s;
	char ip[32];

	for (int i = 1; i <= N; i++) {
		snprintf(ip, sizeof(ip), "192.0.2.%d", i % 250 + 1);
		ASSERT_EQ(0, peer_add(&self->gn, (uint32_t)i, (uint32_t)i, ip, 7788));
		if (i % 3 == 0)
			ASSERT_EQ(0, key_add(&self->gn, (uint32_t)i, LINKCRYPT_KEY_DIR_RX, -1, 1));
	}
	{
		struct req r;

		memset(&s, 0, sizeof(s));
		req_start(&self->gn, &r, LINKCRYPT_CMD_PEER_GET, NLM_F_DUMP);
		/* A dump names only the device: drop the empty peer nest. */
		r.nlh->nlmsg_len = (uint32_t)((char *)r.peer - (char *)r.nlh);
		ASSERT_EQ(0, lc_nl_talk(&self->gn, r.nlh, peer_cb, &s)) TH_LOG("%s", self->gn.extack);
	}
	ASSERT_EQ(N, s.count);
	EXPECT_EQ(0, s.saw_material);
}

TEST_HARNESS_MAIN
