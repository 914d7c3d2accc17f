/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peer endpoints (an IPv4 or IPv6 address and a UDP port) and static MAC
 * addresses: parsing from the command line and formatting for output.
 */
#ifndef LCCTL_ADDR_H
#define LCCTL_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LC_MAC_LEN	6
/* "aa:bb:cc:dd:ee:ff" and its NUL. */
#define LC_MAC_STRLEN	18
/* "[" INET6_ADDRSTRLEN "]:65535", with room to spare. */
#define LC_ENDPOINT_STRLEN	(INET6_ADDRSTRLEN + 8)

struct lc_endpoint {
	int family;		/* AF_INET, AF_INET6, or AF_UNSPEC: none */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	uint16_t port;		/* host byte order */
};

struct lc_mac {
	uint8_t a[LC_MAC_LEN];
};

/*
 * "A.B.C.D:PORT" or "[IPV6]:PORT", port 1..65535.  Returns enum
 * cli_result: on CLI_USAGE an "Error: ..." line has been printed.
 */
int lc_endpoint_parse(const char *s, struct lc_endpoint *ep);

/* The address alone ("192.0.2.2", "2001:db8::1"); "none" if no family. */
const char *lc_endpoint_addr_str(const struct lc_endpoint *ep, char *buf,
				 size_t len);
/* "192.0.2.2:7788" or "[2001:db8::1]:7788"; "none" if no family. */
const char *lc_endpoint_str(const struct lc_endpoint *ep, char *buf, size_t len);

/*
 * "aa:bb:cc:dd:ee:ff" (hex digits of either case), unicast and not all
 * zero.  Returns enum cli_result; on CLI_USAGE an "Error: ..." line has
 * been printed.
 */
int lc_mac_parse(const char *s, struct lc_mac *mac);

/* Lower-case "aa:bb:cc:dd:ee:ff"; @buf holds LC_MAC_STRLEN bytes. */
const char *lc_mac_str(const struct lc_mac *mac, char *buf, size_t len);

#endif /* LCCTL_ADDR_H */
