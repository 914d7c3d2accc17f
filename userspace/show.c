// SPDX-License-Identifier: GPL-2.0
/* lcctl show [ [ dev ] DEV | ifindex IFINDEX ] */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/linkcrypt.h>

#include "cipher.h"
#include "cli.h"
#include "dev.h"
#include "family.h"
#include "json.h"
#include "lcctl.h"
#include "show.h"

void show_usage(FILE *f, bool full)
{
	fputs("Usage: " LCCTL_PROG " show [ [ dev ] DEV | ifindex IFINDEX ]\n", f);
	if (!full) {
		fputs("Try \"" LCCTL_PROG " show help\" for more.\n", f);
		return;
	}
	fputs("\n"
	      "Show linkcrypt devices: every one of this network namespace, or\n"
	      "the one named DEV, or the one with interface index IFINDEX.\n"
	      "Use \"dev DEV\" for a device whose name is a keyword or starts\n"
	      "with \"-\".\n"
	      "\n"
	      "Text output, per device:\n"
	      "  DEV: port PORT cipher CIPHER crypto CRYPTO mtu MTU peers N\n"
	      "    drops: malformed N no-peer N no-peer-tx N\n"
	      "    peer ID: remote-id RID endpoint ENDPOINT [ macs MAC... ]\n"
	      "      tx: N packets N bytes  rx: N packets N bytes  last-rx S.Ss ago\n"
	      "      drops: no-key N key-expired N auth N replay N tx-error N\n"
	      "      key DIR SLOT id KEYID: N packets N bytes age Ns [ LIMIT N ]...\n"
	      "          [ auth-failures N replays N ] [ [soft-expired] ] [ [hard-expired] ]\n"
	      "      (\"keys: none\" if the peer has no key; limits of 0 are not shown)\n"
	      "JSON output (" LCCTL_PROG " -j show): an array of objects with the\n"
	      "members ifname, ifindex, port, cipher, crypto, mtu, stats and\n"
	      "peers.  Key material is never shown: the kernel never gives it\n"
	      "back.\n",
	      f);
	fprintf(f, "CIPHER := { %s }\n", lc_cipher_names());
	fputs("CRYPTO := { parallel | inline }  (see ip-link's \"crypto\")\n", f);
}

/* The bits of the drop counters in lc_stats.present. */
static uint32_t drop_mask(void)
{
	uint32_t mask = 0;
	unsigned int i;

	for (i = 0; i <= LINKCRYPT_A_STATS_MAX; i++) {
		if (lc_stats_is_drop(i))
			mask |= 1u << i;
	}
	return mask;
}

static int set_ifname(struct show_args *args, const char *name)
{
	if (args->ifname || args->ifindex)
		return cli_error("too many arguments: \"%s\"; show takes one device at most.",
				 name);
	if (!cli_ifname_valid(name))
		return cli_error("\"%s\" is not a valid interface name.", name);
	args->ifname = name;
	return CLI_OK;
}

int show_parse_args(int argc, char **argv, struct show_args *args)
{
	int err;

	memset(args, 0, sizeof(*args));
	for (; argc > 0; argc--, argv++) {
		/*
		 * Keywords are matched whole: any abbreviation could also be
		 * a device name.
		 */
		if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
			err = set_ifname(args, *argv);
		} else if (!strcmp(*argv, "ifindex")) {
			uint32_t idx;

			NEXT_ARG();
			if (args->ifname || args->ifindex)
				return cli_error("too many arguments: \"ifindex %s\"; show takes one device at most.",
						 *argv);
			if (cli_parse_u32(*argv, &idx) || idx == 0 || idx > INT_MAX)
				return cli_error("\"%s\" is not a valid interface index.",
						 *argv);
			args->ifindex = idx;
			err = CLI_OK;
		} else if (cli_is_help(*argv)) {
			return CLI_HELP;
		} else if ((*argv)[0] == '-') {
			return cli_error("unknown argument \"%s\"; options go before the command (\"%s -j show\"), a device named so needs \"dev %s\".",
					 *argv, LCCTL_PROG, *argv);
		} else {
			err = set_ifname(args, *argv);
		}
		if (err)
			return err;
	}
	return CLI_OK;
}

