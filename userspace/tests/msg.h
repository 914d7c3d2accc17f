/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the lcctl unit tests that build or read netlink messages:
 * made-up kernel messages (as the kernel would build them, 64-bit counters
 * preceded by padding attributes), and lookups in the requests lcctl
 * builds.  The lookups do not use lcctl's own parsers, so that a mistake
 * there cannot hide one in the request.
 */
#ifndef LCCTL_TEST_MSG_H
#define LCCTL_TEST_MSG_H

#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/linkcrypt.h>

#include "family.h"

#define TEST_FAMILY_ID	(GENL_MIN_ID + 3)

/* Start a message of the linkcrypt family with @cmd in @mem (zeroed). */
static inline struct nlmsghdr *genl_msg(void *mem, size_t size, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(mem, 0, size);
	nlh = mnl_nlmsg_put_header(mem);
	nlh->nlmsg_type = TEST_FAMILY_ID;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = LINKCRYPT_GENL_VERSION;
	return nlh;
}

/*
 * A u64 as the kernel's nla_put_u64_64bit() puts it: a padding attribute
 * first if the value would not be 8-byte aligned.
 */
static inline void put_u64_pad(struct nlmsghdr *nlh, uint16_t type,
			       uint16_t pad, uint64_t v)
{
	if ((nlh->nlmsg_len + MNL_ATTR_HDRLEN) % 8)
		mnl_attr_put(nlh, pad, 0, NULL);
	mnl_attr_put_u64(nlh, type, v);
}

/* A connection whose requests are built in @txbuf, never sent. */
static inline void fake_conn(struct lc_conn *c, void *txbuf)
{
	memset(c, 0, sizeof(*c));
	c->nl.txbuf = txbuf;
	c->fam.id = TEST_FAMILY_ID;
	c->fam.version = LINKCRYPT_GENL_VERSION;
}

static inline uint8_t genl_cmd(const struct nlmsghdr *nlh)
{
	return ((const struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd;
}

/* The first top-level attribute of type @type, or NULL. */
static inline const struct nlattr *msg_attr(const struct nlmsghdr *nlh,
					    uint16_t type)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) == type)
			return attr;
	}
	return NULL;
}

/* The number of top-level attributes. */
static inline int msg_n_attrs(const struct nlmsghdr *nlh)
{
	const struct nlattr *attr;
	int n = 0;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		n++;
	return n;
}

/* The @i-th (from 0) attribute of type @type in @nest, or NULL. */
static inline const struct nlattr *nest_attr_n(const struct nlattr *nest,
					       uint16_t type, int i)
{
	const struct nlattr *attr;

	if (!nest)
		return NULL;
	mnl_attr_for_each_nested(attr, nest) {
		if (mnl_attr_get_type(attr) == type && i-- == 0)
			return attr;
	}
	return NULL;
}

static inline const struct nlattr *nest_attr(const struct nlattr *nest,
					     uint16_t type)
{
	return nest_attr_n(nest, type, 0);
}

/* The number of attributes in @nest (of any type). */
static inline int nest_n_attrs(const struct nlattr *nest)
{
	const struct nlattr *attr;
	int n = 0;

	mnl_attr_for_each_nested(attr, nest)
		n++;
	return n;
}

/* Whether @nlh is exactly as long as its attributes (no garbage). */
static inline bool msg_well_formed(const struct nlmsghdr *nlh)
{
	const struct nlattr *attr;
	size_t len = MNL_NLMSG_HDRLEN + GENL_HDRLEN;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		len += MNL_ALIGN(attr->nla_len);
	return len == nlh->nlmsg_len;
}

#endif /* LCCTL_TEST_MSG_H */
