// SPDX-License-Identifier: GPL-2.0
/* lcctl: global options, command dispatch and help. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <linux/linkcrypt.h>

#include "cli.h"
#include "config_cmd.h"
#include "down.h"
#include "identity_cmd.h"
#include "key_cmd.h"
#include "lcctl.h"
#include "netns.h"
#include "up.h"
#include "peer_cmd.h"

#ifndef LCCTL_VERSION
#define LCCTL_VERSION "0.1.0"	/* the same as the module's LC_VERSION */
#endif

static const struct lcctl_cmd commands[] = {
	/* First match wins for abbreviations: keep "show" first. */
	{ "show", cmd_show, show_usage },
	{ "peer", cmd_peer, peer_usage },
	{ "key", cmd_key, key_usage },
	{ "monitor", cmd_monitor, monitor_usage },
	{ "genkey", cmd_genkey, genkey_usage },
	{ "fingerprint", cmd_fingerprint, fingerprint_usage },
	{ "config", cmd_config, config_usage },
	{ "up", cmd_up, up_usage },
	{ "down", cmd_down, down_usage },
	{ "help", NULL, NULL },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/*
 * The grammar; @full adds the explanations.  Usage errors print the
 * grammar to stderr, "help" prints everything to stdout.
 */
static void usage(FILE *f, bool full)
{
	fputs("Usage: " LCCTL_PROG " [ OPTIONS ] COMMAND [ ARGUMENTS ]\n"
	      "       " LCCTL_PROG " help [ COMMAND ]\n"
	      "where  COMMAND := { show | peer | key | monitor | genkey | fingerprint |\n"
	      "                    config | up | down | help }\n"
	      "       OPTIONS := { -j[son] | -p[retty] | -n[etns] NETNS | -V[ersion] |\n"
	      "                    -h[elp] }\n",
	      f);
	if (!full) {
		fputs("Try \"" LCCTL_PROG " help\" for more.\n", f);
		return;
	}
	fputs("\n"
	      "Commands:\n"
	      "  show [ DEV ]     show linkcrypt devices with their peers, keys and\n"
	      "                   counters: all of this network namespace, or DEV only\n"
	      "  peer ...         add, change, delete or show the peers of a device\n"
	      "  key ...          install, swap or delete the keys of a peer\n"
	      "  monitor [ DEV ]  print key events as they come\n"
	      "  genkey ...       make an RSA key and a self-signed certificate\n"
	      "  fingerprint ...  print the fingerprint peers pin for a certificate\n"
	      "  config ...       check a configuration file of \"up\"\n"
	      "  up [ DEV ] -c FILE  negotiate and rotate keys (foreground daemon)\n"
	      "  down DEV         stop the \"up\" of DEV and wait until it has exited\n"
	      "  help [ COMMAND ] print this help, or the grammar of COMMAND\n"
	      "\n"
	      "Options (before the command):\n"
	      "  -j, --json       print JSON\n"
	      "  -p, --pretty     print indented JSON (implies --json)\n"
	      "  -n, --netns NETNS  run in network namespace NETNS (one of\n"
	      "                   \"ip netns list\"), as \"ip -n NETNS\" does\n"
	      "  -V, --version    print the version and exit\n"
	      "  -h, --help       print this help and exit\n"
	      "\n"
	      "Commands may be abbreviated (\"" LCCTL_PROG " sh\"); their keywords may not.\n"
	      "Exit status: 0 success, 1 failure, 2 bad command line.\n"
	      "\n"
	      "Grammar of the commands:\n"
	      "       " LCCTL_PROG " show [ [ dev ] DEV | ifindex IFINDEX ]\n",
	      f);
	peer_usage_op(f, PEER_OP_NONE, "       ");
	key_usage_op(f, KEY_OP_NONE, "       ");
	fputs("       " LCCTL_PROG " monitor [ [ dev ] DEV ]\n"
	      "       " LCCTL_PROG " genkey [ bits { 2048 | 3072 | 4096 } ] [ days DAYS ] [ name NAME ]\n"
	      "                    key KEYFILE cert CERTFILE\n"
	      "       " LCCTL_PROG " fingerprint CERTFILE\n"
	      "       " LCCTL_PROG " config check FILE [ dev DEV ]\n"
	      "       " LCCTL_PROG " up [ DEV ] -c FILE [ -v ]\n"
	      "       " LCCTL_PROG " down DEV [ timeout SECS ]\n", f);
}

static void version(void)
{
	printf("%s %s (linkcrypt generic netlink version %d)\n",
	       LCCTL_PROG, LCCTL_VERSION, LINKCRYPT_GENL_VERSION);
}

const struct lcctl_cmd *lcctl_find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++) {
		if (matches(name, commands[i].name))
			return &commands[i];
	}
	return NULL;
}

