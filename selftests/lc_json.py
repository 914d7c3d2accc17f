#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read what the data-path selftests need out of lcctl's and iperf3's output.

Every name lcctl uses in its JSON and monitor output is spelled in the
NAMES section below and nowhere else, so that a renamed field is a one-line
fix here, not an edit of every test.

    lcctl -j show DEV | lc_json.py peer-stat DEV PEER NAME
    lcctl -j show DEV | lc_json.py dev-stat DEV NAME
    lcctl -j show DEV | lc_json.py key DEV PEER DIR SLOT NAME   ("absent": no key)
    lcctl -j show DEV | lc_json.py keys DEV PEER                ("DIR SLOT ID" lines)
    lcctl -j show DEV | lc_json.py peer DEV PEER NAME           (remote_id address port macs)
    lcctl -j show DEV | lc_json.py peers DEV                    (one id a line)
    lcctl -j show DEV | lc_json.py stats DEV PEER               ("NAME VALUE" lines:
                                            every counter of the peer and the device)
    lcctl -j show DEV | lc_json.py query DEV Q...               (one value a line)
        Q: peer:PEER:NAME (a counter or a peer field), dev:NAME,
           key:PEER:DIR:SLOT:NAME
    lcctl -j show DEV | lc_json.py summary                      (diagnostics)
    ANY TEXT          | lc_json.py no-secrets HEX...            (exit 1 if a key leaks)
    lc_json.py events FILE EVENT [--dev D] [--peer P] [--dir D] [--key-id K]
    lc_json.py iperf FILE NAME
    lc_json.py serve       (the commands above over a pipe: see serve())

