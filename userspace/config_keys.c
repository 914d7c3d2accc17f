// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of the configuration file: their sections, values and rules.
 * See config.h and userspace/README.md.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "cipher.h"
#include "cli.h"
#include "config_parser.h"

struct key_def {
	const char *name;	/* as documented; matched case-insensitively */
	enum lc_conf_section sec;
	int (*set)(struct lc_conf_parser *p, const char *key,
		   const char *value);
};

static struct lc_conf_peer *cur_peer(struct lc_conf_parser *p)
{
	return &p->conf->peers[p->conf->n_peers - 1];
}

/* A single-valued key: note its line, refuse it a second time. */
static int once(struct lc_conf_parser *p, unsigned int *line, const char *key)
{
	if (*line)
		return lc_conf_error(p, p->line, "duplicate %s (first given at line %u)",
				     key, *line);
	*line = p->line;
	return 0;
}

static int set_string(struct lc_conf_parser *p, char **dst, const char *value)
{
	*dst = strdup(value);
	if (!*dst)
		return lc_conf_error(p, p->line, "out of memory");
	return 0;
}

/* @value, taken from the directory of the configuration file if relative. */
static int set_path(struct lc_conf_parser *p, char **dst, const char *value)
{
	const char *slash = strrchr(p->path, '/');
	int dirlen;

	if (value[0] == '/' || !slash)
		return set_string(p, dst, value);
	dirlen = (int)(slash - p->path);
	if (asprintf(dst, "%.*s/%s", dirlen, p->path, value) < 0) {
		*dst = NULL;
		return lc_conf_error(p, p->line, "out of memory");
	}
	return 0;
}

/* Seconds, with an optional unit s, m, h or d (cli_parse_seconds()). */
static int parse_duration(struct lc_conf_parser *p, const char *key,
			  const char *value, uint32_t min, uint32_t max,
			  uint32_t *out)
{
	char lo[16], hi[16];

	if (cli_parse_seconds(value, out))
		return lc_conf_error(p, p->line, "%s: \"%s\" is not a duration (seconds, optionally followed by s, m, h or d)",
				     key, value);
	if (*out < min || *out > max)
		return lc_conf_error(p, p->line, "%s must be between %s and %s, not %s",
				     key, lc_duration_str(min, lo, sizeof(lo)),
				     lc_duration_str(max, hi, sizeof(hi)), value);
	return 0;
}

/*
 * Call @one for each comma-separated item of @value, trimmed.  For the
 * repeatable keys, which may also be given on several lines.
 */
static int for_each_item(struct lc_conf_parser *p, const char *key,
			 const char *value,
			 int (*one)(struct lc_conf_parser *p, const char *item))
{
	char item[LC_CONF_LINE_MAX + 1];
	const char *s = value, *end;
	size_t len;

	for (;;) {
		end = strchr(s, ',');
		len = end ? (size_t)(end - s) : strlen(s);
		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len == 0)
			return lc_conf_error(p, p->line, "%s: empty item in \"%s\"", key,
					     value);
		memcpy(item, s, len);
		item[len] = '\0';
		if (one(p, item))
			return -1;
		if (!end)
			return 0;
		s = end + 1;
	}
}

/* ---- [Interface] ---- */

static int set_device(struct lc_conf_parser *p, const char *key,
		      const char *value)
{
	if (once(p, &p->conf->line_device, key))
		return -1;
	if (!cli_ifname_valid(value))
		return lc_conf_error(p, p->line, "Device: \"%s\" is not a valid interface name",
				     value);
	return set_string(p, &p->conf->device, value);
}

static int set_private_key(struct lc_conf_parser *p, const char *key,
			   const char *value)
{
	if (once(p, &p->conf->line_private_key, key))
		return -1;
	return set_path(p, &p->conf->private_key, value);
}

static int set_certificate(struct lc_conf_parser *p, const char *key,
			   const char *value)
{
	if (once(p, &p->conf->line_certificate, key))
		return -1;
	return set_path(p, &p->conf->certificate, value);
}

static int set_ca(struct lc_conf_parser *p, const char *key, const char *value)
{
	if (once(p, &p->conf->line_ca, key))
		return -1;
	return set_path(p, &p->conf->ca, value);
}

static int set_listen_port(struct lc_conf_parser *p, const char *key,
			   const char *value)
{
	if (once(p, &p->conf->line_listen_port, key))
		return -1;
	if (cli_parse_u16(value, &p->conf->listen_port) ||
	    p->conf->listen_port == 0)
		return lc_conf_error(p, p->line, "ListenPort: \"%s\" is not a valid port (1..65535)",
				     value);
	return 0;
}

