// SPDX-License-Identifier: GPL-2.0
/*
 * lcctl up [ DEV ] -c FILE [ -v ]: the key negotiation daemon.
 *
 * One thread, one poll() loop, non-blocking sockets: a TCP listener on
 * ListenPort, one outgoing or incoming TLS session per peer at a time
 * (negot.c runs it), a generic netlink socket for requests and one
 * subscribed to the "events" group, and a signalfd for SIGINT/SIGTERM
 * (stop) and SIGHUP (reload the configuration, up_reload()).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/linkcrypt.h>
#include <linux/rtnetlink.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "cipher.h"
#include "cli.h"
#include "config_cmd.h"
#include "config_diff.h"
#include "dev.h"
#include "family.h"
#include "monitor.h"
#include "negot.h"
#include "pidfile.h"
#include "ratelimit.h"
#include "up.h"

#define UP_GRACE_MS		2000	/* old keys kept after a new one */
#define UP_SESSION_MS		10000	/* connect + handshake + messages */
#define UP_BACKOFF_MIN_MS	1000
#define UP_BACKOFF_MAX_MS	60000
#define UP_LOSER_DELAY_MS	3000	/* the tie-break loser rekeys later */
/*
 * Incoming handshakes (docs/protocol.md, "Negotiation", "Floods"): the
 * peers' endpoint addresses are never rate-limited; other sources get a
 * token bucket each and one together, at most UP_MAX_OTHERS of the
 * UP_MAX_PENDING unauthenticated sessions, and UP_HANDSHAKE_MS to
 * authenticate.
 */
#define UP_MAX_PENDING		64	/* unauthenticated incoming sessions */
#define UP_MAX_OTHERS		48	/* of them, from other addresses */
#define UP_HANDSHAKE_MS		5000	/* to authenticate, incoming */
#define UP_RL_RATE		1	/* handshakes/s of one other source */
#define UP_RL_BURST		5
#define UP_RL_GLOBAL_RATE	20	/* handshakes/s of all of them */
#define UP_RL_GLOBAL_BURST	40
#define UP_ACCEPT_BATCH		64	/* accept()s per turn of the loop */
#define UP_REFUSED_LOG_MS	10000	/* refusals reported at most so often */
#define UP_SOFT_PACKETS		(1ULL << 32)
#define UP_HARD_PACKETS		(1ULL << 40)
#define UP_RX_EXTRA_SECONDS	30	/* RX keys outlive the peer's TX keys */

enum { L_ERR, L_WARN, L_INFO, L_DEBUG };
static int log_level = L_INFO;

