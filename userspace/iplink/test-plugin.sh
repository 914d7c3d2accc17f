#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-plugin.sh [SO_DIR]
#
# KTAP test of link_linkcrypt.so, the "ip link" plugin, with the real "ip"
# (or $IP).  SO_DIR is the directory holding link_linkcrypt.so (default: the
# directory of this script); it is used as $IP_LIB_DIR.
#
# Runs anywhere: help text, symbol check, command line errors, the netlink
# request "ip link add" sends (under strace) and the "ip -d" text output
# (through "ip monitor file", no kernel support needed).  When a linkcrypt
# device can be created (module loaded or loadable) it also tests add, show
# (text and JSON) and set against the kernel, in a network namespace of its
# own when it can make one; otherwise those tests are reported as SKIP.
#
# Needs root for the kernel tests.  Optional tools: nm, strace, python3.
# Exit status: 0 all passed (some may be skipped), 1 a test failed, 4 all
# skipped.
set -u

SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)
SO_DIR=${1:-$SCRIPT_DIR}
SO_DIR=$(cd "$SO_DIR" 2>/dev/null && pwd) || {
	echo "test-plugin.sh: ${1:-}: no such directory" >&2
	exit 1
}
SO=$SO_DIR/link_linkcrypt.so
IP=${IP:-ip}
export IP_LIB_DIR=$SO_DIR
# Messages are matched as text.
export LC_ALL=C

NUM_TESTS=26

# ---------------------------------------------------------------- KTAP --

ktap_n=0
ktap_pass=0
ktap_fail=0
ktap_skip=0

ktap_ok() {
	ktap_n=$((ktap_n + 1))
	ktap_pass=$((ktap_pass + 1))
	echo "ok $ktap_n $1"
}

# ktap_not_ok DESCRIPTION [DIAGNOSTIC...]: diagnostics go out as "# " lines.
ktap_not_ok() {
	local desc=$1

	shift
	ktap_n=$((ktap_n + 1))
	ktap_fail=$((ktap_fail + 1))
	echo "not ok $ktap_n $desc"
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" | sed 's/^/# /'
	fi
}

ktap_skip() {
	ktap_n=$((ktap_n + 1))
	ktap_skip=$((ktap_skip + 1))
	echo "ok $ktap_n $1 # SKIP $2"
}

ktap_finish() {
	if [ "$ktap_n" -ne "$NUM_TESTS" ]; then
		echo "# planned $NUM_TESTS tests but ran $ktap_n"
		ktap_fail=$((ktap_fail + 1))
	fi
	echo "# totals: pass:$ktap_pass fail:$ktap_fail skip:$ktap_skip"
	if [ "$ktap_fail" -gt 0 ]; then
		exit 1
	elif [ "$ktap_pass" -eq 0 ]; then
		exit 4
	fi
	exit 0
}

# ------------------------------------------------------------- helpers --

tmp=$(mktemp -d) || exit 1
NS=""
DEVS=()

