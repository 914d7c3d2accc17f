# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced after lib.sh and lib_topo.sh by the negotiation selftests (lcctl
# up).  Makes the identities once per program, writes each server's
# configuration file, starts and stops the daemons, and reads what they
# installed.  The servers are lib_topo.sh's (topo_build -P: lc0 without
# peers; the daemon adds them).
#
# Identities, in $NEGOT_PKI, made by negot_pki at the start of a program
# (RSA key generation takes long under emulation: once, not per case; and
# kept for the next program until the machine restarts, in a directory
# named after the boot id, since the VM's /tmp does not outlive it):
#   sI.key sI.crt     server I's key and self-signed certificate (lcctl
#                     genkey, name sI.lc.test); fingerprint ${NEGOT_FPR[I]}
#   ca1.pem ca2.pem   two CAs (openssl, P-256 keys: the RSA rules are for
#                     the servers' keys); sI.ca1.crt: server I's key
#                     certified by ca1; s2.ca2.crt: server 2's by ca2
#   s2.expired.crt    server 2's key, self-signed, valid 2020 only
#   weak.key weak.crt an RSA-1024 key, self-signed, name s2.lc.test;
#                     fingerprint $NEGOT_WEAK_FPR
#
# The daemon of server I logs (with -v) to $TOPO_TMP/upI.err; topo_diag
# prints its tail on failure.

declare -a NEGOT_FPR=()
NEGOT_WEAK_FPR=
NEGOT_PKI=

negot_name() { echo "s$1.lc.test"; }

# negot_openssl ARGS...: openssl, quiet unless it fails.
negot_openssl()
{
	local out

	out=$(openssl "$@" 2>&1) || lc_die "openssl $1 failed: $out"
}

# negot_ca_sign CA KEY NAME OUT [openssl ca options]: a leaf certificate
# for KEY, named NAME (CN and subjectAltName), with the extensions lcctl
# genkey gives; signed by CA (ca1, ca2), or self-signed if CA is "self".
negot_ca_sign()
{
	local ca=$1 key=$2 name=$3 out=$4 d=$NEGOT_PKI/db.$RANDOM$RANDOM
	local sign=(-cert "$NEGOT_PKI/$ca.pem" -keyfile "$NEGOT_PKI/$ca.key")

	shift 4
	[ "$ca" != self ] || sign=(-selfsign -keyfile "$key")
	mkdir "$d"
	: >"$d/index.txt"
	topo_rand_hex 16 >"$d/serial"
	cat >"$d/ca.cnf" <<-EOF
	[ca]
	default_ca = d
	[d]
	database = $d/index.txt
	new_certs_dir = $d
	serial = $d/serial
	default_md = sha256
	default_days = 30
	policy = p
	unique_subject = no
	[p]
	commonName = supplied
	[leaf]
	basicConstraints = critical,CA:FALSE
	keyUsage = critical,digitalSignature
	extendedKeyUsage = serverAuth,clientAuth
	subjectAltName = DNS:$name
	subjectKeyIdentifier = hash
	EOF
	negot_openssl req -new -key "$key" -subj "/CN=$name" -out "$d/req.csr"
	negot_openssl ca -batch -notext -config "$d/ca.cnf" "${sign[@]}" \
		-in "$d/req.csr" -extensions leaf -out "$out" "$@"
	rm -rf "$d"
}

