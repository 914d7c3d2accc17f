// SPDX-License-Identifier: GPL-2.0
/*
 * Packet fuzzer for a linkcrypt device's UDP port.  Sends random and
 * mutated datagrams (truncated, oversize, wrong type or reserved bits,
 * unknown receiver indices and key ids, counters far ahead of or behind the
 * replay window, replays and mutations of real datagrams captured before)
 * with sendmmsg, and predicts for each one the reason the receiver must
 * drop it for, following docs/protocol.md "Receiving".  The caller compares
 * the prediction with the receiver's counters: every datagram must be
 * counted once, under its reason, and none delivered.
 *
 *   lc_pktfuzz -s SEED -n COUNT -d ADDR -p PORT -i INDEX -k KEYID
 *              -t TOP [-c CAPTURED] [-w NETNS:DEV]
 *
 *   -i, -k   the receiver's index for us and the key id of its RX key
 *   -t       the highest counter the receiver accepted under that key; every
 *            counter 0..TOP must have been accepted (none lost)
 *   -c       datagrams captured on the way, one hex line each
 *   -w       while sending, watch DEV in network namespace NETNS with a
 *            packet socket: any frame it sees was delivered
 *
 * Prints "seed=S" first, then "sent=N malformed=N no_peer=N auth=N
 * replay=N delivered=N" (delivered: frames the packet socket saw).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/linkcrypt.h>
#include <net/if.h>
#include <netdb.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MIN_DGRAM	(LINKCRYPT_HDR_LEN + ETH_HLEN + LINKCRYPT_TAG_LEN)
#define MAX_DGRAM	65507		/* largest UDP payload over IPv4 */
#define BATCH		32
#define MAX_CAPTURED	4096
#define REPLAY_WINDOW	8192

enum reason { R_MALFORMED, R_NO_PEER, R_AUTH, R_REPLAY, R_MAX };

static const char *const reason_name[R_MAX] = {
	"malformed", "no_peer", "auth", "replay",
};

static uint64_t rng_state;

