#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Keys: rotation under load without losing a frame, soft and hard limits in
# packets, bytes and seconds with their notifications, the no-key
# notification, key material never shown, and refused key operations.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_topo.sh"

topo_require ping iperf3 tcpdump ss

# rc SERVER LCCTL-ARGS...: lcctl's exit status.
rc()
{
	local i=$1 r=0

	shift
	topo_lcctl "$i" "$@" >/dev/null 2>&1 || r=$?
	echo "$r"
}

expect_keys()
{
	local i=$1 j=$2 want=$3 got

	got=$(topo_keys "$i" "$j")
	[ "$got" = "$want" ] || lc_die "server $i, peer $j: keys are
$got
expected
$want"
}

# rotate_round: each server rotates its TX key for the other once
# (topo_rotate); sets ROUND_S to the seconds that took, rounded up.  In the
# test's own shell, since topo_rotate records the new key ids.
rotate_round()
{
	local t0=${EPOCHREALTIME/./}

	topo_rotate 1 2
	topo_rotate 2 1
	ROUND_S=$(( (${EPOCHREALTIME/./} - t0) / 1000000 + 1 ))
}

# Keys of both directions rotated twice while iperf3 sends UDP at 10 Mbit/s
# (moderate under TCG): not one frame lost or dropped by linkcrypt, and no
# datagram lost but to the receiving socket's own buffer.
test_swap_udp()
{
	local r v a t load=0 base

	topo_build -q -N -M
	# Traffic must outlast the rotations, however slow the machine: time
	# one round first (rotations need no traffic).
	rotate_round
	t=$ROUND_S
	echo "one round of rotations, idle: about ${t}s"
	# Under traffic a round takes several times longer than idle: on the
	# debug kernel 10 Mbit/s takes all the CPU there is, as TCP does in
	# test_swap_tcp, so each of the two rounds here gets that test's
	# budget for its one.
	t=$((16 * t + 8))
	topo_iperf_server 2 5201 $((t + 90))
	base=$(topo_udp_base 1 2)
	topo_bg udp timeout $((t + 60)) ip netns exec "$(topo_ns 1)" \
		iperf3 -c "$(topo_ip4 2)" -u -b 10M -l 1200 -w 200K -t "$t" -J
	sleep 1.5
	for r in 1 2; do
		rotate_round
		load=$((load + ROUND_S))
		sleep 0.5
		mapfile -t a <<<"$(topo_read 1 k:2:tx:primary:id k:2:tx:primary:packets)"
		topo_expect_eq "rotation $r: server 1's TX key id" "${a[0]}" "$(topo_kid 1 2)"
		topo_expect_ge "rotation $r: frames under server 1's new TX key" "${a[1]}" 1
	done
	echo "two rounds under load: about ${load}s of ${t}s of traffic"
	# Inconclusive, not failed, on a machine too slow for the traffic to
	# outlast the rotations.
	topo_bg_running udp ||
		lc_skip_case "the rotations outlasted iperf3 -t $t: nothing proven"
	topo_bg_wait udp || lc_die "iperf3 failed: $(lc_json iperf "$TOPO_TMP/udp.log" error)"
	# Across the rotations: every frame arrived, and iperf3 lost only what
	# the receiving socket's buffer dropped.
	topo_expect_udp_delivered 1 2 "$TOPO_TMP/udp.log" "$base"
	expect_keys 1 2 "rx primary $(topo_kid 2 1)
tx primary $(topo_kid 1 2)"
	expect_keys 2 1 "rx primary $(topo_kid 1 2)
tx primary $(topo_kid 2 1)"
	topo_no_drops 1 2
	topo_no_drops 2 1
}

# The same with TCP: the transfer completes and linkcrypt drops nothing.
test_swap_tcp()
{
	local v t

	topo_build -q -N -M
	rotate_round
	t=$ROUND_S
	echo "one round of rotations, idle: about ${t}s"
	# TCP takes all the CPU it can get: a round under it takes several
	# times longer than idle.
	t=$((8 * t + 8))
	topo_iperf_server 2 5201 $((t + 90))
	topo_bg tcp timeout $((t + 60)) ip netns exec "$(topo_ns 1)" \
		iperf3 -c "$(topo_ip4 2)" -t "$t" -J
	sleep 1.5
	rotate_round
	echo "one round under load: about ${ROUND_S}s of ${t}s of traffic"
	topo_bg_running tcp ||
		lc_skip_case "the rotations outlasted iperf3 -t $t: nothing proven"
	topo_bg_wait tcp || lc_die "iperf3 failed: $(lc_json iperf "$TOPO_TMP/tcp.log" error)"
	v=$(lc_json iperf "$TOPO_TMP/tcp.log" tcp_retransmits)
	echo "TCP retransmits: $v"
	v=$(lc_json iperf "$TOPO_TMP/tcp.log" received_bytes)
	topo_expect_ge "TCP bytes received" "$v" 1000000
	topo_no_drops 1 2
	topo_no_drops 2 1
}

