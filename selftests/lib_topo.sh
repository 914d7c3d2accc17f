# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced after lib.sh by the data-path selftests.  Builds N "servers"
# (network namespaces from lc_ns, so lc_cleanup removes them) joined by an
# underlay of veth links, each with a linkcrypt device lc0, its peers and
# matching keys installed through lcctl; and helpers to read counters, run
# traffic, capture the underlay and follow lcctl monitor.
#
#   topo_build [-n N] [-f 4|6] [-c CIPHER] [-x CRYPTO] [-m mesh|star]
#              [-u MTU] [-l MTU] [-k] [-P] [-q] [-N] [-M]
#     -n  servers, 2..7 (default 2)
#     -f  underlay family of the peers' endpoints (default 4)
#     -c  cipher of every lc0 (default aes-256-gcm)
#     -x  crypto mode of every lc0, parallel or inline (default: the
#         device's default, parallel)
#     -m  mesh: a veth link between every two servers (default);
#         star: every server linked to a router namespace "hub" (no bridge)
#     -u  MTU of the underlay links (default 1500); -l  MTU of lc0
#     -k  peers without keys;  -P  no peers at all
#     -q  quiet overlay: no IPv6 on lc0 (no ND, MLD, RS), so only what a
#         test sends crosses lc0 and counters can be compared exactly
#     -N  static neighbour entries for the other servers' overlay IPv4
#         addresses (no ARP)
#     -M  each peer is added with the peer server's lc0 MAC as static MAC
#
# Servers are numbered 1..N.  Addresses, from documentation ranges only:
#   underlay, mesh  link i-j (i<j), p = 8i+j: 198.51.100.(4p+1)/30 on i,
#                   198.51.100.(4p+2)/30 on j; 2001:db8:0:IJ::1 / ::2 /64;
#                   device "toJ" on server i, "toI" on server j
#   underlay, star  server i: eth0 192.0.2.(4i+2)/30, 2001:db8:0:I::2/64,
#                   default routes via the hub's 192.0.2.(4i+1), ::1
#   overlay, lc0    203.0.113.i/24, 2001:db8:1::i/64, MAC 02:1c:00:00:00:0i
#   lc0 port        7780 + i
#   peer ids        on server i, peer j has id 1000i+j, remote-id 1000j+i:
#                   an implementation mixing up id and remote-id fails
#   key ids         i -> j starts as 10i+j (a different id per direction)
#
# On failure (any non-zero exit of the case) the EXIT trap prints every
# server's counters, keys, links and neighbours, the tails of background
# logs and of dmesg, then kills what the case started in the background.

shopt -s inherit_errexit

TOPO_N=0
TOPO_TMP=
TOPO_HUB=
declare -a TOPO_NS=()
declare -A TOPO_KEY=() TOPO_KID=() TOPO_PIDS=()

# -I -S: no site or user packages, which also halves python's start-up
# time under TCG.
lc_wire() { python3 -I -S "$LC_SELFTESTS/lc_wire.py" "$@"; }

# lc_json CMD ARGS... (stdin: what CMD reads): lc_json.py's output, errors
# and exit code.  Between topo_build and topo_teardown one lc_json.py
# answers every call of the case, a coprocess (lc_json.py serve): a python
# start takes 1.7 s on the debug kernel, and a case reads counters dozens
# of times.  Elsewhere each call starts its own: without a coprocess, and
# in a pipeline or a background job, which bash gives no coprocess pipes
# (only command substitutions get them: "v=$(lc_json ... <<<"$js")" is the
# fast form).  Calls never overlap: each waits for its answer.
lc_json()
{
	local LC_ALL=C in='' rc nout nerr res='' err='' w=${LCJ[1]:-}

	if [ -z "${LCJ_PID:-}" ] || [ -z "$w" ] || [ ! -e "/dev/fd/$w" ] ||
	   [[ "$*" == *$'\n'* ]]; then
		python3 -I -S "$LC_SELFTESTS/lc_json.py" "$@"
		return
	fi
	case $1 in events | iperf) ;; *) IFS= read -r -d '' in || true ;; esac
	{
		printf '%d %d\n' $# "${#in}"
		printf '%s\n' "$@"
		printf '%s' "$in"
	} >&"$w"
	read -r rc nout nerr <&"${LCJ[0]}" || lc_die "lc_json: its coprocess is gone"
	[ "$nout" -eq 0 ] || IFS= read -r -N "$nout" res <&"${LCJ[0]}"
	[ "$nerr" -eq 0 ] || IFS= read -r -N "$nerr" err <&"${LCJ[0]}"
	printf '%s' "$res"
	printf '%s' "$err" >&2
	return "$rc"
}

# lc_json_start, lc_json_stop: lc_json's coprocess for this case.
lc_json_start()
{
	[ -z "${LCJ_PID:-}" ] || return 0
	coproc LCJ { exec python3 -I -S "$LC_SELFTESTS/lc_json.py" serve; }
}

