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
