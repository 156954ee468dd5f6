#!/usr/bin/env python3
"""certscope's own pages agree with its command line.

The options the manual page documents, the options --help shows, the
options bash completion offers and the options ui/main.c's getopt accepts
must be the same set of names; every option and diagnosis code of the
contract must be in the manual page and the field guide; --help fits one
screen; --version names certscope, libpcap and OpenSSL; usage errors are
one line and a pointer to --help; the progress line is drawn on a terminal
only, and erased.

usage: docs.py CERTSCOPE SOURCE_ROOT
"""
import difflib
import json
import os
import pty
import re
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

results = []


def case(name, ok, why=""):
    results.append(bool(ok))
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(why)))


def run(binary, args, **kw):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60, **kw)


# ---- where each list of options comes from ---------------------------------

def getopt_options(main_c):
    """The options of ui/main.c: its getopt_long optstring and long_options
    table.  Returns {name: takes_argument}."""
    src = open(main_c).read()
    opts = {}
    m = re.search(r'getopt_long\([^,]+,[^,]+,\s*"([^"]*)"', src)
    if m:
        s = m.group(1).lstrip("+-:")
        for i, ch in enumerate(s):
            if ch != ":":
                opts["-" + ch] = s[i + 1:i + 2] == ":"
    m = re.search(r"struct option long_options\[\]\s*=\s*\{(.*?)\n\};", src, re.S)
    if m:
        for name, arg in re.findall(r'\{\s*"([^"]+)"\s*,\s*(\w+)', m.group(1)):
            opts["--" + name] = arg == "required_argument"
    return opts


def roff_text(line):
    """A roff line as the reader sees it: \\- is a dash, fonts are gone, and
    the arguments of .BR and its kin are joined (they alternate fonts)."""
    line = re.sub(r"\\f(\[[^]]*\]|\(..|.)", "", line)
    line = line.replace("\\-", "-").replace("\\e", "\\")
    m = re.match(r"^\.(B|I|BI|IB|BR|RB|IR|RI)\s+(.*)$", line)
    if m:
        args = [a.strip('"') for a in re.findall(r'"[^"]*"|\S+', m.group(2))]
        line = (" " if m.group(1) in ("B", "I") else "").join(args)
    return line.replace('"', "")


def man_sections(path):
    sections, name = {}, None
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith(".SH"):
            name = line[3:].strip().strip('"')
            sections[name] = []
        elif name:
            sections[name].append(line)
    return sections


OPTION_RE = re.compile(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])(?![\w-])")


def man_options(sections):
    """Options named in the tags (the line after .TP) of OPTIONS."""
    opts, lines = set(), sections.get("OPTIONS", [])
    for i, line in enumerate(lines):
        if line.startswith(".TP") and i + 1 < len(lines):
            opts.update(OPTION_RE.findall(roff_text(lines[i + 1])))
    return opts


def help_options(text):
    """Options in the first column of --help's option lines."""
    opts = set()
    for line in text.splitlines():
        if re.match(r"  -", line):
            first = re.split(r"\s{2,}", line.strip())[0]
            opts.update(OPTION_RE.findall(first))
    return opts


def completion_options(path):
    """Options bash completion offers for a word that starts with '-'."""
    src = open(path).read()
    opts = set()
    for words in re.findall(r"compgen -W '([^']*)'", src):
        if "--help" in words:
            opts.update(w.rstrip("=") for w in words.split() if w.startswith("-"))
    return opts


def completion_arg_options(path):
    """Options whose argument bash completion completes (case $prev)."""
    src = open(path).read()
    m = re.search(r"case \$prev in(.*?)\n\tesac", src, re.S)
    opts = set()
    if m:
        for pattern in re.findall(r"^\t([^\t\n(][^\n]*)\)$", m.group(1), re.M):
            opts.update(p.strip() for p in pattern.split("|"))
    return opts


PLANNED_RE = re.compile(r"\*planned \(([^)]*)\)\*")


def contract(path):
    """Option names and diagnosis codes of CONTRACT.md, and for each that a
    row marks *planned (issue)*, the issue that builds it."""
    text = open(path).read()
    cmd = text.split("## Command line", 1)[1].split("##", 1)[0]
    opts, planned = set(), {}
    for line in re.findall(r"^\| `.*$", cmd, re.M):
        found = set()
        m = re.match(r"^\| `([^|]*)` \|", line)
        if m:
            found.update(OPTION_RE.findall(m.group(1)))
        m = re.match(r"^\| `--\S+` / `(--\S+)` \|", line)
        if m:
            found.add(m.group(1))
        opts |= found
        p = PLANNED_RE.search(line)
        if p:
            planned.update((o, p.group(1)) for o in found)
    diag = text.split("## Diagnosis codes", 1)[1]
    codes = set()
    for line in re.findall(r"^\| `.*$", diag, re.M):
        cell = re.match(r"^\| (`[^|]*`) \|", line)
        if not cell:
            continue
        found = set(re.findall(r"`([^`]+)`", cell.group(1)))
        codes |= found
        p = PLANNED_RE.search(line)
        if p:
            planned.update((c, p.group(1)) for c in found)
    return opts, codes, planned