static void ulog(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void ulog(int level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info",
					     "debug" };
	va_list ap;

	if (level > log_level)
		return;
	fprintf(stderr, "%s up: %s: ", LCCTL_PROG, names[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct up;
struct up_conn;

struct slot {
	bool used;
	uint8_t id;
};

struct up_peer {
	struct up *up;
	const struct lc_conf_peer *cp;
	bool in_kernel;
	uint32_t remote_id;
	bool has_fpr;
	struct lc_fpr fpr;		/* the peer's, once seen */
	struct up_conn *conn;		/* the session in progress, or NULL */
	uint32_t epoch;			/* highest epoch derived */
	bool has_cur;
	uint8_t cur_id;			/* id of the TX key in use */
	struct slot rx[2], tx[2];	/* by enum linkcrypt_key_slot */
	bool want;			/* a session is wanted */
	int64_t next_try, rekey_at, grace_at;	/* ms; 0: none */
	unsigned int backoff;		/* ms */
};

struct up_conn {
	struct up_conn *next;
	struct up *up;
	int fd;
	bool outbound, connecting, tls, dead;
	struct up_peer *peer;		/* outbound: from the start */
	bool from_peer;			/* incoming from a peer's address */
	struct lc_sess s;
	int64_t born, deadline;
	char addr[LC_ENDPOINT_STRLEN];
};

struct up {
	struct config_check cc;
	const char *file;		/* -c FILE, read again on SIGHUP */
	const char *cli_dev;		/* DEV of the command line, or NULL */
	char *dev;			/* the device served, fixed */
	uint32_t ifindex;
	struct lc_conn nl, ev;
	SSL_CTX *ctx;
	X509_STORE *ca;
	int lfd, sfd;
	int pidfd;			/* the locked pid file, or -1 */
	char pidpath[4096];
	struct up_peer **peers;		/* in the order of the file */
	size_t n_peers;
	struct up_conn *conns;
	struct lc_rl *rl;		/* incoming handshakes */
	/* Refused incoming connections, not yet reported. */
	unsigned long refused_rate, refused_full, evicted;
	int64_t refused_log_at;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *ext(const struct lc_conn *c, char *buf, size_t len)
{
	return lc_ext_suffix(c, buf, len);
}

/* Netlink. */

static int talk(struct up *u, struct nlmsghdr *req, bool secret,
		const char *what, const struct up_peer *p)
{
	char e[LC_NL_EXT_MSG_LEN + 16];
	int err = lc_nl_talk(&u->nl.nl, req, NULL, NULL);

	if (secret)
		lc_nl_wipe(&u->nl.nl);
	if (err)
		ulog(L_ERR, "peer %u: cannot %s: %s%s", p->cp->id, what,
		     strerror(-err), ext(&u->nl, e, sizeof(e)));
	return err;
}

static struct nlattr *start_peer(struct up *u, struct nlmsghdr **req,
				 uint8_t cmd, const struct up_peer *p)
{
	struct nlattr *nest;

	*req = lc_req(&u->nl, cmd, 0);
	lc_put_dev(*req, u->dev, 0);
	nest = mnl_attr_nest_start(*req, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(*req, LINKCRYPT_A_PEER_ID, p->cp->id);
	return nest;
}

static int peer_put(struct up *u, struct up_peer *p, uint32_t remote_id)
{
	const struct lc_endpoint *ep = &p->cp->endpoint;
	struct nlmsghdr *req;
	struct nlattr *peer, *macs;
	size_t i;
	int err;

	peer = start_peer(u, &req, p->in_kernel ? LINKCRYPT_CMD_PEER_SET :
						  LINKCRYPT_CMD_PEER_NEW, p);
	mnl_attr_put_u32(req, LINKCRYPT_A_PEER_REMOTE_ID, remote_id);
	if (ep->family == AF_INET)
		mnl_attr_put(req, LINKCRYPT_A_PEER_ENDPOINT_IP4, 4, &ep->addr.v4);
	else
		mnl_attr_put(req, LINKCRYPT_A_PEER_ENDPOINT_IP6, 16, &ep->addr.v6);
	mnl_attr_put_u16(req, LINKCRYPT_A_PEER_ENDPOINT_PORT, ep->port);
	/* An empty list on PEER_SET clears the old one (a reload). */
	if (p->cp->n_macs || p->in_kernel) {
		macs = mnl_attr_nest_start(req, LINKCRYPT_A_PEER_MACS);
		for (i = 0; i < p->cp->n_macs; i++)
			mnl_attr_put(req, LINKCRYPT_A_MAC_ADDR, LC_MAC_LEN,
				     p->cp->macs[i].a);
		mnl_attr_nest_end(req, macs);
	}
	mnl_attr_nest_end(req, peer);
	err = talk(u, req, false, p->in_kernel ? "change the peer" :
						 "add the peer", p);
	if (err)
		return err;
	if (!p->in_kernel)
		ulog(L_INFO, "peer %u: added to %s, remote id %u", p->cp->id,
		     u->dev, remote_id);
	else if (p->remote_id != remote_id)
		ulog(L_INFO, "peer %u: remote id now %u", p->cp->id, remote_id);
	p->in_kernel = true;
	p->remote_id = remote_id;
	return 0;
}

static int key_op(struct up *u, struct up_peer *p, uint8_t cmd, uint8_t dir,
		  uint8_t slot, uint8_t id, const uint8_t *mat)
{
	const struct lc_conf *conf = &u->cc.conf;
	struct nlmsghdr *req;
	struct nlattr *peer, *key;
	char what[64];

	peer = start_peer(u, &req, cmd, p);
	key = mnl_attr_nest_start(req, LINKCRYPT_A_PEER_KEY);
	mnl_attr_put_u8(req, LINKCRYPT_A_KEY_DIR, dir);
	if (cmd != LINKCRYPT_CMD_KEY_SWAP)
		mnl_attr_put_u8(req, LINKCRYPT_A_KEY_SLOT, slot);
	if (cmd == LINKCRYPT_CMD_KEY_NEW) {
		mnl_attr_put_u8(req, LINKCRYPT_A_KEY_ID, id);
		mnl_attr_put(req, LINKCRYPT_A_KEY_MATERIAL,
			     LINKCRYPT_MATERIAL_LEN, mat);
		mnl_attr_put_u64(req, LINKCRYPT_A_KEY_HARD_PACKETS,
				 UP_HARD_PACKETS);
		if (dir == LINKCRYPT_KEY_DIR_TX) {
			mnl_attr_put_u64(req, LINKCRYPT_A_KEY_SOFT_PACKETS,
					 UP_SOFT_PACKETS);
			mnl_attr_put_u32(req, LINKCRYPT_A_KEY_SOFT_SECONDS,
					 conf->rekey_after);
			mnl_attr_put_u32(req, LINKCRYPT_A_KEY_HARD_SECONDS,
					 conf->key_lifetime);
		} else {
			mnl_attr_put_u32(req, LINKCRYPT_A_KEY_HARD_SECONDS,
					 conf->key_lifetime +
						 UP_RX_EXTRA_SECONDS);
		}
	}
	mnl_attr_nest_end(req, key);
	mnl_attr_nest_end(req, peer);
	snprintf(what, sizeof(what), "%s the %s %s key",
		 cmd == LINKCRYPT_CMD_KEY_NEW ? "install" :
		 cmd == LINKCRYPT_CMD_KEY_SWAP ? "swap" : "delete",
		 dir == LINKCRYPT_KEY_DIR_TX ? "tx" : "rx",
		 cmd == LINKCRYPT_CMD_KEY_SWAP ? "and secondary" :
		 slot ? "secondary" : "primary");
	return talk(u, req, cmd == LINKCRYPT_CMD_KEY_NEW, what, p);
}

static int key_del(struct up *u, struct up_peer *p, uint8_t dir, int slot)
{
	struct slot *s = dir == LINKCRYPT_KEY_DIR_TX ? &p->tx[slot] :
						       &p->rx[slot];
	int err;

	if (!s->used)
		return 0;
	err = key_op(u, p, LINKCRYPT_CMD_KEY_DEL, dir, (uint8_t)slot, 0, NULL);
	/* Gone either way if the kernel does not know it. */
	if (!err || err == -ENOENT)
		s->used = false;
	return err;
}

/* Session callbacks. */

static int cb_identify(struct lc_sess *s, void *arg);

static int cb_install_rx(struct lc_sess *s, void *arg, const uint8_t *mat)
{
	struct up_conn *c = arg;
	struct up_peer *p = c->peer;
	struct up *u = c->up;
	uint8_t id = lc_neg_key_id(s->epoch);
	int slot, i;

	if ((!p->in_kernel || p->remote_id != s->remote_index) &&
	    peer_put(u, p, s->remote_index)) {
		lc_err_set(&s->err, "cannot configure the peer in the kernel");
		return -1;
	}
	if (s->epoch > p->epoch)
		p->epoch = s->epoch;
	/* A slot holding this id (left by a session that failed) goes. */
	for (i = 0; i < 2; i++)
		if (p->rx[i].used && p->rx[i].id == id)
			key_del(u, p, LINKCRYPT_KEY_DIR_RX, i);
	if (!p->rx[0].used)
		slot = 0;
	else if (!p->rx[1].used)
		slot = 1;
	else {
		/* Both full: the key not in use by the current epoch goes. */
		slot = p->has_cur && p->rx[0].id == p->cur_id ? 1 : 0;
		key_del(u, p, LINKCRYPT_KEY_DIR_RX, slot);
	}
	if (key_op(u, p, LINKCRYPT_CMD_KEY_NEW, LINKCRYPT_KEY_DIR_RX,
		   (uint8_t)slot, id, mat)) {
		lc_err_set(&s->err, "cannot install the rx key");
		return -1;
	}
	p->rx[slot] = (struct slot){ true, id };
	ulog(L_DEBUG, "peer %u: epoch %u: rx key id %u in the %s slot",
	     p->cp->id, s->epoch, id, slot ? "secondary" : "primary");
	return 0;
}

static int cb_install_tx(struct lc_sess *s, void *arg, const uint8_t *mat)
{
	struct up_conn *c = arg;
	struct up_peer *p = c->peer;
	struct up *u = c->up;
	uint8_t id = lc_neg_key_id(s->epoch);
	struct slot t;

	if (!p->tx[0].used) {
		if (key_op(u, p, LINKCRYPT_CMD_KEY_NEW, LINKCRYPT_KEY_DIR_TX,
			   LINKCRYPT_KEY_SLOT_PRIMARY, id, mat))
			goto fail;
		p->tx[0] = (struct slot){ true, id };
	} else {
		if (p->tx[1].used &&
		    key_del(u, p, LINKCRYPT_KEY_DIR_TX, LINKCRYPT_KEY_SLOT_SECONDARY))
			goto fail;
		if (key_op(u, p, LINKCRYPT_CMD_KEY_NEW, LINKCRYPT_KEY_DIR_TX,
			   LINKCRYPT_KEY_SLOT_SECONDARY, id, mat))
			goto fail;
		p->tx[1] = (struct slot){ true, id };
		if (key_op(u, p, LINKCRYPT_CMD_KEY_SWAP, LINKCRYPT_KEY_DIR_TX, 0,
			   0, NULL))
			goto fail;
		t = p->tx[0];
		p->tx[0] = p->tx[1];
		p->tx[1] = t;
	}
	p->has_cur = true;
	p->cur_id = id;
	if (p->tx[1].used || (p->rx[0].used && p->rx[0].id != id) ||
	    (p->rx[1].used && p->rx[1].id != id))
		p->grace_at = now_ms() + UP_GRACE_MS;
	ulog(L_INFO, "peer %u: epoch %u: keys installed (key id %u, remote id %u, %s)",
	     p->cp->id, s->epoch, id, s->remote_index,
	     c->outbound ? "we initiated" : "the peer initiated");
	return 0;
fail:
	lc_err_set(&s->err, "cannot install the tx key");
	return -1;
}

static const struct lc_sess_ops up_ops = {
	.identify = cb_identify,
	.install_rx = cb_install_rx,
	.install_tx = cb_install_tx,
};

/* Connections. */

static bool sess_final(const struct up_conn *c)
{
	return c->tls && (c->s.state == LC_SESS_DONE ||
			  c->s.state == LC_SESS_FAILED);
}

static void conn_kill(struct up_conn *c)
{
	if (c->peer && c->peer->conn == c)
		c->peer->conn = NULL;
	c->peer = NULL;
	c->dead = true;
}

static int cb_identify(struct lc_sess *s, void *arg)
{
	struct up_conn *c = arg;
	struct up *u = c->up;
	struct up_peer *p = NULL;
	char hex[LC_FPR_HEX_LEN + 1];
	X509 *cert = SSL_get0_peer_certificate(s->ssl);
	bool verified = SSL_get_verify_result(s->ssl) == X509_V_OK;
	size_t i;

	if (!cert) {
		lc_err_set(&s->err, "no peer certificate");
		return -1;
	}
	if (lc_fpr_of_cert(cert, &s->peer_fpr, &s->err) ||
	    lc_cert_check_peer(cert, "the peer's certificate", time(NULL),
			       &s->err))
		return -1;
	lc_fpr_hex(&s->peer_fpr, hex, sizeof(hex));
	if (c->outbound) {
		p = c->peer;
		if (!lc_neg_peer_is(cert, &s->peer_fpr, verified, p->cp, &s->err))
			return -1;
	} else {
		/* Pins first: a pinned peer is not taken for a CA one. */
		for (i = 0; i < u->n_peers && !p; i++)
			if (u->peers[i]->cp->has_fpr &&
			    lc_neg_peer_is(cert, &s->peer_fpr, verified,
					   u->peers[i]->cp, NULL))
				p = u->peers[i];
		for (i = 0; i < u->n_peers && !p; i++)
			if (!u->peers[i]->cp->has_fpr &&
			    lc_neg_peer_is(cert, &s->peer_fpr, verified,
					   u->peers[i]->cp, NULL))
				p = u->peers[i];
		if (!p) {
			lc_err_set(&s->err, "unknown peer (fingerprint %s)", hex);
			return -1;
		}
		/* Simultaneous sessions: the lower fingerprint's wins. */
		if (p->conn && p->conn->outbound && !sess_final(p->conn) &&
		    lc_neg_we_win(&u->cc.id.fpr, &s->peer_fpr)) {
			lc_err_set(&s->err, "peer %u: our own session to it wins the tie-break",
				   p->cp->id);
			return -1;
		}
		if (p->conn) {
			ulog(L_INFO, "peer %u: its session replaces ours (tie-break)",
			     p->cp->id);
			conn_kill(p->conn);
		}
		p->conn = c;
		c->peer = p;
		/* Authenticated: the time of a whole session. */
		c->deadline = now_ms() + UP_SESSION_MS;
	}
	p->fpr = s->peer_fpr;
	p->has_fpr = true;
	/* The certificate this session presented: a reload may change ours. */
	if (!SSL_get_certificate(s->ssl) ||
	    lc_fpr_of_cert(SSL_get_certificate(s->ssl), &s->our_fpr, &s->err))
		return -1;
	s->our_index = p->cp->id;
	s->cipher = (uint16_t)u->cc.conf.cipher;
	s->epoch_min = p->epoch + 1;
	if (!s->epoch_min)
		s->epoch_min = 1;
	ulog(L_DEBUG, "peer %u: authenticated (%s), %s", p->cp->id, c->addr,
	     c->outbound ? "outgoing" : "incoming");
	return 0;
}

static struct up_conn *conn_new(struct up *u, int fd, bool outbound)
{
	struct up_conn *c = calloc(1, sizeof(*c));

	if (!c) {
		close(fd);
		return NULL;
	}
	c->up = u;
	c->fd = fd;
	c->outbound = outbound;
	c->born = now_ms();
	c->deadline = c->born + (outbound ? UP_SESSION_MS : UP_HANDSHAKE_MS);
	c->next = u->conns;
	u->conns = c;
	return c;
}

static int start_tls(struct up_conn *c)
{
	SSL *ssl = SSL_new(c->up->ctx);

	if (!ssl || SSL_set_fd(ssl, c->fd) != 1) {
		SSL_free(ssl);
		ERR_clear_error();
		return -1;
	}
	if (c->outbound) {
		SSL_set_connect_state(ssl);
		if (!c->peer->cp->has_fpr &&
		    SSL_set1_host(ssl, c->peer->cp->name) != 1) {
			SSL_free(ssl);
			return -1;
		}
	} else {
		SSL_set_accept_state(ssl);
	}
	lc_sess_init(&c->s, ssl, &up_ops, c);
	c->tls = true;
	return 0;
}

static void peer_failed(struct up_peer *p)
{
	p->want = true;
	p->backoff = p->backoff ? p->backoff * 2 : UP_BACKOFF_MIN_MS;
	if (p->backoff > UP_BACKOFF_MAX_MS)
		p->backoff = UP_BACKOFF_MAX_MS;
	p->next_try = now_ms() + p->backoff;
}

static uint32_t rekey_delay_ms(const struct up_peer *p)
{
	const struct lc_conf *conf = &p->up->cc.conf;
	bool win = p->has_fpr && lc_neg_we_win(&p->up->cc.id.fpr, &p->fpr);

	return conf->rekey_after * 1000u + (win ? 0 : UP_LOSER_DELAY_MS);
}

/* A session is over: note it and let the loop free it. */
static void conn_finish(struct up_conn *c, const char *why)
{
	struct up_peer *p = c->peer;

	if (!p || p->conn != c) {
		ulog(L_DEBUG, "session with %s closed: %s", c->addr,
		     why ? why : "done");
		c->dead = true;
		return;
	}
	if (!why) {
		p->want = false;
		p->backoff = 0;
		p->rekey_at = now_ms() + rekey_delay_ms(p);
	} else {
		peer_failed(p);
		ulog(L_WARN, "peer %u: session with %s failed: %s; retrying in %u ms",
		     p->cp->id, c->addr, why, p->backoff);
	}
	conn_kill(c);
}

static void conn_step(struct up_conn *c)
{
	switch (lc_sess_step(&c->s)) {
	case LC_SESS_DONE:
		conn_finish(c, NULL);
		break;
	case LC_SESS_FAILED:
		conn_finish(c, c->s.err.msg[0] ? c->s.err.msg : "failed");
		break;
	default:
		break;
	}
}

static void conn_free(struct up_conn *c)
{
	if (c->tls)
		lc_sess_free(&c->s);
	close(c->fd);
	free(c);
}

static void peer_connect(struct up *u, struct up_peer *p)
{
	const struct lc_endpoint *ep = &p->cp->endpoint;
	struct sockaddr_storage ss;
	socklen_t len;
	struct up_conn *c;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (ep->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = ep->addr.v4;
		sin->sin_port = htons(ep->port);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = ep->addr.v6;
		sin6->sin6_port = htons(ep->port);
		len = sizeof(*sin6);
	}
	fd = socket(ep->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ulog(L_ERR, "peer %u: socket: %s", p->cp->id, strerror(errno));
		peer_failed(p);
		return;
	}
	c = conn_new(u, fd, true);
	if (!c) {
		peer_failed(p);
		return;
	}
	c->peer = p;
	p->conn = c;
	p->want = false;
	lc_endpoint_str(ep, c->addr, sizeof(c->addr));
	ulog(L_DEBUG, "peer %u: connecting to %s", p->cp->id, c->addr);
	if (connect(fd, (struct sockaddr *)&ss, len) == 0) {
		if (start_tls(c))
			conn_finish(c, "cannot start TLS");
		else
			conn_step(c);
	} else if (errno == EINPROGRESS) {
		c->connecting = true;
	} else {
		conn_finish(c, strerror(errno));
	}
}

static void conn_connected(struct up_conn *c)
{
	int e = 0;
	socklen_t l = sizeof(e);

	c->connecting = false;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &l) || e) {
		conn_finish(c, strerror(e ? e : errno));
		return;
	}
	if (start_tls(c)) {
		conn_finish(c, "cannot start TLS");
		return;
	}
	conn_step(c);
}

/* @sa as an endpoint; an IPv4-mapped IPv6 address as IPv4. */
static void sockaddr_endpoint(const struct sockaddr *sa, struct lc_endpoint *ep)
{
	const struct sockaddr_in6 *s6 = (const void *)sa;
	const struct sockaddr_in *s4 = (const void *)sa;

	memset(ep, 0, sizeof(*ep));
	if (sa->sa_family == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		ep->family = AF_INET;
		memcpy(&ep->addr.v4, &s6->sin6_addr.s6_addr[12], 4);
		ep->port = ntohs(s6->sin6_port);
	} else if (sa->sa_family == AF_INET6) {
		ep->family = AF_INET6;
		ep->addr.v6 = s6->sin6_addr;
		ep->port = ntohs(s6->sin6_port);
	} else if (sa->sa_family == AF_INET) {
		ep->family = AF_INET;
		ep->addr.v4 = s4->sin_addr;
		ep->port = ntohs(s4->sin_port);
	}
}

/* Whether @ep's address (any port) is a configured peer's endpoint's. */
static bool is_peer_addr(const struct up *u, const struct lc_endpoint *ep)
{
	const struct lc_endpoint *pe;
	size_t i;

	for (i = 0; i < u->n_peers; i++) {
		pe = &u->peers[i]->cp->endpoint;
		if (pe->family == ep->family &&
		    !memcmp(&pe->addr, &ep->addr,
			    ep->family == AF_INET ? 4 : 16))
			return true;
	}
	return false;
}

/* Unauthenticated incoming sessions: all, from others, the oldest other. */
static void count_pending(const struct up *u, size_t *pending, size_t *others,
			  struct up_conn **oldest)
{
	struct up_conn *c;

	*pending = *others = 0;
	*oldest = NULL;
	for (c = u->conns; c; c = c->next) {
		if (c->outbound || c->peer || c->dead)
			continue;
		(*pending)++;
		if (c->from_peer)
			continue;
		(*others)++;
		if (!*oldest || c->born < (*oldest)->born)
			*oldest = c;
	}
}

/* Close at once with a reset: nothing kept for a refused connection. */
static void refuse(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

static void report_refused(struct up *u, int64_t now)
{
	if (!u->refused_rate && !u->refused_full && !u->evicted)
		return;
	if (now < u->refused_log_at)
		return;
	ulog(L_WARN, "incoming connections refused: %lu over the rate limit, %lu with too many handshakes pending; %lu evicted for a peer's (reported every %d s at most)",
	     u->refused_rate, u->refused_full, u->evicted,
	     UP_REFUSED_LOG_MS / 1000);
	u->refused_rate = u->refused_full = u->evicted = 0;
	u->refused_log_at = now + UP_REFUSED_LOG_MS;
}

static void do_accept(struct up *u)
{
	struct sockaddr_storage ss;
	struct lc_endpoint ep;
	struct up_conn *c, *oldest;
	size_t pending, others, n;
	socklen_t len;
	bool peer;
	int fd;

	for (n = 0; n < UP_ACCEPT_BATCH; n++) {
		len = sizeof(ss);
		fd = accept4(u->lfd, (struct sockaddr *)&ss, &len,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				ulog(L_WARN, "accept: %s", strerror(errno));
			return;
		}
		sockaddr_endpoint((struct sockaddr *)&ss, &ep);
		peer = is_peer_addr(u, &ep);
		count_pending(u, &pending, &others, &oldest);
		if (!peer && !lc_rl_allow(u->rl, (struct sockaddr *)&ss, now_ms())) {
			u->refused_rate++;
			refuse(fd);
			continue;
		}
		if (pending >= UP_MAX_PENDING && peer && oldest) {
			/* A stranger's session makes way for a peer's. */
			conn_finish(oldest, "evicted for a peer's session");
			u->evicted++;
		} else if (pending >= UP_MAX_PENDING ||
			   (!peer && others >= UP_MAX_OTHERS)) {
			u->refused_full++;
			refuse(fd);
			continue;
		}
		c = conn_new(u, fd, false);
		if (!c)
			continue;
		c->from_peer = peer;
		lc_endpoint_str(&ep, c->addr, sizeof(c->addr));
		ulog(L_DEBUG, "incoming session from %s%s", c->addr,
		     peer ? " (a peer's address)" : "");
		if (start_tls(c))
			conn_finish(c, "cannot start TLS");
		else
			conn_step(c);
	}
}

static int listen_on(uint16_t port)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6,
				   .sin6_addr = IN6ADDR_ANY_INIT,
				   .sin6_port = htons(port) };
	struct sockaddr_in s4 = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_ANY),
				  .sin_port = htons(port) };
	int one = 1, zero = 0;
	int fd;

	fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		if (!bind(fd, (struct sockaddr *)&s6, sizeof(s6)) &&
		    !listen(fd, 64))
			return fd;
		close(fd);
	}
	/* No IPv6: IPv4 alone. */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&s4, sizeof(s4)) || listen(fd, 64)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Peers' timers. */

