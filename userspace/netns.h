/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "-n NETNS": run in a named network namespace, the ones "ip netns add"
 * makes (bind mounts in /run/netns), as "ip -n NETNS" does.
 */
#ifndef LCCTL_NETNS_H
#define LCCTL_NETNS_H

#include <stdbool.h>

/* True if @name may name a namespace: not empty, ".", ".." or with '/'. */
bool netns_name_ok(const char *name);

/*
 * Switch this process to network namespace @name.  Must be called before
 * any socket is opened.  On failure prints "Error: ..." and returns false.
 */
bool netns_enter(const char *name);

#endif
