// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink fuzzer for the "linkcrypt" generic netlink family and the
 * "linkcrypt" link kind.  Builds requests from the uapi's attributes, then
 * breaks them: wrong types and lengths, nests flattened or doubled, missing
 * and duplicate attributes, huge values, unknown commands, random bytes,
 * truncation.  Every request must be answered, by an error or, for one that
 * happens to be valid, by an ack; then the fuzzer undoes it (deletes what
 * it created, puts the device, its peer and its keys back; a key it puts
 * back is fresh material, so that no nonce is ever used twice).
 * Unprivileged callers (CAP_NET_ADMIN dropped; uid nobody) and callers in
 * another network namespace must be refused every time.
 *
 *   lc_nlfuzz -s SEED -n COUNT -d DEV -P PEER_ID -R REMOTE_ID
 *             -e IPV4:PORT -m MAC -t TXKID -r RXKID
 *
 * DEV is a linkcrypt device of the current namespace, up, with one peer as
 * given and a primary key each way; it is left exactly so (the material of
 * its keys aside).  KTAP on stdout; the seed is printed first.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lc_nl.h"

/* ---- random numbers: splitmix64, reproducible from the seed */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static int chance(unsigned int percent)
{
	return rnd_below(100) < percent;
}

static void rnd_fill(void *p, size_t len)
{
	uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)rnd();
}

/* ---- the configuration the device must keep */

static struct {
	const char *dev;
	int ifindex;
	struct lc_link_info link;
	uint32_t peer_id, remote_id;
	struct in_addr ep;
	uint16_t ep_port;
	uint8_t mac[6];
	uint8_t kid[3];			/* by enum linkcrypt_key_dir */
} want;

/* ---- results */

static unsigned long sent, errors, acks, extacks, undone, refused;
static unsigned long by_errno[256];
static int failed;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# FAIL: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	failed = 1;
}

/* ---- a message built byte by byte, so that anything can be broken */

struct msg {
	uint8_t buf[LC_NL_BUFSZ];
	size_t len;
	size_t attr[64];		/* offsets of attributes, for mutations */
	unsigned int nattr;
	size_t nest[8];
	unsigned int depth;
};

static void *m_put(struct msg *m, const void *data, size_t len)
{
	size_t pad = NLA_ALIGN(len) - len;
	void *p = m->buf + m->len;

	if (m->len + len + pad > sizeof(m->buf) - 64)
		return NULL;
	if (data)
		memcpy(p, data, len);
	memset(m->buf + m->len + len, 0, pad);
	m->len += len + pad;
	return p;
}

static void m_attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };

	if (m->len + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(m->buf) - 64)
		return;
	if (m->nattr < 64)
		m->attr[m->nattr++] = m->len;
	m_put(m, &a, sizeof(a));
	m_put(m, data, len);
}

static void m_u8(struct msg *m, uint16_t t, uint8_t v) { m_attr(m, t, &v, 1); }
static void m_u16(struct msg *m, uint16_t t, uint16_t v) { m_attr(m, t, &v, 2); }
static void m_u32(struct msg *m, uint16_t t, uint32_t v) { m_attr(m, t, &v, 4); }
static void m_u64(struct msg *m, uint16_t t, uint64_t v) { m_attr(m, t, &v, 8); }
static void m_str(struct msg *m, uint16_t t, const char *s) { m_attr(m, t, s, strlen(s) + 1); }

static void m_nest(struct msg *m, uint16_t type)
{
	m->nest[m->depth++] = m->len;
	m_attr(m, type | (chance(90) ? NLA_F_NESTED : 0), NULL, 0);
}

static void m_end(struct msg *m)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->nest[--m->depth]);

	a->nla_len = (uint16_t)(m->len - m->nest[m->depth]);
}

static struct nlmsghdr *m_hdr(struct msg *m)
{
	return (struct nlmsghdr *)m->buf;
}

static void m_start(struct msg *m, uint16_t type, uint16_t flags, const void *fam, size_t flen)
{
	m->len = 0;
	m->nattr = 0;
	m->depth = 0;
	m_put(m, NULL, NLMSG_HDRLEN);
	memset(m->buf, 0, NLMSG_HDRLEN);
	m_hdr(m)->nlmsg_type = type;
	m_hdr(m)->nlmsg_flags = NLM_F_REQUEST | flags;
	m_put(m, fam, flen);
}

/* An integer a policy may or may not take: in range, at an edge, huge. */
static uint64_t any_int(uint64_t usual)
{
	switch (rnd_below(6)) {
	case 0: return 0;
	case 1: return UINT64_MAX;
	case 2: return rnd();
	case 3: return rnd_below(300);
	default: return usual;
	}
}

/*
 * Breaks the message from byte @head and attribute @first on; @top: also
 * by adding attributes at the top level.  nlmsg_len is always the length
 * sent (the kernel ignores a message claiming more than it got).
 */