static void grace_over(struct up *u, struct up_peer *p)
{
	int i;

	p->grace_at = 0;
	key_del(u, p, LINKCRYPT_KEY_DIR_TX, LINKCRYPT_KEY_SLOT_SECONDARY);
	for (i = 0; i < 2; i++)
		if (p->rx[i].used && (!p->has_cur || p->rx[i].id != p->cur_id))
			key_del(u, p, LINKCRYPT_KEY_DIR_RX, i);
	ulog(L_DEBUG, "peer %u: old keys deleted", p->cp->id);
}

static void on_event(struct up *u, const struct lc_event *ev)
{
	char buf[32];
	struct up_peer *p = NULL;
	size_t i;

	if (ev->ifindex != u->ifindex || !ev->has_peer)
		return;
	for (i = 0; i < u->n_peers; i++)
		if (u->peers[i]->cp->id == ev->peer)
			p = u->peers[i];
	if (!p)
		return;
	ulog(L_INFO, "peer %u: kernel event %s", p->cp->id,
	     lc_event_str(ev->event, buf, sizeof(buf)));
	if (ev->event != LINKCRYPT_EVENT_SOFT_LIMIT &&
	    ev->event != LINKCRYPT_EVENT_HARD_LIMIT &&
	    ev->event != LINKCRYPT_EVENT_NO_KEY)
		return;
	/* Old keys, or a session under way: nothing to do. */
	if (ev->has_key && lc_key_has(&ev->key, LINKCRYPT_A_KEY_ID) &&
	    (!p->has_cur || ev->key.v[LINKCRYPT_A_KEY_ID] != p->cur_id))
		return;
	if (p->conn || p->want)
		return;
	p->want = true;
	p->next_try = now_ms() +
		      (p->has_fpr && !lc_neg_we_win(&u->cc.id.fpr, &p->fpr) &&
				       ev->event == LINKCRYPT_EVENT_SOFT_LIMIT ?
			       UP_LOSER_DELAY_MS : 0);
}

