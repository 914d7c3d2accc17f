#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What crosses the underlay, seen and forged from outside: no plaintext ever
# leaves, the datagrams follow the wire format, nothing leaves without a
# key, and replayed, tampered, wrongly keyed or random datagrams are dropped
# and counted without a frame being delivered.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_topo.sh"

topo_require ping tcpdump ss

# What forged datagrams from server 1's side may move on server 2: its
# entry for server 1, its lc0's own drops, and lc0's rx_packets.
CHECKED="rx_packets drop_auth drop_replay drop_key_expired drop_malformed drop_no_peer sys_rx"

declare -A SNAP=()

# counters: "NAME VALUE" lines, one lcctl call.
counters()
{
	local js

	js=$(topo_json 2)
	lc_json stats lc0 "$(topo_pid 2 1)" <<<"$js"
	echo "sys_rx $(topo_sysstat 2 rx_packets)"
}

snap()
{
	local out n v

	out=$(counters)
	SNAP=()
	while read -r n v; do SNAP[$n]=$v; done <<<"$out"
}

# delta NAME: how much NAME moved since snap.
delta()
{
	local out

	out=$(counters)
	echo $(( $(awk -v n="$1" '$1 == n { print $2 }' <<<"$out") - SNAP[$1] ))
}

# expect_deltas WHAT [NAME=N]...: exactly these changes since snap (0 for
# every checked counter not named), then snap again.
expect_deltas()
{
	local what=$1 out n v want d

	shift
	sleep 0.3
	out=$(counters)
	for n in $CHECKED; do
		want=0
		case " $* " in *" $n="*) want=$(sed -n "s/.* $n=\([0-9]*\) .*/\1/p" <<<" $* ") ;; esac
		v=$(awk -v n="$n" '$1 == n { print $2 }' <<<"$out")
		[ -n "$v" ] || lc_die "no counter $n in: $out"
		d=$((v - SNAP[$n]))
		[ "$d" -eq "$want" ] || lc_die "$what: server 2's $n moved by $d, expected $want"
	done
	SNAP=()
	while read -r n v; do SNAP[$n]=$v; done <<<"$out"
}

# server 1 sends COUNT datagrams of PATTERN through lc0 to server 2.
send_udp()
{
	topo_wire 1 send "$(topo_ip4 2)" 9 --hex "$1" --size "${3:-700}" --count "$2" >/dev/null
}

# No byte pattern sent through lc0 appears on the underlay, though it does
# appear on the receiver's lc0; every datagram follows the wire format.
test_no_plaintext()
{
	local fam=$1 pat out n m

	topo_build -f "$fam" -q -N -M
	pat=$(topo_rand_hex 16)
	topo_cap_start ul 1 "$(topo_ul_dev 1 2)"
	topo_cap_start inner 2 lc0
	topo_ping_ok 1 2 5 -p "$pat" -s 300
	send_udp "$pat" 5
	topo_cap_stop ul
	topo_cap_stop inner
	n=$(lc_wire grep "$(topo_pcap inner)" "$pat")
	echo "pattern seen $n times on server 2's lc0"
	topo_expect_ge "pattern occurrences in clear on lc0 (the check's own control)" "$n" 10
	n=$(lc_wire grep "$(topo_pcap ul)" "$pat")
	topo_expect_eq "pattern occurrences on the underlay" "$n" 0
	# 5 echo requests and 5 UDP datagrams: exactly 10 well-formed datagrams
	# to 2's port, over the chosen family, counters 0..9.
	out=$(lc_wire check "$(topo_pcap ul)" --dport "$(topo_port 2)" \
		--index "$(topo_pid 2 1)" --key-id "$(topo_kid 1 2)" --family "$fam")
	echo "1 -> 2: $out"
	# Two inner flows (ICMP, UDP): one or two source ports (uapi: the
	# source port is derived from the inner flow's hash).
	case $out in
	"count=10 min=0 max=9 sports="[12]) ;;
	*) lc_die "1 -> 2: expected counters 0..9 in 10 datagrams from 1 or 2 ports, got $out" ;;
	esac
	out=$(lc_wire check "$(topo_pcap ul)" --dport "$(topo_port 1)" \
		--index "$(topo_pid 1 2)" --key-id "$(topo_kid 2 1)" --family "$fam")
	echo "2 -> 1: $out"
	case $out in "count=0 "*) lc_die "2 -> 1: no datagram" ;; esac
	# Nothing else: no UDP but to the device ports, no fragments.
	out=$(lc_wire udp "$(topo_pcap ul)")
	n=$(lc_wire udp "$(topo_pcap ul)" --dport "$(topo_port 1)")
	m=$(lc_wire udp "$(topo_pcap ul)" --dport "$(topo_port 2)")
	n=${n%% *} m=${m%% *}
	[ "${out%% *}" = "count=$(( ${n#count=} + ${m#count=} ))" ] ||
		lc_die "UDP other than linkcrypt's: all: $out; to port $(topo_port 1): $n; to port $(topo_port 2): $m"
	case $out in *" frags=0 "*) ;; *) lc_die "fragments on the underlay: $out" ;; esac
}

