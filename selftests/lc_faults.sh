#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Faults while iperf3 runs over lc0: the underlay goes down and up and
# changes its MTU; keys are swapped, deleted and put back in storms; lc0
# moves to another namespace and back; a CPU goes offline; memory runs
# short.  Every time: recovery or a clean error, no kernel warning (the
# VM runs with panic_on_warn), and a capture of the underlay meanwhile
# holds linkcrypt datagrams only (fail-closed).  lc_lifecycle.sh covers
# rmmod, namespace deletion and peer, key and device deletion.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_topo.sh"

topo_require ping iperf3 ss tcpdump

# load: iperf3 1 -> 2, pings with a pattern both ways, the underlay
# captured on server 1.  The stream is limited to 1 Mbit/s (about 90 full
# frames a second, so frames are in flight at every fault) for two
# reasons: the capture stays small under TCG, and the emulated CPU keeps
# room for the faults themselves: at 5 Mbit/s the stream took all of the
# debug kernel's, and its key storm case ran for 32 minutes.
load_start()
{
	PATTERN=$(topo_rand_hex 16)
	topo_cap_start ul 1 "$(topo_ul_dev 1 2)" -s 256
	# The load lasts until load_end stops it (the client, and so the
	# server); its own limits only catch a hang.  On the debug kernel a
	# case can take over a quarter of an hour, so they are an hour.
	local secs=3600

	topo_bg iperf_s timeout $((secs + 20)) ip netns exec "$(topo_ns 2)" iperf3 -s -1
	topo_wait_until 10 topo_listening 2 5201 tcp ||
		lc_die "iperf3 server not listening: $(cat "$TOPO_TMP/iperf_s.err")"
	topo_bg iperf timeout $((secs + 20)) ip netns exec "$(topo_ns 1)" \
		iperf3 -c "$(topo_ip4 2)" -b 1M -t "$secs" -i 1 --forceflush
	topo_bg pings1 timeout $((secs + 20)) ip netns exec "$(topo_ns 1)" \
		ping -n -q -i 0.2 -p "$PATTERN" -s 200 "$(topo_ip4 2)"
	topo_bg pings2 timeout $((secs + 20)) ip netns exec "$(topo_ns 2)" \
		ping -n -q -i 0.2 -p "$PATTERN" -s 200 "$(topo_ip4 1)"
	topo_wait_until 30 iperf_flows || lc_die "iperf3 does not start: $(cat "$TOPO_TMP/iperf.err")"
}

# iperf_flows: the TCP stream of iperf3 still moves data: its last
# one-second report is not zero.
iperf_flows()
{
	local last

	last=$(grep 'bits/sec' "$TOPO_TMP/iperf.log" | tail -n 1)
	case $last in *" 0.00 bits/sec"* | "") return 1 ;; esac
}

# load_end: iperf3 survived and its stream moves again, lc0 answers both
# ways, the capture passes the audit.
load_end()
{
	local out

	topo_bg_running iperf || lc_die "iperf3 over lc0 ended: $(tail -n 3 "$TOPO_TMP/iperf.log")
$(cat "$TOPO_TMP/iperf.err")"
	# TCP backs off while the faults last: give it time to come back.
	topo_wait_until 30 iperf_flows ||
		lc_die "iperf3's stream does not move: $(tail -n 3 "$TOPO_TMP/iperf.log")"
	echo "iperf3: $(grep 'bits/sec' "$TOPO_TMP/iperf.log" | tail -n 1 | tr -s ' ')"
	topo_bg_stop iperf
	topo_ping_ok 1 2 3
	topo_ping_ok 2 1 3
	topo_bg_stop pings1
	topo_bg_stop pings2
	topo_cap_stop ul
	out=$(python3 -I -S "$LC_SELFTESTS/lc_audit.py" "$(topo_pcap ul)" \
		--ports "$(topo_port 1),$(topo_port 2)" \
		--index "$(topo_pid 1 2),$(topo_pid 2 1)" --pattern "$PATTERN") ||
		lc_die "fail-closed audit of the underlay capture"
	echo "underlay audit: $out"
}

