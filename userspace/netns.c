// SPDX-License-Identifier: GPL-2.0
/* "-n NETNS": enter a named network namespace. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "netns.h"

/* Where "ip netns add" pins its namespaces (/var/run is /run). */
#define NETNS_RUN_DIR "/run/netns"

bool netns_name_ok(const char *name)
{
	return name[0] && strcmp(name, ".") && strcmp(name, "..") &&
	       !strchr(name, '/') && strlen(name) < NAME_MAX;
}

bool netns_enter(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 1];
	int fd, err;

	if (!netns_name_ok(name)) {
		cli_error("invalid network namespace name \"%s\".", name);
		return false;
	}
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (err == ENOENT)
			cli_error("network namespace \"%s\" does not exist (see \"ip netns list\").",
				  name);
		else
			cli_error("cannot open network namespace \"%s\": %s.",
				  name, strerror(err));
		return false;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		err = errno;
		close(fd);
		cli_error("cannot enter network namespace \"%s\": %s.", name,
			  strerror(err));
		return false;
	}
	close(fd);
	return true;
}
