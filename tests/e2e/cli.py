#!/usr/bin/env python3
"""certscope's command line on bad input, standard input and PEM export.

usage: cli.py CERTSCOPE SAMPLES_DIR
"""
import collections
import datetime
import hashlib
import json
import os
import re
import ssl
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

results = []


def case(name, ok, why=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + why))


def pty_run(argv, env):
    """argv's standard output as a terminal would show it."""
    import pty
    out = b""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out.decode("utf-8", "replace").replace("\r", "")


def run(binary, args, stdin=None):
    p = subprocess.run([binary, *args], input=stdin, capture_output=True)
    lines = [json.loads(l) for l in p.stdout.decode().splitlines() if l.startswith("{")]
    return p.returncode, lines, p.stderr.decode()


def pem_hashes(path):
    """The SHA-256 of each PEM block of a file, in order; comment lines
    between the blocks are skipped."""
    pem = open(path).read()
    blocks = re.findall(r"-----BEGIN CERTIFICATE-----\n.*?-----END CERTIFICATE-----\n", pem,
                        re.S)
    return [hashlib.sha256(ssl.PEM_cert_to_DER_cert(b)).hexdigest() for b in blocks]


def der_hash(path):
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(open(path).read())).hexdigest()


def trust_tests(binary, samples, tmp):
    pki = os.path.join(samples, "pki")
    good = os.path.join(samples, "good-7001.pcap")
    expect = json.load(open(os.path.join(samples, "good-7001.expect.json")))

    # A folder of every format: PEM bundle, DER, PKCS#7 DER and PEM, a file
    # without extension, a hashed link, and a junk file that is named.
    mixed = os.path.join(samples, "trust-mixed")
    rc, objs, err = run(binary, ["-r", good, "--json", "--trust-dir", mixed])
    st = objs[-1]["trust_stores"]
    case("mixed trust folder: every certificate loaded once",
         len(st) == 1 and st[0]["anchors"] == 6 and st[0]["files"] == 8, str(st))
    case("mixed trust folder: the junk file is named with the reason",
         st[0]["rejected_files"] == 1 and "README.txt: not a certificate" in err, err)
    h = objs[0]
    case("mixed trust folder judges both chains",
         h["server_chain_store"] == mixed and h["client_chain_store"] == mixed and
         h["server_chain_check"]["verified"] and h["client_chain_check"]["verified"] and rc == 0,
         str(h["server_chain_check"])[:300])

    # The completed chain: what the client sent, then the root from the store.
    out = os.path.join(tmp, "completed-export")
    rc, objs, err = run(binary, ["-r", good, "--json", "--trust-file",
                                 os.path.join(pki, "root.pem"), "--export-pem", out])
    client = [f for f in os.listdir(os.path.join(out, "chains")) if "_client_" in f]
    root = der_hash(os.path.join(pki, "root.pem"))
    case("completed chain exported to DIR/completed under the same name",
         len(client) == 1 and pem_hashes(os.path.join(out, "completed", client[0])) ==
         expect["client_certificates"] + [root], str(client))
    comp = objs[0]["client_chain_check"]["completed"]
    case("completed chain marks wire and store",
         [c["source"] for c in comp] == ["wire", "wire", "store"] and comp[2]["sha256"] == root,
         str(comp))

    # Attribution, word for word (golden sentences).
    other_root = der_hash(os.path.join(pki, "other-root.pem"))
    rc, objs, err = run(binary, ["-r", os.path.join(samples, "unknown-ca-5061-stale-store.pcap"),
                                 "--json", "--trust-file",
                                 "192.0.2.10=" + os.path.join(pki, "other-root.pem")])
    alert = [d for d in objs[0]["diagnoses"] if d["code"] == "alert-unknown-ca"][0]
    want = ("The client sent a fatal unknown_ca alert: the client could not tie the server's "
            "certificate chain to a CA in its own trust store. The trust store %s given for the "
            "client holds CN=Other Root CA,O=certscope samples (SHA-256 %s) and accepts the "
            "server's chain, so the client judged with another list than the one given, or "
            "refused for a reason the capture does not show."
            % (os.path.join(pki, "other-root.pem"), other_root))
    case("attribution: the store given accepts the refused chain", alert["message"] == want,
         alert["message"])
    case("attribution advice names the store by product and the certificate",
         alert["advice"] == "Compare the trust list the client (192.0.2.10) uses "
         "(CallManager-trust on CUCM (the Trusted CA list, if the client is an Expressway)) with "
         "%s, which holds CN=Other Root CA,O=certscope samples (SHA-256 %s): if that list lacks "
         "CN=Other Root CA,O=certscope samples, upload it there; if it holds it, read the "
         "client's logs for the reason." % (os.path.join(pki, "other-root.pem"), other_root),
         alert["advice"])
    case("a store given for one address judges only the chains sent to it",
         objs[0]["server_chain_store"] == os.path.join(pki, "other-root.pem") and
         objs[0]["client_chain_store"] is None, str(objs[0]["client_chain_store"]))
    rc, objs, err = run(binary, ["-r", os.path.join(samples, "unknown-ca-5061.pcap"), "--json",
                                 "--trust-file", os.path.join(pki, "root.pem")])
    alert = [d for d in objs[0]["diagnoses"] if d["code"] == "alert-unknown-ca"][0]
    case("attribution: the chain fails here too",
         alert["message"].endswith(" The server's chain does not verify against %s either: its "
                                   "issuer CN=Other Root CA,O=certscope samples is missing."
                                   % os.path.join(pki, "root.pem")), alert["message"])
    inf = [d for d in objs[0]["diagnoses"] if d["code"] == "issuer-not-found"][0]
    other_inter = der_hash(os.path.join(pki, "other-inter.pem"))
    case("issuer-not-found names the certificate, the missing issuer and its key id",
         inf["certificate"] == other_inter and inf["severity"] == "error" and
         "(CN=Other Root CA,O=certscope samples, key id " in inf["message"], str(inf))

    # A chain of 2016 is judged as of 2016, and said to have expired since.
    rc, objs, err = run(binary, ["-r", os.path.join(samples, "old-ldaps-636.pcap"), "--json",
                                 "--trust-file", os.path.join(pki, "old-root.pem")])
    chk = objs[0]["server_chain_check"]
    case("an old capture is verified as of its own time",
         rc == 0 and chk["verified"] and not objs[0]["diagnoses"] and
         chk["status"] == "valid when captured; expired since 2017-01-01", str(chk))

    # Store findings: two CAs with one subject, an expired anchor.
    rc, objs, err = run(binary, ["-r", good, "--json", "--trust-dir",
                                 os.path.join(samples, "trust-dup")])
    dups = [d for d in objs[0]["diagnoses"] if d["code"] == "trust-store-duplicate-subject"]
    case("duplicate subject found on the anchor, as a warning",
         len(dups) == 2 and all(d["severity"] == "warning" and d["certificate"] == root for d in dups)
         and rc == 0, str(dups))
    rc, objs, err = run(binary, ["-r", os.path.join(samples, "expired-anchor-8443.pcap"), "--json",
                                 "--trust-dir", os.path.join(samples, "trust-short")])
    short = der_hash(os.path.join(pki, "short-root.pem"))
    exp = [d for d in objs[0]["diagnoses"] if d["code"] == "expired" and d["certificate"] == short]
    case("expired anchor in the store is a finding on the anchor",
         len(exp) == 1 and "in the trust store" in exp[0]["message"], str(objs[0]["diagnoses"]))
    rc, objs, err = run(binary, ["-r", os.path.join(samples, "expired-anchor-8443.pcap"), "--json",
                                 "--trust-dir", os.path.join(samples, "trust-short"),
                                 "--at", "2099-01-01T00:00:00Z"])
    case("the summary lists the expired anchor of the store",
         any(f["code"] == "expired" and f["certificate"] == short
             for f in objs[-1]["trust_stores"][0]["findings"]), str(objs[-1]["trust_stores"]))

    # A trust folder that does not exist is a usage error.
    rc, objs, err = run(binary, ["-r", good, "--trust-dir", os.path.join(tmp, "nowhere")])
    case("missing trust folder exits 2 naming it", rc == 2 and "nowhere" in err, err)