def built_codes(root):
    """Diagnosis codes the catalogue holds (string literals of its sources)."""
    names = set()
    for room in ("dissect", "judge"):
        d = os.path.join(root, room)
        if not os.path.isdir(d):
            continue
        for f in os.listdir(d):
            if f.endswith(".c"):
                names.update(re.findall(r'"([a-z0-9-]+)"', open(os.path.join(d, f)).read()))
    return names


def meson_version(root):
    m = re.search(r"version\s*:\s*'([^']+)'", open(os.path.join(root, "meson.build")).read())
    return m.group(1) if m else None


# ---- the progress line -------------------------------------------------------

def big_capture(sample, out, copies):
    """copies of a classic Ethernet pcap's one connection, each from its own
    client address and port, one second apart."""
    d = open(sample, "rb").read()
    magic = d[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return False
    if struct.unpack(e + "I", d[20:24])[0] != 1:
        return False
    pkts, off = [], 24
    while off + 16 <= len(d):
        ts, us, cl, ol = struct.unpack(e + "IIII", d[off:off + 16])
        pkts.append((ts, us, d[off + 16:off + 16 + cl], ol))
        off += 16 + cl
    # the client is the side of the first packet
    first = pkts[0][2]
    client_ip = first[26:30]
    with open(out, "wb") as f:
        f.write(d[:24])
        for i in range(copies):
            ip = struct.pack(">I", 0x0A000000 + i + 1)
            port = struct.pack(">H", 10000 + i % 50000)
            for ts, us, data, ol in pkts:
                b = bytearray(data)
                if len(b) < 38 or b[12:14] != b"\x08\x00":
                    continue
                t = 14 + (b[14] & 15) * 4
                if b[26:30] == client_ip:
                    b[26:30], b[t:t + 2] = ip, port
                else:
                    b[30:34], b[t + 2:t + 4] = ip, port
                f.write(struct.pack(e + "IIII", ts + i, us, len(b), ol) + bytes(b))
    return True


def on_terminal(binary, args, hold=0.0):
    """Runs certscope with its standard error on a terminal (a pty) and
    standard output on a pipe; returns (exit, stdout, what the terminal got,
    seconds).  With hold, the pipe is not read for that many seconds: a run
    whose output outgrows the pipe then takes at least that long, on any
    machine, however fast it reads."""
    master, slave = pty.openpty()
    got = bytearray()

    def drain():
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            got.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    start = time.monotonic()
    p = subprocess.Popen([binary, *args], stdout=subprocess.PIPE, stderr=slave,
                         stdin=subprocess.DEVNULL)
    time.sleep(hold)
    out, _ = p.communicate(timeout=300)
    took = time.monotonic() - start
    testlib.check(p.returncode, b"", " ".join(args[:3]))
    os.close(slave)
    reader.join(10)
    os.close(master)
    return p.returncode, out, bytes(got), took


def progress_tests(binary, root, tmp):
    samples = os.path.join(root, "samples")
    small = os.path.join(samples, "unknown-ca-5061.pcap")
    rc, out, tty, _ = on_terminal(binary, ["-r", small, "--json"])
    case("progress: a small file read on a terminal draws nothing", tty == b"", tty[:200])

    big = os.path.join(tmp, "big.pcap")
    if not big_capture(small, big, 4000):
        case("progress: sample is a classic Ethernet pcap", False, small)
        return
    # the NDJSON outgrows the pipe, so reading lasts the 1.5 s it is held
    rc, out, tty, took = on_terminal(binary, ["-r", big, "--json"], hold=1.5)
    handshakes = sum(1 for l in out.splitlines() if l.startswith(b'{"type":"handshake"'))
    case("progress: the big capture is read whole", handshakes == 4000, handshakes)
    draws = re.findall(rb"\r\x1b\[K([^\r]*)\r", tty)
    drawn = [d for d in draws if d]
    ok = drawn and all(re.fullmatch(rb"\S*big\.pcap\s+\d+%\s+\d+ packets/s\s+\d+ handshakes", d)
                       for d in drawn)
    case("progress: percent, packets/s and handshakes while reading (%.1f s)" % took,
         took >= 1.5 and ok, (took, drawn[:3]))
    case("progress: at most ~4 redraws a second",
         len(drawn) <= took * 4 + 2, "%d draws in %.1f s" % (len(drawn), took))
    case("progress: each line fits a row", drawn and all(len(d) < 80 for d in drawn), drawn[:1])
    case("progress: erased at the end", tty.endswith(b"\r\x1b[K"), tty[-40:])
    case("progress: only on standard error", b"\x1b[" not in out)

    rc, out, tty, _ = on_terminal(binary, ["-q", "-r", big, "--json"])
    case("progress: -q silences it", tty == b"", tty[:100])
    p = subprocess.run([binary, "-r", big, "--json"], capture_output=True, timeout=300)
    case("progress: not drawn when standard error is not a terminal", p.stderr == b"",
         p.stderr[:100])


# ---- the checks --------------------------------------------------------------

def main():
    binary, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    testlib.watch(binary)
    man = os.path.join(root, "doc", "certscope.1")
    guide = os.path.join(root, "doc", "field-guide.md")
    completion = os.path.join(root, "doc", "certscope.bash-completion")

    src = getopt_options(os.path.join(root, "ui", "main.c"))
    sections = man_sections(man)
    in_man = man_options(sections)
    h = run(binary, ["--help"])
    in_help = help_options(h.stdout)
    in_completion = completion_options(completion)

    case("main.c: options found", len(src) >= 10, sorted(src))
    case("man page documents exactly getopt's options", in_man == set(src),
         "only in man: %s; only in main.c: %s" % (sorted(in_man - set(src)),
                                                 sorted(set(src) - in_man)))
    case("--help shows exactly getopt's options", in_help == set(src),
         "only in --help: %s; only in main.c: %s" % (sorted(in_help - set(src)),
                                                    sorted(set(src) - in_help)))
    case("bash completion offers exactly getopt's options", in_completion == set(src),
         "only in completion: %s; only in main.c: %s" % (
             sorted(in_completion - set(src)), sorted(set(src) - in_completion)))
    with_arg = {o for o, a in src.items() if a}
    case("bash completion knows which options take an argument",
         completion_arg_options(completion) == with_arg,
         sorted(completion_arg_options(completion) ^ with_arg))

    # The binary accepts each of them: a missing argument or a missing input
    # is a usage error, never "unrecognized".
    for opt, arg in sorted(src.items()):
        if opt in ("-h", "--help", "--version", "-D"):
            p = run(binary, [opt])
            case("%s exits 0" % opt, p.returncode == 0 and p.stdout, p.stderr)
            continue
        p = run(binary, [opt])
        case("certscope accepts %s" % opt,
             "unrecognized" not in p.stderr and "invalid option" not in p.stderr and
             p.returncode == 2 and "--help" in p.stderr, p.stderr.strip())

    # --help: one screen.
    lines = h.stdout.splitlines()
    case("--help fits 24 lines", h.returncode == 0 and 0 < len(lines) <= 24, len(lines))
    case("--help fits 80 columns", all(len(l) < 80 for l in lines),
         [l for l in lines if len(l) >= 80])
    case("--help shows examples", sum(1 for l in lines if l.startswith("  certscope ")) >= 3)
    case("-h is --help", run(binary, ["-h"]).stdout == h.stdout)

    # --version: certscope, libpcap, OpenSSL, one to a line.
    version = meson_version(root)
    v = run(binary, ["--version"])
    vl = v.stdout.splitlines()
    case("--version: three lines", v.returncode == 0 and len(vl) == 3, vl)
    case("--version: certscope and the project's version",
         vl and vl[0] == "certscope %s" % version, vl[:1])
    case("--version: libpcap", len(vl) > 1 and vl[1].startswith("libpcap version "), vl[1:2])
    case("--version: OpenSSL", len(vl) > 2 and vl[2].startswith("OpenSSL 3"), vl[2:3])
    th = [l for l in open(man) if l.startswith(".TH")]
    case("man page names the same version", th and '"certscope %s"' % version in th[0], th)
    changelog = os.path.join(root, "debian", "changelog")
    if os.path.exists(changelog):
        first = open(changelog).readline()
        case("debian/changelog names the same version",
             first.startswith("certscope (%s)" % version) or
             first.startswith("certscope (%s-" % version), first.strip())

    # Usage errors: one line, a pointer to --help, exit 2.
    for args, what in ((["--no-such-option"], "unknown long option"),
                       (["-Z"], "unknown short option"),
                       (["-r"], "missing argument of -r"),
                       (["--trust-dir"], "missing argument of --trust-dir"),
                       (["-r", "x.pcap", "--at", "yesterday"], "bad argument of --at")):
        p = run(binary, args)
        err = p.stderr.splitlines()
        case("%s: exit 2, one line and a pointer to --help" % what,
             p.returncode == 2 and len(err) == 2 and "--help" in err[1] and
             not p.stdout, p.stderr)

    # The manual page: sections, every code of the contract, examples.
    for name in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "DIAGNOSES",
                 "EXAMPLES", "SEE ALSO"):
        case("man page has %s" % name, name in sections)
    diag_text = "\n".join(roff_text(l) for l in sections.get("DIAGNOSES", []))
    example_text = "\n".join(roff_text(l) for l in sections.get("EXAMPLES", []))
    exit_text = "\n".join(roff_text(l) for l in sections.get("EXIT STATUS", []))
    case("man page: exit status 0, 1 and 2",
         all(re.search(r"^%d$" % n, exit_text, re.M) for n in (0, 1, 2)), exit_text)
    for what, needle in (("a SPAN port", "certscope -i "), ("a customer capture", "customer"),
                         ("chain export", "--export-pem"), ("key logs", "--keylog"),
                         ("SSLKEYLOGFILE", "SSLKEYLOGFILE")):
        case("man page example: %s" % what, needle in example_text)
    # The README's excerpt is what the bundled sample really prints.
    readme = open(os.path.join(root, "README.md")).read()
    part = readme.split("## An excerpt of a report", 1)[1].split("\n## ", 1)[0]
    m = re.search(r"\(`(certscope [^`]+)`", part, re.S)
    block = part.split("```\n", 2)[1] if part.count("```") >= 2 else ""
    if m and block:
        words = m.group(1).split()
        real = subprocess.run([binary] + words[1:], capture_output=True, text=True, cwd=root,
                              env=dict(os.environ, NO_COLOR="1"))
        case("the README's excerpt is what `%s` prints" % " ".join(words),
             real.stdout == block, "".join(difflib.unified_diff(
                 block.splitlines(True), real.stdout.splitlines(True), "README", "certscope")))
    else:
        case("the README has an excerpt with its command", False, part[:300])
    # samples/README.md's table: one row per expectation, its capture and note
    sreadme = open(os.path.join(root, "samples", "README.md")).read()
    rows = re.findall(r"^\| `([^`]+)` \| (.*) \| (.*) \|$", sreadme, re.M)
    exps = []
    for f in sorted(os.listdir(os.path.join(root, "samples"))):
        if f.endswith(".expect.json"):
            e = json.load(open(os.path.join(root, "samples", f)))
            exps.append((e["capture"], e["note"]))
    case("samples/README.md has a row for each expectation, with its capture and note",
         sorted((c, n) for c, n, _ in rows) == sorted(exps),
         set((c, n) for c, n, _ in rows) ^ set(exps))
    guide_text = open(guide).read()
    guide_words = " ".join(guide_text.split())
    contract_md = os.path.join(root, "..", "shared", "CONTRACT.md")
    if os.path.exists(contract_md):
        c_opts, c_codes, planned = contract(contract_md)
        case("contract: options found", len(c_opts) >= 10, sorted(c_opts))
        # A row an open issue has still to build is listed as pending; once
        # built (the option in getopt's list, the code in the catalogue) it
        # is held to everything below like any other.
        have_codes = built_codes(root)
        for o in sorted(o for o in planned if o in c_opts and o not in src):
            print("pending (%s): option %s" % (planned[o], o))
            c_opts.discard(o)
        for c in sorted(c for c in planned if c in c_codes and c not in have_codes):
            print("pending (%s): diagnosis %s" % (planned[c], c))
            c_codes.discard(c)
        case("every option of the contract is in main.c, the man page and --help",
             c_opts <= set(src) and c_opts <= in_man and c_opts <= in_help,
             sorted(c_opts - (set(src) & in_man & in_help)))
        case("contract: codes found", len(c_codes) >= 20, sorted(c_codes))
        man_codes = set()
        dl = sections.get("DIAGNOSES", [])
        for i, line in enumerate(dl):
            if line.startswith(".TP") and i + 1 < len(dl):
                man_codes.update(c.strip() for c in roff_text(dl[i + 1]).split(","))
        for code in sorted(c_codes):
            in_page = code.replace("<name>", "name") in man_codes
            case("diagnosis %s: in the man page and the field guide" % code,
                 in_page and ("`%s`" % code) in guide_text,
                 "man page: %s, field guide: %s" % (in_page, ("`%s`" % code) in guide_text))
    else:
        testlib.skip_shared("the contract checks: %s not found" % contract_md)

    # The field guide: the ports and the trust-list exports it promises.
    for port in ("7001", "5061", "2445", "2444", "3804", "443", "8443", "5222", "5269",
                 "636", "3269"):
        case("field guide: port %s" % port, re.search(r"\b%s\b" % port, guide_text))
    for needle in ("Maintenance > Security > Trusted CA list", "Certificate Management",
                   "tomcat-trust", "CallManager-trust", "SSLKEYLOGFILE", "-s 0", "--trust-dir"):
        case("field guide: %s" % needle, needle in guide_words)

    with tempfile.TemporaryDirectory() as tmp:
        progress_tests(binary, root, tmp)

    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    return testlib.status(not all(results))


if __name__ == "__main__":
    sys.exit(main())
