#!/usr/bin/env python3
"""The live view in a real terminal: certscope --ui runs in tmux at 80x24 on
sample captures, keys are sent with send-keys, and the screen is read back
with capture-pane.

usage: live_view.py CERTSCOPE SAMPLES_DIR
Skips (77) where tmux is not installed.
"""
import os
import re
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
    ok = bool(ok)
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
        rows = [l for l in lines if " > " in l]
        case("the screen is 80x24", len(lines) <= 24 and all(len(l) <= 80 for l in lines), s)
        case("a row per handshake: client and port, server, outcome, who refused, the worst "
             "finding's code",
             len(rows) == 5 and "192.0.2.10:40001 > 198.51.100.20:7001" in s and
             "198.51.100.21:7001" in s and "198.51.100.20:5061" in s and
             sum(1 for r in rows if " alert " in r and r.rstrip().endswith("issuer-not-found"))
             == 3 and "completed" in s and
             # the client went on with the self-signed certificate: the store
             # given is not its own, a warning (CONTRACT.md, "Judgement rules")
             rows[-1].rstrip().endswith("trust-store-mismatch"), s)
        case("the refused-by column: the server refused the first, the client the next two",
             "refused" in lines[0] and " server " in rows[0] and " client " in rows[1] and
             " client " in rows[2], s)
        case("the status bar: position, packets, flows, handshakes, failures, drops",
             " row 5/5 " in s and "hs 5" in s and "fail 3" in s and "drop 0" in s and
             "flows 5" in s, s)

        # the detail of the first (failing) handshake: its ladder, then the report
        keys("Home")
        d = keys("Enter")
        ladder = [l for l in d.splitlines() if l.startswith("  +")]
        case("detail: the ladder, each message an arrow with its time and frame, the "
             "server's alert marked as the refusal",
             "time (s)    frame  client" in d and ladder[0].split()[:2] == ["+0.001000", "4"]
             and "ClientHello" in ladder[0] and "->|" in ladder[0] and
             any("|<-" in l and "Certificate (3)" in l and " 7 " in l for l in ladder) and
             any("Certificate (2)" in l and "->|" in l for l in ladder) and
             [l for l in ladder if "refusal" in l] == [l for l in ladder if "unknown_ca" in l]
             and "|<-" in [l for l in ladder if "refusal" in l][0], d)
        d2 = keys("PgDn")
        d3 = keys("End")
        both = d + d2 + d3
        case("detail: PgDn, End: the chain as a tree, drawn in ASCII without UTF-8",
             "|- [0] CN=vcse.example.com" in both and "`- [2] CN=Example Root CA" in both, both)
        case("detail: a SHA-256 whole on one line, never in pieces at 80 columns",
             re.search(r"sha256 +[0-9a-f]{64}$|^ +[0-9a-f]{64}$", both, re.M) and
             not re.search(r"^ +[0-9a-f]{1,63}$", both, re.M), both)
        case("detail: the alert with its sender, every diagnosis with its advice",
             "alert: server -> client  fatal unknown_ca (48)" in both and
             "issuer-not-found" in both and "advice:" in both, both)
        s = keys("Escape")
        case("Esc closes the detail", " row 1/5 " in s, s)

        # the hostile certificate: its escape sequence and override shown escaped
        keys("End")
        d = keys("Enter")
        d += keys("PgDn")
        case("a subject's escape sequence and bidi override are shown escaped",
             "CN=evil\\1B[31mred\\E2\\80\\AEtxt.exe/../../etc" in d and "\x1b" not in d, d)
        s = keys("q")
        case("q closes the detail", " row 5/5 " in s, s)

        # moving
        s = keys("g")
        case("g: the first row", " row 1/5 " in s, s)
        s = keys("j", "j")
        case("j: down", " row 3/5 " in s, s)
        s = keys("k")
        case("k: up", " row 2/5 " in s, s)
        s = keys("Down")
        s2 = keys("Up")
        case("Down, Up", " row 3/5 " in s and " row 2/5 " in s2, s + s2)
        s = keys("G")
        s2 = keys("Home")
        s3 = keys("PgDn")
        s4 = keys("PgUp")
        case("G, Home, PgDn, PgUp", " row 5/5 " in s and " row 1/5 " in s2 and " row 5/5 " in s3
             and " row 1/5 " in s4, s + s2 + s3 + s4)

        # search: / starts empty, moves to the next match, n and N go on
        s = keys("/", wait=0.3)
        case("/ starts empty", s.splitlines()[-2].rstrip().endswith("code):"), s)
        s = keys("5061", "Enter")
        case("/ searches: the row of port 5061 selected", " row 3/5 " in s, s)
        s = keys("/", wait=0.3)
        s = keys("192.0.2.10:5", "C-u", wait=0.3)
        case("Ctrl-U clears the prompt", s.splitlines()[-2].rstrip().endswith("code):"), s)
        s = keys("7001", "Enter")
        case("/ 7001 from row 3: row 4", " row 4/5 " in s, s)
        s = keys("n")
        case("n: the next match, wrapping", " row 1/5 " in s, s)
        s = keys("N")
        case("N: the previous match", " row 4/5 " in s, s)
        s = keys("F3", wait=0.3)
        s = keys("zzz-nothing", "Enter")
        case("F3 searches too, and says no match", 'no match for "zzz-nothing"' in s, s)
        s = keys("/", wait=0.3)
        s = keys("abc", "Escape")
        case("Esc closes a prompt", "search" not in s.splitlines()[-2], s)

        # filter: & or F4, Esc clears it
        keys("&", wait=0.3)
        s = keys("42617", "Enter")
        rows = [l for l in s.splitlines() if " > " in l]
        case("& filters by the client's port", len(rows) == 1 and "192.0.2.10:42617" in rows[0]
             and "filter: 42617" in s.splitlines()[-1], s)
        s = keys("Escape")
        rows = [l for l in s.splitlines() if " > " in l]
        case("Esc clears the filter", len(rows) == 5, s)
        keys("F4", wait=0.3)
        s = keys("nothing-matches", "Enter")
        case("a filter that matches nothing says so",
             'no handshake matches the filter "nothing-matches"' in s, s)
        keys("&", wait=0.3)
        s = keys("Enter")
        rows = [l for l in s.splitlines() if " > " in l]
        case("an empty filter shows every row again", len(rows) == 5, s)
        s = keys("f")
        rows = [l for l in s.splitlines() if " > " in l]
        case("f shows failures only",
             len(rows) == 3 and all(r.rstrip().endswith("issuer-not-found") for r in rows), s)
        keys("f")
        s = keys("s")
        case("s changes the sort", "sorted by severity" in s, s)
        keys("s", "s")

        # the findings pane
        f = keys("Tab")
        frows = [l for l in f.splitlines() if l.startswith(("error", "warning"))]
        case("Tab: the findings, worst first, with count, who refused, code, devices",
             "finding 1/3" in f and len(frows) == 3 and
             frows[0].split()[:4] == ["error", "2", "client", "issuer-not-found"] and
             frows[1].split()[:4] == ["error", "1", "server", "issuer-not-found"] and
             frows[2].split()[:4] == ["warning", "1", "-", "trust-store-mismatch"], f)
        d = keys("Enter")
        d += keys("End")
        case("Enter on a finding: its message, advice, the handshakes it covers",
             "issuer-not-found" in d and "advice:" in d and "handshakes it covers (2" in d, d)
        d = keys("Enter")
        case("Enter on a handshake it covers: its detail", "time (s)    frame" in d and
             "198.51.100.20:5061" in d, d)
        keys("Escape")
        keys("Escape")
        s = keys("Tab")
        case("Tab: back to the handshakes", " row " in s.splitlines()[-1], s)

        # export the selected handshake's chains, write the report: numbered
        keys("Home")
        keys("e", wait=0.3)
        s = keys("Enter")
        out = os.path.join(work, "certscope-export")
        files = sorted(os.listdir(out)) if os.path.isdir(out) else []
        pems = [f for f in files if f.endswith(".pem")]
        case("e exports the chains and says where",
             "wrote 2 chains; the last: %s/certscope-export/" % work in s.replace("\n", "")
             and len(pems) == 2 and
             all(f.startswith("20") and "_192.0.2.10_40001-198.51.100.20_7001_" in f for f in pems),
             s + str(files))
        keys("w", wait=0.3)
        s = keys("Enter")
        rep = os.path.join(work, "certscope-report.txt")
        text = open(rep).read() if os.path.exists(rep) else ""
        case("w writes the report as offline: findings, summary",
             "wrote the report (3 findings, 5 handshakes) to %s" % rep in s.replace("\n", "")
             and "3 findings (2 errors, 1 warning, 0 info), worst first:" in text
             and "summary: 86 packets" in text and "5 TLS handshakes (3 failed)" in text, s)
        keys("w", wait=0.3)
        s = keys("Enter")
        case("a second w numbers the file",
             os.path.exists(os.path.join(work, "certscope-report.1.txt")), s)
        s = keys("?")
        case("? shows the keys", "/ or F3" in s and "q or F10" in s and "Tab" in s, s)
        keys("x")
        s = keys("F1")
        case("F1 shows the keys", "Ctrl-U" in s, s)
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