static void mutate(struct msg *m, size_t head, unsigned int first, bool top)
{
	unsigned int n = 1 + (unsigned int)rnd_below(3);

	while (n--) {
		size_t off = m->nattr > first ? m->attr[first + rnd_below(m->nattr - first)] : 0;
		struct nlattr *a = (struct nlattr *)(m->buf + off);
		unsigned int what = (unsigned int)rnd_below(8);

		if (!top && (what == 2 || what == 6))
			what = 4;
		switch (what) {
		case 0:	/* another type, maybe unknown, maybe flagged nested */
			if (off)
				a->nla_type = rnd_below(2) ? (uint16_t)rnd_below(20) : (uint16_t)rnd();
			break;
		case 1:	/* a length shorter or longer than the payload */
			if (off)
				a->nla_len = rnd_below(2) ? (uint16_t)rnd_below(a->nla_len + 1) :
						(uint16_t)(a->nla_len + rnd_below(64));
			break;
		case 2:	/* a duplicate of an attribute at the top */
			if (off && off + a->nla_len <= m->len && a->nla_len >= NLA_HDRLEN) {
				uint8_t copy[LC_NL_BUFSZ];
				size_t l = NLA_ALIGN(a->nla_len);

				if (off + l <= m->len) {
					memcpy(copy, a, l);
					m_put(m, copy, l);
				}
			}
			break;
		case 3:	/* an attribute gone: its type zeroed */
			if (off)
				a->nla_type = 0;
			break;
		case 4:	/* random bytes over the attributes */
			if (m->len > head) {
				size_t at = head + rnd_below(m->len - head);
				size_t l = 1 + rnd_below(8);

				if (at + l > m->len)
					l = m->len - at;
				rnd_fill(m->buf + at, l);
			}
			break;
		case 5:	/* truncated */
			if (m->len > head)
				m->len = head + rnd_below(m->len - head);
			break;
		case 6:	/* garbage appended */
		{
			uint8_t junk[64];
			size_t l = rnd_below(sizeof(junk));

			rnd_fill(junk, l);
			m_put(m, junk, l);
			break;
		}
		default: /* the nested flag toggled */
			if (off)
				a->nla_type ^= NLA_F_NESTED;
			break;
		}
	}
}

/* ---- talking: one request, every answer read, nothing left over */

struct answer {
	int err;		/* 0: ack or dump done; -errno */
	bool extack;
	unsigned int replies;
};

static int talk(struct lc_nl *nl, struct msg *m, struct answer *ans)
{
	static char buf[65536];
	unsigned int portid = mnl_socket_get_portid(nl->sk);
	struct nlmsghdr *nlh = m_hdr(m);

	nlh->nlmsg_len = (uint32_t)m->len;
	nlh->nlmsg_seq = ++nl->seq;
	nlh->nlmsg_flags |= NLM_F_ACK;
	memset(ans, 0, sizeof(*ans));
	if (mnl_socket_sendto(nl->sk, nlh, m->len) < 0)
		return -errno;
	for (;;) {
		int len = (int)mnl_socket_recvfrom(nl->sk, buf, sizeof(buf));

		if (len < 0)
			return -errno;
		for (struct nlmsghdr *r = (struct nlmsghdr *)buf; mnl_nlmsg_ok(r, len);
		     r = mnl_nlmsg_next(r, &len)) {
			if (r->nlmsg_seq != nl->seq || !mnl_nlmsg_portid_ok(r, portid))
				return -EPROTO;
			if (r->nlmsg_type == NLMSG_ERROR || r->nlmsg_type == NLMSG_DONE) {
				const int *e = mnl_nlmsg_get_payload(r);

				ans->err = *e;
				ans->extack = r->nlmsg_flags & NLM_F_ACK_TLVS;
				return 0;
			}
			ans->replies++;
		}
	}
}

/* ---- the device's state, read back and put back */

struct seen {
	unsigned int npeers;
	uint32_t peers[64];
	bool found;
	uint8_t kid[3][2];
	bool key[3][2];
	uint8_t macs;
};

static int key_cb(const struct nlattr *a, void *data)
{
	int *k = data;

	switch (mnl_attr_get_type(a)) {
	case LINKCRYPT_A_KEY_DIR: k[0] = mnl_attr_get_u8(a); break;
	case LINKCRYPT_A_KEY_SLOT: k[1] = mnl_attr_get_u8(a); break;
	case LINKCRYPT_A_KEY_ID: k[2] = mnl_attr_get_u8(a); break;
	}
	return MNL_CB_OK;
}

static int peer_attr_cb(const struct nlattr *a, void *data)
{
	struct seen *s = data;
	int k[3] = { 0, 0, 0 };

	switch (mnl_attr_get_type(a)) {
	case LINKCRYPT_A_PEER_ID:
		if (s->npeers < 64)
			s->peers[s->npeers] = mnl_attr_get_u32(a);
		if (mnl_attr_get_u32(a) == want.peer_id)
			s->found = true;
		break;
	case LINKCRYPT_A_PEER_KEY:
		mnl_attr_parse_nested(a, key_cb, k);
		if (k[0] >= 1 && k[0] <= 2 && k[1] >= 0 && k[1] <= 1 &&
		    s->peers[s->npeers < 64 ? s->npeers : 63] == want.peer_id) {
			s->key[k[0]][k[1]] = true;
			s->kid[k[0]][k[1]] = (uint8_t)k[2];
		}
		break;
	case LINKCRYPT_A_PEER_MACS:
		s->macs++;
		break;
	}
	return MNL_CB_OK;
}

