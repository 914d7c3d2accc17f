#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# README.md's guide "Running it on servers", followed word for word on two
# servers (network namespaces): install, identities, the README's two
# configuration files, starting the systemd unit lcctl@lc0 (its commands:
# there is no systemd in the VM), the guide's checks, and stopping it.
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

# guide_block NAME: the fenced block after "<!-- guide: NAME -->" in README.md.
guide_block()
{
	awk -v tag="<!-- guide: $1 -->" '
		$0 == tag { found = 1; next }
		found && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }' "$LC_REPO/README.md"
}

# Undo what test_guide mounted and wrote (its EXIT trap).
guide_undo()
{
	local k=$1 g=$2 ns

	kill "${guide_pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	umount "/usr/lib/modules/$k" 2>/dev/null || true
	umount -l /usr 2>/dev/null || true
	umount "$g/kmods" 2>/dev/null || true
	umount "$g" 2>/dev/null || true
	for ns in "${guide_ns[@]}"; do rm -rf "/etc/netns/$ns"; done
	rmdir /etc/netns /etc/linkcrypt 2>/dev/null || true
}

# README.md, "Running it on servers", on alpha and beta (namespaces, whose
# /etc/linkcrypt is /etc/netns/NS/linkcrypt): install, identity, the two
# configuration files (with the fingerprints made here), start, verify.
# Where the guide says "systemctl enable --now lcctl@lc0", the commands of
# the installed unit run (no systemd here).  /usr is read-only in the VM:
# an overlay on it takes the install.  "make install" less install-module:
# depmod over 9p takes minutes under TCG, and the VM has this module in
# /lib/modules/KVER/updates with its index already (make_install checks
# install-module).
test_guide()
{
	local k g unit pre start blk line ns n fp_a fp_b out i

	command -v make >/dev/null || lc_skip_case "make not installed"
	[ -f "$LC_REPO/build/kernels/$(uname -r)/module/linkcrypt.ko" ] ||
		lc_skip_case "no linkcrypt.ko built for $(uname -r)"
	[ ! -e /etc/linkcrypt ] || lc_skip_case "/etc/linkcrypt exists already"
	modprobe linkcrypt
	k=$(uname -r)
	A=$(lc_ns alpha)
	B=$(lc_ns beta)
	guide_ns=("$A" "$B")
	guide_pids=()
	g=$(mktemp -d /run/lc-guide.XXXXXX)
	# shellcheck disable=SC2064 # k and g are this function's
	trap "guide_undo '$k' '$g'" EXIT
	ip link add eth0 netns "$A" type veth peer name eth0 netns "$B"
	ip -n "$A" addr add 192.0.2.1/24 dev eth0
	ip -n "$B" addr add 192.0.2.2/24 dev eth0
	ip -n "$A" link set eth0 up
	ip -n "$B" link set eth0 up

	# Install: /usr writable, the VM's module tree kept in place.
	mount -t tmpfs tmpfs "$g"
	mkdir -p "$g/kmods" "$g/upper" "$g/work"
	mount --bind "/usr/lib/modules/$k" "$g/kmods"
	mount -t overlay overlay -o "lowerdir=/usr,upperdir=$g/upper,workdir=$g/work" /usr
	# The host's /usr under the overlay lacks the debug kernel's tree,
	# which only the guest's own /lib/modules overlay had.
	mkdir -p "/usr/lib/modules/$k"
	mount --bind "$g/kmods" "/usr/lib/modules/$k"
	make -s -C "$LC_REPO" install-tools install-data install-dkms install-systemd
	# From here on, the installed lcctl and ip plugin only.
	unset IP_LIB_DIR
	hash -r
	[ "$(command -v lcctl)" = /usr/sbin/lcctl ] || lc_die "lcctl is not /usr/sbin/lcctl"
	unit=/usr/lib/systemd/system/lcctl@.service
	[ -f "$unit" ] || lc_die "make install did not install $unit"
	pre=$(sed -n 's/^ExecStartPre=//p' "$unit" | sed 's/%i/lc0/g')
	start=$(sed -n 's/^ExecStart=//p' "$unit" | sed 's/%i/lc0/g')
	echo "the unit runs: $pre; $start"

	# Identity, on each server ("on beta the same with beta").
	mkdir /etc/linkcrypt
	# shellcheck disable=SC2174 # /etc/netns is 755 anyway
	for ns in "$A" "$B"; do mkdir -p -m 700 "/etc/netns/$ns/linkcrypt"; done
	blk=$(guide_block identity)
	[ -n "$blk" ] || lc_die "README.md has no guide block 'identity'"
	# Both at once: an RSA key takes seconds under TCG.
	ip netns exec "$A" bash -ec "$blk" &
	i=$!
	ip netns exec "$B" bash -ec "${blk//alpha/beta}"
	wait "$i" || lc_die "the identity block failed on alpha"
	fp_a=$(ip netns exec "$A" lcctl fingerprint /etc/linkcrypt/alpha.crt)
	fp_b=$(ip netns exec "$B" lcctl fingerprint /etc/linkcrypt/beta.crt)

	# The configuration files, each with the other's fingerprint.
	guide_block alpha.conf | sed "s/^Fingerprint = .*/Fingerprint = $fp_b/" \
		>"/etc/netns/$A/linkcrypt/lc0.conf"
	guide_block beta.conf | sed "s/^Fingerprint = .*/Fingerprint = $fp_a/" \
		>"/etc/netns/$B/linkcrypt/lc0.conf"
	grep -q "^Fingerprint = $fp_b\$" "/etc/netns/$A/linkcrypt/lc0.conf" ||
		lc_die "README.md's alpha.conf has no Fingerprint line"
	grep -q "^Fingerprint = $fp_a\$" "/etc/netns/$B/linkcrypt/lc0.conf" ||
		lc_die "README.md's beta.conf has no Fingerprint line"

	# Start, on each server: lc0 does not exist yet.
	blk=$(guide_block start)
	grep -qx 'systemctl enable --now lcctl@lc0' <<<"$blk" ||
		lc_die "the guide does not start lcctl@lc0"
	for ns in "$A" "$B"; do
		while read -r line; do
			case $line in
			'systemctl enable --now lcctl@lc0')
				# shellcheck disable=SC2086 # the unit's words
				ip netns exec "$ns" $pre </dev/null
				# shellcheck disable=SC2086
				ip netns exec "$ns" $start </dev/null \
					2>"$g/${ns#"$LC_NS_PREFIX"}.log" &
				guide_pids+=($!) ;;
			*)	ip netns exec "$ns" bash -ec "$line" </dev/null ;;
			esac
		done <<<"$blk"
	done
	for ((i = 0; i < 150; i++)); do
		n=$(cat "$g/alpha.log" "$g/beta.log" | grep -c 'keys installed' || true)
		[ "$n" -ge 2 ] && break
		sleep 0.2
	done
	cat "$g/alpha.log"
	[ "$n" -ge 2 ] || { cat "$g/beta.log"; lc_die "no keys negotiated in 30 s"; }

	# Verify, on alpha.
	blk=$(guide_block verify)
	out=$(ip netns exec "$A" bash -ec "$blk" 2>&1) || { echo "$out"; lc_die "the guide's verify block failed"; }
	printf '%s\n' "$out"
	grep -q 'linkcrypt port 7788 cipher aes-256-gcm' <<<"$out" ||
		lc_die "ip -d link show lc0: not the device of lc0.conf"
	grep -q '^    key tx primary id' <<<"$out" || lc_die "lcctl show: no tx key"
	grep -q '^    key rx primary id' <<<"$out" || lc_die "lcctl show: no rx key"
	grep -q ' 0% packet loss' <<<"$out" || lc_die "ping over lc0 lost packets"

	# ensure-device takes a configuration's port and cipher, and leaves
	# an existing device alone.
	sed -e 's/^ListenPort = .*/ListenPort = 7799/' \
	    -e 's/^Cipher = .*/Cipher = chacha20-poly1305/' \
		"/etc/netns/$A/linkcrypt/lc0.conf" >"/etc/netns/$A/linkcrypt/lc1.conf"
	# shellcheck disable=SC2086
	ip netns exec "$A" ${pre//lc0/lc1}
	ip netns exec "$A" ip -d link show lc1 | grep -q 'linkcrypt port 7799 cipher chacha20-poly1305' ||
		lc_die "ensure-device lc1: not port 7799 cipher chacha20-poly1305"
	# shellcheck disable=SC2086
	ip netns exec "$A" $pre || lc_die "ensure-device fails for an existing lc0"

	# systemctl stop: keys deleted, lc0 kept and closed.
	kill -TERM "${guide_pids[@]}"
	for i in "${guide_pids[@]}"; do wait "$i" || lc_die "lcctl up exited $?"; done
	guide_pids=()
	ip netns exec "$A" lcctl show lc0 | grep -q 'keys: none' || lc_die "keys left after stop"
	lc_expect_fail ip netns exec "$A" ping -c 1 -W 1 198.51.100.2
}

[ -x "$LCCTL" ] || { echo "# SKIP: $LCCTL not built"; exit "$KSFT_SKIP"; }

lc_plan 1
lc_case guide test_guide
lc_exit
