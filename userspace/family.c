// SPDX-License-Identifier: GPL-2.0
/* The linkcrypt generic netlink family; see family.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/linkcrypt.h>

#include "family.h"
#include "lcctl.h"

int lc_connect(struct lc_conn *c)
{
	int err;

	memset(c, 0, sizeof(*c));
	err = lc_nl_open(&c->nl);
	if (err) {
		fprintf(stderr, "%s: cannot open a generic netlink socket: %s\n",
			LCCTL_PROG, strerror(-err));
		return err;
	}
	err = lc_nl_resolve(&c->nl, LINKCRYPT_GENL_NAME, &c->fam);
	if (err == -ENOENT) {
		fprintf(stderr,
			"%s: the linkcrypt module is not loaded (no generic netlink family \"%s\"); load it with: modprobe linkcrypt\n",
			LCCTL_PROG, LINKCRYPT_GENL_NAME);
	} else if (err) {
		lc_report(c, err, "cannot look up the generic netlink family \"%s\"",
			  LINKCRYPT_GENL_NAME);
	}
	if (err)
		lc_disconnect(c);
	return err;
}

void lc_disconnect(struct lc_conn *c)
{
	if (c->nl.sock)
		lc_nl_close(&c->nl);
}

struct nlmsghdr *lc_req(struct lc_conn *c, uint8_t cmd, uint16_t flags)
{
	return lc_nl_genl_req(&c->nl, c->fam.id, cmd, LINKCRYPT_GENL_VERSION,
			      flags);
}

const char *lc_ext_suffix(const struct lc_conn *c, char *buf, size_t len)
{
	const struct lc_nl_ext *ext = &c->nl.ext;

	if (ext->msg[0])
		snprintf(buf, len, " (kernel: %s)", ext->msg);
	else if (ext->miss_type)
		snprintf(buf, len, " (kernel: missing attribute %u)",
			 ext->miss_type);
	else
		buf[0] = '\0';
	return buf;
}

static const char *reason(int err)
{
	switch (err) {
	case -EPERM:
	case -EACCES:
		return "permission denied; linkcrypt needs CAP_NET_ADMIN (run as root)";
	case -EOPNOTSUPP:
		return "not supported by the loaded linkcrypt module (is it older than lcctl?)";
	case -EBADMSG:
		return "malformed reply from the kernel";
	case -EINTR:
		return "the device list changed while it was read; try again";
	default:
		return strerror(-err);
	}
}

static __attribute__((format(printf, 3, 0)))
void vreport(const struct lc_conn *c, int err, const char *fmt, va_list ap)
{
	char ext[LC_NL_EXT_MSG_LEN + 32];

	fprintf(stderr, "%s: ", LCCTL_PROG);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s%s\n", reason(err),
		lc_ext_suffix(c, ext, sizeof(ext)));
}

void lc_report(const struct lc_conn *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, err, fmt, ap);
	va_end(ap);
}

void lc_put_dev(struct nlmsghdr *req, const char *ifname, uint32_t ifindex)
{
	if (ifname)
		mnl_attr_put_strz(req, LINKCRYPT_A_DEV_IFNAME, ifname);
	else
		mnl_attr_put_u32(req, LINKCRYPT_A_DEV_IFINDEX, ifindex);
}

void lc_report_no_dev(const struct lc_conn *c, const char *ifname,
		      uint32_t ifindex)
{
	char ext[LC_NL_EXT_MSG_LEN + 32];

	if (ifname)
		fprintf(stderr, "%s: Device \"%s\" does not exist or is not a linkcrypt device%s\n",
			LCCTL_PROG, ifname, lc_ext_suffix(c, ext, sizeof(ext)));
	else
		fprintf(stderr, "%s: Device with ifindex %u does not exist or is not a linkcrypt device%s\n",
			LCCTL_PROG, ifindex, lc_ext_suffix(c, ext, sizeof(ext)));
}

void lc_report_req(const struct lc_conn *c, int err, const char *ifname,
		   const char *fmt, ...)
{
	const char *msg = c->nl.ext.msg;
	size_t len = strlen(msg);
	va_list ap;

	if (err == -ENODEV) {
		lc_report_no_dev(c, ifname, 0);
	} else if (len && err != -EPERM && err != -EACCES) {
		fprintf(stderr, "Error: %s%s\n", msg,
			msg[len - 1] == '.' ? "" : ".");
	} else {
		va_start(ap, fmt);
		vreport(c, err, fmt, ap);
		va_end(ap);
	}
}