/* "tx: N packets N bytes" and "rx: ..." as far as @s has them. */
static bool print_traffic(FILE *f, const struct lc_stats *s)
{
	static const struct {
		const char *label;
		unsigned int packets, bytes;
	} dirs[] = {
		{ "tx:", LINKCRYPT_A_STATS_TX_PACKETS, LINKCRYPT_A_STATS_TX_BYTES },
		{ "rx:", LINKCRYPT_A_STATS_RX_PACKETS, LINKCRYPT_A_STATS_RX_BYTES },
	};
	bool any = false;
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		bool p = lc_stats_has(s, dirs[i].packets);
		bool b = lc_stats_has(s, dirs[i].bytes);

		if (!p && !b)
			continue;
		fprintf(f, "%s%s", any ? "  " : "", dirs[i].label);
		if (p)
			fprintf(f, " %" PRIu64 " packets", s->v[dirs[i].packets]);
		if (b)
			fprintf(f, " %" PRIu64 " bytes", s->v[dirs[i].bytes]);
		any = true;
	}
	return any;
}

/* "drops: no-key 0 ..." for the drop counters @s has, on a line of its own. */
static void print_drops(FILE *f, const char *indent, const struct lc_stats *s)
{
	bool any = false;
	unsigned int i;

	for (i = 0; i <= LINKCRYPT_A_STATS_MAX; i++) {
		if (!lc_stats_is_drop(i) || !lc_stats_has(s, i))
			continue;
		fprintf(f, "%s%s %s %" PRIu64, any ? "" : indent,
			any ? "" : "drops:", lc_stats_text_name(i), s->v[i]);
		any = true;
	}
	if (any)
		fputc('\n', f);
}

static void print_key_text(FILE *f, const char *indent, const struct lc_key *k)
{
	char dir[LC_KEY_STRLEN], slot[LC_KEY_STRLEN];
	/* " <before>N<after>" per counter. */
	static const struct {
		unsigned int attr;
		const char *before, *after;
	} counters[] = {
		{ LINKCRYPT_A_KEY_PACKETS,	"", " packets" },
		{ LINKCRYPT_A_KEY_BYTES,	"", " bytes" },
		{ LINKCRYPT_A_KEY_AGE_SECONDS,	"age ", "s" },
		{ LINKCRYPT_A_KEY_AUTH_FAILURES, "auth-failures ", "" },
		{ LINKCRYPT_A_KEY_REPLAYS,	"replays ", "" },
	};
	size_t i;

	fprintf(f, "%skey %s %s id %" PRIu64 ":", indent,
		lc_key_dir_str(k->v[LINKCRYPT_A_KEY_DIR], dir, sizeof(dir)),
		lc_key_slot_str(k->v[LINKCRYPT_A_KEY_SLOT], slot, sizeof(slot)),
		k->v[LINKCRYPT_A_KEY_ID]);
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		if (lc_key_has(k, counters[i].attr))
			fprintf(f, " %s%" PRIu64 "%s", counters[i].before,
				k->v[counters[i].attr], counters[i].after);
	}
	/* Limits of 0 are no limits. */
	for (i = 0; i < LC_KEY_N_LIMITS; i++) {
		const struct lc_key_limit *l = &lc_key_limits[i];

		if (k->v[l->attr])
			fprintf(f, " %s %" PRIu64, l->keyword, k->v[l->attr]);
	}
	if (k->v[LINKCRYPT_A_KEY_FLAGS] & LINKCRYPT_KEY_F_SOFT_EXPIRED)
		fputs(" [soft-expired]", f);
	if (k->v[LINKCRYPT_A_KEY_FLAGS] & LINKCRYPT_KEY_F_HARD_EXPIRED)
		fputs(" [hard-expired]", f);
	fputc('\n', f);
}

