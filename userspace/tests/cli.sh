#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Checks of the lcctl binary as a user runs it: exit codes, where usage
# and errors go, and no sanitizer reports.  Output is KTAP.  Needs no
# linkcrypt module: where the kernel is asked, any of the answers a host
# can give is accepted (module missing, no permission, no such device).
#
#   tests/cli.sh [path/to/lcctl]
set -u

LCCTL=${1:-../build/userspace/lcctl}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
results=

# check DESC RC STDOUT_ERE STDERR_ERE -- CMD...
# An empty pattern means "must be empty", "*" anything, "?RE" empty or
# matching RE.
check() {
	desc=$1 want_rc=$2 want_out=$3 want_err=$4
	shift 5
	n=$((n + 1))
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	why=
	case " $want_rc " in
	*" $rc "*) ;;
	*) why="exit code $rc, expected $want_rc" ;;
	esac
	if [ -z "$why" ]; then why=$(match "$tmp/out" "$want_out" stdout); fi
	if [ -z "$why" ]; then why=$(match "$tmp/err" "$want_err" stderr); fi
	if [ -z "$why" ] && grep -Eq 'Sanitizer|runtime error:' "$tmp/err"; then
		why="sanitizer report"
	fi
	if [ -z "$why" ]; then
		results="${results}ok $n $desc
"
	else
		failed=$((failed + 1))
		results="${results}not ok $n $desc
# $why
$(sed 's/^/# stdout: /' "$tmp/out")
$(sed 's/^/# stderr: /' "$tmp/err")
"
	fi
}

match() {
	file=$1 pattern=$2 name=$3
	case $pattern in
	'*') ;;
	'') [ -s "$file" ] && echo "$name not empty" ;;
	'?'*) [ -s "$file" ] && ! grep -Eq -- "${pattern#?}" "$file" &&
		echo "$name does not match /${pattern#?}/" ;;
	*) grep -Eq -- "$pattern" "$file" || echo "$name does not match /$pattern/" ;;
	esac
}

L=$LCCTL
check "version"                0 '^lcctl [^ ]+ '        '' -- "$L" -V
check "help"                   0 '^Usage: lcctl '       '' -- "$L" help
check "-h"                     0 '^Usage: lcctl '       '' -- "$L" -h
check "show help"              0 '^Usage: lcctl show'   '' -- "$L" show help
check "help show"              0 '^Usage: lcctl show'   '' -- "$L" help show
check "no command"             2 ''  'Usage: lcctl'       -- "$L"
check "unknown command"        2 ''  'unknown command'    -- "$L" frobnicate
check "unknown option"         2 ''  'unknown option'     -- "$L" --frobnicate show
check "show: too many args"    2 ''  'too many arguments' -- "$L" show lc0 lc1
check "show: option after cmd" 2 ''  'options go before'  -- "$L" show -j
check "show: dev w/o name"     2 ''  'requires an argument' -- "$L" show dev
check "show: bad ifindex"      2 ''  'not a valid interface index' -- "$L" show ifindex 0
check "show: bad name"         2 ''  'not a valid interface name' -- "$L" show dev a/b
kernel_says='not loaded|CAP_NET_ADMIN|does not exist'
check "show (any kernel)"      "0 1" '*' "?$kernel_says" -- "$L" show
check "json show (any kernel)" "0 1" '*' "?$kernel_says" -- "$L" -j show
check "show missing device"    1 ''  "$kernel_says"      -- "$L" show lcctl-nx0

