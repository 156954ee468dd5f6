#!/usr/bin/env python3
"""Live capture on loopback: certscope -i lo --json while a real OpenSSL
client refuses a server's chain (unknown_ca) across it.

Asserts the NDJSON line for that handshake arrives within a second, that
certscope no longer runs as root once the capture is open, that -w wrote the
packets, and that SIGTERM ends it with a summary carrying the drop counter.

usage: live_capture.py CERTSCOPE SAMPLES_DIR
Skips (77) unless run as root (opening a capture device needs it).
"""
import json
import os
import select
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

PORT = 5061
results = []


def case(name, ok, why=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + why))


def read_line(f, timeout):
    end = time.time() + timeout
    buf = b""
    while time.time() < end:
        r, _, _ = select.select([f], [], [], max(0, end - time.time()))
        if not r:
            break
        c = os.read(f.fileno(), 1)
        if not c:
            break
        if c == b"\n":
            return buf.decode()
        buf += c
    return None


def main():
    binary, samples = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if os.geteuid() != 0:
        print("not root, cannot open a capture device: skipped")
        return 77
    pki = os.path.join(samples, "pki")
    tmp = tempfile.mkdtemp(prefix="certscope-live-")
    os.chmod(tmp, 0o755)
    written = os.path.join(tmp, "live.pcap")
    cs = subprocess.Popen([binary, "-i", "lo", "--json", "--no-ui", "-Z", "nobody", "-w", written,
                           "--trust-file", os.path.join(pki, "root.pem"), "tcp", "port", str(PORT)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        note = read_line(cs.stderr, 10) or ""
        case("certscope says it dropped root once the capture is open",
             "running as user nobody" in note, note)
        status = open("/proc/%d/status" % cs.pid).read()
        uid = [l.split()[1:] for l in status.splitlines() if l.startswith("Uid:")][0]
        case("the capturing process is no longer root", all(u != "0" for u in uid), str(uid))

        # a server whose chain the client cannot tie to its trusted root
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(os.path.join(pki, "cucm-chain.pem"), os.path.join(pki, "cucm.key"))
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", PORT))
        srv.listen(1)

        def serve():
            try:
                conn, _ = srv.accept()
                conn.settimeout(5)
                ctx.wrap_socket(conn, server_side=True)
            except Exception:
                pass  # the client refuses: the handshake fails on this side too

        t = threading.Thread(target=serve)
        t.start()
        subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % PORT, "-tls1_2",
                        "-CAfile", os.path.join(pki, "root.pem"), "-verify_return_error"],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
        ended = time.time()
        t.join(5)
        srv.close()
        line = read_line(cs.stdout, 5)
        delay = time.time() - ended
        h = json.loads(line) if line else {}
        case("the NDJSON line of the refused handshake", h.get("type") == "handshake" and
             [(a["from"], a["description"]) for a in h["alerts"]] == [("client", "unknown_ca")] and
             h["server"]["port"] == PORT and h["service"] == "sip-tls" and
             "issuer-not-found" in [d["code"] for d in h["diagnoses"]], str(line)[:500])
        case("it arrives within a second of the handshake", line is not None and delay < 1.0,
             "%.2f s" % delay)
        cs.send_signal(signal.SIGTERM)
        out, err = cs.communicate(timeout=10)
        summary = json.loads(out.decode().splitlines()[-1])
        case("SIGTERM ends it with a summary and the drop counter",
             summary["type"] == "summary" and "dropped" in summary and summary["handshakes"] == 1
             and cs.returncode == 1, str(summary) + " exit %s" % cs.returncode)
        p = subprocess.run([binary, "-r", written, "--json"], capture_output=True, text=True)
        again = [json.loads(l) for l in p.stdout.splitlines()][0]
        case("-w wrote the packets: the same handshake read back",
             again.get("server_certificates") == h.get("server_certificates"), p.stderr)
    finally:
        if cs.poll() is None:
            cs.kill()
    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
