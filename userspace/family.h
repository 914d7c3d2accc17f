/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The linkcrypt generic netlink family: connecting to it, building its
 * requests, and turning failures into messages a sysadmin can act on.
 */
#ifndef LCCTL_FAMILY_H
#define LCCTL_FAMILY_H

#include <stdint.h>

#include "nl.h"

struct lc_conn {
	struct lc_nl nl;
	struct lc_genl_family fam;
};

/*
 * Open a socket and look the family up.  On failure, print why (module
 * not loaded, no netlink, ...) and return a negative errno.
 */
int lc_connect(struct lc_conn *c);
void lc_disconnect(struct lc_conn *c);

/* Start a request for linkcrypt command @cmd; see lc_nl_genl_req(). */
struct nlmsghdr *lc_req(struct lc_conn *c, uint8_t cmd, uint16_t flags);

/*
 * Print "lcctl: <what>: <reason>" for the failure @err of the last request,
 * with the kernel's extended ack text if it gave one.  EPERM and the like
 * explain the privilege needed.
 */
void lc_report(const struct lc_conn *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Name the device of a request: LINKCRYPT_A_DEV_IFNAME if @ifname, else
 * LINKCRYPT_A_DEV_IFINDEX.
 */
void lc_put_dev(struct nlmsghdr *req, const char *ifname, uint32_t ifindex);

/*
 * 'lcctl: Device "DEV" does not exist or is not a linkcrypt device', by
 * @ifname or else @ifindex, with the kernel's text if it gave one.
 */
void lc_report_no_dev(const struct lc_conn *c, const char *ifname,
		      uint32_t ifindex);

/*
 * Report the failure @err of a request about the device @ifname:
 * ENODEV as lc_report_no_dev(); a lack of privilege as lc_report();
 * otherwise the kernel's extended ack text, as iproute2 does
 * ("Error: <text>."), or, if it gave none, lc_report(@fmt, ...).
 */
void lc_report_req(const struct lc_conn *c, int err, const char *ifname,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* " (kernel: <text>)" for the last request's extended ack, or "". */
const char *lc_ext_suffix(const struct lc_conn *c, char *buf, size_t len);

#endif /* LCCTL_FAMILY_H */