lc_json_stop()
{
	local pid=${LCJ_PID:-} w=${LCJ[1]:-} r=${LCJ[0]:-}

	[ -n "$pid" ] || return 0
	# End of its input: it exits.
	[ -z "$w" ] || exec {w}>&-
	[ -z "$r" ] || exec {r}<&-
	wait "$pid" 2>/dev/null
	unset LCJ_PID
}

# topo_require TOOL...: skip the whole program when lcctl or a tool is missing.
topo_require()
{
	local t

	[ -x "$LCCTL" ] || { echo "# SKIP: $LCCTL not built"; exit "$KSFT_SKIP"; }
	for t in python3 timeout "$@"; do
		command -v "$t" >/dev/null ||
			{ echo "# SKIP: $t not installed"; exit "$KSFT_SKIP"; }
	done
}

# topo_seq [FIRST]: the server numbers FIRST (default 1) .. TOPO_N, one a
# line.  The helpers here run hundreds of times a case and a process start
# costs about 0.1 s under TCG, so they use bash itself where it can.
topo_seq()
{
	local i

	for ((i = ${1:-1}; i <= TOPO_N; i++)); do
		echo "$i"
	done
}
topo_ns() { echo "${TOPO_NS[$1]}"; }
topo_mac() { printf '02:1c:00:00:00:%02x\n' "$1"; }
topo_ip4() { echo "203.0.113.$1"; }
topo_ip6() { echo "2001:db8:1::$1"; }
topo_port() { echo $((7780 + $1)); }
# On server $1, the id of peer $2 (what $2 puts in its receiver index).
topo_pid() { echo $((1000 * $1 + $2)); }
topo_kid() { echo "${TOPO_KID[$1,$2]}"; }
topo_key_hex() { echo "${TOPO_KEY[$1,$2]}"; }
# topo_rand_hex NBYTES
topo_rand_hex()
{
	local h

	h=$(od -An -v -tx1 -N"$1" /dev/urandom)
	h=${h//[[:space:]]/}
	echo "$h"
}

# topo_x SERVER CMD...: run CMD in the server's namespace, at most 60 s.
topo_x()
{
	local i=$1

	shift
	timeout 60 ip netns exec "${TOPO_NS[$i]}" "$@"
}

# topo_lcctl SERVER ARGS...: lcctl -n in the server's namespace.  No
# timeout(1) around it: the most likely hang, a request stuck on a kernel
# lock, sleeps where no signal reaches it, so timeout(1) would wait as
# well; the runner's limit per test program catches any hang.  And the
# extra process doubled the cost of each call on the debug kernel (1.2 s
# for timeout and true, 0.7 s for lcctl alone), hundreds of times a case.
topo_lcctl()
{
	local i=$1

	shift
	"$LCCTL" -n "${TOPO_NS[$i]}" "$@"
}

# topo_wire SERVER ARGS...: lc_wire.py inside the server's namespace.
topo_wire()
{
	local i=$1

	shift
	topo_x "$i" python3 -I -S "$LC_SELFTESTS/lc_wire.py" "$@"
}

# Underlay address of server $2 as seen from server $1; the device of $1
# towards $2; $2's endpoint as $1's lcctl takes it.
topo_ul_addr()
{
	local i=$1 j=$2 a b p

	if [ "$TOPO_MODE" = star ]; then
		if [ "$TOPO_FAMILY" = 6 ]; then
			echo "2001:db8:0:$j::2"
		else
			echo "192.0.2.$((4 * j + 2))"
		fi
		return
	fi
	a=$((i < j ? i : j))
	b=$((i < j ? j : i))
	p=$((8 * a + b))
	if [ "$TOPO_FAMILY" = 6 ]; then
		echo "2001:db8:0:$a$b::$((j == a ? 1 : 2))"
	else
		echo "198.51.100.$((4 * p + (j == a ? 1 : 2)))"
	fi
}

topo_ul_dev()
{
	if [ "$TOPO_MODE" = star ]; then echo eth0; else echo "to$2"; fi
}

topo_endpoint()
{
	if [ "$TOPO_FAMILY" = 6 ]; then
		echo "[$(topo_ul_addr "$1" "$2")]:$(topo_port "$2")"
	else
		echo "$(topo_ul_addr "$1" "$2"):$(topo_port "$2")"
	fi
}

topo_underlay()
{
	local i j a p batch

	batch=$TOPO_TMP/underlay
	rm -f "$batch".*
	if [ "$TOPO_MODE" = star ]; then
		TOPO_HUB=$(lc_ns hub)
		ip netns exec "$TOPO_HUB" sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.forwarding=1
		for i in $(topo_seq); do
			ip link add eth0 netns "${TOPO_NS[$i]}" type veth \
				peer name "s$i" netns "$TOPO_HUB"
			cat >>"$batch.hub" <<-EOF
			link set s$i mtu $TOPO_UL_MTU up
			addr add 192.0.2.$((4 * i + 1))/30 dev s$i
			addr add 2001:db8:0:$i::1/64 dev s$i nodad
			EOF
			cat >>"$batch.$i" <<-EOF
			link set eth0 mtu $TOPO_UL_MTU up
			addr add 192.0.2.$((4 * i + 2))/30 dev eth0
			addr add 2001:db8:0:$i::2/64 dev eth0 nodad
			route add default via 192.0.2.$((4 * i + 1))
			route add ::/0 via 2001:db8:0:$i::1
			EOF
		done
		ip -n "$TOPO_HUB" -batch "$batch.hub" || lc_die "cannot set up the hub"
	else
		for a in $(topo_seq); do
			for j in $(topo_seq $((a + 1))); do
				p=$((8 * a + j))
				ip link add "to$j" netns "${TOPO_NS[$a]}" type veth \
					peer name "to$a" netns "${TOPO_NS[$j]}"
				cat >>"$batch.$a" <<-EOF
				link set to$j mtu $TOPO_UL_MTU up
				addr add 198.51.100.$((4 * p + 1))/30 dev to$j
				addr add 2001:db8:0:$a$j::1/64 dev to$j nodad
				EOF
				cat >>"$batch.$j" <<-EOF
				link set to$a mtu $TOPO_UL_MTU up
				addr add 198.51.100.$((4 * p + 2))/30 dev to$a
				addr add 2001:db8:0:$a$j::2/64 dev to$a nodad
				EOF
			done
		done
	fi
	for i in $(topo_seq); do
		ip -n "${TOPO_NS[$i]}" -batch "$batch.$i" ||
			lc_die "server $i: cannot set up the underlay: $(cat "$batch.$i")"
		# Broadcast pings are answered; with -q, devices created from
		# now on (lc0) have no IPv6.
		ip netns exec "${TOPO_NS[$i]}" sysctl -qw \
			net.ipv4.icmp_echo_ignore_broadcasts=0 \
			net.ipv6.conf.default.disable_ipv6="$TOPO_QUIET"
	done
}

# topo_dev_setup SERVER: lc0 with its MAC, port, cipher, MTU and addresses,
# still down (so that nothing is sent before its peers and keys exist).
topo_dev_setup()
{
	local i=$1 f=$TOPO_TMP/dev.$1

	{
		echo "link add lc0 address $(topo_mac "$i") type linkcrypt" \
			"port $(topo_port "$i") cipher $TOPO_CIPHER" \
			"${TOPO_CRYPTO:+crypto $TOPO_CRYPTO}"
		[ -z "$TOPO_LC_MTU" ] || echo "link set lc0 mtu $TOPO_LC_MTU"
		echo "addr add $(topo_ip4 "$i")/24 dev lc0"
		[ "$TOPO_QUIET" = 1 ] || echo "addr add $(topo_ip6 "$i")/64 dev lc0 nodad"
	} >"$f"
	ip -n "${TOPO_NS[$i]}" -batch "$f" ||
		lc_die "server $i: cannot create lc0: $(cat "$f")"
}

# topo_dev_up SERVER: lc0 up, and (-N) its static neighbour entries.
topo_dev_up()
{
	local i=$1 j f=$TOPO_TMP/up.$1

	{
		echo "link set lc0 up"
		if [ "$TOPO_STATIC_NEIGH" = 1 ]; then
			for j in $(topo_seq); do
				[ "$j" = "$i" ] && continue
				echo "neigh replace $(topo_ip4 "$j") lladdr $(topo_mac "$j")" \
					"dev lc0 nud permanent"
			done
		fi
	} >"$f"
	ip -n "${TOPO_NS[$i]}" -batch "$f" ||
		lc_die "server $i: cannot bring lc0 up: $(cat "$f")"
}

# topo_peer_add SERVER PEER: server's peer entry for PEER.
topo_peer_add()
{
	local i=$1 j=$2 args

	args=(peer add lc0 id "$(topo_pid "$i" "$j")" remote-id "$(topo_pid "$j" "$i")"
	      endpoint "$(topo_endpoint "$i" "$j")")
	[ "$TOPO_STATIC_MAC" = 0 ] || args+=(mac "$(topo_mac "$j")")
	topo_lcctl "$i" "${args[@]}" || lc_die "server $i: lcctl ${args[*]} failed"
}

# topo_key SERVER DIR PEER SLOT KEYID HEX [LIMITS...]: one key on one side.
topo_key()
{
	local i=$1 dir=$2 j=$3 slot=$4 kid=$5 hex=$6

	shift 6
	topo_lcctl "$i" key add lc0 peer "$(topo_pid "$i" "$j")" dir "$dir" \
		slot "$slot" id "$kid" key "$hex" "$@" ||
		lc_die "server $i: key add dir $dir peer $(topo_pid "$i" "$j") slot $slot id $kid $* failed"
}

# topo_key_pair FROM TO [SLOT [KEYID [HEX]]]: FROM's TX key for TO and the
# matching RX key on TO (installed first).  Remembered as the FROM,TO key.
topo_key_pair()
{
	local i=$1 j=$2 slot=${3:-primary} kid=${4:-$((10 * $1 + $2))} hex=${5:-}

	[ -n "$hex" ] || hex=$(topo_rand_hex 36)
	topo_key "$j" rx "$i" "$slot" "$kid" "$hex"
	topo_key "$i" tx "$j" "$slot" "$kid" "$hex"
	TOPO_KEY[$i,$j]=$hex
	TOPO_KID[$i,$j]=$kid
}

# topo_rotate FROM TO: replace the FROM -> TO key the way an operator does,
# without losing a frame: new RX key in the receiver's secondary slot, new
# TX key in the sender's secondary, swap TX, then retire both old keys.
topo_rotate()
{
	local i=$1 j=$2 kid hex pi pj

	kid=$(( (TOPO_KID[$i,$j] + 60) % 256 ))
	[ "$kid" -ne 0 ] || kid=1
	hex=$(topo_rand_hex 36)
	pi=$(topo_pid "$i" "$j") pj=$(topo_pid "$j" "$i")
	topo_key "$j" rx "$i" secondary "$kid" "$hex"
	topo_key "$i" tx "$j" secondary "$kid" "$hex"
	topo_lcctl "$i" key swap lc0 peer "$pi" dir tx ||
		lc_die "server $i: key swap tx failed"
	sleep 0.2
	topo_lcctl "$i" key del lc0 peer "$pi" dir tx slot secondary ||
		lc_die "server $i: deleting the old TX key failed"
	topo_lcctl "$j" key swap lc0 peer "$pj" dir rx ||
		lc_die "server $j: key swap rx failed"
	topo_lcctl "$j" key del lc0 peer "$pj" dir rx slot secondary ||
		lc_die "server $j: deleting the old RX key failed"
	TOPO_KEY[$i,$j]=$hex
	TOPO_KID[$i,$j]=$kid
}

topo_build()
{
	local opt OPTIND=1 i

	TOPO_N=2 TOPO_FAMILY=4 TOPO_CIPHER=aes-256-gcm TOPO_CRYPTO="" TOPO_MODE=mesh
	TOPO_UL_MTU=1500 TOPO_LC_MTU="" TOPO_KEYS=1 TOPO_PEERS=1
	TOPO_QUIET=0 TOPO_STATIC_NEIGH=0 TOPO_STATIC_MAC=0
	while getopts "n:f:c:x:m:u:l:kPqNM" opt; do
		case $opt in
		n) TOPO_N=$OPTARG ;;
		f) TOPO_FAMILY=$OPTARG ;;
		c) TOPO_CIPHER=$OPTARG ;;
		x) TOPO_CRYPTO=$OPTARG ;;
		m) TOPO_MODE=$OPTARG ;;
		u) TOPO_UL_MTU=$OPTARG ;;
		l) TOPO_LC_MTU=$OPTARG ;;
		k) TOPO_KEYS=0 ;;
		P) TOPO_PEERS=0 TOPO_KEYS=0 ;;
		q) TOPO_QUIET=1 ;;
		N) TOPO_STATIC_NEIGH=1 ;;
		M) TOPO_STATIC_MAC=1 ;;
		*) lc_die "topo_build: unknown option" ;;
		esac
	done
	if [ "$TOPO_N" -lt 2 ] || [ "$TOPO_N" -gt 7 ]; then
		lc_die "topo_build: 2..7 servers"
	fi
	case $TOPO_FAMILY$TOPO_MODE in 4mesh | 6mesh | 4star | 6star) ;;
	*) lc_die "topo_build: bad family or mode" ;; esac

	TOPO_TMP=$(mktemp -d /tmp/lc-topo.XXXXXX)
	trap 'topo_teardown $?' EXIT
	lc_json_start
	TOPO_NS=() TOPO_KEY=() TOPO_KID=() TOPO_PIDS=()
	for i in $(topo_seq); do
		TOPO_NS[i]=$(lc_ns "s$i")
	done
	topo_underlay
	topo_devices
}

