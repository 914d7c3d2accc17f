#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module life cycle: load, unload, metadata, autoloading by "ip link" and by
# generic netlink, and unloading while devices exist in several namespaces.
source "$(dirname "$0")/lib.sh"

unload()
{
	if [ -d /sys/module/linkcrypt ]; then
		modprobe -r linkcrypt || lc_die "cannot unload linkcrypt"
	fi
	[ ! -d /sys/module/linkcrypt ] || lc_die "module still present after unload"
}

test_load_unload()
{
	unload
	modprobe linkcrypt
	[ -d /sys/module/linkcrypt ] || lc_die "modprobe did not load the module"
	grep -q "^linkcrypt " /proc/modules
	unload
}

test_modinfo()
{
	local info

	info=$(modinfo linkcrypt)
	echo "$info" | grep -q '^license: *GPL$' || lc_die "license missing"
	echo "$info" | grep -q '^description: *linkcrypt' || lc_die "description missing"
	echo "$info" | grep -q '^version: *[0-9]' || lc_die "version missing"
	echo "$info" | grep -q '^alias: *rtnl-link-linkcrypt$' || lc_die "rtnl alias missing"
	echo "$info" | grep -q '^alias: *net-pf-16-proto-16-family-linkcrypt$' ||
		lc_die "genl family alias missing"
}

test_autoload_by_ip_link()
{
	unload
	ip link add lc0 type linkcrypt
	[ -d /sys/module/linkcrypt ] || lc_die "ip link add did not load the module"
	ip -d link show lc0 | grep -q linkcrypt
	ip link del lc0
}

test_autoload_by_genl()
{
	[ -x "$LCCTL" ] || lc_skip_case "lcctl not built"
	unload
	# Resolving the family asks the kernel to load its module.
	"$LCCTL" show >/dev/null
	[ -d /sys/module/linkcrypt ] || lc_die "the genl family lookup did not load the module"
}

test_rmmod_with_devices()
{
	local a b

	modprobe linkcrypt
	a=$(lc_ns a)
	b=$(lc_ns b)
	ip link add lc0 type linkcrypt
	ip link set lc0 up
	ip -n "$a" link add lc0 type linkcrypt
	ip -n "$a" link add lc1 type linkcrypt port 7789
	# Created in a, living in b.
	ip -n "$a" link set lc0 netns "$b"
	ip -n "$b" link add lc9 type linkcrypt
	[ "$(lc_count_devices "$b")" -eq 2 ] || lc_die "setup failed"
	unload
	[ "$(lc_count_devices)" -eq 0 ] || lc_die "devices left in init_net"
	[ "$(lc_count_devices "$a")" -eq 0 ] || lc_die "devices left in $a"
	[ "$(lc_count_devices "$b")" -eq 0 ] || lc_die "devices left in $b"
	ip -n "$b" link show lo >/dev/null
}

test_reload_cycles()
{
	local i

	for i in $(seq 1 10); do
		modprobe linkcrypt
		ip link add "lc$i" type linkcrypt
		unload
	done
}

lc_plan 6
lc_case load_unload test_load_unload
lc_case modinfo test_modinfo
lc_case autoload_by_ip_link test_autoload_by_ip_link
lc_case autoload_by_genl test_autoload_by_genl
lc_case rmmod_with_devices test_rmmod_with_devices
lc_case reload_cycles test_reload_cycles
modprobe linkcrypt
lc_exit
