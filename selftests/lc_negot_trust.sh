#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Key negotiation (lcctl up), trust refused: a wrong fingerprint, a wrong
# CA, an expired certificate or an RSA-1024 peer get no keys and no
# traffic, and the daemon says why.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_topo.sh"
source "$(dirname "$0")/lib_negot.sh"

topo_require ping openssl ss

# no_traffic I J: pings from I to J get no answer.
no_traffic()
{
	local v

	v=$(topo_ping "$1" "$(topo_ip4 "$2")" 3 -W 1)
	topo_expect_eq "server $1: echo replies from $2 without keys" "$v" 0
}

# refused I J: neither side has keys, nothing passes, and I's daemon is
# still running (a refused peer is not fatal).
refused()
{
	negot_no_keys "$1"
	negot_no_keys "$2"
	no_traffic "$1" "$2"
	negot_running "$1" || lc_die "server $1: lcctl up exited"
}

# Server 1 pins a fingerprint that is not server 2's (server 3's).
test_wrong_fingerprint()
{
	topo_build -P -q -N
	negot_conf 1 -r 60s "2=${NEGOT_FPR[3]}"
	negot_conf 2 -r 60s 1
	negot_start 1
	negot_start 2
	negot_wait_log 1 "peer $(topo_pid 1 2): .*fingerprint mismatch: expected ${NEGOT_FPR[3]}, got ${NEGOT_FPR[2]}"
	# Server 2's own attempt is refused by server 1 too.
	negot_wait_log 2 "peer $(topo_pid 2 1): session with .* failed"
	refused 1 2
}

# Server 2's certificate comes from another CA than the one server 1
# trusts (server 2 trusts server 1's CA: only one side refuses).
test_wrong_ca()
{
	local ca=$NEGOT_PKI/ca1.pem

	topo_build -P -q -N
	negot_conf 1 -r 60s -c "$NEGOT_PKI/s1.ca1.crt" -a "$ca" 2@
	negot_conf 2 -r 60s -c "$NEGOT_PKI/s2.ca2.crt" -a "$ca" 1@
	negot_start 1
	negot_start 2
	negot_wait_log 1 "peer $(topo_pid 1 2): .*(unable to get local issuer|not verified)"
	negot_wait_log 2 "peer $(topo_pid 2 1): session with .* failed"
	refused 1 2
}

# bad_peer CERT KEY REASON PEER: server 2 is openssl s_server presenting
# CERT (its daemon would refuse to start with it); server 1's daemon, whose
# configuration has PEER (negot_conf), connects and must refuse it for
# REASON (grep -E).  Then openssl s_client presents it to server 1's
# daemon: refused as well.
bad_peer()
{
	local cert=$1 key=$2 reason=$3 tls=(-tls1_3 -cipher DEFAULT@SECLEVEL=0)

	topo_build -P -q -N
	negot_conf 1 -r 60s "$4"
	topo_bg s_server topo_x 2 openssl s_server -accept "$(topo_port 2)" \
		-cert "$cert" -key "$key" "${tls[@]}" -Verify 1 -quiet
	negot_wait 15 topo_listening 2 "$(topo_port 2)" tcp ||
		lc_die "openssl s_server did not start: $(cat "$TOPO_TMP/s_server.err")"
	negot_start 1
	negot_wait_log 1 "peer $(topo_pid 1 2): session with .* failed: .*($reason)"
	negot_no_keys 1
	topo_bg_stop s_server
	topo_x 2 openssl s_client -connect "$(topo_ul_addr 2 1):$(topo_port 1)" \
		-cert "$cert" -key "$key" "${tls[@]}" </dev/null >/dev/null 2>&1 || true
	negot_wait 15 grep -Eq "session with .* closed: .*($reason)" "$(negot_log 1)" ||
		lc_die "server 1 did not say it refused the incoming session for '$reason': $(tail -n 5 "$(negot_log 1)")"
	negot_no_keys 1
	no_traffic 1 2
	negot_running 1 || lc_die "server 1: lcctl up exited"
}

# Server 2's key (the one server 1 pins) in a certificate that expired.
test_expired()
{
	bad_peer "$NEGOT_PKI/s2.expired.crt" "$NEGOT_PKI/s2.key" "expired" 2
}

# A peer with an RSA-1024 key, pinned by its fingerprint.
test_rsa1024()
{
	bad_peer "$NEGOT_PKI/weak.crt" "$NEGOT_PKI/weak.key" \
		"1024|too weak|too small" "2=$NEGOT_WEAK_FPR"
}

lc_plan 4
negot_pki 3
lc_case wrong_fingerprint_refused test_wrong_fingerprint
lc_case wrong_ca_refused test_wrong_ca
lc_case expired_certificate_refused test_expired
lc_case rsa1024_peer_refused test_rsa1024
lc_exit
