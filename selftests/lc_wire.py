#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The wire side of the linkcrypt data-path selftests: read captures, make,
keep, alter and send datagrams (standard library only).

  Captures (pcap files written by tcpdump -w):
    grep PCAP HEX
        how many times the bytes HEX occur anywhere in the file
    udp PCAP [--sport P] [--dport P] [--port P] [--out FILE]
        "count=N frags=F maxlen=L families=4,6": the UDP datagrams that
        match (--port: either port), the IP fragments in the whole capture,
        the largest matching IP packet (header included); --out writes the
        matching payloads, one hex line each
    check PCAP --dport P [--sport P] --index I --key-id K [--family 4|6]
        every matching datagram must be a well-formed linkcrypt datagram:
        type 1, that key id, reserved 0, that receiver index, at least
        header + Ethernet header + tag long, counters never repeated;
        prints "count=N min=C max=C sports=S" (S: distinct source ports)

  Datagrams (plain UDP sockets; addresses may be IPv4 or IPv6):
    collect ADDR PORT COUNT SECONDS OUT
        receive up to COUNT datagrams on ADDR:PORT, write them to OUT as
        hex lines; prints "ready" once bound and "got=N" at the end
    inject ADDR PORT FILE SPEC [--then SPEC]...
        SPEC: [--select I]... [--xor OFF:MASK]... [--truncate N]
        send the hex lines of FILE (all, or those selected, in the order
        selected), altered; OFF may be negative (from the end); each
        --then adds another SPEC's datagrams; prints "sent=N"
    fuzz ADDR PORT KIND:COUNT... [--index I] [--key-id K] [--seed S]
        KIND: random (random bytes, lengths 0..1500), unknown-index,
        reserved, type, short (lengths 0..45), key-id, tag; prints "sent=N"
    send ADDR PORT --hex PATTERN [--size N] [--count C] [--batch B]
        send C datagrams of N bytes made of PATTERN repeated (through the
        overlay, to exercise lc0); prints "sent=N"

  Frames:
    raw IFACE --dst MAC --src MAC [--count C] [--ethertype 0x88b5] [--hex PAT]
        send Ethernet frames of our own making on IFACE (AF_PACKET)
"""

import random
import socket
import struct
import sys
import time

LC_HDR = 16         # struct linkcrypt_hdr
LC_TAG = 16
ETH_HLEN = 14
LC_TYPE_DATA = 1


def die(msg):
    print("lc_wire: " + msg, file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------- captures

def pcap_packets(path):
    """Yield (link type, packet bytes) for each record of a pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        die("%s: not a pcap file (%d bytes)" % (path, len(data)))
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        die("%s: not a pcap file (pcapng?)" % path)
    linktype = struct.unpack(end + "I", data[20:24])[0] & 0x0fffffff
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        off += 16
        yield linktype, data[off:off + incl]
        off += incl


def l3_of(linktype, pkt):
    """(ethertype, layer-3 bytes) or (None, b"")."""
    if linktype == 1:                   # Ethernet
        etype, off = struct.unpack("!H", pkt[12:14])[0], 14
        while etype in (0x8100, 0x88a8) and len(pkt) >= off + 4:
            etype = struct.unpack("!H", pkt[off + 2:off + 4])[0]
            off += 4
        return etype, pkt[off:]
    if linktype == 113:                 # Linux cooked v1
        return struct.unpack("!H", pkt[14:16])[0], pkt[16:]
    if linktype == 276:                 # Linux cooked v2
        return struct.unpack("!H", pkt[0:2])[0], pkt[20:]
    if linktype in (12, 101):           # raw IP
        v = pkt[0] >> 4 if pkt else 0
        return {4: 0x0800, 6: 0x86dd}.get(v), pkt
    die("link type %d not supported" % linktype)


