#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Devices and network namespaces: ports are per creating namespace, a device
# may move, and it dies with the namespace it lives in or was created in.
source "$(dirname "$0")/lib.sh"

test_same_port_in_several_netns()
{
	local ns i

	for i in 1 2 3; do
		ns=$(lc_ns "n$i")
		ip -n "$ns" link add lc0 type linkcrypt port 7788
	done
	ip link add lc0 type linkcrypt port 7788
	for i in 1 2 3; do
		[ "$(lc_count_devices "${LC_NS_PREFIX}n$i")" -eq 1 ] || lc_die "n$i: no device"
	done
}

test_netns_deletion_with_devices()
{
	local ns i

	ns=$(lc_ns gone)
	for i in $(seq 0 9); do
		ip -n "$ns" link add "lc$i" type linkcrypt port $((7000 + i))
	done
	ip -n "$ns" link set lc3 up
	ip netns del "$ns"
	# The devices went with the namespace: nothing holds the module.
	udevadm settle 2>/dev/null || true
	modprobe -r linkcrypt || lc_die "module still in use after the namespace died"
	modprobe linkcrypt
}

test_moved_device_keeps_its_port_home()
{
	local a b

	a=$(lc_ns a)
	b=$(lc_ns b)
	ip -n "$a" link add lc0 type linkcrypt port 7788
	ip -n "$a" link set lc0 netns "$b"
	[ "$(lc_count_devices "$a")" -eq 0 ] || lc_die "device did not leave $a"
	ip -n "$b" -d link show lc0 | grep -q linkcrypt || lc_die "device not in $b"
	# Its socket stays in a, so a's port 7788 is still taken...
	lc_expect_fail ip -n "$a" link add lc1 type linkcrypt port 7788
	# ...while b's own port 7788 is free.
	ip -n "$b" link add lc1 type linkcrypt port 7788
	# rtnetlink reports where the underlay is.
	ip -n "$b" -d link show lc0 | grep -q link-netns || lc_die "no link-netns shown"
}

test_creating_netns_deletion_deletes_moved_device()
{
	local a b

	a=$(lc_ns a)
	b=$(lc_ns b)
	ip -n "$a" link add lc0 type linkcrypt
	ip -n "$a" link set lc0 netns "$b"
	ip -n "$b" link set lc0 up
	ip netns del "$a"
	[ "$(lc_count_devices "$b")" -eq 0 ] ||
		lc_die "device outlived the namespace of its socket"
	ip -n "$b" link show lo >/dev/null
}

test_living_netns_deletion_frees_port()
{
	local a b

	a=$(lc_ns a)
	b=$(lc_ns b)
	ip -n "$a" link add lc0 type linkcrypt
	ip -n "$a" link set lc0 netns "$b"
	ip netns del "$b"
	[ "$(lc_count_devices "$a")" -eq 0 ] || lc_die "device came back to $a"
	ip -n "$a" link add lc1 type linkcrypt port 7788
}

test_many_devices_batch()
{
	local ns i n=200 batch

	ns=$(lc_ns many)
	batch=$(mktemp)
	for i in $(seq 1 $n); do
		echo "link add lc$i type linkcrypt port $((30000 + i))"
	done >"$batch"
	ip -n "$ns" -batch "$batch"
	rm -f "$batch"
	[ "$(lc_count_devices "$ns")" -eq $n ] || lc_die "not $n devices"
	if [ -x "$LCCTL" ]; then
		[ "$(ip netns exec "$ns" "$LCCTL" -j show |
		     python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')" -eq $n ] ||
			lc_die "lcctl show does not list $n devices"
	fi
	ip netns del "$ns"
}

lc_plan 6
lc_case same_port_in_several_netns test_same_port_in_several_netns
lc_case netns_deletion_with_devices test_netns_deletion_with_devices
lc_case moved_device_keeps_its_port_home test_moved_device_keeps_its_port_home
lc_case creating_netns_deletion_deletes_moved_device test_creating_netns_deletion_deletes_moved_device
lc_case living_netns_deletion_frees_port test_living_netns_deletion_frees_port
lc_case many_devices_batch test_many_devices_batch
lc_exit