static void read_events(struct up *u)
{
	const struct nlmsghdr *nlh;
	const struct genlmsghdr *genl;
	struct lc_event ev;
	ssize_t len;
	int rem;

	for (;;) {
		len = lc_nl_recv(&u->ev.nl);
		if (len == -EAGAIN)
			return;
		if (len == -ENOBUFS) {
			ulog(L_WARN, "kernel events were lost");
			continue;
		}
		if (len < 0) {
			ulog(L_WARN, "reading kernel events: %s", strerror((int)-len));
			return;
		}
		rem = (int)len;
		for (nlh = u->ev.nl.rxbuf; mnl_nlmsg_ok(nlh, rem);
		     nlh = mnl_nlmsg_next(nlh, &rem)) {
			if (nlh->nlmsg_type != u->ev.fam.id ||
			    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
				continue;
			genl = mnl_nlmsg_get_payload(nlh);
			if (genl->cmd != LINKCRYPT_CMD_EVENT ||
			    lc_event_parse(nlh, &ev))
				continue;
			on_event(u, &ev);
		}
	}
}

/* rtnetlink: the Address entries, and the device up. */

static int rtnl_do(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	char buf[8192];
	ssize_t n;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	if (mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq,
		       mnl_socket_get_portid(nl), NULL, NULL) < 0)
		return -errno;
	return 0;
}