# Install server 1's TX key for 2 with LIMITS (and the plain RX key on 2);
# the reverse direction gets an ordinary pair.  Sets KID and HEX.
limited_tx_key()
{
	topo_build -k -q -N -M
	topo_key_pair 2 1
	KID=12
	HEX=$(topo_rand_hex 36)
	topo_key 2 rx 1 primary "$KID" "$HEX"
	topo_key 1 tx 2 primary "$KID" "$HEX" "$@"
}

# soft-packets 10: one soft-limit event, in JSON and in text, and traffic
# goes on.
test_soft_limit()
{
	local v p a

	limited_tx_key soft-packets 10
	topo_monitor_start 1 monj
	topo_monitor_start 1 mont text
	# A soft limit warns; it does not stop traffic.
	topo_ping_ok 1 2 15 -i 0.1
	sleep 1
	p=$(topo_pid 1 2)
	v=$(topo_events monj soft-limit --peer "$p" --dir tx --key-id "$KID")
	topo_expect_eq "soft-limit events (JSON monitor)" "$v" 1
	v=$(topo_events monj hard-limit)
	topo_expect_eq "hard-limit events" "$v" 0
	mapfile -t a <<<"$(topo_read 1 k:2:tx:primary:soft_expired k:2:tx:primary:hard_expired)"
	topo_expect_eq "soft_expired on the TX key" "${a[0]}" 1
	topo_expect_eq "hard_expired on the TX key" "${a[1]}" 0
	topo_no_drops 1 2
	# The text form names the device.
	v=$(topo_events mont soft-limit --dev lc0 --peer "$p" --dir tx --key-id "$KID")
	topo_expect_eq "soft-limit events as 'lc0: peer $p key tx id $KID: soft-limit' (text monitor:
$(cat "$TOPO_TMP/mont.log"))" "$v" 1
}

# hard-packets 50 on server 1's TX key: 50 frames leave, then none; the
# 10 others are counted; one hard-limit event; nothing in clear either.
test_hard_limit_tx()
{
	local v pat p a

	limited_tx_key hard-packets 50
	p=$(topo_pid 1 2)
	topo_monitor_start 1
	pat=$(topo_rand_hex 16)
	topo_cap_start ul 1 "$(topo_ul_dev 1 2)"
	v=$(topo_ping 1 "$(topo_ip4 2)" 60 -i 0.05 -W 1 -p "$pat")
	topo_cap_stop ul
	topo_expect_eq "echo replies under a 50-packet key" "$v" 50
	v=$(lc_wire udp "$(topo_pcap ul)" --dport "$(topo_port 2)")
	[ "${v%% *}" = count=50 ] || lc_die "datagrams 1 -> 2 on the wire: $v, expected 50"
	v=$(lc_wire grep "$(topo_pcap ul)" "$pat")
	topo_expect_eq "pattern occurrences on the underlay" "$v" 0
	v=$(topo_events mon1 hard-limit --peer "$p" --dir tx --key-id "$KID")
	topo_expect_eq "hard-limit events" "$v" 1
	v=$(topo_events mon1 soft-limit)
	topo_expect_eq "soft-limit events (no soft limit set)" "$v" 0
	mapfile -t a <<<"$(topo_read 1 p:2:tx_packets p:2:drop_key_expired \
		k:2:tx:primary:packets k:2:tx:primary:hard_expired)"
	topo_expect_eq "server 1: frames sent to 2" "${a[0]}" 50
	topo_expect_eq "server 1: drop_key_expired" "${a[1]}" 10
	topo_expect_eq "packets under the TX key" "${a[2]}" 50
	topo_expect_eq "hard_expired on the TX key" "${a[3]}" 1
	v=$(topo_pstat 2 1 rx_packets)
	topo_expect_eq "server 2: frames received" "$v" 50
}

