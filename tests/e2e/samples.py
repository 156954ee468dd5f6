#!/usr/bin/env python3
"""End-to-end tests of certscope over the bundled samples.

  samples.py CERTSCOPE SAMPLES_DIR expect
      For every *.expect.json (written by tests/tools/tlsgen from what OpenSSL
      did, plus the outcome and diagnoses the scenario's author expects):
      certificates in order, alerts with their sender, version, cipher,
      outcome, the exact set of diagnosis codes and the exit status.  Where
      an expectation names same_as, the NDJSON must equal that capture's.

  samples.py CERTSCOPE SAMPLES_DIR tshark
      For every sample, the certificates certscope extracts equal tshark's,
      in order and per sender.  Skipped (77) when tshark is not installed.
"""
import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

VERSIONS = {"TLSv1": "TLS 1.0", "TLSv1.1": "TLS 1.1", "TLSv1.2": "TLS 1.2", "TLSv1.3": "TLS 1.3"}


def certscope(binary, capture, args=(), everything=False):
    # trust paths in the expectations are relative to the samples folder
    p = subprocess.run([os.path.abspath(binary), "-r", os.path.abspath(capture), "--json", *args],
                       capture_output=True, text=True, cwd=os.path.dirname(os.path.abspath(capture)))
    objs = [json.loads(l) for l in p.stdout.splitlines()]
    hs = [o for o in objs if o["type"] == "handshake"]
    if everything:
        return p.returncode, hs, objs
    return p.returncode, hs, objs[-1] if objs else None


def check_handshake(h, exp):
    errs = []
    for side in ("server", "client"):
        want = exp[side + "_certificates"]
        got = [c["sha256"] for c in h[side + "_certificates"]]
        if want is not None and got != want:
            errs.append("%s certificates %s, expected %s" % (side, got, want))
        key = side + "_chain_store"
        if key in exp and h[key] != exp[key]:
            errs.append("%s %s, expected %s" % (key, h[key], exp[key]))
    got_alerts = [(a["from"], a["level"], a["code"]) for a in h["alerts"]]
    want_alerts = [(a["from"], a["level"], a["code"]) for a in exp["alerts"]]
    if got_alerts != want_alerts:
        errs.append("alerts %s, expected %s" % (got_alerts, want_alerts))
    if h["version"] != VERSIONS.get(exp["version"], exp["version"]):
        errs.append("version %s, expected %s" % (h["version"], exp["version"]))
    if exp["cipher"] and h["cipher"] != exp["cipher"]:
        errs.append("cipher %s, expected %s" % (h["cipher"], exp["cipher"]))
    if h["outcome"] != exp["outcome"]:
        errs.append("outcome %s, expected %s" % (h["outcome"], exp["outcome"]))
    if h["starttls"] != exp.get("starttls"):
        errs.append("starttls %s, expected %s" % (h["starttls"], exp.get("starttls")))
    codes = sorted(d["code"] for d in h["diagnoses"])
    if codes != sorted(exp["diagnoses"]):
        errs.append("diagnoses %s, expected %s" % (codes, sorted(exp["diagnoses"])))
    for d in h["diagnoses"]:
        if not d["message"] or not d["advice"]:
            errs.append("diagnosis %s without message or advice" % d["code"])
        # every template variable filled: no "{name}" left in the words
        if re.search(r"\{[a-z_0-9]+\}", d["message"] + d["advice"]):
            errs.append("diagnosis %s with an unfilled template: %s %s"
                        % (d["code"], d["message"], d["advice"]))
    return errs


def store_certificates(path):
    """{sha256: subject} of the certificates of a trust file or folder given to
    certscope (PEM bundles or DER), the subject in RFC 2253 as openssl
    prints it."""
    files = [os.path.join(path, f) for f in sorted(os.listdir(path))] if os.path.isdir(path) \
        else [path]
    ders = []
    for f in files:
        if not os.path.isfile(f):
            continue
        data = open(f, "rb").read()
        blocks = re.findall(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----",
                            data, re.S)
        ders += [base64.b64decode(b"".join(b.split())) for b in blocks] if blocks else [data]
    out = {}
    for der in ders:
        p = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-subject",
                            "-nameopt", "RFC2253"], input=der, capture_output=True)
        if p.returncode == 0:
            out[hashlib.sha256(der).hexdigest()] = p.stdout.decode().strip()[len("subject="):]
    return out


