#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The bash completion of lcctl (dist/bash-completion/lcctl), as KTAP: the
# completions offered for a few command lines.  Device names come from
# "ip link"; a stub stands in for it, so no device and no root are needed.
set -u

here=$(cd "$(dirname "$0")" && pwd -P)
lcctl=${1:-$(dirname "$here")/build/userspace/lcctl}
bc=/usr/share/bash-completion/bash_completion

echo "TAP version 13"
if [ ! -r "$bc" ]; then
	echo "1..0 # SKIP bash-completion is not installed"
	exit 4
fi

# shellcheck source=/dev/null
. "$bc"
# shellcheck source=dist/bash-completion/lcctl
. "$here/bash-completion/lcctl"

# The stub: two linkcrypt devices, one of them moved from elsewhere.
# shellcheck disable=SC2317 # called by the completion
ip()
{
	printf '%s\n' '5: lc0: <BROADCAST,MULTICAST> mtu 1406 qdisc noop' \
		'7: lc1@if3: <BROADCAST,MULTICAST> mtu 1406 qdisc noop'
}

# complete LINE: what bash would offer at the end of LINE, sorted, one line.
complete_line()
{
	local line=$1

	COMP_LINE=$line
	COMP_POINT=${#line}
	read -r -a COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_lcctl lcctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

cases=(
	"lcctl |config down fingerprint genkey help key monitor peer show up"
	"lcctl -|--help --json --netns --pretty --version -h -j -n -p -V"
	"lcctl -j s|show"
	"lcctl -n blue s|show"
	"lcctl --netns blue -j peer |add del delete help set show"
	"lcctl show |dev help ifindex lc0 lc1"
	"lcctl monitor |dev help lc0 lc1"
	"lcctl peer |add del delete help set show"
	"lcctl peer add |lc0 lc1"
	"lcctl peer add lc0 |endpoint id mac remote-id"
	"lcctl peer add lc0 id 1 remote-id 2 |endpoint mac"
	"lcctl peer add dev |lc0 lc1"
	"lcctl peer set lc0 id 1 mac |none"
	"lcctl peer del lc0 |id"
	"lcctl key |add del delete help swap"
	"lcctl key add lc0 |dir hard-bytes hard-packets hard-time id key key-file peer slot soft-bytes soft-packets soft-time"
	"lcctl key add lc0 peer 1 dir |rx tx"
	"lcctl key add lc0 peer 1 dir tx slot |primary secondary"
	"lcctl key swap lc0 peer 1 |dir"
	"lcctl key del lc0 peer 1 dir rx |slot"
	"lcctl help |config down fingerprint genkey key monitor peer show up"
	"lcctl genkey |bits cert days key name"
	"lcctl genkey bits |2048 3072 4096"
	"lcctl genkey bits 2048 key k.pem |cert days name"
	"lcctl up |-c -v lc0 lc1"
	"lcctl down |lc0 lc1"
	"lcctl down lc0 |timeout"
	"lcctl config |check help"
	"lcctl config check f.conf |dev"
	"lcctl config check f.conf dev |lc0 lc1"
)

echo "1..$((${#cases[@]} + 1))"
n=0
fail=0
for c in "${cases[@]}"; do
	n=$((n + 1))
	line=${c%%|*}
	# shellcheck disable=SC2086 # split the words on purpose
	want=$(printf '%s\n' ${c#*|} | sort | tr '\n' ' ' | sed 's/ $//')
	got=$(complete_line "$line")
	if [ "$got" = "$want" ]; then
		echo "ok $n \"$line\""
	else
		echo "# want: $want"
		echo "# got:  $got"
		echo "not ok $n \"$line\""
		fail=1
	fi
done

# Every command of "lcctl help" is offered.
n=$((n + 1))
if [ ! -x "$lcctl" ]; then
	echo "ok $n every command of lcctl help is completed # SKIP $lcctl not built"
else
	offered=" $(complete_line "lcctl ") "
	missing=
	for c in $("$lcctl" help | sed -n '/COMMAND :=/,/}/p' | tr -d '{}|' |
		   sed 's/.*:=//'); do
		[[ $offered == *" $c "* ]] || missing+=" $c"
	done
	if [ -z "$missing" ]; then
		echo "ok $n every command of lcctl help is completed"
	else
		echo "# not completed:$missing"
		echo "not ok $n every command of lcctl help is completed"
		fail=1
	fi
fi
exit $fail
