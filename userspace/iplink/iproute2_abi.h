/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of the iproute2 "ip" program's internal ABI that a link type
 * plugin (link_<kind>.so) uses, declared here because Debian ships no
 * iproute2 development headers.
 *
 * Target: iproute2 6.1.0 as shipped in Debian 12 (package iproute2 6.1.0-3,
 * x86_64).  This is not a stable interface: "ip" dlopen()s
 * $IP_LIB_DIR/link_<kind>.so (default /usr/lib/x86_64-linux-gnu/ip), looks
 * up the data symbol "<kind>_link_util" and from then on calls through the
 * struct below and calls back into functions that the "ip" executable
 * exports dynamically.  Both the struct layout and the prototypes must
 * therefore match the "ip" binary the plugin is loaded into.
 *
 * How this was checked against the installed binary (/usr/bin/ip, 6.1.0-3):
 *  - struct link_util: in the disassembly, after calls to get_link_kind(),
 *    "ip" reads maxattr at offset 0x10 and calls parse_opt at 0x18,
 *    print_opt at 0x20, print_help at 0x30, parse_ifla_xstats at 0x38 and
 *    tests print_ifla_xstats at 0x40 - the layout below on LP64.
 *  - every function declared here is exported by "ip" (nm -D); the
 *    "check-abi" target of the Makefile (check-abi.sh) fails the build if
 *    the plugin needs any symbol that neither libc nor "ip" provides.
 *  - print_color_uint() takes a 32-bit value (%r8d) and returns int;
 *    color_fprintf() treats attribute 6 as "no colour" (COLOR_NONE).
 *  - invarg(msg, arg) prints 'Error: argument "<arg>" is wrong: <msg>' and
 *    duparg(key, arg) 'Error: duplicate "<key>": "<arg>" is the second
 *    value.'; both, and incomplete_command(), exit(-1).
 *  - test-plugin.sh calls every function declared here through the real
 *    "ip" (help, bad arguments, the request under strace, "ip -d monitor
 *    file" for the print side).
 *
 * Only what the linkcrypt plugin needs is declared; the inline helpers of
 * iproute2's own headers (print_uint(), NEXT_ARG(), rta_getattr_u16(), ...)
 * are not exported, so the plugin calls the exported functions directly.
 */
#ifndef LINKCRYPT_IPROUTE2_ABI_H
#define LINKCRYPT_IPROUTE2_ABI_H

#include <stdio.h>
#include <linux/types.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/*
 * One link type known to "ip".  "ip" links these into a list through @next
 * (so the object must be writable) and never frees them.
 */
struct link_util {
	struct link_util *next;
	const char *id;		/* IFLA_INFO_KIND */
	int maxattr;		/* highest IFLA_INFO_DATA attribute parsed */

	/*
	 * "ip link add/set ... type <kind> ARGS": append the attributes for
	 * ARGS to @n (inside the IFLA_INFO_DATA nest "ip" opened); non-zero
	 * makes "ip" give up without sending anything.
	 */
	int (*parse_opt)(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n);
	/*
	 * "ip -d link show": @tb is indexed by attribute type up to @maxattr,
	 * or NULL when the kernel sent no IFLA_INFO_DATA.  "ip" has already
	 * printed the kind and opened the JSON object "info_data".
	 */
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f,
			     struct rtattr *xstats);
	/* "ip link help <kind>"; @f is stdout. */
	void (*print_help)(struct link_util *lu, int argc, char **argv,
			   FILE *f);
	int (*parse_ifla_xstats)(struct link_util *lu, int argc, char **argv);
	int (*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

/* include/json_print.h: where a print_color_*() call prints. */
enum output_type {
	PRINT_FP = 1,		/* text output only */
	PRINT_JSON = 2,		/* JSON output only */
	PRINT_ANY = 4,		/* whichever "ip" is producing */
};

/* include/color.h */
enum color_attr {
	COLOR_IFNAME,
	COLOR_MAC,
	COLOR_INET,
	COLOR_INET6,
	COLOR_OPERSTATE_UP,
	COLOR_OPERSTATE_DOWN,
	COLOR_NONE,
};

/*
 * Text mode: printf @fmt with @value to stdout.  JSON mode: add @key with
 * @value to the current object (@fmt is not used).  Return the number of
 * characters printed in text mode, 0 in JSON mode.
 */
int print_color_uint(enum output_type t, enum color_attr color,
		     const char *key, const char *fmt, unsigned int value);
int print_color_string(enum output_type t, enum color_attr color,
		       const char *key, const char *fmt, const char *value);

/* lib/libnetlink.c: append a u8 or u16 attribute; -1 if it exceeds @maxlen. */
int addattr8(struct nlmsghdr *n, int maxlen, int type, __u8 data);
int addattr16(struct nlmsghdr *n, int maxlen, int type, __u16 data);

/*
 * lib/utils.c: parse @arg as an unsigned number in @base that fits in 16
 * bits; 0 on success, -1 (and *val untouched) otherwise.
 */
int get_u16(__u16 *val, const char *arg, int base);

/* lib/utils.c: error messages in the style of the rest of "ip"; exit(-1). */
_Noreturn void invarg(const char *msg, const char *arg);
_Noreturn void duparg(const char *key, const char *arg);
_Noreturn void incomplete_command(void);

/*
 * Bound on the length of the whole request that parse_opt() passes to
 * addattr*().  "ip link" builds the request in a struct iplink_req
 * (nlmsghdr + ifinfomsg + 1024 bytes, 0x420 bytes in all on 6.1), so
 * 1024 is below what is really there whatever "ip" has already added.
 */
#define IPROUTE2_IPLINK_REQ_MAXLEN	1024

#endif /* LINKCRYPT_IPROUTE2_ABI_H */