def given_stores(folder, args):
    """{label: {sha256: subject}} of the stores the arguments give, by the
    label certscope names them with (the path, without ADDR[:PORT]=)."""
    stores = {}
    for opt, val in zip(args, args[1:]):
        if opt in ("--trust-file", "--trust-dir"):
            label = re.sub(r"^(\[[^]]*\]|[^=/]*)(:\d+)?=", "", val)
            stores[label] = store_certificates(os.path.join(folder, label))
    return stores


# What a diagnosis may claim a store lacks: a CA by fingerprint or by subject.
LACKS_SHA = re.compile(r"(?:lacks|Upload) (.+?) \(SHA-256 ([0-9a-f]{64})\)")
LACKS_SUBJECT = re.compile(r"(?:its issuer (.+?) is missing|Upload the CA (.+?) \(and any)")


def store_claims(h, stores):
    """A diagnosis that says the store which judged a chain lacks a CA that
    store holds: none may (issue 19)."""
    errs = []
    for d in h["diagnoses"]:
        for side in ("server", "client"):
            label = h[side + "_chain_store"]
            if label not in stores or (d["certificate"] and d["certificate"] not in
                                       [c["sha256"] for c in h[side + "_certificates"]]):
                continue
            held = stores[label]
            text = d["message"] + " " + d["advice"]
            for name, sha in LACKS_SHA.findall(text):
                if sha in held:
                    errs.append("%s says %s lacks %s, which it holds" % (d["code"], label, name))
            for m in LACKS_SUBJECT.findall(text):
                name = m[0] or m[1]
                if name in held.values():
                    errs.append("%s says %s lacks %s, which it holds" % (d["code"], label, name))
    return errs


def check_expect(binary, folder):
    passed = failed = 0
    names = sorted(f for f in os.listdir(folder) if f.endswith(".expect.json"))
    used = set()
    for name in names:
        exp = json.load(open(os.path.join(folder, name)))
        cap = os.path.join(folder, exp["capture"])
        rc, hs, objs = certscope(binary, cap, exp["args"], everything=True)
        summary = objs[-1] if objs else None
        errs = []
        wanted = exp.get("handshakes", [exp])
        if len(hs) != len(wanted):
            errs.append("%d handshakes, expected %d" % (len(hs), len(wanted)))
        stores = given_stores(folder, exp["args"])
        for h, exp_h in zip(hs, wanted):
            errs += check_handshake(h, exp_h)
            errs += store_claims(h, stores)
        for addr in exp.get("unused_stores", []):
            st = [s for s in summary["trust_stores"] if s["device"] == addr]
            if not st or st[0]["used"]:
                errs.append("the store of %s is not reported unused: %s" % (addr, st))
        if rc != exp["exit"]:
            errs.append("exit %d, expected %d" % (rc, exp["exit"]))
        # one finding per problem: its cause, severity, count, who refused
        # and the codes merged into it
        if "findings" in exp:
            def key(f):
                return (f["code"], f["severity"], f["count"], f["refused_by"] or "",
                        tuple(sorted(f["evidence"])))
            got = sorted(key(o) for o in objs if o["type"] == "finding")
            want = sorted(key(f) for f in exp["findings"])
            if got != want:
                errs.append("findings %s, expected %s" % (got, want))
            ids = [d["finding"] for h in hs for d in h["diagnoses"]]
            known = {o["id"] for o in objs if o["type"] == "finding"}
            if not set(ids) <= known or len(known) != len(got):
                errs.append("a diagnosis names a finding that is not written: %s %s"
                            % (ids, known))
            if summary and (summary["findings"] != len(want) or summary["errors"] !=
                            sum(1 for f in want if f[1] == "error")):
                errs.append("summary findings %s errors %s" % (summary["findings"],
                                                              summary["errors"]))
        else:
            errs.append("no findings named in the expectation")
        if "same_as" in exp:
            _, other, _ = certscope(binary, os.path.join(folder, exp["same_as"]), exp["args"])
            # the same handshake from another capture: other file, other frames
            def strip(l):
                return [dict(h, file=None, frames=None) for h in l]
            if strip(other) != strip(hs):
                errs.append("NDJSON differs from %s" % exp["same_as"])
        used.add(exp["capture"])
        label = exp["capture"] if name == exp["capture"].replace(".pcap", ".expect.json") else \
            "%s (%s)" % (exp["capture"], name)
        if errs:
            failed += 1
            print("FAIL %s" % label)
            for e in errs:
                print("     " + e)
        else:
            passed += 1
            print("ok   %s" % label)
    for cap in sorted(f for f in os.listdir(folder) if f.endswith((".pcap", ".pcapng"))):
        if cap not in used:
            failed += 1
            print("FAIL %s has no expectation" % cap)
    return passed, failed


