#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Forwarding by MAC address among three servers (1, 2, 3, each lc0 with its
# own MAC): a unicast frame goes only to the peer its destination was learned
# from or configured on; a static MAC follows its configuration and cannot be
# claimed twice; a peer that sends with another peer's MAC as source does
# not capture that peer's traffic; a deleted peer leaves no entry behind,
# even with its frames still in flight.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_topo.sh"

topo_require ping

# rx_from SERVER FROM: frames SERVER accepted from FROM.
rx_from() { topo_pstat "$1" "$2" rx_packets; }

macs_of()
{
	local js

	js=$(topo_json "$1")
	lc_json peer lc0 "$(topo_pid "$1" "$2")" macs <<<"$js"
}

# Learned: once 2's MAC is known, 1's unicast to it reaches 2 only.
test_unicast_learned()
{
	local b0 c0 t0 v

	topo_build -n 3 -q
	topo_ping_ok 1 2 2
	c0=$(rx_from 3 1)
	# The ARP request was a broadcast: 3 saw it.
	topo_expect_ge "frames server 3 received from 1 (the ARP broadcast)" "$c0" 1
	b0=$(rx_from 2 1)
	t0=$(topo_pstat 1 3 tx_packets)
	topo_ping_ok 1 2 10 -i 0.1
	v=$(rx_from 3 1)
	topo_expect_eq "frames server 3 received from 1 while 1 pinged 2" $((v - c0)) 0
	v=$(topo_pstat 1 3 tx_packets)
	topo_expect_eq "frames server 1 sent to 3 while pinging 2" $((v - t0)) 0
	v=$(rx_from 2 1)
	topo_expect_ge "frames server 2 received from 1" $((v - b0)) 10
}

# ping_x COUNT: server 1 pings 203.0.113.99, whose MAC is $X (nobody has
# it); prints how far 2's and 3's rx from 1 moved: "B C".
ping_x()
{
	local b0 c0 b1 c1 n

	b0=$(rx_from 2 1)
	c0=$(rx_from 3 1)
	n=$(topo_ping 1 203.0.113.99 "$1" -W 1 -i 0.1)
	[ "$n" -eq 0 ] || lc_die "203.0.113.99 answered"
	sleep 0.3
	b1=$(rx_from 2 1)
	c1=$(rx_from 3 1)
	echo "$((b1 - b0)) $((c1 - c0))"
}

# A static MAC sends its frames to its peer only, moves with "peer set",
# and no second peer can claim it.
test_static_mac()
{
	local v p12 p13

	topo_build -n 3 -q -N
	X=02:1c:00:00:00:99
	p12=$(topo_pid 1 2) p13=$(topo_pid 1 3)
	ip -n "$(topo_ns 1)" neigh replace 203.0.113.99 lladdr "$X" dev lc0 nud permanent
	topo_lcctl 1 peer set lc0 id "$p12" mac "$X" || lc_die "peer set mac failed"
	v=$(macs_of 1 2)
	[ "$v" = "$X" ] || lc_die "server 1: peer 2's MACs are '$v', expected $X"
	v=$(ping_x 5)
	[ "$v" = "5 0" ] || lc_die "frames to $X (static on peer 2): 2 and 3 got '$v', expected '5 0'"

	topo_lcctl 1 peer set lc0 id "$p12" mac none || lc_die "peer set mac none failed"
	v=$(macs_of 1 2)
	[ -z "$v" ] || lc_die "server 1: peer 2's MACs are '$v' after 'mac none'"
	topo_lcctl 1 peer set lc0 id "$p13" mac "$X" || lc_die "peer set mac failed"
	v=$(ping_x 5)
	[ "$v" = "0 5" ] || lc_die "frames to $X (static on peer 3): 2 and 3 got '$v', expected '0 5'"

	# $X belongs to peer 3: peer 2 cannot have it too, nor a new peer.
	lc_expect_fail topo_lcctl 1 peer set lc0 id "$p12" mac "$X"
	lc_expect_fail topo_lcctl 1 peer add lc0 id 1009 remote-id 9001 \
		endpoint "$(topo_endpoint 1 2)" mac "$X"
	v=$(macs_of 1 2)
	[ -z "$v" ] || lc_die "server 1: peer 2's MACs are '$v' after a refused claim"
	v=$(macs_of 1 3)
	[ "$v" = "$X" ] || lc_die "server 1: peer 3's MACs are '$v' after a refused claim"
	v=$(topo_json 1 | lc_json peers lc0 | sort | tr '\n' ' ')
	[ "$v" = "$p12 $p13 " ] || lc_die "server 1: peers are '$v'"
	v=$(ping_x 3)
	[ "$v" = "0 3" ] || lc_die "frames to $X after the refused claims: '$v', expected '0 3'"
}

