// SPDX-License-Identifier: GPL-2.0
/* Peer endpoints and MAC addresses; see addr.h. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "cli.h"

static int endpoint_port(const char *arg, const char *port, uint16_t *out)
{
	if (*port == '\0')
		return cli_error("endpoint \"%s\" has no port; use A.B.C.D:PORT or [IPV6]:PORT.",
				 arg);
	if (cli_parse_u16(port, out) || *out == 0)
		return cli_error("\"%s\" in endpoint \"%s\" is not a valid UDP port (1..65535).",
				 port, arg);
	return CLI_OK;
}

int lc_endpoint_parse(const char *s, struct lc_endpoint *ep)
{
	char host[INET6_ADDRSTRLEN];
	struct lc_endpoint e;
	const char *end, *colon;
	size_t len;
	int err;

	memset(&e, 0, sizeof(e));
	if (s[0] == '[') {
		end = strchr(s, ']');
		if (!end)
			return cli_error("endpoint \"%s\": no \"]\" after the IPv6 address; use [IPV6]:PORT.",
					 s);
		len = (size_t)(end - s - 1);
		if (len == 0 || len >= sizeof(host))
			return cli_error("endpoint \"%s\": \"%.*s\" is not an IPv6 address.",
					 s, (int)len, s + 1);
		memcpy(host, s + 1, len);
		host[len] = '\0';
		if (strchr(host, '%'))
			return cli_error("endpoint \"%s\": scoped IPv6 addresses (\"%%IFACE\") are not supported.",
					 s);
		if (inet_pton(AF_INET6, host, &e.addr.v6) != 1)
			return cli_error("endpoint \"%s\": \"%s\" is not an IPv6 address.",
					 s, host);
		if (end[1] == '\0')
			return cli_error("endpoint \"%s\" has no port; use [IPV6]:PORT.", s);
		if (end[1] != ':')
			return cli_error("endpoint \"%s\": expected \":PORT\" after \"]\".", s);
		e.family = AF_INET6;
		err = endpoint_port(s, end + 2, &e.port);
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return cli_error("endpoint \"%s\" has no port; use A.B.C.D:PORT or [IPV6]:PORT.",
					 s);
		if (strchr(s, ':') != colon)
			return cli_error("endpoint \"%s\": an IPv6 address goes in brackets, as in [2001:db8::1]:7788.",
					 s);
		len = (size_t)(colon - s);
		if (len == 0 || len >= sizeof(host))
			return cli_error("endpoint \"%s\": \"%.*s\" is not an IPv4 address.",
					 s, (int)len, s);
		memcpy(host, s, len);
		host[len] = '\0';
		/* inet_pton() takes exactly the dotted quad, no shorthand. */
		if (inet_pton(AF_INET, host, &e.addr.v4) != 1)
			return cli_error("endpoint \"%s\": \"%s\" is not an IPv4 address (A.B.C.D; names are not resolved).",
					 s, host);
		e.family = AF_INET;
		err = endpoint_port(s, colon + 1, &e.port);
	}
	if (err)
		return err;
	*ep = e;
	return CLI_OK;
}

const char *lc_endpoint_addr_str(const struct lc_endpoint *ep, char *buf,
				 size_t len)
{
	if ((ep->family != AF_INET && ep->family != AF_INET6) ||
	    !inet_ntop(ep->family, &ep->addr, buf, (socklen_t)len))
		snprintf(buf, len, "none");
	return buf;
}

const char *lc_endpoint_str(const struct lc_endpoint *ep, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	if (ep->family == AF_INET)
		snprintf(buf, len, "%s:%u",
			 lc_endpoint_addr_str(ep, addr, sizeof(addr)), ep->port);
	else if (ep->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u",
			 lc_endpoint_addr_str(ep, addr, sizeof(addr)), ep->port);
	else
		snprintf(buf, len, "none");
	return buf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int lc_mac_parse(const char *s, struct lc_mac *mac)
{
	struct lc_mac m;
	unsigned int i;

	/* Exactly six pairs of hex digits separated by colons. */
	if (strlen(s) != LC_MAC_STRLEN - 1)
		goto bad;
	for (i = 0; i < LC_MAC_LEN; i++) {
		const char *p = s + 3 * i;
		int hi = hexval(p[0]), lo = hexval(p[1]);

		if (hi < 0 || lo < 0 || (i < LC_MAC_LEN - 1 && p[2] != ':'))
			goto bad;
		m.a[i] = (uint8_t)(hi << 4 | lo);
	}
	if (m.a[0] & 1)
		return cli_error("MAC address \"%s\" is a multicast or broadcast address; a peer's static MACs must be unicast.",
				 s);
	for (i = 0; i < LC_MAC_LEN && !m.a[i]; i++)
		;
	if (i == LC_MAC_LEN)
		return cli_error("MAC address \"%s\" is all zero.", s);
	*mac = m;
	return CLI_OK;
bad:
	return cli_error("\"%s\" is not a MAC address (aa:bb:cc:dd:ee:ff).", s);
}

const char *lc_mac_str(const struct lc_mac *mac, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac->a[0],
		 mac->a[1], mac->a[2], mac->a[3], mac->a[4], mac->a[5]);
	return buf;
}