def ip_parse(etype, l3):
    """(family, proto, payload, is_fragment, ip_len) or None."""
    if etype == 0x0800 and len(l3) >= 20:
        ihl = (l3[0] & 15) * 4
        total = struct.unpack("!H", l3[2:4])[0]
        frag = struct.unpack("!H", l3[6:8])[0] & 0x3fff
        return 4, l3[9], l3[ihl:total], frag != 0, total
    if etype == 0x86dd and len(l3) >= 40:
        nh = l3[6]
        plen = struct.unpack("!H", l3[4:6])[0]
        body = l3[40:40 + plen]
        frag = False
        while nh in (0, 43, 60, 44) and len(body) >= 8:
            if nh == 44:
                frag = True
                nh, body = body[0], body[8:]
            else:
                nh, body = body[0], body[(body[1] + 1) * 8:]
        return 6, nh, body, frag, 40 + plen
    return None


def udp_datagrams(path, stats=None):
    """Yield (family, sport, dport, payload, ip_len) of unfragmented UDP."""
    for linktype, pkt in pcap_packets(path):
        etype, l3 = l3_of(linktype, pkt)
        ip = ip_parse(etype, l3)
        if ip is None:
            continue
        family, proto, body, frag, iplen = ip
        if frag:
            if stats is not None:
                stats["frags"] += 1
            continue
        if proto != 17 or len(body) < 8:
            continue
        sport, dport, ulen = struct.unpack("!HHH", body[:6])
        yield family, sport, dport, body[8:ulen], iplen


def opt_args(args, spec):
    """Parse --name value options; spec: name -> (type, repeatable)."""
    res = {k: ([] if rep else None) for k, (_, rep) in spec.items()}
    pos = []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("--"):
            name = a[2:]
            if name not in spec or i + 1 >= len(args):
                die("bad option %s" % a)
            conv, rep = spec[name]
            val = conv(args[i + 1])
            if rep:
                res[name].append(val)
            else:
                res[name] = val
            i += 2
        else:
            pos.append(a)
            i += 1
    return pos, res


def anyint(s):
    return int(s, 0)


def matches(sport, dport, o):
    if o.get("sport") is not None and sport != o["sport"]:
        return False
    if o.get("dport") is not None and dport != o["dport"]:
        return False
    if o.get("port") is not None and o["port"] not in (sport, dport):
        return False
    return True


def cmd_grep(args):
    path, pattern = args
    with open(path, "rb") as f:
        data = f.read()
    needle = bytes.fromhex(pattern)
    n = start = 0
    while True:
        i = data.find(needle, start)
        if i < 0:
            break
        n += 1
        start = i + 1
    print(n)


def cmd_udp(args):
    pos, o = opt_args(args, {"sport": (int, False), "dport": (int, False),
                             "port": (int, False), "out": (str, False)})
    stats = {"frags": 0}
    count = maxlen = 0
    fams = set()
    lines = []
    for fam, sport, dport, payload, iplen in udp_datagrams(pos[0], stats):
        if not matches(sport, dport, o):
            continue
        count += 1
        maxlen = max(maxlen, iplen)
        fams.add(str(fam))
        lines.append(payload.hex())
    if o["out"]:
        with open(o["out"], "w") as f:
            f.write("".join(line + "\n" for line in lines))
    print("count=%d frags=%d maxlen=%d families=%s" % (
        count, stats["frags"], maxlen, ",".join(sorted(fams)) or "-"))


def cmd_check(args):
    pos, o = opt_args(args, {"sport": (int, False), "dport": (int, False),
                             "index": (anyint, False), "key-id": (anyint, False),
                             "family": (int, False)})
    for need in ("dport", "index", "key-id"):
        if o[need] is None:
            die("check needs --" + need)
    seen = {}
    sports = set()
    n = 0
    for fam, sport, dport, p, _ in udp_datagrams(pos[0]):
        if not matches(sport, dport, o):
            continue
        n += 1
        what = "datagram %d (%d bytes)" % (n, len(p))
        if o["family"] and fam != o["family"]:
            die("%s: IPv%d underlay, expected IPv%d" % (what, fam, o["family"]))
        if len(p) < LC_HDR + ETH_HLEN + LC_TAG:
            die("%s: shorter than header + Ethernet header + tag" % what)
        typ, kid, res, idx, ctr = struct.unpack("!BBHIQ", p[:LC_HDR])
        if typ != LC_TYPE_DATA:
            die("%s: type %d, expected %d" % (what, typ, LC_TYPE_DATA))
        if kid != o["key-id"]:
            die("%s: key id %d, expected %d" % (what, kid, o["key-id"]))
        if res != 0:
            die("%s: reserved bits 0x%04x set" % (what, res))
        if idx != o["index"]:
            die("%s: receiver index %d, expected %d" % (what, idx, o["index"]))
        if ctr in seen:
            die("%s: counter %d already used by datagram %d" % (what, ctr, seen[ctr]))
        seen[ctr] = n
        sports.add(sport)
    print("count=%d min=%s max=%s sports=%d" % (n, min(seen) if seen else "-",
                                                max(seen) if seen else "-",
                                                len(sports)))


