// SPDX-License-Identifier: GPL-2.0
/* The pid file of "lcctl up"; see pidfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pidfile.h"

int lc_pidfile_path(const char *dir, const char *dev, char *buf, size_t len)
{
	struct stat self, init;
	int n;

	/* Without access to pid 1's namespace: the plain name. */
	if (!stat("/proc/self/ns/net", &self) && !stat("/proc/1/ns/net", &init) &&
	    (self.st_ino != init.st_ino || self.st_dev != init.st_dev))
		n = snprintf(buf, len, "%s/%s.netns-%llu.pid", dir, dev,
			     (unsigned long long)self.st_ino);
	else
		n = snprintf(buf, len, "%s/%s.pid", dir, dev);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static pid_t lock_owner(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	if (fcntl(fd, F_GETLK, &fl) < 0)
		return -1;
	return fl.l_type == F_UNLCK ? 0 : fl.l_pid;
}

static int make_dir(const char *path, struct lc_err *err)
{
	char dir[4096];
	char *slash;

	if (strlen(path) >= sizeof(dir))
		goto fail;
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (!mkdir(dir, 0755) || errno == EEXIST)
		return 0;
fail:
	lc_err_set(err, "cannot create the directory of %s: %s", path,
		   strerror(errno));
	return -1;
}

int lc_pidfile_create(const char *path, pid_t *owner, struct lc_err *err)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct stat a, b;
	char buf[32];
	int fd, n, tries;

	*owner = 0;
	if (make_dir(path, err))
		return -1;
	/* Retried if the file was unlinked between our open and our lock. */
	for (tries = 0; tries < 10; tries++) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0) {
			lc_err_set(err, "cannot create %s: %s", path,
				   strerror(errno));
			return -1;
		}
		if (fcntl(fd, F_SETLK, &fl) < 0) {
			*owner = lock_owner(fd);
			if (*owner < 0)
				*owner = 0;
			if (*owner)
				lc_err_set(err, "lcctl up already runs for this device (pid %d, lock on %s)",
					   (int)*owner, path);
			else
				lc_err_set(err, "cannot lock %s: %s", path,
					   strerror(errno));
			close(fd);
			return -1;
		}
		if (!fstat(fd, &a) && !stat(path, &b) && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		lc_err_set(err, "cannot lock %s: it keeps being replaced", path);
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) || write(fd, buf, (size_t)n) != n) {
		lc_err_set(err, "cannot write %s: %s", path, strerror(errno));
		unlink(path);
		close(fd);
		return -1;
	}
	return fd;
}

void lc_pidfile_remove(const char *path, int fd)
{
	if (fd < 0)
		return;
	unlink(path);
	close(fd);
}

pid_t lc_pidfile_owner(const char *path, struct lc_err *err)
{
	pid_t pid;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		lc_err_set(err, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	pid = lock_owner(fd);
	if (pid < 0)
		lc_err_set(err, "cannot test the lock on %s: %s", path,
			   strerror(errno));
	close(fd);
	return pid;
}