static int set_cipher(struct lc_conf_parser *p, const char *key,
		      const char *value)
{
	if (once(p, &p->conf->line_cipher, key))
		return -1;
	p->conf->cipher = lc_cipher_from_name(value);
	if (p->conf->cipher < 0)
		return lc_conf_error(p, p->line, "Cipher: \"%s\" is not a cipher; use %s",
				     value, lc_cipher_names());
	return 0;
}

static int set_rekey_after(struct lc_conf_parser *p, const char *key,
			   const char *value)
{
	if (once(p, &p->conf->line_rekey_after, key))
		return -1;
	return parse_duration(p, "RekeyAfter", value, LC_CONF_REKEY_MIN,
			      LC_CONF_REKEY_MAX, &p->conf->rekey_after);
}

static int set_key_lifetime(struct lc_conf_parser *p, const char *key,
			    const char *value)
{
	if (once(p, &p->conf->line_key_lifetime, key))
		return -1;
	/* The lower bound, RekeyAfter, is checked at the end. */
	return parse_duration(p, "KeyLifetime", value, 1, LC_CONF_LIFETIME_MAX,
			      &p->conf->key_lifetime);
}

static int add_address(struct lc_conf_parser *p, const char *item)
{
	struct lc_conf *c = p->conf;
	char host[INET6_ADDRSTRLEN], text[LC_CONF_ADDR_STRLEN];
	const char *slash = strchr(item, '/');
	size_t len = slash ? (size_t)(slash - item) : strlen(item);
	struct lc_conf_addr a, *grown;
	unsigned int max;
	uint64_t prefix;
	size_t i;

	memset(&a, 0, sizeof(a));
	a.line = p->line;
	if (len == 0 || len >= sizeof(host))
		goto bad;
	memcpy(host, item, len);
	host[len] = '\0';
	a.family = strchr(host, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(a.family, host, &a.addr) != 1)
		goto bad;
	max = a.family == AF_INET ? 32 : 128;
	a.prefix = max;
	if (slash) {
		if (cli_parse_uint(slash + 1, max, &prefix))
			return lc_conf_error(p, p->line, "Address: \"%s\" is not a prefix length of \"%s\" (0..%u)",
					     slash + 1, item, max);
		a.prefix = (unsigned int)prefix;
	}
	for (i = 0; i < c->n_addrs; i++) {
		if (c->addrs[i].family == a.family &&
		    !memcmp(&c->addrs[i].addr, &a.addr,
			    a.family == AF_INET ? 4 : 16))
			return lc_conf_error(p, p->line, "Address %s is given twice (first at line %u)",
					     lc_conf_addr_str(&a, text, sizeof(text)),
					     c->addrs[i].line);
	}
	if (c->n_addrs >= LC_CONF_MAX_ADDRS)
		return lc_conf_error(p, p->line, "too many addresses (at most %d)",
				     LC_CONF_MAX_ADDRS);
	grown = realloc(c->addrs, (c->n_addrs + 1) * sizeof(*grown));
	if (!grown)
		return lc_conf_error(p, p->line, "out of memory");
	c->addrs = grown;
	c->addrs[c->n_addrs++] = a;
	return 0;
bad:
	return lc_conf_error(p, p->line, "Address: \"%s\" is not an IP address with an optional prefix length (198.51.100.1/24, 2001:db8::1/64)",
			     item);
}

static int set_address(struct lc_conf_parser *p, const char *key,
		       const char *value)
{
	return for_each_item(p, key, value, add_address);
}

static int misplaced_id(struct lc_conf_parser *p, const char *key,
			const char *value)
{
	(void)key;
	(void)value;
	return lc_conf_error(p, p->line, "Id belongs in a [Peer] section: it is our index for that peer");
}

/* ---- [Peer] ---- */

static int set_name(struct lc_conf_parser *p, const char *key,
		    const char *value)
{
	struct lc_conf_peer *peer = cur_peer(p);
	size_t i;

	if (once(p, &peer->line_name, key))
		return -1;
	if (peer->line_fpr)
		return lc_conf_error(p, p->line, "give either Name or Fingerprint, not both (Fingerprint is at line %u)",
				     peer->line_fpr);
	if (!lc_dns_name_valid(value))
		return lc_conf_error(p, p->line, "Name: \"%s\" is not a DNS name (letters, digits, hyphens and dots; at most %d characters)",
				     value, LC_NAME_MAX);
	for (i = 0; i + 1 < p->conf->n_peers; i++) {
		if (p->conf->peers[i].name &&
		    !strcasecmp(p->conf->peers[i].name, value))
			return lc_conf_error(p, p->line, "Name %s is already used by the peer at line %u",
					     value, p->conf->peers[i].line);
	}
	return set_string(p, &peer->name, value);
}

