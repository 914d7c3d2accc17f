#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The data path between servers: ping (IPv4 and IPv6 overlay, both
# ciphers, IPv4 and IPv6 underlay), ARP/ND through lc0, iperf3 TCP and UDP,
# frames of exactly the MTU, a jumbo underlay, three servers, broadcast;
# both crypto modes, and switches between them under traffic.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_topo.sh"

topo_require ping iperf3 tcpdump ss

# The neighbour entry of server $1 for $2's overlay address $3: resolved to
# $2's lc0 MAC by ARP/ND through lc0.
neigh_resolved()
{
	local i=$1 j=$2 addr=$3 out

	out=$(ip -n "$(topo_ns "$i")" neigh show "$addr" dev lc0)
	echo "$out" | grep -q "lladdr $(topo_mac "$j") " ||
		lc_die "server $i: $addr not resolved to $(topo_mac "$j"): '$out'"
	echo "$out" | grep -Eq ' (REACHABLE|STALE|DELAY|PROBE) *$' ||
		lc_die "server $i: neighbour $addr in state '$out'"
}

test_ping()
{
	local cipher=$1 fam=$2 i j v r a

	topo_build -c "$cipher" -f "$fam"
	for i in 1 2; do
		j=$((3 - i))
		topo_ping_ok "$i" "$j" 3
		topo_ping_ok "$i" "$j" 3 -6
		neigh_resolved "$i" "$j" "$(topo_ip4 "$j")"
		neigh_resolved "$i" "$j" "$(topo_ip6 "$j")"
	done
	for i in 1 2; do
		j=$((3 - i))
		r=$(topo_read "$i" "p:$j:tx_packets" "p:$j:rx_packets" "p:$j:rx_bytes" \
			"k:$j:tx:primary:packets" "k:$j:rx:primary:packets" \
			"p:$j:address" "p:$j:port" "p:$j:remote_id")
		mapfile -t a <<<"$r"
		# 6 echo requests and 6 replies each way, plus ARP/ND.
		topo_expect_ge "server $i, peer $j: tx_packets" "${a[0]}" 12
		topo_expect_ge "server $i, peer $j: rx_packets" "${a[1]}" 12
		topo_expect_ge "server $i, peer $j: rx_bytes" "${a[2]}" $((12 * 60))
		topo_expect_ge "server $i, peer $j: packets under the TX key" "${a[3]}" 12
		topo_expect_ge "server $i, peer $j: packets under the RX key" "${a[4]}" 12
		# What lcctl shows is what was configured.
		[ "${a[5]}" = "$(topo_ul_addr "$i" "$j")" ] ||
			lc_die "server $i: peer $j endpoint address is ${a[5]}"
		topo_expect_eq "server $i: peer $j endpoint port" "${a[6]}" "$(topo_port "$j")"
		topo_expect_eq "server $i: peer $j remote id" "${a[7]}" "$(topo_pid "$j" "$i")"
		topo_no_drops "$i" "$j"
		v=$(topo_sysstat "$i" rx_packets)
		topo_expect_ge "server $i: lc0 rx_packets" "$v" 12
	done
}

# test_iperf [CRYPTO]: TCP and UDP through lc0, with that crypto mode.
test_iperf()
{
	local j base

	topo_build -M ${1:+-x "$1"}
	j=$TOPO_TMP
	# Amounts, not durations or rates: speed is make bench's business, and
	# the debug kernel moves TCP through plain veth at about 2.5 Mbit/s
	# under TCG, 100 times slower than a stock kernel.  2 MiB of TCP (under
	# a second on a stock kernel, about 20 s on the debug one) must arrive
	# intact, and 3000 datagrams of UDP (about 3 s at 10 Mbit/s) must
	# cross linkcrypt with no frame lost.
	topo_tcp_transfer 1 2 2097152
	base=$(topo_udp_base 1 2)
	topo_iperf_server 2
	timeout 120 ip netns exec "$(topo_ns 1)" iperf3 -c "$(topo_ip4 2)" -u -b 10M \
		-l 1200 -w 200K -k 3000 -J >"$j/udp.json" ||
		lc_die "iperf3 UDP failed: $(lc_json iperf "$j/udp.json" error)"
	topo_bg_wait iperf_s2 || true
	topo_expect_udp_delivered 1 2 "$j/udp.json" "$base"
	topo_no_drops 1 2
	topo_no_drops 2 1
}