def tls13_tests(binary, samples):
    # Without keys, what the encrypted records let infer, word for word.
    rc, objs, err = run(binary, ["-r", os.path.join(samples, "tls13-client-refused-nokeys-7001.pcap"),
                                 "--json", "--trust-file", os.path.join(samples, "pki", "root.pem")])
    d = objs[0]["diagnoses"][0]
    case("TLS 1.3 without keys: the refusal is inferred and said to be inferred",
         d["code"] == "tls13-encrypted-certificate" and d["message"].endswith(
             " Inferred from the encrypted records: the server sent a 19-byte record, the size of "
             "an encrypted alert, 1 ms after the client's last record, then closed the connection "
             "(TCP FIN); the server most likely refused the client's certificate."), d["message"])
    rc, objs, err = run(binary, ["-r", os.path.join(samples, "tls13-443.pcap"), "--json"])
    d = objs[0]["diagnoses"][0]
    case("TLS 1.3 without keys: a normal close is not taken for a refusal",
         "refused" not in d["message"] and "closed the connection first (TCP FIN)" in d["message"],
         d["message"])
    # A key log that is no key log is a usage error; one for other sessions is not.
    bad = os.path.join(samples, "README.md")
    rc, objs, err = run(binary, ["-r", os.path.join(samples, "tls13-443.pcap"), "--keylog", bad])
    case("a file with no key log line is refused", rc == 2 and "no key log line" in err, err)