# topo_devices: every server's lc0, peers and keys, as topo_build's options
# say, then every lc0 up (again after a module reload: with fresh keys).
topo_devices()
{
	local i j

	for i in $(topo_seq); do
		topo_dev_setup "$i"
	done
	if [ "$TOPO_PEERS" = 1 ]; then
		for i in $(topo_seq); do
			for j in $(topo_seq); do
				[ "$i" = "$j" ] || topo_peer_add "$i" "$j"
			done
		done
	fi
	if [ "$TOPO_KEYS" = 1 ]; then
		for i in $(topo_seq); do
			for j in $(topo_seq); do
				[ "$i" = "$j" ] || topo_key_pair "$i" "$j"
			done
		done
	fi
	for i in $(topo_seq); do
		topo_dev_up "$i"
	done
}

# ---- counters (through lc_json.py: the only place that knows lcctl's JSON)

topo_json()
{
	topo_lcctl "$1" -j show lc0 || lc_die "server $1: lcctl -j show lc0 failed"
}

# topo_pstat SERVER PEER NAME: a counter of SERVER's peer entry for PEER.
topo_pstat()
{
	local js

	js=$(topo_json "$1")
	lc_json peer-stat lc0 "$(topo_pid "$1" "$2")" "$3" <<<"$js"
}

