#!/usr/bin/env python3
"""The live view in a real terminal: certscope --ui runs in tmux at 80x24 on
sample captures, keys are sent with send-keys, and the screen is read back
with capture-pane.

usage: live_view.py CERTSCOPE SAMPLES_DIR
Skips (77) where tmux is not installed.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

results = []
SESSION = "certscope-test-%d" % os.getpid()


def case(name, ok, why=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ":\n" + why))


def tmux(*args):
    return subprocess.run(["tmux", *args], capture_output=True, text=True)


def screen():
    return tmux("capture-pane", "-p", "-t", SESSION).stdout


def keys(*k, wait=0.4):
    tmux("send-keys", "-t", SESSION, *k)
    time.sleep(wait)
    return screen()


def wait_for(text, timeout=10):
    end = time.time() + timeout
    s = ""
    while time.time() < end:
        s = screen()
        if text in s:
            return s
        time.sleep(0.2)
    return s


def main():
    binary, samples = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if not shutil.which("tmux"):
        return testlib.skip("tmux is not installed")
    work = tempfile.mkdtemp(prefix="certscope-ui-")
    caps = ["traversal-both-ways-7001.pcap", "unknown-ca-5061.pcap", "good-7001.pcap",
            "hostile-subject-443.pcap"]
    cmd = [binary, "--ui", "--trust-dir", "192.0.2.10=" + os.path.join(samples, "trust-vcsc"),
           "--trust-dir", "198.51.100.20=" + os.path.join(samples, "trust-vcse")]
    for c in caps:
        cmd += ["-r", os.path.join(samples, c)]
    # LANG=C: no UTF-8, so the view must draw in ASCII
    shell = "cd %s && LANG=C LC_ALL=C %s; echo EXIT=$?; sleep 60" % (
        work, " ".join("'%s'" % a for a in cmd))
    tmux("kill-session", "-t", SESSION)
    r = tmux("new-session", "-d", "-s", SESSION, "-x", "80", "-y", "24", shell)
    if r.returncode != 0:
        return testlib.skip("tmux cannot start a session (%s)" % r.stderr.strip())
    try:
        s = wait_for("done")
        lines = s.splitlines()
        case("the screen is 80x24", len(lines) <= 24 and all(len(l) <= 80 for l in lines), s)
        case("a row per handshake, with flow, outcome and worst diagnosis",
             "198.51.100.20:7001" in s and "198.51.100.21:7001" in s and "198.51.100.20:5061" in s
             and s.count("alert-unknown-ca") == 3 and "completed" in s and
             # the client went on with the self-signed certificate: the store
             # given is not its own, a warning (CONTRACT.md, "Judgement rules")
             "trust-store-mism" in s,
             s)
        case("the status bar counts packets, flows, handshakes, failures, drops",
             "hs 5" in s and "fail 3" in s and "drop 0" in s and "flows 5" in s, s)

        # the detail of the first (failing) handshake
        keys("Home")
        d = keys("Enter")
        d2 = keys("End")
        both = d + d2
        case("detail: the chain as a tree, drawn in ASCII without UTF-8",
             "|- [0] CN=vcse.example.com" in d and "`- [2] CN=Example Root CA" in d, d)
        case("detail: the alert with its sender, every diagnosis with its advice",
             "alert: server -> client  fatal unknown_ca (48)" in both and
             "issuer-not-found" in both and "advice:" in both, both)
        keys("Escape")

        # the hostile certificate: its escape sequence and override shown escaped
        keys("End")
        d = keys("Enter")
        case("a subject's escape sequence and bidi override are shown escaped",
             "CN=evil\\1B[31mred\\E2\\80\\AEtxt.exe/../../etc" in d and "\x1b" not in d, d)
        keys("q")

        # filter by address
        s = keys("/", wait=0.3)
        s = keys("5061", "Enter")
        rows = [l for l in s.splitlines() if " > " in l]
        case("/ filters by address", len(rows) == 1 and ":5061" in rows[0], s)
        keys("/", wait=0.3)
        s = keys(*(["BSpace"] * 6), "Enter")
        rows = [l for l in s.splitlines() if " > " in l]
        case("an empty filter shows every row again", len(rows) == 5, s)
        s = keys("f")
        rows = [l for l in s.splitlines() if " > " in l]
        case("f shows failures only",
             len(rows) == 3 and all(r.rstrip().endswith("alert-unknown-ca") for r in rows), s)
        keys("f")
        s = keys("s")
        case("s changes the sort", "sorted by severity" in s, s)
        keys("s", "s")

        # export the selected handshake's chains
        keys("Home")
        keys("e", wait=0.3)
        s = keys("Enter")
        out = os.path.join(work, "certscope-export")
        files = sorted(os.listdir(out)) if os.path.isdir(out) else []
        pems = [f for f in files if f.endswith(".pem")]
        case("e exports the chains and says where",
             "wrote 2 chains to certscope-export" in s and len(pems) == 2 and
             all(f.startswith("20") and "_192.0.2.10_40001-198.51.100.20_7001_" in f for f in pems),
             s + str(files))
        # write the report of everything so far
        keys("w", wait=0.3)
        s = keys("Enter")
        rep = os.path.join(work, "certscope-report.txt")
        text = open(rep).read() if os.path.exists(rep) else ""
        case("w writes the text report of every handshake",
             "wrote 5 handshakes to certscope-report.txt" in s and
             sum(1 for l in text.splitlines() if l.startswith("20")) == 5, s)
        s = keys("?")
        case("? shows the keys", "filter by address, SNI, subject or diagnosis code" in s, s)
        keys("x")
        s = keys("q", wait=1.0)
        case("q quits, the summary follows, exit status 1 for errors",
             "EXIT=1" in s and "5 TLS handshakes" in s, s)
    finally:
        tmux("kill-session", "-t", SESSION)
    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