def expected_ports(name, exp):
    """The server ports of a capture: its expectation's "ports", else the
    number its name ends with; [] when neither says."""
    if exp and "ports" in exp:
        return sorted(exp["ports"])
    m = re.search(r"-(\d+)\.pcap(ng)?$", name)
    return [int(m.group(1))] if m else []


# Preambles tshark 4.0 does not follow to TLS by itself (its RDP dissector
# stops at the X.224 negotiation; no dissector knows an unknown one): read
# with decode-as, the TLS dissector finding the hello past the preamble.
DECODE_AS_PREAMBLES = {"rdp", "unknown"}


def decode_as(starttls):
    """Whether tshark is told the port is TLS (else its own dissector of the
    plaintext protocol follows the upgrade)."""
    return not starttls or starttls in DECODE_AS_PREAMBLES


def tshark_chains(capture, ports, starttls, keylog=None):
    """[(sender ip, [sha256, ...]), ...] per Certificate message, as tshark sees it."""
    cmd = ["tshark", "-r", capture, "-n"] + (["-o", "tls.keylog_file:" + keylog] if keylog else []) + [
           "-o", "tcp.desegment_tcp_streams:TRUE", "-o", "tls.desegment_ssl_records:TRUE",
           "-o", "tcp.reassemble_out_of_order:TRUE"] + (
               # a STARTTLS connection keeps tshark's own dissector, which follows
               # the upgrade
               [a for p in ports for a in ("-d", "tcp.port==%d,tls" % p)] if decode_as(starttls)
               else []) + [
           "-T", "fields", "-E", "occurrence=a", "-e", "ip.src", "-e", "ipv6.src",
           "-e", "tls.handshake.certificate"]
    env = dict(os.environ, WIRESHARK_CONFIG_DIR="/nonexistent")
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    chains = []
    for line in out.splitlines():
        src4, src6, certs = (line.split("\t") + ["", "", ""])[:3]
        if not certs:
            continue
        der = [bytes.fromhex(c.replace(":", "")) for c in certs.split(",") if c]
        chains.append((src4 or src6, [hashlib.sha256(d).hexdigest() for d in der]))
    return chains


def check_tshark(binary, folder):
    if not shutil.which("tshark"):
        return "tshark is not installed"
    passed = failed = 0
    expectations = {}
    for f in sorted(os.listdir(folder)):
        if f.endswith(".expect.json"):
            e = json.load(open(os.path.join(folder, f)))
            expectations.setdefault(e["capture"], e)
    for name in sorted(f for f in os.listdir(folder) if f.endswith((".pcap", ".pcapng"))):
        cap = os.path.join(folder, name)
        # TLS 1.3 captures with a key log are compared decrypted, by both
        keylog = cap + ".keylog" if os.path.exists(cap + ".keylog") else None
        _, hs, _ = certscope(binary, cap, ["--keylog", os.path.abspath(keylog)] if keylog else [])
        # the server ports tshark decodes as TLS come from the expectation,
        # not from what certscope said: the capture's name ends with the port
        # (good-7001.pcap), or the expectation names them ("ports")
        ports = expected_ports(name, expectations.get(name))
        if not ports:
            failed += 1
            print("FAIL %s: no server port: name it in the file name or as \"ports\" in its "
                  "expectation" % name)
            continue
        got_ports = sorted(set(h["server"]["port"] for h in hs))
        if got_ports != ports:
            failed += 1
            print("FAIL %s: certscope's server ports %s, expected %s" % (name, got_ports, ports))
            continue
        ours = []
        for h in hs:
            for side in ("server", "client"):
                chain = [c["sha256"] for c in h[side + "_certificates"]]
                if chain:
                    ours.append((h[side]["ip"], chain))
        starttls = expectations[name].get("starttls") if name in expectations else None
        theirs = tshark_chains(cap, ports, starttls, keylog)
        # a renegotiation sends a chain again: certscope keeps a side's
        # first, tshark lists each Certificate message it decrypted
        if name.startswith("tls12-renegotiation"):
            ours, theirs = sorted(set((s, tuple(c)) for s, c in ours)), \
                sorted(set((s, tuple(c)) for s, c in theirs))
        if sorted(ours) == sorted(theirs):
            passed += 1
            print("ok   %s: %d chains, %d certificates as tshark" %
                  (name, len(ours), sum(len(c) for _, c in ours)))
        else:
            failed += 1
            print("FAIL %s\n     certscope %s\n     tshark    %s" % (name, ours, theirs))
    return passed, failed


