// SPDX-License-Identifier: GPL-2.0
/* Command line helpers; see cli.h. */
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool matches(const char *arg, const char *keyword)
{
	size_t len = strlen(arg);

	return len > 0 && strncmp(arg, keyword, len) == 0;
}

bool cli_is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "--help");
}

int cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_USAGE;
}

int cli_incomplete(const char *keyword)
{
	return cli_error("\"%s\" requires an argument.", keyword);
}

int cli_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull() would accept leading space, a sign and "0x". */
	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

int cli_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;

	if (cli_parse_uint(s, UINT32_MAX, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int cli_parse_u16(const char *s, uint16_t *out)
{
	uint64_t v;

	if (cli_parse_uint(s, UINT16_MAX, &v))
		return -1;
	*out = (uint16_t)v;
	return 0;
}

/*
 * Split @s into its digits and a one-character suffix; the number is
 * parsed as cli_parse_uint() does.  *@suffix is '\0' if there is none.
 */
static int parse_with_suffix(const char *s, uint64_t *num, char *suffix)
{
	char digits[32];
	size_t len = strlen(s);

	*suffix = '\0';
	if (len > 0 && !isdigit((unsigned char)s[len - 1])) {
		*suffix = s[len - 1];
		len--;
	}
	if (len == 0 || len >= sizeof(digits))
		return -1;
	memcpy(digits, s, len);
	digits[len] = '\0';
	return cli_parse_uint(digits, UINT64_MAX, num);
}

int cli_parse_scaled(const char *s, uint64_t unit, uint64_t *out)
{
	static const char suffixes[] = "kmgt";
	const char *p;
	uint64_t v;
	char suffix;
	int i, n;

	if (parse_with_suffix(s, &v, &suffix))
		return -1;
	if (suffix) {
		p = strchr(suffixes, tolower((unsigned char)suffix));
		if (!p)
			return -1;
		n = (int)(p - suffixes) + 1;
		for (i = 0; i < n; i++) {
			if (v > UINT64_MAX / unit)
				return -1;
			v *= unit;
		}
	}
	*out = v;
	return 0;
}

int cli_parse_seconds(const char *s, uint32_t *out)
{
	uint64_t v, mult;
	char suffix;

	if (parse_with_suffix(s, &v, &suffix))
		return -1;
	switch (suffix) {
	case '\0':
	case 's':
		mult = 1;
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	default:
		return -1;
	}
	if (v > UINT32_MAX / mult)
		return -1;
	*out = (uint32_t)(v * mult);
	return 0;
}

/* The rules of the kernel's dev_valid_name(). */
bool cli_ifname_valid(const char *name)
{
	const unsigned char *p;

	if (name[0] == '\0' || strnlen(name, IFNAMSIZ) >= IFNAMSIZ)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (p = (const unsigned char *)name; *p; p++) {
		if (*p == '/' || *p == ':' || isspace(*p))
			return false;
	}
	return true;
}

int cli_parse_dev(int *argc, char ***argv, const char *cmd, const char *op,
		  const char **ifname)
{
	if (*argc > 0 && cli_is_help(**argv))
		return CLI_HELP;
	if (*argc > 0 && !strcmp(**argv, "dev")) {
		if (*argc < 2)
			return cli_incomplete(**argv);
		(*argc)--;
		(*argv)++;
	}
	if (*argc == 0)
		return cli_error("\"%s%s%s\" needs a device.", cmd, op ? " " : "",
				 op ? op : "");
	if (!cli_ifname_valid(**argv))
		return cli_error("\"%s\" is not a valid interface name.", **argv);
	*ifname = **argv;
	(*argc)--;
	(*argv)++;
	return CLI_OK;
}