# peer, key, monitor: usage and help never reach the kernel.
check "peer help"              0 '^Usage: lcctl peer add' '' -- "$L" peer help
check "help peer"              0 '^Usage: lcctl peer add' '' -- "$L" help peer
check "key help"               0 '^Usage: lcctl key add'  '' -- "$L" key help
check "help key"               0 '^Usage: lcctl key add'  '' -- "$L" help key
check "monitor help"           0 '^Usage: lcctl monitor'  '' -- "$L" monitor help
check "help lists grammar"     0 'lcctl key swap DEV peer ID dir' '' -- "$L" help
check "peer: no sub-command"   2 ''  'needs a sub-command' -- "$L" peer
check "peer add: no endpoint"  2 ''  'needs "endpoint"'  -- "$L" peer add lc0 id 1 remote-id 2
check "peer add: bad endpoint" 2 ''  'not an IPv4 address' -- "$L" peer add lc0 id 1 remote-id 2 endpoint 1.2.3:4
check "peer add: v6 no brackets" 2 '' 'goes in brackets' -- "$L" peer add lc0 id 1 remote-id 2 endpoint 2001:db8::1:4
check "peer add: multicast mac" 2 '' 'must be unicast'   -- "$L" peer add lc0 id 1 remote-id 2 endpoint 192.0.2.1:1 mac 01:00:5e:00:00:01
check "peer set: nothing"      2 ''  'needs something to change' -- "$L" peer set lc0 id 1
check "peer del: id 0"         2 ''  'not a valid peer id' -- "$L" peer del lc0 id 0
check "key add: short key"     2 ''  'must be 72 hex digits' -- "$L" key add lc0 peer 1 dir tx id 1 key 0011
check "key del: no slot"       2 ''  'needs "slot"'      -- "$L" key del lc0 peer 1 dir tx
check "key add: id 256"        2 ''  'not a valid key id' -- "$L" key add lc0 peer 1 dir tx id 256
check "monitor: two devices"   2 ''  'too many arguments' -- "$L" monitor lc0 lc1
hex=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fa0a1a2a3
printf '%s\n' "$hex" >"$tmp/key"
chmod 644 "$tmp/key"
check "key-file too open"      1 ''  'permissions 0644 .* are too open.*chmod 600' -- "$L" key add lc0 peer 1 dir tx id 1 key-file "$tmp/key"
check "key-file missing"       1 ''  'cannot open key file' -- "$L" key add lc0 peer 1 dir tx id 1 key-file "$tmp/nokey"
chmod 600 "$tmp/key"
check "key-file (any kernel)"  1 ''  "$kernel_says"      -- "$L" key add lctest-nx0 peer 1 dir tx id 1 key-file "$tmp/key"
check "key never echoed"       2 ''  'must be 72'        -- sh -c '"$1" key add lc0 peer 1 dir tx id 1 key "${2}0" 2>&1 >/dev/null | grep -v "$2" >&2; exit 2' sh "$L" "$hex"
check "peer show (any kernel)" 1 ''  "$kernel_says"      -- "$L" peer show lctest-nx0
check "peer add (any kernel)"  1 ''  "$kernel_says"      -- "$L" peer add lctest-nx0 id 1 remote-id 2 endpoint '[2001:db8::1]:7788'
check "monitor (any kernel)"   1 ''  "$kernel_says"      -- "$L" monitor lctest-nx0
# genkey, fingerprint, config check: files only, no kernel.
check "genkey help"            0 '^Usage: lcctl genkey'   '' -- "$L" genkey help
check "genkey: 1024 bits"      2 ''  'RSA keys below 2048 bits are refused' -- "$L" genkey bits 1024 key "$tmp/x.key" cert "$tmp/x.crt"
check "genkey: no cert"        2 ''  'needs "cert CERTFILE"' -- "$L" genkey key "$tmp/x.key"
check "genkey: bad name"       2 ''  'is not a DNS name' -- "$L" genkey name a_b key "$tmp/x.key" cert "$tmp/x.crt"
check "genkey alpha"           0 '^[0-9a-f]{64}$' '' -- sh -c 'umask 0; "$1" genkey name alpha.example key "$2/a.key" cert "$2/a.crt"' sh "$L" "$tmp"
check "genkey: key is 0600"    0 '^600$' '' -- stat -c %a "$tmp/a.key"
check "genkey: no overwrite"   1 ''  "key file '.*a.key' exists; it is not overwritten" -- "$L" genkey name alpha.example key "$tmp/a.key" cert "$tmp/a2.crt"
check "genkey beta (json)"     0 '"fingerprint":"[0-9a-f]{64}"' '' -- "$L" -j genkey name beta.example key "$tmp/b.key" cert "$tmp/b.crt"
check "fingerprint"            0 '^[0-9a-f]{64}$' '' -- "$L" fingerprint "$tmp/a.crt"
if command -v openssl >/dev/null && command -v sha256sum >/dev/null; then
	check "fingerprint = openssl" 0 '^same$' '' -- sh -c '
		a=$("$1" fingerprint "$2")
		b=$(openssl x509 -in "$2" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -c1-64)
		[ "$a" = "$b" ] && echo same' sh "$L" "$tmp/a.crt"
fi
check "fingerprint: no file"   2 ''  'needs a certificate file' -- "$L" fingerprint
check "fingerprint: missing"   1 ''  "cannot open certificate" -- "$L" fingerprint "$tmp/none.crt"
check "fingerprint: a key"     1 ''  "cannot read a certificate" -- "$L" fingerprint "$tmp/a.key"
fp_b=$("$L" fingerprint "$tmp/b.crt" 2>/dev/null)
cat >"$tmp/alpha.conf" <<EOF
[Interface]
Device = lc0
PrivateKey = a.key
Certificate = a.crt
Address = 198.51.100.1/24

[Peer]
Fingerprint = $fp_b
Endpoint = 192.0.2.2:7788
Id = 2
EOF
check "config help"            0 '^Usage: lcctl .*config check' '' -- "$L" config help
check "config check"           0 ': OK$'  '' -- "$L" config check "$tmp/alpha.conf"
check "config check dev"       0 '^device lc0 ' '' -- "$L" config check "$tmp/alpha.conf" dev lc0
check "config check json"      0 '"peers":\[\{"id":2,' '' -- "$L" -j config check "$tmp/alpha.conf"
check "config check: other dev" 2 '' 'alpha.conf:2: Device is lc0, but the command line names lc1' -- "$L" config check "$tmp/alpha.conf" dev lc1
sed 's/^Id = 2/Id = 0/' "$tmp/alpha.conf" >"$tmp/bad.conf"
check "config check: bad id"   2 ''  'bad.conf:10: Id: "0" is not a valid peer id' -- "$L" config check "$tmp/bad.conf"
check "config check: missing"  1 ''  'none.conf: cannot open' -- "$L" config check "$tmp/none.conf"
chmod 644 "$tmp/a.key"
check "config check: key 0644" 1 ''  "alpha.conf:3: permissions 0644 for '.*a.key' are too open" -- "$L" config check "$tmp/alpha.conf"
chmod 600 "$tmp/a.key"
check "config: no sub-command" 2 ''  'needs a sub-command' -- "$L" config
if [ -w /dev/full ]; then
	check "write error"    1 '*' 'cannot write the output' -- sh -c '"$1" help >/dev/full' sh "$L"
fi

echo "TAP version 13"
echo "1..$n"
printf '%s' "$results"
echo "# $((n - failed)) / $n passed"
[ "$failed" -eq 0 ]