# negot_pki N: identities of servers 1..N and the rest (see the header).
# Sets NEGOT_PKI and the fingerprints.
negot_pki()
{
	local n=$1 i c boot t0=$SECONDS

	boot=$(cat /proc/sys/kernel/random/boot_id)
	NEGOT_PKI=/tmp/lc-negot-pki.$boot
	mkdir -p "$NEGOT_PKI"
	chmod 700 "$NEGOT_PKI"
	for i in $(seq 1 "$n"); do
		[ -e "$NEGOT_PKI/s$i.crt" ] ||
			"$LCCTL" genkey name "$(negot_name "$i")" key "$NEGOT_PKI/s$i.key" \
				cert "$NEGOT_PKI/s$i.crt" >/dev/null || lc_die "lcctl genkey failed"
		NEGOT_FPR[i]=$("$LCCTL" fingerprint "$NEGOT_PKI/s$i.crt") ||
			lc_die "lcctl fingerprint s$i.crt failed"
	done
	for c in ca1 ca2; do
		[ -e "$NEGOT_PKI/$c.pem" ] ||
			negot_openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
				-nodes -sha256 -days 30 -subj "/CN=linkcrypt test $c" \
				-keyout "$NEGOT_PKI/$c.key" -out "$NEGOT_PKI/$c.pem" \
				-addext basicConstraints=critical,CA:TRUE \
				-addext keyUsage=critical,keyCertSign,cRLSign
	done
	for i in $(seq 1 "$n"); do
		[ -e "$NEGOT_PKI/s$i.ca1.crt" ] ||
			negot_ca_sign ca1 "$NEGOT_PKI/s$i.key" "$(negot_name "$i")" \
				"$NEGOT_PKI/s$i.ca1.crt"
	done
	[ -e "$NEGOT_PKI/s2.ca2.crt" ] ||
		negot_ca_sign ca2 "$NEGOT_PKI/s2.key" "$(negot_name 2)" "$NEGOT_PKI/s2.ca2.crt"
	[ -e "$NEGOT_PKI/s2.expired.crt" ] ||
		negot_ca_sign self "$NEGOT_PKI/s2.key" "$(negot_name 2)" \
			"$NEGOT_PKI/s2.expired.crt" \
			-startdate 20200101000000Z -enddate 20210101000000Z
	if [ ! -e "$NEGOT_PKI/weak.crt" ]; then
		negot_openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 \
			-out "$NEGOT_PKI/weak.key"
		negot_ca_sign self "$NEGOT_PKI/weak.key" "$(negot_name 2)" "$NEGOT_PKI/weak.crt"
	fi
	chmod 600 "$NEGOT_PKI"/*.key
	NEGOT_WEAK_FPR=$("$LCCTL" fingerprint "$NEGOT_PKI/weak.crt") ||
		lc_die "lcctl fingerprint weak.crt failed"
	echo "# identities ready in $((SECONDS - t0))s"
}

# negot_conf SERVER [-r REKEY] [-l LIFETIME] [-c CERT] [-a CA] [-M]
#            [-o FILE] PEER...
# Server's configuration file ($TOPO_TMP/sI.conf, or FILE).  PEER: J (pin
# server J's fingerprint), J@ (CA mode: Name sJ.lc.test), J=HEX (pin HEX
# for server J).  Defaults: RekeyAfter 2s, KeyLifetime 3 x, our genkey
# certificate, no CA; -M: the peer's lc0 MAC as its static MAC.
negot_conf()
{
	local i=$1 opt OPTIND=2 rekey=2s life="" cert="" ca="" macs=0 f p j
	local out=""

	while getopts "r:l:c:a:Mo:" opt; do
		case $opt in
		r) rekey=$OPTARG ;;
		l) life=$OPTARG ;;
		c) cert=$OPTARG ;;
		a) ca=$OPTARG ;;
		M) macs=1 ;;
		o) out=$OPTARG ;;
		*) lc_die "negot_conf: unknown option" ;;
		esac
	done
	shift $((OPTIND - 1))
	f=${out:-$TOPO_TMP/s$i.conf}
	{
		echo "[Interface]"
		echo "PrivateKey = $NEGOT_PKI/s$i.key"
		echo "Certificate = ${cert:-$NEGOT_PKI/s$i.crt}"
		[ -z "$ca" ] || echo "CA = $ca"
		echo "ListenPort = $(topo_port "$i")"
		echo "Cipher = $TOPO_CIPHER"
		echo "RekeyAfter = $rekey"
		[ -z "$life" ] || echo "KeyLifetime = $life"
		for p in "$@"; do
			j=${p%%[@=]*}
			echo
			echo "[Peer]"
			case $p in
			*@) echo "Name = $(negot_name "$j")" ;;
			*=*) echo "Fingerprint = ${p#*=}" ;;
			*) echo "Fingerprint = ${NEGOT_FPR[j]}" ;;
			esac
			echo "Endpoint = $(topo_endpoint "$i" "$j")"
			echo "Id = $(topo_pid "$i" "$j")"
			[ "$macs" = 0 ] || echo "MAC = $(topo_mac "$j")"
		done
	} >"$f"
}

negot_log() { echo "$TOPO_TMP/up$1.err"; }

# negot_start SERVER [CONF]: its daemon in the background (not under
# timeout(1): the pid is lcctl's own, for kill -9), listening.  A log kept
# across restarts: each start appends a marker line.
negot_start()
{
	local i=$1 conf=${2:-$TOPO_TMP/s$1.conf} log

	log=$(negot_log "$i")
	echo "=== start $(date +%T.%N)" >>"$log"
	ip netns exec "$(topo_ns "$i")" "$LCCTL" up lc0 -c "$conf" -v \
		</dev/null >/dev/null 2>>"$log" &
	TOPO_PIDS["up$i"]=$!
}

# negot_listening SERVER: its daemon is up (it logs so once listening).
negot_listening()
{
	tac "$(negot_log "$1")" | sed '/^=== start/q' | grep -q "listening on TCP port"
}

negot_start_wait()
{
	negot_start "$@"
	negot_wait 30 negot_listening "$1" ||
		lc_die "server $1: lcctl up did not start: $(tail -n 5 "$(negot_log "$1")")"
}

# negot_gone PID: the process has exited (a zombie until reaped).
negot_gone()
{
	local st

	st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 0
	[ -z "$st" ] || [ "$st" = Z ]
}

# negot_stop SERVER [SIGNAL]: stop its daemon (TERM: it deletes its keys
# and must exit 0 within 20 s); fails if a TERM did not do so.
negot_stop()
{
	local i=$1 sig=${2:-TERM} rc=0 pid=${TOPO_PIDS["up$1"]}

	kill -s "$sig" "$pid" 2>/dev/null || true
	if ! negot_wait 20 negot_gone "$pid"; then
		kill -KILL "$pid" 2>/dev/null || true
		topo_bg_wait "up$i" || true
		lc_die "server $i: lcctl up still running 20s after SIG$sig: $(tail -n 5 "$(negot_log "$i")")"
	fi
	topo_bg_wait "up$i" || rc=$?
	[ "$sig" != TERM ] || [ $rc -eq 0 ] ||
		lc_die "server $i: lcctl up exited $rc on SIGTERM: $(tail -n 5 "$(negot_log "$i")")"
}

negot_running() { topo_bg_running "up$1"; }

# negot_epochs SERVER PEER: epochs the daemon of SERVER installed for PEER,
# as its log says, one a line (all its runs).
negot_epochs()
{
	sed -n "s/.*: peer $(topo_pid "$1" "$2"): epoch \([0-9]*\): keys installed.*/\1/p" \
		"$(negot_log "$1")"
}