static struct mnl_socket *rtnl_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ulog(L_ERR, "rtnetlink: %s", strerror(errno));
		if (nl)
			mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

/* RTM_NEWADDR (replacing an equal one) or RTM_DELADDR of @ad on the device. */
static int rtnl_addr(struct up *u, struct mnl_socket *nl,
		     const struct lc_conf_addr *ad, bool add)
{
	char buf[512], a[LC_CONF_ADDR_STRLEN];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	int err;

	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (add)
		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_REPLACE;
	nlh->nlmsg_seq = (unsigned int)now_ms();
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)ad->family;
	ifa->ifa_prefixlen = (uint8_t)ad->prefix;
	ifa->ifa_index = u->ifindex;
	if (ad->family == AF_INET) {
		mnl_attr_put(nlh, IFA_LOCAL, 4, &ad->addr.v4);
		mnl_attr_put(nlh, IFA_ADDRESS, 4, &ad->addr.v4);
	} else {
		mnl_attr_put(nlh, IFA_ADDRESS, 16, &ad->addr.v6);
	}
	err = rtnl_do(nl, nlh);
	lc_conf_addr_str(ad, a, sizeof(a));
	if (err && (add || err != -EADDRNOTAVAIL)) {
		ulog(L_ERR, "cannot %s address %s %s %s: %s",
		     add ? "add" : "delete", a, add ? "to" : "from", u->dev,
		     strerror(-err));
		return err;
	}
	if (add)
		ulog(L_INFO, "address %s on %s", a, u->dev);
	else
		ulog(L_INFO, "address %s deleted from %s", a, u->dev);
	return 0;
}

static int rtnl_setup(struct up *u)
{
	const struct lc_conf *conf = &u->cc.conf;
	char buf[512];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	size_t i;
	int err = 0;

	nl = rtnl_open();
	if (!nl)
		return -1;
	for (i = 0; i < conf->n_addrs; i++) {
		err = rtnl_addr(u, nl, &conf->addrs[i], true);
		if (err)
			goto out;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (unsigned int)now_ms();
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)u->ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	err = rtnl_do(nl, nlh);
	if (err)
		ulog(L_ERR, "cannot set %s up: %s", u->dev, strerror(-err));
out:
	mnl_socket_close(nl);
	return err ? -1 : 0;
}

/* Setup and teardown. */

static int check_device(struct up *u)
{
	const struct lc_conf *conf = &u->cc.conf;
	struct lc_dev_sel sel = { .ifname = u->dev };
	struct lc_dev_list list = { 0 };
	char a[LC_CIPHER_STRLEN], b[LC_CIPHER_STRLEN];
	int err, ret = -1;

	err = lc_dev_get(&u->nl, &sel, &list);
	if (err || list.n != 1) {
		lc_report_no_dev(&u->nl, u->dev, 0);
		goto out;
	}
	u->ifindex = list.devs[0].ifindex;
	if (list.devs[0].port != conf->listen_port) {
		ulog(L_ERR, "%s listens on UDP port %u, the configuration says ListenPort %u",
		     u->dev, list.devs[0].port, conf->listen_port);
		goto out;
	}
	if (list.devs[0].cipher != conf->cipher) {
		ulog(L_ERR, "%s uses cipher %s, the configuration says %s", u->dev,
		     lc_cipher_str(list.devs[0].cipher, a, sizeof(a)),
		     lc_cipher_str((unsigned int)conf->cipher, b, sizeof(b)));
		goto out;
	}
	ret = 0;
out:
	lc_dev_list_free(&list);
	return ret;
}

/*
 * Delete the peer's id from the device, keys and all; the kernel not
 * knowing it is fine.  1 if it was there, 0 if not, -1 on error.
 */
static int peer_reset(struct up *u, struct up_peer *p)
{
	struct nlmsghdr *req;
	struct nlattr *nest;
	int err;

	nest = start_peer(u, &req, LINKCRYPT_CMD_PEER_DEL, p);
	mnl_attr_nest_end(req, nest);
	err = lc_nl_talk(&u->nl.nl, req, NULL, NULL);
	p->in_kernel = false;
	memset(p->rx, 0, sizeof(p->rx));
	memset(p->tx, 0, sizeof(p->tx));
	p->has_cur = false;
	p->grace_at = 0;
	if (!err)
		return 1;
	if (err == -ENOENT)
		return 0;
	ulog(L_ERR, "peer %u: cannot reset: %s", p->cp->id, strerror(-err));
	return -1;
}

/* Start from a known state: the configured peers are ours. */
static int reset_peers(struct up *u)
{
	size_t i;

	int r;

	for (i = 0; i < u->n_peers; i++) {
		r = peer_reset(u, u->peers[i]);
		if (r < 0)
			return -1;
		if (r)
			ulog(L_INFO, "peer %u: removed what an earlier run left",
			     u->peers[i]->cp->id);
	}
	return 0;
}