static int set_fingerprint(struct lc_conf_parser *p, const char *key,
			   const char *value)
{
	struct lc_conf_peer *peer = cur_peer(p);
	size_t i;

	if (once(p, &peer->line_fpr, key))
		return -1;
	if (peer->line_name)
		return lc_conf_error(p, p->line, "give either Name or Fingerprint, not both (Name is at line %u)",
				     peer->line_name);
	if (lc_fpr_parse(value, &peer->fpr))
		return lc_conf_error(p, p->line, "Fingerprint: \"%s\" is not a fingerprint (%d hex digits, as \"lcctl fingerprint\" prints)",
				     value, LC_FPR_HEX_LEN);
	for (i = 0; i + 1 < p->conf->n_peers; i++) {
		if (p->conf->peers[i].has_fpr &&
		    lc_fpr_equal(&p->conf->peers[i].fpr, &peer->fpr))
			return lc_conf_error(p, p->line, "this Fingerprint is already used by the peer at line %u",
					     p->conf->peers[i].line);
	}
	peer->has_fpr = true;
	return 0;
}

static int endpoint_port(struct lc_conf_parser *p, const char *value,
			 const char *port, uint16_t *out)
{
	if (*port == '\0')
		return lc_conf_error(p, p->line, "Endpoint: \"%s\" has no port (A.B.C.D:PORT or [IPV6]:PORT)",
				     value);
	if (cli_parse_u16(port, out) || *out == 0)
		return lc_conf_error(p, p->line, "Endpoint: \"%s\" in \"%s\" is not a valid port (1..65535)",
				     port, value);
	return 0;
}

/* "A.B.C.D:PORT" or "[IPV6]:PORT", as "lcctl peer" takes them. */
static int parse_endpoint(struct lc_conf_parser *p, const char *value,
			  struct lc_endpoint *ep)
{
	char host[INET6_ADDRSTRLEN];
	const char *end;
	size_t len;

	memset(ep, 0, sizeof(*ep));
	if (value[0] == '[') {
		end = strchr(value, ']');
		len = end ? (size_t)(end - value - 1) : 0;
		if (!end || len == 0 || len >= sizeof(host))
			goto bad6;
		memcpy(host, value + 1, len);
		host[len] = '\0';
		if (inet_pton(AF_INET6, host, &ep->addr.v6) != 1)
			goto bad6;
		if (end[1] != ':')
			return lc_conf_error(p, p->line, "Endpoint: \"%s\" has no port (A.B.C.D:PORT or [IPV6]:PORT)",
					     value);
		ep->family = AF_INET6;
		return endpoint_port(p, value, end + 2, &ep->port);
	}
	end = strrchr(value, ':');
	if (!end)
		return lc_conf_error(p, p->line, "Endpoint: \"%s\" has no port (A.B.C.D:PORT or [IPV6]:PORT)",
				     value);
	if (strchr(value, ':') != end)
		return lc_conf_error(p, p->line, "Endpoint: \"%s\": an IPv6 address goes in brackets, as in [2001:db8::2]:7788",
				     value);
	len = (size_t)(end - value);
	if (len == 0 || len >= sizeof(host))
		goto bad4;
	memcpy(host, value, len);
	host[len] = '\0';
	if (inet_pton(AF_INET, host, &ep->addr.v4) != 1)
		goto bad4;
	ep->family = AF_INET;
	return endpoint_port(p, value, end + 1, &ep->port);
bad4:
	return lc_conf_error(p, p->line, "Endpoint: \"%s\" is not an IPv4 address and port (A.B.C.D:PORT; names are not resolved)",
			     value);
bad6:
	return lc_conf_error(p, p->line, "Endpoint: \"%s\" is not an IPv6 address and port ([IPV6]:PORT)",
			     value);
}

static bool same_endpoint(const struct lc_endpoint *a,
			  const struct lc_endpoint *b)
{
	return a->family == b->family && a->port == b->port &&
	       !memcmp(&a->addr, &b->addr, a->family == AF_INET ? 4 : 16);
}

static int set_endpoint(struct lc_conf_parser *p, const char *key,
			const char *value)
{
	struct lc_conf_peer *peer = cur_peer(p);
	struct lc_endpoint ep;
	size_t i;

	if (once(p, &peer->line_endpoint, key))
		return -1;
	if (parse_endpoint(p, value, &ep))
		return -1;
	for (i = 0; i + 1 < p->conf->n_peers; i++) {
		if (same_endpoint(&p->conf->peers[i].endpoint, &ep))
			return lc_conf_error(p, p->line, "Endpoint %s is already used by the peer at line %u",
					     value, p->conf->peers[i].line);
	}
	peer->endpoint = ep;
	return 0;
}

