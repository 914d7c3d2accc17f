#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the YAML netlink spec of linkcrypt agrees with the uapi header.

    check-spec.py [SPEC [HEADER]]

SPEC defaults to linkcrypt.yaml beside this script, HEADER to the repository's
module/include/uapi/linux/linkcrypt.h.  The header is normative.  Every
enum of the header must be described by the spec (but the rtnetlink link
attributes), with the same names, order and values, and so must every
LINKCRYPT_* #define: the family name and version, the multicast group, the
constants and the key flags.  The spec's own references (nested attribute
sets, enums, operations' attributes, multicast groups) must resolve.

Prints KTAP; exits 1 if any check failed, 2 if a file cannot be read.
"""
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("TAP version 13\n1..0 # SKIP python3-yaml is not installed")
    sys.exit(4)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Header enums that are not part of the generic netlink family.
NOT_GENL = {"linkcrypt_link_attrs": "rtnetlink IFLA_INFO_DATA attributes"}

# The keys of the genetlink-legacy schema this spec may use, per level.
KEYS_TOP = {"name", "doc", "protocol", "uapi-header", "c-family-name",
            "c-version-name", "max-by-define", "kernel-policy", "version",
            "definitions", "attribute-sets", "operations", "mcast-groups"}
KEYS_DEF = {"name", "header", "type", "doc", "value", "value-start",
            "entries", "render-max", "enum-name", "name-prefix"}
KEYS_SET = {"name", "name-prefix", "enum-name", "doc", "subset-of",
            "attr-cnt-name", "attr-max-name", "attributes"}
KEYS_ATTR = {"name", "type", "doc", "value", "byte-order", "multi-attr",
             "nested-attributes", "enum", "enum-as-flags", "checks",
             "sub-type", "display-hint"}
KEYS_OPS = {"enum-model", "name-prefix", "enum-name", "list"}
KEYS_OP = {"name", "doc", "value", "attribute-set", "flags",
           "dont-validate", "do", "dump", "notify", "event", "mcgrp"}
ATTR_TYPES = {"unused", "pad", "flag", "binary", "bitfield32", "uint",
              "sint", "u8", "u16", "u32", "u64", "s32", "s64", "string",
              "nest", "array-nest", "nest-type-value"}


def c_upper(name):
    return name.upper().replace("-", "_")


def c_lower(name):
    return name.lower().replace("-", "_")


class Header:
    """The #defines and enums of a C header, with their values."""

    def __init__(self, text):
        self.text = text
        code = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
        code = re.sub(r"//[^\n]*", " ", code)
        self.defines = {}
        for m in re.finditer(r"^\s*#\s*define\s+(\w+)[ \t]+([^\n]+)$", code,
                             flags=re.M):
            self.defines[m.group(1)] = self.value(m.group(2).strip(), {})
        self.enums = {}
        for m in re.finditer(r"\benum\s+(\w+)\s*\{(.*?)\}\s*;", code,
                             flags=re.S):
            entries, known, nxt = [], {}, 0
            for item in m.group(2).split(","):
                item = item.strip()
                if not item:
                    continue
                name, _, expr = item.partition("=")
                name = name.strip()
                val = self.value(expr.strip(), known) if expr else nxt
                entries.append((name, val))
                known[name] = val
                nxt = val + 1
            self.enums[m.group(1)] = entries

    def value(self, expr, known):
        """An integer or string literal, or arithmetic on known names."""
        if expr.startswith('"') and expr.endswith('"'):
            return expr[1:-1]

        def name(m):
            n = m.group(0)
            if n in known:
                return str(known[n])
            if n in self.defines and isinstance(self.defines[n], int):
                return str(self.defines[n])
            raise ValueError("unknown name %s in %r" % (n, expr))
        arith = re.sub(r"\b[A-Za-z_]\w*\b", name, expr)
        if not re.fullmatch(r"[0-9xXa-fA-F+\-*/()<> \t]+", arith):
            raise ValueError("cannot evaluate %r" % expr)
        return int(eval(arith, {"__builtins__": {}}))  # digits and operators

    def kdoc_types(self):
        """@NAME: TYPE of the kernel-doc comments, for attributes."""
        types = {}
        for m in re.finditer(r"@(LINKCRYPT_A_\w+):\s*([^,\n]+)", self.text):
            types[m.group(1)] = m.group(2).strip()
        return types