static void teardown_keys(struct up *u)
{
	size_t i;
	int s;

	for (i = 0; i < u->n_peers; i++) {
		struct up_peer *p = u->peers[i];

		for (s = 1; s >= 0; s--) {
			key_del(u, p, LINKCRYPT_KEY_DIR_TX, s);
			key_del(u, p, LINKCRYPT_KEY_DIR_RX, s);
		}
	}
}

/* SIGHUP: the configuration again, applied without disturbing the rest. */

static struct up_peer *peer_new(struct up *u, const struct lc_conf_peer *cp)
{
	struct up_peer *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->up = u;
	p->cp = cp;
	p->want = true;
	if (cp->has_fpr) {
		p->has_fpr = true;
		p->fpr = cp->fpr;
	}
	return p;
}

/* Close every session of @p (none is left pointing at it). */
static void peer_close_sessions(struct up *u, struct up_peer *p)
{
	struct up_conn *c;

	for (c = u->conns; c; c = c->next) {
		if (c->peer != p)
			continue;
		conn_kill(c);
		ulog(L_DEBUG, "peer %u: session with %s closed", p->cp->id,
		     c->addr);
	}
}

/* Renegotiate from scratch, at once. */
static void peer_restart(struct up_peer *p)
{
	p->want = true;
	p->next_try = now_ms();
	p->backoff = 0;
	p->rekey_at = 0;
}

static void reload_removed(struct up *u, struct up_peer *p)
{
	peer_close_sessions(u, p);
	peer_reset(u, p);
	ulog(L_INFO, "peer %u: removed by the reload: sessions closed, keys and peer deleted",
	     p->cp->id);
	free(p);
}

static const char *macs_str(const struct lc_conf_peer *cp, char *buf,
			    size_t len)
{
	char mac[LC_MAC_STRLEN];
	size_t i, off = 0;

	snprintf(buf, len, "none");
	for (i = 0; i < cp->n_macs && off + LC_MAC_STRLEN + 1 < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? "," : "",
					lc_mac_str(&cp->macs[i], mac, sizeof(mac)));
	return buf;
}

/*
 * @p keeps its Id; @cp is its new configuration.  Returns -1 if the
 * kernel refused the new endpoint or MACs (retried once at the end: a MAC
 * may be moving from a peer changed later), else 0.
 */
static int reload_changed(struct up *u, struct up_peer *p,
			  const struct lc_conf_peer *cp, unsigned int d)
{
	char buf[LC_CONF_MAX_MACS * LC_MAC_STRLEN];

	p->cp = cp;
	if (d & LC_DIFF_TRUST) {
		/* Keys agreed under the old trust go: no grace for them. */
		peer_close_sessions(u, p);
		peer_reset(u, p);
		p->has_fpr = cp->has_fpr;
		p->fpr = cp->fpr;
		peer_restart(p);
		ulog(L_INFO, "peer %u: trust changed (%s): keys deleted, renegotiating",
		     cp->id, cp->has_fpr ? "a new Fingerprint" : "a new Name");
		return 0;
	}
	if (d & LC_DIFF_ENDPOINT) {
		ulog(L_INFO, "peer %u: endpoint now %s", cp->id,
		     lc_endpoint_str(&cp->endpoint, buf, sizeof(buf)));
		/* A connection to the old address is abandoned. */
		if (p->conn && p->conn->outbound) {
			peer_close_sessions(u, p);
			p->want = true;
			p->next_try = now_ms();
		}
	}
	if (d & LC_DIFF_MACS)
		ulog(L_INFO, "peer %u: MACs now %s", cp->id,
		     macs_str(cp, buf, sizeof(buf)));
	if (p->in_kernel && peer_put(u, p, p->remote_id))
		return -1;
	return 0;
}

/* [Interface] changes: what applies live, and what waits for a restart. */
static void reload_iface(struct up *u, struct config_check *nc)
{
	struct lc_conf *old = &u->cc.conf, *nw = &nc->conf;
	unsigned int d = lc_conf_iface_diff(old, nw);
	char a[LC_CIPHER_STRLEN], b[LC_CIPHER_STRLEN];
	char hex[LC_FPR_HEX_LEN + 1], was[LC_FPR_HEX_LEN + 1];
	int64_t now = now_ms(), limit;
	size_t i;

	if (!nc->device || strcmp(nc->device, u->dev))
		ulog(L_WARN, "the device cannot change while running (the file now names %s): still serving %s; restart lcctl up to apply it",
		     nc->device ? nc->device : "none", u->dev);
	if (d & LC_DIFF_LISTEN_PORT) {
		ulog(L_WARN, "ListenPort cannot change while running (%u -> %u): keeping %u; restart lcctl up to apply it",
		     old->listen_port, nw->listen_port, old->listen_port);
		nw->listen_port = old->listen_port;
	}
	if (d & LC_DIFF_CIPHER) {
		ulog(L_WARN, "Cipher cannot change while running (%s -> %s): keeping %s; restart lcctl up to apply it",
		     lc_cipher_str((unsigned int)old->cipher, a, sizeof(a)),
		     lc_cipher_str((unsigned int)nw->cipher, b, sizeof(b)), a);
		nw->cipher = old->cipher;
	}
	if (!lc_fpr_equal(&u->cc.id.fpr, &nc->id.fpr))
		ulog(L_INFO, "identity: fingerprint now %s (was %s); new handshakes present the new certificate",
		     lc_fpr_hex(&nc->id.fpr, hex, sizeof(hex)),
		     lc_fpr_hex(&u->cc.id.fpr, was, sizeof(was)));
	else if (X509_cmp(u->cc.id.cert, nc->id.cert))
		ulog(L_INFO, "identity: certificate %s reloaded (same key); new handshakes present it",
		     nw->certificate);
	if (d & LC_DIFF_CA)
		ulog(L_INFO, "CA now %s", nw->ca ? nw->ca : "none");
	if (d & LC_DIFF_REKEY) {
		ulog(L_INFO, "RekeyAfter %s, KeyLifetime %s: for the keys negotiated from now on",
		     lc_duration_str(nw->rekey_after, a, sizeof(a)),
		     lc_duration_str(nw->key_lifetime, b, sizeof(b)));
		/* A shorter period applies to the rekeys already planned. */
		limit = now + (int64_t)nw->rekey_after * 1000;
		for (i = 0; i < u->n_peers; i++)
			if (u->peers[i]->rekey_at > limit)
				u->peers[i]->rekey_at = limit;
	}
}

/* Addresses no longer in the file go; new ones come (rtnl_setup()). */
static void reload_addresses(struct up *u, const struct lc_conf *nw)
{
	const struct lc_conf *old = &u->cc.conf;
	struct mnl_socket *nl = rtnl_open();
	size_t i;

	if (!nl)
		return;
	for (i = 0; i < old->n_addrs; i++)
		if (!lc_conf_has_addr(nw, &old->addrs[i]))
			rtnl_addr(u, nl, &old->addrs[i], false);
	for (i = 0; i < nw->n_addrs; i++)
		if (!lc_conf_has_addr(old, &nw->addrs[i]))
			rtnl_addr(u, nl, &nw->addrs[i], true);
	mnl_socket_close(nl);
}