# In the parallel crypto mode one peer's frames are encrypted and
# decrypted on every CPU at once, yet must leave and arrive in the order
# they were sent: an unpaced burst of UDP keeps several operations under
# way, and the receiving iperf3 must count none of its datagrams out of
# order (one veth, the underlay, does not reorder).  An amount, as in
# test_iperf; iperf3 may lose datagrams to a starved socket, which is not
# what this checks.
test_order()
{
	local j v

	topo_build -M -x parallel
	j=$TOPO_TMP
	topo_iperf_server 2 5201 300 -J
	timeout 300 ip netns exec "$(topo_ns 1)" iperf3 -c "$(topo_ip4 2)" -u -b 0 \
		-l 1200 -w 400K -k 5000 --get-server-output -J >"$j/order.json" ||
		lc_die "iperf3 UDP failed: $(lc_json iperf "$j/order.json" error)"
	topo_bg_wait iperf_s2 || true
	v=$(lc_json iperf "$j/order.json" udp_packets)
	topo_expect_ge "datagrams the receiver saw" "$v" 1000
	v=$(lc_json iperf "$j/order.json" udp_out_of_order)
	topo_expect_eq "datagrams received out of order" "$v" 0
	topo_no_drops 1 2
	topo_no_drops 2 1
}

# Frames of exactly lc0's MTU cross; one byte more with DF set is refused
# locally.  The MTU is the largest that fits the 1500-byte underlay, so the
# underlay carries 1500-byte IP packets and never fragments.
test_mtu_exact()
{
	local fam=$1 mtu v out

	if [ "$fam" = 4 ]; then
		mtu=1426        # 1500 - 20 - 8 - 16 - 16 - 14
		topo_build -f 4 -l "$mtu" -q -N -M
	else
		mtu=1406        # 1500 - 40 - 8 - 16 - 16 - 14: the default
		topo_build -f 6 -q -N -M
	fi
	v=$(topo_x 1 cat /sys/class/net/lc0/mtu)
	topo_expect_eq "lc0 MTU" "$v" "$mtu"
	topo_cap_start ul 1 "$(topo_ul_dev 1 2)"
	topo_ping_ok 1 2 3 -M "do" -s $((mtu - 28))
	v=$(topo_pstat 1 2 tx_packets)
	topo_expect_eq "frames sent for 3 MTU-sized echo requests" "$v" 3
	if out=$(topo_x 1 ping -n -c 1 -W 1 -M "do" -s $((mtu - 27)) "$(topo_ip4 2)" 2>&1); then
		lc_die "an MTU+1 packet with DF crossed lc0: $out"
	fi
	echo "MTU+1: $out" | grep -i "too long" || true
	v=$(topo_pstat 1 2 tx_packets)
	topo_expect_eq "frames sent after the MTU+1 attempt" "$v" 3
	topo_cap_stop ul
	out=$(lc_wire udp "$(topo_pcap ul)" --dport "$(topo_port 2)")
	echo "underlay, to server 2: $out"
	[ "$out" = "count=3 frags=0 maxlen=1500 families=$fam" ] ||
		lc_die "expected 3 unfragmented 1500-byte IPv$fam datagrams, got $out"
	out=$(lc_wire udp "$(topo_pcap ul)" --dport "$(topo_port 1)")
	[ "$out" = "count=3 frags=0 maxlen=1500 families=$fam" ] ||
		lc_die "expected 3 unfragmented 1500-byte replies, got $out"
}

# A jumbo underlay: veth MTU 9000, lc0 MTU 8900.
test_jumbo()
{
	local v out

	topo_build -f 6 -u 9000 -l 8900 -q -N -M
	v=$(topo_x 1 cat /sys/class/net/lc0/mtu)
	topo_expect_eq "lc0 MTU" "$v" 8900
	topo_cap_start ul 1 "$(topo_ul_dev 1 2)"
	topo_ping_ok 1 2 3 -M "do" -s $((8900 - 28))
	topo_cap_stop ul
	out=$(lc_wire udp "$(topo_pcap ul)" --dport "$(topo_port 2)")
	echo "underlay: $out"
	# 8900 + 14 + 16 + 16 + 8 + 40
	[ "$out" = "count=3 frags=0 maxlen=8994 families=6" ] ||
		lc_die "expected 3 unfragmented 8994-byte datagrams, got $out"
	# An amount, as in test_iperf.
	topo_tcp_transfer 1 2 2097152
	topo_no_drops 1 2
	topo_no_drops 2 1
}

# Three servers, a routed underlay (the hub): everyone reaches everyone.
test_three_servers()
{
	local fam=$1 i j k a

	topo_build -n 3 -m star -f "$fam"
	for i in 1 2 3; do
		for j in 1 2 3; do
			[ "$i" != "$j" ] || continue
			topo_ping_ok "$i" "$j" 2
			topo_ping_ok "$i" "$j" 2 -6
		done
	done
	for i in 1 2 3; do
		j=$((i % 3 + 1))
		k=$((j % 3 + 1))
		mapfile -t a <<<"$(topo_read "$i" "p:$j:rx_packets" "p:$k:rx_packets")"
		topo_expect_ge "server $i: rx_packets from $j" "${a[0]}" 8
		topo_expect_ge "server $i: rx_packets from $k" "${a[1]}" 8
		topo_no_drops "$i"
	done
}