Numbers are printed in decimal, booleans as 1 or 0, MAC lists as
space-separated lower-case addresses.  A missing device, peer or field is an
error (exit 1, message on stderr): a test must never read "" as 0.
"""

import base64
import binascii
import io
import json
import re
import sys

# ---------------------------------------------------------------- NAMES
# lcctl -j show: a list of devices.
DEV_NAME = "ifname"
DEV_PEERS = "peers"
DEV_STATS = "stats"
# A peer.
PEER_ID = "id"
PEER_STATS = "stats"
PEER_KEYS = "keys"
PEER_FIELDS = {             # test's name -> path in the peer object
    "remote_id": ("remote_id",),
    "address": ("endpoint", "address"),
    "port": ("endpoint", "port"),
    "macs": ("macs",),
}
# Counters: test's name -> lcctl's name.
PEER_STAT_NAMES = {n: n for n in (
    "tx_packets", "tx_bytes", "rx_packets", "rx_bytes", "drop_no_key",
    "drop_key_expired", "drop_auth", "drop_replay", "drop_tx_error")}
DEV_STAT_NAMES = {n: n for n in (
    "drop_no_peer", "drop_malformed", "drop_no_peer_tx")}
# A key: its selectors and fields.
KEY_DIR = "dir"             # "tx" | "rx"
KEY_SLOT = "slot"           # "primary" | "secondary"
KEY_FIELD_NAMES = {n: n for n in (
    "id", "packets", "bytes", "auth_failures", "replays", "soft_expired",
    "hard_expired")}
# lcctl [-j] monitor: one event a line.  JSON lines carry these names;
# the key of a key event is either nested ("key": {"dir", "id"}) or flat.
EV_EVENT = "event"          # "soft-limit" | "hard-limit" | "no-key"
EV_PEER = "peer"
EV_DEV = ("ifname", "dev")  # whichever is present
EV_KEY = "key"
EV_KEY_DIR = ("dir",)
EV_KEY_ID = ("id", "key_id")
# Text lines: "lc0: peer 1 key tx id 3: soft-limit", "lc0: peer 1: no-key".
EV_TEXT = re.compile(r"^(?P<dev>[^:]+): peer (?P<peer>\d+)"
                     r"(?: key (?P<dir>tx|rx) id (?P<id>\d+))?: (?P<event>[a-z-]+)$")
# ---------------------------------------------------------------- end of NAMES


def die(msg):
    print("lc_json: " + msg, file=sys.stderr)
    sys.exit(1)


def out(value):
    if isinstance(value, bool):
        print(1 if value else 0)
    elif isinstance(value, list):
        print(" ".join(str(v).lower() for v in value))
    elif value is None:
        die("value is null")
    else:
        print(value)


def load_stdin():
    text = sys.stdin.read()
    try:
        return json.loads(text)
    except ValueError as e:
        die("not JSON (%s): %.300r" % (e, text))


def device(data, name):
    devs = data if isinstance(data, list) else [data]
    for d in devs:
        if isinstance(d, dict) and d.get(DEV_NAME) == name:
            return d
    die("no device %r in %s" % (name, [d.get(DEV_NAME) for d in devs
                                      if isinstance(d, dict)]))


def peers_of(dev):
    p = dev.get(DEV_PEERS)
    if p is None:
        die("device %r has no %r list" % (dev.get(DEV_NAME), DEV_PEERS))
    return p


def peer(dev, pid):
    for p in peers_of(dev):
        if str(p.get(PEER_ID)) == str(pid):
            return p
    die("device %r has no peer %s (peers: %s)" % (
        dev.get(DEV_NAME), pid, [p.get(PEER_ID) for p in peers_of(dev)]))


def field(obj, path, what):
    for part in path:
        if not isinstance(obj, dict) or part not in obj:
            die("%s: no field %r in %.300r" % (what, part, obj))
        obj = obj[part]
    return obj


def find_key(p, direction, slot):
    for k in p.get(PEER_KEYS) or []:
        if k.get(KEY_DIR) == direction and k.get(KEY_SLOT) == slot:
            return k
    return None


def first(obj, names):
    for n in names:
        if n in obj:
            return obj[n]
    return None


def cmd_peer_stat(a):
    dev = device(load_stdin(), a[0])
    name = PEER_STAT_NAMES.get(a[2]) or die("unknown peer counter " + a[2])
    out(field(peer(dev, a[1]), (PEER_STATS, name), "peer %s" % a[1]))


def cmd_dev_stat(a):
    dev = device(load_stdin(), a[0])
    name = DEV_STAT_NAMES.get(a[1]) or die("unknown device counter " + a[1])
    out(field(dev, (DEV_STATS, name), "device %s" % a[0]))


def cmd_key(a):
    dev = device(load_stdin(), a[0])
    k = find_key(peer(dev, a[1]), a[2], a[3])
    if k is None:
        print("absent")
        return
    name = KEY_FIELD_NAMES.get(a[4]) or die("unknown key field " + a[4])
    out(field(k, (name,), "peer %s key %s %s" % (a[1], a[2], a[3])))


def cmd_keys(a):
    dev = device(load_stdin(), a[0])
    for k in peer(dev, a[1]).get(PEER_KEYS) or []:
        print(k.get(KEY_DIR), k.get(KEY_SLOT), k.get(KEY_FIELD_NAMES["id"]))


def cmd_peer(a):
    dev = device(load_stdin(), a[0])
    path = PEER_FIELDS.get(a[2]) or die("unknown peer field " + a[2])
    out(field(peer(dev, a[1]), path, "peer %s" % a[1]))


def cmd_peers(a):
    for p in peers_of(device(load_stdin(), a[0])):
        print(p.get(PEER_ID))


def cmd_stats(a):
    dev = device(load_stdin(), a[0])
    p = peer(dev, a[1])
    for mine, theirs in PEER_STAT_NAMES.items():
        print(mine, field(p, (PEER_STATS, theirs), "peer %s" % a[1]))
    for mine, theirs in DEV_STAT_NAMES.items():
        print(mine, field(dev, (DEV_STATS, theirs), "device %s" % a[0]))


def cmd_query(a):
    """Several values from one JSON document: one lcctl call, one python."""
    dev = device(load_stdin(), a[0])
    for q in a[1:]:
        f = q.split(":")
        if f[0] == "peer" and len(f) == 3:
            p = peer(dev, f[1])
            if f[2] in PEER_STAT_NAMES:
                out(field(p, (PEER_STATS, PEER_STAT_NAMES[f[2]]), "peer " + f[1]))
            elif f[2] in PEER_FIELDS:
                out(field(p, PEER_FIELDS[f[2]], "peer " + f[1]))
            else:
                die("unknown peer counter or field " + f[2])
        elif f[0] == "dev" and len(f) == 2:
            name = DEV_STAT_NAMES.get(f[1]) or die("unknown device counter " + f[1])
            out(field(dev, (DEV_STATS, name), "device " + a[0]))
        elif f[0] == "key" and len(f) == 5:
            k = find_key(peer(dev, f[1]), f[2], f[3])
            if k is None:
                print("absent")
                continue
            name = KEY_FIELD_NAMES.get(f[4]) or die("unknown key field " + f[4])
            out(field(k, (name,), "peer %s key %s %s" % tuple(f[1:4])))
        else:
            die("bad query %r" % q)


def cmd_summary(_a):
    """One line per device, peer and key: every counter, for a failure log."""
    data = load_stdin()
    for dev in data if isinstance(data, list) else [data]:
        st = dev.get(DEV_STATS) or {}
        print("%s: %s" % (dev.get(DEV_NAME),
                          " ".join("%s=%s" % kv for kv in sorted(st.items()))))
        for p in dev.get(DEV_PEERS) or []:
            rest = {k: v for k, v in p.items() if k not in (PEER_STATS, PEER_KEYS)}
            print("  peer %s" % json.dumps(rest, sort_keys=True))
            print("    " + " ".join("%s=%s" % kv for kv in
                                    sorted((p.get(PEER_STATS) or {}).items())))
            for k in p.get(PEER_KEYS) or []:
                print("    key " + json.dumps(k, sort_keys=True))


def cmd_no_secrets(a):
    """Fail if any form of the given key materials appears in stdin."""
    text = sys.stdin.read()
    low = text.lower()
    flat = re.sub(r"[^0-9a-f]", "", low.replace("0x", ""))
    bad = []
    for hexkey in a:
        raw = binascii.unhexlify(hexkey)
        forms = {
            "hex": hexkey.lower(),
            "hex of the key": hexkey.lower()[:64],
            "base64": base64.b64encode(raw).decode(),
            "base64 of the key": base64.b64encode(raw[:32]).decode(),
        }
        for what, form in forms.items():
            hay = text if what.startswith("base64") else low
            if form in hay:
                bad.append("%s of %s..." % (what, hexkey[:8]))
        # Separated hex ("ab:cd:..", "0xab, 0xcd", byte lists) as well.
        if hexkey.lower()[:64] in flat:
            bad.append("separated hex of %s..." % hexkey[:8])
        if ", ".join(str(b) for b in raw[:16]) in text:
            bad.append("decimal bytes of %s..." % hexkey[:8])
    # Any long hex string is suspicious in output that should hold metadata.
    for m in re.finditer(r"[0-9a-fA-F]{48,}", text):
        bad.append("long hex string %s..." % m.group(0)[:12])
    if bad:
        die("key material in the output: " + "; ".join(bad))


def parse_event(line):
    line = line.strip()
    if not line:
        return None
    if line.startswith("{"):
        try:
            ev = json.loads(line)
        except ValueError:
            die("monitor line is not JSON: %r" % line)
        k = ev.get(EV_KEY)
        if isinstance(k, dict):         # "key": {"dir": "tx", "id": 3}
            kdir, kid = first(k, EV_KEY_DIR), first(k, EV_KEY_ID)
        else:                           # "dir": "tx", "key_id": 3 (or "key": 3)
            kdir = first(ev, EV_KEY_DIR)
            kid = k if k is not None else first(ev, EV_KEY_ID[1:])
        return {"event": ev.get(EV_EVENT), "peer": ev.get(EV_PEER),
                "dev": first(ev, EV_DEV), "dir": kdir, "id": kid}
    m = EV_TEXT.match(line)
    if not m:
        die("monitor line not understood: %r" % line)
    return m.groupdict()


def cmd_events(a):
    path, event, opts = a[0], a[1], a[2:]
    want = {}
    while opts:
        if len(opts) < 2 or opts[0] not in ("--dev", "--peer", "--dir", "--key-id"):
            die("events: bad option %r" % opts[0])
        want[opts[0][2:].replace("key-id", "id")] = opts[1]
        opts = opts[2:]
    n = 0
    with open(path) as f:
        for line in f:
            ev = parse_event(line)
            if ev is None or ev["event"] != event:
                continue
            if all(str(ev.get(k)) == v for k, v in want.items()):
                n += 1
    print(n)


def cmd_iperf(a):
    """iperf3 -J, client side (iperf3 3.12 and later)."""
    path, name = a
    with open(path) as f:
        text = f.read()
    try:
        d = json.loads(text)
    except ValueError:
        die("iperf3 output is not JSON: %.300r" % text)
    if name == "error":
        print(d.get("error", ""))
        return
    if d.get("error"):
        die("iperf3 failed: " + d["error"])
    end = d.get("end") or die("iperf3: no 'end' section")
    # UDP: the receiver's view (lost, packets) is in sum_received; iperf3
    # before 3.14 also has it in "sum".
    rcv = end.get("sum_received") or end.get("sum") or {}
    snd = end.get("sum_sent") or end.get("sum") or {}
    table = {
        "udp_lost": (rcv, "lost_packets"),
        "udp_packets": (rcv, "packets"),
        "udp_sent_packets": (snd, "packets"),
        "tcp_retransmits": (snd, "retransmits"),
        "received_bytes": (rcv, "bytes"),
        "received_bps": (rcv, "bits_per_second"),
        "sent_bytes": (snd, "bytes"),
    }
    if name == "udp_out_of_order":
        out(iperf_out_of_order(d))
        return
    obj, key = table.get(name) or die("unknown iperf3 field " + name)
    if key not in obj:
        die("iperf3: no %r in %.300r" % (key, obj))
    out(int(obj[key]))


def iperf_out_of_order(d):
    """Datagrams the receiving iperf3 saw out of order: only the server
    counts them, so the client must have run with --get-server-output."""
    srv = d.get("server_output_json") or die(
        "iperf3: no server output (run the client with --get-server-output)")
    streams = (srv.get("end") or {}).get("streams") or die(
        "iperf3: the server's output has no streams")
    n = 0
    for st in streams:
        udp = st.get("udp") or die("iperf3: a server stream without 'udp'")
        if "out_of_order" not in udp:
            die("iperf3: no 'out_of_order' in the server's %.300r" % udp)
        n += int(udp["out_of_order"])
    return n


COMMANDS = {
    "peer-stat": (cmd_peer_stat, 3), "dev-stat": (cmd_dev_stat, 2),
    "key": (cmd_key, 5), "keys": (cmd_keys, 2), "peer": (cmd_peer, 3),
    "peers": (cmd_peers, 1), "stats": (cmd_stats, 2), "summary": (cmd_summary, 0),
    "query": (cmd_query, -2),
    "no-secrets": (cmd_no_secrets, -1), "events": (cmd_events, -2),
    "iperf": (cmd_iperf, 2),
}


def run(argv):
    """One command, as from the command line; exits with its code."""
    if not argv or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    fn, nargs = COMMANDS[argv[0]]
    args = argv[1:]
    if (nargs >= 0 and len(args) != nargs) or (nargs < 0 and len(args) < -nargs):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    fn(args)


def read_exact(f, n):
    data = f.read(n)
    if len(data) != n:
        sys.exit(0)         # the shell went away mid-request
    return data


def serve():
    """Answer commands over stdin and stdout until EOF, for lib_topo.sh's
    lc_json: a python start takes seconds on the debug kernel, and a case
    reads counters dozens of times.  A request is a line "NARGS NIN", the
    NARGS arguments one a line, then NIN bytes of input; the answer is a
    line "RC NOUT NERR", then NOUT bytes of output and NERR of errors."""
    rd, wr = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = rd.readline()
        if not head:
            return
        nargs, nin = (int(v) for v in head.split())
        argv = [rd.readline().decode().rstrip("\n") for _ in range(nargs)]
        text = read_exact(rd, nin).decode()
        sys.stdin, sys.stdout, sys.stderr = (io.StringIO(text), io.StringIO(),
                                             io.StringIO())
        try:
            run(argv)
            rc = 0
        except SystemExit as e:
            rc = e.code or 0 if isinstance(e.code, (int, type(None))) else 1
        except Exception as e:     # a bug here must not hang the shell
            print("lc_json: %s: %r" % (argv, e), file=sys.stderr)
            rc = 1
        res, err = sys.stdout.getvalue().encode(), sys.stderr.getvalue().encode()
        sys.stdin, sys.stdout, sys.stderr = sys.__stdin__, sys.__stdout__, sys.__stderr__
        wr.write(b"%d %d %d\n" % (rc, len(res), len(err)) + res + err)
        wr.flush()


def main():
    if sys.argv[1:] == ["serve"]:
        serve()
    else:
        run(sys.argv[1:])


if __name__ == "__main__":
    main()
