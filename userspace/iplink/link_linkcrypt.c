// SPDX-License-Identifier: GPL-2.0
/*
 * link_linkcrypt.so: "ip link" support for linkcrypt devices.
 *
 *	ip link add NAME type linkcrypt [ port PORT ] [ cipher CIPHER ]
 *	ip link set NAME type linkcrypt [ port PORT ] [ cipher CIPHER ]
 *	ip -d [ -j ] link show NAME
 *	ip link help linkcrypt
 *
 * Installed as <ip lib dir>/link_linkcrypt.so (or found through
 * $IP_LIB_DIR), loaded by iproute2's "ip" on the first use of the kind
 * "linkcrypt".  See iproute2_abi.h for the interface to "ip".
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <linux/linkcrypt.h>

#include "iproute2_abi.h"

#define LC_EXPORT __attribute__((visibility("default")))

static const char *const cipher_names[] = {
	[LINKCRYPT_CIPHER_AES_256_GCM] = "aes-256-gcm",
	[LINKCRYPT_CIPHER_CHACHA20_POLY1305] = "chacha20-poly1305",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define N_CIPHER_NAMES ARRAY_SIZE(cipher_names)

/* Value of a cipher name; 0 (LINKCRYPT_CIPHER_UNSPEC) if unknown. */
static __u16 cipher_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < N_CIPHER_NAMES; i++)
		if (cipher_names[i] && strcmp(cipher_names[i], name) == 0)
			return (__u16)i;
	return LINKCRYPT_CIPHER_UNSPEC;
}

/* Name of a cipher value; NULL if this plugin does not know it. */
static const char *cipher_name(__u16 cipher)
{
	return cipher < N_CIPHER_NAMES ? cipher_names[cipher] : NULL;
}

static void linkcrypt_usage(FILE *f)
{
	fprintf(f,
		"Usage: ... linkcrypt [ port PORT ] [ cipher CIPHER ]\n"
		"\n"
		"Where: PORT   := 1-65535  UDP port of the device (default %u);\n"
		"                          can be changed only while the device is down\n"
		"       CIPHER := { aes-256-gcm | chacha20-poly1305 }  (default aes-256-gcm)\n",
		LINKCRYPT_DEFAULT_PORT);
}

static void linkcrypt_print_help(struct link_util *lu, int argc, char **argv,
				 FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	linkcrypt_usage(f);
}

/*
 * Step to the value of the keyword at *argv, or stop "ip" with its usual
 * "Command line is not complete" message if there is none.
 */
static void next_arg(int *argc, char ***argv)
{
	if (*argc <= 1)
		incomplete_command();
	(*argc)--;
	(*argv)++;
}

static int linkcrypt_parse_opt(struct link_util *lu, int argc, char **argv,
			       struct nlmsghdr *n)
{
	bool have_port = false, have_cipher = false;
	__u16 port = 0, cipher = LINKCRYPT_CIPHER_UNSPEC;

	(void)lu;

	for (; argc > 0; argc--, argv++) {
		if (strcmp(*argv, "port") == 0) {
			next_arg(&argc, &argv);
			if (have_port)
				duparg("port", *argv);
			if (get_u16(&port, *argv, 10) != 0 || port == 0)
				invarg("invalid port", *argv);
			have_port = true;
		} else if (strcmp(*argv, "cipher") == 0) {
			next_arg(&argc, &argv);
			if (have_cipher)
				duparg("cipher", *argv);
			cipher = cipher_by_name(*argv);
			if (cipher == LINKCRYPT_CIPHER_UNSPEC)
				invarg("invalid cipher", *argv);
			have_cipher = true;
		} else {
			if (strcmp(*argv, "help") != 0)
				fprintf(stderr,
					"linkcrypt: unknown option \"%s\"\n",
					*argv);
			linkcrypt_usage(stderr);
			return -1;
		}
	}

	/*
	 * Only what was given is sent: for "ip link set" the kernel keeps
	 * the current value of anything left out.
	 */
	if (have_port &&
	    addattr16(n, IPROUTE2_IPLINK_REQ_MAXLEN, IFLA_LINKCRYPT_PORT, port))
		return -1;
	if (have_cipher &&
	    addattr16(n, IPROUTE2_IPLINK_REQ_MAXLEN, IFLA_LINKCRYPT_CIPHER,
		      cipher))
		return -1;
	return 0;
}

/* The u16 payload of @rta, or false if it is absent or too short. */
static bool get_attr_u16(const struct rtattr *rta, __u16 *val)
{
	if (!rta || RTA_PAYLOAD(rta) < sizeof(__u16))
		return false;
	memcpy(val, RTA_DATA(rta), sizeof(__u16));
	return true;
}

static void linkcrypt_print_opt(struct link_util *lu, FILE *f,
				struct rtattr *tb[])
{
	__u16 val;

	(void)lu;
	(void)f;	/* print_color_*() know where "ip" prints */

	if (!tb)
		return;

	if (get_attr_u16(tb[IFLA_LINKCRYPT_PORT], &val))
		print_color_uint(PRINT_ANY, COLOR_NONE, "port", "port %u ",
				 val);

	if (get_attr_u16(tb[IFLA_LINKCRYPT_CIPHER], &val)) {
		const char *name = cipher_name(val);

		/* A cipher added by a newer kernel: show its number. */
		if (name)
			print_color_string(PRINT_ANY, COLOR_NONE, "cipher",
					   "cipher %s ", name);
		else
			print_color_uint(PRINT_ANY, COLOR_NONE, "cipher",
					 "cipher %u ", val);
	}
}

/* Looked up by "ip" as "<kind>_link_util"; "ip" writes ->next. */
LC_EXPORT struct link_util linkcrypt_link_util = {
	.id		= "linkcrypt",
	.maxattr	= IFLA_LINKCRYPT_MAX,
	.parse_opt	= linkcrypt_parse_opt,
	.print_opt	= linkcrypt_print_opt,
	.print_help	= linkcrypt_print_help,
};