static void print_peer_text(FILE *f, const char *indent, const struct lc_peer *p)
{
	char sub[64], buf[LC_ENDPOINT_STRLEN];
	size_t i;

	fprintf(f, "%speer %u:", indent, p->id);
	if (lc_peer_has(p, LINKCRYPT_A_PEER_REMOTE_ID))
		fprintf(f, " remote-id %u", p->remote_id);
	if (p->ep.family != AF_UNSPEC)
		fprintf(f, " endpoint %s", lc_endpoint_str(&p->ep, buf, sizeof(buf)));
	if (p->n_macs)
		fputs(" macs", f);
	for (i = 0; i < p->n_macs; i++)
		fprintf(f, " %s", lc_mac_str(&p->macs[i], buf, sizeof(buf)));
	fputc('\n', f);

	snprintf(sub, sizeof(sub), "%s  ", indent);
	fputs(sub, f);
	if (print_traffic(f, &p->stats))
		fputs("  ", f);
	if (lc_peer_has(p, LINKCRYPT_A_PEER_LAST_RX_MSECS))
		fprintf(f, "last-rx %" PRIu64 ".%" PRIu64 "s ago\n",
			p->last_rx_msecs / 1000, p->last_rx_msecs % 1000 / 100);
	else
		fputs("last-rx never\n", f);
	print_drops(f, sub, &p->stats);
	for (i = 0; i < p->n_keys; i++)
		print_key_text(f, sub, &p->keys[i]);
	if (!p->n_keys)
		fprintf(f, "%skeys: none\n", sub);
}

void show_print_peers_text(FILE *f, const char *indent,
			   const struct lc_peer *peers, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		print_peer_text(f, indent, &peers[i]);
}

void show_print_text(FILE *f, const struct lc_dev *devs, size_t n)
{
	char cipher[LC_CIPHER_STRLEN], crypto[LC_CRYPTO_STRLEN];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct lc_dev *d = &devs[i];

		fprintf(f, "%s:", d->ifname);
		if (lc_dev_has(d, LINKCRYPT_A_DEV_PORT))
			fprintf(f, " port %u", d->port);
		if (lc_dev_has(d, LINKCRYPT_A_DEV_CIPHER))
			fprintf(f, " cipher %s",
				lc_cipher_str(d->cipher, cipher, sizeof(cipher)));
		if (lc_dev_has(d, LINKCRYPT_A_DEV_CRYPTO))
			fprintf(f, " crypto %s",
				lc_dev_crypto_str(d->crypto, crypto, sizeof(crypto)));
		if (lc_dev_has(d, LINKCRYPT_A_DEV_MTU))
			fprintf(f, " mtu %u", d->mtu);
		if (lc_dev_has(d, LINKCRYPT_A_DEV_PEERS))
			fprintf(f, " peers %u", d->n_peers);
		else if (d->has_peers)
			fprintf(f, " peers %zu", d->peers.n);
		fputc('\n', f);
		/* Device counters other than drops: none today, but shown. */
		if (d->stats.present & ~drop_mask()) {
			fputs("  ", f);
			print_traffic(f, &d->stats);
			fputc('\n', f);
		}
		print_drops(f, "  ", &d->stats);
		show_print_peers_text(f, "  ", d->peers.peers, d->peers.n);
	}
}

static void json_stats(struct json *j, const struct lc_stats *s)
{
	unsigned int i;

	json_key(j, "stats");
	json_open_object(j);
	for (i = 0; i <= LINKCRYPT_A_STATS_MAX; i++) {
		if (lc_stats_has(s, i))
			json_kv_uint(j, lc_stats_json_name(i), s->v[i]);
	}
	json_close_object(j);
}