static void up_reload(struct up *u)
{
	struct config_args cargs = { .file = u->file, .dev = u->cli_dev };
	struct config_check nc;
	struct up_peer **np, *retry[LC_CONF_MAX_PEERS];
	const struct lc_conf_peer *cp;
	unsigned int d, n_added = 0, n_removed = 0, n_changed = 0;
	size_t i, j, n_retry = 0;
	X509_STORE *ca = NULL;
	struct lc_err err;
	SSL_CTX *ctx;
	int count;

	ulog(L_INFO, "SIGHUP: reloading %s", u->file);
	if (config_check(&cargs, time(NULL), &nc, &err)) {
		ulog(L_ERR, "reload failed, keeping the running configuration: %s",
		     err.msg);
		return;
	}
	if (lc_conf_warning(&nc.conf, err.msg, sizeof(err.msg)))
		ulog(L_WARN, "%s", err.msg);
	if (nc.conf.ca) {
		ca = lc_ca_load(nc.conf.ca, &count, &err);
		if (!ca)
			goto fail;
	}
	ctx = lc_neg_ctx(&nc.id, ca, &err);
	if (!ctx)
		goto fail;
	np = calloc(nc.conf.n_peers ? nc.conf.n_peers : 1, sizeof(*np));
	if (!np) {
		lc_err_set(&err, "out of memory");
		SSL_CTX_free(ctx);
		goto fail;
	}
	/* From here on the new configuration is taken. */
	reload_iface(u, &nc);
	if (lc_conf_iface_diff(&u->cc.conf, &nc.conf) & LC_DIFF_ADDRESSES)
		reload_addresses(u, &nc.conf);
	for (i = 0; i < u->n_peers; i++) {
		if (!lc_conf_find_peer(&nc.conf, u->peers[i]->cp->id)) {
			reload_removed(u, u->peers[i]);
			u->peers[i] = NULL;
			n_removed++;
		}
	}
	for (j = 0; j < nc.conf.n_peers; j++) {
		cp = &nc.conf.peers[j];
		for (i = 0; i < u->n_peers && !np[j]; i++)
			if (u->peers[i] && u->peers[i]->cp->id == cp->id)
				np[j] = u->peers[i];
		if (!np[j]) {
			np[j] = peer_new(u, cp);
			if (!np[j]) {
				ulog(L_ERR, "peer %u: out of memory", cp->id);
				continue;
			}
			/* Whatever holds its id is ours now, as at the start. */
			peer_reset(u, np[j]);
			np[j]->next_try = now_ms();
			ulog(L_INFO, "peer %u: added by the reload", cp->id);
			n_added++;
			continue;
		}
		d = lc_conf_peer_diff(np[j]->cp, cp);
		if (!d) {
			np[j]->cp = cp;
			continue;
		}
		n_changed++;
		if (reload_changed(u, np[j], cp, d))
			retry[n_retry++] = np[j];
	}
	for (i = 0; i < n_retry; i++)
		if (!peer_put(u, retry[i], retry[i]->remote_id))
			ulog(L_INFO, "peer %u: changed on the second attempt",
			     retry[i]->cp->id);
	/* Peers whose allocation failed are left out. */
	for (i = j = 0; i < nc.conf.n_peers; i++)
		if (np[i])
			np[j++] = np[i];
	free(u->peers);
	u->peers = np;
	u->n_peers = j;
	SSL_CTX_free(u->ctx);
	u->ctx = ctx;
	X509_STORE_free(u->ca);
	u->ca = ca;
	config_check_free(&u->cc);
	u->cc = nc;
	ulog(L_INFO, "reloaded: %u added, %u removed, %u changed, %zu unchanged",
	     n_added, n_removed, n_changed,
	     u->n_peers - n_added - n_changed);
	return;
fail:
	X509_STORE_free(ca);
	config_check_free(&nc);
	ulog(L_ERR, "reload failed, keeping the running configuration: %s",
	     err.msg);
}

static int up_run(struct up *u)
{
	struct pollfd *pfd = NULL;
	struct up_conn *c, **pc;
	size_t i, n, cap = 0;
	int64_t now, next;
	bool stop = false;
	int r;

	while (!stop) {
		now = now_ms();
		next = now + 1000;
		for (i = 0; i < u->n_peers; i++) {
			struct up_peer *p = u->peers[i];

			if (p->grace_at && now >= p->grace_at)
				grace_over(u, p);
			if (p->rekey_at && now >= p->rekey_at && !p->conn) {
				p->rekey_at = 0;
				p->want = true;
				p->next_try = now;
				ulog(L_INFO, "peer %u: rekeying", p->cp->id);
			}
			if (p->want && !p->conn && now >= p->next_try)
				peer_connect(u, p);
			if (p->grace_at && p->grace_at < next)
				next = p->grace_at;
			if (p->rekey_at && p->rekey_at < next)
				next = p->rekey_at;
			if (p->want && p->next_try < next)
				next = p->next_try;
		}
		for (c = u->conns; c; c = c->next)
			if (!c->dead && now >= c->deadline)
				conn_finish(c, "timed out");
		report_refused(u, now);
		if ((u->refused_rate || u->refused_full || u->evicted) &&
		    u->refused_log_at < next)
			next = u->refused_log_at;
		for (pc = &u->conns; *pc;) {
			c = *pc;
			if (c->dead) {
				*pc = c->next;
				conn_free(c);
			} else {
				pc = &c->next;
			}
		}

		n = 3;
		for (c = u->conns; c; c = c->next)
			n++;
		if (n > cap) {
			struct pollfd *np = realloc(pfd, n * sizeof(*pfd));

			if (!np) {
				ulog(L_ERR, "out of memory");
				break;
			}
			pfd = np;
			cap = n;
		}
		pfd[0] = (struct pollfd){ .fd = u->sfd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = u->lfd, .events = POLLIN };
		pfd[2] = (struct pollfd){ .fd = lc_nl_fd(&u->ev.nl),
					  .events = POLLIN };
		for (n = 3, c = u->conns; c; c = c->next, n++) {
			pfd[n].fd = c->fd;
			pfd[n].events = c->connecting ? POLLOUT : c->s.want;
			pfd[n].revents = 0;
			if (c->deadline < next)
				next = c->deadline;
		}
		now = now_ms();
		r = poll(pfd, n, next > now ? (int)(next - now) : 0);
		if (r < 0 && errno != EINTR) {
			ulog(L_ERR, "poll: %s", strerror(errno));
			break;
		}
		if (r <= 0)
			continue;
		if (pfd[0].revents) {
			struct signalfd_siginfo si;

			if (read(u->sfd, &si, sizeof(si)) != sizeof(si)) {
				/* Nothing: a signal already read. */
			} else if (si.ssi_signo == SIGHUP) {
				up_reload(u);
				/* The peers and sessions may have changed. */
				continue;
			} else {
				ulog(L_INFO, "signal %u: stopping", si.ssi_signo);
				stop = true;
			}
		}
		if (pfd[2].revents)
			read_events(u);
		for (n = 3, c = u->conns; c; c = c->next, n++) {
			if (!pfd[n].revents || c->dead)
				continue;
			if (c->connecting)
				conn_connected(c);
			else
				conn_step(c);
		}
		/* New connections go in front: after the loop over the old. */
		if (pfd[1].revents)
			do_accept(u);
	}
	free(pfd);
	return stop ? 0 : -1;
}

