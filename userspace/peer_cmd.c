// SPDX-License-Identifier: GPL-2.0
/*
 * lcctl peer add DEV id ID remote-id RID endpoint ENDPOINT [ mac MAC ]...
 * lcctl peer set DEV id ID [ remote-id RID ] [ endpoint ENDPOINT ]
 *		  [ mac MAC ]... [ mac none ]
 * lcctl peer del DEV id ID
 * lcctl peer show DEV [ id ID ]
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/linkcrypt.h>

#include "cli.h"
#include "family.h"
#include "lcctl.h"
#include "peer.h"
#include "peer_cmd.h"
#include "show.h"

static const char *const op_names[] = {
	[PEER_OP_ADD]	= "add",
	[PEER_OP_SET]	= "set",
	[PEER_OP_DEL]	= "del",
	[PEER_OP_SHOW]	= "show",
};

/* Each after a 7-character lead, "Usage: " or spaces. */
static const char *const grammar[] = {
	[PEER_OP_ADD] =
	LCCTL_PROG " peer add DEV id ID remote-id RID endpoint ENDPOINT\n"
	"                      [ mac MAC ]...\n",
	[PEER_OP_SET] =
	LCCTL_PROG " peer set DEV id ID [ remote-id RID ] [ endpoint ENDPOINT ]\n"
	"                      [ mac MAC ]... [ mac none ]\n",
	[PEER_OP_DEL] =
	LCCTL_PROG " peer del DEV id ID\n",
	[PEER_OP_SHOW] =
	LCCTL_PROG " peer show DEV [ id ID ]\n",
};

static const char where_id[] =
	"where  ID, RID  := 1..4294967295\n";
static const char where_ep[] =
	"       ENDPOINT := { A.B.C.D:PORT | [IPV6]:PORT }\n"
	"       MAC      := aa:bb:cc:dd:ee:ff (unicast)\n";

void peer_usage_op(FILE *f, enum peer_op op, const char *lead)
{
	unsigned int i;

	for (i = PEER_OP_ADD; i <= PEER_OP_SHOW; i++) {
		if (op != PEER_OP_NONE && op != i)
			continue;
		fputs(lead, f);
		fputs(grammar[i], f);
		lead = "       ";
	}
	fputs(where_id, f);
	if (op == PEER_OP_NONE || op == PEER_OP_ADD || op == PEER_OP_SET)
		fputs(where_ep, f);
}

void peer_usage(FILE *f, bool full)
{
	peer_usage_op(f, PEER_OP_NONE, "Usage: ");
	if (!full) {
		fputs("Try \"" LCCTL_PROG " peer help\" for more.\n", f);
		return;
	}
	fputs("\n"
	      "Peers of the linkcrypt device DEV.  ID is our index for the peer,\n"
	      "unique in DEV: the peer puts it in the frames it sends us.  RID is\n"
	      "the peer's index for us.  ENDPOINT is the peer's UDP address; names\n"
	      "are not resolved.  Frames to a static MAC go to that peer only.\n"
	      "\n"
	      "  add    add a peer\n"
	      "  set    change a peer; the MACs given replace the old list, and\n"
	      "         \"mac none\" empties it\n"
	      "  del    delete a peer with its keys (\"delete\" works too)\n"
	      "  show   show the peers of DEV, or peer ID, as \"" LCCTL_PROG " show\" does\n"
	      "\n"
	      "Use \"dev DEV\" for a device whose name is a keyword.\n",
	      f);
}

static enum peer_op find_op(const char *s)
{
	unsigned int i;

	if (!strcmp(s, "delete"))
		return PEER_OP_DEL;
	for (i = PEER_OP_ADD; i <= PEER_OP_SHOW; i++) {
		if (!strcmp(s, op_names[i]))
			return (enum peer_op)i;
	}
	return PEER_OP_NONE;
}

/* A peer index: 1..UINT32_MAX. */
static int parse_id(const char *keyword, const char *s, uint32_t *out)
{
	if (*out)
		return cli_error("\"%s\" given twice.", keyword);
	if (cli_parse_u32(s, out) || *out == 0) {
		*out = 0;
		return cli_error("\"%s\" is not a valid %s (1..4294967295).", s,
				 strcmp(keyword, "id") ? "remote id" : "peer id");
	}
	return CLI_OK;
}

