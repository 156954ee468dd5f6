#!/usr/bin/env python3
"""--export-pem and --ca-pool: distinct chains, completed chains that
verified, and the fix kits (CONTRACT.md, "Export"), checked with openssl
itself: each bundle holds exactly the CAs a device must add (by SHA-256),
verifies the chain as sent, holds no leaf and nothing expired; each README
names the device, its store and where to upload, and what no source held.

Usage: export.py CERTSCOPE SAMPLES_DIR
"""
import glob
import hashlib
import json
import os
import re
import shutil
import ssl
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


def run(binary, args, env=None):
    p = subprocess.run([binary] + args, capture_output=True, text=True, env=env)
    objs = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
    return p.returncode, objs, p.stdout, p.stderr


def blocks(path):
    text = open(path).read()
    return re.findall(r"-----BEGIN CERTIFICATE-----\n.*?-----END CERTIFICATE-----\n", text, re.S)


def hashes(path):
    return [hashlib.sha256(ssl.PEM_cert_to_DER_cert(b)).hexdigest() for b in blocks(path)]


def der_hash(path):
    return hashes(path)[0]


def write_blocks(path, bs):
    with open(path, "w") as f:
        f.write("".join(bs))


def openssl(*args):
    return subprocess.run(["openssl"] + list(args), capture_output=True, text=True)


def verifies(kit, chain_file, tmp):
    """openssl verify -CAfile kit/ca-bundle.pem -untrusted <intermediates
    sent> <leaf>, with the chain as exported to chains/."""
    bs = blocks(chain_file)
    leaf, inter = os.path.join(tmp, "leaf.pem"), os.path.join(tmp, "inter.pem")
    write_blocks(leaf, bs[:1])
    write_blocks(inter, bs[1:])
    args = ["verify", "-CAfile", os.path.join(kit, "ca-bundle.pem")]
    if len(bs) > 1:
        args += ["-untrusted", inter]
    p = openssl(*(args + [leaf]))
    return p.returncode == 0 and ": OK" in p.stdout, p.stdout + p.stderr


def bundle_is_clean(path, tmp):
    """No leaf and nothing expired: every certificate is a CA valid now."""
    bad = []
    for i, b in enumerate(blocks(path)):
        one = os.path.join(tmp, "one.pem")
        write_blocks(one, [b])
        text = openssl("x509", "-in", one, "-noout", "-text").stdout
        if "CA:TRUE" not in text or openssl("x509", "-in", one, "-noout",
                                            "-checkend", "0").returncode != 0:
            bad.append(i)
    return not bad, bad


def key_id(path):
    out = openssl("x509", "-in", path, "-noout", "-ext", "subjectKeyIdentifier").stdout
    return out.split("\n")[1].strip().lower()