# receiver_clean SERVER PEER: no datagram from PEER was refused by SERVER
# (forged, replayed or malformed): what the faults lose, they lose before
# the wire or on it, never by sending something wrong.
receiver_clean()
{
	local v q=(p:$2:drop_auth p:$2:drop_replay d:drop_malformed d:drop_no_peer) k

	mapfile -t v <<<"$(topo_read "$1" "${q[@]}")"
	for k in "${!q[@]}"; do
		[ "${v[k]}" = 0 ] || lc_die "server $1: ${q[k]} is ${v[k]}, expected 0"
	done
}

# The underlay goes down and up three times, then its MTU drops below what
# lc0's frames need and comes back.
test_underlay()
{
	local dev v

	topo_build -q -N -M
	dev=$(topo_ul_dev 1 2)
	load_start
	for v in 1 2; do
		topo_x 1 ip link set "$dev" down
		sleep 0.7
		topo_x 1 ip link set "$dev" up
		sleep 0.7
	done
	for v in 1280 9000 1500; do
		topo_x 1 ip link set "$dev" mtu "$v"
		topo_x 2 ip link set "$(topo_ul_dev 2 1)" mtu "$v"
		sleep 1
	done
	load_end
	v=$(topo_pstat 1 2 drop_tx_error)
	echo "server 1: drop_tx_error $v (frames it could not send meanwhile)"
	receiver_clean 2 1
	receiver_clean 1 2
}

# lcctl_fails WHAT SERVER ARGS...: lcctl must refuse, with a message.
lcctl_fails()
{
	local what=$1 i=$2 out rc=0

	shift 2
	out=$(topo_lcctl "$i" "$@" 2>&1) || rc=$?
	[ $rc -ne 0 ] && [ $rc -lt 128 ] || lc_die "$what: lcctl $* exited $rc: $out"
	[ -n "$out" ] || lc_die "$what: lcctl $* failed without a word"
	echo "$what: $out"
}

# Storms of key swaps and deletions under load.
test_key_storm()
{
	local p1 p2 kid hex n a1 a2

	topo_build -q -N -M
	p1=$(topo_pid 1 2) p2=$(topo_pid 2 1)
	load_start
	# Both keys known to the receiver: 16 TX swaps back and forth lose
	# nothing (each key keeps its own counter, so no nonce repeats).
	kid=$(( (TOPO_KID[1,2] + 100) % 256 ))
	hex=$(topo_rand_hex 36)
	topo_key 2 rx 1 secondary "$kid" "$hex"
	topo_key 1 tx 2 secondary "$kid" "$hex"
	# One shell for the storm: a swap as fast as lcctl goes.
	timeout 300 ip netns exec "$(topo_ns 1)" sh -c "for n in \$(seq 16); do $LCCTL key swap lc0 peer $p1 dir tx || exit 1; done" ||
		lc_die "a TX swap of the storm failed"
	receiver_clean 2 1
	# Rotations, the operator's way, one after the other.
	topo_lcctl 1 key del lc0 peer "$p1" dir tx slot secondary || lc_die "key del failed"
	topo_lcctl 2 key del lc0 peer "$p2" dir rx slot secondary || lc_die "key del failed"
	for n in 1 2; do
		topo_rotate 1 2
		topo_rotate 2 1
	done
	receiver_clean 2 1
	# The receiver's key in use deleted and put back, four times: what
	# arrives meanwhile is dropped and counted, then accepted again.
	a1=$(topo_pstat 2 1 drop_auth)
	for n in $(seq 4); do
		topo_lcctl 2 key del lc0 peer "$p2" dir rx slot primary ||
			lc_die "RX key del $n failed"
		topo_key 2 rx 1 primary "$(topo_kid 1 2)" "$(topo_key_hex 1 2)"
	done
	a2=$(topo_pstat 2 1 drop_auth)
	echo "server 2: $((a2 - a1)) frames dropped while its RX key was away"
	# Clean errors: nothing to swap in, nothing to delete, a slot taken.
	lcctl_fails "swap without a secondary" 1 key swap lc0 peer "$p1" dir tx
	lcctl_fails "delete an empty slot" 1 key del lc0 peer "$p1" dir tx slot secondary
	lcctl_fails "add into a full slot" 1 key add lc0 peer "$p1" dir tx slot primary \
		id 9 key "$(topo_rand_hex 36)"
	load_end
}

