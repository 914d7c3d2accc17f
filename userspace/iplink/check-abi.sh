#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-abi.sh PLUGIN.so [IP_BINARY]
#
# Check that an iproute2 link plugin can be bound inside the given "ip"
# (default: the one on $PATH):
#  - it defines the data symbol <kind>_link_util, kind taken from the file
#    name link_<kind>.so;
#  - every symbol it leaves undefined is either versioned (a libc symbol,
#    e.g. strcmp@GLIBC_2.2.5), weak, or exported by the "ip" executable.
#
# "ip" loads plugins with RTLD_LAZY, so a missing function would otherwise
# only show up as a "symbol lookup error" when it is first called.
# Exit status: 0 good, 1 mismatch, 2 usage or tools missing.
set -eu

so=${1:?usage: check-abi.sh PLUGIN.so [IP_BINARY]}
ip_bin=${2:-$(command -v ip || true)}

command -v nm >/dev/null 2>&1 || { echo "check-abi: nm (binutils) not found" >&2; exit 2; }
[ -n "$ip_bin" ] || { echo "check-abi: no ip binary found" >&2; exit 2; }
ip_bin=$(readlink -f "$ip_bin") && [ -f "$ip_bin" ] || { echo "check-abi: ${2:-ip}: not found" >&2; exit 2; }
[ -r "$so" ] || { echo "check-abi: $so: not readable" >&2; exit 2; }

kind=$(basename "$so" .so)
kind=${kind#link_}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Symbols "ip" exports, one a line, without version.
nm -D --defined-only "$ip_bin" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }' \
	| sort -u >"$tmp/ip"
[ -s "$tmp/ip" ] || { echo "check-abi: $ip_bin exports no symbols" >&2; exit 2; }

# Strongly undefined, unversioned symbols of the plugin: those "ip" must give.
nm -D --undefined-only "$so" | awk '$1 == "U" && $2 !~ /@/ { print $2 }' \
	| sort -u >"$tmp/need"

status=0

if ! nm -D --defined-only "$so" | awk '{ print $NF }' | grep -qx "${kind}_link_util"; then
	echo "check-abi: $so does not export ${kind}_link_util" >&2
	status=1
fi

missing=$(comm -23 "$tmp/need" "$tmp/ip")
if [ -n "$missing" ]; then
	echo "check-abi: $so needs symbols that $ip_bin does not export:" >&2
	printf '  %s\n' $missing >&2
	status=1
fi

if [ $status -eq 0 ]; then
	echo "check-abi: $(basename "$so"): $(wc -l <"$tmp/need") symbol(s) from $ip_bin, all exported:" \
		$(cat "$tmp/need")
fi
exit $status
