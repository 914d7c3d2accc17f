#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The man pages of dist/man, as KTAP.

    check-man.py [LCCTL]

 - each page renders without a warning (man --warnings, as lintian does);
 - each page carries the module's version (LC_VERSION) in its title line;
 - lcctl(8) names every command, keyword and option of "LCCTL help"
   (default: build/userspace/lcctl; skipped if it is not built);
 - linkcrypt(7) names every counter of "ethtool -S" (module/lc_ethtool.c).
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PAGES = ["man/lcctl.8", "man/linkcrypt.7"]

results = []


def case(desc, problems, skip=None):
    results.append((desc, list(problems), skip))


def text_of(page):
    """The page's source with the escapes that matter for names undone."""
    with open(os.path.join(HERE, page)) as f:
        src = f.read()
    src = src.replace("\\-", "-").replace("\\&", "")
    src = re.sub(r"\\f[BIRP]|\\f\(\w\w|\\\|", "", src)
    return src


def names_missing(src, names):
    return sorted(n for n in names
                  if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(n), src))


def render(page):
    path = os.path.join(HERE, page)
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
    p = subprocess.run(["man", "--warnings", "-l", "-Tutf8", path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       env=env, check=False)
    err = p.stderr.decode(errors="replace").strip()
    out = err.splitlines()
    if p.returncode:
        out.append("man exited with %d" % p.returncode)
    return out


def lcctl_names(lcctl):
    """Commands, keywords and options of lcctl's grammar."""
    out = subprocess.run([lcctl, "help"], stdout=subprocess.PIPE,
                         check=True).stdout.decode()
    lines = out.splitlines()
    names = set()
    # Options: "  -j, --json   print JSON" in the Options section.
    for ln in lines:
        m = re.match(r"\s+(-\w), (--[\w-]+)\s", ln)
        if m:
            names.update(m.groups())
    # Grammar: the command lines and their continuations give every word;
    # the "where" blocks give only their hyphenated keywords (limits).
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Grammar"))
    in_where = False
    for ln in lines[start + 1:]:
        body = ln.strip()
        if body.startswith("lcctl "):
            in_where = False
        elif ln.startswith("where") or ":=" in body:
            in_where = True
        words = re.findall(r"(?<![\w.:-])[a-z][a-z0-9]*(?:-[a-z0-9]+)*", body)
        if in_where:
            words = [w for w in words if "-" in w]
        names.update(w for w in words if w != "lcctl")
    return names


def ethtool_counters():
    with open(os.path.join(REPO, "module/lc_ethtool.c")) as f:
        src = f.read()
    return set(re.findall(r'LC_ETS(?:_OTHER)?\("(\w+)"', src))


def version():
    with open(os.path.join(REPO, "module/lc_consts.h")) as f:
        m = re.search(r'#define\s+LC_VERSION\s+"([^"]+)"', f.read())
    return m.group(1) if m else None


def main(argv):
    lcctl = argv[1] if len(argv) > 1 else os.path.join(
        REPO, "build/userspace/lcctl")
    have_man = shutil.which("man") is not None
    ver = version()

    for page in PAGES:
        if have_man:
            case("%s renders without warnings" % page, render(page))
        else:
            case("%s renders without warnings" % page, [], "man not installed")
    for page in PAGES:
        th = re.search(r'^\.TH\s.*"linkcrypt ([^"]+)"', text_of(page), re.M)
        got = th.group(1) if th else None
        case("%s is of version %s" % (page, ver),
             [] if got == ver else ["title line says %r" % got])

    if os.access(lcctl, os.X_OK):
        names = lcctl_names(lcctl)
        missing = names_missing(text_of("man/lcctl.8"), names)
        case("lcctl.8 names all %d words of lcctl help" % len(names),
             ["not in lcctl.8: " + " ".join(missing)] if missing else [])
    else:
        case("lcctl.8 names all words of lcctl help", [],
             "%s not built" % lcctl)

    counters = ethtool_counters()
    missing = names_missing(text_of("man/linkcrypt.7"), counters)
    case("linkcrypt.7 names all %d ethtool counters" % len(counters),
         (["not in linkcrypt.7: " + " ".join(missing)] if missing else []) +
         ([] if counters else ["no counter found in module/lc_ethtool.c"]))

    print("TAP version 13")
    print("1..%d" % len(results))
    failed = 0
    for i, (desc, problems, skip) in enumerate(results, 1):
        for p in problems:
            print("# %s" % p)
        if skip:
            print("ok %d %s # SKIP %s" % (i, desc, skip))
        elif problems:
            failed += 1
            print("not ok %d %s" % (i, desc))
        else:
            print("ok %d %s" % (i, desc))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