# topo_dstat SERVER NAME: a counter of SERVER's lc0 that belongs to no peer.
topo_dstat()
{
	local js

	js=$(topo_json "$1")
	lc_json dev-stat lc0 "$2" <<<"$js"
}

# topo_kfield SERVER PEER DIR SLOT NAME: a key's field, or "absent".
topo_kfield()
{
	local js

	js=$(topo_json "$1")
	lc_json key lc0 "$(topo_pid "$1" "$2")" "$3" "$4" "$5" <<<"$js"
}

# topo_keys SERVER PEER: "DIR SLOT ID" lines, sorted.
topo_keys()
{
	local js

	js=$(topo_json "$1")
	lc_json keys lc0 "$(topo_pid "$1" "$2")" <<<"$js" | sort
}

# topo_read SERVER Q...: several values at once (one lcctl, one python),
# one a line.  Q: p:PEER:NAME (a counter or remote_id, address, port,
# macs of SERVER's entry for server PEER), d:NAME (a device counter),
# k:PEER:DIR:SLOT:NAME (a key field, or "absent").
#   mapfile -t v <<<"$(topo_read 1 p:2:tx_packets k:2:tx:primary:packets)"
topo_read()
{
	local i=$1 j q js qs=()

	shift
	for q in "$@"; do
		case $q in
		p:*:*) j=${q#p:}; qs+=("peer:$(topo_pid "$i" "${j%%:*}"):${q#p:*:}") ;;
		d:*) qs+=("dev:${q#d:}") ;;
		k:*:*:*:*) j=${q#k:}; qs+=("key:$(topo_pid "$i" "${j%%:*}"):${q#k:*:}") ;;
		*) lc_die "topo_read: bad query $q" ;;
		esac
	done
	js=$(topo_json "$i")
	lc_json query lc0 "${qs[@]}" <<<"$js"
}

