// SPDX-License-Identifier: GPL-2.0
/* The configuration file of "lcctl up"; see config.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/linkcrypt.h>

#include "config_parser.h"

const char *const lc_conf_section_names[] = {
	[LC_SEC_NONE]		= "(none)",
	[LC_SEC_INTERFACE]	= "Interface",
	[LC_SEC_PEER]		= "Peer",
};

int lc_conf_error(struct lc_conf_parser *p, unsigned int line,
		  const char *fmt, ...)
		  {
		  char msg[LC_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		lc_err_set(p->err, "%s:%u: %s", p->path, line, msg);
	else
		lc_err_set(p->err, "%s: %s", p->path, msg);
	return -1;
}

static int start_section(struct lc_conf_parser *p, const char *name)
{
	struct lc_conf *c = p->conf;
	struct lc_conf_peer *grown;

	if (!strcasecmp(name, "Interface")) {
		if (c->line_interface)
			return lc_conf_error(p, p->line, "duplicate [Interface] section (first at line %u)",
					     c->line_interface);
		c->line_interface = p->line;
		p->sec = LC_SEC_INTERFACE;
		return 0;
	}
	if (strcasecmp(name, "Peer"))
		return lc_conf_error(p, p->line, "unknown section [%s]; use [Interface] or [Peer]",
				     name);
	if (c->n_peers >= LC_CONF_MAX_PEERS)
		return lc_conf_error(p, p->line, "too many peers (at most %d)",
				     LC_CONF_MAX_PEERS);
	grown = realloc(c->peers, (c->n_peers + 1) * sizeof(*grown));
	if (!grown)
		return lc_conf_error(p, p->line, "out of memory");
	c->peers = grown;
	memset(&c->peers[c->n_peers], 0, sizeof(c->peers[0]));
	c->peers[c->n_peers].line = p->line;
	c->n_peers++;
	p->sec = LC_SEC_PEER;
	return 0;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return s;
}

/* A comment starts with # or ; at the start of a line or after a blank. */
static void strip_comment(char *s)
{
	char *c;

	for (c = s; *c; c++) {
		if ((*c == '#' || *c == ';') &&
		    (c == s || c[-1] == ' ' || c[-1] == '\t')) {
			*c = '\0';
			return;
		}
	}
}

/* One line, NUL-terminated, without its newline. */
static int parse_line(struct lc_conf_parser *p, char *buf)
{
	char *s, *eq, *key, *value;
	size_t len;

	strip_comment(buf);
	s = trim(buf);
	if (*s == '\0')
		return 0;
	if (*s == '[') {
		len = strlen(s);
		if (s[len - 1] != ']')
			return lc_conf_error(p, p->line, "\"%s\" is not a section header ([Interface] or [Peer])",
					     s);
		s[len - 1] = '\0';
		return start_section(p, trim(s + 1));
	}
	eq = strchr(s, '=');
	if (!eq)
		return lc_conf_error(p, p->line, "expected \"Key = Value\" or a [Section], not \"%s\"",
				     s);
	*eq = '\0';
	key = trim(s);
	value = trim(eq + 1);
	if (*key == '\0')
		return lc_conf_error(p, p->line, "a key is missing before \"=\"");
	if (p->sec == LC_SEC_NONE)
		return lc_conf_error(p, p->line, "%s is outside any section; the file starts with [Interface]",
				     key);
	if (*value == '\0')
		return lc_conf_error(p, p->line, "%s needs a value", key);
	return lc_conf_set_key(p, key, value);
}

/* What can only be checked once the whole file has been read. */
static int check_complete(struct lc_conf_parser *p)
{
	struct lc_conf *c = p->conf;
	char a[16], b[16];
	size_t i;

	if (!c->line_interface)
		return lc_conf_error(p, 0, "no [Interface] section");
	if (!c->private_key)
		return lc_conf_error(p, c->line_interface, "[Interface] needs PrivateKey");
	if (!c->certificate)
		return lc_conf_error(p, c->line_interface, "[Interface] needs Certificate");
	if (!c->line_key_lifetime)
		c->key_lifetime = LC_CONF_LIFETIME_FACTOR * c->rekey_after;
	else if (c->key_lifetime <= c->rekey_after)
		return lc_conf_error(p, c->line_key_lifetime, "KeyLifetime (%s) must be longer than RekeyAfter (%s)",
				     lc_duration_str(c->key_lifetime, a, sizeof(a)),
				     lc_duration_str(c->rekey_after, b, sizeof(b)));
	for (i = 0; i < c->n_peers; i++) {
		const struct lc_conf_peer *peer = &c->peers[i];

		if (!peer->line_name && !peer->line_fpr)
			return lc_conf_error(p, peer->line, "[Peer] needs Fingerprint, or Name with a CA");
		if (peer->line_name && !c->ca)
			return lc_conf_error(p, peer->line_name, "Name needs CA in [Interface], the CA that signs the peer's certificate");
		if (!peer->line_endpoint)
			return lc_conf_error(p, peer->line, "[Peer] needs Endpoint");
		if (!peer->line_id)
			return lc_conf_error(p, peer->line, "[Peer] needs Id");
	}
	return 0;
}