# Peers but no keys: nothing at all leaves on the device ports.
test_no_key_nothing_sent()
{
	local pat out v

	topo_build -k -q -N -M
	pat=$(topo_rand_hex 16)
	topo_cap_start ul 1 "$(topo_ul_dev 1 2)"
	v=$(topo_ping 1 "$(topo_ip4 2)" 3 -p "$pat" -W 1)
	topo_expect_eq "echo replies without keys" "$v" 0
	send_udp "$pat" 3
	topo_cap_stop ul
	# No UDP at all, on the device ports or any other.
	out=$(lc_wire udp "$(topo_pcap ul)")
	[ "${out%% *}" = count=0 ] || lc_die "UDP datagrams on the underlay: $out"
	v=$(lc_wire grep "$(topo_pcap ul)" "$pat")
	topo_expect_eq "pattern occurrences on the underlay" "$v" 0
	v=$(topo_pstat 1 2 drop_no_key)
	topo_expect_eq "server 1: drop_no_key (3 pings, 3 datagrams)" "$v" 6
	v=$(topo_pstat 1 2 tx_packets)
	topo_expect_eq "server 1: tx_packets to 2" "$v" 0
	v=$(topo_sysstat 1 tx_packets)
	topo_expect_eq "server 1: lc0 tx_packets" "$v" 0
}

# Datagrams captured on their way, sent again from elsewhere (another
# source port, then another source address): all dropped as replays.
test_replay()
{
	local dg out v

	topo_build -q -N -M
	dg=$TOPO_TMP/dgrams
	topo_cap_start ul 1 "$(topo_ul_dev 1 2)" udp
	topo_ping_ok 1 2 5
	topo_cap_stop ul
	out=$(lc_wire udp "$(topo_pcap ul)" --dport "$(topo_port 2)" --out "$dg")
	[ "${out%% *}" = count=5 ] || lc_die "expected 5 datagrams 1 -> 2, captured $out"
	snap
	topo_wire 1 inject "$(topo_ul_addr 1 2)" "$(topo_port 2)" "$dg" >/dev/null
	expect_deltas "5 replays from server 1" drop_replay=5
	# From server 2's own address: the source does not name the peer.
	topo_wire 2 inject "$(topo_ul_addr 1 2)" "$(topo_port 2)" "$dg" >/dev/null
	expect_deltas "5 replays from server 2's own address" drop_replay=5
	v=$(topo_kfield 2 1 rx primary replays)
	topo_expect_eq "server 2: replays counted on the RX key" "$v" 10
	# The genuine flow goes on.
	topo_ping_ok 1 2 2
	v=$(topo_pstat 2 1 drop_replay)
	topo_expect_eq "server 2: drop_replay after more genuine traffic" "$v" 10
}

# Hold back datagrams server 1 sends (its endpoint for 2 is pointed at a
# collector), then give server 2's address back.  Leaves them in $HELD.
hold_datagrams()
{
	local count=$1 ep out v

	HELD=$TOPO_TMP/held
	topo_bg collect timeout 60 ip netns exec "$(topo_ns 2)" \
		python3 -I -S "$LC_SELFTESTS/lc_wire.py" collect "$(topo_ul_addr 1 2)" 9999 \
		"$count" 20 "$HELD"
	topo_wait_until 10 grep -q ready "$TOPO_TMP/collect.log" ||
		lc_die "collector did not start: $(cat "$TOPO_TMP/collect.err")"
	if [ "$TOPO_FAMILY" = 6 ]; then ep="[$(topo_ul_addr 1 2)]"; else ep=$(topo_ul_addr 1 2); fi
	topo_lcctl 1 peer set lc0 id "$(topo_pid 1 2)" endpoint "$ep:9999" ||
		lc_die "peer set endpoint failed"
	send_udp "${2:-6c696e6b63727970}" "$count" 100
	topo_bg_wait collect || lc_die "collector failed: $(cat "$TOPO_TMP/collect.err")"
	out=$(cat "$TOPO_TMP/collect.log")
	echo "$out" | grep -qx "got=$count" || lc_die "held back: $out, expected $count"
	topo_lcctl 1 peer set lc0 id "$(topo_pid 1 2)" endpoint "$(topo_endpoint 1 2)" ||
		lc_die "peer set endpoint failed"
	v=$(topo_json 1 | lc_json peer lc0 "$(topo_pid 1 2)" port)
	topo_expect_eq "server 1: peer 2's port after peer set" "$v" "$(topo_port 2)"
}

