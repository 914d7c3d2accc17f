#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Key negotiation (lcctl up) over time: rekeys every 2 s under iperf3 lose
# nothing; a daemon killed with SIGKILL leaves traffic running until the
# keys' hard limit, then nothing at all crosses the link (fail-closed,
# never plaintext); a restarted daemon, or a restarted peer, renegotiates;
# a flood of bogus TCP connections does not stop an established peer from
# rekeying.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_topo.sh"
source "$(dirname "$0")/lib_negot.sh"

topo_require ping iperf3 tcpdump ss

# two_up [negot_conf options]: two servers, their daemons, keys agreed.
two_up()
{
	topo_build -P -q -N
	negot_conf 1 "$@" 2
	negot_conf 2 "$@" 1
	negot_start 1
	negot_start 2
	negot_wait_pair 1 2
}

# Rekeys every 2 s (a new TLS session, new keys, swapped in) while iperf3
# sends UDP at 10 Mbit/s from 1 to 2: several epochs pass, linkcrypt
# delivers every frame sent and drops none, and iperf3 loses no datagram
# but to the receiving socket's own buffer (a starved CPU under TCG).
test_rekey_under_load()
{
	local t=10 e1 e2 base

	two_up -r 2s
	e1=$(negot_nepochs 1 2)
	e2=$(negot_nepochs 2 1)
	topo_iperf_server 2
	base=$(topo_udp_base 1 2)
	topo_bg udp timeout $((t + 60)) ip netns exec "$(topo_ns 1)" \
		iperf3 -c "$(topo_ip4 2)" -u -b 10M -l 1200 -w 200K -t "$t" -J
	topo_bg_wait udp || lc_die "iperf3 failed: $(lc_json iperf "$TOPO_TMP/udp.log" error)"
	e1=$(( $(negot_nepochs 1 2) - e1 ))
	e2=$(( $(negot_nepochs 2 1) - e2 ))
	echo "epochs during ${t}s of traffic: server 1 $e1, server 2 $e2"
	topo_expect_ge "epochs installed by server 1 during the traffic" "$e1" 2
	topo_expect_ge "epochs installed by server 2 during the traffic" "$e2" 2
	# Across the rotations: every frame arrived, and iperf3 lost only what
	# the receiving socket's buffer dropped.  The flow carries what the
	# machine can of the 10 Mbit/s offered (all of it on a stock kernel,
	# about 300 kbit/s on the debug kernel): ten datagrams per epoch or
	# more, so that datagrams flowed across every key change.
	topo_expect_udp_delivered 1 2 "$TOPO_TMP/udp.log" "$base" $((10 * e1))
	topo_no_drops 1 2
	topo_no_drops 2 1
	negot_no_secrets 1
}

# ping_log SERVER PEER SECONDS NAME [ping args]: pings every 0.2 s with
# their times (-D), in the background, into $TOPO_TMP/NAME.log.
ping_log()
{
	local i=$1 j=$2 secs=$3 name=$4

	shift 4
	topo_bg "$name" timeout $((secs + 30)) ip netns exec "$(topo_ns "$i")" \
		ping -n -D -i 0.2 -W 1 -w "$secs" "$@" "$(topo_ip4 "$j")"
}

# last_reply NAME: the time (s.us, CLOCK_REALTIME) of the last reply.
last_reply()
{
	sed -n 's/^\[\([0-9.]*\)\] .*bytes from.*/\1/p' "$TOPO_TMP/$1.log" | tail -n 1
}

