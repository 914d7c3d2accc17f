/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "monitor" command: LINKCRYPT_CMD_EVENT notifications of the "events"
 * multicast group, decoded and printed one line each.  Parsing, decoding
 * and printing are apart from the socket, for the unit tests.
 */
#ifndef LCCTL_MONITOR_H
#define LCCTL_MONITOR_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

#include "key.h"
#include "nl.h"

struct lc_event {
	uint32_t present;	/* bit (1 << LINKCRYPT_A_DEV_*) per attribute */
	uint32_t ifindex;
	char ifname[IFNAMSIZ];
	uint32_t event;		/* enum linkcrypt_event, maybe unknown to us */
	bool has_peer;
	uint32_t peer;
	bool has_key;
	struct lc_key key;
};

/*
 * Decode a LINKCRYPT_CMD_EVENT message.  LINKCRYPT_A_DEV_EVENT must be
 * there; -EBADMSG if malformed.
 */
int lc_event_parse(const struct nlmsghdr *nlh, struct lc_event *ev);

/* "soft-limit", "hard-limit", "no-key", or "unknown(N)" in @buf. */
const char *lc_event_str(uint32_t event, char *buf, size_t len);

/*
 * One line: "lc0: peer 1 key tx id 3: soft-limit", "lc0: peer 1: no-key".
 * Returns 0, or -1 if @f failed.
 */
int monitor_print_text(FILE *f, const struct lc_event *ev);
/* One JSON object (one line unless @pretty); 0, or -1. */
int monitor_print_json(FILE *f, bool pretty, const struct lc_event *ev);

struct monitor {
	FILE *f;
	bool json, pretty;
	uint16_t family;	/* generic netlink family id of linkcrypt */
	/* Events of this device only: by ifindex, or by name if 0. */
	const char *ifname;	/* NULL: every device */
	uint32_t ifindex;
};

/*
 * Print the events among the messages in @buf (from the kernel), flushing
 * @f after each.  Other messages are skipped, malformed events reported on
 * stderr.  Returns the number of events printed, or -1 if @f failed.
 */
int monitor_feed(const struct monitor *m, const void *buf, size_t len);

/*
 * Print the events that reach the socket of @nl (subscribed already) until
 * SIGINT or SIGTERM, after saying "lcctl: listening for events" on stderr.
 * Returns an exit code: LC_EXIT_OK when stopped by a signal.
 */
int monitor_listen(struct lc_nl *nl, const struct monitor *m);

struct monitor_args {
	const char *ifname;	/* NULL: every device */
};

/* Parse the arguments after "monitor"; enum cli_result. */
int monitor_parse_args(int argc, char **argv, struct monitor_args *args);

#endif /* LCCTL_MONITOR_H */