static int peer_msg_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == LINKCRYPT_A_DEV_PEER)
		mnl_attr_parse_nested(a, peer_attr_cb, data);
	return MNL_CB_OK;
}

static int peer_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct seen *s = data;

	mnl_attr_parse(nlh, GENL_HDRLEN, peer_msg_attr_cb, s);
	if (s->npeers < 64)
		s->npeers++;
	return MNL_CB_OK;
}

static int read_peers(struct lc_nl *gn, struct seen *s)
{
	char buf[LC_NL_BUFSZ];
	struct nlmsghdr *nlh = lc_genl_start(gn, buf, LINKCRYPT_CMD_PEER_GET, NLM_F_DUMP);

	memset(s, 0, sizeof(*s));
	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, (uint32_t)want.ifindex);
	return lc_nl_talk(gn, nlh, peer_msg_cb, s);
}

static int peer_cmd(struct lc_nl *gn, uint8_t cmd, uint32_t id, bool full)
{
	char buf[LC_NL_BUFSZ];
	struct nlmsghdr *nlh = lc_genl_start(gn, buf, cmd, 0);
	struct nlattr *peer, *macs;

	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, (uint32_t)want.ifindex);
	peer = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_ID, id);
	if (full) {
		mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_REMOTE_ID, want.remote_id);
		mnl_attr_put(nlh, LINKCRYPT_A_PEER_ENDPOINT_IP4, 4, &want.ep);
		mnl_attr_put_u16(nlh, LINKCRYPT_A_PEER_ENDPOINT_PORT, want.ep_port);
		macs = mnl_attr_nest_start(nlh, LINKCRYPT_A_PEER_MACS);
		mnl_attr_put(nlh, LINKCRYPT_A_MAC_ADDR, 6, want.mac);
		mnl_attr_nest_end(nlh, macs);
	}
	mnl_attr_nest_end(nlh, peer);
	return lc_nl_talk(gn, nlh, NULL, NULL);
}

static int key_cmd(struct lc_nl *gn, uint8_t cmd, int dir, int slot)
{
	char buf[LC_NL_BUFSZ];
	struct nlmsghdr *nlh = lc_genl_start(gn, buf, cmd, 0);
	struct nlattr *peer, *key;
	uint8_t material[LINKCRYPT_MATERIAL_LEN];

	mnl_attr_put_u32(nlh, LINKCRYPT_A_DEV_IFINDEX, (uint32_t)want.ifindex);
	peer = mnl_attr_nest_start(nlh, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(nlh, LINKCRYPT_A_PEER_ID, want.peer_id);
	key = mnl_attr_nest_start(nlh, LINKCRYPT_A_PEER_KEY);
	mnl_attr_put_u8(nlh, LINKCRYPT_A_KEY_DIR, (uint8_t)dir);
	mnl_attr_put_u8(nlh, LINKCRYPT_A_KEY_SLOT, (uint8_t)slot);
	if (cmd == LINKCRYPT_CMD_KEY_NEW) {
		/* Fresh material: a counter restarting at 0 never meets a
		 * nonce the old key used.
		 */
		rnd_fill(material, sizeof(material));
		mnl_attr_put_u8(nlh, LINKCRYPT_A_KEY_ID, want.kid[dir]);
		mnl_attr_put(nlh, LINKCRYPT_A_KEY_MATERIAL, sizeof(material), material);
	}
	mnl_attr_nest_end(nlh, key);
	mnl_attr_nest_end(nlh, peer);
	return lc_nl_talk(gn, nlh, NULL, NULL);
}

/* Puts the device, its peer and its keys back as they must be. */
static int restore(struct lc_nl *rt, struct lc_nl *gn)
{
	struct lc_link_info li;
	struct seen s;
	int err;

	err = lc_rt_get(rt, want.dev, &li);
	if (err)
		return err;
	/* The port changes only while the device is down. */
	if (li.port != want.link.port || li.cipher != want.link.cipher) {
		err = lc_rt_set_up(rt, want.dev, false);
		if (!err)
			err = lc_rt_change(rt, want.dev, want.link.port, want.link.cipher);
		if (err)
			return err;
	}
	if (li.mtu != want.link.mtu) {
		err = lc_rt_set_mtu(rt, want.dev, (unsigned int)want.link.mtu);
		if (err)
			return err;
	}
	err = lc_rt_set_up(rt, want.dev, true);
	if (err)
		return err;

	err = read_peers(gn, &s);
	if (err)
		return err;
	for (unsigned int i = 0; i < s.npeers && !err; i++)
		if (s.peers[i] != want.peer_id)
			err = peer_cmd(gn, LINKCRYPT_CMD_PEER_DEL, s.peers[i], false);
	if (err)
		return err;
	if (!s.found) {
		err = peer_cmd(gn, LINKCRYPT_CMD_PEER_NEW, want.peer_id, true);
		memset(s.key, 0, sizeof(s.key));
	} else {
		err = peer_cmd(gn, LINKCRYPT_CMD_PEER_SET, want.peer_id, true);
	}
	if (err)
		return err;
	for (int dir = LINKCRYPT_KEY_DIR_TX; dir <= LINKCRYPT_KEY_DIR_RX; dir++) {
		if (s.key[dir][0] && !s.key[dir][1] && s.kid[dir][0] == want.kid[dir])
			continue;
		for (int slot = 0; slot <= 1 && !err; slot++)
			if (s.key[dir][slot])
				err = key_cmd(gn, LINKCRYPT_CMD_KEY_DEL, dir, slot);
		if (!err)
			err = key_cmd(gn, LINKCRYPT_CMD_KEY_NEW, dir, 0);
		if (err)
			return err;
	}
	return 0;
}

/* The device is as it must be: one peer, its keys under their ids. */
static bool state_ok(struct lc_nl *rt, struct lc_nl *gn, char *why, size_t n)
{
	struct lc_link_info li;
	struct seen s;

	if (lc_rt_get(rt, want.dev, &li) || read_peers(gn, &s)) {
		snprintf(why, n, "cannot read %s back", want.dev);
		return false;
	}
	if (li.port != want.link.port || li.cipher != want.link.cipher ||
	    li.mtu != want.link.mtu) {
		snprintf(why, n, "port %d cipher %d mtu %d, expected %d %d %d", li.port,
			 li.cipher, li.mtu, want.link.port, want.link.cipher, want.link.mtu);
		return false;
	}
	if (s.npeers != 1 || !s.found || s.macs != 1) {
		snprintf(why, n, "%u peers (ours %s)", s.npeers, s.found ? "among them" : "missing");
		return false;
	}
	for (int dir = LINKCRYPT_KEY_DIR_TX; dir <= LINKCRYPT_KEY_DIR_RX; dir++) {
		if (!s.key[dir][0] || s.key[dir][1] || s.kid[dir][0] != want.kid[dir]) {
			snprintf(why, n, "keys of direction %d not as installed", dir);
			return false;
		}
	}
	return true;
}

/* Deletes every linkcrypt device of the namespace but ours. */
static int sweep(struct lc_nl *rt)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	struct lc_link_info li;
	int err = 0;

	if (!ifs)
		return -errno;
	for (i = ifs; i->if_index && !err; i++) {
		if (!strcmp(i->if_name, want.dev) || lc_rt_get(rt, i->if_name, &li) ||
		    strcmp(li.kind, "linkcrypt"))
			continue;
		err = lc_rt_del(rt, i->if_name);
	}
	if_freenameindex(ifs);
	return err;
}