# hard-packets 20 on server 2's RX key: it accepts 20 frames, then drops.
test_hard_limit_rx()
{
	local v a

	topo_build -k -q -N -M
	topo_key_pair 2 1
	KID=12
	HEX=$(topo_rand_hex 36)
	topo_key 2 rx 1 primary "$KID" "$HEX" hard-packets 20
	topo_key 1 tx 2 primary "$KID" "$HEX"
	topo_monitor_start 2
	v=$(topo_ping 1 "$(topo_ip4 2)" 30 -i 0.05 -W 1)
	topo_expect_eq "echo replies under a 20-packet RX key" "$v" 20
	v=$(topo_pstat 1 2 tx_packets)
	topo_expect_eq "server 1: frames sent" "$v" 30
	mapfile -t a <<<"$(topo_read 2 p:1:rx_packets p:1:drop_key_expired \
		k:1:rx:primary:packets k:1:rx:primary:hard_expired)"
	topo_expect_eq "server 2: frames accepted" "${a[0]}" 20
	topo_expect_eq "server 2: drop_key_expired" "${a[1]}" 10
	topo_expect_eq "packets under the RX key" "${a[2]}" 20
	topo_expect_eq "hard_expired on the RX key" "${a[3]}" 1
	v=$(topo_events mon2 hard-limit --peer "$(topo_pid 2 1)" --dir rx --key-id "$KID")
	topo_expect_eq "hard-limit events on server 2" "$v" 1
}

# Byte limits count inner frames: 1014 bytes for "ping -s 972"
# (14 + 20 + 8 + 972).  soft-bytes 5 frames, hard-bytes 10 frames.
test_byte_limits()
{
	local v p frame=1014 a

	limited_tx_key soft-bytes $((5 * frame)) hard-bytes $((10 * frame))
	p=$(topo_pid 1 2)
	topo_monitor_start 1
	v=$(topo_ping 1 "$(topo_ip4 2)" 15 -i 0.1 -W 1 -s 972)
	topo_expect_eq "echo replies under a 10-frame byte limit" "$v" 10
	mapfile -t a <<<"$(topo_read 1 k:2:tx:primary:bytes k:2:tx:primary:packets \
		p:2:drop_key_expired)"
	topo_expect_eq "bytes under the TX key" "${a[0]}" $((10 * frame))
	topo_expect_eq "packets under the TX key" "${a[1]}" 10
	topo_expect_eq "server 1: drop_key_expired" "${a[2]}" 5
	v=$(topo_events mon1 soft-limit --peer "$p" --dir tx --key-id "$KID")
	topo_expect_eq "soft-limit events" "$v" 1
	v=$(topo_events mon1 hard-limit --peer "$p" --dir tx --key-id "$KID")
	topo_expect_eq "hard-limit events" "$v" 1
}

