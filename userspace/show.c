// SPDX-License-Identifier: GPL-2.0
/* lcctl show [ [ dev ] DEV | ifindex IFINDEX ] */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

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
	      "Text output, one line per device:\n"
	      "  DEV: port PORT cipher CIPHER mtu MTU\n"
	      "JSON output (" LCCTL_PROG " -j show): an array of objects with the\n"
	      "members ifname, ifindex, port, cipher and mtu.\n",
	      f);
	fprintf(f, "CIPHER := { %s }\n", lc_cipher_names());
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

void show_print_text(FILE *f, const struct lc_dev *devs, size_t n)
{
	char cipher[LC_CIPHER_STRLEN];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct lc_dev *d = &devs[i];

		fprintf(f, "%s:", d->ifname);
		if (lc_dev_has(d, LINKCRYPT_A_DEV_PORT))
			fprintf(f, " port %u", d->port);
		if (lc_dev_has(d, LINKCRYPT_A_DEV_CIPHER))
			fprintf(f, " cipher %s",
				lc_cipher_str(d->cipher, cipher, sizeof(cipher)));
		if (lc_dev_has(d, LINKCRYPT_A_DEV_MTU))
			fprintf(f, " mtu %u", d->mtu);
		fputc('\n', f);
	}
}

int show_print_json(FILE *f, bool pretty, const struct lc_dev *devs, size_t n)
{
	char cipher[LC_CIPHER_STRLEN];
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
		if (lc_dev_has(d, LINKCRYPT_A_DEV_MTU))
			json_kv_uint(&j, "mtu", d->mtu);
		json_close_object(&j);
	}
	json_close_array(&j);
	return json_finish(&j);
}

static void report_get_error(const struct lc_conn *c, const struct show_args *args,
			     int err)
{
	char ext[LC_NL_EXT_MSG_LEN + 32];

	if (err == -ENODEV || err == -ENOENT) {
		if (args->ifname)
			fprintf(stderr, "%s: Device \"%s\" does not exist or is not a linkcrypt device%s\n",
				LCCTL_PROG, args->ifname,
				lc_ext_suffix(c, ext, sizeof(ext)));
		else
			fprintf(stderr, "%s: Device with ifindex %u does not exist or is not a linkcrypt device%s\n",
				LCCTL_PROG, args->ifindex,
				lc_ext_suffix(c, ext, sizeof(ext)));
	} else if (args->ifname) {
		lc_report(c, err, "cannot get linkcrypt device \"%s\"", args->ifname);
	} else if (args->ifindex) {
		lc_report(c, err, "cannot get linkcrypt device %u", args->ifindex);
	} else {
		lc_report(c, err, "cannot list linkcrypt devices");
	}
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