static void json_key_obj(struct json *j, const struct lc_key *k)
{
	char buf[LC_KEY_STRLEN];
	static const struct {
		unsigned int attr;
		const char *name;
	} counters[] = {
		{ LINKCRYPT_A_KEY_PACKETS,	"packets" },
		{ LINKCRYPT_A_KEY_BYTES,	"bytes" },
		{ LINKCRYPT_A_KEY_AUTH_FAILURES, "auth_failures" },
		{ LINKCRYPT_A_KEY_REPLAYS,	"replays" },
		{ LINKCRYPT_A_KEY_AGE_SECONDS,	"age_seconds" },
	};
	size_t i;

	json_open_object(j);
	json_kv_string(j, "dir", lc_key_dir_str(k->v[LINKCRYPT_A_KEY_DIR],
						buf, sizeof(buf)));
	json_kv_string(j, "slot", lc_key_slot_str(k->v[LINKCRYPT_A_KEY_SLOT],
						  buf, sizeof(buf)));
	json_kv_uint(j, "id", k->v[LINKCRYPT_A_KEY_ID]);
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		if (lc_key_has(k, counters[i].attr))
			json_kv_uint(j, counters[i].name, k->v[counters[i].attr]);
	}
	/* Always there: no FLAGS attribute is no flag set. */
	json_kv_bool(j, "soft_expired", k->v[LINKCRYPT_A_KEY_FLAGS] &
		     LINKCRYPT_KEY_F_SOFT_EXPIRED);
	json_kv_bool(j, "hard_expired", k->v[LINKCRYPT_A_KEY_FLAGS] &
		     LINKCRYPT_KEY_F_HARD_EXPIRED);
	/* As the kernel reports them: 0 is no limit. */
	for (i = 0; i < LC_KEY_N_LIMITS; i++) {
		const struct lc_key_limit *l = &lc_key_limits[i];

		if (lc_key_has(k, l->attr))
			json_kv_uint(j, l->json, k->v[l->attr]);
	}
	json_close_object(j);
}

static void json_peer(struct json *j, const struct lc_peer *p)
{
	char buf[LC_ENDPOINT_STRLEN];
	size_t i;

	json_open_object(j);
	json_kv_uint(j, "id", p->id);
	if (lc_peer_has(p, LINKCRYPT_A_PEER_REMOTE_ID))
		json_kv_uint(j, "remote_id", p->remote_id);
	if (p->ep.family != AF_UNSPEC) {
		json_key(j, "endpoint");
		json_open_object(j);
		json_kv_string(j, "address",
			       lc_endpoint_addr_str(&p->ep, buf, sizeof(buf)));
		json_kv_uint(j, "port", p->ep.port);
		json_close_object(j);
	}
	json_key(j, "macs");
	json_open_array(j);
	for (i = 0; i < p->n_macs; i++)
		json_string(j, lc_mac_str(&p->macs[i], buf, sizeof(buf)));
	json_close_array(j);
	json_stats(j, &p->stats);
	if (lc_peer_has(p, LINKCRYPT_A_PEER_LAST_RX_MSECS))
		json_kv_uint(j, "last_rx_msecs", p->last_rx_msecs);
	json_key(j, "keys");
	json_open_array(j);
	for (i = 0; i < p->n_keys; i++)
		json_key_obj(j, &p->keys[i]);
	json_close_array(j);
	json_close_object(j);
}

static void json_peers(struct json *j, const struct lc_peer *peers, size_t n)
{
	size_t i;

	json_open_array(j);
	for (i = 0; i < n; i++)
		json_peer(j, &peers[i]);
	json_close_array(j);
}

int show_print_peers_json(FILE *f, bool pretty, const struct lc_peer *peers,
			  size_t n)
{
	struct json j;

	json_init(&j, f, pretty);
	json_peers(&j, peers, n);
	return json_finish(&j);
}