# soft-time 1, hard-time 3: usable at first, warned about, then retired.
test_time_limits()
{
	local v p a t0 u

	topo_build -k -q -N -M
	topo_key_pair 2 1
	KID=12
	HEX=$(topo_rand_hex 36)
	# The limits count in units of U seconds, U at least 1 and at least
	# twice what installing a key takes: the TX key must still be valid
	# when the first ping has gone through, a few process starts later,
	# and on the debug kernel one lcctl command takes seconds.
	t0=${EPOCHREALTIME/./}
	topo_key 2 rx 1 primary "$KID" "$HEX"
	u=$(( (${EPOCHREALTIME/./} - t0) * 2 / 1000000 + 1 ))
	echo "time unit: $u s"
	# A key that is never used (server 2's secondary RX slot: nothing is
	# sent under id 13) still shows its time limits as reached.
	topo_key 2 rx 1 secondary 13 "$(topo_rand_hex 36)" soft-time "$u" hard-time $((2 * u))
	topo_monitor_start 1
	topo_key 1 tx 2 primary "$KID" "$HEX" soft-time "$u" hard-time $((3 * u))
	topo_ping_ok 1 2 2
	# Traffic across both limits (for an implementation that checks ages
	# on use), then a ping well past the hard limit.
	topo_ping 1 "$(topo_ip4 2)" $((4 * (3 * u + 1))) -i 0.25 -W 1 >/dev/null
	sleep 0.5
	v=$(topo_ping 1 "$(topo_ip4 2)" 3 -W 1)
	topo_expect_eq "echo replies after hard-time" "$v" 0
	p=$(topo_pid 1 2)
	v=$(topo_events mon1 soft-limit --peer "$p" --dir tx --key-id "$KID")
	topo_expect_eq "soft-limit events" "$v" 1
	v=$(topo_events mon1 hard-limit --peer "$p" --dir tx --key-id "$KID")
	topo_expect_eq "hard-limit events" "$v" 1
	mapfile -t a <<<"$(topo_read 1 k:2:tx:primary:soft_expired \
		k:2:tx:primary:hard_expired p:2:drop_key_expired)"
	topo_expect_eq "soft_expired" "${a[0]}" 1
	topo_expect_eq "hard_expired" "${a[1]}" 1
	topo_expect_ge "server 1: drop_key_expired" "${a[2]}" 3
	mapfile -t a <<<"$(topo_read 2 k:1:rx:secondary:soft_expired \
		k:1:rx:secondary:hard_expired k:1:rx:secondary:packets)"
	topo_expect_eq "idle secondary key: packets" "${a[2]}" 0
	topo_expect_eq "idle secondary key: soft_expired" "${a[0]}" 1
	topo_expect_eq "idle secondary key: hard_expired" "${a[1]}" 1
}

# A frame with no TX key raises "no-key", at most once a second per peer.
test_no_key_event()
{
	local v p

	topo_build -k -q -N -M
	p=$(topo_pid 1 2)
	topo_monitor_start 1
	topo_wire 1 send "$(topo_ip4 2)" 9 --count 200 --size 64 >/dev/null
	sleep 0.7
	v=$(topo_pstat 1 2 drop_no_key)
	topo_expect_eq "server 1: drop_no_key" "$v" 200
	v=$(topo_events mon1 no-key --peer "$p")
	topo_expect_eq "no-key events for a burst of 200 frames" "$v" 1
	sleep 1.2
	topo_wire 1 send "$(topo_ip4 2)" 9 --count 1 --size 64 >/dev/null
	sleep 0.7
	v=$(topo_events mon1 no-key --peer "$p")
	topo_expect_eq "no-key events after another frame a second later" "$v" 2
}

# Key material goes in, never comes out: not in any output of lcctl or ip,
# text or JSON, in any encoding.  A key given by key-file works like the
# same key given in hex.
test_key_material_hidden()
{
	local i f hex2 all="" out cmd

	topo_build -q -N -M
	f=$TOPO_TMP/keyfile
	hex2=$(topo_rand_hex 36)
	printf '%s\n' "$hex2" >"$f"
	chmod 600 "$f"
	topo_key 2 rx 1 secondary 99 "$hex2"
	topo_lcctl 1 key add lc0 peer "$(topo_pid 1 2)" dir tx slot secondary id 99 \
		key-file "$f" || lc_die "key add ... key-file failed"
	topo_lcctl 1 key swap lc0 peer "$(topo_pid 1 2)" dir tx || lc_die "key swap failed"
	topo_ping_ok 1 2 3
	i=$(topo_kfield 2 1 rx secondary packets)
	topo_expect_ge "frames under the key from key-file" "$i" 3
	for i in 1 2; do
		for cmd in "-j show" "show" "-j show lc0" "show lc0" "peer show lc0" \
			"-j peer show lc0" "peer show lc0 id $(topo_pid "$i" $((3 - i)))"; do
			# shellcheck disable=SC2086 # cmd is a word list
			out=$(topo_lcctl "$i" $cmd 2>&1) || lc_die "server $i: lcctl $cmd failed: $out"
			all+="$out"$'\n'
		done
		all+=$(ip -n "$(topo_ns "$i")" -d link show lc0)$'\n'
		all+=$(ip -n "$(topo_ns "$i")" -j -d link show lc0)$'\n'
	done
	lc_json no-secrets "$(topo_key_hex 1 2)" "$(topo_key_hex 2 1)" "$hex2" <<<"$all" ||
		lc_die "key material shown"
	expect_keys 1 2 "rx primary $(topo_kid 2 1)
tx primary 99
tx secondary $(topo_kid 1 2)"
	expect_keys 2 1 "rx primary $(topo_kid 1 2)
rx secondary 99
tx primary $(topo_kid 2 1)"
}