/* ---- generators */

static const uint8_t genl_cmds[] = {
	LINKCRYPT_CMD_DEV_GET, LINKCRYPT_CMD_PEER_NEW, LINKCRYPT_CMD_PEER_SET,
	LINKCRYPT_CMD_PEER_DEL, LINKCRYPT_CMD_PEER_GET, LINKCRYPT_CMD_KEY_NEW,
	LINKCRYPT_CMD_KEY_SWAP, LINKCRYPT_CMD_KEY_DEL,
};

static uint32_t any_peer_id(void)
{
	switch (rnd_below(4)) {
	case 0: return want.peer_id;
	case 1: return (uint32_t)any_int(want.peer_id);
	default: return want.peer_id + 1 + (uint32_t)rnd_below(8);
	}
}

static void gen_key(struct msg *m, uint8_t cmd)
{
	uint8_t material[LINKCRYPT_MATERIAL_LEN + 8];
	static const uint16_t limits[] = {
		LINKCRYPT_A_KEY_SOFT_PACKETS, LINKCRYPT_A_KEY_HARD_PACKETS,
		LINKCRYPT_A_KEY_SOFT_BYTES, LINKCRYPT_A_KEY_HARD_BYTES,
	};

	m_nest(m, LINKCRYPT_A_PEER_KEY);
	if (chance(90))
		m_u8(m, LINKCRYPT_A_KEY_DIR, (uint8_t)(chance(80) ? 1 + rnd_below(2) : any_int(1)));
	if (chance(70))
		m_u8(m, LINKCRYPT_A_KEY_SLOT, (uint8_t)(chance(80) ? rnd_below(2) : any_int(0)));
	if (cmd == LINKCRYPT_CMD_KEY_NEW || chance(10)) {
		if (chance(90))
			m_u8(m, LINKCRYPT_A_KEY_ID, (uint8_t)rnd());
		if (chance(90)) {
			size_t l = chance(80) ? LINKCRYPT_MATERIAL_LEN : rnd_below(sizeof(material));

			rnd_fill(material, l);
			m_attr(m, LINKCRYPT_A_KEY_MATERIAL, material, l);
		}
		for (unsigned int i = 0; i < 4; i++)
			if (chance(15))
				m_u64(m, limits[i], any_int(1000));
		if (chance(15))
			m_u32(m, LINKCRYPT_A_KEY_SOFT_SECONDS, (uint32_t)any_int(60));
		if (chance(15))
			m_u32(m, LINKCRYPT_A_KEY_HARD_SECONDS, (uint32_t)any_int(120));
	}
	if (chance(5))	/* read-only ones */
		m_u64(m, (uint16_t)(LINKCRYPT_A_KEY_PACKETS + rnd_below(6)), rnd());
	m_end(m);
}

