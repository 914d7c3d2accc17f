#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Life cycle under traffic: a device moved to another namespace keeps
# working; namespaces, devices, peers, keys and the module itself go away
# while frames flow, cleanly (the harness runs with panic_on_warn, so a
# kernel warning fails the run), and everything can be set up again.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_topo.sh"

topo_require ping iperf3 ss

rx_from() { topo_pstat "$1" "$2" rx_packets; }

# at_least SERVER FROM N: SERVER accepted at least N frames from FROM.
at_least() { [ "$(rx_from "$1" "$2")" -ge "$3" ]; }

# flowing SERVER FROM WHAT: the load has started: SERVER accepts at least
# 50 frames from FROM within a minute (a fixed two seconds were not enough
# on the debug kernel, where iperf3 and ping take seconds to start).
flowing()
{
	topo_wait_until 60 at_least "$1" "$2" 50 ||
		lc_die "$3 is $(rx_from "$1" "$2"), expected at least 50 within a minute"
}

# gone NS DEV: DEV does not exist in NS (any more).
gone() { ! ip -n "$1" link show "$2" >/dev/null 2>&1; }

# move_lc0 X: server 1's lc0 into namespace X, configured there as before.
move_lc0()
{
	local x=$1

	ip -n "$(topo_ns 1)" link set lc0 netns "$x"
	[ "$(lc_count_devices "$(topo_ns 1)")" -eq 0 ] || lc_die "lc0 did not leave server 1"
	ip -n "$x" addr add "$(topo_ip4 1)/24" dev lc0
	ip -n "$x" link set lc0 up
	ip -n "$x" neigh replace "$(topo_ip4 2)" lladdr "$(topo_mac 2)" dev lc0 nud permanent
}

# Moved to another namespace, lc0 keeps its peers, keys and socket.
test_moved_device()
{
	local x v out

	topo_build -q -N -M
	topo_ping_ok 1 2 1
	x=$(lc_ns moved)
	move_lc0 "$x"
	out=$(timeout 120 ip netns exec "$x" ping -n -c 3 -i 0.2 -W 2 "$(topo_ip4 2)" 2>&1) ||
		lc_die "ping from the moved lc0 failed: $out"
	topo_ping_ok 2 1 3
	out=$(timeout 120 ip netns exec "$x" "$LCCTL" -j show lc0) ||
		lc_die "lcctl in the new namespace does not see lc0"
	v=$(lc_json peer-stat lc0 "$(topo_pid 1 2)" rx_packets <<<"$out")
	topo_expect_ge "moved lc0: rx_packets from 2" "$v" 7
	out=$(topo_lcctl 1 -j show)
	[ "$out" = "[]" ] || lc_die "server 1 still lists a device: $out"
}

# The receiver's namespace is deleted while the sender floods it.
test_netns_del_receiver()
{
	local v ns2

	topo_build -q -N -M
	ns2=$(topo_ns 2)
	topo_bg flood timeout 120 ip netns exec "$(topo_ns 1)" ping -f -w 60 "$(topo_ip4 2)"
	flowing 2 1 "frames flooded to server 2"
	# Nothing runs in server 2's namespace: deleting it tears it down.
	ip netns del "$ns2"
	topo_wait_until 15 gone "$(topo_ns 1)" to2 || lc_die "server 2's namespace did not die"
	sleep 1
	topo_bg_running flood || lc_die "ping -f ended early: $(cat "$TOPO_TMP/flood.err")"
	v=$(topo_pstat 1 2 drop_tx_error)
	topo_expect_ge "server 1: drop_tx_error with its underlay gone" "$v" 1
	topo_bg_stop flood
	ip -n "$(topo_ns 1)" link del lc0 || lc_die "cannot delete server 1's lc0"
}