# ---------------------------------------------------------------- datagrams

def udp_socket(addr, port):
    info = socket.getaddrinfo(addr, port, 0, socket.SOCK_DGRAM)[0]
    return socket.socket(info[0], socket.SOCK_DGRAM), info[4]


def send_all(sock, dest, payloads, pause_every=100):
    """sendto each payload; wait out ENOBUFS/EAGAIN instead of losing it."""
    n = 0
    for p in payloads:
        for _ in range(1000):
            try:
                sock.sendto(p, dest)
                break
            except (BlockingIOError, OSError) as e:
                if getattr(e, "errno", None) not in (105, 11):   # ENOBUFS, EAGAIN
                    raise
                time.sleep(0.002)
        else:
            die("could not send datagram %d" % n)
        n += 1
        if pause_every and n % pause_every == 0:
            time.sleep(0.005)   # let the receiver's backlog drain
    return n


def cmd_collect(args):
    addr, port, count, secs, path = args
    sock, dest = udp_socket(addr, int(port))
    sock.bind(dest)
    print("ready", flush=True)
    got = []
    deadline = time.monotonic() + float(secs)
    while len(got) < int(count):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        sock.settimeout(left)
        try:
            got.append(sock.recv(65535))
        except socket.timeout:
            break
    with open(path, "w") as f:
        f.write("".join(p.hex() + "\n" for p in got))
    print("got=%d" % len(got), flush=True)


def cmd_inject(args):
    addr, port, path = args[:3]
    with open(path) as f:
        dgrams = [bytes.fromhex(line.strip()) for line in f if line.strip()]
    # Each "--then" starts another set of datagrams, with its own options.
    specs, cur = [], []
    for a in args[3:]:
        if a == "--then":
            specs.append(cur)
            cur = []
        else:
            cur.append(a)
    specs.append(cur)
    out = []
    for spec in specs:
        pos, o = opt_args(spec, {"select": (int, True), "xor": (str, True),
                                 "truncate": (int, False)})
        if pos:
            die("inject: unexpected %s" % pos)
        try:
            chosen = [dgrams[i] for i in o["select"]] if o["select"] else dgrams
        except IndexError:
            die("%s holds %d datagrams" % (path, len(dgrams)))
        for d in chosen:
            d = bytearray(d)
            for x in o["xor"]:
                off, mask = x.split(":")
                off, mask = int(off, 0), int(mask, 16)
                if not -len(d) <= off < len(d):
                    die("offset %d outside a %d-byte datagram" % (off, len(d)))
                d[off] ^= mask
            if o["truncate"] is not None:
                d = d[:o["truncate"]]
            out.append(bytes(d))
    sock, dest = udp_socket(addr, int(port))
    print("sent=%d" % send_all(sock, dest, out, pause_every=0))


def lc_header(typ, kid, reserved, index, counter):
    return struct.pack("!BBHIQ", typ, kid, reserved, index, counter)


def cmd_fuzz(args):
    pos, o = opt_args(args, {"index": (anyint, False), "key-id": (anyint, False),
                             "seed": (anyint, False)})
    addr, port = pos[0], int(pos[1])
    rnd = random.Random(o["seed"] if o["seed"] is not None else 1)
    idx, kid = o["index"], o["key-id"]
    out = []
    for spec in pos[2:]:
        kind, _, count = spec.partition(":")
        out += fuzz_kind(rnd, kind, int(count), idx, kid)
    sock, dest = udp_socket(addr, port)
    print("sent=%d" % send_all(sock, dest, out, pause_every=50))


