#!/usr/bin/env python3
"""STARTTLS captured for real: `openssl s_client -starttls` against a small
scripted server on loopback, captured with tcpdump, then read by certscope.

usage: starttls_live.py CERTSCOPE SAMPLES_DIR
Skips (77) where tcpdump cannot capture (not root, or not installed).
"""
import hashlib
import json
import os
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


def case(name, ok, why=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + why))


def recv_until(conn, marker, limit=65536):
    data = b""
    while marker not in data and len(data) < limit:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def smtp(conn):
    conn.sendall(b"220 mail.example.com ESMTP\r\n")
    recv_until(conn, b"\r\n")                       # EHLO
    conn.sendall(b"250-mail.example.com\r\n250 STARTTLS\r\n")
    recv_until(conn, b"\r\n")                       # STARTTLS
    conn.sendall(b"220 2.0.0 Ready to start TLS\r\n")


def xmpp(conn):
    recv_until(conn, b"version='1.0'>")              # the client's stream header
    conn.sendall(b"<?xml version='1.0'?><stream:stream from='example.com' id='s1' "
                 b"xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
                 b"version='1.0'><stream:features><starttls "
                 b"xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>")
    recv_until(conn, b"xmpp-tls'/>")                # <starttls .../>
    conn.sendall(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")


def ldap(conn):
    req = recv_until(conn, b"20037")
    msgid = req[4] if len(req) > 4 and req[2] == 0x02 and req[3] == 1 else 1
    conn.sendall(bytes([0x30, 0x0c, 0x02, 0x01, msgid, 0x78, 0x07,
                        0x0a, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00]))


PROTOCOLS = [("smtp", 587, smtp, []), ("xmpp", 5222, xmpp, ["-xmpphost", "example.com"]),
             ("ldap", 389, ldap, [])]


def serve(sock, script, ctx, done):
    try:
        conn, _ = sock.accept()
        conn.settimeout(10)
        script(conn)
        tls = ctx.wrap_socket(conn, server_side=True)
        tls.sendall(b"hello\n")
        time.sleep(0.2)
        tls.close()
    except Exception as e:  # the test below reports what is missing
        print("server: %r" % e)
    finally:
        done.set()


def main():
    binary, samples = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if os.geteuid() != 0 or not shutil.which("tcpdump"):
        return testlib.skip("tcpdump cannot capture here (needs root and tcpdump)")
    pki = os.path.join(samples, "pki")
    chain_pem = open(os.path.join(pki, "www-chain.pem")).read()
    want = [hashlib.sha256(ssl.PEM_cert_to_DER_cert(b + "-----END CERTIFICATE-----\n")).hexdigest()
            for b in chain_pem.split("-----END CERTIFICATE-----\n") if b.strip()]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(pki, "www-chain.pem"), os.path.join(pki, "www.key"))
    tmp = tempfile.mkdtemp(prefix="certscope-starttls-")
    for name, port, script, extra in PROTOCOLS:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as e:
            testlib.skip_part("%s: port %d is taken (%s)" % (name, port, e))
            continue
        sock.listen(1)
        pcap = os.path.join(tmp, name + ".pcap")
        dump = subprocess.Popen(["tcpdump", "-i", "lo", "-U", "--immediate-mode", "-s", "0", "-w", pcap,
                                 "tcp port %d" % port],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # tcpdump says "listening on" once the capture is open; immediate mode
        # hands each packet over at once, so none is left in the kernel at the end
        line = dump.stderr.readline()
        done = threading.Event()
        t = threading.Thread(target=serve, args=(sock, script, ctx, done))
        t.start()
        client = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % port,
                                 "-starttls", name, "-CAfile", os.path.join(pki, "root.pem"),
                                 "-tls1_2", *extra], stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=30)
        done.wait(15)
        t.join(5)
        sock.close()
        time.sleep(0.3)
        dump.terminate()
        dump.wait(10)
        p = subprocess.run([binary, "-r", pcap, "--json", "--trust-file",
                            os.path.join(pki, "root.pem")], capture_output=True, text=True)
        objs = [json.loads(l) for l in p.stdout.splitlines()]
        hs = [o for o in objs if o["type"] == "handshake"]
        ok = (len(hs) == 1 and hs[0]["starttls"] == name and
              [c["sha256"] for c in hs[0]["server_certificates"]] == want and
              hs[0]["outcome"] == "completed" and hs[0]["server"]["port"] == port)
        case("openssl s_client -starttls %s, captured on loopback" % name, ok,
             "%s | tcpdump: %s | s_client exit %d: %s" % (
                 str(hs)[:400], line.strip(), client.returncode, client.stderr[-300:]))
    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    if not results:
        return testlib.skip("no protocol could be tried")
    return testlib.status(not all(results))


if __name__ == "__main__":
    sys.exit(main())
