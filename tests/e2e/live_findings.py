#!/usr/bin/env python3
"""The live view during a live capture on loopback, as an engineer watching
a SPAN port uses it: certscope -i lo --ui started as root with the default
drop (to the user tcpdump, or nobody), in a tmux pane of 80x24 and then of
200x50, while three identical handshakes are refused (an OpenSSL client that
cannot tie the server's chain to its root sends unknown_ca) and one good one
completes.

Asserts: the findings pane shows the one finding with count 3 and the side
that refused; the handshakes table shows the client ports and the refused-by
column, and nothing drawn is cut in the middle of a word without "...";
e and w each write a file as the dropped user, at the path the view prints,
and a second press numbers the file; the ladder of a refused handshake ends
with the client's alert, from client to server, after the server's
Certificate; and each key of the help does what it says.

usage: live_findings.py CERTSCOPE SAMPLES_DIR
Skips (77) unless run as root and able to capture on lo, or without tmux.
"""
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

results = []
SESSION = "certscope-findings-%d" % os.getpid()


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


def wait_for(pred, timeout=10):
    end = time.time() + timeout
    s = screen()
    while not pred(s) and time.time() < end:
        time.sleep(0.1)
        s = screen()
    return s


def listener(port):
    """A server socket on port (its service named in the table), or on a
    free port when that one is taken."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        srv.bind(("127.0.0.1", port))
    except OSError:
        srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    srv.settimeout(10)
    return srv


def handshake(srv, pki, chain, key):
    """One TLS 1.2 handshake to srv, whose server sends chain; the client
    trusts root.pem only.  Returns the client's exit status."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(pki, chain), os.path.join(pki, key))

    def serve():
        try:
            conn, _ = srv.accept()
            conn.settimeout(5)
            s = ctx.wrap_socket(conn, server_side=True)
            s.close()
        except Exception:
            pass  # refused by the client

    t = threading.Thread(target=serve)
    t.start()
    p = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % srv.getsockname()[1],
                        "-tls1_2", "-CAfile", os.path.join(pki, "root.pem"),
                        "-verify_return_error"],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
    t.join(5)
    return p.returncode


def message(s, w):
    """The message line(s) above the status bar, joined: a long message is
    cut at the screen's edge onto the lines below it."""
    lines = s.splitlines()[:-1]
    for i, l in enumerate(lines):
        if l.startswith(("wrote", "cannot", "export", "failed")):
            text = l
            while len(l) == w and i + 1 < len(lines):
                i += 1
                l = lines[i]
                text += l
            return text
    return ""


def table_rows(s):
    return [l for l in s.splitlines() if " > " in l]


def cut_words(s, words):
    """Words of the screen that are a prefix of a known word but not the
    word itself, and not followed by "...": a value cut mid-word."""
    bad = []
    for tok in re.findall(r"[A-Za-z0-9.:_-]+(?:\.\.\.)?", s):
        if tok.endswith("..."):
            continue
        for w in words:
            if tok != w and len(tok) >= 4 and w.startswith(tok) and not any(
                    v == tok for v in words):
                bad.append((tok, w))
    return bad


def screen_fits(s, w, h):
    lines = s.splitlines()
    return len(lines) <= h and all(len(l) <= w for l in lines)