/* splitmix64: fast, and the same sequence for the same seed everywhere. */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static void rnd_fill(uint8_t *p, size_t len)
{
	uint64_t v = 0;

	for (size_t i = 0; i < len; i++) {
		if (!(i & 7))
			v = rnd();
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

struct target {
	uint32_t index;
	uint8_t key_id;
	uint64_t top;
};

static uint8_t *captured[MAX_CAPTURED];
static size_t captured_len[MAX_CAPTURED];
static unsigned int ncaptured;

static void die(const char *what)
{
	fprintf(stderr, "lc_pktfuzz: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void load_captured(const char *path)
{
	static char line[2 * MAX_DGRAM + 2];
	FILE *f = fopen(path, "r");

	if (!f)
		die(path);
	while (ncaptured < MAX_CAPTURED && fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n") / 2;
		uint8_t *p = malloc(n ? n : 1);

		if (!p)
			die("malloc");
		for (size_t i = 0; i < n; i++) {
			int hi = hexval(line[2 * i]), lo = hexval(line[2 * i + 1]);

			if (hi < 0 || lo < 0) {
				fprintf(stderr, "lc_pktfuzz: %s: not hex\n", path);
				exit(1);
			}
			p[i] = (uint8_t)(hi << 4 | lo);
		}
		captured[ncaptured] = p;
		captured_len[ncaptured++] = n;
	}
	fclose(f);
}

/* What the receiver must do with the datagram: docs/protocol.md. */
static enum reason classify(const struct target *t, const uint8_t *p, size_t len)
{
	struct linkcrypt_hdr h;
	uint64_t ctr;

	if (len < MIN_DGRAM)
		return R_MALFORMED;
	memcpy(&h, p, sizeof(h));
	if (h.type != LINKCRYPT_MSG_DATA || h.reserved)
		return R_MALFORMED;
	if (ntohl(h.receiver_index) != t->index)
		return R_NO_PEER;
	if (h.key_id != t->key_id)
		return R_AUTH;
	ctr = be64toh(h.counter);
	/* Every counter up to TOP was accepted: seen, or behind the window. */
	if (ctr <= t->top)
		return R_REPLAY;
	/* Ahead: decrypted, and nobody but the sender can make the tag. */
	return R_AUTH;
}

static void put_hdr(uint8_t *p, uint8_t type, uint8_t kid, uint16_t reserved,
		    uint32_t index, uint64_t counter)
{
	struct linkcrypt_hdr h = {
		.type = type,
		.key_id = kid,
		.reserved = htons(reserved),
		.receiver_index = htonl(index),
		.counter = htobe64(counter),
	};

	memcpy(p, &h, sizeof(h));
}

/* A counter ahead of TOP: just ahead, far ahead, or at the very end. */
static uint64_t ctr_ahead(const struct target *t)
{
	switch (rnd_below(3)) {
	case 0:
		return t->top + 1 + rnd_below(2 * REPLAY_WINDOW);
	case 1:
		return t->top + 1 + rnd_below(UINT64_MAX - t->top - 1);
	default:
		return UINT64_MAX - rnd_below(4);
	}
}

/* A counter at or behind TOP: in the window, at its edge, or far behind. */
static uint64_t ctr_behind(const struct target *t)
{
	switch (rnd_below(3)) {
	case 0:
		return t->top - rnd_below(t->top < REPLAY_WINDOW ? t->top + 1 : REPLAY_WINDOW);
	case 1:
		return t->top >= REPLAY_WINDOW ? t->top - REPLAY_WINDOW : 0;
	default:
		return rnd_below(t->top + 1);
	}
}

static size_t body_len(void)
{
	return MIN_DGRAM + rnd_below(1400 - MIN_DGRAM);
}

/* Mutations of a captured datagram: bit flips, header fields, length. */
static size_t mutate(const struct target *t, uint8_t *p, size_t len)
{
	unsigned int n = 1 + (unsigned int)rnd_below(4);

	while (n--) {
		switch (rnd_below(8)) {
		case 0:	/* a bit anywhere */
		case 1:
			if (len)
				p[rnd_below(len)] ^= (uint8_t)(1u << rnd_below(8));
			break;
		case 2:	/* in the tag */
			if (len >= LINKCRYPT_TAG_LEN)
				p[len - 1 - rnd_below(LINKCRYPT_TAG_LEN)] ^= 0x80;
			break;
		case 3:	/* the counter, ahead or behind */
			if (len >= LINKCRYPT_HDR_LEN) {
				uint64_t c = htobe64(rnd_below(2) ? ctr_ahead(t) : ctr_behind(t));

				memcpy(p + 8, &c, 8);
			}
			break;
		case 4:	/* truncated */
			len = rnd_below(len + 1);
			break;
		case 5:	/* grown with garbage */
		{
			size_t more = rnd_below(512);

			rnd_fill(p + len, more);
			len += more;
			break;
		}
		case 6:	/* key id or receiver index */
			if (len >= LINKCRYPT_HDR_LEN)
				p[rnd_below(2) ? 1 : 4 + rnd_below(4)] ^= (uint8_t)(1 + rnd_below(255));
			break;
		default: /* type or reserved */
			if (len >= LINKCRYPT_HDR_LEN)
				p[rnd_below(2) ? 0 : 2 + rnd_below(2)] ^= (uint8_t)(1 + rnd_below(255));
			break;
		}
	}
	return len;
}

/* One datagram into @p (room for MAX_DGRAM + 512 bytes); returns its length. */
static size_t make(const struct target *t, uint8_t *p)
{
	unsigned int pick = (unsigned int)rnd_below(1000);
	size_t len;

	if (pick < 150) {		/* random bytes, any length up to 1500 */
		len = rnd_below(1501);
		rnd_fill(p, len);
		if (len && rnd_below(2))
			p[0] = LINKCRYPT_MSG_DATA;
		return len;
	}
	if (pick < 250) {		/* shorter than any frame */
		len = rnd_below(MIN_DGRAM);
		rnd_fill(p, len);
		if (len >= LINKCRYPT_HDR_LEN)
			put_hdr(p, LINKCRYPT_MSG_DATA, t->key_id, 0, t->index, ctr_ahead(t));
		return len;
	}
	len = body_len();
	rnd_fill(p, len);
	if (pick < 350) {		/* unknown type, or reserved bits */
		uint8_t type = (uint8_t)rnd();
		uint16_t res = rnd_below(2) ? (uint16_t)(1u << rnd_below(16)) : (uint16_t)rnd();

		if (rnd_below(2) || !res)
			type = type == LINKCRYPT_MSG_DATA ? 0 : type;
		put_hdr(p, type, t->key_id, type == LINKCRYPT_MSG_DATA ? res | 1 : res,
			t->index, ctr_ahead(t));
	} else if (pick < 450) {	/* unknown receiver index */
		uint32_t idx = (uint32_t)rnd();

		put_hdr(p, LINKCRYPT_MSG_DATA, t->key_id, 0,
			idx == t->index ? idx + 1 : idx, ctr_ahead(t));
	} else if (pick < 530) {	/* unknown key id */
		put_hdr(p, LINKCRYPT_MSG_DATA, (uint8_t)(t->key_id + 1 + rnd_below(255)),
			0, t->index, ctr_ahead(t));
	} else if (pick < 630) {	/* counter behind: a replay, costs no crypto */
		put_hdr(p, LINKCRYPT_MSG_DATA, t->key_id, 0, t->index, ctr_behind(t));
	} else if (pick < 730) {	/* counter ahead: a forged tag */
		put_hdr(p, LINKCRYPT_MSG_DATA, t->key_id, 0, t->index, ctr_ahead(t));
	} else if (pick < 732) {	/* oversize: fragmented on the underlay */
		len = 1500 + rnd_below(MAX_DGRAM - 1500 + 1);
		rnd_fill(p, len);
		put_hdr(p, LINKCRYPT_MSG_DATA, t->key_id, 0, t->index,
			rnd_below(4) ? ctr_ahead(t) : ctr_behind(t));
	} else if (ncaptured) {		/* a real datagram, replayed or mutated */
		unsigned int i = (unsigned int)rnd_below(ncaptured);

		len = captured_len[i];
		memcpy(p, captured[i], len);
		if (pick >= 800)
			len = mutate(t, p, len);
	}
	return len;
}

/* Enters the network namespace named @ns; returns the one we were in. */
static int enter_netns(const char *ns)
{
	char path[256];
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (self < 0 || fd < 0 || setns(fd, CLONE_NEWNET))
		die(path);
	close(fd);
	return self;
}

/* A packet socket on @dev in @ns, opened there and kept from here. */
static int watch(const char *spec)
{
	char ns[200], *dev;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL) };
	int self, fd;

	snprintf(ns, sizeof(ns), "%s", spec);
	dev = strchr(ns, ':');
	if (!dev) {
		fprintf(stderr, "lc_pktfuzz: -w NETNS:DEV\n");
		exit(2);
	}
	*dev++ = '\0';
	self = enter_netns(ns);
	/* Protocol 0 until bound: no frame of another device slips in. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, 0);
	sll.sll_ifindex = (int)if_nametoindex(dev);
	if (fd < 0 || !sll.sll_ifindex ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die(dev);
	if (setns(self, CLONE_NEWNET))
		die("setns back");
	close(self);
	return fd;
}

/* Frames the packet socket saw coming in (not those lc0 sent). */
static unsigned long delivered(int fd)
{
	static uint8_t buf[65536];
	struct sockaddr_ll from;
	unsigned long n = 0;

	for (;;) {
		socklen_t fl = sizeof(from);
		ssize_t r = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);

		if (r < 0)
			break;
		if (from.sll_pkttype != PACKET_OUTGOING)
			n++;
	}
	return n;
}

static int udp_connect(const char *addr, const char *port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai;
	int fd, sz = 4 << 20;

	if (getaddrinfo(addr, port, &hints, &ai)) {
		fprintf(stderr, "lc_pktfuzz: bad address %s port %s\n", addr, port);
		exit(2);
	}
	fd = socket(ai->ai_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen))
		die("udp socket");
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	freeaddrinfo(ai);
	return fd;
}

/* Sends every message of the batch, waiting out a full queue. */
static void send_batch(int fd, struct mmsghdr *m, unsigned int n)
{
	unsigned int done = 0;

	while (done < n) {
		int r = sendmmsg(fd, m + done, n - done, 0);

		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
				usleep(1000);
				continue;
			}
			die("sendmmsg");
		}
		done += (unsigned int)r;
	}
}