static void gen_peer(struct msg *m, uint8_t cmd)
{
	struct in_addr a;
	uint8_t mac[8];

	m_nest(m, LINKCRYPT_A_DEV_PEER);
	if (chance(95))
		m_u32(m, LINKCRYPT_A_PEER_ID, any_peer_id());
	if (cmd == LINKCRYPT_CMD_PEER_NEW || cmd == LINKCRYPT_CMD_PEER_SET || chance(5)) {
		if (chance(85))
			m_u32(m, LINKCRYPT_A_PEER_REMOTE_ID, (uint32_t)any_int(1 + rnd_below(100)));
		if (chance(70)) {
			a.s_addr = chance(70) ? htonl(0xc6336400 | (uint32_t)rnd_below(256)) :
						(uint32_t)any_int(0);
			m_attr(m, LINKCRYPT_A_PEER_ENDPOINT_IP4, &a, chance(90) ? 4 : rnd_below(8));
		}
		if (chance(25)) {
			uint8_t a6[17] = { 0x20, 0x01, 0x0d, 0xb8 };

			if (chance(30))
				rnd_fill(a6, sizeof(a6));
			a6[15] = (uint8_t)rnd();
			m_attr(m, LINKCRYPT_A_PEER_ENDPOINT_IP6, a6, chance(90) ? 16 : rnd_below(17));
		}
		if (chance(80))
			m_u16(m, LINKCRYPT_A_PEER_ENDPOINT_PORT, (uint16_t)any_int(7000 + rnd_below(1000)));
		if (chance(40)) {
			unsigned int n = (unsigned int)rnd_below(chance(5) ? 40 : 4);

			m_nest(m, LINKCRYPT_A_PEER_MACS);
			while (n--) {
				rnd_fill(mac, sizeof(mac));
				if (chance(70))
					mac[0] = 0x02;	/* unicast, local */
				if (chance(20))
					memcpy(mac, want.mac, 6);
				m_attr(m, LINKCRYPT_A_MAC_ADDR, mac, chance(90) ? 6 : rnd_below(9));
			}
			m_end(m);
		}
	}
	if (cmd >= LINKCRYPT_CMD_KEY_NEW || chance(5))
		gen_key(m, cmd);
	if (chance(5))	/* read-only ones */
		m_u64(m, (uint16_t)(LINKCRYPT_A_PEER_STATS + rnd_below(3)), rnd());
	m_end(m);
}

static void gen_genl(struct lc_nl *gn, struct msg *m, uint8_t *cmdp)
{
	struct genlmsghdr g = { .version = LINKCRYPT_GENL_VERSION };
	uint16_t flags = chance(10) ? NLM_F_DUMP : 0;
	char name[IFNAMSIZ + 8];

	if (chance(85))
		g.cmd = genl_cmds[rnd_below(sizeof(genl_cmds))];
	else	/* unknown commands, and the notification-only one */
		g.cmd = (uint8_t)(chance(30) ? LINKCRYPT_CMD_EVENT : rnd());
	if (chance(3))
		g.version = (uint8_t)rnd();
	*cmdp = g.cmd;
	m_start(m, gn->genl_id, flags, &g, sizeof(g));
	if (chance(5)) {	/* nothing but random bytes after the header */
		uint8_t junk[256];
		size_t l = rnd_below(sizeof(junk));

		rnd_fill(junk, l);
		m_put(m, junk, l);
		return;
	}
	if (chance(80))
		m_u32(m, LINKCRYPT_A_DEV_IFINDEX,
		      chance(85) ? (uint32_t)want.ifindex : (uint32_t)any_int(1 + rnd_below(8)));
	if (chance(30)) {
		switch (rnd_below(4)) {
		case 0: m_str(m, LINKCRYPT_A_DEV_IFNAME, want.dev); break;
		case 1: m_str(m, LINKCRYPT_A_DEV_IFNAME, "lo"); break;
		case 2:	/* too long, or not terminated */
			memset(name, 'x', sizeof(name));
			m_attr(m, LINKCRYPT_A_DEV_IFNAME, name, 1 + rnd_below(sizeof(name)));
			break;
		default:
			snprintf(name, sizeof(name), "fz%u", (unsigned int)rnd_below(4));
			m_str(m, LINKCRYPT_A_DEV_IFNAME, name);
		}
	}
	if (chance(5))	/* read-only attributes in a request */
		m_u32(m, (uint16_t)(LINKCRYPT_A_DEV_PORT + rnd_below(7)), (uint32_t)rnd());
	if (chance(85))
		gen_peer(m, g.cmd);
	if (chance(60))
		mutate(m, NLMSG_HDRLEN + GENL_HDRLEN, 0, true);
}

static unsigned int fz_next, fz_made;

/* Devices the fuzzer made are in this group: one request deletes them all,
 * with one RCU grace period instead of one each (slow under TCG).
 */
#define FZ_GROUP	0x6c63

