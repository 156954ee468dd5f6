#!/usr/bin/env python3
"""The shape of the tree (README.md, "Layout"), checked on the sources and on
the objects the build made:

- the rooms: the objects of each room's static library reference no symbol
  defined by a room above it (common < capture < dissect < judge < writers),
  dissect/ calls nothing of OpenSSL's X.509 and includes no X.509 header,
  the writers call nothing of OpenSSL at all, and the rules have one caller;
- sizes: no C source over 800 lines, no function over 100.

Usage: shape.py SOURCE_ROOT BUILD_DIR
"""
import glob
import os
import re
import subprocess
import sys

ROOMS = ["common", "capture", "dissect", "judge", "writers"]
FILE_MAX = 800
FUNCTION_MAX = 100

failed = 0
passed = 0


def case(name, ok, why=""):
    global failed, passed
    if ok:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name + (": " + str(why) if why else ""))


def nm(lib):
    """(defined, undefined) global symbols of a static library."""
    out = subprocess.run(["nm", "-g", "--defined-only", lib], capture_output=True,
                         text=True, check=True).stdout
    defined = {l.split()[-1] for l in out.splitlines() if len(l.split()) == 3}
    out = subprocess.run(["nm", "-g", "--undefined-only", lib], capture_output=True,
                         text=True, check=True).stdout
    undefined = {l.split()[-1] for l in out.splitlines() if l.strip()}
    return defined, undefined


def nm_undefined(path):
    out = subprocess.run(["nm", "-g", "--undefined-only", path], capture_output=True,
                         text=True, check=True).stdout
    return {l.split()[-1] for l in out.splitlines() if l.strip()}


def rooms(build):
    syms = {}
    for room in ROOMS:
        lib = os.path.join(build, "libcertscope-%s.a" % room)
        case("room %s is a static library of its own" % room, os.path.exists(lib), lib)
        if not os.path.exists(lib):
            return
        syms[room] = nm(lib)
    for i, room in enumerate(ROOMS):
        above = set()
        for r in ROOMS[i + 1:]:
            above |= syms[r][0]
        back = sorted(syms[room][1] & above)
        case("%s references nothing of the rooms above it" % room, not back, back[:10])
    x509 = re.compile(r"^(X509|d2i_X509|i2d_X509|PEM_|PKCS7|sk_X509|OPENSSL_sk|ASN1_)")
    bad = sorted(s for s in syms["dissect"][1] if x509.match(s))
    case("dissect/ calls nothing of OpenSSL's X.509", not bad, bad[:10])
    ossl = re.compile(r"^(X509|d2i_|i2d_|PEM_|PKCS7|EVP_|OPENSSL_|ASN1_|BIO_|ERR_|OBJ_|"
                      r"OpenSSL_|CRYPTO_|sk_)")
    bad = sorted(s for s in syms["writers"][1] if ossl.match(s))
    case("the writers call nothing of OpenSSL", not bad, bad[:10])
    # main.c and the live view, linked into the binary only
    objs = sorted(glob.glob(os.path.join(build, "certscope.p", "*.o")))
    case("the objects of main.c and the live view are found", len(objs) >= 2, objs)
    bad = sorted(s for o in objs for s in nm_undefined(o) if ossl.match(s))
    case("main.c and the live view call nothing of OpenSSL", not bad, bad[:10])


def sources(root):
    for room in ("common", "capture", "dissect", "judge", "ui"):
        d = os.path.join(root, room)
        for f in sorted(os.listdir(d)):
            if f.endswith((".c", ".h")):
                yield os.path.join(room, f), open(os.path.join(d, f)).read()


def functions(text):
    """(name, lines) of each function defined at the top level."""
    lines = text.split("\n")
    start = None
    for i, line in enumerate(lines):
        if line == "{" and i > 0:
            j = i - 1
            while j > 0 and not re.match(r"^[A-Za-z_]", lines[j]):
                j -= 1
            m = re.search(r"(\w+)\s*\(", lines[j])
            start = (m.group(1) if m else "?", j)
        elif line == "}" and start:
            yield start[0], i - start[1] + 1
            start = None


def sizes(root):
    for path, text in sources(root):
        n = text.count("\n")
        if path.endswith(".c") or n > FILE_MAX:
            case("%s: %d lines, at most %d" % (path, n, FILE_MAX), n <= FILE_MAX)
        for name, length in functions(text):
            if length > FUNCTION_MAX:
                case("%s: %s() is %d lines, at most %d" % (path, name, length,
                                                          FUNCTION_MAX), False)
    case("every function is at most %d lines" % FUNCTION_MAX, True)


def includes(root):
    bad = [p for p, t in sources(root) if p.startswith("dissect/") and
           re.search(r"#include\s*[<\"](openssl/x509|openssl/pem|.*judge/)", t)]
    case("dissect/ includes no X.509 header and nothing of judge/", not bad, bad)
    bad = [p for p, t in sources(root) if p.startswith(("dissect/", "judge/", "capture/",
                                                        "common/")) and
           re.search(r"#include\s*[<\"](curses|ncurses|.*ui/)", t)]
    case("nothing below ui/ includes ncurses or ui/", not bad, bad)
    callers = [p for p, t in sources(root) if re.search(r"\brules_\w+\(&?\w+\)", t)
               and not p.startswith("judge/rules")]
    case("judge_run (judge/judge.c) is the only caller of the rules",
         callers == ["judge/judge.c"], callers)
    clocks = [p for p, t in sources(root) if p.startswith(("dissect/", "judge/")) and
              re.search(r"\btime\(NULL\)", t) and not p.endswith("judge/judge.c")]
    case("dissect/ and judge/ read no wall clock but judge_today()", not clocks, clocks)


def main():
    root, build = sys.argv[1], sys.argv[2]
    rooms(build)
    sizes(root)
    includes(root)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


main()
