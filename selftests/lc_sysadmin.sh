#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What a system administrator sees of linkcrypt besides lcctl: ethtool's
# driver information and counters (and that they move with traffic and
# with forged datagrams, and agree with lcctl), modinfo, and "make install"
# into a DESTDIR from the read-only source tree.
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

LC_VERSION=$(sed -n 's/^#define LC_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	"$LC_REPO/module/lc_consts.h")
# The counters of "ethtool -S", in their order (module/lc_ethtool.c).
SA_COUNTERS="peers tx_packets_peers tx_bytes_peers rx_packets_peers
	rx_bytes_peers tx_drop_no_peer tx_drop_no_key tx_drop_error
	rx_drop_malformed rx_drop_no_peer rx_drop_auth rx_drop_replay
	drop_key_expired keys rx_key_auth_failures rx_key_replays"
SA_PORT=7788

# sa_topo [keys]: servers A (192.0.2.1) and B (192.0.2.2) joined by a veth
# link, each with lc0 (198.51.100.1 and .2), without IPv6 on lc0 and with
# static neighbours, so that only what a case sends crosses lc0.  With
# "peers" or "keys", they are peers (A: id 1 remote-id 2; B: id 2
# remote-id 1); with "keys", A sends under key id 1 and B under key id 2.
sa_topo()
{
	local ns i mac_a mac_b k12 k21

	A=$(lc_ns a)
	B=$(lc_ns b)
	ip link add eth0 netns "$A" type veth peer name eth0 netns "$B"
	i=1
	for ns in "$A" "$B"; do
		ip -n "$ns" addr add "192.0.2.$i/24" dev eth0
		ip -n "$ns" link set eth0 up
		ip -n "$ns" link add lc0 type linkcrypt port "$SA_PORT"
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.lc0.disable_ipv6=1
		ip -n "$ns" addr add "198.51.100.$i/24" dev lc0
		ip -n "$ns" link set lc0 up
		i=$((i + 1))
	done
	mac_a=$(ip netns exec "$A" cat /sys/class/net/lc0/address)
	mac_b=$(ip netns exec "$B" cat /sys/class/net/lc0/address)
	ip -n "$A" neigh replace 198.51.100.2 lladdr "$mac_b" dev lc0 nud permanent
	ip -n "$B" neigh replace 198.51.100.1 lladdr "$mac_a" dev lc0 nud permanent
	[ -n "${1:-}" ] || return 0
	ip netns exec "$A" "$LCCTL" peer add lc0 id 1 remote-id 2 \
		endpoint "192.0.2.2:$SA_PORT"
	ip netns exec "$B" "$LCCTL" peer add lc0 id 2 remote-id 1 \
		endpoint "192.0.2.1:$SA_PORT"
	[ "$1" = keys ] || return 0
	k12=$(od -An -v -tx1 -N36 /dev/urandom | tr -d ' \n')
	k21=$(od -An -v -tx1 -N36 /dev/urandom | tr -d ' \n')
	ip netns exec "$A" "$LCCTL" key add lc0 peer 1 dir tx id 1 key "$k12"
	ip netns exec "$B" "$LCCTL" key add lc0 peer 2 dir rx id 1 key "$k12"
	ip netns exec "$B" "$LCCTL" key add lc0 peer 2 dir tx id 2 key "$k21"
	ip netns exec "$A" "$LCCTL" key add lc0 peer 1 dir rx id 2 key "$k21"
}

# sa_stat NS COUNTER: a counter of "ethtool -S lc0" in NS.
sa_stat()
{
	local v

	v=$(ip netns exec "$1" ethtool -S lc0 | awk -v n="$2:" '$1 == n { print $2 }')
	[ -n "$v" ] || lc_die "ethtool -S lc0 has no $2"
	echo "$v"
}

# sa_lcctl NS EXPR: a Python expression over lcctl's JSON of lc0: d, the
# device; p, the sum of its peers' stats; k, the sum of its keys' fields.
sa_lcctl()
{
	ip netns exec "$1" "$LCCTL" -j show lc0 | python3 -c '
import collections, json, sys
d = json.load(sys.stdin)[0]
p, k = collections.Counter(), collections.Counter()
for peer in d["peers"]:
    p.update(peer["stats"])
    for key in peer["keys"]:
        k.update({f: key[f] for f in ("packets", "auth_failures", "replays")})
print(eval(sys.argv[1]))' "$2"
}

# sa_expect NS COUNTER VALUE
sa_expect()
{
	local got

	got=$(sa_stat "$1" "$2")
	[ "$got" = "$3" ] || lc_die "${1#"$LC_NS_PREFIX"}: $2 is $got, expected $3"
}

# sa_send NS HEXBYTES: one UDP datagram from NS to B's lc0 port.
sa_send()
{
	ip netns exec "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(bytes.fromhex(sys.argv[1]), ("192.0.2.2", int(sys.argv[2])))' \
		"$2" "$SA_PORT"
	sleep 0.3
}

# sa_datagram KEYID RECEIVER COUNTER: a well-formed header and 64 bytes of
# junk where the ciphertext and tag would be.
sa_datagram()
{
	printf '01%02x0000%08x%016x' "$1" "$2" "$3"
	od -An -v -tx1 -N64 /dev/urandom | tr -d ' \n'
}

test_drvinfo()
{
	local out

	sa_topo
	out=$(ip netns exec "$A" ethtool -i lc0)
	printf '%s\n' "$out"
	grep -qx 'driver: linkcrypt' <<<"$out" || lc_die "driver is not linkcrypt"
	grep -qx "version: $LC_VERSION" <<<"$out" || lc_die "version is not $LC_VERSION"
	ip netns exec "$A" ethtool lc0 | grep -q 'Link detected: yes' ||
		lc_die "ethtool lc0 does not say the link is up"
}

test_stats_names()
{
	local names c

	sa_topo
	names=$(ip netns exec "$A" ethtool -S lc0 |
		awk 'NR > 1 { sub(":", "", $1); printf "%s ", $1 }')
	# shellcheck disable=SC2086 # one word per counter
	[ "$names" = "$(printf '%s ' $SA_COUNTERS)" ] ||
		lc_die "ethtool -S lc0 lists: $names"
	for c in $SA_COUNTERS; do
		sa_expect "$A" "$c" 0
	done
}

test_tx_drops()
{
	sa_topo
	ip netns exec "$A" ping -c 2 -i 0.2 -W 1 198.51.100.2 >/dev/null 2>&1 &&
		lc_die "ping crossed lc0 without a peer"
	sa_expect "$A" tx_drop_no_peer 2
	sa_expect "$A" tx_drop_no_peer "$(sa_lcctl "$A" 'd["stats"]["drop_no_peer_tx"]')"

	ip netns exec "$A" "$LCCTL" peer add lc0 id 1 remote-id 2 \
		endpoint "192.0.2.2:$SA_PORT"
	ip netns exec "$A" ping -c 3 -i 0.2 -W 1 198.51.100.2 >/dev/null 2>&1 &&
		lc_die "ping crossed lc0 without a key"
	sa_expect "$A" peers 1
	sa_expect "$A" keys 0
	sa_expect "$A" tx_drop_no_key 3
	sa_expect "$A" tx_drop_no_key "$(sa_lcctl "$A" 'p["drop_no_key"]')"
	sa_expect "$A" tx_drop_no_peer 2
	sa_expect "$A" tx_packets_peers 0
}

test_rx_drops()
{
	sa_topo
	sa_send "$A" 0102030405
	sa_expect "$B" rx_drop_malformed 1
	# A reserved bit set: malformed too, however long.
	sa_send "$A" "$(sa_datagram 1 2 0 | sed 's/^01010000/01010001/')"
	sa_expect "$B" rx_drop_malformed 2
	sa_send "$A" "$(sa_datagram 1 3735928559 0)"
	sa_expect "$B" rx_drop_no_peer 1
	sa_expect "$B" rx_drop_malformed "$(sa_lcctl "$B" 'd["stats"]["drop_malformed"]')"
	sa_expect "$B" rx_drop_no_peer "$(sa_lcctl "$B" 'd["stats"]["drop_no_peer"]')"
	[ "$(ip netns exec "$B" cat /sys/class/net/lc0/statistics/rx_dropped)" -eq 3 ] ||
		lc_die "rx_dropped of lc0 is not 3"
}

test_traffic_and_keys()
{
	local c

	sa_topo keys
	ip netns exec "$A" ping -c 3 -i 0.2 -W 2 198.51.100.2 >/dev/null ||
		lc_die "no ping over lc0 with keys"
	sleep 0.3
	for ns in "$A" "$B"; do
		sa_expect "$ns" peers 1
		sa_expect "$ns" keys 2
		sa_expect "$ns" tx_packets_peers 3
		sa_expect "$ns" rx_packets_peers 3
		for c in tx_packets tx_bytes rx_packets rx_bytes; do
			sa_expect "$ns" "${c}_peers" "$(sa_lcctl "$ns" "p[\"$c\"]")"
		done
	done

	# Forged datagrams under B's RX key id 1 from A: a new counter with a
	# bad tag, then counter 0, which the first ping used.
	sa_send "$A" "$(sa_datagram 1 2 $((1 << 40)))"
	sa_expect "$B" rx_drop_auth 1
	sa_expect "$B" rx_key_auth_failures 1
	sa_send "$A" "$(sa_datagram 1 2 0)"
	sa_expect "$B" rx_drop_replay 1
	sa_expect "$B" rx_key_replays 1
	# A key id B has no key for: an auth drop charged to no key.
	sa_send "$A" "$(sa_datagram 9 2 5)"
	sa_expect "$B" rx_drop_auth 2
	sa_expect "$B" rx_key_auth_failures 1
	sa_expect "$B" rx_drop_auth "$(sa_lcctl "$B" 'p["drop_auth"]')"
	sa_expect "$B" rx_drop_replay "$(sa_lcctl "$B" 'p["drop_replay"]')"
	sa_expect "$B" rx_key_auth_failures "$(sa_lcctl "$B" 'k["auth_failures"]')"
	sa_expect "$B" rx_key_replays "$(sa_lcctl "$B" 'k["replays"]')"
	sa_expect "$B" rx_packets_peers 3

	# A deleted peer takes its share with it.
	ip netns exec "$B" "$LCCTL" peer del lc0 id 2
	sa_expect "$B" peers 0
	sa_expect "$B" keys 0
	sa_expect "$B" rx_packets_peers 0
}

test_modinfo()
{
	local out a

	modprobe linkcrypt
	out=$(modinfo linkcrypt)
	printf '%s\n' "$out" | grep -v '^sig'
	[ "$(modinfo -F version linkcrypt)" = "$LC_VERSION" ] ||
		lc_die "modinfo version is not $LC_VERSION"
	[ "$(cat /sys/module/linkcrypt/version)" = "$LC_VERSION" ] ||
		lc_die "/sys/module/linkcrypt/version is not $LC_VERSION"
	[ "$(modinfo -F license linkcrypt)" = GPL ] || lc_die "license is not GPL"
	[ -n "$(modinfo -F description linkcrypt)" ] || lc_die "no description"
	[ -n "$(modinfo -F author linkcrypt)" ] || lc_die "no author"
	for a in rtnl-link-linkcrypt net-pf-16-proto-16-family-linkcrypt; do
		modinfo -F alias linkcrypt | grep -qx "$a" || lc_die "no alias $a"
	done
	modinfo -F vermagic linkcrypt | grep -q "^$(uname -r) " ||
		lc_die "vermagic is not for $(uname -r)"
	# (The debug kernel has udp_tunnel built in: nothing to depend on.)
	grep -q '/udp_tunnel\.ko$' "/lib/modules/$(uname -r)/modules.builtin" ||
		modinfo -F depends linkcrypt | tr ',' '\n' | grep -qx udp_tunnel ||
		lc_die "does not depend on udp_tunnel"
}

test_make_install()
{
	local d k iplib out f

	command -v make >/dev/null || lc_skip_case "make not installed"
	case $(uname -r) in *-lcdebug)
		lc_skip_case "make install leaves out the debug kernel's module (it is only for make check-debug)" ;;
	esac
	[ -f "$LC_REPO/build/kernels/$(uname -r)/module/linkcrypt.ko" ] ||
		lc_skip_case "no linkcrypt.ko built for $(uname -r)"
	d=$(mktemp -d)
	k=$(uname -r)
	iplib=/usr/lib/$(cc -print-multiarch)/ip
	# A DESTDIR with this kernel's module tree gets depmod; copy what
	# depmod reads besides the modules.
	mkdir -p "$d/lib/modules/$k"
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		cp "/lib/modules/$k/$f" "$d/lib/modules/$k/"
	done
	: >"$d/lib/modules/$k/modules.dep"

	# The source tree is read-only here: install must not write to it.
	make -s -C "$LC_REPO" install DESTDIR="$d"
	for f in "lib/modules/$k/updates/linkcrypt.ko" usr/sbin/lcctl \
		 "${iplib#/}/link_linkcrypt.so" usr/share/man/man8/lcctl.8 \
		 usr/share/man/man7/linkcrypt.7 usr/include/linux/linkcrypt.h \
		 usr/share/bash-completion/completions/lcctl \
		 "usr/src/linkcrypt-$LC_VERSION/dkms.conf" \
		 "usr/src/linkcrypt-$LC_VERSION/module/lc_ethtool.c"; do
		[ -f "$d/$f" ] || lc_die "make install did not install /$f"
	done
	grep -q '^updates/linkcrypt.ko:' "$d/lib/modules/$k/modules.dep" ||
		lc_die "depmod did not index the module"
	[ "$(modinfo -b "$d" -k "$k" -F version linkcrypt)" = "$LC_VERSION" ] ||
		lc_die "modinfo -b DESTDIR does not find the module"

	# The installed tools work: the plugin from its directory, lcctl.
	IP_LIB_DIR=$d$iplib ip link add lcinst type linkcrypt port 7799 cipher chacha20-poly1305
	out=$("$d/usr/sbin/lcctl" show lcinst)
	printf '%s\n' "$out"
	grep -q 'port 7799 cipher chacha20-poly1305' <<<"$out" ||
		lc_die "the installed lcctl does not show the device"
	ip link del lcinst
	MANWIDTH=80 man -l "$d/usr/share/man/man8/lcctl.8" 2>&1 | grep -q 'lcctl - configure' ||
		lc_die "the installed lcctl(8) does not render"

	make -s -C "$LC_REPO" uninstall DESTDIR="$d"
	out=$(cd "$d" && find . -type f ! -name 'modules.*')
	[ -z "$out" ] || lc_die "left after make uninstall: $out"
	grep -q linkcrypt "$d/lib/modules/$k/modules.dep" &&
		lc_die "the module is still in modules.dep after uninstall"
	rm -rf "$d"
}

command -v ethtool >/dev/null || { echo "# SKIP: ethtool not installed"; exit "$KSFT_SKIP"; }
[ -x "$LCCTL" ] || { echo "# SKIP: $LCCTL not built"; exit "$KSFT_SKIP"; }

lc_plan 7
lc_case drvinfo test_drvinfo
lc_case stats_names test_stats_names
lc_case tx_drops test_tx_drops
lc_case rx_drops test_rx_drops
lc_case traffic_and_keys test_traffic_and_keys
lc_case modinfo test_modinfo
lc_case make_install test_make_install
lc_exit