static int parse_mac(struct peer_args *a, const char *s)
{
	struct lc_mac mac;
	size_t i;
	int err;

	if (!strcmp(s, "none")) {
		if (a->op != PEER_OP_SET)
			return cli_error("\"mac none\" is for \"peer set\"; a new peer has no MACs unless given.");
		if (a->macs_none)
			return cli_error("\"mac none\" given twice.");
		if (a->n_macs)
			return cli_error("\"mac none\" cannot be combined with MACs.");
		a->macs_none = true;
		return CLI_OK;
	}
	if (a->macs_none)
		return cli_error("\"mac none\" cannot be combined with MACs.");
	err = lc_mac_parse(s, &mac);
	if (err)
		return err;
	for (i = 0; i < a->n_macs; i++) {
		if (!memcmp(&a->macs[i], &mac, sizeof(mac)))
			return cli_error("MAC address \"%s\" given twice.", s);
	}
	if (a->n_macs == LC_PEER_MAX_MACS)
		return cli_error("too many MACs: at most %d per command.",
				 LC_PEER_MAX_MACS);
	a->macs[a->n_macs++] = mac;
	return CLI_OK;
}

/* Whether @keyword is an argument of @op. */
static bool allowed(enum peer_op op, const char *keyword)
{
	if (!strcmp(keyword, "id"))
		return true;
	return op == PEER_OP_ADD || op == PEER_OP_SET;
}

static int check_complete(const struct peer_args *a)
{
	const char *op = op_names[a->op];

	if (!a->id && a->op != PEER_OP_SHOW)
		return cli_error("\"peer %s\" needs the peer's \"id\".", op);
	if (a->op == PEER_OP_ADD) {
		if (!a->remote_id)
			return cli_error("\"peer add\" needs \"remote-id\".");
		if (a->ep.family == AF_UNSPEC)
			return cli_error("\"peer add\" needs \"endpoint\".");
	}
	if (a->op == PEER_OP_SET && !a->remote_id &&
	    a->ep.family == AF_UNSPEC && !a->n_macs && !a->macs_none)
		return cli_error("\"peer set\" needs something to change: remote-id, endpoint or mac.");
	return CLI_OK;
}

int peer_parse_args(int argc, char **argv, struct peer_args *a)
{
	int err;

	memset(a, 0, sizeof(*a));
	if (argc == 0)
		return cli_error("\"peer\" needs a sub-command: add, set, del or show.");
	if (cli_is_help(*argv))
		return CLI_HELP;
	a->op = find_op(*argv);
	if (a->op == PEER_OP_NONE)
		return cli_error("unknown sub-command \"peer %s\"; use add, set, del or show.",
				 *argv);
	argc--;
	argv++;

	err = cli_parse_dev(&argc, &argv, "peer", op_names[a->op], &a->ifname);
	if (err != CLI_OK)
		return err;

	for (; argc > 0; argc--, argv++) {
		const char *kw = *argv;

		if (cli_is_help(kw))
			return CLI_HELP;
		if (strcmp(kw, "id") && strcmp(kw, "remote-id") &&
		    strcmp(kw, "endpoint") && strcmp(kw, "mac"))
			return cli_error("unknown argument \"%s\" of \"peer %s\".",
					 kw, op_names[a->op]);
		if (!allowed(a->op, kw))
			return cli_error("\"%s\" is not an argument of \"peer %s\".",
					 kw, op_names[a->op]);
		NEXT_ARG();
		if (!strcmp(kw, "id")) {
			err = parse_id("id", *argv, &a->id);
		} else if (!strcmp(kw, "remote-id")) {
			err = parse_id("remote-id", *argv, &a->remote_id);
		} else if (!strcmp(kw, "endpoint")) {
			if (a->ep.family != AF_UNSPEC)
				return cli_error("\"endpoint\" given twice.");
			err = lc_endpoint_parse(*argv, &a->ep);
		} else {
			err = parse_mac(a, *argv);
		}
		if (err)
			return err;
	}
	return check_complete(a);
}

struct nlmsghdr *peer_build_req(struct lc_conn *c, const struct peer_args *a)
{
	static const uint8_t cmds[] = {
		[PEER_OP_ADD] = LINKCRYPT_CMD_PEER_NEW,
		[PEER_OP_SET] = LINKCRYPT_CMD_PEER_SET,
		[PEER_OP_DEL] = LINKCRYPT_CMD_PEER_DEL,
	};
	struct nlattr *peer, *macs;
	struct nlmsghdr *req;
	size_t i;