# topo_udp_rcvbuf_errors SERVER: UDP datagrams SERVER's sockets dropped for
# want of receive buffer (RcvbufErrors in its namespace's /proc/net/snmp).
topo_udp_rcvbuf_errors()
{
	ip netns exec "$(topo_ns "$1")" awk '/^Udp:/ { if (n++) print $6 }' /proc/net/snmp
}

# topo_ul_tx_dropped I J: frames the underlay dropped on their way from
# server I to server J since the topology was built: the sending veth
# counts every frame its peer's backlog refused (and, in a star, so does
# the hub's port towards J).
topo_ul_tx_dropped()
{
	local i=$1 j=$2 n m=0 f=statistics/tx_dropped

	n=$(ip netns exec "$(topo_ns "$i")" cat "/sys/class/net/$(topo_ul_dev "$i" "$j")/$f")
	[ "$TOPO_MODE" != star ] ||
		m=$(ip netns exec "$TOPO_HUB" cat "/sys/class/net/s$j/$f")
	echo $((n + m))
}

# topo_frames_missing I J: frames server I's entry for J counted as sent
# that J's entry for I has not counted as received, less those the
# underlay dropped.  Besides frames in flight, it keeps those sent before
# J could take them (lc0 up on I before J's socket exists), which is why
# a flow is judged against a baseline taken before it.
topo_frames_missing()
{
	local i=$1 j=$2 a b

	# The receiver first: a frame it counted was counted as sent before.
	mapfile -t b <<<"$(topo_read "$j" "p:$i:rx_packets")"
	mapfile -t a <<<"$(topo_read "$i" "p:$j:tx_packets")"
	echo $((a[0] - b[0] - $(topo_ul_tx_dropped "$i" "$j")))
}

# topo_frames_settled I J MAX_SECONDS: topo_frames_missing once two reads
# half a second apart agree (nothing in flight), or after MAX_SECONDS.
topo_frames_settled()
{
	local end=$(( ${EPOCHREALTIME/./} + $3 * 1000000 )) m n

	m=$(topo_frames_missing "$1" "$2")
	while [ "${EPOCHREALTIME/./}" -lt "$end" ]; do
		sleep 0.5
		n=$(topo_frames_missing "$1" "$2")
		[ "$n" != "$m" ] || break
		m=$n
	done
	echo "$m"
}