def corpus_tests(binary, samples, tmp):
    corpus = os.path.join(samples, "..", "..", "shared", "corpus")
    cap = os.path.join(corpus, "joy__test__pcaps__tls12.pcap")
    if not os.path.exists(cap):
        testlib.skip_shared("the corpus capture from 2017: corpus folder absent")
        return
    # trust the capture's own self-signed certificate, exported from it
    out = os.path.join(tmp, "joy")
    run(binary, ["-r", cap, "--export-pem", out])
    pem = [f for f in os.listdir(os.path.join(out, "chains")) if "_server_" in f][0]
    rc, objs, err = run(binary, ["-r", cap, "--json", "--trust-file",
                                 os.path.join(out, "chains", pem)])
    h = objs[0]
    case("a capture from 2017 is judged as of 2017 (corpus)",
         h["server_chain_check"]["verified"] and
         not [d for d in h["diagnoses"] if d["code"] == "expired"] and
         h["server_chain_check"]["status"] == "valid when captured; expired since 2018-08-07",
         str(h["server_chain_check"]))


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def validity_tests(binary, samples):
    """not-yet-valid and expiring-soon, with --at computed from the sample's own dates."""
    good = os.path.join(samples, "good-7001.pcap")
    root = ["--trust-file", os.path.join(samples, "pki", "root.pem")]
    rc, objs, err = run(binary, ["-r", good, "--json", *root])
    h = objs[0]
    sent = h["server_certificates"] + h["client_certificates"]
    leaf = h["server_certificates"][0]
    # every certificate of both completed chains: what was sent plus the store's anchor
    chains = [c for side in ("server", "client") for c in h[side + "_chain_check"]["completed"]]
    dates = {c["sha256"]: (parse_time(c["not_before"]), parse_time(c["not_after"])) for c in sent}

    # A day before the first certificate's not_before: every one is not yet valid.
    at = min(nb for nb, _ in dates.values()) - datetime.timedelta(days=1)
    rc, objs, err = run(binary, ["-r", good, "--json", *root, "--at", rfc3339(at)])
    ds = objs[0]["diagnoses"]
    nyv = [d for d in ds if d["code"] == "not-yet-valid"]
    named = collections.Counter(d["certificate"] for d in nyv)
    wanted = collections.Counter(c["sha256"] for c in sent)
    # the handshake completed: what the store's own anchors say is a
    # trust-store-mismatch (CONTRACT.md, "Judgement rules"), the rest stays
    case("--at before not_before: not-yet-valid on every certificate sent, as errors",
         rc == 1 and len(sent) == 5 and all(named[k] >= n for k, n in wanted.items()) and
         set(named) == {c["sha256"] for c in sent} and
         all(d["severity"] == "error" for d in nyv) and
         not [d for d in ds if d["code"] in ("expired", "expiring-soon")],
         "exit %d, %s" % (rc, [(d["code"], d["certificate"]) for d in ds]))
    case("not-yet-valid names the start date and the verification time",
         all(rfc3339(dates[d["certificate"]][0]) in d["message"] and rfc3339(at) in d["message"]
             for d in nyv if d["certificate"] in dates), str([d["message"] for d in nyv]))
    # the client's chain was completed with the store's root: that one is
    # said to be in the store, and its advice is the store's, not a reissue
    anchors = [c["sha256"] for c in h["client_chain_check"]["completed"] if c["source"] == "store"]
    mism = [d for d in ds if d["code"] == "trust-store-mismatch" and d["certificate"] in anchors]
    case("a store anchor not yet valid on a completed handshake is a trust-store-mismatch warning "
         "that says so, not a reissue",
         len(anchors) == 1 and len(mism) == 1 and mism[0]["severity"] == "warning" and
         "is valid only from" in mism[0]["message"] and "completed" in mism[0]["message"] and
         "reissue" not in mism[0]["advice"] and "{" not in mism[0]["advice"],
         str([(d["code"], d["message"], d["advice"]) for d in ds if d["certificate"] in anchors]))

    # Ten days before the server leaf's not_after: expiring soon, a warning, exit 0.
    leaf_end = parse_time(leaf["not_after"])
    at = leaf_end - datetime.timedelta(days=10)
    soon = {k for k, (nb, na) in dates.items() if at < na <= at + datetime.timedelta(days=30)}
    rc, objs, err = run(binary, ["-r", good, "--json", *root, "--at", rfc3339(at)])
    ds = objs[0]["diagnoses"]
    exp = [d for d in ds if d["code"] == "expiring-soon"]
    case("--at 10 days before the leaf's not_after: expiring-soon on the leaf, a warning, exit 0",
         rc == 0 and leaf["sha256"] in soon and {d["certificate"] for d in exp} == soon and
         len(exp) == len(soon) and all(d["severity"] == "warning" for d in exp) and
         not [d for d in ds if d["code"] in ("expired", "not-yet-valid")] and
         objs[-1]["warnings"] >= len(soon) and objs[-1]["errors"] == 0,
         "exit %d, expected expiring-soon on %s, got %s" % (
             rc, sorted(soon), [(d["code"], d["severity"], d["certificate"]) for d in ds]))
    case("expiring-soon names the leaf's not_after",
         all(leaf["not_after"] in d["message"] for d in exp if d["certificate"] == leaf["sha256"]),
         str([d["message"] for d in exp]))
    # 31 days before: outside the 30 days, nothing to say.
    at = leaf_end - datetime.timedelta(days=31)
    rc, objs, err = run(binary, ["-r", good, "--json", *root, "--at", rfc3339(at)])
    case("--at 31 days before the leaf's not_after: no expiring-soon, exit 0",
         rc == 0 and not objs[0]["diagnoses"], str(objs[0]["diagnoses"]))


def eku_tests(binary, samples):
    """A server certificate with clientAuth only (no-serverauth-5061.pcap)."""
    pki = os.path.join(samples, "pki")
    rc, objs, err = run(binary, ["-r", os.path.join(samples, "no-serverauth-5061.pcap"), "--json",
                                 "--trust-file", os.path.join(pki, "root.pem")])
    h = objs[0]
    leaf = der_hash(os.path.join(pki, "sipclient.pem"))
    eku = [d for d in h["diagnoses"] if d["code"] == "eku-missing-server-auth"]
    case("eku-missing-server-auth: one error naming the server's leaf, exit 1",
         rc == 1 and h["server_certificates"][0]["sha256"] == leaf and
         h["server_certificates"][0]["eku"] == ["clientAuth"] and len(eku) == 1 and
         eku[0]["severity"] == "error" and eku[0]["certificate"] == leaf and
         not [d for d in h["diagnoses"] if d["code"] == "eku-missing-client-auth"],
         "exit %d, %s" % (rc, h["diagnoses"]))
    case("eku-missing-server-auth advice names the server to reissue for",
         eku and "198.51.100.20:5061" in eku[0]["advice"], str(eku))
    alert = [d for d in h["diagnoses"] if d["code"] == "alert-unsupported-certificate"]
    case("the client's unsupported_certificate concerns the same leaf",
         len(alert) == 1 and alert[0]["certificate"] == leaf, str(alert))


def wrap_tests(binary, samples):
    """On a terminal the findings' sentences wrap to its width; in a pipe
    they are one line each (for grep)."""
    import fcntl, pty, struct, termios
    cap = os.path.join(samples, "client-ca-not-accepted-5061.pcap")
    args = [binary, "-r", cap, "--trust-file", os.path.join(samples, "pki", "root.pem")]
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 60, 0, 0))
    p = subprocess.Popen(args, stdout=slave, stderr=subprocess.DEVNULL,
                         env=dict(os.environ, NO_COLOR="1"))
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    p.wait()
    os.close(master)
    lines = out.decode(errors="replace").replace("\r", "").splitlines()
    # the finding's block, from its head to its example (data lines)
    head = next((i for i, l in enumerate(lines) if l.startswith("error ")), 0)
    end = next((i for i, l in enumerate(lines) if l.startswith("  example:")), head)
    body = lines[head + 1:end]
    case("on a 60-column terminal the findings' sentences wrap within 60 columns",
         bool(body) and all(len(l) <= 60 or " " not in l.strip() for l in body) and
         any(l.startswith("    ") for l in body), str(lines))
    q = subprocess.run(args, capture_output=True, text=True)
    case("in a pipe each sentence is one line",
         any(l.startswith("  The issuer of") and l.endswith("complete the chain.")
             for l in q.stdout.splitlines()), q.stdout[-600:])


