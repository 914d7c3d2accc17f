#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The DKMS source tree that "make install" puts in /usr/src builds the
# module, as KTAP: "dkms add" and "dkms build" for each target kernel
# (scripts/kernels; KERNELS= filters), against a copy installed in a
# temporary DESTDIR and with a temporary DKMS tree, so the system's DKMS
# state is not touched.  Skipped when dkms is not installed.
#
# Note: dkms signs what it builds, and makes itself a key
# (/var/lib/dkms/mok.key) the first time, as on any machine using it.
set -u

repo=$(cd "$(dirname "$0")/.." && pwd -P)
ver=$(sed -n 's/^#define LC_VERSION[[:space:]]*"\(.*\)"/\1/p' "$repo/module/lc_consts.h")

echo "TAP version 13"
if ! command -v dkms >/dev/null; then
	echo "1..0 # SKIP dkms is not installed"
	exit 4
fi
kvers=$("$repo/scripts/kernels" "${KERNELS:-}") || exit 1
# DKMS builds against an installed kernel's headers; the debug kernel
# (scripts/debug-kernel) boots from its build tree and is never installed.
kvers=$(printf '%s\n' "$kvers" | grep -v -e '-lcdebug$')
if [ -z "$kvers" ]; then
	echo "1..0 # SKIP no installed kernel among KERNELS='${KERNELS:-}'"
	exit 4
fi
echo "1..$((2 + $(echo "$kvers" | wc -w)))"

# shellcheck source=dist/ktap.sh
source "$repo/dist/ktap.sh"

d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
src=$d/root/usr/src
tree=$d/dkms
mkdir -p "$src/linkcrypt-$ver" "$tree"

# Only the DKMS part of "make install": the rest needs a built tree.
out=$(make -s -C "$repo" install-dkms DESTDIR="$d/root" 2>&1)
rc=$?
[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'
out=$(dkms add "linkcrypt/$ver" --sourcetree "$src" --dkmstree "$tree" 2>&1)
rc2=$?
[ $rc2 -eq 0 ] || printf '%s\n' "$out" | sed 's/^/# /'
report "$([ $rc -eq 0 ] && [ $rc2 -eq 0 ]; echo $?)" "dkms add linkcrypt/$ver"

for k in $kvers; do
	out=$(dkms build "linkcrypt/$ver" -k "$k" \
		--kernelsourcedir "/lib/modules/$k/build" \
		--sourcetree "$src" --dkmstree "$tree" 2>&1)
	rc=$?
	ko=$(find "$tree/linkcrypt/$ver/$k" -name 'linkcrypt.ko*' 2>/dev/null | head -n 1)
	p=()
	[ $rc -eq 0 ] || p+=("dkms build exited with $rc")
	if [ -z "$ko" ]; then
		p+=("no linkcrypt.ko built")
	else
		mv=$(modinfo -F version "$ko" 2>/dev/null)
		vm=$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)
		[ "$mv" = "$ver" ] || p+=("version '$mv', want $ver")
		[ "$vm" = "$k" ] || p+=("vermagic '$vm', want $k")
	fi
	if [ ${#p[@]} -ne 0 ]; then
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
		tail -n 20 "$tree/linkcrypt/$ver/build/make.log" 2>/dev/null | sed 's/^/# /'
		printf '# %s\n' "${p[@]}"
	fi
	report ${#p[@]} "dkms build for $k"
done

out=$(dkms status "linkcrypt/$ver" --dkmstree "$tree" 2>&1)
printf '%s\n' "$out" | grep -v '^readelf: Warning' | sed 's/^/# /'
built=$(printf '%s\n' "$out" | grep -c ': built$')
report "$([ "$built" -eq "$(echo "$kvers" | wc -w)" ]; echo $?)" "dkms status: built for every kernel"
exit $fail
