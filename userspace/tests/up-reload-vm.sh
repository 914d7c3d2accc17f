#!/bin/bash
# SIGHUP reload of "lcctl up", as root where the module loads (the VM):
#
#   make -s module userspace
#   scripts/vm-run --kernel KVER --module build/kernels/KVER/module/linkcrypt.ko \
#       --quiet -- bash userspace/tests/up-reload-vm.sh
#
# Three servers (namespaces alpha, beta, gamma on a bridge), pinned
# identities.  Alpha starts with beta as its only peer; then, by SIGHUP:
# gamma is added (negotiated, beta's keys untouched, no ping lost), a
# broken file is refused (still running), gamma's MACs change, beta is
# removed (keys and peer deleted), ListenPort cannot change.  A second
# daemon for alpha's lc0 is refused; "lcctl down lc0" stops alpha.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
export PATH=$repo/build/userspace:$PATH
export IP_LIB_DIR=$repo/build/userspace
dir=$(mktemp -d)
pids=()

fail() {
	echo "up-reload-vm: FAILED: $*"
	for n in alpha beta gamma; do echo "--- $n log"; cat "$dir/$n.log" 2>/dev/null || true; done
	exit 1
}
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for n in alpha beta gamma; do ip netns del $n 2>/dev/null || true; done
	ip link del br-lc 2>/dev/null || true
}
trap cleanup EXIT
# wait_log FILE REGEX [TRIES of 0.2 s]
wait_log() {
	local i
	for i in $(seq "${3:-75}"); do
		grep -qE "$2" "$1" && return 0
		sleep 0.2
	done
	return 1
}
# The key ids alpha has for peer $1: "dir slot id" lines.
keys_of() {
	ip netns exec alpha lcctl -j peer show lc0 id "$1" |
		python3 -c 'import json,sys
for p in json.load(sys.stdin):
    for k in p["keys"]: print(k["dir"], k["slot"], k["id"])'
}

ip link add br-lc type bridge
ip link set br-lc up
i=0
for n in alpha beta gamma; do
	i=$((i + 1))
	ip netns add $n
	ip link add eth0 netns $n type veth peer name v-$n
	ip link set v-$n master br-lc up
	ip -n $n link set lo up
	ip -n $n link set eth0 up
	ip -n $n addr add 192.0.2.$i/24 dev eth0
	ip netns exec $n ip link add lc0 type linkcrypt port 7788
	lcctl genkey name $n key "$dir/$n.key" cert "$dir/$n.crt" >/dev/null
done
fp_a=$(lcctl fingerprint "$dir/alpha.crt")
fp_b=$(lcctl fingerprint "$dir/beta.crt")
fp_c=$(lcctl fingerprint "$dir/gamma.crt")

# conf NAME N [PORT]: the [Interface] of server N.
iface() {
	printf '[Interface]\nPrivateKey = %s.key\nCertificate = %s.crt\n' "$1" "$1"
	printf 'Address = 198.51.100.%s/24\nRekeyAfter = 1h\nListenPort = %s\n' "$2" "${3:-7788}"
}
peer() {	# FPR N ID [MAC]
	printf '[Peer]\nFingerprint = %s\nEndpoint = 192.0.2.%s:7788\nId = %s\n' "$1" "$2" "$3"
	[ -z "${4:-}" ] || printf 'MAC = %s\n' "$4"
}
{ iface beta 2; peer "$fp_a" 1 21; } >"$dir/beta.conf"
{ iface gamma 3; peer "$fp_a" 1 31; } >"$dir/gamma.conf"
{ iface alpha 1; peer "$fp_b" 2 12; } >"$dir/alpha.conf"

for n in alpha beta gamma; do
	ip netns exec $n lcctl up lc0 -c "$dir/$n.conf" -v 2>"$dir/$n.log" &
	pids+=($!)
done
pid_a=${pids[0]}
wait_log "$dir/alpha.log" 'peer 12: epoch [0-9]+: keys installed' || fail "no keys with beta"
ip netns exec alpha ping -c 2 -i 0.3 -W 2 198.51.100.2 >/dev/null || fail "ping beta"
before_b=$(keys_of 12)
echo "== alpha-beta up; alpha's keys for beta: $(echo $before_b)"