# The namespace lc0 was created in (its socket's) is deleted while lc0,
# moved elsewhere, carries a flood and a TCP stream: lc0 goes with it.
test_netns_del_creator()
{
	local x

	topo_build -q -N -M
	x=$(lc_ns moved)
	move_lc0 "$x"
	topo_iperf_server 2
	topo_bg iperf timeout 120 ip netns exec "$x" iperf3 -c "$(topo_ip4 2)" -t 60
	topo_bg flood timeout 120 ip netns exec "$x" ping -f -w 60 "$(topo_ip4 2)"
	flowing 2 1 "frames from the moved lc0"
	ip netns del "$(topo_ns 1)"
	topo_wait_until 15 gone "$x" lc0 || lc_die "lc0 outlived the namespace of its socket"
	sleep 1
	topo_bg_stop flood
	topo_bg_stop iperf
	# Server 2 is unharmed.
	topo_lcctl 2 -j show lc0 >/dev/null || lc_die "server 2's lc0 unreadable"
}

# The module is removed while iperf3, a flood and lcctl monitor run; then
# loaded again, and a fresh setup works.
test_rmmod()
{
	topo_build -q -N -M
	topo_iperf_server 2
	topo_monitor_start 1
	topo_bg iperf timeout 120 ip netns exec "$(topo_ns 1)" iperf3 -c "$(topo_ip4 2)" -t 60
	topo_bg flood timeout 120 ip netns exec "$(topo_ns 2)" ping -f -w 60 "$(topo_ip4 1)"
	flowing 2 1 "frames 1 -> 2 before rmmod"
	flowing 1 2 "frames 2 -> 1 before rmmod"
	timeout 60 modprobe -r linkcrypt || lc_die "modprobe -r linkcrypt failed under traffic"
	[ ! -d /sys/module/linkcrypt ] || lc_die "linkcrypt still loaded"
	topo_expect_eq "devices left on server 1" "$(lc_count_devices "$(topo_ns 1)")" 0
	topo_expect_eq "devices left on server 2" "$(lc_count_devices "$(topo_ns 2)")" 0
	sleep 1
	topo_bg_stop iperf
	topo_bg_stop flood
	topo_bg_stop mon1
	topo_bg_stop iperf_s2
	modprobe linkcrypt || lc_die "cannot load linkcrypt again"
	topo_devices
	topo_ping_ok 1 2 3
	topo_ping_ok 2 1 3
}

# Server 1 deletes its peer 2 while UDP flows 1 -> 2 and a flood 2 -> 1:
# 1 stops sending to 2 and counts what it cannot send or place; a new peer
# entry with fresh keys works.
test_peer_del()
{
	local v r1 r2 kid hex

	topo_build -q -N -M
	topo_iperf_server 2
	topo_bg udp timeout 120 ip netns exec "$(topo_ns 1)" iperf3 -c "$(topo_ip4 2)" \
		-u -b 20M -l 1200 -t 60
	topo_bg flood timeout 120 ip netns exec "$(topo_ns 2)" ping -f -w 60 "$(topo_ip4 1)"
	flowing 2 1 "frames 1 -> 2 before the deletion"
	topo_bg_running flood || lc_die "ping -f ended early: $(cat "$TOPO_TMP/flood.err")"
	topo_bg_running udp || lc_die "iperf3 ended early: $(cat "$TOPO_TMP/udp.err")"
	topo_lcctl 1 peer del lc0 id "$(topo_pid 1 2)" || lc_die "peer del failed"
	sleep 1
	v=$(topo_json 1 | lc_json peers lc0)
	[ -z "$v" ] || lc_die "server 1 still has peers: $v"
	v=$(topo_dstat 1 drop_no_peer)
	topo_expect_ge "server 1: drop_no_peer (2's flood names a deleted peer)" "$v" 1
	v=$(topo_dstat 1 drop_no_peer_tx)
	topo_expect_ge "server 1: drop_no_peer_tx (frames with no peer to go to)" "$v" 1
	r1=$(rx_from 2 1)
	sleep 1
	r2=$(rx_from 2 1)
	topo_expect_eq "frames server 2 received from 1 after the deletion" $((r2 - r1)) 0
	topo_bg_stop udp
	topo_bg_stop flood
	topo_bg_stop iperf_s2
	# Again: 2's TX key goes on (a fresh RX key on 1 has a fresh window);
	# 1 -> 2 needs a new key, never the old one from counter 0.
	topo_peer_add 1 2
	topo_key 1 rx 2 primary "$(topo_kid 2 1)" "$(topo_key_hex 2 1)"
	kid=$(( (TOPO_KID[1,2] + 1) % 256 ))
	hex=$(topo_rand_hex 36)
	topo_key 2 rx 1 secondary "$kid" "$hex"
	topo_key 1 tx 2 primary "$kid" "$hex"
	topo_ping_ok 1 2 3
	topo_ping_ok 2 1 3
}