# lc0 moves to another namespace while iperf3 runs through it, and back:
# the TCP stream survives, since it only lost its route for a while.
test_netns_move()
{
	local x n

	topo_build -q -N -M
	x=$(lc_ns moved)
	load_start
	for n in 1 2; do
		ip -n "$(topo_ns 1)" link set lc0 netns "$x" || lc_die "move $n to $x failed"
		ip -n "$x" link set lc0 up
		sleep 1
		ip -n "$x" link set lc0 netns "$(topo_ns 1)" || lc_die "move $n back failed"
		ip -n "$(topo_ns 1)" addr add "$(topo_ip4 1)/24" dev lc0
		ip -n "$(topo_ns 1)" link set lc0 up
		ip -n "$(topo_ns 1)" neigh replace "$(topo_ip4 2)" lladdr "$(topo_mac 2)" \
			dev lc0 nud permanent
		sleep 1
	done
	load_end
	receiver_clean 2 1
}

# CPU 1 goes offline and comes back, twice, under load.
test_cpu_hotplug()
{
	local f=/sys/devices/system/cpu/cpu1/online n

	[ -w "$f" ] || lc_skip_case "no CPU 1 to take offline ($f not writable)"
	topo_build -q -N -M
	load_start
	for n in 1 2; do
		echo 0 >"$f" || lc_skip_case "CPU 1 cannot go offline in this VM"
		sleep 1
		echo 1 >"$f" || lc_die "CPU 1 did not come back"
		sleep 1
	done
	[ "$(cat "$f")" = 1 ] || lc_die "CPU 1 is offline"
	load_end
	receiver_clean 2 1
	receiver_clean 1 2
}

# Memory runs short while keys rotate under load.  The Debian kernels have
# no fault injection (CONFIG_FAULT_INJECTION is off: no failslab), so the
# pressure is real: a process takes all but a little of the free memory.
test_memory_pressure()
{
	local avail keep=128 mb

	if [ -d /sys/kernel/debug/failslab ]; then
		echo "note: failslab exists here, but the balloon below is used on every kernel"
	fi
	topo_build -q -N -M
	load_start
	avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
	mb=$((avail - keep))
	[ "$mb" -gt 64 ] || lc_skip_case "only $avail MB available"
	echo "balloon: $mb of $avail MB available"
	# First in line for the OOM killer, should it come to that.  Huge
	# pages where the kernel has them: 4 KiB page faults are slow in TCG.
	topo_bg balloon python3 -I -S -c "
import mmap, time
open('/proc/self/oom_score_adj', 'w').write('1000')
m = mmap.mmap(-1, $mb << 20)
try:
    m.madvise(mmap.MADV_HUGEPAGE)
except (AttributeError, OSError):
    pass
n = len(m) // 4096
m[::4096] = b'\x01' * n
print('full', flush=True)
time.sleep(120)
"
	topo_wait_until 60 grep -q full "$TOPO_TMP/balloon.log" ||
		lc_die "balloon did not fill: $(cat "$TOPO_TMP/balloon.err")"
	grep '^MemAvailable\|^MemFree' /proc/meminfo | tr -s ' ' | sed 's/^/under pressure: /'
	topo_rotate 1 2
	topo_rotate 2 1
	sleep 2
	topo_bg_stop balloon KILL
	load_end
}

lc_plan 5
lc_case underlay_down_up_mtu_under_load test_underlay
lc_case key_swap_del_storms_under_load test_key_storm
lc_case netns_move_and_back_under_load test_netns_move
lc_case cpu_hotplug_under_load test_cpu_hotplug
lc_case memory_pressure_under_load test_memory_pressure
lc_exit
