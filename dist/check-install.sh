#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "make install" and "make uninstall" into a temporary DESTDIR, as KTAP:
# exactly the expected files, usable where they land, and nothing left
# after uninstall.  Needs what "make" builds (skipped without it).  Writes
# only below the temporary directory.
set -u

repo=$(cd "$(dirname "$0")/.." && pwd -P)
ver=$(sed -n 's/^#define LC_VERSION[[:space:]]*"\(.*\)"/\1/p' "$repo/module/lc_consts.h")
multiarch=$(${CC:-cc} -print-multiarch 2>/dev/null)
iplib=/usr/lib${multiarch:+/$multiarch}/ip

# shellcheck source=dist/ktap.sh
source "$repo/dist/ktap.sh"

echo "TAP version 13"
kos=()
for ko in "$repo"/build/kernels/*/module/linkcrypt.ko; do
	# As make install: not the debug kernel's (make check-debug's only).
	case $ko in *-lcdebug/module/linkcrypt.ko) continue ;; esac
	kos+=("$ko")
done
if [ ${#kos[@]} -eq 0 ] || [ ! -x "$repo/build/userspace/lcctl" ] ||
   [ ! -f "$repo/build/userspace/link_linkcrypt.so" ]; then
	echo "1..0 # SKIP nothing built yet (make)"
	exit 4
fi
echo "1..6"

d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

out=$(make -s -C "$repo" install DESTDIR="$d" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
report $rc "make install DESTDIR=..."

# What must be there, and nothing else.
want=$(
	for ko in "${kos[@]}"; do
		k=${ko#"$repo"/build/kernels/}
		echo "lib/modules/${k%%/*}/updates/linkcrypt.ko"
	done
	echo usr/sbin/lcctl
	echo "${iplib#/}/link_linkcrypt.so"
	echo usr/share/man/man8/lcctl.8
	echo usr/share/man/man7/linkcrypt.7
	echo usr/share/bash-completion/completions/lcctl
	echo usr/include/linux/linkcrypt.h
	echo "usr/lib/systemd/system/lcctl@.service"
	echo usr/libexec/linkcrypt/ensure-device
	s=usr/src/linkcrypt-$ver
	echo "$s/dkms.conf"
	echo "$s/Kbuild"
	echo "$s/module/Kbuild"
	echo "$s/module/include/uapi/linux/linkcrypt.h"
	for f in "$repo"/module/*.[ch]; do echo "$s/module/${f##*/}"; done
)
got=$(cd "$d" && find . ! -type d | sed 's|^\./||')
diff=$(diff <(sort <<<"$want") <(sort <<<"$got"))
[ -z "$diff" ] || printf '%s\n' "$diff" | sed 's/^/# /'
report "$([ -z "$diff" ]; echo $?)" "installs exactly the expected files"

# Each file is what it should be.
p=()
[ -x "$d/usr/sbin/lcctl" ] || p+=("lcctl is not executable")
"$d/usr/sbin/lcctl" -V >/dev/null 2>&1 || p+=("the installed lcctl does not run")
for ko in "$d"/lib/modules/*/updates/linkcrypt.ko; do
	k=${ko#"$d"/lib/modules/}
	k=${k%%/*}
	mv=$(modinfo -F version "$ko")
	vm=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	[ "$mv" = "$ver" ] || p+=("$ko: version $mv, want $ver")
	[ "$vm" = "$k" ] || p+=("$ko: vermagic $vm, installed for $k")
done
cmp -s "$repo/module/include/uapi/linux/linkcrypt.h" \
	"$d/usr/include/linux/linkcrypt.h" || p+=("uapi header differs")
for f in "$d"/usr/share/man/man*/*; do
	[ "$(stat -c %a "$f")" = 644 ] || p+=("$f: mode $(stat -c %a "$f")")
done
[ ${#p[@]} -eq 0 ] || printf '# %s\n' "${p[@]}"
report ${#p[@]} "installed files are usable (lcctl runs, modules' version and vermagic, modes)"

# The uapi header compiles on its own, as userspace includes it.
out=$(printf '#include <linux/linkcrypt.h>\nint main(void) { return sizeof(struct linkcrypt_hdr) != LINKCRYPT_HDR_LEN; }\n' |
	${CC:-cc} -x c -Wall -Werror -I"$d/usr/include" -o "$d/hdr-test" - 2>&1 &&
	"$d/hdr-test" 2>&1)
rc=$?
rm -f "$d/hdr-test"
[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'
report $rc "installed <linux/linkcrypt.h> compiles alone"

# dkms.conf names this version and the module.
conf=$d/usr/src/linkcrypt-$ver/dkms.conf
p=()
grep -qx "PACKAGE_VERSION=\"$ver\"" "$conf" || p+=("PACKAGE_VERSION is not \"$ver\"")
grep -qx 'PACKAGE_NAME="linkcrypt"' "$conf" || p+=("PACKAGE_NAME is not linkcrypt")
grep -q '@' "$conf" && p+=("unsubstituted @...@ in dkms.conf")
[ ${#p[@]} -eq 0 ] || printf '# %s\n' "${p[@]}"
report ${#p[@]} "dkms.conf is for linkcrypt $ver"

out=$(make -s -C "$repo" uninstall DESTDIR="$d" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
left=$(cd "$d" && find . ! -type d | sed 's|^\./||')
[ -z "$left" ] || printf '%s\n' "$left" | sed 's/^/# left behind: /'
report "$([ $rc -eq 0 ] && [ -z "$left" ]; echo $?)" "make uninstall removes every installed file"
exit $fail
