#!/usr/bin/env python3
"""The default run (no trust option): the system's bundle, which certscope
reads without decoding it (judge/bundle.c), says in every sample's NDJSON
what the same file given with --trust-file, read whole, says: its
certificates counted (as many as the file holds, repeats once), its own
findings (expired anchors, as openssl reads their dates), and the id of
each finding that names the store.  And the default run keeps its own
wording: the store is "system", judged every chain and only informs.

usage: system_store.py CERTSCOPE SAMPLES_DIR
"""
import base64
import datetime
import hashlib
import json
import os
import re
import ssl
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

EPOCH = 1790000000  # SOURCE_DATE_EPOCH: 2026-09-21
results = []


def case(name, ok, why=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(why)[:1500]))


def run(binary, args):
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH))
    p = subprocess.run([binary, *args], capture_output=True, env=env)
    objs = [json.loads(l) for l in p.stdout.decode().splitlines() if l.startswith("{")]
    return p.returncode, objs, p.stderr.decode()


def default_bundle():
    """OpenSSL's default certificate file (X509_get_default_cert_file)."""
    out = subprocess.run(["openssl", "version", "-d"], capture_output=True,
                         text=True).stdout
    m = re.search(r'OPENSSLDIR: "(.*)"', out)
    return os.path.join(m.group(1), "cert.pem") if m else None


def bundle_ders(path):
    """The DER of each CERTIFICATE block, repeats once, in order."""
    text = open(path, encoding="ascii", errors="replace").read()
    seen, out = set(), []
    for b64 in re.findall(r"-----BEGIN CERTIFICATE-----\s*(.*?)-----END CERTIFICATE-----",
                          text, re.S):
        der = base64.b64decode("".join(b64.split()))
        if der not in seen:
            seen.add(der)
            out.append(der)
    return out


def not_after(der):
    """notAfter as openssl x509 reads it ("Aug  5 12:00:00 2030 GMT")."""
    out = subprocess.run(["openssl", "x509", "-noout", "-enddate"],
                         input=ssl.DER_cert_to_PEM_cert(der), capture_output=True,
                         text=True).stdout
    m = re.search(r"notAfter=(.*) GMT", out)
    return datetime.datetime.strptime(" ".join(m.group(1).split()),
                                      "%b %d %H:%M:%S %Y").replace(
        tzinfo=datetime.timezone.utc)


def store_view(objs):
    """The summary's first store, and the findings that name a store:
    {(code, refused_by, certificate): id}."""
    summary = objs[-1] if objs and objs[-1]["type"] == "summary" else {}
    st = (summary.get("trust_stores") or [{}])[0]
    named = {(f["code"], f["refused_by"], f["certificate"]): f["id"]
             for f in objs if f["type"] == "finding" and f["store"]}
    return st, named


def main():
    binary, samples = sys.argv[1], sys.argv[2]
    testlib.watch(binary)
    bundle = default_bundle()
    if not bundle or not os.path.exists(bundle):
        return testlib.skip("no system bundle (%s) to compare with" % bundle)
    ders = bundle_ders(bundle)
    shas = {hashlib.sha256(d).hexdigest(): d for d in ders}
    at = datetime.datetime.fromtimestamp(EPOCH, datetime.timezone.utc)
    expired = {s for s, d in shas.items() if not_after(d) <= at}

    captures = sorted(f for f in os.listdir(samples) if f.endswith(".pcap"))
    case("every sample is compared", len(captures) >= 40, len(captures))
    matched = 0
    for name in captures:
        cap = os.path.join(samples, name)
        keylog = [] if not os.path.exists(cap + ".keylog") else ["--keylog", cap + ".keylog"]
        rc, lazy, err = run(binary, ["-r", cap, "--json", *keylog])
        rc2, whole, err2 = run(binary, ["-r", cap, "--json", *keylog, "--trust-file", bundle])
        st, named = store_view(lazy)
        st2, named2 = store_view(whole)
        case("%s: the system store counts the bundle's certificates, read from one "
             "file, and judged its chains" % name,
             st.get("path") == "system" and st.get("device") is None and
             st.get("anchors") == len(ders) == st2.get("anchors") and
             st.get("files") == 1 and st.get("rejected_files") == 0 and
             st.get("used") == st2.get("used"), (st.get("anchors"), len(ders), st2))
        case("%s: the system store's own findings are those of the bundle read whole" % name,
             st.get("findings") == st2.get("findings") and
             {f["certificate"] for f in st["findings"]} <= set(shas) and
             {f["certificate"] for f in st["findings"] if f["code"] == "expired"} == expired,
             (st.get("findings"), sorted(expired)))
        # where the device completed the handshake, a store given that
        # rejects the chain says trust-store-mismatch instead (the system's
        # only informs): another code, another id
        same = [k for k in named if k in named2]
        matched += len(same)
        case("%s: a finding that names the store has the id the bundle read whole gives it"
             % name, all(named[k] == named2[k] for k in same) and
             all(k in named2 or ("trust-store-mismatch", k[1], k[2]) in named2
                 for k in named) and len(named) == len(named2), (named, named2))
        chains = [h[k] for h in lazy if h["type"] == "handshake"
                  for k in ("server_chain_store", "client_chain_store") if h[k]]
        case("%s: each chain was judged by the system store, which only informs" % name,
             set(chains) <= {"system"} and
             not [f for f in lazy if f["type"] == "finding" and f["store"] and
                  f["severity"] == "error" and f["refused_by"] is None],
             chains)

    case("findings of the same code compared by id in %d places" % matched, matched >= 10,
         matched)

    # One sample in words: the client refused the server's chain, whose CA
    # the system store lacks (the same finding as against the bundle given).
    rc, lazy, err = run(binary, ["-r", os.path.join(samples, "unknown-ca-5061.pcap"), "--json"])
    found = [f for f in lazy if f["type"] == "finding"]
    case("unknown-ca-5061: one error finding, issuer-not-found, refused by the client, "
         "judged by the system store",
         rc == 1 and [(f["code"], f["severity"], f["refused_by"], f["store"]) for f in found]
         == [("issuer-not-found", "error", "client", "system")] and
         len(found[0]["id"]) == 16, found)
    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    return testlib.status(not all(results))


if __name__ == "__main__":
    sys.exit(main())