# negot_nepochs SERVER PEER: how many.
negot_nepochs() { negot_epochs "$1" "$2" | wc -l; }

# negot_epochs_ge SERVER PEER N: at least N installed.
negot_epochs_ge() { [ "$(negot_nepochs "$1" "$2")" -ge "$3" ]; }

# negot_agree I J: I's TX key for J (the primary) is one of J's RX keys
# for I (either slot: a new RX key goes where there is room), and back.
negot_agree()
{
	local ki kj ti tj

	ki=$(topo_keys "$1" "$2" 2>/dev/null) || return 1
	kj=$(topo_keys "$2" "$1" 2>/dev/null) || return 1
	ti=$(sed -n 's/^tx primary //p' <<<"$ki")
	tj=$(sed -n 's/^tx primary //p' <<<"$kj")
	[ -n "$ti" ] && [ -n "$tj" ] &&
		grep -Eqx "rx (primary|secondary) $ti" <<<"$kj" &&
		grep -Eqx "rx (primary|secondary) $tj" <<<"$ki"
}

# negot_wait SECONDS CMD...: poll CMD every 0.2 s until it succeeds; fail
# after SECONDS of wall-clock time (topo_wait_until counts polls, which
# take much longer than 0.1 s on a loaded emulated machine).
negot_wait()
{
	local end=$(( ${EPOCHREALTIME/./} + $1 * 1000000 ))

	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# negot_alive SERVER...: their daemons run; else die with the log's tail.
negot_alive()
{
	local i

	for i in "$@"; do
		negot_running "$i" ||
			lc_die "server $i: lcctl up exited: $(tail -n 5 "$(negot_log "$i")")"
	done
}

# negot_ping_once I J: one echo from I to J is answered (so I's TX key is
# one of J's RX keys, and back).
negot_ping_once() { [ "$(topo_ping "$1" "$(topo_ip4 "$2")" 1 -W 1)" = 1 ]; }

# negot_ready_or_dead I J: the keys agree, or a ping crosses (the same,
# seen atomically: with rekeys every 2 s, two lcctl calls on a loaded
# emulated machine may straddle one), or a daemon exited.
negot_ready_or_dead()
{
	negot_agree "$1" "$2" || negot_ping_once "$1" "$2" ||
		! negot_running "$1" || ! negot_running "$2"
}

# negot_wait_pair I J [SECS]: wait until the daemons of I and J agree
# (negot_ready_or_dead).
negot_wait_pair()
{
	local i=$1 j=$2 secs=${3:-30}

	negot_wait "$secs" negot_ready_or_dead "$i" "$j" || true
	negot_alive "$i" "$j"
	negot_agree "$i" "$j" || negot_ping_once "$i" "$j" ||
		lc_die "servers $i and $j hold no agreed keys after ${secs}s: server $i: $(topo_keys "$i" "$j" 2>&1 | paste -sd,); server $j: $(topo_keys "$j" "$i" 2>&1 | paste -sd,)"
}

# negot_no_keys SERVER: the kernel of SERVER has no key for any peer (the
# daemon adds a peer only with its first keys: no peer at all is fine).
negot_no_keys()
{
	local js p k

	js=$(topo_json "$1")
	for p in $(lc_json peers lc0 <<<"$js"); do
		k=$(lc_json keys lc0 "$p" <<<"$js")
		[ -z "$k" ] || lc_die "server $1, peer $p has keys: $(paste -sd' ' <<<"$k")"
	done
}

# negot_log_has SERVER REGEX: the daemon logged a line matching REGEX
# (grep -E) at level warning or error.
negot_log_has()
{
	grep -E "lcctl up: (warning|error): .*($2)" "$(negot_log "$1")"
}

# negot_wait_log SERVER REGEX [SECS]
negot_wait_log()
{
	negot_wait "${3:-30}" negot_log_has "$1" "$2" ||
		lc_die "server $1: no warning matching '$2' in ${3:-30}s; log: $(tail -n 8 "$(negot_log "$1")")"
}

# negot_no_secrets SERVER: nothing in the log looks like key material (72
# hex digits: a key and salt) or mentions it.
negot_no_secrets()
{
	! grep -Eiq '[0-9a-f]{72}|material' "$(negot_log "$1")" ||
		lc_die "server $1: its log shows key material?"
}