static int delete_made(struct lc_nl *rt)
{
	char buf[LC_NL_BUFSZ];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	int err;

	nlh->nlmsg_type = RTM_DELLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, IFLA_GROUP, FZ_GROUP);
	err = lc_nl_talk(rt, nlh, NULL, NULL);
	fz_made = 0;
	/* Some had their group mutated away: find them by kind. */
	return err && err != -ENODEV ? err : sweep(rt);
}

/* rtnetlink: new devices of the kind, and changes to ours. */
static void gen_rtnl(struct msg *m, bool *create, char *name)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	unsigned int first;
	uint8_t addr[8];
	size_t head;

	*create = chance(60);
	if (*create) {
		snprintf(name, IFNAMSIZ, "fz%u", fz_next++);
		m_start(m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
		m_str(m, IFLA_IFNAME, name);
		m_u32(m, IFLA_GROUP, FZ_GROUP);
	} else {
		snprintf(name, IFNAMSIZ, "%s", want.dev);
		ifi.ifi_index = want.ifindex;
		m_start(m, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	}
	if (chance(20))
		m_u32(m, IFLA_MTU, (uint32_t)any_int(1000 + rnd_below(9000)));
	if (*create && chance(15)) {
		rnd_fill(addr, sizeof(addr));
		m_attr(m, IFLA_ADDRESS, addr, chance(80) ? 6 : rnd_below(9));
	}
	head = m->len;
	first = m->nattr;
	if (chance(95)) {
		m_nest(m, IFLA_LINKINFO);
		/* A kind the kernel does not know makes it run modprobe:
		 * slow under TCG, and not what is tested here.
		 */
		if (chance(98))
			m_str(m, IFLA_INFO_KIND, rnd_below(500) ? "linkcrypt" : "linkcryp");
		head = m->len;
		first = m->nattr;
		if (chance(85)) {
			m_nest(m, IFLA_INFO_DATA);
			if (chance(60))
				m_u16(m, IFLA_LINKCRYPT_PORT, (uint16_t)any_int(7000 + rnd_below(2000)));
			if (chance(60))
				m_u16(m, IFLA_LINKCRYPT_CIPHER, (uint16_t)any_int(1 + rnd_below(2)));
			if (chance(10))
				m_u32(m, (uint16_t)rnd_below(6), (uint32_t)rnd());
			m_end(m);
		}
		m_end(m);
	}
	/* Our device is only ever touched inside IFLA_INFO_DATA: a mutation
	 * elsewhere could rename it or change its address, which is the
	 * core's business, and beyond what restore() puts back.
	 */
	if (chance(50))
		mutate(m, head, first, *create);
}

/* ---- the phases */

static bool mutating(uint8_t cmd)
{
	return cmd >= LINKCRYPT_CMD_PEER_NEW && cmd <= LINKCRYPT_CMD_KEY_DEL &&
	       cmd != LINKCRYPT_CMD_PEER_GET;
}

/* Errors without an extack, by request (genl command, or 256: rtnetlink). */
static unsigned int noext[257][256];

static void count_answer(const struct answer *a, unsigned int what)
{
	sent++;
	if (a->err < 0) {
		errors++;
		by_errno[-a->err < 256 ? -a->err : 255]++;
		if (a->extack)
			extacks++;
		else
			noext[what][-a->err < 256 ? -a->err : 255]++;
	} else {
		acks++;
	}
}

static int fuzz_privileged(struct lc_nl *rt, struct lc_nl *gn, unsigned long count)
{
	struct answer a;
	struct msg m;
	char name[IFNAMSIZ];
	unsigned long i;
	uint8_t cmd;
	bool create;
	int err;

	for (i = 0; i < count && !failed; i++) {
		if (chance(70)) {
			gen_genl(gn, &m, &cmd);
			err = talk(gn, &m, &a);
			if (err) {
				fail("message %lu (genl cmd %u): no answer: %s", i, cmd, strerror(-err));
				break;
			}
			count_answer(&a, cmd);
			if (a.err || !mutating(cmd))
				continue;
		} else {
			gen_rtnl(&m, &create, name);
			err = talk(rt, &m, &a);
			if (err) {
				fail("message %lu (rtnetlink): no answer: %s", i, strerror(-err));
				break;
			}
			count_answer(&a, 256);
			if (a.err)
				continue;
			if (create) {
				undone++;
				if (++fz_made < 128)
					continue;
				err = delete_made(rt);
				if (err) {
					fail("deleting the devices made, up to message %lu: %s", i,
					     strerror(-err));
					break;
				}
				continue;
			}
		}
		err = restore(rt, gn);
		if (err) {
			fail("undoing message %lu: %s (%s)", i, strerror(-err), gn->extack);
			break;
		}
		undone++;
	}
	err = failed ? 0 : delete_made(rt);
	if (err)
		fail("deleting the devices made: %s", strerror(-err));
	return failed ? -1 : 0;
}

/* A valid, state-changing request of each kind, then mutations of them. */
static void gen_valid(struct lc_nl *gn, struct msg *m, unsigned int k)
{
	struct genlmsghdr g = { .version = LINKCRYPT_GENL_VERSION };
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	uint8_t material[LINKCRYPT_MATERIAL_LEN] = { 0 };

	switch (k % 10) {
	case 8:	/* a new device */
		m_start(m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
		m_str(m, IFLA_IFNAME, "fzpriv");
		m_nest(m, IFLA_LINKINFO);
		m_str(m, IFLA_INFO_KIND, "linkcrypt");
		m_end(m);
		return;
	case 9:	/* ours deleted */
		ifi.ifi_index = want.ifindex;
		m_start(m, RTM_DELLINK, 0, &ifi, sizeof(ifi));
		return;
	}
	g.cmd = k % 10 < 8 ? genl_cmds[k % 8] : LINKCRYPT_CMD_PEER_DEL;
	m_start(m, gn->genl_id, g.cmd == LINKCRYPT_CMD_DEV_GET && k % 3 ? NLM_F_DUMP : 0,
		&g, sizeof(g));
	m_u32(m, LINKCRYPT_A_DEV_IFINDEX, (uint32_t)want.ifindex);
	m_nest(m, LINKCRYPT_A_DEV_PEER);
	m_u32(m, LINKCRYPT_A_PEER_ID, g.cmd == LINKCRYPT_CMD_PEER_NEW ? want.peer_id + 1 : want.peer_id);
	m_u32(m, LINKCRYPT_A_PEER_REMOTE_ID, want.remote_id);
	m_attr(m, LINKCRYPT_A_PEER_ENDPOINT_IP4, &want.ep, 4);
	m_u16(m, LINKCRYPT_A_PEER_ENDPOINT_PORT, want.ep_port);
	if (g.cmd >= LINKCRYPT_CMD_KEY_NEW) {
		m_nest(m, LINKCRYPT_A_PEER_KEY);
		m_u8(m, LINKCRYPT_A_KEY_DIR, LINKCRYPT_KEY_DIR_TX);
		m_u8(m, LINKCRYPT_A_KEY_SLOT, g.cmd == LINKCRYPT_CMD_KEY_DEL ? 0 : 1);
		m_u8(m, LINKCRYPT_A_KEY_ID, 77);
		m_attr(m, LINKCRYPT_A_KEY_MATERIAL, material, sizeof(material));
		m_end(m);
	}
	m_end(m);
}

/*
 * In a child: drop privileges as @how says, then every request, valid or
 * not, must come back -EPERM (or, from another namespace, name no device).
 */
static int child_refused(const char *how, unsigned long count, uint64_t seed)
{
	bool other = !strcmp(how, "other-netns");
	struct lc_nl rt, gn;
	struct answer a;
	struct msg m;

	rng_state = seed;
	sent = errors = acks = extacks = 0;
	if (!strcmp(how, "no-cap-net-admin")) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];

		if (syscall(SYS_capget, &h, d))
			return 2;
		d[CAP_NET_ADMIN / 32].effective &= ~(1u << (CAP_NET_ADMIN % 32));
		d[CAP_NET_ADMIN / 32].permitted &= ~(1u << (CAP_NET_ADMIN % 32));
		if (syscall(SYS_capset, &h, d))
			return 2;
	} else if (!strcmp(how, "nobody")) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			return 2;
	} else if (unshare(CLONE_NEWNET)) {
		return 2;
	}
	if (lc_nl_open(&rt, NETLINK_ROUTE) || lc_nl_open(&gn, NETLINK_GENERIC) ||
	    lc_genl_resolve(&gn))
		return 3;
	for (unsigned long i = 0; i < count; i++) {
		uint8_t cmd = 0;
		bool create;
		char name[IFNAMSIZ];
		struct lc_nl *nl = &gn;
		bool valid = i < 40;

		if (valid) {
			/* Another namespace may make devices of its own. */
			if (other && i % 10 == 8)
				continue;
			gen_valid(&gn, &m, (unsigned int)i);
			if (m_hdr(&m)->nlmsg_type < NLMSG_MIN_TYPE + 4)
				nl = &rt;
		} else if (other || chance(70)) {
			/* Elsewhere, only the family: a device made there by
			 * rtnetlink would be the caller's own to change.
			 */
			gen_genl(&gn, &m, &cmd);
		} else {
			gen_rtnl(&m, &create, name);
			nl = &rt;
		}
		if (talk(nl, &m, &a)) {
			printf("# %s: message %lu: no answer\n", how, i);
			return 1;
		}
		count_answer(&a, nl == &rt ? 256 : cmd);
		/* From elsewhere: refused, or a dump that finds nothing;
		 * a device made there is its own business.
		 */
		if (other && (nl == &rt || (!a.err && !a.replies)))
			continue;
		if (!a.err) {
			printf("# %s: message %lu (%s, cmd %u, flags 0x%x) was accepted with %u replies\n",
			       how, i, valid ? "valid" : "mutated", cmd, m_hdr(&m)->nlmsg_flags,
			       a.replies);
			return 1;
		}
		if (valid && !other && a.err != -EPERM) {
			printf("# %s: valid message %lu refused with %s, expected EPERM\n",
			       how, i, strerror(-a.err));
			return 1;
		}
	}
	printf("# %s: %lu requests, %lu refused\n", how, count, errors);
	return 0;
}

