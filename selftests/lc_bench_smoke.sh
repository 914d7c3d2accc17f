#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Smoke run of `make bench` (scripts/bench-guest, scripts/bench-report) with
# tiny durations, so that the benchmark does not rot: every configuration
# (plain veth, linkcrypt AES-256-GCM and ChaCha20-Poly1305, WireGuard,
# MACsec, IPsec) is set up and carries traffic through its own tunnel, the
# negotiation, scale and profile parts run, and the report reads the
# result.  It measures nothing worth reading: the figures come from
# `make bench`.
source "$(dirname "$0")/lib.sh"

GUEST=$LC_REPO/scripts/bench-guest
REPORT=$LC_REPO/scripts/bench-report
NEGOT=$LC_REPO/build/bench/bench-negot

for t in python3 iperf3 wg ping taskset openssl perf; do
	command -v "$t" >/dev/null || { echo "# SKIP: $t not installed"; exit "$KSFT_SKIP"; }
done
for f in "$LCCTL" "$NEGOT"; do
	[ -x "$f" ] || { echo "# SKIP: $f not built (make all)"; exit "$KSFT_SKIP"; }
done

BENCH_TMP=$(mktemp -d /tmp/lc-bench.XXXXXX)
trap 'rm -rf "$BENCH_TMP"' EXIT
RAW=$BENCH_TMP/raw.json

# field EXPR: a value of the raw results (a Python expression over r).
field()
{
	python3 -I -S -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$RAW" "$1"
}

test_run()
{
	local rc=0

	# One round, two seconds an iperf3 run, TCP 1 stream and ping only;
	# tcrypt's speed modes take a minute and are left to make bench.  The
	# whole run takes under 3 minutes on a stock kernel; the limit only
	# catches a hang, on the debug kernel too.
	timeout 1200 "$GUEST" --out "$RAW" --rounds 1 --seconds 2 --ping 5 \
		--tests tcp1,ping --skip aead --negot-sec 1 --bringup 2 \
		--scale 50,100 --profile lc-aes 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || lc_die "bench-guest exited $rc"
	[ "$(field 'r.get("error")')" = None ] || lc_die "bench-guest: $(field 'r["error"]')"
	echo "phases (s): $(field 'r["phase_seconds"]')"
}

test_results()
{
	local c v

	[ -s "$RAW" ] || lc_die "no results (the run case failed)"
	for c in plain lc-aes lc-chacha lc-aes-inline wireguard macsec ipsec; do
		v=$(field "r['samples']['$c']['tcp1_gbps'][0] > 0 and r['samples']['$c']['rtt_p50_us'][0] > 0")
		[ "$v" = True ] || lc_die "$c: no throughput or RTT: $(field "r['samples']['$c']")"
		# The traffic credited to a tunnel went through it: at least
		# the TCP run's segments (about 2 s of it) were sent there.
		v=$(field "r['tunnel_tx_packets']['$c']")
		[ "$v" -ge 100 ] || lc_die "$c: only $v packets went through its device"
	done
	# The profile resolved kernel symbols: the AEAD's own functions were
	# sampled while the stream ran.
	v=$(field "r['profile']['lc-aes']['gbps'] > 0 and r['profile']['lc-aes']['classes'].get('cipher', 0) > 0")
	[ "$v" = True ] || lc_die "profile of lc-aes: $(field 'r.get("profile")')"
	# ... and every CPU's samples, each idle for a share within 0-100 %.
	v=$(field "sorted(r['profile']['lc-aes']['idle_by_cpu']) == [str(c) for c in range(r['cpus'])] and all(0 <= x <= 100 for x in r['profile']['lc-aes']['idle_by_cpu'].values())")
	[ "$v" = True ] || lc_die "idle by CPU in the profile: $(field "r['profile']['lc-aes'].get('idle_by_cpu')") for $(field "r['cpus']") CPUs"
	v=$(field "r['negot']['negotiations'] > 0 and r['negot']['openssl_sign_per_s'] > 0")
	[ "$v" = True ] || lc_die "negotiation figures missing: $(field 'r.get("negot")')"
	v=$(field "r['bringup']['peers']")
	topo_eq "peers brought up" "$v" 2
	v=$(field "[p['peers'] for p in r['scale']]")
	[ "$v" = "[50, 100, 50]" ] || lc_die "scale points: $v"
	v=$(field "all(p['seconds'] > 0 for p in r['scale'])")
	[ "$v" = True ] || lc_die "scale timings: $(field 'r["scale"]')"
}

topo_eq()
{
	[ "$2" -eq "$3" ] 2>/dev/null || lc_die "$1 is $2, expected $3"
}

test_report()
{
	local out

	[ -s "$RAW" ] || lc_die "no results (the run case failed)"
	out=$(python3 -I "$REPORT" "$RAW" --json "$BENCH_TMP/bench.json" \
		--png "$BENCH_TMP/bench.png") || lc_die "bench-report failed: $out"
	printf '%s\n' "$out" | head -n 12
	grep -q "lc-aes/wireguard" <<<"$out" || lc_die "no linkcrypt/WireGuard ratio in the table"
	python3 -I -S -c 'import json, sys
s = json.load(open(sys.argv[1]))
r = s["ratios"]["lc-aes/macsec"]["tcp1_gbps"]
sys.exit(0 if r and r["median"] > 0 else 1)' "$BENCH_TMP/bench.json" ||
		lc_die "the summary JSON has no lc-aes/macsec TCP ratio"
	[ "$(head -c 4 "$BENCH_TMP/bench.png" | od -An -tx1 | tr -d ' ')" = 89504e47 ] ||
		lc_die "the chart is not a PNG"
}

lc_plan 3
lc_case bench_guest_runs test_run
lc_case results_complete test_results
lc_case report_table_json_png test_report
lc_exit
