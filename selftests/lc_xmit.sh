#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fail-closed transmit: with no peer and no key, every frame handed to the
# device is dropped and counted; none is sent.
source "$(dirname "$0")/lib.sh"

test_no_key_drops_and_counts()
{
	local ns dropped

	ns=$(lc_ns x)
	ip netns exec "$ns" bash -ec '
		ip link add lc0 type linkcrypt
		ip addr add 192.0.2.1/24 dev lc0
		ip link set lc0 up
		ping -c 3 -i 0.2 -W 1 192.0.2.2 >/dev/null 2>&1 && exit 1
		ping -6 -c 2 -i 0.2 -W 1 ff02::1%lc0 >/dev/null 2>&1 || true
		exit 0' || lc_die "ping succeeded without any peer"
	dropped=$(ip netns exec "$ns" cat /sys/class/net/lc0/statistics/tx_dropped)
	[ "$dropped" -ge 3 ] || lc_die "tx_dropped is $dropped, expected >= 3"
	[ "$(ip netns exec "$ns" cat /sys/class/net/lc0/statistics/tx_packets)" -eq 0 ] ||
		lc_die "tx_packets counted frames that were not sent"
	[ "$(ip netns exec "$ns" cat /sys/class/net/lc0/statistics/tx_bytes)" -eq 0 ] ||
		lc_die "tx_bytes counted frames that were not sent"
}

lc_plan 1
lc_case no_key_drops_and_counts test_no_key_drops_and_counts
lc_exit
