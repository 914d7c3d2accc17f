#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fail-closed audit of an underlay capture (standard library only).

    lc_audit.py PCAP --ports P[,P...]|any --index I[,I...]|any
                [--pattern HEX] [--overlay-prefix 203.0.113.]

Every UDP datagram must be to or from a device port and linkcrypt-shaped:
at least header + Ethernet header + tag long, type 1, reserved bits clear,
one of the receiver indices given ("any": where a fuzzer sets peers'
ports and remote ids at random).  No other UDP, no IP packet between
overlay addresses, no Ethernet frame from an overlay MAC (02:1c:...), and
the byte pattern nowhere: a plaintext frame leaking onto the underlay fails
one of these.  IP fragments of device datagrams are counted, not parsed.
Prints "linkcrypt=N fragments=N other=N" and exits 1 on the first leak.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lc_wire  # noqa: E402  (the pcap reader of the data-path tests)

LC_HDR, ETH_HLEN, LC_TAG = 16, 14, 16


def fail(msg):
    print("lc_audit: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    args = sys.argv[1:]
    if not args:
        fail(__doc__)
    path, opts = args[0], dict(zip(args[1::2], args[2::2]))
    ports = indices = None
    if opts["--ports"] != "any":
        ports = {int(p) for p in opts["--ports"].split(",")}
    if opts["--index"] != "any":
        indices = {int(i) for i in opts["--index"].split(",")}
    pattern = bytes.fromhex(opts.get("--pattern", ""))
    ovl4 = bytes(int(b) for b in opts.get("--overlay-prefix", "203.0.113.").strip(".").split("."))
    n = frags = other = 0
    for k, (linktype, pkt) in enumerate(lc_wire.pcap_packets(path), 1):
        what = "packet %d (%d bytes)" % (k, len(pkt))
        if pattern and pattern in pkt:
            fail("%s: the plaintext pattern is on the underlay" % what)
        if linktype == 1 and pkt[6:9] == b"\x02\x1c\x00":
            fail("%s: sent from an overlay MAC" % what)
        etype, l3 = lc_wire.l3_of(linktype, pkt)
        ip = lc_wire.ip_parse(etype, l3)
        if ip is None:
            other += 1
            continue
        fam, proto, body, frag, _ = ip
        if fam == 4 and (l3[12:15] == ovl4 or l3[16:19] == ovl4):
            fail("%s: an overlay IPv4 packet on the underlay" % what)
        if fam == 6 and (l3[8:14] == bytes.fromhex("20010db80001") or
                         l3[24:30] == bytes.fromhex("20010db80001")):
            fail("%s: an overlay IPv6 packet on the underlay" % what)
        if frag:
            frags += 1
            continue
        if proto != 17:
            other += 1
            continue
        if len(body) < 8:
            fail("%s: truncated UDP header" % what)
        sport, dport, ulen = struct.unpack("!HHH", body[:6])
        if ports is not None and sport not in ports and dport not in ports:
            fail("%s: UDP %d -> %d, not linkcrypt's" % (what, sport, dport))
        p = body[8:ulen]
        if len(p) < LC_HDR + ETH_HLEN + LC_TAG:
            fail("%s: %d-byte datagram, shorter than any frame" % (what, len(p)))
        typ, _, res, idx, _ = struct.unpack("!BBHIQ", p[:LC_HDR])
        if typ != 1 or res != 0 or (indices is not None and idx not in indices):
            fail("%s: not linkcrypt-shaped: type %d reserved 0x%x index %d"
                 % (what, typ, res, idx))
        n += 1
    print("linkcrypt=%d fragments=%d other=%d" % (n, frags, other))


if __name__ == "__main__":
    main()
