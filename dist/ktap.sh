# SPDX-License-Identifier: GPL-2.0
# KTAP results for the packaging checks (dist/check-*.sh), sourced by them.
# report RC DESCRIPTION prints the next "ok N" or "not ok N" and remembers
# a failure in $fail, which the check ends with ("exit $fail").

n=0
fail=0
report()
{
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fail=1
	fi
}
