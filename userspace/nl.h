/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink over libmnl: one socket, family lookup through the
 * controller, request/response exchanges for doit and dump requests, and
 * extended ack (NLMSGERR_ATTR_*) decoding.  Nothing here is specific to
 * linkcrypt; see family.h for that.
 *
 * Functions return 0 or a negative errno.
 */
#ifndef LCCTL_NL_H
#define LCCTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#define LC_NL_MAX_MCAST_GRPS	8
#define LC_NL_EXT_MSG_LEN	256

struct lc_genl_family {
	char name[GENL_NAMSIZ];
	uint16_t id;
	uint32_t version;
	uint32_t hdrsize;
	uint32_t maxattr;
	unsigned int n_mcast_grps;
	struct {
		char name[GENL_NAMSIZ];
		uint32_t id;
	} mcast_grps[LC_NL_MAX_MCAST_GRPS];
};

/* What the kernel's extended ack said about the last request. */
struct lc_nl_ext {
	char msg[LC_NL_EXT_MSG_LEN];	/* NLMSGERR_ATTR_MSG, "" if none */
	uint32_t miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, 0 if none */
};

struct lc_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	struct lc_nl_ext ext;		/* of the last lc_nl_talk() */
	void *rxbuf;
	void *txbuf;
};

/*
 * Called for each data message of a reply.  Return 0 to go on, or a
 * negative errno to fail the exchange (the rest of the reply is then read
 * and dropped, so that the socket stays usable).
 */
typedef int (*lc_nl_cb_t)(const struct nlmsghdr *nlh, void *data);

int lc_nl_open(struct lc_nl *nl);
void lc_nl_close(struct lc_nl *nl);

/*
 * Start a generic netlink request in the socket's send buffer:
 * NLM_F_REQUEST | NLM_F_ACK | @flags, a fresh sequence number, and a genl
 * header with @cmd and @version.  Add attributes with mnl_attr_put_*().
 */
struct nlmsghdr *lc_nl_genl_req(struct lc_nl *nl, uint16_t family_id,
				uint8_t cmd, uint8_t version, uint16_t flags);

/*
 * Send @req and read the reply until its ack, error or end of dump,
 * calling @cb (may be NULL) for each data message.  Fills nl->ext.
 * Returns 0, the kernel's error, @cb's error, or -EINTR if the kernel
 * flagged a dump as inconsistent (NLM_F_DUMP_INTR; repeat it).
 */
int lc_nl_talk(struct lc_nl *nl, struct nlmsghdr *req, lc_nl_cb_t cb,
	       void *data);

/*
 * The reading half of lc_nl_talk(), apart so that it can be tested on
 * made-up replies: feed it what the socket gives until it is finished,
 * then take the result.
 */
struct lc_nl_rx {
	uint32_t portid;
	uint32_t seq;
	lc_nl_cb_t cb;
	void *data;
	struct lc_nl_ext *ext;
	int kernel_err;		/* from NLMSG_ERROR or NLMSG_DONE */
	int cb_err;		/* first error of cb */
	bool intr;		/* NLM_F_DUMP_INTR seen */
	bool finished;		/* ack, error or end of dump seen */
};

void lc_nl_rx_init(struct lc_nl_rx *rx, uint32_t portid, uint32_t seq,
		   lc_nl_cb_t cb, void *data, struct lc_nl_ext *ext);
/* Process the messages in @buf; true once the exchange is finished. */
bool lc_nl_rx_feed(struct lc_nl_rx *rx, const void *buf, size_t len);
/* 0, or the error lc_nl_talk() returns. */
int lc_nl_rx_result(const struct lc_nl_rx *rx);

/* Look @name up with CTRL_CMD_GETFAMILY; -ENOENT if not registered. */
int lc_nl_resolve(struct lc_nl *nl, const char *name,
		  struct lc_genl_family *fam);

/*
 * Attribute validation for lc_nl_parse_attrs(): per attribute type, the
 * libmnl data type to check (MNL_TYPE_UNSPEC: any payload) and, if not 0,
 * the largest payload length (for strings: NUL included).
 */
struct lc_nl_policy {
	enum mnl_attr_data_type type;
	uint16_t maxlen;
};

/*
 * Collect the attributes of @nlh that start @offset bytes into its payload
 * into @tb[0..@maxtype], checking each against @policy[type].  Types above
 * @maxtype (from a newer kernel) are ignored.  -EBADMSG if one is malformed.
 */
int lc_nl_parse_attrs(const struct nlmsghdr *nlh, size_t offset,
		      const struct lc_nl_policy *policy, unsigned int maxtype,
		      const struct nlattr **tb);
/* The same for the attributes nested in @nest. */
int lc_nl_parse_nested(const struct nlattr *nest,
		       const struct lc_nl_policy *policy, unsigned int maxtype,
		       const struct nlattr **tb);
/* The same for a generic netlink message (attributes after the genl header). */
int lc_nl_parse_genl(const struct nlmsghdr *nlh,
		     const struct lc_nl_policy *policy, unsigned int maxtype,
		     const struct nlattr **tb);

/* Zero both buffers, after a request that held secrets. */
void lc_nl_wipe(struct lc_nl *nl);

/* Join the multicast group @group (an id from lc_nl_mcast_grp()). */
int lc_nl_subscribe(struct lc_nl *nl, uint32_t group);

/* The socket's file descriptor, for poll(). */
int lc_nl_fd(const struct lc_nl *nl);

/*
 * Read what is waiting on the socket, without blocking, into nl->rxbuf.
 * Returns its length (0 for a message that did not come from the kernel,
 * dropped), or a negative errno (-EAGAIN: nothing waits; -ENOBUFS:
 * messages were lost, the socket is still usable).
 */
ssize_t lc_nl_recv(struct lc_nl *nl);

/* Multicast group @name of @fam, or -ENOENT. */
int lc_nl_mcast_grp(const struct lc_genl_family *fam, const char *name,
		    uint32_t *id);

/* Decoders, exposed for the unit tests. */

/* NLMSG_ERROR: *@error is 0 (an ack) or a negative errno. */
int lc_nl_parse_error(const struct nlmsghdr *nlh, int *error,
		      struct lc_nl_ext *ext);
/* NLMSG_DONE: *@error is 0 or the negative errno ending a dump. */
int lc_nl_parse_done(const struct nlmsghdr *nlh, int *error,
		     struct lc_nl_ext *ext);
/* A CTRL_CMD_NEWFAMILY message. */
int lc_nl_parse_family(const struct nlmsghdr *nlh, struct lc_genl_family *fam);

#endif /* LCCTL_NL_H */
