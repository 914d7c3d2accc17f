/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink helpers for the linkcrypt selftests, on libmnl: one request, its
 * replies and its ack, with the kernel's extack message kept for checks.
 */
#ifndef _LC_NL_H
#define _LC_NL_H

#include <libmnl/libmnl.h>
#include <linux/linkcrypt.h>
#include <stdbool.h>
#include <stdint.h>

/* Room for any request the tests build and for one batch of replies. */
#define LC_NL_BUFSZ	8192

struct lc_nl {
	struct mnl_socket *sk;
	unsigned int seq;
	uint16_t genl_id;		/* linkcrypt family id, 0 if unresolved */
	char extack[256];		/* message of the last error ack */
	int extack_off;			/* NLMSGERR_ATTR_OFFS, or -1 */
};

int lc_nl_open(struct lc_nl *nl, int proto);
void lc_nl_close(struct lc_nl *nl);

/*
 * Sends @nlh (seq and ack flag are filled in) and runs @cb on each reply.
 * Returns 0, or -errno from the kernel's ack with nl->extack set.
 */
int lc_nl_talk(struct lc_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/* rtnetlink: a linkcrypt device, optionally with raw IFLA_INFO_DATA. */
struct nlmsghdr *lc_rt_newlink_start(char *buf, const char *name, uint16_t flags);
/* Creates, or changes, a device with one raw attribute in IFLA_INFO_DATA. */
int lc_rt_create_attr(struct lc_nl *nl, const char *name, uint16_t type,
		      const void *val, size_t len);
int lc_rt_change_attr(struct lc_nl *nl, const char *name, uint16_t type,
		      const void *val, size_t len);
int lc_rt_create(struct lc_nl *nl, const char *name, int port, int cipher);
int lc_rt_change(struct lc_nl *nl, const char *name, int port, int cipher);
int lc_rt_del(struct lc_nl *nl, const char *name);
int lc_rt_set_up(struct lc_nl *nl, const char *name, bool up);
int lc_rt_set_mtu(struct lc_nl *nl, const char *name, unsigned int mtu);

struct lc_link_info {
	int ifindex;
	int mtu;
	char kind[32];
	int port;			/* -1 when absent */
	int cipher;			/* -1 when absent */
	int crypto;			/* -1 when absent */
};
int lc_rt_get(struct lc_nl *nl, const char *name, struct lc_link_info *info);

/* generic netlink */
int lc_genl_resolve(struct lc_nl *nl);
struct nlmsghdr *lc_genl_start(struct lc_nl *nl, char *buf, uint8_t cmd, uint16_t flags);

#endif /* _LC_NL_H */