# Refused key operations: exit 1 for what the kernel refuses, a failure
# for malformed material, exit 2 for bad usage; the keys stay as they were.
test_key_errors()
{
	local p12 p21 hex v

	topo_build -q -N -M
	p12=$(topo_pid 1 2) p21=$(topo_pid 2 1)
	hex=$(topo_rand_hex 36)
	v=$(rc 1 key swap lc0 peer "$p12" dir tx)
	topo_expect_eq "swap with an empty TX secondary: exit" "$v" 1
	v=$(rc 2 key swap lc0 peer "$p21" dir rx)
	topo_expect_eq "swap with an empty RX secondary: exit" "$v" 1
	v=$(rc 1 key add lc0 peer "$p12" dir tx slot primary id 50 key "$hex")
	topo_expect_eq "add into an occupied slot: exit" "$v" 1
	v=$(rc 2 key add lc0 peer "$p21" dir rx slot secondary id "$(topo_kid 1 2)" key "$hex")
	topo_expect_eq "RX secondary with the primary's key id: exit" "$v" 1
	v=$(rc 1 key del lc0 peer "$p12" dir tx slot secondary)
	topo_expect_eq "delete from an empty slot: exit" "$v" 1
	v=$(rc 1 key add lc0 peer 4242 dir tx slot secondary id 5 key "$hex")
	topo_expect_eq "key for a peer that does not exist: exit" "$v" 1
	v=$(rc 1 key add lc0 peer "$p12" dir tx slot secondary id 5)
	topo_expect_eq "no key material: exit" "$v" 2
	v=$(rc 1 key add lc0 peer "$p12" dir sideways slot secondary id 5 key "$hex")
	topo_expect_eq "bad direction: exit" "$v" 2
	lc_expect_fail topo_lcctl 1 key add lc0 peer "$p12" dir tx slot secondary id 5 \
		key "${hex:0:70}"
	lc_expect_fail topo_lcctl 1 key add lc0 peer "$p12" dir tx slot secondary id 5 \
		key "${hex}00"
	lc_expect_fail topo_lcctl 1 key add lc0 peer "$p12" dir tx slot secondary id 5 \
		key "${hex:0:70}zz"
	v=$(rc 1 key add lc0 peer "$p12" dir tx slot secondary id 256 key "$hex")
	topo_expect_eq "key id 256: exit" "$v" 2
	# A key file others may read is refused.
	printf '%s\n' "$hex" >"$TOPO_TMP/k.hex"
	chmod 644 "$TOPO_TMP/k.hex"
	v=$(rc 1 key add lc0 peer "$p12" dir tx slot secondary id 5 key-file "$TOPO_TMP/k.hex")
	topo_expect_eq "key file with mode 0644: exit" "$v" 1
	expect_keys 1 2 "rx primary $(topo_kid 2 1)
tx primary $(topo_kid 1 2)"
	expect_keys 2 1 "rx primary $(topo_kid 1 2)
tx primary $(topo_kid 2 1)"
	topo_ping_ok 1 2 2
	# Without its TX key, server 1 sends nothing to 2.
	topo_lcctl 1 key del lc0 peer "$p12" dir tx slot primary || lc_die "key del failed"
	v=$(topo_ping 1 "$(topo_ip4 2)" 3 -W 1)
	topo_expect_eq "echo replies without a TX key" "$v" 0
	v=$(topo_pstat 1 2 drop_no_key)
	topo_expect_eq "server 1: drop_no_key" "$v" 3
	# A new key (new id: the old one's counters must never be reused).
	topo_key 2 rx 1 secondary 70 "$hex"
	topo_key 1 tx 2 primary 70 "$hex"
	topo_ping_ok 1 2 2
}

lc_plan 10
lc_case swap_under_load_udp test_swap_udp
lc_case swap_under_load_tcp test_swap_tcp
lc_case soft_limit_event test_soft_limit
lc_case hard_limit_tx_packets test_hard_limit_tx
lc_case hard_limit_rx_packets test_hard_limit_rx
lc_case byte_limits test_byte_limits
lc_case time_limits test_time_limits
lc_case no_key_event_rate_limited test_no_key_event
lc_case key_material_hidden test_key_material_hidden
lc_case key_errors test_key_errors
lc_exit
