#!/usr/bin/env python3
"""A full disk: standard output and --export-pem on a small tmpfs this test
mounts and fills (ENOSPC); and a closed pipe.  -w on a full disk is in
live_load.py, where a live capture runs.

  - standard output (NDJSON) to the full disk, --export-pem to another:
    exit 2, one message naming standard output and "No space left on
    device", and the export complete (the same files as a run with room);
  - --export-pem to the full disk, NDJSON to another: exit 2, a message
    naming the path and the error, every PEM file left complete (each
    BEGIN has its END and openssl reads every block; a file cut short is
    removed), and the NDJSON the same as a run with room;
  - certscope -r big.pcap --json | head -1 (and the report with -v): it
    ends at once (within half a second of head, and in under half the time
    of the whole run), by SIGPIPE, with nothing on standard error.

usage: full_disk.py CERTSCOPE GEN SAMPLES_DIR
Skips (77) when not root, and fails there under CI (testlib), which runs as
root; fails where root cannot mount the tmpfs.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import testlib  # noqa: E402

results = []


def case(name, ok, why=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(why)[:1500]))


def mount_small(where, size="512k"):
    os.makedirs(where, exist_ok=True)
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s,mode=0777" % size, "tmpfs",
                        where], capture_output=True, text=True)
    return p.returncode == 0, p.stderr.strip()


def fill(where, leave):
    """Fills the file system at where until ENOSPC, then frees leave bytes."""
    path = os.path.join(where, "filler")
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass
    size = os.path.getsize(path)
    os.truncate(path, max(0, size - leave))


def pem_files(top):
    out = {}
    for d, _, files in os.walk(top):
        for f in files:
            p = os.path.join(d, f)
            out[os.path.relpath(p, top)] = open(p, "rb").read()
    return out


def pem_whole(data):
    """True when every BEGIN CERTIFICATE block ends and openssl reads each."""
    text = data.decode(errors="replace")
    begins = text.count("-----BEGIN CERTIFICATE-----")
    ends = text.count("-----END CERTIFICATE-----")
    if begins == 0 or begins != ends or not text.rstrip().endswith("-----END CERTIFICATE-----"):
        return False
    for block in text.split("-----BEGIN CERTIFICATE-----")[1:]:
        pem = "-----BEGIN CERTIFICATE-----" + block.split("-----END CERTIFICATE-----")[0] + \
            "-----END CERTIFICATE-----\n"
        p = subprocess.run(["openssl", "x509", "-noout"], input=pem.encode(),
                           capture_output=True)
        if p.returncode != 0:
            return False
    return True


def closed_pipe(binary, gen, src, tmp, env):
    """certscope -r big.pcap --json | head -1: certscope ends at once, by
    SIGPIPE (the shell's 141), saying nothing."""
    big = os.path.join(tmp, "big.pcap")
    subprocess.run([gen, "--samples", src, "--profile", "short", "--conns", "20000",
                    "--seed", "5", "-o", big], capture_output=True, check=True)
    t0 = time.monotonic()
    whole = subprocess.run([binary, "-r", big, "--json"], capture_output=True, env=env)
    t_whole = time.monotonic() - t0
    for label, args in (("--json", ["--json"]), ("the report, -v", ["-v"])):
        t0 = time.monotonic()
        cs = subprocess.Popen([binary, "-r", big, *args], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env)
        head = subprocess.Popen(["head", "-1"], stdin=cs.stdout, stdout=subprocess.PIPE)
        cs.stdout.close()
        first = head.communicate()[0]
        t_head = time.monotonic()
        err = cs.stderr.read().decode()
        rc = cs.wait()
        t_end = time.monotonic()
        case("closed pipe (%s): head got its line" % label, len(first) > 10, first)
        case("closed pipe (%s): certscope ends by SIGPIPE, as documented" % label,
             rc == -signal.SIGPIPE, rc)
        case("closed pipe (%s): nothing on standard error" % label, err == "", err)
        case("closed pipe (%s): it ends at once: %.2f s after head, the whole run "
             "%.2f s" % (label, t_end - t_head, t_whole),
             t_end - t_head < 0.5 and t_end - t0 < t_whole / 2 + 0.5,
             (t_end - t_head, t_whole))
    case("closed pipe: the whole run made NDJSON of every handshake",
         whole.returncode in (0, 1) and whole.stdout.count(b"\n") > 10000,
         (whole.returncode, whole.stdout.count(b"\n")))


def main():
    binary, gen, samples = (os.path.abspath(a) for a in sys.argv[1:4])
    if os.geteuid() != 0:
        # a user's run skips; CI, which may not skip, fails
        return testlib.skip("mounting a small tmpfs needs root")
    tmp = tempfile.mkdtemp(prefix="certscope-full-disk-")
    full = os.path.join(tmp, "full")
    ok, why = mount_small(full)
    case("a small tmpfs is mounted (as root)", ok, why)
    if not ok:
        return 1
    try:
        return run(binary, gen, samples, tmp, full)
    finally:
        subprocess.run(["umount", full])
        shutil.rmtree(tmp, ignore_errors=True)


def run(binary, gen, samples, tmp, full):
    # a capture of a few hundred handshakes: NDJSON and chains well over
    # what the full disk has left
    src = os.path.join(tmp, "samples")
    os.mkdir(src)
    for s in ("good-7001", "unknown-ca-5061", "missing-intermediate-443",
              "mtls-no-clientauth-7001", "expired-2445", "name-mismatch-443"):
        os.symlink(os.path.join(samples, s + ".pcap"), os.path.join(src, s + ".pcap"))
    cap = os.path.join(tmp, "many.pcap")
    p = subprocess.run([gen, "--samples", src, "--profile", "short", "--conns", "400",
                        "--seed", "11", "-o", cap], capture_output=True, text=True)
    case("the generator wrote the capture", p.returncode == 0, p.stderr)
    args = ["-r", cap, "--json", "--trust-file", os.path.join(samples, "pki", "root.pem")]
    env = dict(os.environ, SOURCE_DATE_EPOCH="1790000000")

    # a run with room: what a full disk must not change elsewhere
    # (the folder is given by the same relative name each time: the advice
    # names it)
    room = os.path.join(tmp, "room")
    os.mkdir(room)
    base = subprocess.run([binary, *args, "--export-pem", "export"], capture_output=True,
                          env=env, cwd=room)
    base_files = pem_files(os.path.join(room, "export"))
    case("a run with room exports files and writes NDJSON",
         base.returncode in (0, 1) and len(base_files) > 6 and len(base.stdout) > 20000,
         (base.returncode, len(base_files), len(base.stdout), base.stderr[-300:]))
    base_lines = [l for l in base.stdout.decode().splitlines()]

    # standard output on the full disk; the export elsewhere
    fill(full, 8192)
    other = os.path.join(tmp, "other")
    out_path = os.path.join(full, "out.ndjson")
    with open(out_path, "wb") as out:
        p = subprocess.run([binary, *args, "--export-pem", other], stdout=out,
                           stderr=subprocess.PIPE, env=env, timeout=120)
    err = p.stderr.decode()
    case("stdout on a full disk: exit 2", p.returncode == 2, (p.returncode, err))
    case("stdout on a full disk: one message naming standard output and the error",
         err.count("certscope: standard output: No space left on device") == 1, err)
    case("stdout on a full disk: the export elsewhere is complete",
         pem_files(other) == base_files, sorted(set(base_files) ^ set(pem_files(other)))[:5])
    written = open(out_path, "rb").read()
    case("stdout on a full disk: what was written is the start of the NDJSON",
         0 < len(written) < len(base.stdout) and base.stdout.startswith(written),
         (len(written), len(base.stdout)))
    os.unlink(out_path)
    os.unlink(os.path.join(full, "filler"))

    # the export on the full disk; the NDJSON elsewhere
    fill(full, 16384)
    exp = os.path.join(full, "export")
    p = subprocess.run([binary, *args, "--export-pem", "export"], capture_output=True,
                       env=env, timeout=120, cwd=full)
    exp = "export"
    got = pem_files(os.path.join(full, exp))
    err = p.stderr.decode()
    case("export on a full disk: exit 2", p.returncode == 2, (p.returncode, err))
    case("export on a full disk: a message names a file and the error",
         ("cannot write %s/" % exp) in err and "No space left on device" in err, err)
    case("export on a full disk: one line at the end counts the files not written",
         err.count("certscope: --export-pem %s: " % exp) == 1 and " not written (No space"
         in err, err)
    case("export on a full disk: no more than one message a file, and few",
         len(err.splitlines()) <= 4, err)
    pems = {k: v for k, v in got.items() if k.endswith(".pem")}
    bad = [k for k, v in pems.items() if not pem_whole(v)]
    case("export on a full disk: every PEM file left is whole (%d of %d written)"
         % (len(pems), sum(1 for k in base_files if k.endswith(".pem"))),
         not bad and len(pems) < len(base_files), bad[:5])
    same = [k for k in pems if base_files.get(k) == pems[k]]
    case("export on a full disk: each file left is the one a run with room writes",
         len(same) == len(pems), sorted(set(pems) - set(same))[:5])
    lines = p.stdout.decode().splitlines()
    def comparable(ls):
        """Every object but the summary; a finding without its advice,
        which names only the fix kits that were written."""
        out = []
        for l in ls:
            o = json.loads(l)
            if o["type"] == "summary":
                continue
            if o["type"] == "finding":
                o.pop("advice")
            out.append(o)
        return out
    case("export on a full disk: the NDJSON on another disk is complete",
         comparable(lines) == comparable(base_lines) and len(lines) == len(base_lines),
         (len(lines), len(base_lines)))
    unwritten = [json.loads(l)["advice"] for l in lines if '"type":"finding"' in l]
    kits = os.listdir(os.path.join(full, exp, "fixes")) if os.path.isdir(
        os.path.join(full, exp, "fixes")) else []
    case("export on a full disk: a finding's advice names no fix kit that is not on the disk",
         all(("/fixes/%s/" % k) in a for a in unwritten for k in re.findall(
             r"/fixes/([^/]+)/", a)) and
         all(k in kits for a in unwritten for k in re.findall(r"/fixes/([^/]+)/", a)),
         (kits, unwritten))

    os.unlink(os.path.join(full, "filler"))
    closed_pipe(binary, gen, src, tmp, env)
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