# Server 3 sends frames with 2's MAC as source while 1's entry for that
# MAC (learned, or static) is fresh: 1 still sends to 2, never to 3.
test_spoof()
{
	local mode=$1 a0 b0 c0 v

	# Static neighbours: no ARP, whose refreshes would cross lc0 at any
	# time; 1 learns 2's and 3's MACs from their echo replies.
	topo_build -n 3 -q -N
	if [ "$mode" = static ]; then
		topo_lcctl 1 peer set lc0 id "$(topo_pid 1 2)" mac "$(topo_mac 2)" ||
			lc_die "peer set mac failed"
	fi
	topo_ping_ok 1 2 2
	topo_ping_ok 1 3 2
	a0=$(rx_from 1 3)
	topo_wire 3 raw lc0 --dst "$(topo_mac 1)" --src "$(topo_mac 2)" --count 20 >/dev/null
	sleep 0.3
	v=$(rx_from 1 3)
	# The spoofed frames did arrive, authenticated as server 3's.
	topo_expect_ge "spoofed frames server 1 received from 3" $((v - a0)) 20
	b0=$(rx_from 2 1)
	c0=$(rx_from 3 1)
	topo_ping_ok 1 2 5 -i 0.1
	v=$(rx_from 3 1)
	topo_expect_eq "frames for 2's MAC that went to 3" $((v - c0)) 0
	v=$(rx_from 2 1)
	topo_expect_ge "frames server 2 received from 1" $((v - b0)) 5
}

# Server 1 deletes peer 2 while 2 floods it, and adds it again, several
# times.  A frame of 2's still being decrypted when its peer goes must not
# leave an entry for 2's MAC behind: that entry, fresh for the ageing time,
# would send 1's frames for 2 to the deleted peer (or to freed memory once
# its last frame is done) instead of to the new one.
test_peer_del_in_flight()
{
	local i kid hex p12 p21

	topo_build -n 3 -q -N
	p12=$(topo_pid 1 2) p21=$(topo_pid 2 1)
	topo_ping_ok 1 2 2
	topo_ping_ok 1 3 2
	topo_bg flood timeout 600 ip netns exec "$(topo_ns 2)" \
		ping -f -l 16 -w 590 "$(topo_ip4 1)"
	kid=${TOPO_KID[1,2]}
	for i in 1 2 3 4 5 6; do
		sleep 0.5
		topo_bg_running flood || lc_die "ping -f ended early: $(cat "$TOPO_TMP/flood.err")"
		topo_lcctl 1 peer del lc0 id "$p12" || lc_die "round $i: peer del failed"
		topo_peer_add 1 2
		# 2's TX key goes on into a fresh RX key; 1 -> 2 takes a new one.
		topo_key 1 rx 2 primary "$(topo_kid 2 1)" "$(topo_key_hex 2 1)"
		if [ "$i" -gt 1 ]; then
			topo_lcctl 2 key del lc0 peer "$p21" dir rx slot secondary ||
				lc_die "round $i: server 2: key del rx secondary failed"
		fi
		kid=$(( (kid + 1) % 256 ))
		hex=$(topo_rand_hex 36)
		topo_key 2 rx 1 secondary "$kid" "$hex"
		topo_key 1 tx 2 primary "$kid" "$hex"
		# The peer works again.  The flood pauses meanwhile (timeout(1)
		# leads its own process group): under it the debug kernel lost
		# one of these pings to congestion, which says nothing of the peer.
		kill -STOP -- -"$(topo_bg_pid flood)"
		topo_ping_ok 1 2 3
		kill -CONT -- -"$(topo_bg_pid flood)"
	done
	topo_bg_stop flood
}

lc_plan 5
lc_case unicast_to_learned_mac_only test_unicast_learned
lc_case static_mac test_static_mac
lc_case spoofed_source_mac_learned test_spoof learned
lc_case spoofed_source_mac_static test_spoof static
lc_case peer_del_with_frames_in_flight test_peer_del_in_flight
lc_exit