int show_print_json(FILE *f, bool pretty, const struct lc_dev *devs, size_t n)
{
	char cipher[LC_CIPHER_STRLEN], crypto[LC_CRYPTO_STRLEN];
	struct json j;
	size_t i;

	json_init(&j, f, pretty);
	json_open_array(&j);
	for (i = 0; i < n; i++) {
		const struct lc_dev *d = &devs[i];

		json_open_object(&j);
		json_kv_string(&j, "ifname", d->ifname);
		json_kv_uint(&j, "ifindex", d->ifindex);
		if (lc_dev_has(d, LINKCRYPT_A_DEV_PORT))
			json_kv_uint(&j, "port", d->port);
		if (lc_dev_has(d, LINKCRYPT_A_DEV_CIPHER))
			json_kv_string(&j, "cipher",
				       lc_cipher_str(d->cipher, cipher, sizeof(cipher)));
		if (lc_dev_has(d, LINKCRYPT_A_DEV_CRYPTO))
			json_kv_string(&j, "crypto",
				       lc_dev_crypto_str(d->crypto, crypto, sizeof(crypto)));
		if (lc_dev_has(d, LINKCRYPT_A_DEV_MTU))
			json_kv_uint(&j, "mtu", d->mtu);
		if (lc_dev_has(d, LINKCRYPT_A_DEV_STATS))
			json_stats(&j, &d->stats);
		if (d->has_peers) {
			json_key(&j, "peers");
			json_peers(&j, d->peers.peers, d->peers.n);
		}
		json_close_object(&j);
	}
	json_close_array(&j);
	return json_finish(&j);
}

static void report_get_error(const struct lc_conn *c, const struct show_args *args,
			     int err)
{
	if (err == -ENODEV || err == -ENOENT)
		lc_report_no_dev(c, args->ifname, args->ifindex);
	else if (args->ifname)
		lc_report(c, err, "cannot get linkcrypt device \"%s\"", args->ifname);
	else if (args->ifindex)
		lc_report(c, err, "cannot get linkcrypt device %u", args->ifindex);
	else
		lc_report(c, err, "cannot list linkcrypt devices");
}

/*
 * Read the peers of every device of @list, each with a PEER_GET dump.
 * When listing them @all, a device deleted meanwhile is dropped.  A module
 * without peers (older than lcctl) leaves them out.  0 or a negative
 * errno, reported.
 */
static int get_peers(struct lc_conn *c, struct lc_dev_list *list, bool all)
{
	size_t i = 0;
	int err;

	while (i < list->n) {
		struct lc_dev *d = &list->devs[i];
		struct lc_peer_sel sel = { NULL, d->ifindex, 0 };

		err = lc_peer_get(c, &sel, &d->peers);
		if (err == -EOPNOTSUPP && !c->nl.ext.msg[0])
			return 0;
		if ((err == -ENODEV || err == -ENOENT) && all) {
			lc_dev_list_remove(list, i);
			continue;
		}
		if (err) {
			lc_report_req(c, err, d->ifname, "cannot list the peers of %s",
				      d->ifname);
			return err;
		}
		d->has_peers = true;
		i++;
	}
	return 0;
}

int cmd_show(const struct lcctl_opts *opts, int argc, char **argv)
{
	struct lc_dev_list list = { 0 };
	struct show_args args;
	struct lc_dev_sel sel;
	struct lc_conn c;
	int ret = LC_EXIT_FAIL;
	int err;

	switch (show_parse_args(argc, argv, &args)) {
	case CLI_OK:
		break;
	case CLI_HELP:
		show_usage(stdout, true);
		return LC_EXIT_OK;
	default:
		show_usage(stderr, false);
		return LC_EXIT_USAGE;
	}

	if (lc_connect(&c))
		return LC_EXIT_FAIL;
	sel.ifname = args.ifname;
	sel.ifindex = args.ifindex;
	err = lc_dev_get(&c, &sel, &list);
	if (err) {
		report_get_error(&c, &args, err);
		goto out;
	}
	if (get_peers(&c, &list, !args.ifname && !args.ifindex))
		goto out;

	if (opts->json) {
		if (show_print_json(stdout, opts->pretty, list.devs, list.n)) {
			fprintf(stderr, "%s: internal error writing JSON\n", LCCTL_PROG);
			goto out;
		}
	} else {
		show_print_text(stdout, list.devs, list.n);
	}
	ret = LC_EXIT_OK;
out:
	lc_dev_list_free(&list);
	lc_disconnect(&c);
	return ret;
}