# tx_expiry SERVER PEER JSON WHEN: when SERVER's TX key for PEER reaches its
# hard limit (seconds, CLOCK_REALTIME, to the second), from lcctl -j show
# output JSON taken at WHEN (parsed later: python is slow under TCG).
tx_expiry()
{
	local left

	# lc_json.py knows no key ages or time limits: read them here.
	left=$(python3 -I -S -c '
import json, sys
for d in json.loads(sys.stdin.read()):
    for p in d.get("peers") or []:
        if p.get("id") == int(sys.argv[1]):
            for k in p.get("keys") or []:
                if k["dir"] == "tx" and k["slot"] == "primary":
                    print(k["hard_seconds"] - k["age_seconds"])
' "$(topo_pid "$1" "$2")" <<<"$3")
	[ -n "$left" ] || lc_die "server $1 has no TX key for $2: $3"
	echo $(( $4 + left ))
}

# Server 1's daemon is killed (SIGKILL: no cleanup).  Its keys keep
# traffic going until their hard limit, then nothing passes and nothing at
# all goes out on the link: no frame in clear, no datagram.  The daemon
# started again negotiates, and traffic resumes.
test_killed()
{
	local pat=6c696e6b6372797074706c61696e2121 e1 e2 exp last cnt f j1 j2 t1 t2 t0 u

	# KeyLifetime must outlast the reads after the kill (two lcctl and two
	# python starts) with time to spare: at least 20 s, and 8 times one
	# such pair on this machine (some seconds on the debug kernel).
	t0=${EPOCHREALTIME/./}
	"$LCCTL" -j show >/dev/null
	python3 -I -S -c pass
	u=$(( (${EPOCHREALTIME/./} - t0) * 8 / 1000000 + 1 ))
	[ "$u" -ge 20 ] || u=20
	echo "KeyLifetime: $u s"
	two_up -r 2s -l "${u}s"
	topo_cap_start cap 1 to2
	negot_stop 1 KILL
	j1=$(topo_json 1)
	t1=$EPOCHSECONDS
	j2=$(topo_json 2)
	t2=$EPOCHSECONDS
	e1=$(tx_expiry 1 2 "$j1" "$t1")
	e2=$(tx_expiry 2 1 "$j2" "$t2")
	exp=$(( e1 < e2 ? e1 : e2 ))
	echo "after SIGKILL: server 1's TX key expires in $((e1 - EPOCHSECONDS))s, server 2's in $((e2 - EPOCHSECONDS))s"
	# Inconclusive, not failed, on a machine so slow that reading the
	# keys took most of their lifetime (as lc_keys.sh does for iperf3).
	[ $((exp - EPOCHSECONDS)) -ge 3 ] ||
		lc_skip_case "reading the keys after the kill took longer than their ${u}s lifetime (machine too slow): nothing proven"
	ping_log 1 2 $((exp - EPOCHSECONDS + 2)) ping -p "$pat"
	topo_bg_wait ping || true
	topo_cap_stop cap
	last=$(last_reply ping)
	[ -n "$last" ] || lc_die "no echo reply at all after the daemon was killed: $(tail -n 3 "$TOPO_TMP/ping.log")"
	echo "last echo reply $(awk -v l="$last" -v e="$exp" 'BEGIN { printf "%.1f", l - e }')s from the hard limit"
	# Until the hard limit (ages are whole seconds; pings may lag)...
	awk -v l="$last" -v e="$exp" 'BEGIN { exit !(l >= e - 2.5) }' ||
		lc_die "traffic stopped before the hard limit"
	# ... and not after.
	awk -v l="$last" -v e="$exp" 'BEGIN { exit !(l <= e + 1.5) }' ||
		lc_die "traffic went on after the hard limit"
	# Expired keys: nothing goes out, counted as such.
	topo_cap_start after 1 to2
	cnt=$(topo_ping 1 "$(topo_ip4 2)" 3 -W 1 -p "$pat")
	topo_expect_eq "echo replies after the hard limit" "$cnt" 0
	topo_cap_stop after
	cnt=$(topo_read 1 p:2:drop_key_expired)
	topo_expect_ge "server 1: drop_key_expired" "$cnt" 3
	for f in cap after; do
		cnt=$(lc_wire grep "$(topo_pcap "$f")" "$pat")
		topo_expect_eq "the ping pattern in the $f capture" "$cnt" 0
		# Only linkcrypt's UDP and the daemons' TCP cross the link.
		cnt=$(tcpdump -n -r "$(topo_pcap "$f")" \
			"not arp and not icmp6 and not ((udp or tcp) and (port $(topo_port 1) or port $(topo_port 2)))" \
			2>/dev/null | wc -l)
		topo_expect_eq "other packets in the $f capture" "$cnt" 0
	done
	cnt=$(lc_wire udp "$(topo_pcap after)" --port "$(topo_port 2)")
	[ "${cnt%% *}" = count=0 ] ||
		lc_die "datagrams sent under expired keys: $cnt"
	cnt=$(lc_wire udp "$(topo_pcap cap)" --dport "$(topo_port 2)")
	topo_expect_ge "linkcrypt datagrams before the hard limit" "$(sed 's/count=\([0-9]*\).*/\1/' <<<"$cnt")" 5
	# Restarted, the daemon negotiates again.
	negot_start 1
	negot_wait 30 negot_ping_once 1 2 ||
		lc_die "no traffic after the daemon was restarted"
	# Rekeys every 2 s: two lcctl calls may straddle one; the ping above
	# is the atomic proof, this the kernel's view when it holds still.
	negot_wait_pair 1 2
}

# pair_agrees_now I J: I's TX key is J's RX key, and back (polled: a rekey
# may be under way).
pair_agrees_now()
{
	negot_wait 30 negot_agree "$1" "$2" ||
		lc_die "keys differ: server $1: $(topo_keys "$1" "$2" | paste -sd,); server $2: $(topo_keys "$2" "$1" | paste -sd,)"
}

# A daemon killed and restarted at once (its kernel state left behind),
# then the peer's daemon stopped and started: each time the sessions are
# renegotiated, to a higher epoch, and traffic resumes.
test_restart()
{
	local e

	two_up -r 60s
	topo_ping_ok 1 2 2
	e=$(negot_epochs 2 1 | tail -n 1)
	negot_stop 1 KILL
	negot_start 1
	negot_wait 30 negot_epochs_ge 1 2 2 ||
		lc_die "server 1 did not renegotiate after a restart"
	negot_wait_pair 1 2
	topo_ping_ok 1 2 3
	pair_agrees_now 1 2
	[ "$(negot_epochs 2 1 | tail -n 1)" -gt "$e" ] ||
		lc_die "server 2: the epoch did not grow: $(negot_epochs 2 1 | paste -sd' ')"
	# The peer restarts: SIGTERM deletes its keys, and it comes back.
	e=$(negot_nepochs 1 2)
	negot_stop 2
	negot_no_keys 2
	negot_start 2
	negot_wait 30 negot_epochs_ge 1 2 $((e + 1)) ||
		lc_die "server 1 did not renegotiate with its restarted peer"
	negot_wait_pair 1 2
	topo_ping_ok 1 2 3
	topo_ping_ok 2 1 2
	pair_agrees_now 1 2
}

# flood ADDR:PORT... SECONDS: bogus TCP connections to each ADDR:PORT, as
# many as they will take: half stay silent, half send garbage; each closed
# one is opened again at once.  Prints the connections made.
flood()
{
	python3 -I -S - "$@" <<-'EOF'
	import errno, os, selectors, socket, sys, time
	targets = [a.rsplit(":", 1) for a in sys.argv[1:-1]]
	end = time.monotonic() + float(sys.argv[-1])
	sel = selectors.DefaultSelector()
	made = 0
	def connect(addr, port, n):
	    global made
	    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	    s.setblocking(False)
	    try:
	        s.connect((addr, int(port)))
	    except BlockingIOError:
	        pass
	    except OSError:
	        s.close()
	        return
	    made += 1
	    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, (addr, port, n))
	for addr, port in targets:
	    for n in range(150):
	        connect(addr, port, n)
	while time.monotonic() < end:
	    for key, ev in sel.select(0.2):
	        s, (addr, port, n) = key.fileobj, key.data
	        try:
	            if ev & selectors.EVENT_WRITE and n % 2:
	                s.send(os.urandom(512))
	            if ev & selectors.EVENT_READ and not s.recv(4096):
	                raise OSError("closed")
	            if not n % 2:
	                sel.modify(s, selectors.EVENT_READ, key.data)
	        except OSError:
	            sel.unregister(s)
	            s.close()
	            connect(addr, port, n)
	print(made)
	EOF
}