class Checks:
    def __init__(self):
        self.results = []

    def case(self, desc, problems):
        self.results.append((desc, list(problems)))

    def report(self):
        print("TAP version 13")
        print("1..%d" % len(self.results))
        failed = 0
        for i, (desc, problems) in enumerate(self.results, 1):
            for p in problems:
                print("# %s" % p)
            if problems:
                failed += 1
                print("not ok %d %s" % (i, desc))
            else:
                print("ok %d %s" % (i, desc))
        print("# Totals: pass:%d fail:%d" %
              (len(self.results) - failed, failed))
        return 1 if failed else 0


def compare(what, want, got):
    """Problems between the expected (spec) and actual (header) entries."""
    if want == got:
        return []
    out = ["%s differs from the spec:" % what]
    wn, gn = dict(want), dict(got)
    for n, v in want:
        if n not in gn:
            out.append("  %s = %d: not in the header" % (n, v))
        elif gn[n] != v:
            out.append("  %s: spec %d, header %d" % (n, v, gn[n]))
    for n, v in got:
        if n not in wn:
            out.append("  %s = %d: not in the spec" % (n, v))
    if len(out) == 1:
        out.append("  order: spec %s, header %s"
                   % ([n for n, _ in want], [n for n, _ in got]))
    return out


def unknown_keys(where, obj, allowed):
    if not isinstance(obj, dict):
        return ["%s: not a mapping" % where]
    return ["%s: unknown key %r" % (where, k) for k in obj if k not in allowed]


def check_schema(spec):
    p = unknown_keys("top level", spec, KEYS_TOP)
    for k in ("name", "doc", "attribute-sets", "operations"):
        if k not in spec:
            p.append("top level: %r missing" % k)
    if spec.get("protocol") != "genetlink-legacy":
        p.append("protocol must be genetlink-legacy (for version and c-*-name)")
    for d in spec.get("definitions", []):
        p += unknown_keys("definition %s" % d.get("name"), d, KEYS_DEF)
        if d.get("type") not in ("const", "enum", "flags"):
            p.append("definition %s: bad type %r" % (d.get("name"), d.get("type")))
    for s in spec.get("attribute-sets", []):
        p += unknown_keys("attribute-set %s" % s.get("name"), s, KEYS_SET)
        for a in s.get("attributes", []):
            where = "attribute %s.%s" % (s.get("name"), a.get("name"))
            p += unknown_keys(where, a, KEYS_ATTR)
            if a.get("type") not in ATTR_TYPES:
                p.append("%s: bad type %r" % (where, a.get("type")))
    ops = spec.get("operations", {})
    p += unknown_keys("operations", ops, KEYS_OPS)
    for op in ops.get("list", []):
        p += unknown_keys("operation %s" % op.get("name"), op, KEYS_OP)
        if "doc" not in op:
            p.append("operation %s: no doc" % op.get("name"))
    return p


