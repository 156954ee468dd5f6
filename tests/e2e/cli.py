#!/usr/bin/env python3
"""certscope's command line on bad input, standard input and PEM export.

usage: cli.py CERTSCOPE SAMPLES_DIR
"""
import hashlib
import json
import os
import re
import ssl
import subprocess
import sys
import tempfile

results = []


def case(name, ok, why=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + why))


def run(binary, args, stdin=None):
    p = subprocess.run([binary, *args], input=stdin, capture_output=True)
    lines = [json.loads(l) for l in p.stdout.decode().splitlines() if l.startswith("{")]
    return p.returncode, lines, p.stderr.decode()


def main():
    binary, samples = sys.argv[1], sys.argv[2]
    good = os.path.join(samples, "good-7001.pcap")
    data = open(good, "rb").read()
    expect = json.load(open(os.path.join(samples, "good-7001.expect.json")))
    tmp = tempfile.mkdtemp(prefix="certscope-cli-")

    # A capture cut in the middle of a packet record, after the server's
    # certificate flight: exit 2, the file named, the handshake still reported.
    rc, objs, err = run(binary, ["-r", good, "--json"])
    full = [o for o in objs if o["type"] == "handshake"][0]
    cut = os.path.join(tmp, "cut.pcap")
    open(cut, "wb").write(data[: int(len(data) * 0.75)])
    rc, objs, err = run(binary, ["-r", cut, "--json"])
    hs = [o for o in objs if o["type"] == "handshake"]
    case("truncated file exits 2", rc == 2, "exit %d" % rc)
    case("truncated file named on stderr", cut in err and "truncated" in err, err)
    case("truncated file still reports the server chain",
         len(hs) == 1 and [c["sha256"] for c in hs[0]["server_certificates"]]
         == expect["server_certificates"], str(hs)[:200])
    case("truncated file still ends with a summary", objs and objs[-1]["type"] == "summary")

    # Zero bytes, and a file that is no capture at all.
    empty = os.path.join(tmp, "empty.pcap")
    open(empty, "wb").close()
    rc, objs, err = run(binary, ["-r", empty, "--json"])
    case("zero-byte file exits 2", rc == 2, "exit %d" % rc)
    case("zero-byte file named on stderr", empty in err, err)
    text = os.path.join(tmp, "notes.txt")
    open(text, "w").write("this is not a capture\n" * 20)
    rc, objs, err = run(binary, ["-r", text, "--json"])
    case("non-pcap file exits 2", rc == 2, "exit %d" % rc)
    case("non-pcap file named on stderr", text in err and "format" in err, err)

    # A bad file among good ones: the others are still analysed.
    rc, objs, err = run(binary, ["-r", text, "-r", good, "--json"])
    hs = [o for o in objs if o["type"] == "handshake"]
    case("bad file then good file: exit 2, good file analysed",
         rc == 2 and len(hs) == 1 and hs[0] == full, "exit %d, %d handshakes" % (rc, len(hs)))

    # Standard input, as zcat x.pcap.gz | certscope -r - does.
    rc, objs, err = run(binary, ["-r", "-", "--json"], stdin=data)
    hs = [o for o in objs if o["type"] == "handshake"]
    case("-r - reads standard input", rc == 0 and hs == [full], "exit %d %s" % (rc, err))

    # Two files in order: flows of both.
    rc, objs, err = run(binary, ["-r", good, "-r", os.path.join(samples, "unknown-ca-5061.pcap"),
                                 "--json"])
    hs = [o for o in objs if o["type"] == "handshake"]
    case("two -r files in order", [h["server"]["port"] for h in hs] == [7001, 5061] and rc == 1,
         str([h["server"]["port"] for h in hs]))

    # Usage errors exit 2 with a pointer to --help.
    rc, objs, err = run(binary, ["--no-such-option"])
    case("unknown option exits 2", rc == 2 and "--help" in err, err)
    rc, objs, err = run(binary, [])
    case("no input exits 2", rc == 2 and "--help" in err, err)
    rc, objs, err = run(binary, ["-r", good, "--at", "yesterday"])
    case("bad --at exits 2", rc == 2, err)

    # --at moves the verification time: ten years on, every certificate has expired.
    rc, objs, err = run(binary, ["-r", good, "--json", "--at", "2099-01-01T00:00:00Z"])
    codes = [d["code"] for d in objs[0]["diagnoses"]]
    case("--at 2099 finds every certificate expired", rc == 1 and codes.count("expired") == 5,
         str(codes))

    # A BPF filter that matches nothing leaves nothing to report.
    rc, objs, err = run(binary, ["-r", good, "--json", "port", "9"])
    case("BPF filter applies", rc == 0 and objs[-1]["handshakes"] == 0 and objs[-1]["packets"] == 0,
         str(objs[-1]))

    # PEM export: one file per chain, named from the flow, never overwritten.
    out = os.path.join(tmp, "pem")
    rc, objs, err = run(binary, ["-r", good, "--json", "--export-pem", out])
    files = sorted(os.listdir(out))
    case("export writes one file per chain", len(files) == 2, str(files))
    pattern = re.compile(r"^[0-9T.]+_192\.0\.2\.10_51000-198\.51\.100\.20_7001_(server|client)\.pem$")
    case("export names come from the flow only", all(pattern.match(f) for f in files), str(files))
    for f in files:
        side = "server" if f.endswith("_server.pem") else "client"
        pem = open(os.path.join(out, f)).read()
        ders = [ssl.PEM_cert_to_DER_cert(b + "-----END CERTIFICATE-----\n")
                for b in pem.split("-----END CERTIFICATE-----\n") if b.strip()]
        got = [hashlib.sha256(d).hexdigest() for d in ders]
        case("export %s chain in the order sent" % side, got == expect[side + "_certificates"],
             str(got))
    before = {f: open(os.path.join(out, f)).read() for f in files}
    rc, objs, err = run(binary, ["-r", good, "--json", "--export-pem", out])
    after = sorted(os.listdir(out))
    case("export never overwrites",
         len(after) == 4 and all(open(os.path.join(out, f)).read() == before[f] for f in files),
         str(after))

    # The text report names the alert's sender and escapes nothing it should not.
    rc, _, err = run(binary, ["-r", os.path.join(samples, "unknown-ca-5061.pcap")])
    p = subprocess.run([binary, "-r", os.path.join(samples, "unknown-ca-5061.pcap")],
                       capture_output=True, text=True)
    case("report shows who sent the alert",
         "alert: client -> server  fatal unknown_ca (48)" in p.stdout and
         "ERROR" not in p.stdout and "error   alert-unknown-ca" in p.stdout, p.stdout[-800:])
    case("report has no colour when not on a terminal", "\033[" not in p.stdout)

    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
