#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Key negotiation (lcctl up), setup: two and three servers agree keys over
# TLS 1.3, pinned and CA-verified; both sides started at the same instant
# converge to one session; SIGHUP adds and removes a peer without
# disturbing the others.  (Refused peers: lc_negot_trust.sh.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_topo.sh"
source "$(dirname "$0")/lib_negot.sh"

# RekeyAfter for every case here: they count epochs (one session, none
# renegotiated by a reload), and a case can outlast a minute (a quarter of
# an hour on the debug kernel); lc_negot_rekey.sh tests timed rekeys.
readonly REKEY=1h

topo_require ping openssl ss

# pair_agrees I J: the keys agree (now: no session under way) and each
# side learnt the other's index for it as remote id.
pair_agrees()
{
	local i=$1 j=$2

	negot_wait 30 negot_agree "$i" "$j" ||
		lc_die "keys differ: server $i: $(topo_keys "$i" "$j" | paste -sd,); server $j: $(topo_keys "$j" "$i" | paste -sd,)"
	topo_expect_eq "server $i: remote id of peer $j" "$(topo_read "$i" "p:$j:remote_id")" "$(topo_pid "$j" "$i")"
	topo_expect_eq "server $j: remote id of peer $i" "$(topo_read "$j" "p:$i:remote_id")" "$(topo_pid "$i" "$j")"
}

# no_traffic I J: pings from I to J get no answer.
no_traffic()
{
	local v

	v=$(topo_ping "$1" "$(topo_ip4 "$2")" 3 -W 1)
	topo_expect_eq "server $1: echo replies from $2 without keys" "$v" 0
}

# Two servers pinning each other's fingerprint: keys both ways, the same on
# both sides, traffic, no drop, no secret in the logs; SIGTERM deletes the
# keys and exits 0.
test_pinned()
{
	topo_build -P -q -N
	negot_conf 1 -r "$REKEY" 2
	negot_conf 2 -r "$REKEY" 1
	negot_start 1
	negot_start 2
	negot_wait_pair 1 2
	pair_agrees 1 2
	topo_ping_ok 1 2 5
	topo_ping_ok 2 1 3
	topo_no_drops 1 2
	topo_no_drops 2 1
	negot_no_secrets 1
	negot_no_secrets 2
	negot_stop 1
	negot_no_keys 1
	no_traffic 2 1
}

# Three servers, each trusting the CA and naming its peers: every pair
# agrees keys and talks.
test_ca_three()
{
	local i j

	topo_build -n 3 -P -q -N
	for i in 1 2 3; do
		# shellcheck disable=SC2046 # peer list
		negot_conf "$i" -r "$REKEY" -c "$NEGOT_PKI/s$i.ca1.crt" -a "$NEGOT_PKI/ca1.pem" \
			$(for j in 1 2 3; do [ "$j" = "$i" ] || echo "$j@"; done)
	done
	for i in 1 2 3; do
		negot_start "$i"
	done
	for i in 1 2; do
		for j in $(seq $((i + 1)) 3); do
			negot_wait_pair "$i" "$j"
			pair_agrees "$i" "$j"
		done
	done
	topo_ping_ok 1 2 3
	topo_ping_ok 1 3 3
	topo_ping_ok 2 3 3
	topo_ping_ok 3 1 3
}

# in_fifo_open PID: the process is blocked opening a FIFO, waiting for the
# other end.
in_fifo_open()
{
	grep -qE '^(fifo_open|wait_for_partner)$' "/proc/$1/wchan" 2>/dev/null
}

# is_lcctl PID: the process has become lcctl.
is_lcctl() { [ "$(cat "/proc/$1/comm" 2>/dev/null)" = lcctl ]; }

# start_together I J: both daemons start at the same instant: each opens a
# FIFO for reading, which blocks until a writer opens it.  On a loaded host
# a shell may take seconds to get there, so the writer waits until every one
# is blocked in that open, and keeps its end open until each has become
# lcctl: a reader that came late must start late, never block for ever.
start_together()
{
	local i pid f=$TOPO_TMP/go pids=()

	rm -f "$f"
	mkfifo "$f"
	for i in "$@"; do
		echo "=== start together $(date +%T.%N)" >>"$(negot_log "$i")"
		# shellcheck disable=SC2016 # expanded by sh
		ip netns exec "$(topo_ns "$i")" sh -c 'exec 3<"$1"; shift; exec "$@"' sh \
			"$f" "$LCCTL" up lc0 -c "$TOPO_TMP/s$i.conf" -v \
			</dev/null >/dev/null 2>>"$(negot_log "$i")" &
		TOPO_PIDS["up$i"]=$!
		pids+=("$!")
	done
	for pid in "${pids[@]}"; do
		negot_wait 30 in_fifo_open "$pid" ||
			echo "pid $pid not seen waiting on the FIFO; starting anyway"
	done
	exec 4<>"$f"
	for pid in "${pids[@]}"; do
		negot_wait 30 is_lcctl "$pid" ||
			lc_die "pid $pid did not start lcctl in 30s"
	done
	exec 4>&-
}

# run_epochs I J: epochs installed for J since I's daemon last started.
run_epochs()
{
	run_log "$1" |
		sed -n "s/.*: peer $(topo_pid "$1" "$2"): epoch \([0-9]*\): keys installed.*/\1/p"
}