def client_service_store_tests(binary, samples):
    """A store bound to ADDR:PORT judges the connections to server port
    PORT whichever side ADDR is: here the client 192.0.2.10 judging the
    chain of the SIP server it connects to on 5061, not its store for 443."""
    cap = os.path.join(samples, "unknown-ca-5061.pcap")
    root = os.path.join(samples, "pki", "root.pem")
    other = os.path.join(samples, "pki", "other-root.pem")
    rc, objs, err = run(binary, ["-r", cap, "--json", "--trust-file", "192.0.2.10:5061=" + other,
                                 "--trust-file", "192.0.2.10:443=" + root])
    h = [o for o in objs if o["type"] == "handshake"]
    st = {s["path"]: s for s in objs[-1]["trust_stores"]} if objs else {}
    case("the client's store for server port 5061 judges the SIP server's chain; its store "
         "for 443 judges nothing",
         len(h) == 1 and h[0]["server_chain_store"] == other and st.get(other, {}).get("used")
         and not st.get(root, {}).get("used", True), (h and h[0]["server_chain_store"], st))


def tvs_tests(binary, samples):
    """TVS on 2445: the phone trusts TVS through its ITL, so what certscope
    advises is about the phone's trust list, never an upload to a CUCM
    store on the phone."""
    rc, objs, _ = run(binary, ["-r", os.path.join(samples, "self-signed-2445.pcap"), "--json",
                               "--trust-file", os.path.join(samples, "pki", "root.pem")])
    fs = [o for o in objs if o["type"] == "finding"]
    case("TVS completed with a store that lacks its certificate: a trust-store-mismatch "
         "warning whose advice is the phone's ITL, exit 0",
         rc == 0 and len(fs) == 1 and fs[0]["code"] == "trust-store-mismatch" and
         fs[0]["severity"] == "warning" and "ITL" in fs[0]["advice"] and
         "the phone (192.0.2.10)" in fs[0]["advice"] and "tvs-trust" not in fs[0]["advice"] and
         "Upload" not in fs[0]["advice"], fs)


def finding_id_tests(binary, samples, tmp):
    """A finding's id is the same problem's in every run, file and sensor:
    two captures read as two files, as one merged file, each alone, and
    one of them copied under another name with its store copied elsewhere,
    give the same ids (and the counts add up)."""
    a = os.path.join(samples, "unknown-ca-5061.pcap")
    b = os.path.join(samples, "missing-intermediate-443.pcap")
    store = os.path.join(samples, "pki", "root.pem")

    def findings(files, trust=store):
        args = [x for f in files for x in ("-r", f)] + ["--json", "--trust-file", trust]
        _, objs, _ = run(binary, args)
        return {o["id"]: o["count"] for o in objs if o["type"] == "finding"}

    alone_a, alone_b = findings([a]), findings([b])
    both = findings([a, b])
    case("two captures read as two files: the findings of each, by the same ids",
         len(alone_a) == 1 and len(alone_b) == 1 and both == {**alone_a, **alone_b},
         (alone_a, alone_b, both))
    merged = os.path.join(tmp, "merged.pcap")
    if shutil.which("mergecap"):
        subprocess.run(["mergecap", "-F", "pcap", "-w", merged, a, b], check=True)
        case("the same two captures merged into one file: the same ids and counts",
             findings([merged]) == both, findings([merged]))
    else:
        testlib.skip_part("the merged case: mergecap is not installed")
    copy, store2 = os.path.join(tmp, "renamed.pcap"), os.path.join(tmp, "elsewhere.pem")
    shutil.copy(a, copy)
    shutil.copy(store, store2)
    case("the capture under another name, its store read from another path: the same id",
         findings([copy], store2) == alone_a, findings([copy], store2))
    twice = findings([a, copy])
    case("the same capture twice: one finding, counted twice",
         twice == {k: 2 * v for k, v in alone_a.items()}, twice)


