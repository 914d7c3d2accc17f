#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The systemd template unit lcctl@.service, as KTAP: installed by "make
# install-systemd" into a temporary PREFIX (so that the programs it names
# exist where it says), it passes "systemd-analyze verify" (unit syntax,
# executables, man pages), a unit naming a missing program does not, and
# its sandbox keeps "systemd-analyze security" at 3.0 or less.  Runs
# nothing as a service; writes only below a temporary directory.
set -u

repo=$(cd "$(dirname "$0")/.." && pwd -P)

# shellcheck source=dist/ktap.sh
source "$repo/dist/ktap.sh"

echo "TAP version 13"
if ! command -v systemd-analyze >/dev/null; then
	echo "1..0 # SKIP systemd-analyze not installed"
	exit 4
fi
if [ ! -x "$repo/build/userspace/lcctl" ]; then
	echo "1..0 # SKIP lcctl not built yet (make)"
	exit 4
fi
echo "1..5"

d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
unit=$d/usr/lib/systemd/system/lcctl@.service

# PREFIX inside $d: the unit names $d/usr/sbin/lcctl, which exists.
out=$(make -s -C "$repo" install-tools install-data install-systemd \
	PREFIX="$d/usr" IPLIBDIR="$d/iplib" BASHCOMPDIR="$d/bashcomp" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
report $rc "make install-systemd PREFIX=..."

# What the unit runs, once %i is lc0.
p=()
grep -qx "ExecStartPre=$d/usr/libexec/linkcrypt/ensure-device %i /etc/linkcrypt/%i.conf" "$unit" ||
	p+=("no ExecStartPre making the device")
grep -qx "ExecStart=$d/usr/sbin/lcctl up %i -c /etc/linkcrypt/%i.conf" "$unit" ||
	p+=("ExecStart is not lcctl up %i -c /etc/linkcrypt/%i.conf")
# shellcheck disable=SC2016 # a literal $MAINPID
grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$unit" || p+=("ExecReload does not send SIGHUP")
grep -qx 'Restart=on-failure' "$unit" || p+=("not Restart=on-failure")
grep -qE '@[A-Z]+@' "$unit" "$d/usr/libexec/linkcrypt/ensure-device" && p+=("unsubstituted @...@")
[ -x "$d/usr/libexec/linkcrypt/ensure-device" ] || p+=("ensure-device is not executable")
sh -n "$d/usr/libexec/linkcrypt/ensure-device" || p+=("ensure-device: syntax error")
# ProtectSystem=strict leaves only the RuntimeDirectory writable: it
# must be where lcctl up keeps its pid file (LC_RUN_DIR).
rundir=$(sed -n 's/^#define LC_RUN_DIR[[:space:]]*"\(.*\)"/\1/p' "$repo/userspace/pidfile.h")
[ -n "$rundir" ] || p+=("no LC_RUN_DIR in userspace/pidfile.h")
grep -qx "RuntimeDirectory=${rundir#/run/}" "$unit" ||
	p+=("RuntimeDirectory is not ${rundir#/run/} (lcctl up's $rundir)")
grep -qx 'RuntimeDirectoryPreserve=yes' "$unit" ||
	p+=("RuntimeDirectoryPreserve=yes missing: stopping one instance would remove the others' pid files")
[ ${#p[@]} -eq 0 ] || printf '# %s\n' "${p[@]}"
report ${#p[@]} "the unit runs ensure-device and lcctl up for /etc/linkcrypt/%i.conf, with a writable $rundir"

# MANPATH: Documentation= names lcctl(8) and linkcrypt(7), as installed.
out=$(MANPATH=$d/usr/share/man systemd-analyze verify "$unit" 2>&1)
rc=$?
[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'
[ -z "$out" ] || rc=1
report $rc "systemd-analyze verify lcctl@.service"

# The same unit naming a program that is not there must fail: verify
# really looks at the executables.
sed "s|$d/usr/sbin/lcctl|$d/nowhere/lcctl|" "$unit" >"$d/lcctl@.service"
out=$(MANPATH=$d/usr/share/man systemd-analyze verify "$d/lcctl@.service" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
report "$([ $rc -ne 0 ] && grep -q 'nowhere/lcctl' <<<"$out"; echo $?)" \
	"systemd-analyze verify fails for a missing ExecStart program"

out=$(systemd-analyze security --offline=yes --threshold=30 "$unit" 2>&1)
rc=$?
printf '%s\n' "$out" | grep -E 'Overall exposure|^✗' | sed 's/^/# /'
report $rc "systemd-analyze security: exposure at most 3.0"
exit $fail