# topo_udp_base I J: what topo_expect_udp_delivered I J compares with,
# taken before a UDP flow from I to J: J's RcvbufErrors, the frames
# already missing and the underlay's drops so far.
topo_udp_base()
{
	local m

	m=$(topo_frames_settled "$1" "$2" 10)
	echo "$(topo_udp_rcvbuf_errors "$2") $m $(topo_ul_tx_dropped "$1" "$2")"
}

# topo_expect_udp_delivered I J LOG BASE [MIN]: after iperf3 sent UDP from I
# to J (its JSON in LOG; at least MIN datagrams, default 3000) since
# topo_udp_base I J printed BASE, every frame I sent J meanwhile arrived
# in J's linkcrypt, or was refused by the underlay's veth (a full backlog
# on a starved host), which counts it; and every datagram iperf3 lost is
# one of those, or one that J's receiving socket dropped for want of
# buffer (a starved CPU under TCG), which counts it too; never one lost
# in linkcrypt or the stack between.  Frames still being decrypted get up
# to 10 s to arrive.
topo_expect_udp_delivered()
{
	local i=$1 j=$2 log=$3 rcvbuf0 missing0 ul0 min=${5:-3000} v rcvbuf ul

	read -r rcvbuf0 missing0 ul0 <<<"$4"
	v=$(lc_json iperf "$log" udp_sent_packets)
	echo "$v datagrams sent"
	topo_expect_ge "datagrams sent" "$v" "$min"
	v=$(( $(topo_frames_settled "$i" "$j" 10) - missing0 ))
	ul=$(( $(topo_ul_tx_dropped "$i" "$j") - ul0 ))
	echo "server $i: $(topo_pstat "$i" "$j" tx_packets) frames sent to $j;" \
		"missing: $missing0 before the flow, $v more since; the underlay dropped $ul meanwhile"
	[ "$v" -le 0 ] ||
		lc_die "$v frames $i sent $j during the flow neither arrived nor were dropped by the underlay"
	v=$(lc_json iperf "$log" udp_lost)
	rcvbuf=$(( $(topo_udp_rcvbuf_errors "$j") - rcvbuf0 ))
	echo "iperf3 lost $v datagrams; the receiving socket dropped $rcvbuf"
	[ "$v" -le "$((rcvbuf + ul))" ] ||
		lc_die "datagrams lost: $v, of which the receiving socket dropped only $rcvbuf and the underlay $ul"
}