# lc0 of server 2 is deleted under a flood both ways, then created again on
# the same port: the port was released, and it works.
test_dev_del()
{
	local kid hex

	topo_build -q -N -M
	topo_bg flood1 timeout 120 ip netns exec "$(topo_ns 1)" ping -f -w 60 "$(topo_ip4 2)"
	topo_bg flood2 timeout 120 ip netns exec "$(topo_ns 2)" ping -f -w 60 "$(topo_ip4 1)"
	sleep 2
	ip -n "$(topo_ns 2)" link del lc0 || lc_die "cannot delete lc0 under traffic"
	sleep 1
	topo_bg_stop flood2
	topo_bg_stop flood1
	topo_dev_setup 2
	topo_peer_add 2 1
	# 1's TX key goes on: 2 takes the same material into a fresh RX key.
	topo_key 2 rx 1 primary "$(topo_kid 1 2)" "$(topo_key_hex 1 2)"
	# 2 -> 1 needs a new key: 1's RX window has seen the old one's counters.
	kid=$(( (TOPO_KID[2,1] + 1) % 256 ))
	hex=$(topo_rand_hex 36)
	topo_key 1 rx 2 secondary "$kid" "$hex"
	topo_key 2 tx 1 primary "$kid" "$hex"
	topo_dev_up 2
	topo_ping_ok 1 2 3
	topo_ping_ok 2 1 3
}

# Keys deleted under a flood: the RX key on 2 first (2 drops what it has no
# key for), then the TX key on 1 (1 sends nothing); a new pair recovers.
test_key_del()
{
	local v r1 r2 a1 a2

	topo_build -q -N -M
	topo_bg flood timeout 120 ip netns exec "$(topo_ns 1)" ping -f -w 60 "$(topo_ip4 2)"
	sleep 1.5
	topo_lcctl 2 key del lc0 peer "$(topo_pid 2 1)" dir rx slot primary ||
		lc_die "RX key del failed"
	sleep 1
	r1=$(rx_from 2 1)
	a1=$(topo_pstat 2 1 drop_auth)
	topo_expect_ge "server 2: drop_auth without its RX key" "$a1" 1
	sleep 0.5
	r2=$(rx_from 2 1)
	topo_expect_eq "frames accepted by 2 without an RX key" $((r2 - r1)) 0
	topo_bg_running flood || lc_die "ping -f ended early: $(cat "$TOPO_TMP/flood.err")"
	topo_lcctl 1 key del lc0 peer "$(topo_pid 1 2)" dir tx slot primary ||
		lc_die "TX key del failed"
	sleep 1
	v=$(topo_pstat 1 2 drop_no_key)
	topo_expect_ge "server 1: drop_no_key without its TX key" "$v" 1
	a1=$(topo_pstat 2 1 drop_auth)
	sleep 0.5
	a2=$(topo_pstat 2 1 drop_auth)
	topo_expect_eq "frames reaching 2 after 1 lost its TX key" $((a2 - a1)) 0
	topo_bg_stop flood
	topo_key_pair 1 2 primary $(( (TOPO_KID[1,2] + 1) % 256 ))
	topo_ping_ok 1 2 3
}

lc_plan 7
lc_case moved_device_keeps_working test_moved_device
lc_case netns_del_receiver_under_traffic test_netns_del_receiver
lc_case netns_del_creator_under_traffic test_netns_del_creator
lc_case peer_del_under_traffic test_peer_del
lc_case dev_del_under_traffic test_dev_del
lc_case key_del_under_traffic test_key_del
lc_case rmmod_under_traffic test_rmmod
modprobe linkcrypt 2>/dev/null || true
lc_exit