static int set_id(struct lc_conf_parser *p, const char *key, const char *value)
{
	struct lc_conf_peer *peer = cur_peer(p);
	uint32_t id;
	size_t i;

	if (once(p, &peer->line_id, key))
		return -1;
	if (cli_parse_u32(value, &id) || id == 0)
		return lc_conf_error(p, p->line, "Id: \"%s\" is not a valid peer id (1..4294967295)",
				     value);
	for (i = 0; i + 1 < p->conf->n_peers; i++) {
		if (p->conf->peers[i].id == id)
			return lc_conf_error(p, p->line, "Id %u is already used by the peer at line %u",
					     id, p->conf->peers[i].line);
	}
	peer->id = id;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int add_mac(struct lc_conf_parser *p, const char *item)
{
	struct lc_conf_peer *peer = cur_peer(p), *other;
	struct lc_mac m, *grown;
	size_t i, j;

	if (strlen(item) != LC_MAC_STRLEN - 1)
		goto bad;
	for (i = 0; i < LC_MAC_LEN; i++) {
		const char *s = item + 3 * i;
		int hi = hexval(s[0]), lo = hexval(s[1]);

		if (hi < 0 || lo < 0 || (i < LC_MAC_LEN - 1 && s[2] != ':'))
			goto bad;
		m.a[i] = (uint8_t)(hi << 4 | lo);
	}
	if (m.a[0] & 1)
		return lc_conf_error(p, p->line, "MAC: %s is a multicast address; static MACs must be unicast",
				     item);
	for (i = 0; i < LC_MAC_LEN && !m.a[i]; i++)
		;
	if (i == LC_MAC_LEN)
		return lc_conf_error(p, p->line, "MAC: %s is all zero", item);
	for (i = 0; i < p->conf->n_peers; i++) {
		other = &p->conf->peers[i];
		for (j = 0; j < other->n_macs; j++) {
			if (memcmp(&other->macs[j], &m, sizeof(m)))
				continue;
			if (other == peer)
				return lc_conf_error(p, p->line, "MAC %s is given twice for this peer",
						     item);
			return lc_conf_error(p, p->line, "MAC %s already belongs to the peer at line %u",
					     item, other->line);
		}
	}
	if (peer->n_macs >= LC_CONF_MAX_MACS)
		return lc_conf_error(p, p->line, "too many MACs for one peer (at most %d)",
				     LC_CONF_MAX_MACS);
	grown = realloc(peer->macs, (peer->n_macs + 1) * sizeof(*grown));
	if (!grown)
		return lc_conf_error(p, p->line, "out of memory");
	peer->macs = grown;
	peer->macs[peer->n_macs++] = m;
	return 0;
bad:
	return lc_conf_error(p, p->line, "MAC: \"%s\" is not a MAC address (aa:bb:cc:dd:ee:ff)",
			     item);
}

static int set_mac(struct lc_conf_parser *p, const char *key, const char *value)
{
	return for_each_item(p, key, value, add_mac);
}

static const struct key_def keys[] = {
	{ "Device",		LC_SEC_INTERFACE,	set_device },
	{ "PrivateKey",		LC_SEC_INTERFACE,	set_private_key },
	{ "Certificate",	LC_SEC_INTERFACE,	set_certificate },
	{ "CA",			LC_SEC_INTERFACE,	set_ca },
	{ "ListenPort",		LC_SEC_INTERFACE,	set_listen_port },
	{ "Cipher",		LC_SEC_INTERFACE,	set_cipher },
	{ "RekeyAfter",		LC_SEC_INTERFACE,	set_rekey_after },
	{ "KeyLifetime",	LC_SEC_INTERFACE,	set_key_lifetime },
	{ "Address",		LC_SEC_INTERFACE,	set_address },
	{ "Id",			LC_SEC_INTERFACE,	misplaced_id },
	{ "Name",		LC_SEC_PEER,		set_name },
	{ "Fingerprint",	LC_SEC_PEER,		set_fingerprint },
	{ "Endpoint",		LC_SEC_PEER,		set_endpoint },
	{ "Id",			LC_SEC_PEER,		set_id },
	{ "MAC",		LC_SEC_PEER,		set_mac },
};

#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

int lc_conf_set_key(struct lc_conf_parser *p, const char *key,
		    const char *value)
{
	const struct key_def *elsewhere = NULL;
	size_t i;

	for (i = 0; i < N_KEYS; i++) {
		if (strcasecmp(key, keys[i].name))
			continue;
		if (keys[i].sec == p->sec)
			return keys[i].set(p, keys[i].name, value);
		elsewhere = &keys[i];
	}
	if (elsewhere)
		return lc_conf_error(p, p->line, "%s belongs in %s [%s] section, not in [%s]",
				     elsewhere->name,
				     elsewhere->sec == LC_SEC_PEER ? "a" : "the",
				     lc_conf_section_names[elsewhere->sec],
				     lc_conf_section_names[p->sec]);
	return lc_conf_error(p, p->line, "unknown key \"%s\" in [%s]", key,
			     lc_conf_section_names[p->sec]);
}