def crossed_traversal_tests(binary, samples):
    """traversal-crossed-7001.pcap: each device trusts only the other side's CA."""
    cap = os.path.join(samples, "traversal-crossed-7001.pcap")
    pki = os.path.join(samples, "pki")
    c_store = os.path.join(samples, "trust-vcsc-example")   # Example Root CA only
    e_store = os.path.join(samples, "trust-vcse-other")     # Other Root CA only
    example_root, other_root = der_hash(os.path.join(pki, "root.pem")), der_hash(
        os.path.join(pki, "other-root.pem"))
    other_inter = der_hash(os.path.join(pki, "other-inter.pem"))

    rc, objs, err = run(binary, ["-r", cap, "--json", "--trust-dir", "192.0.2.10=" + c_store,
                                 "--trust-dir", "198.51.100.20=" + e_store])
    h = objs[0]
    sc, cc = h["server_chain_check"], h["client_chain_check"]
    case("crossed stores, each for its own device: both chains verify, exit 0",
         rc == 0 and h["server"]["ip"] == "198.51.100.20" and h["client"]["ip"] == "192.0.2.10" and
         h["server_chain_store"] == c_store and h["client_chain_store"] == e_store and
         sc["verified"] and cc["verified"] and not h["diagnoses"],
         "exit %d, %s %s %s" % (rc, h["server_chain_store"], h["client_chain_store"], h["diagnoses"]))
    case("crossed stores: each chain completed from the other side's CA",
         sc["completed"][-1]["sha256"] == example_root and
         cc["completed"][-1]["sha256"] == other_root and cc["completed"][-1]["source"] == "store",
         str((sc["completed"], cc["completed"])))
    st = {s["device"]: s for s in objs[-1]["trust_stores"]}
    case("crossed stores: both reported used, under their devices",
         st.get("192.0.2.10", {}).get("path") == c_store and st["192.0.2.10"]["used"] and
         st.get("198.51.100.20", {}).get("path") == e_store and st["198.51.100.20"]["used"],
         str(objs[-1]["trust_stores"]))

    # The same capture with the stores given for the wrong devices.
    rc, objs, err = run(binary, ["-r", cap, "--json", "--trust-dir", "192.0.2.10=" + e_store,
                                 "--trust-dir", "198.51.100.20=" + c_store])
    h = objs[0]
    ds = {d["code"]: d for d in h["diagnoses"]}
    # both devices completed the handshake: the stores given are not theirs,
    # a warning each (CONTRACT.md, "Judgement rules"), exit 0
    mm = {d["certificate"]: d for d in h["diagnoses"] if d["code"] == "trust-store-mismatch"}
    case("swapped stores: neither chain verifies against the store given for its receiver, "
         "and each is a trust-store-mismatch warning, exit 0",
         rc == 0 and h["server_chain_store"] == e_store and h["client_chain_store"] == c_store and
         not h["server_chain_check"]["verified"] and not h["client_chain_check"]["verified"] and
         sorted(d["code"] for d in h["diagnoses"]) == ["trust-store-mismatch"] * 2 and
         all(d["severity"] == "warning" for d in mm.values()),
         "exit %d, %s %s %s" % (rc, h["server_chain_store"], h["client_chain_store"], sorted(ds)))
    ur = [d for d in mm.values() if "the root" in d["message"]]
    inf = [d for d in mm.values() if "the issuer" in d["message"]]
    ur, inf = ur[0] if ur else {}, inf[0] if inf else {}
    case("swapped stores: the server's root is missing from the store given for the C, and the "
         "advice is about the C's list (192.0.2.10)",
         e_store in ur.get("message", "") and "CN=Example Root CA" in ur.get("message", "") and
         "Expressway-C" in ur.get("advice", "") and "192.0.2.10" in ur.get("advice", "") and
         "198.51.100.20" not in ur.get("advice", ""), str(ur))
    case("swapped stores: the client's issuer is missing from the store given for the E, and the "
         "advice is about the E's list (198.51.100.20)",
         c_store in inf.get("message", "") and "CN=Other Root CA" in inf.get("message", "") and
         "Expressway-E" in inf.get("advice", "") and "198.51.100.20" in inf.get("advice", "") and
         "192.0.2.10" not in inf.get("advice", ""), str(inf))
def finding_store_tests(binary, samples):
    """The store is part of a finding's id where the validator's store is
    the fix (issuer-not-found above the leaf: the CA to upload), and not
    where the certificate's owner must change it (name-mismatch)."""
    pki = os.path.join(samples, "pki")

    def ids(capture, store, code):
        rc, objs, err = run(binary, ["-r", os.path.join(samples, capture), "--json",
                                     "--trust-file", os.path.join(pki, store)])
        return [o["id"] for o in objs if o["type"] == "finding" and o["code"] == code]

    a = ids("unknown-ca-5061.pcap", "root.pem", "issuer-not-found")
    b = ids("unknown-ca-5061.pcap", "old-root.pem", "issuer-not-found")
    case("issuer-not-found above the leaf: another store, another finding id",
         len(a) == len(b) == 1 and a != b, "%s %s" % (a, b))
    a = ids("name-mismatch-443.pcap", "root.pem", "name-mismatch")
    b = ids("name-mismatch-443.pcap", "old-root.pem", "name-mismatch")
    case("name-mismatch: the same finding id whatever the store",
         len(a) == len(b) == 1 and a == b, "%s %s" % (a, b))


def exit_status_tests(binary, samples, tmp):
    """Every exit status the contract fixes (certscope(1), EXIT STATUS)."""
    good = os.path.join(samples, "good-7001.pcap")
    root = os.path.join(samples, "pki", "root.pem")
    # 0: no finding of severity error
    rc, objs, err = run(binary, ["-r", good, "--json", "--trust-file", root])
    s = objs[-1] if objs else {}
    case("exit 0: a completed handshake, no error finding",
         rc == 0 and s.get("type") == "summary" and s.get("errors") == 0 and s.get("handshakes") == 1
         and not [d for o in objs if o["type"] == "handshake" for d in o["diagnoses"]
                  if d["severity"] == "error"], "exit %d %s" % (rc, str(s)[:300]))
    # 1: a finding of severity error
    rc, objs, err = run(binary, ["-r", os.path.join(samples, "unknown-ca-5061.pcap"), "--json",
                                 "--trust-file", root])
    errors = [o for o in objs if o["type"] == "finding" and o["severity"] == "error"]
    case("exit 1: an error finding (issuer-not-found, refused by the client)",
         rc == 1 and [f["code"] for f in errors] == ["issuer-not-found"] and
         errors[0]["refused_by"] == "client" and objs[-1]["errors"] == 1,
         "exit %d %s" % (rc, [(f["code"], f["severity"]) for f in errors]))
    # 2: a trust input that holds no certificate, before any input is read
    junk = os.path.join(tmp, "junk.pem")
    open(junk, "w").write("not a certificate\n")
    empty = os.path.join(tmp, "empty-trust.pem")
    open(empty, "w").close()
    for path in (junk, empty):
        rc, objs, err = run(binary, ["-r", good, "--json", "--trust-file", path])
        case("exit 2: --trust-file %s holds no certificate, nothing read" % os.path.basename(path),
             rc == 2 and not objs and path in err and "not a certificate" in err,
             "exit %d, %d objects, %s" % (rc, len(objs), err))
    # 2: an export folder that cannot be made, refused before the capture is read
    for bad, why in (("/nonexistent/dir", "No such file or directory"),
                     (os.path.join(good, "chains"), "Not a directory")):
        rc, objs, err = run(binary, ["-r", good, "--json", "--export-pem", bad])
        case("exit 2: --export-pem %s refused before reading (%s)" % (bad, why),
             rc == 2 and not objs and ("--export-pem %s: %s" % (bad, why)) in err
             and err.count("\n") == 1, "exit %d, %d objects, %s" % (rc, len(objs), err))
    p = subprocess.run([binary, "-r", good, "--export-pem", "/nonexistent/dir"],
                       capture_output=True, text=True)
    case("exit 2: no report begun for an export folder that cannot be made",
         p.returncode == 2 and p.stdout == "", p.stdout[:200])
    # 2: a bad BPF filter, named with the file
    rc, objs, err = run(binary, ["-r", good, "--json", "port", "70x01"])
    case("exit 2: a bad BPF filter", rc == 2 and "bad filter" in err and "70x01" in err,
         "exit %d %s" % (rc, err))
    # 2: a capture cut short after a complete handshake: still reported,
    # the handshake's own exit status overruled
    data = open(os.path.join(samples, "unknown-ca-5061.pcap"), "rb").read()
    cut = os.path.join(tmp, "unknown-ca-cut.pcap")
    open(cut, "wb").write(data + data[24:60])
    rc, objs, err = run(binary, ["-r", cut, "--json", "--trust-file", root])
    hs = [o for o in objs if o["type"] == "handshake"]
    case("exit 2: a capture cut inside a record after a refused handshake, which is reported",
         rc == 2 and len(hs) == 1 and hs[0]["outcome"] == "alert" and "truncated" in err and
         objs[-1]["type"] == "summary", "exit %d %d %s" % (rc, len(hs), err))