# inject ARGS...: from server 1 to server 2's port.
inject()
{
	topo_wire 1 inject "$(topo_ul_addr 1 2)" "$(topo_port 2)" "$@" >/dev/null
}

# Altered datagrams never delivered before: every alteration is caught and
# counted where it belongs; none moves the replay window or spoils the key.
test_tamper()
{
	local v

	topo_build -q -N -M
	hold_datagrams 3
	snap
	# Authentication fails: a bit flipped in the ciphertext, in the
	# counter (+2^16: ahead of the window; +1: the next, unseen one), in
	# the tag; another key id (none installed under it).
	inject "$HELD" --select 0 --xor 20:01 --then --select 0 --xor 13:01 \
		--then --select 0 --xor 15:01 --then --select 0 --xor -1:80 \
		--then --select 0 --xor 1:80
	expect_deltas "ciphertext, counter, tag or key id altered" drop_auth=5
	v=$(topo_kfield 2 1 rx primary auth_failures)
	topo_expect_eq "server 2: auth failures on the RX key (key id aside)" "$v" 4
	inject "$HELD" --select 0 --xor 4:80
	expect_deltas "unknown receiver index" drop_no_peer=1
	# Malformed: a reserved bit, an unknown type, too short for a frame.
	inject "$HELD" --select 0 --xor 3:01 --then --select 0 --xor 0:02 \
		--then --select 0 --truncate 45
	expect_deltas "reserved bit, type or length altered" drop_malformed=3
	# The genuine datagrams are still accepted: nothing above advanced
	# the window (counter 2^16 was forged) or spoiled the key.
	inject "$HELD" --select 0
	expect_deltas "the genuine datagram 0" rx_packets=1 sys_rx=1
	inject "$HELD" --select 0
	expect_deltas "datagram 0 again" drop_replay=1
	# Out of order within the window: 2 then 1.
	inject "$HELD" --select 2 --select 1
	expect_deltas "datagrams 2 and 1" rx_packets=2 sys_rx=2
	topo_ping_ok 1 2 2
}

# The replay window holds at least 8192 counters: datagrams held back
# (counters 0 and 1) are still accepted, once, after 8190 more were
# delivered: the newest counter is then 8191, and 8191 - 0 < 8192.
test_replay_window()
{
	local v p

	topo_build -q -N -M
	hold_datagrams 2
	send_udp 00 8000 16
	sleep 1
	v=$(topo_pstat 2 1 rx_packets)
	echo "server 2 accepted $v of the 8000"
	p=$(topo_kfield 1 2 tx primary packets)
	topo_expect_eq "frames sent under server 1's key" "$p" 8002
	# Up to counter 8190, then 8191 on its own, which must arrive.
	send_udp 00 $((8191 - p)) 16
	sleep 0.5
	snap
	send_udp 01 1 16
	expect_deltas "the datagram with counter 8191" rx_packets=1 sys_rx=1
	p=$(topo_kfield 1 2 tx primary packets)
	topo_expect_eq "frames sent under server 1's key" "$p" 8192
	inject "$HELD" --select 1
	expect_deltas "counter 1, 8190 behind the newest" rx_packets=1 sys_rx=1
	inject "$HELD" --select 0
	expect_deltas "counter 0, 8191 behind the newest" rx_packets=1 sys_rx=1
	inject "$HELD" --select 1 --select 0
	expect_deltas "counters 1 and 0 again" drop_replay=2
}