def fuzz_kind(rnd, kind, count, idx, kid):
    if kind not in ("random", "unknown-index") and (idx is None or kid is None):
        die("fuzz %s needs --index and --key-id" % kind)

    def body(lo=ETH_HLEN + LC_TAG, hi=1400):
        return rnd.randbytes(rnd.randint(lo, hi))

    def ctr():
        return rnd.getrandbits(32)

    out = []
    for i in range(count):
        if kind == "random":
            # Lengths 0..1500, always including the short edge cases.
            n = i if i < LC_HDR + LC_TAG + 2 else rnd.randint(0, 1500)
            out.append(rnd.randbytes(n))
        elif kind == "unknown-index":
            bad = [0, 0xffffffff, 0x7fffffff][i] if i < 3 else rnd.getrandbits(32)
            if bad == idx:
                bad ^= 0x80000000
            out.append(lc_header(LC_TYPE_DATA, kid or 1, 0, bad, ctr()) + body())
        elif kind == "reserved":
            res = (1 << (i % 16)) if i < 16 else rnd.randint(1, 0xffff)
            out.append(lc_header(LC_TYPE_DATA, kid, res, idx, ctr()) + body())
        elif kind == "type":
            typ = [0, 2, 255][i] if i < 3 else rnd.choice(
                [t for t in range(256) if t != LC_TYPE_DATA])
            out.append(lc_header(typ, kid, 0, idx, ctr()) + body())
        elif kind == "short":
            # 0..45: cannot hold a header, an Ethernet header and a tag
            n = i % (LC_HDR + ETH_HLEN + LC_TAG)
            full = lc_header(LC_TYPE_DATA, kid, 0, idx, ctr()) + rnd.randbytes(LC_TAG)
            out.append(full[:n])
        elif kind == "key-id":
            out.append(lc_header(LC_TYPE_DATA, (kid + 1 + i % 254) % 256, 0, idx,
                                 ctr()) + body())
        elif kind == "tag":
            out.append(lc_header(LC_TYPE_DATA, kid, 0, idx, ctr()) + body())
        else:
            die("unknown fuzz kind " + kind)
    if kind == "key-id" and any(d[1] == kid for d in out):
        die("internal: key-id fuzz used the real key id")
    return out


def cmd_send(args):
    pos, o = opt_args(args, {"hex": (str, False), "size": (int, False),
                             "count": (int, False), "batch": (int, False)})
    addr, port = pos
    pat = bytes.fromhex(o["hex"] or "00")
    size = o["size"] if o["size"] is not None else 512
    payload = (pat * (size // len(pat) + 1))[:size]
    sock, dest = udp_socket(addr, int(port))
    n = send_all(sock, dest, [payload] * (o["count"] or 1),
                 pause_every=o["batch"] if o["batch"] is not None else 100)
    print("sent=%d" % n)


def mac_bytes(s):
    b = bytes(int(x, 16) for x in s.split(":"))
    if len(b) != 6:
        die("bad MAC " + s)
    return b


def cmd_raw(args):
    pos, o = opt_args(args, {"dst": (mac_bytes, False), "src": (mac_bytes, False),
                             "count": (int, False), "ethertype": (anyint, False),
                             "hex": (str, False)})
    if o["dst"] is None or o["src"] is None:
        die("raw needs --dst and --src")
    etype = o["ethertype"] if o["ethertype"] is not None else 0x88b5
    payload = bytes.fromhex(o["hex"] or "6c63")
    frame = o["dst"] + o["src"] + struct.pack("!H", etype) + payload
    frame += bytes(max(0, 60 - len(frame)))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((pos[0], 0))
    n = 0
    for _ in range(o["count"] or 1):
        s.send(frame)
        n += 1
        time.sleep(0.01)
    print("sent=%d" % n)


COMMANDS = {"grep": cmd_grep, "udp": cmd_udp, "check": cmd_check,
            "collect": cmd_collect, "inject": cmd_inject, "fuzz": cmd_fuzz,
            "send": cmd_send, "raw": cmd_raw}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        COMMANDS[sys.argv[1]](sys.argv[2:])
    except (ValueError, OSError) as e:
        die("%s: %s" % (sys.argv[1], e))


if __name__ == "__main__":
    main()
