#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Attacked on purpose: random and mutated netlink requests against the
# family and the link kind (lc_nlfuzz), random and mutated datagrams against
# the port (lc_pktfuzz).  Every request is answered and undone, every
# datagram dropped and counted under the reason it deserves, nothing
# reaches lc0, the device works afterwards, and what lc0 sends on the
# underlay meanwhile is linkcrypt and nothing else.  Seeds are printed:
#   LC_FUZZ_SEED=N ./lc_fuzz.sh   replays a run.
# Sizes: LC_NLFUZZ_COUNT (default 100000), LC_PKTFUZZ_COUNT (1000000).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_topo.sh"

topo_require ping tcpdump ss taskset

LC_BIN=${LC_BIN:-${OUTPUT:-$LC_REPO/build/selftests}}
NLFUZZ=$LC_BIN/lc_nlfuzz
PKTFUZZ=$LC_BIN/lc_pktfuzz
for b in "$NLFUZZ" "$PKTFUZZ"; do
	[ -x "$b" ] || { echo "# SKIP: $b not built (make -C selftests)"; exit "$KSFT_SKIP"; }
done
SEED=${LC_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
NL_COUNT=${LC_NLFUZZ_COUNT:-100000}
PKT_COUNT=${LC_PKTFUZZ_COUNT:-1000000}

# Unreclaimable slab, in kB: what leaked kernel objects would add to.
sunreclaim() { awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo; }

# audit NAME [any]: the underlay capture NAME holds linkcrypt datagrams of
# our two servers only, and the pattern nowhere.  "any": their ports and
# receiver indices may be anything (the netlink fuzzer changes peers).
audit()
{
	local out ports index

	ports="$(topo_port 1),$(topo_port 2)"
	index="$(topo_pid 1 2),$(topo_pid 2 1)"
	[ "${2:-}" != any ] || ports=any index=any
	out=$(python3 -I -S "$LC_SELFTESTS/lc_audit.py" "$(topo_pcap "$1")" \
		--ports "$ports" --index "$index" --pattern "$PATTERN") ||
		lc_die "fail-closed audit of the underlay capture"
	echo "underlay audit: $out"
}

# Background pings with a pattern, so that a leak would show it.
pattern_pings()
{
	PATTERN=$(topo_rand_hex 16)
	topo_bg pings1 timeout 300 ip netns exec "$(topo_ns 1)" \
		ping -n -q -i 0.2 -p "$PATTERN" -s 200 "$(topo_ip4 2)"
	topo_bg pings2 timeout 300 ip netns exec "$(topo_ns 2)" \
		ping -n -q -i 0.2 -p "$PATTERN" -s 200 "$(topo_ip4 1)"
}

# Requests of every kind, valid and broken, privileged or not, from here and
# from another namespace, at server 1's lc0; then the device works.
test_nlfuzz()
{
	local before after t0 t1 rc=0

	topo_build -q -N -M
	topo_ping_ok 1 2 1
	topo_cap_start ul 1 "$(topo_ul_dev 1 2)" -s 256
	pattern_pings
	sync
	before=$(sunreclaim)
	t0=$(date +%s)
	echo "lc_nlfuzz seed $SEED"
	ip netns exec "$(topo_ns 1)" "$NLFUZZ" -s "$SEED" -n "$NL_COUNT" -d lc0 \
		-P "$(topo_pid 1 2)" -R "$(topo_pid 2 1)" \
		-e "$(topo_ul_addr 1 2):$(topo_port 2)" -m "$(topo_mac 2)" \
		-t "$(topo_kid 1 2)" -r "$(topo_kid 2 1)" || rc=$?
	t1=$(date +%s)
	echo "lc_nlfuzz: $NL_COUNT requests in $((t1 - t0)) s"
	[ $rc -eq 0 ] || lc_die "lc_nlfuzz failed (seed $SEED)"
	# Fuzzed keys were put back with fresh material: a rotation each way
	# gives both sides matching keys again, through the ordinary path.
	topo_rotate 1 2
	topo_rotate 2 1
	topo_ping_ok 1 2 3
	topo_ping_ok 2 1 3
	topo_bg_stop pings1
	topo_bg_stop pings2
	topo_cap_stop ul
	audit ul any
	after=$(sunreclaim)
	echo "unreclaimable slab: $before kB before, $after kB after"
	# A leak of one small object per request would be several MB here;
	# what the namespaces and captures allocate meanwhile is far less.
	[ $((after - before)) -lt 3072 ] ||
		lc_die "unreclaimable slab grew by $((after - before)) kB over $NL_COUNT requests"
}

declare -A SNAP=()

# counters: "NAME VALUE" lines for server 2: its entry for server 1, its
# lc0's own drops, lc0's rx_packets, the UDP datagrams its stack took, and
# what the stack dropped below UDP: IP discards and failed reassemblies in
# server 2's namespace, full backlogs anywhere (softnet_stat is global).
counters()
{
	local js

	js=$(topo_json 2)
	lc_json stats lc0 "$(topo_pid 2 1)" <<<"$js"
	echo "sys_rx $(topo_sysstat 2 rx_packets)"
	topo_x 2 awk '
		/^Ip:/ && $2 !~ /^[0-9]/ { for (i = 2; i <= NF; i++) ip[$i] = i }
		/^Ip:/ && $2 ~ /^[0-9]/ { print "ip_drop", $ip["InDiscards"] + $ip["ReasmFails"] + $ip["InHdrErrors"] }
		/^Udp:/ && $2 !~ /^[0-9]/ { for (i = 2; i <= NF; i++) udp[$i] = i }
		/^Udp:/ && $2 ~ /^[0-9]/ { print "udp_in", $udp["InDatagrams"]; print "udp_err", $udp["InErrors"] }
	' /proc/net/snmp
	backlog_drops
}

# Packets dropped by full backlogs, all CPUs (hex, second column).
backlog_drops()
{
	local drops n=0

	while read -r _ drops _; do
		n=$((n + 16#$drops))
	done </proc/net/softnet_stat
	echo "backlog_drop $n"
}

snap()
{
	local n v

	SNAP=()
	while read -r n v; do SNAP[$n]=$v; done <<<"$(counters)"
}

# deltas: sets D[NAME] to how much NAME moved since snap.
declare -A D=()
deltas()
{
	local n v

	D=()
	while read -r n v; do D[$n]=$((v - ${SNAP[$n]:-0})); done <<<"$(counters)"
}

# Real datagrams 1 -> 2, captured on the way, and what server 2 accepted.
capture_real()
{
	local out n rx

	topo_cap_start real 1 "$(topo_ul_dev 1 2)" udp and dst port "$(topo_port 2)"
	# In rounds: a burst would overrun tcpdump under TCG.
	for n in 1 2 3 4 5 6 7 8; do
		topo_wire 1 send "$(topo_ip4 2)" 9 --hex 6c696e6b --size $((100 * n + 100)) \
			--count 32 >/dev/null
	done
	topo_cap_stop real
	REAL=$TOPO_TMP/real
	out=$(lc_wire udp "$(topo_pcap real)" --dport "$(topo_port 2)" --out "$REAL")
	n=$(sed 's/^count=\([0-9]*\).*/\1/' <<<"$out")
	rx=$(topo_pstat 2 1 rx_packets)
	topo_expect_eq "datagrams 1 -> 2 captured" "$n" 256
	# lc_pktfuzz predicts replays from "every counter up to TOP was seen".
	topo_expect_eq "server 2: frames accepted from 1" "$rx" 256
	topo_expect_eq "server 1: frames under its TX key" \
		"$(topo_kfield 1 2 tx primary packets)" 256
	TOP=255
}

# Forged datagrams of every kind at server 2's port: each one dropped and
# counted under its reason (precisely: the counts lc_pktfuzz predicts), no
# frame on lc0, and lc0 unharmed.
test_pktfuzz()
{
	local out t0 t1 k sum want n got lost stack backlog

	topo_build -q -N -M
	capture_real
	topo_cap_start back 2 "$(topo_ul_dev 2 1)" -s 256 src host "$(topo_ul_addr 1 2)"
	PATTERN=$(topo_rand_hex 16)
	# Two senders at full speed can overrun a CPU's backlog (1000
	# packets): give it room, the machine's setting comes back after.
	backlog=$(sysctl -n net.core.netdev_max_backlog)
	sysctl -qw net.core.netdev_max_backlog=10000
	snap
	# One sender a CPU, seeds SEED and SEED+1: the predictions add up.
	t0=$(date +%s)
	for k in 0 1; do
		echo "lc_pktfuzz seed $((SEED + k))"
		topo_bg "pktfuzz$k" ip netns exec "$(topo_ns 1)" taskset -c $((k % $(nproc))) "$PKTFUZZ" \
			-s $((SEED + k)) -n $((PKT_COUNT / 2 + k * (PKT_COUNT % 2))) \
			-d "$(topo_ul_addr 1 2)" -p "$(topo_port 2)" -i "$(topo_pid 2 1)" \
			-k "$(topo_kid 1 2)" -t "$TOP" -c "$REAL" -w "$(topo_ns 2):lc0"
	done
	declare -A E=()
	for k in 0 1; do
		topo_bg_wait "pktfuzz$k" ||
			lc_die "lc_pktfuzz failed: $(cat "$TOPO_TMP/pktfuzz$k.err")"
		out=$(tail -n 1 "$TOPO_TMP/pktfuzz$k.log")
		echo "$out"
		for n in $out; do E[${n%%=*}]=$(( ${E[${n%%=*}]:-0} + ${n#*=} )); done
	done
	t1=$(date +%s)
	echo "lc_pktfuzz: $PKT_COUNT datagrams in $((t1 - t0)) s"
	topo_expect_eq "datagrams sent" "${E[sent]}" "$PKT_COUNT"
	topo_expect_eq "frames the packet socket on server 2's lc0 saw" "${E[delivered]}" 0
	# Decryption may finish asynchronously: wait until every datagram the
	# stack took is counted somewhere.
	n=100
	while :; do
		deltas
		sum=$((D[drop_malformed] + D[drop_no_peer] + D[drop_auth] + D[drop_replay] +
		       D[drop_key_expired] + D[rx_packets]))
		[ "$sum" -lt "${D[udp_in]}" ] && [ $n -gt 0 ] || break
		n=$((n - 1))
		sleep 0.2
	done
	echo "server 2 took ${D[udp_in]} UDP datagrams; counted: malformed ${D[drop_malformed]}" \
		"no_peer ${D[drop_no_peer]} auth ${D[drop_auth]} replay ${D[drop_replay]}" \
		"key_expired ${D[drop_key_expired]} rx ${D[rx_packets]}"
	lost=$((PKT_COUNT - D[udp_in]))
	stack=$((D[ip_drop] + D[udp_err] + D[backlog_drop]))
	echo "lost below linkcrypt: $lost; the stack counted ip ${D[ip_drop]} (discards," \
		"failed reassemblies: one datagram may fail twice) udp ${D[udp_err]}" \
		"backlog ${D[backlog_drop]}"
	# Every datagram is accounted for: by linkcrypt's reasons once it
	# reached the socket, else by the stack's own drop counters.
	[ "$lost" -ge 0 ] && [ "$lost" -le "$stack" ] ||
		lc_die "$lost datagrams lost on the way, the stack counted $stack drops"
	topo_expect_eq "drops counted by linkcrypt on server 2, all reasons" "$sum" "${D[udp_in]}"
	# The stack may lose a few when both senders fill a backlog at once;
	# more would mean the run tested less than it claims.
	[ $((lost * 1000)) -le "$PKT_COUNT" ] || lc_die "$lost datagrams lost below linkcrypt"
	topo_expect_eq "datagrams linkcrypt predicted and counted differ by the lost" \
		$((E[malformed] + E[no_peer] + E[auth] + E[replay] - lost)) "$sum"
	# Per reason: exact when nothing was lost below; else within the loss.
	for k in malformed no_peer auth replay; do
		want=${E[$k]}
		got=${D[drop_$k]}
		if [ "$lost" -eq 0 ]; then
			topo_expect_eq "server 2: drop_$k (predicted by lc_pktfuzz)" "$got" "$want"
		elif [ "$got" -gt "$want" ] || [ "$got" -lt $((want - lost)) ]; then
			lc_die "server 2: drop_$k is $got, predicted $want (less at most the $lost lost)"
		fi
	done
	topo_expect_eq "server 2: frames accepted from forgeries" "${D[rx_packets]}" 0
	topo_expect_eq "server 2: lc0 rx_packets" "${D[sys_rx]}" 0
	topo_expect_eq "server 2: drop_key_expired" "${D[drop_key_expired]}" 0
	sysctl -qw net.core.netdev_max_backlog="$backlog"
	# lc0 unharmed: the genuine flow goes on, both ways.
	topo_ping_ok 1 2 3
	topo_ping_ok 2 1 3 -p "$PATTERN"
	topo_cap_stop back
	audit back
}

lc_plan 2
lc_case netlink_fuzz test_nlfuzz
lc_case packet_fuzz test_pktfuzz
lc_exit