# Server 3 floods both daemons with bogus connections for 10 s: servers 1
# and 2 go on rekeying (every 2 s) and their traffic loses nothing.
test_flood()
{
	local t=10 e1 e2 n

	topo_build -n 3 -P -q -N
	negot_conf 1 -r 2s 2
	negot_conf 2 -r 2s 1
	negot_start 1
	negot_start 2
	negot_wait_pair 1 2
	e1=$(negot_nepochs 1 2)
	e2=$(negot_nepochs 2 1)
	topo_bg ping ip netns exec "$(topo_ns 1)" ping -n -q -i 0.2 -W 2 -c $((t * 5)) "$(topo_ip4 2)"
	topo_bg flood topo_x 3 bash -c "$(declare -f flood); flood $(topo_ul_addr 3 1):$(topo_port 1) $(topo_ul_addr 3 2):$(topo_port 2) $t"
	topo_bg_wait flood || lc_die "the flood failed: $(cat "$TOPO_TMP/flood.err")"
	n=$(cat "$TOPO_TMP/flood.log")
	e1=$(( $(negot_nepochs 1 2) - e1 ))
	e2=$(( $(negot_nepochs 2 1) - e2 ))
	echo "$n bogus connections; epochs during the flood: server 1 $e1, server 2 $e2"
	topo_expect_ge "bogus connections" "$n" 300
	topo_expect_ge "epochs installed by server 1 during the flood" "$e1" 3
	topo_expect_ge "epochs installed by server 2 during the flood" "$e2" 3
	topo_bg_wait ping || true
	grep -q ' 0% packet loss' "$TOPO_TMP/ping.log" ||
		lc_die "ping during the flood: $(grep -E 'transmitted' "$TOPO_TMP/ping.log")"
	negot_alive 1 2
	topo_no_drops 1 2
	topo_no_drops 2 1
}

lc_plan 4
negot_pki 2
lc_case rekey_under_load_zero_loss test_rekey_under_load
lc_case killed_daemon_fails_closed test_killed
lc_case restart_renegotiates test_restart
lc_case flood_does_not_stop_rekeying test_flood
lc_exit