int main(int argc, char **argv)
{
	static uint8_t bufs[BATCH][MAX_DGRAM + 1024];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned long count = 0, sent = 0, expect[R_MAX] = { 0 };
	const char *addr = NULL, *port = NULL, *capfile = NULL, *wspec = NULL;
	struct target t = { 0 };
	uint64_t seed = 0;
	int opt, fd, wfd = -1;

	while ((opt = getopt(argc, argv, "s:n:d:p:i:k:t:c:w:")) != -1) {
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 'd': addr = optarg; break;
		case 'p': port = optarg; break;
		case 'i': t.index = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'k': t.key_id = (uint8_t)strtoul(optarg, NULL, 0); break;
		case 't': t.top = strtoull(optarg, NULL, 0); break;
		case 'c': capfile = optarg; break;
		case 'w': wspec = optarg; break;
		default: goto usage;
		}
	}
	if (!addr || !port || !count || !t.index)
		goto usage;
	printf("seed=%llu\n", (unsigned long long)seed);
	fflush(stdout);
	rng_state = seed;
	if (capfile)
		load_captured(capfile);
	if (wspec)
		wfd = watch(wspec);
	fd = udp_connect(addr, port);

	while (sent < count) {
		unsigned int n = count - sent < BATCH ? (unsigned int)(count - sent) : BATCH;

		for (unsigned int i = 0; i < n; i++) {
			size_t len = make(&t, bufs[i]);

			expect[classify(&t, bufs[i], len)]++;
			iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = len };
			msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i],
								 .msg_iovlen = 1 } };
		}
		send_batch(fd, msgs, n);
		sent += n;
	}
	printf("sent=%lu", sent);
	for (int r = 0; r < R_MAX; r++)
		printf(" %s=%lu", reason_name[r], expect[r]);
	if (wfd >= 0) {
		/* Let what is still in the stack arrive before looking. */
		usleep(500000);
		printf(" delivered=%lu", delivered(wfd));
	}
	printf("\n");
	return 0;

usage:
	fprintf(stderr, "usage: lc_pktfuzz -s SEED -n COUNT -d ADDR -p PORT -i INDEX "
		"-k KEYID -t TOP [-c CAPTURED] [-w NETNS:DEV]\n");
	return 2;
}