def run_at(binary, cap, args, clock, epoch):
    """certscope's text report and NDJSON of cap with the wall clock at clock
    (faketime) and SOURCE_DATE_EPOCH at epoch."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch), NO_COLOR="1")
    # faketime preloads its library; a sanitized build must let it come first
    env["ASAN_OPTIONS"] = ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"),
                                                 "verify_asan_link_order=0"]))
    outs = []
    for extra in (["-v"], ["--json"]):
        p = subprocess.run(["faketime", clock, os.path.abspath(binary), "-q", "-r",
                            os.path.abspath(cap), *extra, *args],
                           capture_output=True, text=True, env=env,
                           cwd=os.path.dirname(os.path.abspath(cap)))
        outs.append((p.returncode, p.stdout))
    return outs


def check_reproducible(binary, folder):
    """Two runs of every sample on wall clocks years apart, with one
    SOURCE_DATE_EPOCH, print the same report and NDJSON; another
    SOURCE_DATE_EPOCH changes what is said of today."""
    if not shutil.which("faketime"):
        return "faketime is not installed"
    passed = failed = 0
    epoch = 1800000000  # 2027-01-15
    for name in sorted(f for f in os.listdir(folder) if f.endswith(".expect.json")):
        exp = json.load(open(os.path.join(folder, name)))
        cap = os.path.join(folder, exp["capture"])
        a = run_at(binary, cap, exp["args"], "2027-03-01 00:00:00", epoch)
        b = run_at(binary, cap, exp["args"], "2031-09-15 12:00:00", epoch)
        if a == b and a[0][1] and a[0][0] in (0, 1):
            passed += 1
            print("ok   %s: the same report and NDJSON on two wall clocks" % name)
        else:
            failed += 1
            print("FAIL %s: output depends on the wall clock" % name)
    # the control: a chain valid when captured (2016) and expired since
    # 2017 is described as of SOURCE_DATE_EPOCH
    cap = os.path.join(folder, "old-ldaps-636.pcap")
    exp = json.load(open(os.path.join(folder, "old-ldaps-636.expect.json")))
    then = run_at(binary, cap, exp["args"], "2027-03-01 00:00:00", 1470000000)  # 2016-08
    now = run_at(binary, cap, exp["args"], "2027-03-01 00:00:00", epoch)
    if then != now and "expired since" in now[0][1] and "expired since" not in then[0][1]:
        passed += 1
        print("ok   SOURCE_DATE_EPOCH is today: old-ldaps-636 reads expired since only after")
    else:
        failed += 1
        print("FAIL SOURCE_DATE_EPOCH does not decide today: %r" % now[0][1][:400])
    return passed, failed


def tshark_frames(capture, port, starttls, flt, keylog, server, sslv2=False):
    """{message: first frame} of the connection flt selects, as tshark sees it.
    SSL 2.0 has message types of its own (tshark keeps them in
    tls.handshake.type): CLIENT-HELLO 1, SERVER-HELLO 4, which carries the
    server's certificate."""
    sh, cert = (4, 4) if sslv2 else (2, 11)
    env = dict(os.environ, WIRESHARK_CONFIG_DIR="/nonexistent")
    base = ["tshark", "-r", capture, "-n"] + (["-o", "tls.keylog_file:" + keylog] if keylog
                                              else []) + [
        "-o", "tcp.desegment_tcp_streams:TRUE", "-o", "tls.desegment_ssl_records:TRUE",
        "-o", "tcp.reassemble_out_of_order:TRUE"] + (
            ["-d", "tcp.port==%d,tls" % port] if decode_as(starttls) else [])
    # one tshark run for the connection: each frame's number, handshake
    # types, record content types and ports; the first frame of each kind is
    # what a display filter per kind would select first
    p = subprocess.run(base + ["-Y", flt, "-T", "fields", "-E", "separator=/t",
                               "-E", "aggregator=,", "-E", "occurrence=a",
                               "-e", "frame.number", "-e", "tls.handshake.type",
                               "-e", "tls.record.content_type", "-e", "tcp.srcport",
                               "-e", "tcp.dstport"],
                       capture_output=True, text=True, env=env)
    rows = []
    for line in p.stdout.splitlines():
        f = (line.split("\t") + [""] * 5)[:5]
        nums = lambda v: set(int(x) for x in v.split(",") if x.strip().isdigit())
        rows.append((int(f[0]), nums(f[1]), nums(f[2]), nums(f[3]), nums(f[4])))
    first = lambda pred: next((r[0] for r in rows if pred(r)), None)
    out = {
        "first": rows[0][0] if rows else None,
        "client_hello": first(lambda r: 1 in r[1]),
        "server_hello": first(lambda r: sh in r[1]),
        "alert": [r[0] for r in rows if 21 in r[2]],
        # by the server's port: on loopback both sides share an address (the
        # stack-* captures)
        "server_certificate": first(lambda r: cert in r[1] and port in r[3]),
        "client_certificate": first(lambda r: cert in r[1] and port in r[4]),
    }
    return out