echo "== SIGHUP: gamma added, beta untouched, ping to beta running"
ip netns exec alpha ping -q -i 0.1 -w 6 198.51.100.2 >"$dir/ping.log" &
ping_pid=$!
sleep 1
{ iface alpha 1; peer "$fp_b" 2 12; peer "$fp_c" 3 13; } >"$dir/alpha.conf"
kill -HUP $pid_a
wait_log "$dir/alpha.log" 'peer 13: added by the reload' || fail "gamma not added"
wait_log "$dir/alpha.log" 'peer 13: epoch [0-9]+: keys installed' || fail "no keys with gamma"
grep -E 'reloaded: 1 added, 0 removed, 0 changed, 1 unchanged' "$dir/alpha.log" || fail "summary"
ip netns exec alpha ping -c 2 -i 0.3 -W 2 198.51.100.3 >/dev/null || fail "ping gamma"
wait $ping_pid || true
cat "$dir/ping.log"
grep -q ' 0% packet loss' "$dir/ping.log" || fail "ping to beta lost packets during the reload"
[ "$(keys_of 12)" = "$before_b" ] || fail "beta's keys changed: $(keys_of 12)"
[ "$(grep -cE 'peer 12: epoch [0-9]+: keys installed' "$dir/alpha.log")" -eq 1 ] || fail "beta renegotiated"

echo "== SIGHUP with a broken file: refused, still running"
cp "$dir/alpha.conf" "$dir/alpha.good"
printf 'Bogus = 1\n' >>"$dir/alpha.conf"
kill -HUP $pid_a
line=$(wc -l <"$dir/alpha.conf")
wait_log "$dir/alpha.log" "reload failed, keeping the running configuration: .*alpha.conf:$line: unknown key \"Bogus\" in \[Peer\]" ||
	fail "no error for the broken file"
kill -0 $pid_a || fail "alpha died"
ip netns exec alpha ping -c 1 -W 2 198.51.100.3 >/dev/null || fail "ping gamma after the broken reload"

echo "== SIGHUP: gamma's MACs, ListenPort"
{ iface alpha 1 7799; peer "$fp_b" 2 12; peer "$fp_c" 3 13 02:00:00:00:00:33; } >"$dir/alpha.conf"
kill -HUP $pid_a
wait_log "$dir/alpha.log" 'peer 13: MACs now 02:00:00:00:00:33' || fail "MACs"
wait_log "$dir/alpha.log" 'ListenPort cannot change while running \(7788 -> 7799\)' || fail "ListenPort"
ip netns exec alpha lcctl peer show lc0 id 13 | grep -q '02:00:00:00:00:33' || fail "MAC not in the kernel"
ip netns exec alpha ping -c 1 -W 2 198.51.100.3 >/dev/null || fail "ping gamma after the MAC change"

echo "== SIGHUP: beta removed"
{ iface alpha 1; peer "$fp_c" 3 13; } >"$dir/alpha.conf"
kill -HUP $pid_a
wait_log "$dir/alpha.log" 'peer 12: removed by the reload' || fail "beta not removed"
if ip netns exec alpha lcctl peer show lc0 id 12 >/dev/null 2>&1; then fail "peer 12 still in the kernel"; fi
if ip netns exec alpha ping -c 1 -W 1 198.51.100.2 >/dev/null; then fail "ping beta after its removal"; fi
ip netns exec alpha ping -c 1 -W 2 198.51.100.3 >/dev/null || fail "ping gamma after beta's removal"
grep -E 'reloaded: 0 added, 1 removed, 1 changed, 0 unchanged' "$dir/alpha.log" || fail "summary 2"

echo "== a second daemon for alpha's lc0 is refused; lcctl down stops alpha"
rc=0
ip netns exec alpha lcctl up lc0 -c "$dir/alpha.conf" 2>"$dir/second.log" || rc=$?
cat "$dir/second.log"
[ $rc -eq 1 ] || fail "a second daemon: exit status $rc"
grep -q "lcctl up already runs for this device (pid $pid_a, lock on /run/linkcrypt/lc0.netns-" "$dir/second.log" ||
	fail "a second daemon: message"
ip netns exec alpha lcctl down lc0 || fail "lcctl down"
wait $pid_a || fail "alpha's exit status"
grep -q 'keys deleted; exiting' "$dir/alpha.log" || fail "alpha did not delete its keys"
if ip netns exec alpha ping -c 1 -W 1 198.51.100.3 >/dev/null; then fail "ping gamma after lcctl down"; fi
rc=0
ip netns exec alpha lcctl down lc0 2>"$dir/down.log" || rc=$?
cat "$dir/down.log"
[ $rc -eq 1 ] && grep -q 'no "lcctl up" runs for lc0 in this network namespace' "$dir/down.log" ||
	fail "lcctl down without a daemon"
ls /run/linkcrypt/

echo "== SIGTERM"
kill -TERM "${pids[@]:1}"
for p in "${pids[@]:1}"; do wait "$p" || fail "exit status of $p"; done
pids=()
echo "--- alpha log"; cat "$dir/alpha.log"
echo "up-reload-vm: OK"
