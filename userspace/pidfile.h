/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pid file of "lcctl up DEV", which "lcctl down DEV" uses: DIR/DEV.pid
 * (DIR: /run/linkcrypt), or DIR/DEV.netns-INODE.pid in a network namespace
 * other than that of pid 1, since devices of different namespaces may
 * have the same name.  The daemon holds a POSIX write lock on it while
 * it runs: the lock, not the number written in the file, says whether
 * and which process runs (F_GETLK gives its pid), so a file left by a
 * crash is harmless, and a second "lcctl up" for the same device is
 * refused.
 */
#ifndef LCCTL_PIDFILE_H
#define LCCTL_PIDFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "errbuf.h"

#define LC_RUN_DIR	"/run/linkcrypt"

/* The pid file of @dev in @dir for the caller's network namespace. */
int lc_pidfile_path(const char *dir, const char *dev, char *buf, size_t len);

/*
 * Create @path (its directory too, mode 0755), lock it and write our pid.
 * The descriptor to keep open, or -1 with @err set; *@owner is then the
 * pid holding the lock if that is why (else 0).
 */
int lc_pidfile_create(const char *path, pid_t *owner, struct lc_err *err);

/* Unlink @path, then release the lock by closing @fd. */
void lc_pidfile_remove(const char *path, int fd);

/* The pid holding the lock on @path; 0 if none (or no file); -1 on error. */
pid_t lc_pidfile_owner(const char *path, struct lc_err *err);

#endif /* LCCTL_PIDFILE_H */