def openssl_fields(pem_path):
    """key bits, CA and self-signed of a PEM certificate, as openssl x509 says."""
    t = subprocess.run(["openssl", "x509", "-in", pem_path, "-noout", "-text"],
                       capture_output=True, text=True, check=True).stdout
    bits = int(re.search(r"Public-Key: \((\d+) bit\)", t).group(1))
    subject = re.search(r"Subject: (.*)", t).group(1)
    issuer = re.search(r"Issuer: (.*)", t).group(1)
    return bits, "CA:TRUE" in t, subject == issuer


def certificate_field_tests(binary, samples):
    """Each certificate's key_bits, is_ca and self_signed in the NDJSON are
    what openssl x509 reads of the same certificate in samples/pki."""
    pki = os.path.join(samples, "pki")
    known = {}
    for f in sorted(os.listdir(pki)):
        if f.endswith(".pem") and "chain" not in f:
            try:
                known[der_hash(os.path.join(pki, f))] = openssl_fields(os.path.join(pki, f))
            except (ValueError, AttributeError, subprocess.CalledProcessError):
                pass
    files = ["good-7001.pcap", "self-signed-2445.pcap", "legacy-3804.pcap",
             "old-ldaps-636.pcap", "unknown-ca-5061.pcap"]
    args = []
    for f in files:
        args += ["-r", os.path.join(samples, f)]
    rc, objs, err = run(binary, args + ["--json"])
    seen, wrong = 0, []
    for h in (o for o in objs if o["type"] == "handshake"):
        for c in h["server_certificates"] + h["client_certificates"]:
            if c["sha256"] in known:
                seen += 1
                got = (c["key_bits"], c["is_ca"], c["self_signed"])
                if got != known[c["sha256"]]:
                    wrong.append((c["subject"], got, known[c["sha256"]]))
    kinds = set(known[c] for c in known)
    case("key_bits, is_ca and self_signed as openssl x509 reads them (%d certificates)" % seen,
         seen >= 8 and not wrong and any(k[1] for k in kinds) and any(not k[1] for k in kinds),
         "%d seen, %s" % (seen, wrong))


def service_store_tests(binary, samples):
    """A store bound to one service of a device (ADDR:PORT=): the traversal
    zone (7001) and SIP TLS (5061) of one server, each client chain judged
    by the store of the port it was sent to, both ways round."""
    pki = os.path.join(samples, "pki")
    root, other = os.path.join(pki, "root.pem"), os.path.join(pki, "other-root.pem")
    files = ["-r", os.path.join(samples, "good-7001.pcap"),
             "-r", os.path.join(samples, "client-ca-not-accepted-5061.pcap")]
    srv = "198.51.100.20"

    def judged(args):
        rc, objs, err = run(binary, files + ["--json"] + args)
        return rc, {h["server"]["port"]: h for h in objs if h["type"] == "handshake"}, err

    rc, hs, err = judged(["--trust-file", srv + ":7001=" + root,
                          "--trust-file", srv + ":5061=" + other])
    case("ADDR:PORT= stores: each port's client chain by its own store",
         hs[7001]["client_chain_store"] == root and hs[5061]["client_chain_store"] == other
         and hs[7001]["client_chain_check"]["verified"] and
         hs[5061]["client_chain_check"]["verified"], str(hs)[:300])
    rc, hs, err = judged(["--trust-file", srv + ":5061=" + root,
                          "--trust-file", srv + ":7001=" + other])
    case("ADDR:PORT= stores swapped: each judged by the other store, and refused",
         hs[7001]["client_chain_store"] == other and hs[5061]["client_chain_store"] == root
         and not hs[7001]["client_chain_check"]["verified"] and
         "issuer-not-found" in [d["code"] for d in hs[5061]["diagnoses"]], str(hs)[:300])
    rc, hs, err = judged(["--trust-file", srv + "=" + root,
                          "--trust-file", srv + ":5061=" + other])
    case("the service's store before the device's, the device's for other ports",
         hs[7001]["client_chain_store"] == root and hs[5061]["client_chain_store"] == other,
         str(hs)[:300])
    rc, hs, err = judged(["--trust-file", "[2001:db8::1]:5061=" + root])
    case("[v6]:PORT= is a store of that service, named so when unused",
         rc != 2 and "[2001:db8::1]:5061 judged no chain" in err, err)
    for bad in ("cucm.example.com=" + root, srv + ":99999=" + root):
        rc, hs, err = judged(["--trust-file", bad])
        case("ADDR that is not an IP address is a usage error: " + bad.split("=")[0],
             rc == 2 and "not an IP address" in err and not hs, err)


