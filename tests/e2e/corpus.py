#!/usr/bin/env python3
"""Checks certscope against the shared capture corpus and tshark's truth.

For every capture in ../shared/corpus with a .tshark.txt truth file, runs
certscope --json (and, where a .keylog.tshark.txt holds what tshark read
with the capture's key log, certscope --json --keylog) and asserts that every Certificate message tshark reports
(stream endpoints, sender, SHA-256 of each certificate in order) and every
alert (sender, level, code) appears in certscope's NDJSON.  certscope may
find more than tshark (tshark does not reassemble out-of-order segments);
those extras are listed, not failed.

Exits 77 (meson's skip) where the corpus folder is absent.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402


def endpoint(s):
    # "1.2.3.4:443" or "[::1]:5556"
    host, port = s.rsplit(":", 1)
    return host.strip("[]"), int(port)


def parse_truth(path):
    streams = []
    cur = None
    for line in open(path):
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "stream":
            cur = {"client": endpoint(parts[2]), "server": endpoint(parts[4]),
                   "certs": [], "alerts": []}
            streams.append(cur)
        elif parts[0] == "cert":
            cur["certs"].append((parts[1], tuple(parts[2:])))
        elif parts[0] == "alert":
            cur["alerts"].append((parts[1], int(parts[2]), int(parts[3])))
    return streams


def run(certscope, capture, extra=()):
    if capture.endswith(".gz"):
        # compressed captures go through standard input, as zcat F | certscope -r - would
        import gzip
        data = gzip.open(capture).read()
        p = subprocess.run([certscope, "-r", "-", "--json", *extra], input=data,
                           capture_output=True)
        p.stdout = p.stdout.decode()
        p.stderr = p.stderr.decode()
    else:
        p = subprocess.run([certscope, "-r", capture, "--json", *extra], capture_output=True,
                           text=True)
    if p.returncode not in (0, 1):
        raise RuntimeError("%s: exit %d: %s" % (capture, p.returncode, p.stderr))
    lines = [json.loads(l) for l in p.stdout.splitlines()]
    return [o for o in lines if o["type"] == "handshake"], lines[-1]


def key(o):
    return ((o["client"]["ip"], o["client"]["port"]), (o["server"]["ip"], o["server"]["port"]))


def main():
    certscope = sys.argv[1]
    corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(__file__), "..", "..", "..", "shared", "corpus")
    if not os.path.isdir(corpus):
        return testlib.skip_shared("corpus folder %s is absent" % corpus, status=True)
    testlib.watch(certscope)
    passed = failed = 0
    runs = []
    for name in sorted(os.listdir(corpus)):
        capture = os.path.join(corpus, name)
        if not name.endswith((".pcap", ".pcapng", ".pcap.gz")):
            continue
        if os.path.exists(capture + ".tshark.txt"):
            runs.append((name, capture, capture + ".tshark.txt", []))
        # with its key log: what tshark decrypted with it (TLS 1.2's
        # CLIENT_RANDOM, TLS 1.3's secrets) against certscope --keylog
        if os.path.exists(capture + ".keylog.tshark.txt"):
            runs.append((name + " --keylog", capture, capture + ".keylog.tshark.txt",
                         ["--keylog", capture + ".keylog"]))
    for name, capture, truth, extra in runs:
        hs, summary = run(certscope, capture, extra)
        ours = {}
        for o in hs:
            k = key(o)
            rk = (k[1], k[0])
            for side in ("server", "client"):
                chain = tuple(c["sha256"] for c in o[side + "_certificates"])
                ours.setdefault(k, []).append((side, chain))
                # tshark's guess of who is client may differ where no hello was seen
                flip = "client" if side == "server" else "server"
                ours.setdefault(rk, []).append((flip, chain))
            for a in o["alerts"]:
                lvl = 2 if a["level"] == "fatal" else 1
                ours.setdefault(("alerts",) + k, []).append((a["from"], lvl, a["code"]))
        problems = []
        found = 0
        for st in parse_truth(truth):
            k = (st["client"], st["server"])
            for side, chain in st["certs"]:
                if not chain:
                    continue  # an empty Certificate message carries nothing to compare
                if (side, chain) in ours.get(k, []):
                    found += 1
                else:
                    problems.append("missing %s chain %s on %s" % (side, chain[0][:16], k))
            for al in st["alerts"]:
                if al not in ours.get(("alerts",) + k, []):
                    problems.append("missing alert %s on %s" % (al, k))
        if problems:
            failed += 1
            print("FAIL %s" % name)
            for p in problems[:10]:
                print("     " + p)
        else:
            passed += 1
            total = sum(len(o["server_certificates"]) + len(o["client_certificates"]) for o in hs)
            print("ok   %s: %d chains as tshark, %d handshakes, %d certificates"
                  % (name, found, len(hs), total))
    print("%d passed, %d failed" % (passed, failed))
    return testlib.status(failed)


if __name__ == "__main__":
    sys.exit(main())