static int run_child(const char *how, unsigned long count, uint64_t seed)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int rc = child_refused(how, count, seed);

		fflush(stdout);
		_exit(rc);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void usage(void)
{
	fprintf(stderr, "usage: lc_nlfuzz -s SEED -n COUNT -d DEV -P PEER_ID -R REMOTE_ID "
		"-e IPV4:PORT -m MAC -t TXKID -r RXKID\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long count = 100000, each;
	struct timeval tv = { .tv_sec = 10 };
	struct lc_nl rt, gn;
	uint64_t seed = 0;
	char why[200], *p;
	int opt, n = 0, rc;
	static const char *const refused_how[] = {
		"no-cap-net-admin", "nobody", "other-netns",
	};

	while ((opt = getopt(argc, argv, "s:n:d:P:R:e:m:t:r:")) != -1) {
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 'd': want.dev = optarg; break;
		case 'P': want.peer_id = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'R': want.remote_id = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'e':
			p = strchr(optarg, ':');
			if (!p)
				usage();
			*p = '\0';
			if (inet_pton(AF_INET, optarg, &want.ep) != 1)
				usage();
			want.ep_port = (uint16_t)atoi(p + 1);
			break;
		case 'm':
			if (sscanf(optarg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &want.mac[0],
				   &want.mac[1], &want.mac[2], &want.mac[3], &want.mac[4],
				   &want.mac[5]) != 6)
				usage();
			break;
		case 't': want.kid[LINKCRYPT_KEY_DIR_TX] = (uint8_t)atoi(optarg); break;
		case 'r': want.kid[LINKCRYPT_KEY_DIR_RX] = (uint8_t)atoi(optarg); break;
		default: usage();
		}
	}
	if (!want.dev || !want.peer_id || !want.remote_id || !want.ep_port)
		usage();

	printf("TAP version 13\n1..6\n# seed=%llu\n", (unsigned long long)seed);
	rng_state = seed;
	if (lc_nl_open(&rt, NETLINK_ROUTE) || lc_nl_open(&gn, NETLINK_GENERIC) ||
	    lc_genl_resolve(&gn) || lc_rt_get(&rt, want.dev, &want.link)) {
		printf("Bail out! cannot reach %s over netlink\n", want.dev);
		return 1;
	}
	want.ifindex = want.link.ifindex;
	/* A request left unanswered is a failure, not a hang. */
	setsockopt(mnl_socket_get_fd(rt.sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(mnl_socket_get_fd(gn.sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (!state_ok(&rt, &gn, why, sizeof(why))) {
		printf("Bail out! %s is not set up as given: %s\n", want.dev, why);
		return 1;
	}

	/* Privileged: most of the messages. */
	each = count / 20;
	fuzz_privileged(&rt, &gn, count - 3 * each);
	printf("# privileged: %lu requests: %lu errors (%lu with extack), %lu acks, %lu undone\n",
	       sent, errors, extacks, acks, undone);
	printf("# errno:");
	for (int e = 1; e < 256; e++)
		if (by_errno[e])
			printf(" %s=%lu", strerrorname_np(e) ?: "?", by_errno[e]);
	printf("\n");
	printf("%sok %d privileged_requests_answered\n", failed ? "not " : "", ++n);

	/*
	 * Every error a command of the family returns tells why.  The cores
	 * say nothing when they refuse an unknown command or a dump of a
	 * command without one (EOPNOTSUPP), and rtnetlink's own checks of a
	 * link message do not always either: those are listed, not failed.
	 */
	rc = errors && by_errno[EINVAL];
	printf("# %lu of %lu errors carry an extack\n", extacks, errors);
	for (unsigned int c = 0; c <= 256; c++) {
		bool ours = c >= LINKCRYPT_CMD_DEV_GET && c <= LINKCRYPT_CMD_KEY_DEL;

		for (int e = 1; e < 256; e++) {
			/* The core refuses a dump of a command that has none. */
			if (!noext[c][e] || (e == EOPNOTSUPP && c != 256))
				continue;
			printf("# no extack: %s %u: %s x %u\n", c == 256 ? "rtnetlink" : "genl cmd",
			       c == 256 ? RTM_NEWLINK : c, strerrorname_np(e) ?: "?", noext[c][e]);
			if (ours)
				rc = 0;
		}
	}
	printf("%sok %d errors_carry_extack\n", rc ? "" : "not ", ++n);
	failed |= !rc;

	for (unsigned int k = 0; k < 3; k++) {
		rc = run_child(refused_how[k], each, seed + k + 1);
		if (rc == 2)
			printf("ok %d unprivileged_%s_refused # SKIP cannot drop privileges\n",
			       ++n, refused_how[k]);
		else
			printf("%sok %d refused_%s\n", rc ? "not " : "", ++n, refused_how[k]);
		failed |= rc && rc != 2;
		refused += each;
	}
	printf("# %lu requests in all\n", count - 3 * each + refused);

	rc = state_ok(&rt, &gn, why, sizeof(why));
	if (!rc)
		printf("# %s\n", why);
	printf("%sok %d device_config_intact\n", rc ? "" : "not ", ++n);
	failed |= !rc;
	return failed ? 1 : 0;
}