# A broadcast frame goes to every peer.
test_broadcast()
{
	local b0 c0 b1 c1 out

	topo_build -n 3 -q -N -M
	b0=$(topo_pstat 2 1 rx_packets)
	c0=$(topo_pstat 3 1 rx_packets)
	out=$(topo_x 1 ping -n -b -c 3 -i 0.3 -W 2 203.0.113.255 2>&1) ||
		lc_die "no answer to a broadcast ping: $out"
	echo "$out" | grep -q "from $(topo_ip4 2):" || lc_die "server 2 did not answer: $out"
	echo "$out" | grep -q "from $(topo_ip4 3):" || lc_die "server 3 did not answer: $out"
	b1=$(topo_pstat 2 1 rx_packets)
	c1=$(topo_pstat 3 1 rx_packets)
	topo_expect_eq "broadcast frames server 2 received from 1" $((b1 - b0)) 3
	topo_expect_eq "broadcast frames server 3 received from 1" $((c1 - c0)) 3
	b1=$(topo_pstat 1 2 tx_packets)
	c1=$(topo_pstat 1 3 tx_packets)
	topo_expect_eq "server 1: frames sent to 2" "$b1" 3
	topo_expect_eq "server 1: frames sent to 3" "$c1" 3
}

# The crypto mode flips on both servers while UDP flows 1 -> 2: frames
# under way finish as they started, so some overtake others, which the
# replay window takes; linkcrypt loses and drops nothing.
crypto_set()
{
	local i m=$1

	for i in 1 2; do
		ip -n "$(topo_ns "$i")" link set lc0 type linkcrypt crypto "$m" ||
			lc_die "server $i: cannot set crypto $m"
	done
}

test_crypto_switch()
{
	local m t0 t secs base

	topo_build -M
	# The flow must outlast four switches however slow the machine: time
	# one (to the mode already set), allow five times that under traffic
	# (the debug kernel needed more than twice), and send for that long.
	# A duration, not a count: a kernel that cannot send the nominal
	# 10 Mbit/s (the debug kernel manages about 1) still sends across all
	# the switches, and the timers only catch a hang.
	t0=${EPOCHREALTIME/./}
	crypto_set parallel
	t=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
	secs=$(( (5 * 4 * (750 + t) + 2000 + 999) / 1000 ))
	echo "one switch, idle: $t ms; sending for $secs s"
	base=$(topo_udp_base 1 2)
	topo_iperf_server 2 5201 $((secs + 120))
	topo_bg udp timeout $((secs + 120)) ip netns exec "$(topo_ns 1)" \
		iperf3 -c "$(topo_ip4 2)" -u -b 10M -l 1200 -w 200K -t "$secs" -J
	for m in inline parallel inline parallel; do
		sleep 0.75
		crypto_set "$m"
	done
	topo_bg_running udp ||
		lc_skip_case "the switches outlasted the UDP flow: nothing proven"
	topo_bg_wait udp || lc_die "iperf3 UDP failed: $(lc_json iperf "$TOPO_TMP/udp.log" error)"
	topo_bg_wait iperf_s2 || true
	# Every frame crossed; a datagram iperf3 lost was dropped by a
	# receiving socket starved of CPU, which counts it, never in linkcrypt.
	topo_expect_udp_delivered 1 2 "$TOPO_TMP/udp.log" "$base" "$secs"
	topo_no_drops 1 2
	topo_no_drops 2 1
}

lc_plan 13
lc_case ping_aes_ipv4_underlay test_ping aes-256-gcm 4
lc_case ping_chacha_ipv4_underlay test_ping chacha20-poly1305 4
lc_case ping_aes_ipv6_underlay test_ping aes-256-gcm 6
lc_case ping_chacha_ipv6_underlay test_ping chacha20-poly1305 6
lc_case iperf3_tcp_udp test_iperf
lc_case iperf3_tcp_udp_inline_crypto test_iperf inline
lc_case crypto_mode_switch_under_udp test_crypto_switch
lc_case parallel_crypto_keeps_order test_order
lc_case mtu_exact_ipv4_underlay test_mtu_exact 4
lc_case mtu_exact_ipv6_underlay test_mtu_exact 6
lc_case jumbo_underlay test_jumbo
lc_case three_servers_routed_ipv6_underlay test_three_servers 6
lc_case broadcast_reaches_all_peers test_broadcast
lc_exit