def trust_input_tests(binary, samples, tmp):
    """A trust input without a certificate says what it holds and exits 2
    before a packet is read; an empty folder likewise; --at takes a date;
    an --expect-name no handshake used is named."""
    good = os.path.join(samples, "good-7001.pcap")
    key = os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-out", key], check=True, capture_output=True)
    subprocess.run(["openssl", "pkey", "-in", key, "-outform", "DER", "-out", key + ".der"],
                   check=True, capture_output=True)
    for form, out in (("PEM", "req.pem"), ("DER", "req.der")):
        subprocess.run(["openssl", "req", "-new", "-key", key, "-subj", "/CN=x", "-outform",
                        form, "-out", os.path.join(tmp, out)], check=True,
                       capture_output=True)
    text = os.path.join(tmp, "list.txt")
    open(text, "w").write("cucm-trust: see the OS admin page\n")
    for path, what in ((key, "a private key"), (key + ".der", "a private key in DER"),
                       (os.path.join(tmp, "req.pem"), "a certificate signing request"),
                       (os.path.join(tmp, "req.der"), "a certificate signing request"),
                       (text, "text")):
        rc, objs, err = run(binary, ["-r", good, "--json", "--trust-file", path])
        case("trust file of %s: says so, exit 2 before reading" % what,
             rc == 2 and not objs and path in err and "(" + what in err, err)
    empty = os.path.join(tmp, "empty-store")
    os.mkdir(empty)
    rc, objs, err = run(binary, ["-r", good, "--json", "--trust-dir", empty])
    case("an empty trust folder is a usage error that says so",
         rc == 2 and not objs and "empty" in err, err)
    _, a, _ = run(binary, ["-r", good, "--json", "--at", "2026-01-01"])
    _, b, _ = run(binary, ["-r", good, "--json", "--at", "2026-01-01T00:00:00Z"])
    case("--at DATE is midnight UTC", a and a == b, str(a)[:200])
    rc, objs, err = run(binary, ["-r", os.path.join(samples, "expect-name-7001.pcap"),
                                 "--json", "--expect-name", "192.0.2.99=x.example",
                                 "--expect-name", "198.51.100.20:7001=vcse.example.org"])
    case("an unused --expect-name is named on stderr, a used one is not",
         "--expect-name 192.0.2.99=x.example checked no certificate" in err and
         "vcse" not in err, err)


def fatal_tests(binary, samples, tmp):
    """A run that could open no input is its message and exit 2: no header,
    no all-zero summary, in the report or the NDJSON."""
    good = os.path.join(samples, "good-7001.pcap")
    missing = os.path.join(tmp, "no-such.pcap")
    for name, args in (("a missing only file", ["-r", missing]),
                       ("a bad filter", ["-r", good, "port", "99999x"]),
                       ("an interface that does not exist", ["-i", "certscope-no-if0"])):
        for mode in ([], ["--json"]):
            p = subprocess.run([binary, *mode, *args], capture_output=True)
            case("%s%s: the message alone, exit 2" % (name, " (--json)" if mode else ""),
                 p.returncode == 2 and p.stdout == b"" and
                 len(p.stderr.decode().strip().splitlines()) == 1,
                 (p.returncode, p.stdout[:200], p.stderr))
    p = subprocess.run([binary, "-r", missing, "-r", good], capture_output=True)
    case("a missing first file and a good one: the good one reported, exit 2",
         p.returncode == 2 and b"summary: 23 packets" in p.stdout, p.stdout[-300:])


