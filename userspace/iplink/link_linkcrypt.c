// SPDX-License-Identifier: GPL-2.0
/*
 * link_linkcrypt.so: "ip link" support for linkcrypt devices.
 *
 *	ip link add NAME type linkcrypt [ port PORT ] [ cipher CIPHER ]
 *					[ crypto { parallel | inline } ]
 *	ip link set NAME type linkcrypt [ port PORT ] [ cipher CIPHER ]
 *					[ crypto { parallel | inline } ]
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

static const char *const crypto_names[] = {
	[LINKCRYPT_CRYPTO_PARALLEL] = "parallel",
	[LINKCRYPT_CRYPTO_INLINE] = "inline",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define N_CIPHER_NAMES ARRAY_SIZE(cipher_names)
#define N_CRYPTO_NAMES ARRAY_SIZE(crypto_names)

/* Index of @name in @names[0..n), or 0 (the UNSPEC value) if absent. */
static unsigned int value_by_name(const char *const *names, size_t n,
				  const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], name) == 0)
			return (unsigned int)i;
	return 0;
}

/* Name of a value; NULL if this plugin does not know it. */
static const char *name_of(const char *const *names, size_t n, unsigned int v)
{
	return v < n ? names[v] : NULL;
}

static void linkcrypt_usage(FILE *f)
{
	fprintf(f,
		"Usage: ... linkcrypt [ port PORT ] [ cipher CIPHER ] [ crypto MODE ]\n"
		"\n"
		"Where: PORT   := 1-65535  UDP port of the device (default %u);\n"
		"                          can be changed only while the device is down\n"
		"       CIPHER := { aes-256-gcm | chacha20-poly1305 }  (default aes-256-gcm)\n"
		"       MODE   := { parallel | inline }  where the crypto runs (default\n"
		"                 parallel: on every CPU; inline: least latency)\n",
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

/*
 * The value named after the keyword at *argv, from @names; stops "ip" with
 * its usual messages when the keyword was given before (*@seen) or the name
 * is not one of @names (@what says what was expected).
 */
static unsigned int parse_named(int *argc, char ***argv, bool *seen,
				const char *const *names, size_t n,
				const char *what)
{
	const char *key = **argv;
	unsigned int v;

	next_arg(argc, argv);
	if (*seen)
		duparg(key, **argv);
	v = value_by_name(names, n, **argv);
	if (v == 0)
		invarg(what, **argv);
	*seen = true;
	return v;
}

static int linkcrypt_parse_opt(struct link_util *lu, int argc, char **argv,
			       struct nlmsghdr *n)
{
	bool have_port = false, have_cipher = false, have_crypto = false;
	__u16 port = 0, cipher = LINKCRYPT_CIPHER_UNSPEC;
	__u8 crypto = LINKCRYPT_CRYPTO_UNSPEC;

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
			cipher = (__u16)parse_named(&argc, &argv, &have_cipher,
						    cipher_names, N_CIPHER_NAMES,
						    "invalid cipher");
		} else if (strcmp(*argv, "crypto") == 0) {
			crypto = (__u8)parse_named(&argc, &argv, &have_crypto,
						   crypto_names, N_CRYPTO_NAMES,
						   "invalid crypto mode (parallel or inline)");
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
	if (have_crypto &&
	    addattr8(n, IPROUTE2_IPLINK_REQ_MAXLEN, IFLA_LINKCRYPT_CRYPTO,
		     crypto))
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

/* The u8 payload of @rta, or false if it is absent or empty. */
static bool get_attr_u8(const struct rtattr *rta, __u8 *val)
{
	if (!rta || RTA_PAYLOAD(rta) < sizeof(__u8))
		return false;
	*val = *(const __u8 *)RTA_DATA(rta);
	return true;
}

/* "KEY NAME " from @names, or "KEY NUMBER " for a value a newer kernel added. */
static void print_named(const char *key, const char *const *names, size_t n,
			unsigned int val)
{
	char fmt[32];
	const char *name = name_of(names, n, val);

	if (name) {
		snprintf(fmt, sizeof(fmt), "%s %%s ", key);
		print_color_string(PRINT_ANY, COLOR_NONE, key, fmt, name);
	} else {
		snprintf(fmt, sizeof(fmt), "%s %%u ", key);
		print_color_uint(PRINT_ANY, COLOR_NONE, key, fmt, val);
	}
}

static void linkcrypt_print_opt(struct link_util *lu, FILE *f,
				struct rtattr *tb[])
{
	__u16 val;
	__u8 val8;

	(void)lu;
	(void)f;	/* print_color_*() know where "ip" prints */

	if (!tb)
		return;

	if (get_attr_u16(tb[IFLA_LINKCRYPT_PORT], &val))
		print_color_uint(PRINT_ANY, COLOR_NONE, "port", "port %u ",
				 val);

	if (get_attr_u16(tb[IFLA_LINKCRYPT_CIPHER], &val))
		print_named("cipher", cipher_names, N_CIPHER_NAMES, val);
	if (get_attr_u8(tb[IFLA_LINKCRYPT_CRYPTO], &val8))
		print_named("crypto", crypto_names, N_CRYPTO_NAMES, val8);
}

/* Looked up by "ip" as "<kind>_link_util"; "ip" writes ->next. */
LC_EXPORT struct link_util linkcrypt_link_util = {
	.id		= "linkcrypt",
	.maxattr	= IFLA_LINKCRYPT_MAX,
	.parse_opt	= linkcrypt_parse_opt,
	.print_opt	= linkcrypt_print_opt,
	.print_help	= linkcrypt_print_help,
};
