// SPDX-License-Identifier: GPL-2.0
/* lcctl monitor [ [ dev ] DEV ] */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/linkcrypt.h>

#include "cli.h"
#include "dev.h"
#include "family.h"
#include "json.h"
#include "lcctl.h"
#include "monitor.h"

void monitor_usage(FILE *f, bool full)
{
	fputs("Usage: " LCCTL_PROG " monitor [ [ dev ] DEV ]\n", f);
	if (!full) {
		fputs("Try \"" LCCTL_PROG " monitor help\" for more.\n", f);
		return;
	}
	fputs("\n"
	      "Print the events of the linkcrypt devices of this network namespace,\n"
	      "or of DEV only, as they come, one line each, until interrupted\n"
	      "(SIGINT or SIGTERM: exit status 0):\n"
	      "  DEV: peer ID key DIR id KEYID: { soft-limit | hard-limit }\n"
	      "  DEV: peer ID: no-key\n"
	      "soft-limit: a key crossed a soft limit, rekey soon; hard-limit: a key\n"
	      "is no longer used; no-key: a frame for the peer found no usable TX key\n"
	      "(at most one a second per peer).\n"
	      "With -j, one JSON object per line: ifname, ifindex, event, peer and\n"
	      "key (dir, slot, id).  \"" LCCTL_PROG ": listening for events\" on stderr\n"
	      "says that the subscription is in place.\n",
	      f);
}

static const char *const event_names[] = {
	[LINKCRYPT_EVENT_SOFT_LIMIT]	= "soft-limit",
	[LINKCRYPT_EVENT_HARD_LIMIT]	= "hard-limit",
	[LINKCRYPT_EVENT_NO_KEY]	= "no-key",
};

const char *lc_event_str(uint32_t event, char *buf, size_t len)
{
	if (event < sizeof(event_names) / sizeof(event_names[0]) &&
	    event_names[event])
		snprintf(buf, len, "%s", event_names[event]);
	else
		snprintf(buf, len, "unknown(%u)", event);
	return buf;
}

static const struct lc_nl_policy event_policy[LINKCRYPT_A_DEV_MAX + 1] = {
	[LINKCRYPT_A_DEV_IFINDEX]	= { MNL_TYPE_U32, 0 },
	[LINKCRYPT_A_DEV_IFNAME]	= { MNL_TYPE_NUL_STRING, IFNAMSIZ },
	[LINKCRYPT_A_DEV_PEER]		= { MNL_TYPE_NESTED, 0 },
	[LINKCRYPT_A_DEV_EVENT]		= { MNL_TYPE_U32, 0 },
};

static const struct lc_nl_policy event_peer_policy[LINKCRYPT_A_PEER_MAX + 1] = {
	[LINKCRYPT_A_PEER_ID]		= { MNL_TYPE_U32, 0 },
	[LINKCRYPT_A_PEER_KEY]		= { MNL_TYPE_NESTED, 0 },
};

int lc_event_parse(const struct nlmsghdr *nlh, struct lc_event *ev)
{
	const struct nlattr *tb[LINKCRYPT_A_DEV_MAX + 1];
	const struct nlattr *ptb[LINKCRYPT_A_PEER_MAX + 1];
	unsigned int i;
	int err;

	memset(ev, 0, sizeof(*ev));
	err = lc_nl_parse_genl(nlh, event_policy, LINKCRYPT_A_DEV_MAX, tb);
	if (err)
		return err;
	if (!tb[LINKCRYPT_A_DEV_EVENT])
		return -EBADMSG;
	for (i = 0; i <= LINKCRYPT_A_DEV_MAX; i++) {
		if (tb[i])
			ev->present |= 1u << i;
	}
	ev->event = mnl_attr_get_u32(tb[LINKCRYPT_A_DEV_EVENT]);
	if (tb[LINKCRYPT_A_DEV_IFINDEX])
		ev->ifindex = mnl_attr_get_u32(tb[LINKCRYPT_A_DEV_IFINDEX]);
	if (tb[LINKCRYPT_A_DEV_IFNAME])
		snprintf(ev->ifname, sizeof(ev->ifname), "%s",
			 mnl_attr_get_str(tb[LINKCRYPT_A_DEV_IFNAME]));
	if (!tb[LINKCRYPT_A_DEV_PEER])
		return 0;
	err = lc_nl_parse_nested(tb[LINKCRYPT_A_DEV_PEER], event_peer_policy,
				 LINKCRYPT_A_PEER_MAX, ptb);
	if (err)
		return err;
	if (ptb[LINKCRYPT_A_PEER_ID]) {
		ev->has_peer = true;
		ev->peer = mnl_attr_get_u32(ptb[LINKCRYPT_A_PEER_ID]);
	}
	if (ptb[LINKCRYPT_A_PEER_KEY]) {
		err = lc_key_parse(ptb[LINKCRYPT_A_PEER_KEY], &ev->key);
		if (err)
			return err;
		ev->has_key = true;
	}
	return 0;
}

