/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the configuration parser: config.c reads lines and sections,
 * config_keys.c knows the keys, their values and their rules.
 */
#ifndef LCCTL_CONFIG_PARSER_H
#define LCCTL_CONFIG_PARSER_H

#include "config.h"
#include "errbuf.h"

enum lc_conf_section {
	LC_SEC_NONE,
	LC_SEC_INTERFACE,
	LC_SEC_PEER,
};

/* "Interface", "Peer". */
extern const char *const lc_conf_section_names[];

struct lc_conf_parser {
	const char *path;
	struct lc_conf *conf;
	struct lc_err *err;
	enum lc_conf_section sec;
	unsigned int line;		/* being parsed, from 1 */
};

/* Set "PATH:LINE: message" (@line 0: "PATH: message"); returns -1. */
int lc_conf_error(struct lc_conf_parser *p, unsigned int line,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * "@key = @value" (both trimmed, neither empty) in the current section,
 * which is not LC_SEC_NONE; a [Peer] section is the last of conf->peers.
 * 0, or -1 with the error set.
 */
int lc_conf_set_key(struct lc_conf_parser *p, const char *key,
		    const char *value);

#endif /* LCCTL_CONFIG_PARSER_H */
