#!/bin/bash
# End-to-end check of "lcctl up", as root where the module loads (the VM):
#
#   make -s module userspace
#   scripts/vm-run --kernel KVER --module build/kernels/KVER/module/linkcrypt.ko \
#       --results /tmp/up --quiet -- userspace/tests/up-vm.sh
#
# Two servers (network namespaces alpha and beta, a veth link), a lc0 on
# each, pinned identities, and a daemon on each side: keys are negotiated
# over TLS, ping crosses lc0, a rekey happens (RekeyAfter 10s), SIGTERM
# deletes the keys and exits 0.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
export PATH=$repo/build/userspace:$PATH
export IP_LIB_DIR=$repo/build/userspace
A=alpha B=beta
dir=$(mktemp -d)

fail() { echo "up-vm: FAILED: $*"; for n in $A $B; do echo "--- $n log"; cat "$dir/$n.log" 2>/dev/null || true; done; exit 1; }
cleanup() {
	kill "${pid_a:-}" "${pid_b:-}" 2>/dev/null || true
	ip netns del $A 2>/dev/null || true
	ip netns del $B 2>/dev/null || true
}
trap cleanup EXIT

ip netns add $A
ip netns add $B
ip link add eth0 netns $A type veth peer name eth0 netns $B
for ns in $A $B; do ip -n $ns link set lo up; ip -n $ns link set eth0 up; done
ip -n $A addr add 192.0.2.1/24 dev eth0
ip -n $B addr add 192.0.2.2/24 dev eth0
ip netns exec $A ip link add lc0 type linkcrypt port 7788
ip netns exec $B ip link add lc0 type linkcrypt port 7788

for n in $A $B; do
	lcctl genkey name $n key "$dir/$n.key" cert "$dir/$n.crt" >/dev/null
done
fp_a=$(lcctl fingerprint "$dir/$A.crt")
fp_b=$(lcctl fingerprint "$dir/$B.crt")
cat >"$dir/$A.conf" <<EOF
[Interface]
PrivateKey = $A.key
Certificate = $A.crt
Address = 198.51.100.1/24
RekeyAfter = 10s
[Peer]
Fingerprint = $fp_b
Endpoint = 192.0.2.2:7788
Id = 11
EOF
cat >"$dir/$B.conf" <<EOF
[Interface]
PrivateKey = $B.key
Certificate = $B.crt
Address = 198.51.100.2/24
RekeyAfter = 10s
[Peer]
Fingerprint = $fp_a
Endpoint = 192.0.2.1:7788
Id = 22
EOF

ip netns exec $A lcctl up lc0 -c "$dir/$A.conf" -v 2>"$dir/$A.log" &
pid_a=$!
sleep 0.5
ip netns exec $B lcctl up lc0 -c "$dir/$B.conf" -v 2>"$dir/$B.log" &
pid_b=$!

for i in $(seq 50); do
	grep -q 'keys installed' "$dir/$A.log" && grep -q 'keys installed' "$dir/$B.log" && break
	sleep 0.2
done
grep -q 'keys installed' "$dir/$A.log" || fail "no keys on alpha"
grep -q 'keys installed' "$dir/$B.log" || fail "no keys on beta"
echo "== first epoch negotiated"
ip netns exec $A lcctl peer show lc0
ip netns exec $A ping -c 3 -i 0.3 -W 2 198.51.100.2 || fail "ping over lc0"

echo "== waiting for a rekey (RekeyAfter 10s), ping running"
ip netns exec $A ping -q -i 0.2 -w 16 198.51.100.2 >"$dir/ping.log" || true
cat "$dir/ping.log"
grep -q ' 0% packet loss' "$dir/ping.log" || echo "(some loss during rekey)"
grep -c 'keys installed' "$dir/$A.log" | sed 's/^/alpha epochs: /'
[ "$(grep -c 'keys installed' "$dir/$A.log")" -ge 2 ] || fail "no rekey"
ip netns exec $B lcctl peer show lc0
ip netns exec $A ping -c 3 -i 0.3 -W 2 198.51.100.2 || fail "ping after rekey"

echo "== SIGTERM"
kill -TERM $pid_a $pid_b
rc_a=0; wait $pid_a || rc_a=$?
rc_b=0; wait $pid_b || rc_b=$?
echo "exit codes: alpha $rc_a beta $rc_b"
ip netns exec $A lcctl peer show lc0
[ $rc_a -eq 0 ] && [ $rc_b -eq 0 ] || fail "daemon exit status"
if ip netns exec $A ping -c 1 -W 1 198.51.100.2 >/dev/null; then fail "ping without keys"; fi
for n in $A $B; do echo "--- $n log"; cat "$dir/$n.log"; done
grep -iE 'material|[0-9a-f]{72}' "$dir/$A.log" "$dir/$B.log" && fail "secrets logged?"

echo "== simultaneous starts converge to one session"
for round in 1 2 3; do
	: >"$dir/$A.log"; : >"$dir/$B.log"
	ip netns exec $A lcctl up lc0 -c "$dir/$A.conf" -v 2>"$dir/$A.log" &
	pid_a=$!
	ip netns exec $B lcctl up lc0 -c "$dir/$B.conf" -v 2>"$dir/$B.log" &
	pid_b=$!
	for i in $(seq 50); do
		grep -q 'keys installed' "$dir/$A.log" && grep -q 'keys installed' "$dir/$B.log" && break
		sleep 0.2
	done
	sleep 1
	ea=$(grep -o 'epoch [0-9]*: keys installed' "$dir/$A.log" | tail -1)
	eb=$(grep -o 'epoch [0-9]*: keys installed' "$dir/$B.log" | tail -1)
	echo "round $round: alpha '$ea', beta '$eb'; tie-breaks: $(grep -ch 'tie-break' "$dir/$A.log" "$dir/$B.log" | paste -sd+)"
	[ -n "$ea" ] && [ "$ea" = "$eb" ] || fail "round $round: the sides disagree"
	ip netns exec $A ping -c 2 -i 0.3 -W 2 198.51.100.2 >/dev/null || fail "round $round: ping"
	kill -TERM $pid_a $pid_b
	wait $pid_a || fail "round $round: alpha's exit status"
	wait $pid_b || fail "round $round: beta's exit status"
done
grep -h 'tie-break' "$dir/$A.log" "$dir/$B.log" || true
echo "up-vm: OK"