int lcctl_parse_opts(int argc, char **argv, struct lcctl_opts *opts,
		     int *next)
{
	static const struct option longopts[] = {
		{ "json",    no_argument, NULL, 'j' },
		{ "pretty",  no_argument, NULL, 'p' },
		{ "netns",   required_argument, NULL, 'n' },
		{ "version", no_argument, NULL, 'V' },
		{ "help",    no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(opts, 0, sizeof(*opts));
	opterr = 0;
	optind = 0;	/* full re-initialisation (glibc), for repeated calls */
	/*
	 * "+": options end at the command.  Long options may also be given
	 * with one dash, as in iproute2 ("-json"), and "-jp" still works.
	 */
	while ((c = getopt_long_only(argc, argv, "+:jpn:Vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			opts->json = true;
			break;
		case 'p':
			opts->json = true;
			opts->pretty = true;
			break;
		case 'n':
			if (!netns_name_ok(optarg)) {
				cli_error("invalid network namespace name \"%s\".",
					  optarg);
				return LCCTL_OPTS_USAGE;
			}
			opts->netns = optarg;
			break;
		case 'V':
			return LCCTL_OPTS_VERSION;
		case 'h':
			return LCCTL_OPTS_HELP;
		case ':':
			cli_error("option \"%s\" needs a network namespace name.",
				  argv[optind - 1]);
			return LCCTL_OPTS_USAGE;
		default:
			if (optopt)
				cli_error("unknown option \"-%c\".", optopt);
			else
				cli_error("unknown option \"%s\".",
					  argv[optind - 1]);
			return LCCTL_OPTS_USAGE;
		}
	}
	*next = optind;
	return LCCTL_OPTS_RUN;
}

static int cmd_help(int argc, char **argv)
{
	const struct lcctl_cmd *cmd;

	if (argc == 0) {
		usage(stdout, true);
		return LC_EXIT_OK;
	}
	if (argc > 1) {
		cli_error("too many arguments to \"help\": \"%s\".", argv[1]);
		usage(stderr, false);
		return LC_EXIT_USAGE;
	}
	cmd = lcctl_find_command(argv[0]);
	if (!cmd) {
		cli_error("unknown command \"%s\".", argv[0]);
		usage(stderr, false);
		return LC_EXIT_USAGE;
	}
	if (cmd->usage)
		cmd->usage(stdout, true);
	else
		usage(stdout, true);
	return LC_EXIT_OK;
}

/* Report output that could not be written (closed pipe, full disk). */
static int finish_output(int ret)
{
	int err = 0;

	if (fflush(stdout) != 0)
		err = errno;
	else if (ferror(stdout))
		err = EIO;
	if (!err)
		return ret;
	fprintf(stderr, "%s: cannot write the output: %s\n", LCCTL_PROG,
		strerror(err));
	return ret == LC_EXIT_OK ? LC_EXIT_FAIL : ret;
}

int lcctl_main(int argc, char **argv)
{
	const struct lcctl_cmd *cmd;
	struct lcctl_opts opts;
	int next = 1;

	switch (lcctl_parse_opts(argc, argv, &opts, &next)) {
	case LCCTL_OPTS_RUN:
		break;
	case LCCTL_OPTS_HELP:
		usage(stdout, true);
		return finish_output(LC_EXIT_OK);
	case LCCTL_OPTS_VERSION:
		version();
		return finish_output(LC_EXIT_OK);
	default:
		usage(stderr, false);
		return LC_EXIT_USAGE;
	}
	argc -= next;
	argv += next;

	if (argc == 0) {
		cli_error("no command given.");
		usage(stderr, false);
		return LC_EXIT_USAGE;
	}
	cmd = lcctl_find_command(argv[0]);
	if (!cmd) {
		cli_error("unknown command \"%s\".", argv[0]);
		usage(stderr, false);
		return LC_EXIT_USAGE;
	}
	if (!cmd->run)
		return finish_output(cmd_help(argc - 1, argv + 1));
	/* Before the command opens any socket: sockets stay where made. */
	if (opts.netns && !netns_enter(opts.netns))
		return LC_EXIT_FAIL;
	return finish_output(cmd->run(&opts, argc - 1, argv + 1));
}