def check_refs(spec):
    p = []
    defs = {d["name"]: d for d in spec.get("definitions", [])}
    sets = {s["name"]: s for s in spec.get("attribute-sets", [])}
    groups = {g["name"] for g in spec.get("mcast-groups", {}).get("list", [])}
    for s in sets.values():
        for a in s["attributes"]:
            where = "%s.%s" % (s["name"], a["name"])
            if a.get("type") == "nest" and a.get("nested-attributes") not in sets:
                p.append("%s: nested-attributes %r is no attribute set"
                         % (where, a.get("nested-attributes")))
            if "enum" in a and defs.get(a["enum"], {}).get("type") not in ("enum", "flags"):
                p.append("%s: enum %r is not defined" % (where, a["enum"]))
            ck = a.get("checks", {})
            for k in ("exact-len", "min-len", "max-len"):
                v = ck.get(k)
                if isinstance(v, str) and defs.get(v, {}).get("type") != "const":
                    p.append("%s: %s %r is not a const" % (where, k, v))
    for op in spec["operations"]["list"]:
        aset = sets.get(op.get("attribute-set"))
        if aset is None:
            p.append("operation %s: attribute-set %r unknown"
                     % (op["name"], op.get("attribute-set")))
            continue
        names = {a["name"] for a in aset["attributes"]}
        msgs = []
        for mode in ("do", "dump"):
            for part in ("request", "reply"):
                msgs.append(op.get(mode, {}).get(part, {}))
        msgs.append(op.get("event", {}))
        for msg in msgs:
            for n in msg.get("attributes", []):
                if n not in names:
                    p.append("operation %s: attribute %r not in set %s"
                             % (op["name"], n, aset["name"]))
        if ("event" in op or "notify" in op) and op.get("mcgrp") not in groups:
            p.append("operation %s: mcgrp %r is no multicast group"
                     % (op["name"], op.get("mcgrp")))
    return p


def expected_enum(spec, d):
    fam = spec["name"]
    prefix = c_upper(d.get("name-prefix", "%s-%s-" % (fam, d["name"])))
    out, nxt = [], d.get("value-start", 0)
    for e in d["entries"]:
        e = {"name": e} if isinstance(e, str) else e
        val = e.get("value", nxt)
        if d["type"] == "flags":
            out.append((prefix + c_upper(e["name"]), 1 << val))
        else:
            out.append((prefix + c_upper(e["name"]), val))
        nxt = val + 1
    if d.get("render-max"):
        out.append(("__" + prefix + "MAX", nxt))
        out.append((prefix + "MAX", nxt - 1))
    return out


def expected_set(spec, s):
    fam = spec["name"]
    prefix = c_upper(s.get("name-prefix", "%s-a-%s-" % (fam, s["name"])))
    out, nxt = [], 1
    for a in s["attributes"]:
        val = a.get("value", nxt)
        out.append((prefix + c_upper(a["name"]), val))
        nxt = val + 1
    out.append((c_upper(s.get("attr-cnt-name", "__%sMAX" % prefix)), nxt))
    out.append((c_upper(s.get("attr-max-name", "%sMAX" % prefix)), nxt - 1))
    return out


def expected_ops(spec):
    ops = spec["operations"]
    prefix = c_upper(ops.get("name-prefix", "%s-cmd-" % spec["name"]))
    out, nxt = [(prefix + "UNSPEC", 0)], 1
    for op in ops["list"]:
        val = op.get("value", nxt)
        out.append((prefix + c_upper(op["name"]), val))
        nxt = val + 1
    out.append(("__" + prefix + "MAX", nxt))
    out.append((prefix + "MAX", nxt - 1))
    return out


