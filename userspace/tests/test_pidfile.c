// SPDX-License-Identifier: GPL-2.0
/*
 * The pid file of "lcctl up" and "lcctl down" (pidfile.c, down.c): the
 * lock says who runs, a second daemon is refused, down stops the holder
 * and waits for it, or says that none runs or that it did not stop.
 * POSIX locks belong to processes: the holder is a child.
 */
#include <signal.h>
#include <sys/wait.h>

#include "kselftest_harness.h"

#include "cli.h"
#include "down.h"
#include "helpers.h"
#include "lcctl.h"
#include "pidfile.h"
#include "pki.h"

/* A child holding the pid file @path; it ignores SIGTERM if @stubborn. */
static pid_t holder(const char *path, bool stubborn)
{
	struct lc_err err;
	int p[2], fd;
	pid_t owner, pid;
	char c = 0;

	if (pipe(p))
		abort();
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		if (stubborn)
			signal(SIGTERM, SIG_IGN);
		fd = lc_pidfile_create(path, &owner, &err);
		c = fd >= 0 ? 'y' : 'n';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1 || c != 'y')
		abort();
	close(p[0]);
	return pid;
}

FIXTURE(pf) {
	struct scratch s;
	char path[160];
};

FIXTURE_SETUP(pf)
{
	scratch_init(&self->s);
	/* In a directory that does not exist yet. */
	snprintf(self->path, sizeof(self->path), "%s/run/lc0.pid", self->s.dir);
}

FIXTURE_TEARDOWN(pf)
{
	char d[128];

	unlink(self->path);
	snprintf(d, sizeof(d), "%s/run", self->s.dir);
	rmdir(d);
	scratch_cleanup(&self->s);
}

TEST(path)
{
	char buf[128];

	ASSERT_EQ(0, lc_pidfile_path("/run/linkcrypt", "lc0", buf, sizeof(buf)));
	EXPECT_EQ(0, strncmp(buf, "/run/linkcrypt/lc0.", 19));
	EXPECT_STREQ(".pid", buf + strlen(buf) - 4);
	EXPECT_EQ(-1, lc_pidfile_path("/run/linkcrypt", "lc0", buf, 20));
}

TEST_F(pf, lock)
{
	struct lc_err err;
	pid_t pid, owner;
	char text[32] = "";
	FILE *f;
	int fd;

	EXPECT_EQ(0, lc_pidfile_owner(self->path, &err));	/* no file */
	pid = holder(self->path, false);
	EXPECT_EQ(pid, lc_pidfile_owner(self->path, &err));
	f = fopen(self->path, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(text, sizeof(text), f));
	fclose(f);
	EXPECT_EQ(pid, atoi(text));

	/* A second daemon is refused, and told who runs. */
	EXPECT_EQ(-1, lc_pidfile_create(self->path, &owner, &err));
	EXPECT_EQ(pid, owner);
	EXPECT_NE(NULL, strstr(err.msg, "lcctl up already runs for this device (pid "));

	/* Killed: the file is left, the lock is not. */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT_TRUE(file_exists(self->path));
	EXPECT_EQ(0, lc_pidfile_owner(self->path, &err));
	fd = lc_pidfile_create(self->path, &owner, &err);
	ASSERT_LE(0, fd) TH_LOG("%s", err.msg);
	lc_pidfile_remove(self->path, fd);
	EXPECT_FALSE(file_exists(self->path));
}

TEST_F(pf, down)
{
	struct capture cap;
	int status = 0;
	pid_t pid;

	pid = holder(self->path, false);
	EXPECT_EQ(LC_EXIT_OK, down_stop(self->path, "lc0", 5));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGTERM, WTERMSIG(status));

	capture_begin(&cap);
	EXPECT_EQ(LC_EXIT_FAIL, down_stop(self->path, "lc0", 5));
	capture_end(&cap);
	EXPECT_NE(NULL, strstr(cap.err, "lcctl: no \"lcctl up\" runs for lc0 in this network namespace (no lock on "));
	capture_free(&cap);

	/* One that does not stop in time. */
	pid = holder(self->path, true);
	capture_begin(&cap);
	EXPECT_EQ(LC_EXIT_FAIL, down_stop(self->path, "lc0", 1));
	capture_end(&cap);
	EXPECT_NE(NULL, strstr(cap.err, ") did not stop within 1 s\n"));
	capture_free(&cap);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

TEST(parse_args)
{
	struct down_args a;
	struct capture cap;

	ASSERT_EQ(CLI_OK, down_parse_args(1, (char *[]){ "lc0", NULL }, &a));
	EXPECT_STREQ("lc0", a.dev);
	EXPECT_EQ(15u, a.timeout);
	ASSERT_EQ(CLI_OK, down_parse_args(4, (char *[]){ "dev", "up", "timeout", "1m", NULL }, &a));
	EXPECT_STREQ("up", a.dev);
	EXPECT_EQ(60u, a.timeout);
	EXPECT_EQ(CLI_HELP, down_parse_args(1, (char *[]){ "help", NULL }, &a));
	capture_begin(&cap);
	EXPECT_EQ(CLI_USAGE, down_parse_args(0, (char *[]){ NULL }, &a));
	EXPECT_EQ(CLI_USAGE, down_parse_args(1, (char *[]){ "a/b", NULL }, &a));
	EXPECT_EQ(CLI_USAGE, down_parse_args(2, (char *[]){ "lc0", "now", NULL }, &a));
	EXPECT_EQ(CLI_USAGE, down_parse_args(3, (char *[]){ "lc0", "timeout", "0", NULL }, &a));
	EXPECT_EQ(CLI_USAGE, down_parse_args(2, (char *[]){ "lc0", "timeout", NULL }, &a));
	capture_end(&cap);
	EXPECT_NE(NULL, strstr(cap.err, "Error: \"down\" needs a device.\n"));
	EXPECT_NE(NULL, strstr(cap.err, "Error: \"a/b\" is not a valid interface name.\n"));
	EXPECT_NE(NULL, strstr(cap.err, "Error: unknown argument \"now\" of \"down\".\n"));
	EXPECT_NE(NULL, strstr(cap.err, "Error: timeout: \"0\" is not a duration of 1s..1h.\n"));
	EXPECT_NE(NULL, strstr(cap.err, "Error: \"timeout\" requires an argument.\n"));
	capture_free(&cap);
}

TEST_HARNESS_MAIN