def check_frames(binary, folder):
    """Each handshake's frame numbers are Wireshark's, and its filter selects
    its connection: the first packet, the first ClientHello and ServerHello
    and the first alert tshark finds with that filter are the frames
    certscope names."""
    if not shutil.which("tshark"):
        return "tshark is not installed"
    passed = failed = 0
    expectations = {}
    for f in sorted(os.listdir(folder)):
        if f.endswith(".expect.json"):
            e = json.load(open(os.path.join(folder, f)))
            expectations.setdefault(e["capture"], e)
    for name in sorted(f for f in os.listdir(folder) if f.endswith((".pcap", ".pcapng"))):
        cap = os.path.join(folder, name)
        keylog = cap + ".keylog" if os.path.exists(cap + ".keylog") else None
        _, hs, _ = certscope(binary, cap, ["--keylog", os.path.abspath(keylog)] if keylog else [])
        errs = []
        # tshark decodes the ports the expectation names, not certscope's:
        # a capture certscope read nothing from compares nothing otherwise
        ports = expected_ports(name, expectations.get(name))
        if not hs or sorted(set(h["server"]["port"] for h in hs)) != ports:
            errs.append("certscope's handshakes on ports %s, expected some on %s" %
                        (sorted(set(h["server"]["port"] for h in hs)), ports))
        for h in hs:
            theirs = tshark_frames(cap, h["server"]["port"], h["starttls"],
                                   h["wireshark_filter"], keylog, h["server"]["ip"],
                                   h["version"] == "SSL 2.0")
            ours = h["frames"]
            for key in ("first", "client_hello", "server_hello", "server_certificate",
                        "client_certificate"):
                if ours[key] != theirs[key]:
                    errs.append("%s: %s frame %s, tshark %s" % (h["wireshark_filter"], key,
                                                               ours[key], theirs[key]))
            # an alert certscope read is in a frame where tshark sees one
            # (tshark also counts the encrypted ones certscope cannot read)
            if h["alerts"] and ours["alert"] is None:
                errs.append("alerts read but no alert frame")
            if ours["alert"] is not None and ours["alert"] not in theirs["alert"]:
                errs.append("alert frame %s, tshark's %s" % (ours["alert"], theirs["alert"]))
            if h["file"] != os.path.abspath(cap):
                errs.append("file %s" % h["file"])
        if errs:
            failed += 1
            print("FAIL %s\n     %s" % (name, "\n     ".join(errs)))
        else:
            passed += 1
            print("ok   %s: %d handshakes, frames as tshark's" % (name, len(hs)))
    return passed, failed


def main():
    binary, folder, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    checks = {"expect": check_expect, "tshark": check_tshark,
              "reproducible": check_reproducible, "frames": check_frames}
    testlib.watch(binary)
    result = checks[mode](binary, folder)
    if isinstance(result, str):
        return testlib.skip(result)
    passed, failed = result
    if passed + failed == 0:
        print("no samples found in %s" % folder)
        return 1
    print("%d passed, %d failed" % (passed, failed))
    return testlib.status(failed)


if __name__ == "__main__":
    sys.exit(main())