int up_parse_args(int argc, char **argv, struct up_args *a)
{
	memset(a, 0, sizeof(*a));
	for (; argc > 0; argc--, argv++) {
		if (cli_is_help(*argv))
			return CLI_HELP;
		if (!strcmp(*argv, "-c") || !strcmp(*argv, "config")) {
			NEXT_ARG();
			if (a->file)
				return cli_error("the configuration file is given twice.");
			a->file = *argv;
		} else if (!strcmp(*argv, "-v") || !strcmp(*argv, "verbose")) {
			a->verbose = true;
		} else if ((*argv)[0] == '-') {
			return cli_error("unknown option \"%s\" of \"up\".", *argv);
		} else {
			if (a->dev)
				return cli_error("unknown argument \"%s\" of \"up\".",
						 *argv);
			a->dev = *argv;
		}
	}
	if (!a->file)
		return cli_error("\"up\" needs a configuration file: -c FILE.");
	return CLI_OK;
}

void up_usage(FILE *f, bool full)
{
	fputs("Usage: " LCCTL_PROG " up [ DEV ] -c FILE [ -v ]\n", f);
	if (!full)
		return;
	fputs("\n"
	      "Negotiate and rotate the keys of the peers of FILE on the existing\n"
	      "linkcrypt device DEV (or Device of FILE), in the foreground, until\n"
	      "SIGINT or SIGTERM; then delete the keys it installed.  SIGHUP: read\n"
	      "FILE again and apply the difference (peers added, removed or\n"
	      "changed; the others undisturbed); a wrong FILE is logged and the\n"
	      "running configuration kept.  -v: debug messages.  Logs go to stderr.\n", f);
}

static void up_free(struct up *u)
{
	struct up_conn *c;

	size_t i;

	while ((c = u->conns)) {
		u->conns = c->next;
		conn_free(c);
	}
	for (i = 0; i < u->n_peers; i++)
		free(u->peers[i]);
	free(u->peers);
	free(u->dev);
	free(u->rl);
	SSL_CTX_free(u->ctx);
	X509_STORE_free(u->ca);
	if (u->sfd >= 0)
		close(u->sfd);
	if (u->lfd >= 0)
		close(u->lfd);
	lc_disconnect(&u->ev);
	lc_disconnect(&u->nl);
	config_check_free(&u->cc);
	lc_pidfile_remove(u->pidpath, u->pidfd);
}

int cmd_up(const struct lcctl_opts *opts, int argc, char **argv)
{
	struct config_args cargs = { 0 };
	struct up_args args;
	struct up u;
	struct lc_err err;
	sigset_t mask;
	uint32_t grp;
	uint64_t seed;
	pid_t owner;
	char hex[LC_FPR_HEX_LEN + 1];
	int ret = LC_EXIT_FAIL, count;
	size_t i;

	(void)opts;
	switch (up_parse_args(argc, argv, &args)) {
	case CLI_HELP:
		up_usage(stdout, true);
		return LC_EXIT_OK;
	case CLI_USAGE:
		up_usage(stderr, false);
		return LC_EXIT_USAGE;
	}
	if (args.verbose)
		log_level = L_DEBUG;
	memset(&u, 0, sizeof(u));
	u.lfd = u.sfd = u.pidfd = -1;
	cargs.file = u.file = args.file;
	cargs.dev = u.cli_dev = args.dev;
	ret = config_check(&cargs, time(NULL), &u.cc, &err);
	if (ret) {
		ulog(L_ERR, "%s", err.msg);
		return ret;
	}
	ret = LC_EXIT_FAIL;
	if (!u.cc.device) {
		ulog(L_ERR, "no device: name it on the command line or with Device");
		config_check_free(&u.cc);
		return LC_EXIT_USAGE;
	}
	u.dev = strdup(u.cc.device);
	if (!u.dev)
		goto out;
	/* Before touching the device: one daemon per device. */
	if (lc_pidfile_path(LC_RUN_DIR, u.dev, u.pidpath, sizeof(u.pidpath)))
		goto out;
	u.pidfd = lc_pidfile_create(u.pidpath, &owner, &err);
	if (u.pidfd < 0) {
		if (owner) {
			ulog(L_ERR, "%s: %s", u.dev, err.msg);
			goto out;
		}
		ulog(L_WARN, "%s; \"lcctl down %s\" will not find this daemon",
		     err.msg, u.dev);
	}
	if (lc_conf_warning(&u.cc.conf, err.msg, sizeof(err.msg)))
		ulog(L_WARN, "%s", err.msg);
	ulog(L_INFO, "%s: identity %s, %zu peer(s)", u.dev,
	     lc_fpr_hex(&u.cc.id.fpr, hex, sizeof(hex)), u.cc.conf.n_peers);
	if (u.cc.conf.ca) {
		u.ca = lc_ca_load(u.cc.conf.ca, &count, &err);
		if (!u.ca) {
			ulog(L_ERR, "%s", err.msg);
			goto out;
		}
	}
	u.ctx = lc_neg_ctx(&u.cc.id, u.ca, &err);
	if (!u.ctx) {
		ulog(L_ERR, "%s", err.msg);
		goto out;
	}
	u.peers = calloc(u.cc.conf.n_peers ? u.cc.conf.n_peers : 1,
			 sizeof(*u.peers));
	if (!u.peers)
		goto out;
	for (i = 0; i < u.cc.conf.n_peers; i++) {
		u.peers[i] = peer_new(&u, &u.cc.conf.peers[i]);
		if (!u.peers[i])
			goto out;
		u.n_peers++;
	}
	u.rl = malloc(sizeof(*u.rl));
	if (!u.rl || RAND_bytes((unsigned char *)&seed, sizeof(seed)) != 1)
		goto out;
	lc_rl_init(u.rl, UP_RL_RATE, UP_RL_BURST, UP_RL_GLOBAL_RATE,
		   UP_RL_GLOBAL_BURST, seed, now_ms());
	if (lc_connect(&u.nl) || lc_connect(&u.ev))
		goto out;
	if (lc_nl_mcast_grp(&u.ev.fam, LINKCRYPT_MCGRP_EVENTS, &grp) ||
	    lc_nl_subscribe(&u.ev.nl, grp)) {
		ulog(L_ERR, "cannot subscribe to the kernel's events");
		goto out;
	}
	if (check_device(&u) || reset_peers(&u) || rtnl_setup(&u))
		goto out;
	u.lfd = listen_on(u.cc.conf.listen_port);
	if (u.lfd < 0) {
		ulog(L_ERR, "cannot listen on TCP port %u: %s",
		     u.cc.conf.listen_port, strerror(errno));
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	u.sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (u.sfd < 0) {
		ulog(L_ERR, "signalfd: %s", strerror(errno));
		goto out;
	}
	ulog(L_INFO, "listening on TCP port %u", u.cc.conf.listen_port);
	if (!up_run(&u))
		ret = LC_EXIT_OK;
	teardown_keys(&u);
	ulog(L_INFO, "keys deleted; exiting");
out:
	up_free(&u);
	return ret;
}