# Server 2's RX key differs from server 1's TX key: in the key, then only
# in the salt.  Every frame fails authentication; nothing is delivered.
test_wrong_key()
{
	local hex bad kid v tx

	topo_build -k -q -N -M
	topo_key_pair 2 1
	hex=$(topo_rand_hex 36)
	kid=12
	bad=$(topo_rand_hex 36)
	topo_key 1 tx 2 primary "$kid" "$hex"
	topo_key 2 rx 1 primary "$kid" "$bad"
	v=$(topo_ping 1 "$(topo_ip4 2)" 3 -W 1)
	topo_expect_eq "echo replies with the wrong key" "$v" 0
	sleep 0.3
	tx=$(topo_pstat 1 2 tx_packets)
	topo_expect_eq "server 1: frames sent" "$tx" 3
	v=$(topo_pstat 2 1 drop_auth)
	topo_expect_eq "server 2: drop_auth" "$v" "$tx"
	v=$(topo_kfield 2 1 rx primary auth_failures)
	topo_expect_eq "server 2: auth failures on the RX key" "$v" "$tx"
	v=$(topo_pstat 2 1 rx_packets)
	topo_expect_eq "server 2: rx_packets" "$v" 0

	# Right key, wrong salt.
	topo_lcctl 2 key del lc0 peer "$(topo_pid 2 1)" dir rx slot primary ||
		lc_die "key del failed"
	topo_key 2 rx 1 primary "$kid" "${hex:0:64}${bad:64:8}"
	v=$(topo_ping 1 "$(topo_ip4 2)" 3 -W 1)
	topo_expect_eq "echo replies with the wrong salt" "$v" 0
	sleep 0.3
	v=$(topo_pstat 2 1 drop_auth)
	topo_expect_eq "server 2: drop_auth" "$v" 6
	v=$(topo_pstat 2 1 rx_packets)
	topo_expect_eq "server 2: rx_packets" "$v" 0

	# The right key and salt: the same setup works.
	topo_lcctl 2 key del lc0 peer "$(topo_pid 2 1)" dir rx slot primary ||
		lc_die "key del failed"
	topo_key 2 rx 1 primary "$kid" "$hex"
	topo_ping_ok 1 2 3
}

# Random and malformed datagrams at server 2's port: each one counted
# where it belongs, none delivered, the device unharmed.
test_fuzz()
{
	local seed=$RANDOM a v m

	topo_build -q -N -M
	echo "fuzz seed $seed"
	a=(--index "$(topo_pid 2 1)" --key-id "$(topo_kid 1 2)" --seed "$seed")
	snap
	topo_wire 1 fuzz "$(topo_ul_addr 1 2)" "$(topo_port 2)" random:300 "${a[@]}" >/dev/null
	sleep 0.5
	m=$(delta drop_malformed)
	v=$(delta drop_no_peer)
	echo "random: $m malformed, $v for no peer"
	topo_expect_eq "random datagrams counted as malformed or for no peer" $((m + v)) 300
	expect_deltas "random datagrams" drop_malformed="$m" drop_no_peer="$v"
	topo_wire 1 fuzz "$(topo_ul_addr 1 2)" "$(topo_port 2)" unknown-index:50 "${a[@]}" >/dev/null
	expect_deltas "unknown receiver index" drop_no_peer=50
	# Reserved bits set, unknown types, shorter than header + Ethernet
	# header + tag (0..45 bytes, each length twice).
	topo_wire 1 fuzz "$(topo_ul_addr 1 2)" "$(topo_port 2)" reserved:40 type:40 short:92 \
		"${a[@]}" >/dev/null
	expect_deltas "reserved bits, unknown types, too short" drop_malformed=172
	# Key ids not installed; random ciphertext under the right key id.
	topo_wire 1 fuzz "$(topo_ul_addr 1 2)" "$(topo_port 2)" key-id:30 tag:30 \
		"${a[@]}" >/dev/null
	expect_deltas "unknown key ids and forged tags" drop_auth=60
	v=$(topo_kfield 2 1 rx primary auth_failures)
	topo_expect_eq "server 2: auth failures on the RX key (forged tags)" "$v" 30
	ip -n "$(topo_ns 2)" link show lc0 | grep -q "state UNKNOWN\|state UP" ||
		lc_die "lc0 is not up any more"
	topo_ping_ok 1 2 3
	topo_ping_ok 2 1 3
}

lc_plan 8
lc_case no_plaintext_ipv4_underlay test_no_plaintext 4
lc_case no_plaintext_ipv6_underlay test_no_plaintext 6
lc_case no_key_nothing_sent test_no_key_nothing_sent
lc_case replay_dropped test_replay
lc_case tamper_dropped test_tamper
lc_case replay_window_8192 test_replay_window
lc_case wrong_key_dropped test_wrong_key
lc_case random_datagrams_dropped test_fuzz
lc_exit
