# SPDX-License-Identifier: GPL-2.0
# Sourced by the linkcrypt shell selftests.  Prints KTAP as the kernel's
# kselftest.h does (one "ok"/"not ok" line per case, the case's own output
# as "# " diagnostics) and exits with the kselftest codes, so the kernel's
# runner nests it under the program's result.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

# Physical paths: the runner enters this directory through a symlink.
LC_SELFTESTS=$(cd "$(dirname "$0")" && pwd -P)
LC_REPO=$(dirname "$LC_SELFTESTS")
LCCTL=${LCCTL:-$LC_REPO/build/userspace/lcctl}
# "ip link … type linkcrypt OPTIONS" needs our iproute2 plugin.
export IP_LIB_DIR=${IP_LIB_DIR:-$LC_REPO/build/userspace}
LC_NS_PREFIX="lcst$$-"

lc_n=0
lc_pass=0
lc_fail=0
lc_skip=0

lc_plan()
{
	echo "TAP version 13"
	echo "1..$1"
}

# Stop the current case: lc_die MESSAGE, lc_skip_case REASON.
lc_die()
{
	echo "FAIL: $*" >&2
	exit $KSFT_FAIL
}

lc_skip_case()
{
	echo "SKIP: $*" >&2
	exit $KSFT_SKIP
}

# lc_expect_fail CMD...: CMD must fail (and not be killed by a signal).
lc_expect_fail()
{
	local rc=0

	"$@" >/dev/null 2>&1 || rc=$?
	[ $rc -ne 0 ] || lc_die "succeeded but should have failed: $*"
	[ $rc -lt 128 ] || lc_die "killed by signal $((rc - 128)): $*"
}

# A network namespace for the current case, removed by lc_cleanup.
lc_ns()
{
	ip netns add "$LC_NS_PREFIX$1"
	ip -n "$LC_NS_PREFIX$1" link set lo up
	echo "$LC_NS_PREFIX$1"
}

lc_cleanup()
{
	local ns dev

	# (No awk or cut: this runs after every case, and each process start
	# costs about 0.1 s under TCG.)
	for ns in /run/netns/"$LC_NS_PREFIX"*; do
		[ ! -e "$ns" ] || ip netns del "${ns##*/}"
	done
	ip -o link show type linkcrypt 2>/dev/null | while read -r _ dev _; do
		dev=${dev%:}
		ip link del "${dev%@*}"
	done
}

# lc_case NAME FUNCTION: run FUNCTION in a subshell with errexit and report,
# with how long it took (a diagnostic line: CI's time is budgeted).
lc_case()
{
	local name=$1 rc=0 out t0=$SECONDS

	shift
	lc_n=$((lc_n + 1))
	# Not in an "||" list: that would switch errexit off inside the case.
	out=$( (set -e; "$@") 2>&1 ); rc=$?
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'
	echo "# $name: $((SECONDS - t0)) s"
	case $rc in
	0)	echo "ok $lc_n $name"; lc_pass=$((lc_pass + 1)) ;;
	"$KSFT_SKIP")
		echo "ok $lc_n $name # SKIP"; lc_skip=$((lc_skip + 1)) ;;
	*)	echo "not ok $lc_n $name"; lc_fail=$((lc_fail + 1)) ;;
	esac
	lc_cleanup
}

lc_exit()
{
	echo "# Totals: pass:$lc_pass fail:$lc_fail skip:$lc_skip"
	[ $lc_fail -eq 0 ] || exit $KSFT_FAIL
	[ $lc_pass -gt 0 ] || exit $KSFT_SKIP
	exit $KSFT_PASS
}

# Number of linkcrypt devices in a namespace ("" = the current one).
lc_count_devices()
{
	if [ -n "${1:-}" ]; then
		ip -n "$1" -o link show type linkcrypt | wc -l
	else
		ip -o link show type linkcrypt | wc -l
	fi
}

[ "$(id -u)" -eq 0 ] || { echo "# SKIP: needs root"; exit $KSFT_SKIP; }