def main():
    binary, samples = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if os.geteuid() != 0:
        return testlib.skip("not root, cannot open a capture device")
    if not shutil.which("tmux"):
        return testlib.skip("tmux is not installed")
    try:
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
        s.bind(("lo", 0))
        s.close()
    except (OSError, AttributeError) as e:
        return testlib.skip("cannot capture on lo (%s)" % e)
    pki = os.path.join(samples, "pki")
    bad, good = listener(5061), listener(443)
    bad_port, good_port = bad.getsockname()[1], good.getsockname()[1]
    # the folder it starts in is root's: the user it drops to cannot write it
    work = tempfile.mkdtemp(prefix="certscope-findings-")
    os.chmod(work, 0o755)
    cmd = [binary, "-i", "lo", "--ui", "--trust-file", os.path.join(pki, "root.pem"),
           "tcp", "port", str(bad_port), "or", "tcp", "port", str(good_port)]
    shell = "cd %s && LANG=C LC_ALL=C %s; echo EXIT=$?; sleep 60" % (
        work, " ".join("'%s'" % a for a in cmd))
    tmux("kill-session", "-t", SESSION)
    r = tmux("new-session", "-d", "-s", SESSION, "-x", "80", "-y", "24", shell)
    if r.returncode != 0:
        return testlib.skip("tmux cannot start a session (%s)" % r.stderr.strip())
    try:
        s = wait_for(lambda s: "as user" in s or "EXIT=" in s, 10)
        user = "tcpdump" if "as user tcpdump" in s else "nobody"
        case("the view says the capture runs as the user it dropped to",
             "capturing on lo as user %s" % user in s.replace("\n", ""), s)
        statuses = [handshake(bad, pki, "cucm-chain.pem", "cucm.key") for _ in range(3)]
        handshake(good, pki, "www-chain.pem", "www.key")
        case("the clients refused three", statuses == [1, 1, 1], str(statuses))
        s = wait_for(lambda s: "hs 4 " in s, 10)
        rows = table_rows(s)
        refused = [l for l in rows if ":%d " % bad_port in l]
        fine = [l for l in rows if ":%d " % good_port in l]
        case("80x24: a row per handshake, the client's port shown",
             len(refused) == 3 and len(fine) == 1 and
             all(re.search(r"127\.0\.0\.1:\d+ > 127\.0\.0\.1:%d " % bad_port, l)
                 for l in refused) and
             len(set(re.search(r"127\.0\.0\.1:(\d+) >", l).group(1) for l in refused)) == 3, s)
        header = s.splitlines()[0]
        case("80x24: the refused-by column names the client for the refused ones",
             "refused" in header and all(" alert " in l and " client " in l for l in refused)
             and len(fine) == 1 and " completed " in fine[0] + " "
             and " client" not in fine[0].split(">", 1)[1], s)
        case("80x24: the worst finding's code in full, nothing cut mid-word",
             all(l.rstrip().endswith("issuer-not-found") for l in refused) and
             not cut_words(s, ["issuer-not-found", "completed", "client", "server",
                               "outcome", "refused", "finding"]) and screen_fits(s, 80, 24),
             s + str(cut_words(s, ["issuer-not-found"])))
        case("80x24: the row count and position, like less", " row 4/4 " in s, s)
        if bad_port == 5061:
            case("80x24: the service of the port named", all(" sip-tls " in l for l in refused),
                 s)

        # the findings pane: one finding, counted three times, the client refused
        f = keys("Tab")
        lines = [l for l in f.splitlines() if "issuer-not-found" in l]
        case("80x24: Tab shows the findings: one, count 3, refused by the client",
             len(lines) == 1 and re.match(r"error\s+3 client\s+issuer-not-found", lines[0])
             and "finding 1/1" in f and "devices to change" in f, f)
        d = keys("Enter")
        case("Enter on a finding: its message, advice, chain and its 3 handshakes",
             "advice:" in d or "handshakes it covers (3" in d, d)
        d = keys("End")
        covered = [l for l in d.splitlines() if re.search(r"127\.0\.0\.1:\d+ > 127\.0\.0\.1:%d"
                                                          % bad_port, l)]
        case("... the handshakes it covers, one line each", "handshakes it covers (3" in d
             and len(covered) == 3, d)
        d = keys("Enter")
        ladder = [l for l in d.splitlines() if re.search(r"\|.*\|", l) and "time (s)" not in l]
        arrows = [l for l in ladder if "FIN from" not in l and "RST from" not in l]
        cert = [i for i, l in enumerate(arrows) if "Certificate (2)" in l]
        case("the ladder of a refused handshake: the client's alert is the last arrow, "
             "client to server, after the server's Certificate",
             arrows and "Alert fatal unknown_ca" in arrows[-1] and "->|" in arrows[-1]
             and "refusal" in arrows[-1] and cert and "|<-" in arrows[cert[0]]
             and cert[0] < len(arrows) - 1 and "ClientHello" in arrows[0], d)
        case("... each arrow with its time offset and frame number",
             all(re.match(r"\s+\+\d+\.\d{6}\s+(\d+|-)\s+\|", l) for l in ladder), d)
        d = keys("Escape")
        case("Esc closes the handshake, back to the finding", "handshakes it covers" in d, d)
        d = keys("Escape")
        case("Esc closes the finding, back to the pane", "finding 1/1" in d, d)

        # e and w as the dropped user, at the path the view prints
        keys("Tab")
        keys("e", wait=0.3)
        s = keys("Enter")
        m = re.search(r"wrote 1 chain; the last: (\S+\.pem)", message(s, 80))
        path = m.group(1) if m else ""
        case("e writes the chain as the dropped user and prints where",
             path.startswith(work + "/certscope-live/certscope-export/") and os.path.exists(path)
             and "BEGIN CERTIFICATE" in open(path).read(), s)
        st = os.stat(path) if path and os.path.exists(path) else None
        case("... the file belongs to the user it dropped to",
             st is not None and st.st_uid != 0 and st.st_uid == os.stat(
                 os.path.join(work, "certscope-live")).st_uid, str(st))
        keys("e", wait=0.3)
        s = keys("Enter")
        m = re.search(r"wrote 1 chain; the last: (\S+\.pem)", message(s, 80))
        again = m.group(1) if m else ""
        case("a second e numbers the file", again.endswith(".1.pem") and os.path.exists(again)
             and again[:-6] == path[:-4], s)
        keys("w", wait=0.3)
        s = keys("Enter")
        m = re.search(r"wrote the report \((\d+) findings?, 4 handshakes\) to (\S+)",
                      message(s, 80))
        rep = m.group(2) if m else ""
        text = open(rep).read() if rep and os.path.exists(rep) else ""
        case("w writes the report as offline: header, findings, summary; says where",
             rep == os.path.join(work, "certscope-live", "certscope-report.txt") and
             "live on lo" in text and "error   issuer-not-found  3 handshakes, refused by "
             "the client" in text and "summary:" in text and "4 TLS handshakes (3 failed)" in text,
             s + text[:2000])
        keys("w", wait=0.3)
        s = keys("Enter")
        case("a second w numbers the file",
             os.path.exists(os.path.join(work, "certscope-live", "certscope-report.1.txt"))
             and message(s, 80).endswith("/certscope-live/certscope-report.1.txt"), s)

        # 200x50: everything on the screen, the service and time too
        tmux("resize-window", "-t", SESSION, "-x", "200", "-y", "50")
        time.sleep(0.8)
        s = screen()
        rows = table_rows(s)
        header = s.splitlines()[0] if s.splitlines() else ""
        case("200x50: the table's columns all there, refused by in full",
             all(c in header for c in ["time", "client", "server", "tls", "outcome",
                                       "refused by", "worst finding"]) and len(rows) == 4
             and screen_fits(s, 200, 50) and not cut_words(
                 s, ["issuer-not-found", "completed", "client", "server"]), s)
        f = keys("Tab")
        lines = [l for l in f.splitlines() if "issuer-not-found" in l]
        case("200x50: the findings pane, one finding with count 3 refused by the client",
             len(lines) == 1 and re.match(r"error\s+3 client\s+issuer-not-found", lines[0]), f)
        keys("Tab")
        s = keys("F10", wait=1.5)
        s = wait_for(lambda s: "EXIT=" in s, 5)
        case("F10 quits; the report follows, exit status 1",
             "EXIT=1" in s and "4 TLS handshakes" in s, s)
    finally:
        tmux("kill-session", "-t", SESSION)
        bad.close()
        good.close()
        shutil.rmtree(work, ignore_errors=True)
    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