def pool_case(binary, samples, tmp):
    """unknown_ca: the client's store lacks Other Root CA, and a pool holds it
    among unrelated CAs."""
    pki = os.path.join(samples, "pki")
    cap = os.path.join(samples, "unknown-ca-5061.pcap")
    store = ["--trust-file", os.path.join(pki, "root.pem")]
    pool = []
    for name in ("root", "old-root", "fake-root", "inter", "other-root", "short-root"):
        pool += ["--ca-pool", os.path.join(pki, name + ".pem")]
    out = os.path.join(tmp, "pool")
    rc, objs, _, err = run(binary, ["-r", cap, "--json", "--export-pem", out] + store + pool)
    kit = os.path.join(out, "fixes", "192.0.2.10_5061_client")
    other_root = der_hash(os.path.join(pki, "other-root.pem"))
    case("unknown_ca with a pool: exit 1, one kit, for the client",
         rc == 1 and os.listdir(os.path.join(out, "fixes")) == ["192.0.2.10_5061_client"],
         (rc, err, os.listdir(out)))
    bundle = os.path.join(kit, "ca-bundle.pem")
    case("the bundle holds exactly the missing root, from the pool",
         os.path.exists(bundle) and hashes(bundle) == [other_root],
         hashes(bundle) if os.path.exists(bundle) else os.listdir(kit))
    readme = open(os.path.join(kit, "README.txt")).read()
    flat = " ".join(readme.split())
    finding = [o for o in objs if o["type"] == "finding"][0]
    case("README: the client, its store by product name, where to upload, what it fixes",
         "the client connecting to servers on port 5061: 192.0.2.10" in readme and
         "Store:  CallManager-trust on CUCM" in readme and
         "Certificate Management > Upload Certificate/Certificate chain" in flat and
         "purpose CallManager-trust" in flat and
         "issuer-not-found (finding %s), 1 handshake" % finding["id"] in readme and
         "Peers:  198.51.100.20:5061" in readme and "Needed, and held by no" not in readme,
         readme)
    case("the finding's advice names the kit", finding["advice"].endswith(
        "are in %s/fixes/192.0.2.10_5061_client/." % out), finding["advice"])
    chain = glob.glob(os.path.join(out, "chains", "198.51.100.20_5061_server_*.pem"))
    ok, why = verifies(kit, chain[0], tmp) if len(chain) == 1 else (False, chain)
    case("openssl verify -CAfile ca-bundle.pem -untrusted <sent> <leaf>: OK", ok, why)
    clean, bad = bundle_is_clean(bundle, tmp)
    case("the bundle holds no leaf and nothing expired", clean, bad)
    case("a refused chain is not in completed/",
         not os.path.exists(os.path.join(out, "completed")) or
         not os.listdir(os.path.join(out, "completed")), os.listdir(out))

    # without the pool: the root is named as missing, by subject and key id
    out = os.path.join(tmp, "nopool")
    rc, objs, _, err = run(binary, ["-r", cap, "--export-pem", out] + store)
    kit = os.path.join(out, "fixes", "192.0.2.10_5061_client")
    readme = open(os.path.join(kit, "README.txt")).read()
    kid = key_id(os.path.join(pki, "other-root.pem"))
    case("without the pool: no bundle, the root named missing by subject and key id",
         not os.path.exists(os.path.join(kit, "ca-bundle.pem")) and
         "  - CN=Other Root CA,O=certscope samples\n    key id %s\n" % kid in readme and
         "needed by CN=Other Issuing CA,O=certscope samples" in readme, readme)

    # the same folder again, now with the pool: the earlier kit stays as it
    # was, this one takes the next name, and the advice names that one
    rc, objs, _, err = run(binary, ["-r", cap, "--json", "--export-pem", out] + store + pool)
    again = os.path.join(out, "fixes", "192.0.2.10_5061_client.1")
    advice = [o for o in objs if o["type"] == "finding"][0]["advice"]
    case("a second run into the folder: exit 1, the earlier kit untouched, the new one "
         "beside it, named in the advice",
         rc == 1 and "cannot write" not in err and
         not os.path.exists(os.path.join(kit, "ca-bundle.pem")) and
         open(os.path.join(kit, "README.txt")).read() == readme and
         hashes(os.path.join(again, "ca-bundle.pem")) == [other_root] and
         advice.endswith("%s/fixes/192.0.2.10_5061_client.1/." % out), (rc, err, advice))

    # a path on the command line is text too: escaped in the files it reaches
    odd = os.path.join(tmp, "pool\n-----BEGIN CERTIFICATE-----\nx")
    os.makedirs(odd)
    shutil.copy(os.path.join(pki, "other-root.pem"), odd)
    out = os.path.join(tmp, "odd")
    rc, objs, _, err = run(binary, ["-r", cap, "--export-pem", out, "--ca-pool", odd] + store)
    bundle = os.path.join(out, "fixes", "192.0.2.10_5061_client", "ca-bundle.pem")
    text = open(bundle).read() if os.path.exists(bundle) else ""
    case("a --ca-pool path with a newline is escaped in the bundle's comments, which "
         "openssl still reads",
         sum(1 for l in text.splitlines() if l.startswith("-----BEGIN")) == 1 and
         openssl("crl2pkcs7", "-nocrl", "-certfile", bundle).returncode == 0, text[:400])

    # a copy of the root expired "today" is left out, and said so
    out = os.path.join(tmp, "expired")
    env = dict(os.environ, SOURCE_DATE_EPOCH="2114380800")  # 2037-01-01
    rc, objs, _, err = run(binary, ["-r", cap, "--export-pem", out] + store + pool, env=env)
    kit = os.path.join(out, "fixes", "192.0.2.10_5061_client")
    readme = open(os.path.join(kit, "README.txt")).read()
    case("an expired CA never goes into a bundle: named missing, its copy said expired",
         not os.path.exists(os.path.join(kit, "ca-bundle.pem")) and
         "a copy (SHA-256 %s) was found but is expired today" % other_root in readme, readme)

    # the contract's exit statuses for the pool
    rc, objs, _, err = run(binary, ["-r", cap, "--json", "--ca-pool",
                                    os.path.join(samples, "trust-mixed", "README.txt")])
    case("exit 2: a --ca-pool without a certificate, nothing read",
         rc == 2 and not objs and "README.txt" in err, (rc, err))
    rc, objs, _, err = run(binary, ["-r", cap, "--json", "--ca-pool",
                                    os.path.join(pki, "other-root.pem")])
    h = objs[0]
    case("the pool never judges: the chain is still refused without it in a store",
         rc == 1 and not h["server_chain_check"]["verified"], h["server_chain_check"])


