#!/usr/bin/env python3
"""Writes NAME.expect.json for a capture of real stacks (make.sh): what was
on the wire as tshark reads it (with the key log where one was written),
checked against what the endpoints were configured with, plus the outcome,
diagnoses, exit status and findings the scenario's author expects.

  expect.py CAPTURE PORT 'NOTE' 'ARGS' OUTCOME 'DIAGS' EXIT 'FINDINGS'
            [--keylog FILE] [--server-chain PEM] [--client-chain PEM]

ARGS, DIAGS: words separated by spaces; FINDINGS: code:severity:refused_by
(- for none):evidence,evidence separated by spaces, each seen once.
"""
import base64
import hashlib
import json
import os
import re
import subprocess
import sys

VERSIONS = {"0x0301": "TLSv1", "0x0302": "TLSv1.1", "0x0303": "TLSv1.2", "0x0304": "TLSv1.3"}


def pem_chain(path):
    data = open(path, "rb").read()
    blocks = re.findall(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", data, re.S)
    return [hashlib.sha256(base64.b64decode(b"".join(b.split()))).hexdigest() for b in blocks]


def cipher_names():
    """{0xNNNN: IANA name} from openssl ciphers -stdname."""
    out = subprocess.run(["openssl", "ciphers", "-V", "-stdname", "ALL:@SECLEVEL=0"],
                         capture_output=True, text=True, check=True).stdout
    names = {}
    for line in out.splitlines():
        m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)", line)
        if m:
            names[int(m.group(1) + m.group(2), 16)] = m.group(3)
    return names


def wire(capture, port, keylog):
    cmd = ["tshark", "-r", capture, "-n", "-d", "tcp.port==%d,tls" % port] + (
        ["-o", "tls.keylog_file:" + keylog] if keylog else []) + [
        "-T", "fields", "-E", "occurrence=a", "-E", "separator=|",
        "-e", "tcp.srcport", "-e", "tls.handshake.type", "-e", "tls.handshake.certificate",
        "-e", "tls.alert_message.level", "-e", "tls.alert_message.desc",
        "-e", "tls.handshake.extensions.supported_version", "-e", "tls.handshake.version",
        "-e", "tls.handshake.ciphersuite", "-Y", "tls"]
    env = dict(os.environ, WIRESHARK_CONFIG_DIR="/nonexistent")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
    seen = {"server": None, "client": None, "alerts": [], "version": None, "cipher": None}
    for line in out.splitlines():
        src, types, certs, levels, descs, sv, hv, suites = (line.split("|") + [""] * 8)[:8]
        side = "server" if int(src) == port else "client"
        types = types.split(",") if types else []
        if "11" in types and certs is not None:
            seen[side] = [hashlib.sha256(bytes.fromhex(c.replace(":", ""))).hexdigest()
                          for c in certs.split(",") if c]
        if "2" in types and side == "server":
            # the ServerHello: its supported_versions, else its version
            seen["version"] = VERSIONS.get((sv or hv).split(",")[-1])
            seen["cipher"] = cipher_names().get(int(suites.split(",")[0], 16))
        for lv, d in zip(levels.split(",") if levels else [], descs.split(",") if descs else []):
            seen["alerts"].append({"from": side, "level": "fatal" if lv == "2" else "warning",
                                   "code": int(d)})
    return seen


def main():
    a = sys.argv[1:]
    opts = {}
    while len(a) > 8:
        opts[a[-2]] = a[-1]
        a = a[:-2]
    capture, port, note, args, outcome, diags, exit_status, findings = a
    port = int(port)
    here = os.path.dirname(os.path.abspath(capture))
    keylog = opts.get("--keylog")
    seen = wire(capture, port, os.path.join(here, keylog) if keylog else None)
    for side in ("server", "client"):
        want = opts.get("--%s-chain" % side)
        if seen[side] is not None and want and seen[side] != pem_chain(want):
            sys.exit("expect.py: %s: the %s sent %s, configured with %s" % (
                capture, side, seen[side], pem_chain(want)))
    exp = {
        "capture": os.path.basename(capture), "note": note, "args": args.split(),
        "version": seen["version"], "cipher": seen["cipher"],
        "server_certificates": seen["server"] or [], "client_certificates": seen["client"] or [],
        "alerts": seen["alerts"],
        "outcome": outcome, "diagnoses": diags.split(), "exit": int(exit_status),
        "findings": [],
    }
    for f in findings.split():
        code, sev, refused, evidence = (f.split(":") + [""])[:4]
        exp["findings"].append({"code": code, "severity": sev, "count": 1,
                                "refused_by": None if refused == "-" else refused,
                                "evidence": evidence.split(",") if evidence else []})
    name = os.path.join(here, os.path.basename(capture).rsplit(".", 1)[0] + ".expect.json")
    with open(name, "w") as f:
        json.dump(exp, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
