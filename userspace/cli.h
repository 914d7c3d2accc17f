/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command line helpers in the style of iproute2: keyword matching,
 * "next argument" checks, number and name parsing, "Error: ..." messages.
 *
 * Parse functions of commands return one of enum cli_result; they print
 * their own "Error: ..." line to stderr before returning CLI_USAGE.
 */
#ifndef LCCTL_CLI_H
#define LCCTL_CLI_H

#include <stdbool.h>
#include <stdint.h>

enum cli_result {
	CLI_USAGE = -1,		/* bad command line, message printed */
	CLI_OK = 0,
	CLI_HELP = 1,		/* "help" was asked for */
};

/* True if @arg is a non-empty prefix of @keyword ("sh" matches "show"). */
bool matches(const char *arg, const char *keyword);

/* True for "help", "-h" and "--help". */
bool cli_is_help(const char *arg);

/* Print "Error: <fmt>\n" to stderr and return CLI_USAGE. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print the error for a keyword given without its value; CLI_USAGE. */
int cli_incomplete(const char *keyword);

/*
 * Step to the value of the keyword at *argv.  For parse loops written as
 *	for (; argc > 0; argc--, argv++) { ... NEXT_ARG(); ... }
 * in a function returning enum cli_result.
 */
#define NEXT_ARG()						\
	do {							\
		if (argc < 2)					\
			return cli_incomplete(*argv);		\
		argc--;						\
		argv++;						\
	} while (0)

/*
 * Strict decimal numbers: digits only (no sign, space, or suffix), no
 * overflow.  0 on success, -1 if @s is not such a number or above @max.
 */
int cli_parse_uint(const char *s, uint64_t max, uint64_t *out);
int cli_parse_u32(const char *s, uint32_t *out);
int cli_parse_u16(const char *s, uint16_t *out);

/*
 * A strict decimal number (as cli_parse_uint()) with an optional suffix
 * scaling it by @unit, @unit^2, @unit^3, @unit^4: "k", "M", "G", "T"
 * (either case).  @unit is 1000 for counts, 1024 for sizes.  0 on
 * success, -1 if malformed or above UINT64_MAX.
 */
int cli_parse_scaled(const char *s, uint64_t unit, uint64_t *out);

/*
 * Seconds as a u32: a strict decimal number with an optional unit, "s",
 * "m" (60), "h" (3600) or "d" (86400).  0 on success, -1 if malformed or
 * above UINT32_MAX seconds.
 */
int cli_parse_seconds(const char *s, uint32_t *out);

/* Whether the kernel would accept @name as an interface name. */
bool cli_ifname_valid(const char *name);

/*
 * "[ dev ] DEV", the device most commands start with, at *@argv for the
 * command "@cmd @op" (@op may be NULL): on CLI_OK, *@ifname is DEV and
 * *@argc and *@argv have moved past it.  CLI_HELP for "help" in its place.
 */
int cli_parse_dev(int *argc, char ***argv, const char *cmd, const char *op,
		  const char **ifname);

#endif /* LCCTL_CLI_H */
