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
if [ -w /dev/full ]; then
	check "write error"    1 '*' 'cannot write the output' -- sh -c '"$1" help >/dev/full' sh "$L"
fi

echo "TAP version 13"
echo "1..$n"
printf '%s' "$results"
echo "# $((n - failed)) / $n passed"
[ "$failed" -eq 0 ]
