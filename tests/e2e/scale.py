#!/usr/bin/env python3
"""The answer at the scale of a real capture: a capture made from the
samples' handshakes as the benchmark makes them (tools/bench/gen.c:
thousands of connections, healthy ones in the majority, three kinds of
problem), whose default report must fit in 150 lines and name every
distinct problem with the count the generator put in; -v must list every
handshake.

Usage: scale.py CERTSCOPE GEN SAMPLES_DIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

passed = failed = 0


def case(name, ok, why=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL %s: %s" % (name, str(why)[:2000]))


def main():
    binary, gen, samples = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    testlib.watch(binary)
    tmp = tempfile.mkdtemp(prefix="certscope-scale-")
    cap = os.path.join(tmp, "short-3000.pcap")
    # the four samples the benchmark's captures are made from
    src = os.path.join(tmp, "samples")
    os.mkdir(src)
    for s in ("good-7001", "unknown-ca-5061", "missing-intermediate-443",
              "mtls-no-clientauth-7001"):
        os.symlink(os.path.join(samples, s + ".pcap"), os.path.join(src, s + ".pcap"))
    p = subprocess.run([gen, "--samples", src, "--profile", "short", "--conns", "3000",
                        "--seed", "7", "-o", cap], capture_output=True, text=True)
    meta = dict(kv.split("=", 1) for kv in p.stdout.split())
    case("the generator wrote the capture", p.returncode == 0 and int(meta["connections"]) == 3000,
         p.stderr)
    root = ["--trust-file", os.path.join(samples, "pki", "root.pem")]

    r = subprocess.run([binary, "-q", "-r", cap] + root, capture_output=True, text=True)
    lines = r.stdout.splitlines()
    heads = [l for l in lines if re.match(r"^(error|warning|info) +\S+ +\d+ handshakes?", l)]
    counts = sorted((l.split()[1], int(l.split()[2])) for l in heads)
    want = sorted([("issuer-not-found", int(meta["unknown_ca"])),
                   ("issuer-not-found", int(meta["missing_intermediate"])),
                   ("eku-missing-client-auth", int(meta["mtls_no_clientauth"]))])
    case("the default report fits in 150 lines (%d)" % len(lines), 0 < len(lines) <= 150,
         len(lines))
    case("it names each distinct problem once, with the generator's count", counts == want,
         (counts, want))
    case("exit 1: errors were found", r.returncode == 1, r.returncode)

    j = subprocess.run([binary, "-q", "-r", cap, "--json"] + root, capture_output=True,
                       text=True)
    objs = [json.loads(l) for l in j.stdout.splitlines()]
    hs = [o for o in objs if o["type"] == "handshake"]
    fs = [o for o in objs if o["type"] == "finding"]
    summary = objs[-1]
    case("NDJSON: the same findings, and every handshake's diagnoses name one of them",
         sorted((f["code"], f["count"]) for f in fs) == want and
         {d["finding"] for h in hs for d in h["diagnoses"]} <= {f["id"] for f in fs},
         [(f["code"], f["count"]) for f in fs])
    case("NDJSON: the summary counts the findings by severity and the failed handshakes",
         summary["findings"] == 3 and summary["errors"] == 3 and
         summary["failed_handshakes"] == sum(1 for h in hs if h["outcome"] in ("alert", "aborted")),
         summary)

    # --export-pem: one file per distinct chain, one kit per remedy
    out = os.path.join(tmp, "export")
    e = subprocess.run([binary, "-q", "-r", cap, "--json", "--export-pem", out] + root,
                       capture_output=True, text=True)
    distinct = {(side, tuple(c["sha256"] for c in h[side + "_certificates"]))
                for h in hs for side in ("server", "client") if h[side + "_certificates"]}
    files = os.listdir(os.path.join(out, "chains"))
    case("export: one chain file per distinct chain of the NDJSON (%d)" % len(distinct),
         len(files) == len(distinct) and
         sorted(f.split("_")[2] for f in files) == sorted(s for s, _ in distinct),
         (sorted(files), len(distinct)))
    kits = sorted(os.listdir(os.path.join(out, "fixes")))
    by_name = {k.split("_")[1] + "_" + k.split("_")[2] + ("_chain" if "_chain" in k else ""): k
               for k in kits}
    def devices(k):
        m = re.search(r"\((\d+) in all\)", open(os.path.join(out, "fixes", k, "README.txt")).read())
        return int(m.group(1)) if m else 1
    case("export: three kits, the devices of each counted as the generator made them",
         sorted(by_name) == ["443_client", "443_server_chain", "5061_client"] and
         devices(by_name["5061_client"]) == len({h["client"]["ip"] for h in hs
                                                 if h["server"]["port"] == 5061 and
                                                 h["outcome"] == "alert"}) and
         devices(by_name["443_client"]) == len({h["client"]["ip"] for h in hs
                                                if h["server"]["port"] == 443 and
                                                h["outcome"] == "alert"}), kits)

    v = subprocess.run([binary, "-q", "-v", "-r", cap] + root, capture_output=True, text=True)
    blocks = [l for l in v.stdout.splitlines() if re.match(r"^\d{4}-\d\d-\d\dT\S+  \S+ -> ", l)]
    case("-v lists every handshake (%d) before the findings" % len(blocks),
         len(blocks) == len(hs) == summary["handshakes"] and v.stdout.index(blocks[-1]) <
         v.stdout.index(heads[0]) if blocks and heads else False, (len(blocks), len(hs)))
    print("%d passed, %d failed" % (passed, failed))
    return testlib.status(failed)


sys.exit(main())