def main():
    binary, samples = sys.argv[1], sys.argv[2]
    testlib.watch(binary)
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

    # One stray byte after the last packet: exit 2 still, and one line says
    # the whole file before it was read (its size is where the cut record
    # begins) and how many packets that is; the analysis equals the clean
    # file's.
    stray = os.path.join(tmp, "stray.pcap")
    open(stray, "wb").write(data + b"\x00")
    rc, objs, err = run(binary, ["-r", stray, "--json"])
    clean = [o for o in run(binary, ["-r", good, "--json"])[1] if o["type"] == "handshake"]
    lines = [l for l in err.splitlines() if stray in l]
    case("a stray byte after the last packet exits 2", rc == 2, "exit %d" % rc)
    case("a stray byte: one line says everything up to the cut was read",
         len(lines) == 1 and ("read up to byte %d" % len(data)) in lines[0] and
         ("the %d packets before it" % objs[-1]["packets"]) in lines[0], err)
    case("a stray byte: the same handshakes as the clean file",
         [dict(h, file=None) for h in objs if h["type"] == "handshake"] ==
         [dict(h, file=None) for h in clean], str(objs)[:300])

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
    root_pem = os.path.join(samples, "pki", "root.pem")
    rc, objs, err = run(binary, ["-r", "-", "--json", "--trust-file", root_pem], stdin=data)
    hs = [o for o in objs if o["type"] == "handshake"]
    rc2, objs2, _ = run(binary, ["-r", good, "--json", "--trust-file", root_pem])
    # the same handshake, but for the name of the input it came from
    case("-r - reads standard input",
         rc == 0 and [dict(h, file=None) for h in hs] == [dict(h, file=None) for h in objs2[:1]]
         and hs[0]["file"] == "-", "exit %d %s" % (rc, err))

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

    # --cap: a bad name or value is a usage error; a cap set is applied
    for bad in (["--cap", "no-such-cap=1"], ["--cap", "flows"], ["--cap", "flows=0"],
                ["--cap", "cert-size=1T"], ["--cap", "handshake-message=17M"]):
        rc, objs, err = run(binary, ["-r", good, *bad])
        case("--cap %s exits 2 with one line and a pointer to --help" % bad[1],
             rc == 2 and not objs and err.count("\n") == 2 and "--help" in err, err)
    rc, objs, err = run(binary, ["-r", good, "--json", "--cap", "cert-size=100"])
    sent = objs[0]["server_certificates"] + objs[0]["client_certificates"] if objs else []
    case("--cap cert-size=100: every certificate kept by fingerprint, none decoded, counted",
         [c["sha256"] for c in objs[0]["server_certificates"]] == expect["server_certificates"] and
         all(c["subject"] is None and c["parse_error"] for c in sent) and
         objs[-1]["certificates_over_size_cap"] == len(sent) == 5, str(objs[-1])[:400])
    rc, objs, err = run(binary, ["-r", good, "--json", "--cap", "chain-certs=1"])
    case("--cap chain-certs=1: one certificate kept of each chain, the rest counted",
         [c["sha256"] for c in objs[0]["server_certificates"]] == expect["server_certificates"][:1]
         and objs[-1]["certificates_over_cap"] == 5 - 2, str(objs[-1])[:400])

    # --at moves the verification time: ten years on, every certificate has expired.
    rc, objs, err = run(binary, ["-r", good, "--json", "--at", "2099-01-01T00:00:00Z"])
    codes = [d["code"] for d in objs[0]["diagnoses"]]
    case("--at 2099 finds every certificate expired", rc == 1 and codes.count("expired") == 5,
         str(codes))

    # A BPF filter that matches nothing leaves nothing to report.
    rc, objs, err = run(binary, ["-r", good, "--json", "port", "9"])
    case("BPF filter applies", rc == 0 and objs[-1]["handshakes"] == 0 and objs[-1]["packets"] == 0,
         str(objs[-1]))

    # PEM export: one file per distinct chain, named from the server and a
    # hash of the chain, never overwritten.
    out = os.path.join(tmp, "pem")
    rc, objs, err = run(binary, ["-r", good, "--json", "--export-pem", out])
    files = sorted(os.listdir(os.path.join(out, "chains")))
    case("export writes one file per chain", len(files) == 2, str(files))
    pattern = re.compile(r"^198\.51\.100\.20_7001_(server|client)_[0-9a-f]{12}\.pem$")
    case("export names come from the server, the side and a chain hash only",
         all(pattern.match(f) for f in files), str(files))
    for f in files:
        side = "server" if "_server_" in f else "client"
        path = os.path.join(out, "chains", f)
        got = pem_hashes(path)
        case("export %s chain in the order sent" % side, got == expect[side + "_certificates"],
             str(got))
        comments = [l for l in open(path) if l.startswith("#   SHA-256:")]
        case("export %s chain: a comment with the SHA-256 before each block" % side,
             [l.split()[-1] for l in comments] == got, str(comments))
    before = {f: open(os.path.join(out, "chains", f)).read() for f in files}
    rc, objs, err = run(binary, ["-r", good, "--json", "--export-pem", out])
    after = sorted(os.listdir(os.path.join(out, "chains")))
    case("export never overwrites, nor writes a chain twice",
         after == files and all(open(os.path.join(out, "chains", f)).read() == before[f]
                                for f in files), str(after))

    # The text report names the alert's sender and escapes nothing it should not.
    rc, _, err = run(binary, ["-r", os.path.join(samples, "unknown-ca-5061.pcap")])
    p = subprocess.run([binary, "-v", "-r", os.path.join(samples, "unknown-ca-5061.pcap")],
                       capture_output=True, text=True)
    case("report -v shows who sent the alert",
         "alert: client -> server  fatal unknown_ca (48)" in p.stdout and
         "ERROR" not in p.stdout and "error   alert-unknown-ca" in p.stdout, p.stdout[-800:])
    q = subprocess.run([binary, "-r", os.path.join(samples, "unknown-ca-5061.pcap")],
                       capture_output=True, text=True)
    case("the default report: the system store only informs, one error finding named by "
         "its cause, refused by the client, with its evidence and example frames",
         "for information only" in q.stdout.split("\n\n")[0] and
         "error   issuer-not-found  1 handshake, refused by the client" in q.stdout and
         "also seen: alert-unknown-ca" in q.stdout and "frames: first 1, ClientHello" in q.stdout
         and "alert: client -> server" not in q.stdout, q.stdout[-1500:])
    case("report has no colour when not on a terminal", "\033[" not in p.stdout)
    ladder = [l for l in q.stdout.splitlines() if l.startswith("    +")]
    case("a finding's example draws its ladder in ASCII off a terminal: the client's alert "
         "the last arrow, after the server's Certificate, marked as the refusal",
         len(ladder) >= 5 and "ClientHello" in ladder[0] and "->|" in ladder[0] and
         any("|<-" in l and "Certificate (" in l for l in ladder) and
         "Alert fatal unknown_ca" in [l for l in ladder if "from the" not in l][-1] and
         [l for l in ladder if "from the" not in l][-1].rstrip().endswith("->|  refusal"),
         q.stdout[-1500:])
    case("... on a UTF-8 terminal in box drawing",
         any("\u2502" in l and "\u25b6\u2502  refusal" in l for l in
             pty_run([binary, "-r", os.path.join(samples, "unknown-ca-5061.pcap")],
                     dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", NO_COLOR="1"))
             .splitlines()), "")

    trust_tests(binary, samples, tmp)
    service_store_tests(binary, samples)
    trust_input_tests(binary, samples, tmp)
    fatal_tests(binary, samples, tmp)
    tls13_tests(binary, samples)
    validity_tests(binary, samples)
    eku_tests(binary, samples)
    crossed_traversal_tests(binary, samples)
    finding_id_tests(binary, samples, tmp)
    tvs_tests(binary, samples)
    client_service_store_tests(binary, samples)
    wrap_tests(binary, samples)
    corpus_tests(binary, samples, tmp)
    exit_status_tests(binary, samples, tmp)
    finding_store_tests(binary, samples)
    certificate_field_tests(binary, samples)

    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    return testlib.status(not all(results))


if __name__ == "__main__":
    sys.exit(main())