int monitor_print_text(FILE *f, const struct lc_event *ev)
{
	char name[32], buf[LC_KEY_STRLEN];

	if (ev->ifname[0])
		fprintf(f, "%s:", ev->ifname);
	else
		fprintf(f, "ifindex %u:", ev->ifindex);
	if (ev->has_peer)
		fprintf(f, " peer %u", ev->peer);
	if (ev->has_key) {
		fputs(" key", f);
		if (lc_key_has(&ev->key, LINKCRYPT_A_KEY_DIR))
			fprintf(f, " %s", lc_key_dir_str(ev->key.v[LINKCRYPT_A_KEY_DIR],
							 buf, sizeof(buf)));
		if (lc_key_has(&ev->key, LINKCRYPT_A_KEY_ID))
			fprintf(f, " id %u", (unsigned int)ev->key.v[LINKCRYPT_A_KEY_ID]);
	}
	fprintf(f, "%s %s\n", ev->has_peer || ev->has_key ? ":" : "",
		lc_event_str(ev->event, name, sizeof(name)));
	return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

int monitor_print_json(FILE *f, bool pretty, const struct lc_event *ev)
{
	char buf[32];
	const struct lc_key *k = &ev->key;
	struct json j;

	json_init(&j, f, pretty);
	json_open_object(&j);
	if (ev->ifname[0])
		json_kv_string(&j, "ifname", ev->ifname);
	if (ev->present & (1u << LINKCRYPT_A_DEV_IFINDEX))
		json_kv_uint(&j, "ifindex", ev->ifindex);
	json_kv_string(&j, "event", lc_event_str(ev->event, buf, sizeof(buf)));
	if (ev->has_peer)
		json_kv_uint(&j, "peer", ev->peer);
	if (ev->has_key) {
		json_key(&j, "key");
		json_open_object(&j);
		if (lc_key_has(k, LINKCRYPT_A_KEY_DIR))
			json_kv_string(&j, "dir", lc_key_dir_str(k->v[LINKCRYPT_A_KEY_DIR],
								 buf, sizeof(buf)));
		if (lc_key_has(k, LINKCRYPT_A_KEY_SLOT))
			json_kv_string(&j, "slot", lc_key_slot_str(k->v[LINKCRYPT_A_KEY_SLOT],
								   buf, sizeof(buf)));
		if (lc_key_has(k, LINKCRYPT_A_KEY_ID))
			json_kv_uint(&j, "id", k->v[LINKCRYPT_A_KEY_ID]);
		json_close_object(&j);
	}
	json_close_object(&j);
	if (json_finish(&j))
		return -1;
	return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

static bool wanted(const struct monitor *m, const struct lc_event *ev)
{
	if (!m->ifname)
		return true;
	/* By index if both know it: a rename does not lose the device. */
	if (m->ifindex && (ev->present & (1u << LINKCRYPT_A_DEV_IFINDEX)))
		return ev->ifindex == m->ifindex;
	return !strcmp(ev->ifname, m->ifname);
}

int monitor_feed(const struct monitor *m, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int rem = len > INT_MAX ? INT_MAX : (int)len;
	const struct genlmsghdr *genl;
	struct lc_event ev;
	int n = 0, err;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
		if (nlh->nlmsg_type != m->family ||
		    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
			continue;
		genl = mnl_nlmsg_get_payload(nlh);
		if (genl->cmd != LINKCRYPT_CMD_EVENT)
			continue;
		if (lc_event_parse(nlh, &ev)) {
			fprintf(stderr, "%s: ignoring a malformed event\n", LCCTL_PROG);
			continue;
		}
		if (!wanted(m, &ev))
			continue;
		err = m->json ? monitor_print_json(m->f, m->pretty, &ev) :
				monitor_print_text(m->f, &ev);
		if (err)
			return -1;
		n++;
	}
	return n;
}

int monitor_parse_args(int argc, char **argv, struct monitor_args *args)
{
	memset(args, 0, sizeof(*args));
	for (; argc > 0; argc--, argv++) {
		if (!strcmp(*argv, "dev")) {
			NEXT_ARG();
		} else if (cli_is_help(*argv)) {
			return CLI_HELP;
		} else if ((*argv)[0] == '-') {
			return cli_error("unknown argument \"%s\"; options go before the command (\"%s -j monitor\"), a device named so needs \"dev %s\".",
					 *argv, LCCTL_PROG, *argv);
		}
		if (args->ifname)
			return cli_error("too many arguments: \"%s\"; monitor takes one device at most.",
					 *argv);
		if (!cli_ifname_valid(*argv))
			return cli_error("\"%s\" is not a valid interface name.", *argv);
		args->ifname = *argv;
	}
	return CLI_OK;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * SIGINT and SIGTERM are blocked but while ppoll() sleeps, so that a
 * signal is never missed between a check of "stop" and going to sleep.
 */
int monitor_listen(struct lc_nl *nl, const struct monitor *m)
{
	sigset_t block, saved, old;
	int ret = LC_EXIT_FAIL;
	struct sigaction sa;
	struct pollfd pfd;
	ssize_t len;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &saved);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	old = saved;
	sigdelset(&old, SIGINT);
	sigdelset(&old, SIGTERM);

	fprintf(stderr, "%s: listening for events\n", LCCTL_PROG);
	stop = 0;
	pfd.fd = lc_nl_fd(nl);
	pfd.events = POLLIN;
	while (!stop) {
		if (ppoll(&pfd, 1, NULL, &old) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: poll: %s\n", LCCTL_PROG, strerror(errno));
			goto out;
		}
		for (;;) {
			len = lc_nl_recv(nl);
			if (len == -EAGAIN)
				break;
			if (len == -ENOBUFS) {
				fprintf(stderr, "%s: events were lost (receive buffer overrun)\n",
					LCCTL_PROG);
				continue;
			}
			if (len < 0) {
				fprintf(stderr, "%s: cannot receive events: %s\n",
					LCCTL_PROG, strerror((int)-len));
				goto out;
			}
			if (monitor_feed(m, nl->rxbuf, (size_t)len) < 0) {
				fprintf(stderr, "%s: cannot write the output: %s\n",
					LCCTL_PROG, strerror(errno));
				goto out;
			}
		}
	}
	ret = LC_EXIT_OK;
out:
	sigprocmask(SIG_SETMASK, &saved, NULL);
	return ret;
}

int cmd_monitor(const struct lcctl_opts *opts, int argc, char **argv)
{
	struct lc_dev_list list = { 0 };
	struct monitor_args args;
	struct monitor m;
	struct lc_conn c;
	uint32_t group;
	int ret = LC_EXIT_FAIL;
	int err;

	switch (monitor_parse_args(argc, argv, &args)) {
	case CLI_OK:
		break;
	case CLI_HELP:
		monitor_usage(stdout, true);
		return LC_EXIT_OK;
	default:
		monitor_usage(stderr, false);
		return LC_EXIT_USAGE;
	}

	if (lc_connect(&c))
		return LC_EXIT_FAIL;
	memset(&m, 0, sizeof(m));
	m.f = stdout;
	m.json = opts->json;
	m.pretty = opts->pretty;
	m.family = c.fam.id;
	m.ifname = args.ifname;
	if (args.ifname) {
		struct lc_dev_sel sel = { args.ifname, 0 };

		/* The device must exist; its index survives a rename. */
		err = lc_dev_get(&c, &sel, &list);
		if (err == -ENODEV || err == -ENOENT) {
			lc_report_no_dev(&c, args.ifname, 0);
			goto out;
		} else if (err) {
			lc_report(&c, err, "cannot get linkcrypt device \"%s\"",
				  args.ifname);
			goto out;
		}
		if (list.n == 1)
			m.ifindex = list.devs[0].ifindex;
	}
	err = lc_nl_mcast_grp(&c.fam, LINKCRYPT_MCGRP_EVENTS, &group);
	if (err) {
		fprintf(stderr, "%s: the loaded linkcrypt module has no \"%s\" multicast group (is it older than lcctl?)\n",
			LCCTL_PROG, LINKCRYPT_MCGRP_EVENTS);
		goto out;
	}
	err = lc_nl_subscribe(&c.nl, group);
	if (err) {
		lc_report(&c, err, "cannot join the \"%s\" multicast group",
			  LINKCRYPT_MCGRP_EVENTS);
		goto out;
	}
	ret = monitor_listen(&c.nl, &m);
out:
	lc_dev_list_free(&list);
	lc_disconnect(&c);
	return ret;
}
