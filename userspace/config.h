/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration file of "lcctl up DEV -c FILE": an INI file in the
 * style of wg-quick, one [Interface] and any number of [Peer] sections.
 *
 *	[Interface]
 *	PrivateKey = /etc/linkcrypt/alpha.key
 *	Certificate = /etc/linkcrypt/alpha.crt
 *	ListenPort = 7788
 *
 *	[Peer]
 *	Fingerprint = 3b0c...(64 hex digits)
 *	Endpoint = 192.0.2.2:7788
 *	Id = 2
 *
 * Parsing checks the file alone (syntax, values, required and duplicate
 * keys, uniqueness of peers); it reads no key, certificate or CA file.
 * Errors are "FILE:LINE: message", the first one only.  The grammar and
 * the rules are in userspace/README.md.
 */
#ifndef LCCTL_CONFIG_H
#define LCCTL_CONFIG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "errbuf.h"
#include "identity.h"

#define LC_CONF_FILE_MAX	(1024 * 1024)	/* bytes */
#define LC_CONF_LINE_MAX	4096		/* bytes, without the newline */
#define LC_CONF_MAX_PEERS	1024
#define LC_CONF_MAX_ADDRS	256
#define LC_CONF_MAX_MACS	256		/* per peer, as "lcctl peer" */

/* Defaults and limits, in seconds. */
#define LC_CONF_REKEY_DEFAULT	120
#define LC_CONF_REKEY_MIN	2		/* for tests; warned below: */
#define LC_CONF_REKEY_WARN	60
#define LC_CONF_REKEY_MAX	86400
#define LC_CONF_LIFETIME_FACTOR	3		/* default: 3 x RekeyAfter */
#define LC_CONF_LIFETIME_MAX	(7 * 86400)

/* An overlay address of the device, "198.51.100.1/24". */
struct lc_conf_addr {
	int family;			/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	unsigned int prefix;		/* 0..32 or 0..128 */
	unsigned int line;
};

struct lc_conf_peer {
	unsigned int line;		/* of its [Peer] header */
	char *name;			/* Name: expected in its certificate */
	bool has_fpr;			/* Fingerprint given */
	struct lc_fpr fpr;
	struct lc_endpoint endpoint;	/* family AF_UNSPEC: not given */
	uint32_t id;			/* Id: our index for the peer */
	struct lc_mac *macs;		/* MAC: static MAC addresses */
	size_t n_macs;
	/* Lines of the single-valued keys, 0 if not given. */
	unsigned int line_name, line_fpr, line_endpoint, line_id;
};

struct lc_conf {
	char *path;			/* as given to the parser */
	char *device;			/* Device, or NULL */
	/* Paths; a relative one is taken from the directory of @path. */
	char *private_key;		/* PrivateKey */
	char *certificate;		/* Certificate */
	char *ca;			/* CA, or NULL */
	uint16_t listen_port;		/* ListenPort; default 7788 */
	int cipher;			/* Cipher: enum linkcrypt_cipher */
	uint32_t rekey_after;		/* RekeyAfter, seconds */
	uint32_t key_lifetime;		/* KeyLifetime, seconds */
	struct lc_conf_addr *addrs;	/* Address */
	size_t n_addrs;
	struct lc_conf_peer *peers;
	size_t n_peers;
	/* Lines of [Interface] and of its single-valued keys, 0: not given. */
	unsigned int line_interface, line_device, line_private_key,
		     line_certificate, line_ca, line_listen_port, line_cipher,
		     line_rekey_after, line_key_lifetime;
};

/*
 * Parse the @len bytes of @text, the contents of the file @path.  Relative
 * paths in it (PrivateKey, Certificate, CA) are taken from the directory
 * of @path.  0 on success; -1 with @err set to "PATH:LINE: message" (or
 * "PATH: message" for what belongs to no line) and @conf empty.
 * lc_conf_free() releases @conf in either case.
 */
int lc_conf_parse(const char *path, const char *text, size_t len,
		  struct lc_conf *conf, struct lc_err *err);

/* Results of lc_conf_load(). */
enum {
	LC_CONF_OK = 0,
	LC_CONF_EIO = -1,	/* the file cannot be read */
	LC_CONF_EINVAL = -2,	/* its contents are wrong */
};

/* Read @path (at most LC_CONF_FILE_MAX bytes) and parse it. */
int lc_conf_load(const char *path, struct lc_conf *conf, struct lc_err *err);

/*
 * The device is named by "lcctl up DEV" and/or by Device: @dev (NULL: not
 * on the command line) must agree with Device if both are given.  The
 * name to use, or NULL with @err set if they disagree or neither is given.
 */
const char *lc_conf_device(const struct lc_conf *conf, const char *dev,
			   struct lc_err *err);

void lc_conf_free(struct lc_conf *conf);

/*
 * A warning about a valid but unwise @conf ("FILE:LINE: message"), or
 * NULL: a RekeyAfter below LC_CONF_REKEY_WARN.
 */
const char *lc_conf_warning(const struct lc_conf *conf, char *buf, size_t len);

/* "120s" -> "2m": the largest unit that divides @secs (s, m, h, d). */
const char *lc_duration_str(uint32_t secs, char *buf, size_t len);

/* "198.51.100.1/24", "2001:db8::1/64". */
#define LC_CONF_ADDR_STRLEN	(INET6_ADDRSTRLEN + 4)
const char *lc_conf_addr_str(const struct lc_conf_addr *a, char *buf,
			     size_t len);

#endif /* LCCTL_CONFIG_H */