def main(argv):
    spec_path = argv[1] if len(argv) > 1 else os.path.join(HERE, "linkcrypt.yaml")
    hdr_path = argv[2] if len(argv) > 2 else os.path.join(
        REPO, "module/include/uapi/linux/linkcrypt.h")
    try:
        with open(spec_path) as f:
            spec = yaml.safe_load(f)
        with open(hdr_path) as f:
            hdr = Header(f.read())
    except (OSError, yaml.YAMLError, ValueError) as e:
        print("TAP version 13\n1..1\n# %s\nnot ok 1 read spec and header" % e)
        return 2

    t = Checks()
    fam = spec.get("name", "")
    t.case("spec uses only keys of the genetlink-legacy schema",
           check_schema(spec))
    t.case("spec references resolve", check_refs(spec))

    covered_enums, covered_defs = set(), set()

    def define_is(what, cname, want):
        covered_defs.add(cname)
        if cname not in hdr.defines:
            return ["%s: no #define %s in the header" % (what, cname)]
        if hdr.defines[cname] != want:
            return ["%s: spec %r, header %s = %r"
                    % (what, want, cname, hdr.defines[cname])]
        return []

    t.case("family name",
           define_is("family name", c_upper(spec.get("c-family-name",
                                                     fam + "-family-name")), fam))
    t.case("family version",
           define_is("version", c_upper(spec.get("c-version-name",
                                                 fam + "-family-version")),
                     spec.get("version", 1)))
    p = []
    for g in spec.get("mcast-groups", {}).get("list", []):
        cname = c_upper(g.get("c-define-name", "%s-mcgrp-%s" % (fam, g["name"])))
        p += define_is("multicast group", cname, g["name"])
    t.case("multicast groups", p)

    p = []
    consts = [d for d in spec.get("definitions", []) if d["type"] == "const"]
    for d in consts:
        p += define_is("const " + d["name"], c_upper("%s-%s" % (fam, d["name"])),
                       d["value"])
    t.case("constants (%d)" % len(consts), p)

    for d in spec.get("definitions", []):
        if d["type"] == "const":
            continue
        want = expected_enum(spec, d)
        ename = d.get("enum-name", c_lower("%s-%s" % (fam, d["name"])))
        if ename in hdr.enums:
            covered_enums.add(ename)
            got = hdr.enums[ename]
            t.case("%s %s = enum %s" % (d["type"], d["name"], ename),
                   compare("enum " + ename, want, got))
        else:
            # Flags kept as #defines in the header.
            p = []
            for n, v in want:
                p += define_is("%s %s" % (d["type"], d["name"]), n, v)
            t.case("%s %s = #defines" % (d["type"], d["name"]), p)

    for s in spec.get("attribute-sets", []):
        ename = s.get("enum-name", c_lower("%s-%s-attrs" % (fam, s["name"])))
        covered_enums.add(ename)
        if ename not in hdr.enums:
            t.case("attribute set %s" % s["name"],
                   ["no enum %s in the header" % ename])
            continue
        t.case("attribute set %s = enum %s" % (s["name"], ename),
               compare("enum " + ename, expected_set(spec, s), hdr.enums[ename]))

    ename = spec["operations"].get("enum-name", c_lower(fam + "-cmd"))
    covered_enums.add(ename)
    t.case("operations = enum %s" % ename,
           compare("enum " + ename, expected_ops(spec), hdr.enums.get(ename, [])))

    p = []
    for e in hdr.enums:
        if e not in covered_enums and e not in NOT_GENL:
            p.append("enum %s of the header is not in the spec" % e)
    t.case("every enum of the header is in the spec", p)

    p = []
    for n in hdr.defines:
        if n.startswith("LINKCRYPT_") and n not in covered_defs:
            p.append("#define %s of the header is not in the spec" % n)
    t.case("every LINKCRYPT_* #define of the header is in the spec", p)

    # Types: what the header's kernel-doc says of each attribute.
    p, n = [], 0
    kdoc = hdr.kdoc_types()
    for s in spec.get("attribute-sets", []):
        prefix = c_upper(s.get("name-prefix", "%s-a-%s-" % (fam, s["name"])))
        for a in s["attributes"]:
            doc = kdoc.get(prefix + c_upper(a["name"]))
            if doc is None:
                continue
            word = doc.split()[0]
            if word in ATTR_TYPES or word == "be32":
                want = {"be32": "u32"}.get(word, word)
            elif re.match(r"(\d+|[A-Z][A-Z_]*) bytes\b", doc):
                want = "binary"
            else:
                continue
            n += 1
            if a["type"] != want:
                p.append("%s: spec type %s, header says %r"
                         % (prefix + c_upper(a["name"]), a["type"], doc))
            if word == "be32" and a.get("byte-order") != "big-endian":
                p.append("%s: header says be32, spec is not big-endian"
                         % (prefix + c_upper(a["name"])))
    if n == 0:
        p.append("no attribute type found in the header's kernel-doc")
    t.case("attribute types agree with the header's kernel-doc (%d)" % n, p)

    return t.report()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