def intermediate_case(binary, samples, tmp):
    """A server leaves out its intermediate, which another handshake of the
    capture sent: the client's kit holds it (with the root from the store),
    and the server's kit says to send it."""
    pki = os.path.join(samples, "pki")
    out = os.path.join(tmp, "inter")
    rc, objs, _, err = run(binary, ["-r", os.path.join(samples, "good-7001.pcap"), "-r",
                                    os.path.join(samples, "missing-intermediate-443.pcap"),
                                    "--trust-file", os.path.join(pki, "root.pem"),
                                    "--export-pem", out])
    inter, root = der_hash(os.path.join(pki, "inter.pem")), der_hash(os.path.join(pki, "root.pem"))
    kits = sorted(os.listdir(os.path.join(out, "fixes")))
    case("two kits: the client's store, the server's chain",
         kits == ["192.0.2.10_443_client", "198.51.100.20_443_server_chain"], kits)
    client = os.path.join(out, "fixes", "192.0.2.10_443_client")
    server = os.path.join(out, "fixes", "198.51.100.20_443_server_chain")
    case("the client's bundle: the intermediate another handshake sent, then the root",
         hashes(os.path.join(client, "ca-bundle.pem")) == [inter, root],
         hashes(os.path.join(client, "ca-bundle.pem")))
    case("the server's kit: the intermediate to send",
         hashes(os.path.join(server, "intermediates.pem")) == [inter] and
         not os.path.exists(os.path.join(server, "ca-bundle.pem")), os.listdir(server))
    readme = open(os.path.join(client, "README.txt")).read()
    sreadme = open(os.path.join(server, "README.txt")).read()
    case("each README points at the other side's kit",
         "see ../198.51.100.20_443_server_chain/" in readme and
         "see ../192.0.2.10_443_client/" in sreadme and "from the capture" in readme, readme)
    chain = glob.glob(os.path.join(out, "chains", "198.51.100.20_443_server_*.pem"))
    ok, why = verifies(client, chain[0], tmp) if len(chain) == 1 else (False, chain)
    case("openssl verify with the client's bundle: OK", ok, why)
    clean, bad = bundle_is_clean(os.path.join(client, "ca-bundle.pem"), tmp)
    case("the client's bundle holds no leaf and nothing expired", clean, bad)
    comp = sorted(os.listdir(os.path.join(out, "completed")))
    case("completed/: only the two chains that verified (7001's), same names as chains/",
         len(comp) == 2 and all("_7001_" in c for c in comp) and
         set(comp) <= set(os.listdir(os.path.join(out, "chains"))), comp)


def folder_cases(binary, samples, tmp):
    good = os.path.join(samples, "good-7001.pcap")
    ro = os.path.join(tmp, "read-only")
    os.mkdir(ro)
    mounted = False
    if os.geteuid() == 0:
        # root writes anywhere permissions allow: a read-only file system
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", ro],
                                 capture_output=True).returncode == 0
        if not mounted:
            case("a read-only folder can be made for the test (mount)", False)
            return
    else:
        os.chmod(ro, 0o555)
    try:
        rc, objs, stdout, err = run(binary, ["-r", good, "--json", "--export-pem", ro])
        case("exit 2: a read-only export folder, refused before reading",
             rc == 2 and not objs and ("--export-pem %s: " % ro) in err and
             ("Read-only file system" in err or "Permission denied" in err), (rc, err))
    finally:
        if mounted:
            subprocess.run(["umount", ro])


def dropped_user_cases(binary, tmp):
    """Live as root, certscope runs as another user once the capture is
    open: the export folder must be that user's to write."""
    if os.geteuid() != 0:
        testlib.skip_part("the export folder of a live capture as root: not root")
        return
    theirs = os.path.join(tmp, "live-new")
    p = subprocess.Popen([binary, "-i", "lo", "--no-ui", "--json", "--export-pem", theirs,
                          "port", "9"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    line = p.stderr.readline()
    p.terminate()
    err = line + p.communicate(timeout=10)[1]
    user = re.search(r"running as user (\S+)", err)
    import pwd
    owner = pwd.getpwuid(os.stat(theirs).st_uid).pw_name if os.path.isdir(theirs) else None
    case("live as root: the export folder it made is the dropped user's",
         user and owner == user.group(1), (err, owner))
    rootonly = os.path.join(tmp, "live-root-only")
    os.mkdir(rootonly, 0o755)
    rc, objs, _, err = run(binary, ["-i", "lo", "--no-ui", "--json", "--export-pem", rootonly])
    case("live as root: a folder the dropped user cannot write is refused, exit 2, "
         "before the capture opens",
         rc == 2 and "whom certscope runs as once the capture is open" in err and
         "capture open" not in err, (rc, err))


def main():
    binary, samples = sys.argv[1], os.path.abspath(sys.argv[2])
    testlib.watch(binary)
    tmp = tempfile.mkdtemp(prefix="certscope-export-")
    try:
        pool_case(binary, samples, tmp)
        intermediate_case(binary, samples, tmp)
        folder_cases(binary, samples, tmp)
        dropped_user_cases(binary, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return testlib.status(failed)


sys.exit(main())