# topo_no_drops SERVER [PEER...]: no drop of any kind on SERVER's entries for
# PEER (default: every other server), nor on its lc0.  One lcctl call.
topo_no_drops()
{
	local i=$1 j c q=() n=() a k

	shift
	# shellcheck disable=SC2046 # server numbers
	[ $# -gt 0 ] || set -- $(topo_seq)
	for j in "$@"; do
		[ "$j" != "$i" ] || continue
		for c in drop_no_key drop_key_expired drop_auth drop_replay drop_tx_error; do
			q+=("p:$j:$c")
			n+=("peer $j: $c")
		done
	done
	for c in drop_no_peer drop_malformed drop_no_peer_tx; do
		q+=("d:$c")
		n+=("lc0: $c")
	done
	mapfile -t a <<<"$(topo_read "$i" "${q[@]}")"
	for k in "${!q[@]}"; do
		[ "${a[k]}" = 0 ] || lc_die "server $i, ${n[k]} is ${a[k]}, expected 0"
	done
}

# topo_sysstat SERVER NAME: lc0's /sys/class/net/lc0/statistics/NAME.
topo_sysstat()
{
	topo_x "$1" cat "/sys/class/net/lc0/statistics/$2"
}

# topo_expect_eq WHAT GOT WANT: die with WHAT unless GOT == WANT (numbers).
topo_expect_eq()
{
	[ "$2" -eq "$3" ] 2>/dev/null || lc_die "$1 is $2, expected $3"
}

topo_expect_ge()
{
	[ "$2" -ge "$3" ] 2>/dev/null || lc_die "$1 is $2, expected at least $3"
}

# ---- traffic

# topo_ping SERVER DEST COUNT [PING ARGS...]: prints how many replies came.
# The output of the last ping is kept in $TOPO_TMP/ping.last.
topo_ping()
{
	local i=$1 dst=$2 count=$3 out n

	shift 3
	out=$(timeout $((count + 30)) ip netns exec "${TOPO_NS[$i]}" \
		ping -n -q -c "$count" -i 0.2 -W 2 "$@" "$dst" 2>&1) || true
	printf '%s\n' "$out" >"$TOPO_TMP/ping.last"
	# "3 packets transmitted, 3 received" (iputils), "3 packets received"
	if [[ $out =~ ([0-9]+)\ (packets\ )?received ]]; then
		n=${BASH_REMATCH[1]}
	fi
	echo "${n:-0}"
}

# topo_ping_ok SERVER PEER COUNT [-6] [PING ARGS...]: every echo answered.
topo_ping_ok()
{
	local i=$1 j=$2 count=$3 dst n

	shift 3
	dst=$(topo_ip4 "$j")
	if [ "${1:-}" = -6 ]; then
		dst=$(topo_ip6 "$j")
		shift
	fi
	n=$(topo_ping "$i" "$dst" "$count" "$@")
	[ "$n" -eq "$count" ] || lc_die "server $i: ping $* $dst: $n of $count answered:
$(cat "$TOPO_TMP/ping.last")"
}

# topo_bg NAME CMD...: run CMD in the background, stdout to
# $TOPO_TMP/NAME.log, stderr to $TOPO_TMP/NAME.err; killed at the end of
# the case unless waited for.  Never call it inside $(...).
topo_bg()
{
	local name=$1

	shift
	"$@" >"$TOPO_TMP/$name.log" 2>"$TOPO_TMP/$name.err" </dev/null &
	TOPO_PIDS[$name]=$!
}

topo_bg_pid() { echo "${TOPO_PIDS[$1]}"; }

topo_bg_running() { kill -0 "${TOPO_PIDS[$1]}" 2>/dev/null; }

# topo_bg_wait NAME: wait for it; returns its exit status.
topo_bg_wait()
{
	local rc=0

	wait "${TOPO_PIDS[$1]}" || rc=$?
	unset "TOPO_PIDS[$1]"
	return $rc
}

# topo_bg_stop NAME [SIGNAL]: signal it (TERM) and reap it.
topo_bg_stop()
{
	kill -s "${2:-TERM}" "${TOPO_PIDS[$1]}" 2>/dev/null || true
	topo_bg_wait "$1" || true
}

# topo_wait_until SECONDS CMD...: poll CMD every 0.1 s; fail after SECONDS.
topo_wait_until()
{
	local n=$(( $1 * 10 ))

	shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.1
	done
}

topo_listening()  # SERVER PORT tcp|udp
{
	local out

	out=$(ip netns exec "${TOPO_NS[$1]}" ss -Hln "-${3:0:1}" "sport = :$2")
	[ -n "$out" ]
}

# topo_iperf_server SERVER [PORT [SECS [OPTION...]]]: iperf3 -s for one
# test, listening; killed after SECS (default 120), which must outlast the
# client's run.  OPTIONs go to the server (-J, for a client that wants its
# output with --get-server-output).
topo_iperf_server()
{
	local i=$1 port=${2:-5201} secs=${3:-120}

	shift $(($# < 3 ? $# : 3))
	topo_bg "iperf_s$i" timeout "$secs" ip netns exec "${TOPO_NS[$i]}" \
		iperf3 -s -1 -p "$port" "$@"
	topo_wait_until 10 topo_listening "$i" "$port" tcp ||
		lc_die "iperf3 server on server $i not listening: $(cat "$TOPO_TMP/iperf_s$i.err")"
}

# topo_tcp_transfer FROM TO BYTES: send BYTES of pseudo-random data over
# TCP from server FROM to server TO's lc0 IPv4 address, and die unless all
# of it arrived, intact (length and SHA-256).  Prints the receiver's
# "TCP FROM -> TO: bytes=N sha256=HEX secs=S".  An amount, not a rate: tests check that
# the data gets through, make bench how fast.
topo_tcp_transfer()
{
	local from=$1 to=$2 n=$3 port=5301 want got

	topo_bg "tcp_rx$to" timeout 300 ip netns exec "${TOPO_NS[$to]}" python3 -c '
import hashlib, socket, sys, time
srv = socket.create_server(("", int(sys.argv[1])))
conn, _ = srv.accept()
h, n, t0 = hashlib.sha256(), 0, time.monotonic()
while True:
    b = conn.recv(1 << 16)
    if not b:
        break
    h.update(b)
    n += len(b)
print("bytes=%d sha256=%s secs=%.1f" % (n, h.hexdigest(), time.monotonic() - t0))
' "$port"
	topo_wait_until 10 topo_listening "$to" "$port" tcp ||
		lc_die "TCP receiver on server $to not listening: $(cat "$TOPO_TMP/tcp_rx$to.err")"
	want=$(timeout 300 ip netns exec "${TOPO_NS[$from]}" python3 -c '
import hashlib, random, socket, sys
n = int(sys.argv[2])
data = random.Random(n).randbytes(n)
with socket.create_connection((sys.argv[1], int(sys.argv[3]))) as c:
    c.sendall(data)
print(hashlib.sha256(data).hexdigest())
' "$(topo_ip4 "$to")" "$n" "$port") ||
		lc_die "TCP transfer from server $from to server $to failed"
	topo_bg_wait "tcp_rx$to" ||
		lc_die "TCP receiver on server $to failed: $(cat "$TOPO_TMP/tcp_rx$to.err")"
	got=$(cat "$TOPO_TMP/tcp_rx$to.log")
	case $got in
	"bytes=$n sha256=$want "*) printf 'TCP %s -> %s: %s\n' "$from" "$to" "$got" ;;
	*) lc_die "TCP transfer of $n bytes (sha256 $want) arrived as: $got" ;;
	esac
}

# ---- captures

# topo_cap_start NAME SERVER DEV [FILTER...]: tcpdump into $TOPO_TMP/NAME.pcap,
# returns once tcpdump is capturing.
topo_cap_start()
{
	local name=$1 i=$2 dev=$3

	shift 3
	topo_bg "$name" timeout 300 ip netns exec "${TOPO_NS[$i]}" \
		tcpdump -i "$dev" -n -U --immediate-mode -s 0 -Z root \
		-w "$TOPO_TMP/$name.pcap" "$@"
	topo_wait_until 15 grep -q "listening on" "$TOPO_TMP/$name.err" ||
		lc_die "tcpdump on server $i $dev did not start: $(cat "$TOPO_TMP/$name.err")"
}

# topo_cap_stop NAME: let in-flight frames land, stop tcpdump, and make sure
# it lost nothing (a capture that dropped frames proves nothing).
topo_cap_stop()
{
	local name=$1

	sleep 1
	topo_bg_stop "$name" INT
	grep -q "^0 packets dropped by kernel" "$TOPO_TMP/$name.err" ||
		lc_die "capture $name incomplete: $(cat "$TOPO_TMP/$name.err")"
}

topo_pcap() { echo "$TOPO_TMP/$1.pcap"; }

# ---- lcctl monitor

# topo_monitor_start SERVER [NAME [text]]: lcctl -j monitor lc0 (or the text
# form) in the background, into $TOPO_TMP/NAME.log (default monN).
topo_monitor_start()
{
	local i=$1 name=${2:-mon$1} json=-j

	[ "${3:-}" != text ] || json=
	# shellcheck disable=SC2086 # $json is empty or one word
	topo_bg "$name" timeout 300 ip netns exec "${TOPO_NS[$i]}" \
		"$LCCTL" $json monitor lc0
	# lcctl says so on stderr once it has joined the group.
	topo_wait_until 15 grep -q "listening for events" "$TOPO_TMP/$name.err" ||
		lc_die "lcctl monitor on server $i not listening: $(cat "$TOPO_TMP/$name.err")"
}

# topo_events NAME EVENT [--dev D] [--peer P] [--dir D] [--key-id K]: count.
topo_events()
{
	local name=$1

	shift
	lc_json events "$TOPO_TMP/$name.log" "$@"
}

# ---- end of a case

topo_diag()
{
	local i f ns p d q

	echo "--- diagnostics"
	for i in $(topo_seq); do
		ns=${TOPO_NS[$i]}
		ip netns list | grep -qw "$ns" || { echo "server $i: namespace gone"; continue; }
		echo "server $i ($ns):"
		timeout 10 ip netns exec "$ns" "$LCCTL" -j show lc0 2>&1 |
			python3 -I -S "$LC_SELFTESTS/lc_json.py" summary 2>&1 | sed 's/^/  /'
		ip -n "$ns" -s link show lc0 2>&1 | sed 's/^/  /'
		ip -n "$ns" neigh show dev lc0 2>&1 | sed 's/^/  neigh /'
		# Drops below linkcrypt: the underlay and the backlogs.
		ip -n "$ns" -s link show type veth 2>&1 | sed 's/^/  /'
		echo "  UDP counters:"
		ip netns exec "$ns" awk '/^Udp:/ { print "    " $0 }' /proc/net/snmp
	done
	echo "softnet (processed dropped squeezed, per CPU):"
	while read -r p d q _; do
		printf '  %d %d %d\n' "0x$p" "0x$d" "0x$q"
	done </proc/net/softnet_stat
	for f in "$TOPO_TMP"/*.log "$TOPO_TMP"/*.err; do
		[ -s "$f" ] || continue
		echo "${f##*/} (last lines):"
		tail -n 5 "$f" | cut -c1-300 | sed 's/^/  /'
	done
	echo "dmesg (last lines):"
	dmesg 2>/dev/null | tail -n 15 | sed 's/^/  /'
}

topo_teardown()
{
	local rc=$1 name pid k

	set +e
	for name in "${!TOPO_PIDS[@]}"; do
		kill -TERM "${TOPO_PIDS[$name]}" 2>/dev/null
		# A job the case paused (SIGSTOP to the process group its
		# timeout(1) leads) must run again to see the signal.
		kill -CONT -- -"${TOPO_PIDS[$name]}" 2>/dev/null
	done
	for name in "${!TOPO_PIDS[@]}"; do
		pid=${TOPO_PIDS[$name]}
		k=30
		while [ $k -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
			sleep 0.1
			k=$((k - 1))
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	TOPO_PIDS=()
	if [ "$rc" -ne 0 ] && [ "$rc" -ne "$KSFT_SKIP" ] && [ -n "$TOPO_TMP" ]; then
		topo_diag
	fi
	lc_json_stop
	[ -z "$TOPO_TMP" ] || rm -rf "$TOPO_TMP"
}
