/* SPDX-License-Identifier: GPL-2.0 */
/* lcctl: shared definitions of the command line tool. */
#ifndef LCCTL_H
#define LCCTL_H

#include <stdbool.h>
#include <stdio.h>

#define LCCTL_PROG "lcctl"

/* Exit codes. */
enum {
	LC_EXIT_OK = 0,
	LC_EXIT_FAIL = 1,	/* runtime error: kernel, permissions, I/O */
	LC_EXIT_USAGE = 2,	/* bad command line */
};

/* Global options, given before the command. */
struct lcctl_opts {
	bool json;
	bool pretty;
	const char *netns;	/* -n NETNS, or NULL: this namespace */
};

struct lcctl_cmd {
	const char *name;
	/*
	 * @argv holds the arguments after the command name.  Returns an
	 * exit code.
	 */
	int (*run)(const struct lcctl_opts *opts, int argc, char **argv);
	/* The grammar of the command; @full: with explanations. */
	void (*usage)(FILE *f, bool full);
};

/* Commands. */
int cmd_show(const struct lcctl_opts *opts, int argc, char **argv);
void show_usage(FILE *f, bool full);
int cmd_peer(const struct lcctl_opts *opts, int argc, char **argv);
void peer_usage(FILE *f, bool full);
int cmd_key(const struct lcctl_opts *opts, int argc, char **argv);
void key_usage(FILE *f, bool full);
int cmd_monitor(const struct lcctl_opts *opts, int argc, char **argv);
void monitor_usage(FILE *f, bool full);

/* Results of lcctl_parse_opts(). */
enum {
	LCCTL_OPTS_RUN,		/* run the command at argv[*next] */
	LCCTL_OPTS_HELP,	/* -h */
	LCCTL_OPTS_VERSION,	/* -V */
	LCCTL_OPTS_USAGE,	/* bad option, message printed */
};

/* Parse the global options at the start of @argv (argv[0]: program). */
int lcctl_parse_opts(int argc, char **argv, struct lcctl_opts *opts,
		     int *next);

/* The command @name abbreviates, or NULL. */
const struct lcctl_cmd *lcctl_find_command(const char *name);

/* The whole tool; main() calls it.  Returns an exit code. */
int lcctl_main(int argc, char **argv);

#endif /* LCCTL_H */