cleanup() {
	local dev

	if [ -n "$NS" ]; then
		"$IP" netns del "$NS" 2>/dev/null
	else
		for dev in "${DEVS[@]}"; do
			"$IP" link del "$dev" 2>/dev/null
		done
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# run CMD...: sets $rc, $out (stdout) and $err (stderr).
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# Diagnostic lines describing the last run().
last_run() {
	printf '%s\n' "command: $*" "exit status: $rc"
	[ -z "$out" ] || printf 'stdout: %s\n' "$out"
	[ -z "$err" ] || printf 'stderr: %s\n' "$err"
}

# "ip" in the test namespace (or the current one if none could be made).
ipn() {
	if [ -n "$NS" ]; then
		"$IP" -n "$NS" "$@"
	else
		"$IP" "$@"
	fi
}

# ip exits with 255 (exit(-1)) on its own command line errors and with
# 128+N when killed by signal N.
crashed() {
	[ "$rc" -gt 128 ] && [ "$rc" -lt 255 ]
}

# bad_args DESCRIPTION EXPECTED_STDERR_REGEX ARGS...: "ip link add" with
# ARGS after "type linkcrypt" must fail cleanly with the message.
bad_args() {
	local desc=$1 regex=$2

	shift 2
	run ipn link add lcbad0 type linkcrypt "$@"
	# Should the plugin have let it through, do not leave a device behind.
	[ "$rc" -ne 0 ] || ipn link del lcbad0 2>/dev/null
	if [ "$rc" -ne 0 ] && ! crashed && grep -Eq -- "$regex" <<<"$err"; then
		ktap_ok "$desc"
	else
		ktap_not_ok "$desc" "expected failure with stderr matching: $regex" \
			"$(last_run "ip link add lcbad0 type linkcrypt $*")"
	fi
}

host_is_le() {
	[ "$(printf '\001\000' | od -An -tu2 | tr -d ' ')" = 1 ]
}

# Hex (strace -xx style) of a u16 attribute: len 6, TYPE, VALUE, 2 bytes pad.
attr_u16_hex() {
	local type=$1 val=$2

	if host_is_le; then
		printf '\\x06\\x00\\x%02x\\x00\\x%02x\\x%02x\\x00\\x00' \
			"$type" $((val & 255)) $((val >> 8))
	else
		printf '\\x00\\x06\\x00\\x%02x\\x%02x\\x%02x\\x00\\x00' \
			"$type" $((val >> 8)) $((val & 255))
	fi
}

# ------------------------------------------------------- tests: no kernel --

echo "TAP version 13"
echo "1..$NUM_TESTS"
echo "# plugin: $SO"
echo "# ip: $(command -v "$IP") ($("$IP" -V 2>&1))"

if [ "$(id -u)" = 0 ] && "$IP" netns add "lcplug-$$" 2>/dev/null; then
	NS=lcplug-$$
	echo "# using network namespace $NS"
else
	echo "# using the current network namespace"
fi

# 1
if [ -r "$SO" ]; then
	ktap_ok "plugin present"
else
	ktap_not_ok "plugin present" "$SO: not found or not readable"
fi

# 2
if ! command -v nm >/dev/null 2>&1; then
	ktap_skip "plugin symbols are exported by ip" "nm not installed"
elif [ ! -r "$SCRIPT_DIR/check-abi.sh" ]; then
	ktap_skip "plugin symbols are exported by ip" "check-abi.sh not found"
else
	run sh "$SCRIPT_DIR/check-abi.sh" "$SO" "$(command -v "$IP")"
	if [ "$rc" -eq 0 ]; then
		ktap_ok "plugin symbols are exported by ip"
		echo "# $out"
	else
		ktap_not_ok "plugin symbols are exported by ip" "$(last_run check-abi.sh)"
	fi
fi

# 3
run "$IP" link help linkcrypt
if [ "$rc" -eq 0 ] && grep -q 'linkcrypt \[ port PORT \] \[ cipher CIPHER \]' <<<"$out" &&
   grep -q '{ aes-256-gcm | chacha20-poly1305 }' <<<"$out"; then
	ktap_ok "ip link help linkcrypt"
else
	ktap_not_ok "ip link help linkcrypt" "$(last_run ip link help linkcrypt)"
fi

# 4: with immediate binding dlopen() fails if any symbol is missing.
run env LD_BIND_NOW=1 "$IP" link help linkcrypt
if [ "$rc" -eq 0 ] && grep -q 'cipher CIPHER' <<<"$out"; then
	ktap_ok "plugin loads with all symbols bound at once"
else
	ktap_not_ok "plugin loads with all symbols bound at once" \
		"$(last_run LD_BIND_NOW=1 ip link help linkcrypt)"
fi

# 5-15
bad_args "port 0 is rejected" \
	'^Error: argument "0" is wrong: invalid port$' port 0
bad_args "port 70000 is rejected" \
	'^Error: argument "70000" is wrong: invalid port$' port 70000
bad_args "port abc is rejected" \
	'^Error: argument "abc" is wrong: invalid port$' port abc
bad_args "cipher des is rejected" \
	'^Error: argument "des" is wrong: invalid cipher$' cipher des
bad_args "duplicate port is rejected" \
	'^Error: duplicate "port": "7790" is the second value' port 7789 port 7790
bad_args "duplicate cipher is rejected" \
	'^Error: duplicate "cipher"' cipher aes-256-gcm cipher chacha20-poly1305
bad_args "crypto fast is rejected" \
	'^Error: argument "fast" is wrong: invalid crypto mode \(parallel or inline\)$' crypto fast
bad_args "duplicate crypto is rejected" \
	'^Error: duplicate "crypto"' crypto inline crypto parallel
bad_args "port without a value is rejected" \
	'Command line is not complete' port
bad_args "unknown option is rejected" \
	'^linkcrypt: unknown option "bogus"' port 7789 bogus
bad_args "help after type linkcrypt prints usage" \
	'^Usage: \.\.\. linkcrypt' help

# 16: parsing passes and the request reaches the kernel, which either makes
# the device (exit 0) or refuses it (exit 2, e.g. "Unknown device type").
run ipn link add lcpt0 type linkcrypt port 7789 cipher chacha20-poly1305
if [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ]; then
	ktap_ok "good options reach the kernel"
	echo "# kernel answered: ${err:-success}"
else
	ktap_not_ok "good options reach the kernel" \
		"$(last_run ip link add lcpt0 type linkcrypt port 7789 cipher chacha20-poly1305)"
fi
[ "$rc" -ne 0 ] || ipn link del lcpt0 2>/dev/null

# 17: the attributes in the request, as strace shows the sendmsg() payload.
desc="request carries IFLA_LINKCRYPT_PORT and IFLA_LINKCRYPT_CIPHER"
if ! command -v strace >/dev/null 2>&1; then
	ktap_skip "$desc" "strace not installed"
elif ! strace -o /dev/null true 2>/dev/null; then
	ktap_skip "$desc" "strace cannot trace here"
else
	want="$(attr_u16_hex 1 7789)$(attr_u16_hex 2 2)"
	run strace -f -qq -e trace=sendmsg -s 4096 -xx -o "$tmp/strace" \
		"$IP" ${NS:+-n "$NS"} link add lcst0 type linkcrypt \
		port 7789 cipher chacha20-poly1305
	[ "$rc" -ne 0 ] || ipn link del lcst0 2>/dev/null
	# strace decodes the message only partly when ip switched namespace,
	# but the nested attributes always appear as these contiguous bytes.
	if grep 'sendmsg' "$tmp/strace" | grep -qF -- "$want"; then
		ktap_ok "$desc"
	else
		ktap_not_ok "$desc" "expected IFLA_INFO_DATA bytes: $want" \
			"$(last_run strace ip link add ...)" \
			"$(grep sendmsg "$tmp/strace")"
	fi
fi

# 18: print_opt() through the real "ip" with no kernel support: "ip -d
# monitor file" prints RTM_NEWLINK messages read from a file.  The messages:
# lcm0 with port 7789 cipher 2 crypto 2, lcm1 with a cipher and a crypto
# mode unknown to the plugin, lcm2 with no IFLA_INFO_DATA, lcm3 with a
# truncated port attribute.
desc="ip -d shows port, cipher and crypto, unknown values as numbers"
if ! command -v python3 >/dev/null 2>&1; then
	ktap_skip "$desc" "python3 not installed"
else
	python3 - "$tmp/links.nl" <<'EOF'
import struct, sys

def attr(kind, payload):
    length = 4 + len(payload)
    return (struct.pack("=HH", length, kind) + payload
            + b"\0" * ((4 - length % 4) % 4))

def u16(val):
    return struct.pack("=H", val)

def u8(val):
    return struct.pack("=B", val)

def newlink(name, index, data):
    # struct ifinfomsg: AF_UNSPEC, ARPHRD_ETHER, index, BROADCAST|MULTICAST
    body = struct.pack("=BxHiII", 0, 1, index, 0x1002, 0)
    info = attr(1, b"linkcrypt\0")                    # IFLA_INFO_KIND
    if data is not None:
        info += attr(2, data)                         # IFLA_INFO_DATA
    body += attr(3, name + b"\0")                     # IFLA_IFNAME
    body += attr(4, struct.pack("=I", 1420))          # IFLA_MTU
    body += attr(18, info)                            # IFLA_LINKINFO
    # struct nlmsghdr: RTM_NEWLINK
    return struct.pack("=IHHII", 16 + len(body), 16, 0, 1, 0) + body

with open(sys.argv[1], "wb") as f:
    f.write(newlink(b"lcm0", 1000, attr(1, u16(7789)) + attr(2, u16(2)) +
                    attr(3, u8(2))))
    f.write(newlink(b"lcm1", 1001, attr(1, u16(1)) + attr(2, u16(99)) +
                    attr(3, u8(9))))
    f.write(newlink(b"lcm2", 1002, None))
    f.write(newlink(b"lcm3", 1003, attr(1, b"\x01") + attr(2, u16(1))))
EOF
	run "$IP" -d monitor link file "$tmp/links.nl"
	if [ "$rc" -eq 0 ] &&
	   grep -q '^ *linkcrypt port 7789 cipher chacha20-poly1305 crypto inline *$' <<<"$out" &&
	   grep -q '^ *linkcrypt port 1 cipher 99 crypto 9 *$' <<<"$out" &&
	   grep -q '^ *linkcrypt *$' <<<"$out" &&
	   grep -q '^ *linkcrypt cipher aes-256-gcm *$' <<<"$out"; then
		ktap_ok "$desc"
	else
		ktap_not_ok "$desc" "$(last_run ip -d monitor link file links.nl)"
	fi
fi

# ------------------------------------------------- tests: with a kernel --

KERNEL_TESTS=(
	"add with port and cipher"
	"ip -d link show prints port and cipher"
	"ip -d -j link show is JSON with port and cipher"
	"ip link set changes the cipher and keeps the port"
	"port change is refused while the device is up"
	"port change is accepted while the device is down"
	"add without options uses the defaults"
	"crypto mode set at add and changed while up"
)

skip_kernel_tests() {
	local i

	for ((i = $1; i < ${#KERNEL_TESTS[@]}; i++)); do
		ktap_skip "${KERNEL_TESTS[$i]}" "$2"
	done
}

# Field of the linkcrypt device in "ip -d -j link show DEV", or nothing.
json_info_data() {
	python3 -c '
import json, sys
link = json.load(sys.stdin)[0]
print(link["linkinfo"]["info_kind"], link["linkinfo"]["info_data"][sys.argv[1]])
' "$2" <<<"$1" 2>/dev/null
}

kernel_tests() {
	local reason

	# 19
	run ipn link add lcpt0 type linkcrypt port 7789 cipher chacha20-poly1305
	if [ "$rc" -ne 0 ]; then
		if grep -qi 'unknown device type\|not supported' <<<"$err"; then
			reason="no linkcrypt support in this kernel ($err)"
			skip_kernel_tests 0 "$reason"
		else
			ktap_not_ok "${KERNEL_TESTS[0]}" \
				"$(last_run ip link add lcpt0 type linkcrypt port 7789 cipher chacha20-poly1305)"
			skip_kernel_tests 1 "no device to test"
		fi
		return
	fi
	DEVS+=(lcpt0)
	ktap_ok "${KERNEL_TESTS[0]}"

	# 20
	run ipn -d link show lcpt0
	if [ "$rc" -eq 0 ] &&
	   grep -q 'linkcrypt port 7789 cipher chacha20-poly1305 ' <<<"$out"; then
		ktap_ok "${KERNEL_TESTS[1]}"
	else
		ktap_not_ok "${KERNEL_TESTS[1]}" "$(last_run ip -d link show lcpt0)"
	fi

	# 21
	if ! command -v python3 >/dev/null 2>&1; then
		ktap_skip "${KERNEL_TESTS[2]}" "python3 not installed"
	else
		run ipn -d -j link show lcpt0
		if [ "$rc" -eq 0 ] &&
		   python3 -m json.tool <<<"$out" >/dev/null 2>&1 &&
		   [ "$(json_info_data "$out" port)" = "linkcrypt 7789" ] &&
		   [ "$(json_info_data "$out" cipher)" = "linkcrypt chacha20-poly1305" ]; then
			ktap_ok "${KERNEL_TESTS[2]}"
		else
			ktap_not_ok "${KERNEL_TESTS[2]}" "$(last_run ip -d -j link show lcpt0)"
		fi
	fi

	# 22
	run ipn link set lcpt0 type linkcrypt cipher aes-256-gcm
	if [ "$rc" -ne 0 ]; then
		ktap_not_ok "${KERNEL_TESTS[3]}" \
			"$(last_run ip link set lcpt0 type linkcrypt cipher aes-256-gcm)"
	else
		run ipn -d link show lcpt0
		if grep -q 'linkcrypt port 7789 cipher aes-256-gcm ' <<<"$out"; then
			ktap_ok "${KERNEL_TESTS[3]}"
		else
			ktap_not_ok "${KERNEL_TESTS[3]}" "$(last_run ip -d link show lcpt0)"
		fi
	fi

	# 23: the kernel says why, through extended ack ("Error: ...").
	run ipn link set lcpt0 up
	if [ "$rc" -ne 0 ]; then
		ktap_not_ok "${KERNEL_TESTS[4]}" "$(last_run ip link set lcpt0 up)"
	else
		run ipn link set lcpt0 type linkcrypt port 7790
		if [ "$rc" -ne 0 ] && ! crashed && grep -q '^Error: ..*' <<<"$err" &&
		   ipn -d link show lcpt0 | grep -q 'linkcrypt port 7789 '; then
			ktap_ok "${KERNEL_TESTS[4]}"
			echo "# kernel: $err"
		else
			ktap_not_ok "${KERNEL_TESTS[4]}" \
				"$(last_run ip link set lcpt0 type linkcrypt port 7790)" \
				"$(ipn -d link show lcpt0 2>&1)"
		fi
	fi

	# 24
	ipn link set lcpt0 down
	run ipn link set lcpt0 type linkcrypt port 7790
	if [ "$rc" -eq 0 ] &&
	   ipn -d link show lcpt0 | grep -q 'linkcrypt port 7790 cipher aes-256-gcm '; then
		ktap_ok "${KERNEL_TESTS[5]}"
	else
		ktap_not_ok "${KERNEL_TESTS[5]}" \
			"$(last_run ip link set lcpt0 type linkcrypt port 7790)" \
			"$(ipn -d link show lcpt0 2>&1)"
	fi

	# 25: lcpt0 now has 7790, so the default port is free.
	run ipn link add lcpt1 type linkcrypt
	if [ "$rc" -eq 0 ]; then
		DEVS+=(lcpt1)
		run ipn -d link show lcpt1
	fi
	if [ "$rc" -eq 0 ] &&
	   grep -q 'linkcrypt port 7788 cipher aes-256-gcm crypto parallel ' <<<"$out"; then
		ktap_ok "${KERNEL_TESTS[6]}"
	else
		ktap_not_ok "${KERNEL_TESTS[6]}" "$(last_run ip link add/show lcpt1)"
	fi

	# 26: unlike the port, the crypto mode may change while the device is up.
	run ipn link add lcpt2 type linkcrypt port 7791 crypto inline
	if [ "$rc" -eq 0 ]; then
		DEVS+=(lcpt2)
		run ipn -d link show lcpt2
	fi
	if [ "$rc" -eq 0 ] &&
	   grep -q 'linkcrypt port 7791 cipher aes-256-gcm crypto inline ' <<<"$out" &&
	   ipn link set lcpt2 up &&
	   ipn link set lcpt2 type linkcrypt crypto parallel &&
	   [ "$(json_info_data "$(ipn -d -j link show lcpt2)" crypto)" = "linkcrypt parallel" ]; then
		ktap_ok "${KERNEL_TESTS[7]}"
	else
		ktap_not_ok "${KERNEL_TESTS[7]}" "$(last_run ip link add/show lcpt2)" \
			"$(ipn -d link show lcpt2 2>&1)"
	fi
}

if [ "$(id -u)" != 0 ]; then
	skip_kernel_tests 0 "not root"
else
	kernel_tests
fi

ktap_finish
