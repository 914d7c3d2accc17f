#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lcctl against the real module: text and JSON output agree with what the
# devices are, errors say what is wrong, exit codes follow the convention
# (0 success, 1 runtime error, 2 usage).
source "$(dirname "$0")/lib.sh"

[ -x "$LCCTL" ] || { echo "# SKIP: $LCCTL not built"; exit $KSFT_SKIP; }

# Every case runs in a namespace of its own.
ns_setup()
{
	NS=$(lc_ns l)
	ip -n "$NS" link add lc0 type linkcrypt port 7788 cipher aes-256-gcm
	ip -n "$NS" link add lc1 type linkcrypt port 7790 cipher chacha20-poly1305 \
		crypto inline
	ip -n "$NS" link set lc1 mtu 9000
	ip -n "$NS" link add d0 type dummy
}

lcctl_ns()
{
	ip netns exec "$NS" "$LCCTL" "$@"
}

test_show_text()
{
	local out

	ns_setup
	out=$(lcctl_ns show)
	echo "$out"
	# One unindented line per device; details are indented below it.
	[ "$(echo "$out" | grep -c '^[^ ]')" -eq 2 ] || lc_die "expected 2 devices"
	echo "$out" | grep -q '^lc0: port 7788 cipher aes-256-gcm crypto parallel mtu 1406 peers 0$' ||
		lc_die "lc0 line"
	echo "$out" | grep -q '^lc1: port 7790 cipher chacha20-poly1305 crypto inline mtu 9000 peers 0$' ||
		lc_die "lc1 line"
	lcctl_ns show lc1 | grep -q '^lc1: port 7790 cipher chacha20-poly1305 crypto inline mtu 9000 peers 0$' ||
		lc_die "show lc1"
	[ "$(lcctl_ns show lc1 | grep -c '^[^ ]')" -eq 1 ] || lc_die "show lc1 shows more"
}

test_show_json()
{
	ns_setup
	lcctl_ns -j show | python3 -c '
import json, sys
devs = {d["ifname"]: d for d in json.load(sys.stdin)}
assert set(devs) == {"lc0", "lc1"}, devs
assert devs["lc0"]["port"] == 7788 and devs["lc0"]["cipher"] == "aes-256-gcm", devs
assert devs["lc1"]["port"] == 7790 and devs["lc1"]["cipher"] == "chacha20-poly1305", devs
assert devs["lc1"]["mtu"] == 9000, devs
assert devs["lc0"]["crypto"] == "parallel" and devs["lc1"]["crypto"] == "inline", devs
' || lc_die "JSON does not describe the devices"
	lcctl_ns -j -p show lc0 | python3 -m json.tool >/dev/null || lc_die "pretty JSON invalid"
	# An empty namespace is an empty list, not nothing.
	[ "$(ip netns exec "$(lc_ns e)" "$LCCTL" -j show)" = "[]" ] || lc_die "empty list"
}

test_show_follows_changes()
{
	ns_setup
	ip -n "$NS" link set lc0 type linkcrypt cipher chacha20-poly1305
	lcctl_ns show lc0 | grep -q 'cipher chacha20-poly1305' || lc_die "change not shown"
	ip -n "$NS" link set lc0 type linkcrypt crypto inline
	lcctl_ns show lc0 | grep -q 'crypto inline' || lc_die "crypto change not shown"
	ip -n "$NS" link del lc1
	[ "$(lcctl_ns show | grep -c '^[^ ]')" -eq 1 ] || lc_die "deleted device still listed"
}

test_errors()
{
	local err rc

	ns_setup
	rc=0; err=$(lcctl_ns show nosuch 2>&1) || rc=$?
	[ $rc -eq 1 ] || lc_die "missing device: exit $rc"
	echo "$err" | grep -q 'Device "nosuch" does not exist' || lc_die "missing device: $err"
	rc=0; err=$(lcctl_ns show d0 2>&1) || rc=$?
	[ $rc -eq 1 ] || lc_die "dummy device: exit $rc"
	echo "$err" | grep -q 'not a linkcrypt device' || lc_die "dummy device: $err"
	rc=0; lcctl_ns show lc0 lc1 >/dev/null 2>&1 || rc=$?
	[ $rc -eq 2 ] || lc_die "two devices: exit $rc, expected usage error"
	rc=0; lcctl_ns frobnicate >/dev/null 2>&1 || rc=$?
	[ $rc -eq 2 ] || lc_die "unknown command: exit $rc"
}

# -n NETNS sees what running inside NETNS sees, and nothing of the caller's
# namespace; a namespace that does not exist is a runtime error.
test_netns_option()
{
	local err rc out

	ns_setup
	ip link add lcn0 type linkcrypt port 7791
	out=$("$LCCTL" -n "$NS" show)
	[ "$out" = "$(lcctl_ns show)" ] || lc_die "-n $NS shows: $out"
	echo "$out" | grep -q '^lcn0:' && lc_die "-n $NS shows the caller's lcn0"
	"$LCCTL" -n "$NS" peer add lc0 id 7 remote-id 8 endpoint 192.0.2.1:7788 ||
		lc_die "peer add with -n failed"
	lcctl_ns show lc0 | grep -q '^lc0: .* peers 1$' || lc_die "the peer is not in $NS"
	"$LCCTL" show lcn0 | grep -q '^lcn0: .* peers 0$' || lc_die "the peer went to the caller's namespace"
	ip link del lcn0
	rc=0; err=$("$LCCTL" -n "${NS}nosuch" show 2>&1) || rc=$?
	[ $rc -eq 1 ] || lc_die "missing namespace: exit $rc"
	echo "$err" | grep -q "network namespace \"${NS}nosuch\" does not exist" ||
		lc_die "missing namespace: $err"
	rc=0; err=$("$LCCTL" -n ../x show 2>&1) || rc=$?
	[ $rc -eq 2 ] || lc_die "bad namespace name: exit $rc"
}

test_needs_cap_net_admin()
{
	local err rc=0

	ns_setup
	err=$(ip netns exec "$NS" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$LCCTL" show 2>&1) || rc=$?
	[ $rc -eq 1 ] || lc_die "unprivileged: exit $rc"
	echo "$err" | grep -q CAP_NET_ADMIN || lc_die "unprivileged: $err"
}

lc_plan 6
lc_case show_text test_show_text
lc_case show_json test_show_json
lc_case show_follows_changes test_show_follows_changes
lc_case errors test_errors
lc_case netns_option test_netns_option
lc_case needs_cap_net_admin test_needs_cap_net_admin
lc_exit