# run_log I: what I's daemon logged since it last started, oldest first.
run_log() { tac "$(negot_log "$1")" | sed '/^=== start/q' | tac; }

# run_sessions I: what I's daemon said of sessions and keys since it last
# started (for a failure's message).
run_sessions()
{
	run_log "$1" | grep -E 'rekeying|tie-break|keys installed|session|connecting' |
		sed "s/^/server $1: /"
}

# Both daemons start at the same instant, three times: each time they end
# up with one session (one epoch, the same on both sides), one key each
# way, and traffic.
test_simultaneous()
{
	local round ea eb

	topo_build -P -q -N
	negot_conf 1 -r "$REKEY" 2
	negot_conf 2 -r "$REKEY" 1
	for round in 1 2 3; do
		start_together 1 2
		negot_wait_pair 1 2
		# Let a second session, if any, finish.
		sleep 1
		ea=$(run_epochs 1 2 | paste -sd' ')
		eb=$(run_epochs 2 1 | paste -sd' ')
		echo "round $round: epochs: server 1 '$ea', server 2 '$eb'"
		[ -n "$ea" ] && [ "$ea" = "$eb" ] && [ "${ea// /}" = "$ea" ] ||
			lc_die "round $round: not one session: epochs '$ea' and '$eb'; the daemons said:
$(run_sessions 1)
$(run_sessions 2)"
		[ "$(topo_keys 1 2 | paste -sd,)" = "rx primary $ea,tx primary $ea" ] ||
			lc_die "round $round: server 1's keys: $(topo_keys 1 2 | paste -sd,)"
		pair_agrees 1 2
		topo_ping_ok 1 2 2
		negot_stop 1
		negot_stop 2
	done
	echo "tie-breaks logged: $(cat "$(negot_log 1)" "$(negot_log 2)" | grep -c tie-break)"
}

# has_peer I J: server I's kernel has a peer entry for server J.
has_peer()
{
	local js

	js=$(topo_json "$1")
	lc_json peers lc0 <<<"$js" | grep -qx "$(topo_pid "$1" "$2")"
}

has_no_peer() { ! has_peer "$@"; }

# ping_bg NAME I J SECONDS: a ping from I to J every 0.1 s, in the background.
ping_bg()
{
	topo_bg "$1" timeout $(($4 + 30)) ip netns exec "$(topo_ns "$2")" \
		ping -n -q -i 0.1 -W 2 -c $(($4 * 10)) "$(topo_ip4 "$3")"
}

# ping_bg_lossless NAME: the background ping saw every reply.
ping_bg_lossless()
{
	topo_bg_wait "$1" || true
	grep -q ' 0% packet loss' "$TOPO_TMP/$1.log" ||
		lc_die "$1: $(grep -E 'transmitted|loss' "$TOPO_TMP/$1.log")"
}

# SIGHUP: server 1 starts with peer 2 only, is told about peer 3, then
# forgets peer 2.  Each reload leaves the other peer alone: its session is
# not renegotiated and its traffic loses nothing.  The removed peer leaves
# the kernel, with its keys.
test_sighup()
{
	local pid e2 e3

	topo_build -n 3 -P -q -N
	negot_conf 1 -r "$REKEY" 2
	negot_conf 2 -r "$REKEY" 1 3
	negot_conf 3 -r "$REKEY" 1 2
	negot_start 1
	negot_start 2
	negot_start 3
	pid=${TOPO_PIDS[up1]}
	negot_wait_pair 1 2
	negot_wait_pair 2 3
	has_peer 1 3 && lc_die "server 1 has a peer 3 before it is configured"
	e2=$(negot_nepochs 1 2)
	ping_bg ping12 1 2 6
	sleep 1
	negot_conf 1 -r "$REKEY" 2 3
	kill -HUP "$pid"
	negot_wait_pair 1 3
	pair_agrees 1 3
	topo_ping_ok 1 3 2
	ping_bg_lossless ping12
	negot_running 1 || lc_die "server 1's daemon exited on SIGHUP"
	topo_expect_eq "epochs with peer 2 across the reload" "$(negot_nepochs 1 2)" "$e2"

	e3=$(negot_nepochs 1 3)
	ping_bg ping13 1 3 5
	sleep 1
	negot_conf 1 -r "$REKEY" 3
	kill -HUP "$pid"
	negot_wait 20 has_no_peer 1 2 ||
		lc_die "server 1 still has peer 2 after a reload without it"
	ping_bg_lossless ping13
	topo_expect_eq "epochs with peer 3 across the reload" "$(negot_nepochs 1 3)" "$e3"
	no_traffic 1 2
	negot_running 1 || lc_die "server 1's daemon exited on SIGHUP"
	[ "${TOPO_PIDS[up1]}" = "$pid" ] || lc_die "server 1's daemon changed"
	# Server 2 and 3 still talk.
	topo_ping_ok 2 3 2
}

lc_plan 4
negot_pki 3
lc_case pinned_two_servers test_pinned
lc_case ca_three_servers test_ca_three
lc_case simultaneous_start_one_session test_simultaneous
lc_case sighup_adds_and_removes_peer test_sighup
lc_exit