	req = lc_req(c, cmds[a->op], 0);
	lc_put_dev(req, a->ifname, 0);
	peer = mnl_attr_nest_start(req, LINKCRYPT_A_DEV_PEER);
	mnl_attr_put_u32(req, LINKCRYPT_A_PEER_ID, a->id);
	if (a->remote_id)
		mnl_attr_put_u32(req, LINKCRYPT_A_PEER_REMOTE_ID, a->remote_id);
	if (a->ep.family == AF_INET)
		mnl_attr_put(req, LINKCRYPT_A_PEER_ENDPOINT_IP4, 4, &a->ep.addr.v4);
	else if (a->ep.family == AF_INET6)
		mnl_attr_put(req, LINKCRYPT_A_PEER_ENDPOINT_IP6, 16, &a->ep.addr.v6);
	if (a->ep.family != AF_UNSPEC)
		mnl_attr_put_u16(req, LINKCRYPT_A_PEER_ENDPOINT_PORT, a->ep.port);
	/* "mac none": an empty nest, which clears the list. */
	if (a->n_macs || a->macs_none) {
		macs = mnl_attr_nest_start(req, LINKCRYPT_A_PEER_MACS);
		for (i = 0; i < a->n_macs; i++)
			mnl_attr_put(req, LINKCRYPT_A_MAC_ADDR, LC_MAC_LEN,
				     a->macs[i].a);
		mnl_attr_nest_end(req, macs);
	}
	mnl_attr_nest_end(req, peer);
	return req;
}

static void report(const struct lc_conn *c, int err, const struct peer_args *a)
{
	static const char *const verbs[] = {
		[PEER_OP_ADD]	= "add",
		[PEER_OP_SET]	= "change",
		[PEER_OP_DEL]	= "delete",
		[PEER_OP_SHOW]	= "get",
	};

	if (!c->nl.ext.msg[0] && err == -ENOENT && a->id) {
		fprintf(stderr, "%s: peer %u does not exist on %s\n", LCCTL_PROG,
			a->id, a->ifname);
		return;
	}
	if (a->op == PEER_OP_SHOW && !a->id) {
		lc_report_req(c, err, a->ifname, "cannot list the peers of %s",
			      a->ifname);
		return;
	}
	lc_report_req(c, err, a->ifname, "cannot %s peer %u of %s", verbs[a->op],
		      a->id, a->ifname);
}

static int show_peers(struct lc_conn *c, const struct lcctl_opts *opts,
		      const struct peer_args *a)
{
	struct lc_peer_list list = { 0 };
	struct lc_peer_sel sel = { a->ifname, 0, a->id };
	int ret = LC_EXIT_FAIL;
	int err;

	err = lc_peer_get(c, &sel, &list);
	if (err) {
		report(c, err, a);
		goto out;
	}
	if (opts->json) {
		if (show_print_peers_json(stdout, opts->pretty, list.peers, list.n)) {
			fprintf(stderr, "%s: internal error writing JSON\n", LCCTL_PROG);
			goto out;
		}
	} else {
		show_print_peers_text(stdout, "", list.peers, list.n);
	}
	ret = LC_EXIT_OK;
out:
	lc_peer_list_free(&list);
	return ret;
}

int cmd_peer(const struct lcctl_opts *opts, int argc, char **argv)
{
	struct peer_args args;
	struct lc_conn c;
	int ret = LC_EXIT_OK;
	int err;

	switch (peer_parse_args(argc, argv, &args)) {
	case CLI_OK:
		break;
	case CLI_HELP:
		peer_usage(stdout, true);
		return LC_EXIT_OK;
	default:
		peer_usage_op(stderr, args.op, "Usage: ");
		fputs("Try \"" LCCTL_PROG " peer help\" for more.\n", stderr);
		return LC_EXIT_USAGE;
	}

	if (lc_connect(&c))
		return LC_EXIT_FAIL;
	if (args.op == PEER_OP_SHOW) {
		ret = show_peers(&c, opts, &args);
	} else {
		err = lc_nl_talk(&c.nl, peer_build_req(&c, &args), NULL, NULL);
		if (err) {
			report(&c, err, &args);
			ret = LC_EXIT_FAIL;
		}
	}
	lc_disconnect(&c);
	return ret;
}
