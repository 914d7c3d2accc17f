#!/bin/bash
# A flood of bogus TCP and TLS connections against "lcctl up", as root
# where the module loads (the VM):
#
#   make -s module userspace
#   scripts/vm-run --kernel KVER --module build/kernels/KVER/module/linkcrypt.ko \
#       --quiet -- bash userspace/tests/up-flood-vm.sh
#
# Alpha and beta (RekeyAfter 3s) and mallory on a bridge.  For 20 s
# mallory, from 16 addresses, holds hundreds of idle TCP connections to
# alpha's port and starts TLS handshakes without a certificate as fast as
# it can.  Alpha must go on rekeying with beta, ping must not stop, and
# alpha must report the refused connections.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
export PATH=$repo/build/userspace:$PATH
export IP_LIB_DIR=$repo/build/userspace
dir=$(mktemp -d)
pids=()
FLOOD=20

fail() {
	echo "up-flood-vm: FAILED: $*"
	for n in alpha beta; do echo "--- $n log"; grep -v 'debug: \(incoming\|session with\)' "$dir/$n.log" 2>/dev/null || true; done
	exit 1
}
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for n in alpha beta mallory; do ip netns del $n 2>/dev/null || true; done
	ip link del br-lc 2>/dev/null || true
}
trap cleanup EXIT
epochs() { grep -cE 'peer 12: epoch [0-9]+: keys installed' "$dir/alpha.log" || true; }

ip link add br-lc type bridge
ip link set br-lc up
i=0
for n in alpha beta mallory; do
	i=$((i + 1))
	ip netns add $n
	ip link add eth0 netns $n type veth peer name v-$n
	ip link set v-$n master br-lc up
	ip -n $n link set lo up
	ip -n $n link set eth0 up
	ip -n $n addr add 192.0.2.$i/24 dev eth0
done
srcs=192.0.2.3
for i in $(seq 10 24); do
	ip -n mallory addr add 192.0.2.$i/24 dev eth0
	srcs=$srcs,192.0.2.$i
done
for n in alpha beta; do
	ip netns exec $n ip link add lc0 type linkcrypt port 7788
	lcctl genkey name $n key "$dir/$n.key" cert "$dir/$n.crt" >/dev/null
done
conf() {	# NAME N PEER-FPR PEER-N ID
	printf '[Interface]\nPrivateKey = %s.key\nCertificate = %s.crt\n' "$1" "$1"
	printf 'Address = 198.51.100.%s/24\nRekeyAfter = 3s\n' "$2"
	printf '[Peer]\nFingerprint = %s\nEndpoint = 192.0.2.%s:7788\nId = %s\n' "$3" "$4" "$5"
}
conf alpha 1 "$(lcctl fingerprint "$dir/beta.crt")" 2 12 >"$dir/alpha.conf"
conf beta 2 "$(lcctl fingerprint "$dir/alpha.crt")" 1 21 >"$dir/beta.conf"
for n in alpha beta; do
	ip netns exec $n lcctl up lc0 -c "$dir/$n.conf" -v 2>"$dir/$n.log" &
	pids+=($!)
done
for i in $(seq 75); do [ "$(epochs)" -ge 1 ] && break; sleep 0.2; done
[ "$(epochs)" -ge 1 ] || fail "no keys"
ip netns exec alpha ping -c 2 -i 0.3 -W 2 198.51.100.2 >/dev/null || fail "ping"

cat >"$dir/flood.py" <<'PY'
import random, socket, ssl, sys, threading, time
host, port, srcs, dur = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(','), float(sys.argv[4])
end = time.time() + dur
n = {'held': 0, 'tls': 0, 'fail': 0}
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
def conn():
    return socket.create_connection((host, port), timeout=2,
                                    source_address=(random.choice(srcs), 0))
def idle():
    held = []
    while time.time() < end:
        try:
            held.append(conn()); n['held'] += 1
        except OSError:
            n['fail'] += 1; time.sleep(0.005)
        if len(held) > 150:
            held.pop(0).close()
def tls():
    while time.time() < end:
        try:
            with ctx.wrap_socket(conn()) as s:
                n['tls'] += 1
                s.recv(1)
        except (OSError, ssl.SSLError):
            n['fail'] += 1
ts = [threading.Thread(target=idle) for _ in range(2)] + \
     [threading.Thread(target=tls) for _ in range(6)]
for t in ts: t.start()
for t in ts: t.join()
print('flood: %(held)d idle connections made, %(tls)d TLS handshakes started, %(fail)d failed' % n)
PY

before=$(epochs)
echo "== flood for $FLOOD s; alpha-beta epochs so far: $before"
ip netns exec alpha ping -q -i 0.2 -w $((FLOOD + 2)) 198.51.100.2 >"$dir/ping.log" &
ping_pid=$!
ip netns exec mallory python3 "$dir/flood.py" 192.0.2.1 7788 "$srcs" $FLOOD
after=$(epochs)
wait $ping_pid || true
cat "$dir/ping.log"
echo "epochs during the flood: $((after - before))"
grep 'incoming connections refused' "$dir/alpha.log" | head -3
uptime
# 20 s at RekeyAfter 3s: 6 rekeys if nothing is lost; under TCG, at least 3.
[ $((after - before)) -ge 3 ] || fail "alpha stopped rekeying under the flood"
grep -q 'incoming connections refused: [0-9]*' "$dir/alpha.log" || fail "no refusal reported"
loss=$(sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' "$dir/ping.log")
[ "${loss%%.*}" -le 5 ] || fail "ping lost $loss% under the flood"
kill -TERM "${pids[@]}"
for p in "${pids[@]}"; do wait "$p" || fail "exit status"; done
pids=()
echo "up-flood-vm: OK"