int lc_conf_parse(const char *path, const char *text, size_t len,
		  struct lc_conf *conf, struct lc_err *err)
{
	struct lc_conf_parser p = { .path = path, .conf = conf, .err = err };
	char buf[LC_CONF_LINE_MAX + 1];
	const char *s = text, *end = text + len, *nl;
	size_t n;

	memset(conf, 0, sizeof(*conf));
	conf->listen_port = LINKCRYPT_DEFAULT_PORT;
	conf->cipher = LINKCRYPT_CIPHER_AES_256_GCM;
	conf->rekey_after = LC_CONF_REKEY_DEFAULT;
	conf->path = strdup(path);
	if (!conf->path) {
		lc_conf_error(&p, 0, "out of memory");
		goto fail;
	}
	while (s < end) {
		p.line++;
		nl = memchr(s, '\n', (size_t)(end - s));
		n = (size_t)((nl ? nl : end) - s);
		if (n && s[n - 1] == '\r')
			n--;
		if (n > LC_CONF_LINE_MAX) {
			lc_conf_error(&p, p.line, "line longer than %d bytes",
				      LC_CONF_LINE_MAX);
			goto fail;
		}
		if (memchr(s, '\0', n)) {
			lc_conf_error(&p, p.line, "a NUL byte; this is not a text file");
			goto fail;
		}
		memcpy(buf, s, n);
		buf[n] = '\0';
		if (parse_line(&p, buf))
			goto fail;
		s = nl ? nl + 1 : end;
	}
	if (check_complete(&p))
		goto fail;
	return 0;
fail:
	lc_conf_free(conf);
	return -1;
}

int lc_conf_load(const char *path, struct lc_conf *conf, struct lc_err *err)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	ssize_t n;
	int fd, ret;

	memset(conf, 0, sizeof(*conf));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		lc_err_set(err, "%s: cannot open: %s", path, strerror(errno));
		return LC_CONF_EIO;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		lc_err_set(err, "%s: not a regular file", path);
		goto eio;
	}
	buf = malloc(LC_CONF_FILE_MAX + 1);
	if (!buf) {
		lc_err_set(err, "%s: cannot read: out of memory", path);
		goto eio;
	}
	for (;;) {
		n = read(fd, buf + got, LC_CONF_FILE_MAX + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			lc_err_set(err, "%s: cannot read: %s", path,
				   strerror(errno));
			goto eio;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > LC_CONF_FILE_MAX) {
			lc_err_set(err, "%s: larger than %d bytes", path,
				   LC_CONF_FILE_MAX);
			goto eio;
		}
	}
	close(fd);
	ret = lc_conf_parse(path, buf, got, conf, err) ? LC_CONF_EINVAL :
							 LC_CONF_OK;
	free(buf);
	return ret;
eio:
	free(buf);
	close(fd);
	return LC_CONF_EIO;
}

const char *lc_conf_device(const struct lc_conf *conf, const char *dev,
			   struct lc_err *err)
{
	if (dev && conf->device && strcmp(dev, conf->device)) {
		lc_err_set(err, "%s:%u: Device is %s, but the command line names %s",
			   conf->path, conf->line_device, conf->device, dev);
		return NULL;
	}
	if (dev)
		return dev;
	if (conf->device)
		return conf->device;
	lc_err_set(err, "%s: no Device, and no device on the command line",
		   conf->path);
	return NULL;
}

void lc_conf_free(struct lc_conf *conf)
{
	size_t i;

	for (i = 0; i < conf->n_peers; i++) {
		free(conf->peers[i].name);
		free(conf->peers[i].macs);
	}
	free(conf->peers);
	free(conf->addrs);
	free(conf->path);
	free(conf->device);
	free(conf->private_key);
	free(conf->certificate);
	free(conf->ca);
	memset(conf, 0, sizeof(*conf));
}

const char *lc_conf_warning(const struct lc_conf *conf, char *buf, size_t len)
{
	char a[16], b[16];

	if (conf->rekey_after >= LC_CONF_REKEY_WARN)
		return NULL;
	snprintf(buf, len, "%s:%u: RekeyAfter %s is below %s: meant for tests; every rekey is a TLS handshake with RSA signatures, per peer",
		 conf->path, conf->line_rekey_after,
		 lc_duration_str(conf->rekey_after, a, sizeof(a)),
		 lc_duration_str(LC_CONF_REKEY_WARN, b, sizeof(b)));
	return buf;
}

const char *lc_duration_str(uint32_t secs, char *buf, size_t len)
{
	if (secs && secs % 86400 == 0)
		snprintf(buf, len, "%ud", secs / 86400);
	else if (secs && secs % 3600 == 0)
		snprintf(buf, len, "%uh", secs / 3600);
	else if (secs && secs % 60 == 0)
		snprintf(buf, len, "%um", secs / 60);
	else
		snprintf(buf, len, "%us", secs);
	return buf;
}

const char *lc_conf_addr_str(const struct lc_conf_addr *a, char *buf,
			     size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, &a->addr, host, sizeof(host)))
		snprintf(host, sizeof(host), "?");
	snprintf(buf, len, "%s/%u", host, a->prefix);
	return buf;
}
