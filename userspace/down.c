// SPDX-License-Identifier: GPL-2.0
/* lcctl down DEV [ timeout SECS ] */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "down.h"
#include "pidfile.h"

void down_usage(FILE *f, bool full)
{
	fputs("Usage: " LCCTL_PROG " down DEV [ timeout SECS ]\n", f);
	if (!full)
		return;
	fputs("\n"
	      "Stop the \"" LCCTL_PROG " up\" serving DEV in this network namespace:\n"
	      "send it SIGTERM and wait (default 15 s) until it has deleted the keys\n"
	      "it installed and exited.  It is found by the lock it holds on\n"
	      LC_RUN_DIR "/DEV.pid (DEV.netns-INODE.pid outside the first\n"
	      "network namespace).  Exit status: 0 stopped, 1 none running or it did\n"
	      "not stop in time.\n", f);
}

int down_parse_args(int argc, char **argv, struct down_args *a)
{
	int err;

	memset(a, 0, sizeof(*a));
	a->timeout = LC_DOWN_TIMEOUT_DEFAULT;
	err = cli_parse_dev(&argc, &argv, "down", NULL, &a->dev);
	if (err != CLI_OK)
		return err;
	for (; argc > 0; argc--, argv++) {
		if (cli_is_help(*argv))
			return CLI_HELP;
		if (strcmp(*argv, "timeout"))
			return cli_error("unknown argument \"%s\" of \"down\".",
					 *argv);
		NEXT_ARG();
		if (cli_parse_seconds(*argv, &a->timeout) || !a->timeout ||
		    a->timeout > 3600)
			return cli_error("timeout: \"%s\" is not a duration of 1s..1h.",
					 *argv);
	}
	return CLI_OK;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int down_stop(const char *path, const char *dev, uint32_t timeout)
{
	struct lc_err err;
	pid_t pid;
	long waited;

	pid = lc_pidfile_owner(path, &err);
	if (pid < 0) {
		fprintf(stderr, LCCTL_PROG ": %s\n", err.msg);
		return LC_EXIT_FAIL;
	}
	if (!pid) {
		fprintf(stderr, LCCTL_PROG ": no \"lcctl up\" runs for %s in this network namespace (no lock on %s)\n",
			dev, path);
		return LC_EXIT_FAIL;
	}
	if (kill(pid, SIGTERM) && errno != ESRCH) {
		fprintf(stderr, LCCTL_PROG ": cannot stop \"lcctl up\" for %s (pid %d): %s\n",
			dev, (int)pid, strerror(errno));
		return LC_EXIT_FAIL;
	}
	for (waited = 0; waited < (long)timeout * 1000; waited += 50) {
		pid = lc_pidfile_owner(path, &err);
		if (pid <= 0)
			return LC_EXIT_OK;
		sleep_ms(50);
	}
	fprintf(stderr, LCCTL_PROG ": \"lcctl up\" for %s (pid %d) did not stop within %u s\n",
		dev, (int)pid, timeout);
	return LC_EXIT_FAIL;
}

int cmd_down(const struct lcctl_opts *opts, int argc, char **argv)
{
	struct down_args args;
	char path[4096];

	(void)opts;
	switch (down_parse_args(argc, argv, &args)) {
	case CLI_HELP:
		down_usage(stdout, true);
		return LC_EXIT_OK;
	case CLI_USAGE:
		down_usage(stderr, false);
		return LC_EXIT_USAGE;
	}
	if (lc_pidfile_path(LC_RUN_DIR, args.dev, path, sizeof(path))) {
		fprintf(stderr, LCCTL_PROG ": %s: name too long\n", args.dev);
		return LC_EXIT_FAIL;
	}
	return down_stop(path, args.dev, args.timeout);
}
