#!/usr/bin/env python3
"""A live port under load, inside a network namespace this test makes (a
veth pair, both ends inside: nothing leaves it).

tcpreplay sends a capture of a few thousand handshakes at full speed for
BURST seconds into one end, while four certscopes capture on the other with
the live view off (--no-ui --json -w FILE).  In the middle of the burst the
first gets SIGINT, the second SIGTERM, the third SIGHUP; each must exit
within a second with status 0 or 1, its NDJSON ending with findings and the
summary (the kernel's drop count in it, printed here), and its -w file a
valid capture (every record whole) that certscope reads again with the
handshakes it reported.  SIGHUP also leaves a note on standard error.  The
fourth writes -w to a small full tmpfs: it says so naming the file and the
error, carries on (its NDJSON has handshakes from after the disk filled),
ends on SIGINT with exit 2, and its -w file holds whole packets only.

usage: live_load.py CERTSCOPE GEN SAMPLES_DIR
Skips (77) without root, ip or tcpreplay; under CI, which runs as root with
them installed (.ci/run), that is a failure (testlib).
"""
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import testlib  # noqa: E402

BURST = 30
results = []


def case(name, ok, why=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(why)[:1500]))
    sys.stdout.flush()


def sh(*args, check=True):
    p = subprocess.run(args, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(args), p.stderr.strip()))
    return p


def pcap_records(path):
    """The records of a pcap file, or None when one is cut short."""
    data = open(path, "rb").read()
    if len(data) < 24:
        return None
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    off, n = 24, 0
    while off < len(data):
        if off + 16 > len(data):
            return None
        caplen = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        off += 16 + caplen
        if off > len(data):
            return None
        n += 1
    return n


def main():
    binary, gen, samples = (os.path.abspath(a) for a in sys.argv[1:4])
    missing = [t for t in ("ip", "tcpreplay", "mount") if not shutil.which(t)]
    if os.geteuid() != 0 or missing:
        # a user's run skips; CI, which may not skip, fails
        return testlib.skip("needs root, ip and tcpreplay (uid %d, missing %s)"
                            % (os.geteuid(), missing))
    tmp = tempfile.mkdtemp(prefix="certscope-live-load-")
    ns = "certscope-load-%d" % os.getpid()
    full = os.path.join(tmp, "full")
    os.mkdir(full)
    try:
        sh("ip", "netns", "add", ns)
        sh("ip", "-n", ns, "link", "add", "cs-send", "type", "veth", "peer", "name", "cs-cap")
        for dev in ("lo", "cs-send", "cs-cap"):
            sh("ip", "-n", ns, "link", "set", dev, "up")
        case("a namespace with a veth pair is made", True)
        p = sh("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", full, check=False)
        case("a small tmpfs is mounted", p.returncode == 0, p.stderr)
        return run(binary, gen, samples, tmp, ns, full)
    except RuntimeError as e:
        case("the namespace is set up", False, e)
        return 1
    finally:
        subprocess.run(["umount", full], capture_output=True)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)  # the -w files: hundreds of MB


def run(binary, gen, samples, tmp, ns, full):
    src = os.path.join(tmp, "samples")
    os.mkdir(src)
    for s in ("good-7001", "unknown-ca-5061", "missing-intermediate-443",
              "mtls-no-clientauth-7001"):
        os.symlink(os.path.join(samples, s + ".pcap"), os.path.join(src, s + ".pcap"))
    cap = os.path.join(tmp, "burst.pcap")
    sh(gen, "--samples", src, "--profile", "short", "--conns", "2000", "--seed", "3", "-o", cap)
    # the full disk for the fourth: a filler leaves 16 KiB
    with open(os.path.join(full, "filler"), "wb") as f:
        f.write(b"\0" * (240 * 1024))
    env = dict(os.environ, SOURCE_DATE_EPOCH="1790000000")
    trust = ["--trust-file", os.path.join(samples, "pki", "root.pem")]
    runs = []
    for label, wfile in (("SIGINT", "int.pcap"), ("SIGTERM", "term.pcap"),
                         ("SIGHUP", "hup.pcap"), ("full disk", os.path.join(full, "w.pcap"))):
        wpath = os.path.join(tmp, wfile)
        out = open(os.path.join(tmp, label + ".ndjson"), "wb")
        err = open(os.path.join(tmp, label + ".err"), "wb")
        p = subprocess.Popen(["ip", "netns", "exec", ns, binary, "-i", "cs-cap", "--no-ui",
                              "--json", "-w", wpath, *trust, "tcp"],
                             stdout=out, stderr=err, env=env)
        runs.append((label, p, wpath, out, err))
    time.sleep(1.5)  # each capture open
    replay = subprocess.Popen(["ip", "netns", "exec", ns, "tcpreplay", "-i", "cs-send",
                               "--topspeed", "--loop=0", "--duration=%d" % BURST, cap],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    start = time.monotonic()
    sigs = {"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM, "SIGHUP": signal.SIGHUP,
            "full disk": signal.SIGINT}
    at = {"SIGINT": BURST * 0.4, "SIGTERM": BURST * 0.5, "SIGHUP": BURST * 0.6,
          "full disk": BURST * 0.7}
    took = {}
    for label, p, wpath, out, err in runs:
        time.sleep(max(0, start + at[label] - time.monotonic()))
        case("%s: certscope still captures in the burst" % label, p.poll() is None,
             p.returncode)
        # the signal to certscope itself, not to ip netns exec (which waits)
        child = sh("pgrep", "-P", str(p.pid), check=False).stdout.split()
        target = int(child[0]) if child else p.pid
        t0 = time.monotonic()
        os.kill(target, sigs[label])
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        took[label] = time.monotonic() - t0
    rout, rerr = replay.communicate(timeout=BURST + 30)
    sent = [l.strip() for l in rout.splitlines() if "Actual:" in l or "Rated:" in l]
    print("     tcpreplay: " + "; ".join(sent))
    case("tcpreplay sent for the whole burst", replay.returncode == 0 and sent, rerr[-300:])
    for label, p, wpath, out, err in runs:
        out.close()
        err.close()
        check_run(binary, label, p.returncode, took[label], wpath,
                  open(out.name, "rb").read(), open(err.name).read(), trust, env)
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


def check_run(binary, label, rc, took, wpath, out, err, trust, env):
    try:
        objs = [json.loads(l) for l in out.decode().splitlines()]
    except ValueError as e:
        case("%s: NDJSON well formed" % label, False, e)
        return
    hs = [o for o in objs if o["type"] == "handshake"]
    findings = [o for o in objs if o["type"] == "finding"]
    summary = objs[-1] if objs and objs[-1]["type"] == "summary" else None
    want_rc = (2,) if label == "full disk" else (0, 1)
    case("%s: exits within a second (%.2f s), status %d" % (label, took, rc),
         took < 1.0 and rc in want_rc, (took, rc, err[-500:]))
    case("%s: handshakes, findings and the summary written (%d handshakes, %d findings)"
         % (label, len(hs), len(findings)), hs and findings and summary is not None,
         (len(hs), len(findings), out[-300:]))
    if summary:
        print("     %s: %d packets captured, %d dropped by the kernel"
              % (label, summary["packets"], summary["dropped"]))
        case("%s: the summary carries the drop count" % label,
             isinstance(summary.get("dropped"), int), summary)
    n = pcap_records(wpath) if os.path.exists(wpath) else None
    # on the full disk the first flush may already fail: a valid file of no
    # packet is then all it can hold (its header, cut back to)
    case("%s: -w wrote a valid capture (%s packets, every record whole)" % (label, n),
         n is not None and (n > 0 or label == "full disk"), wpath)
    if label == "SIGHUP":
        case("SIGHUP: a note on standard error says the capture ended there",
             "certscope: SIGHUP: the capture ended there" in err, err)
    if label == "full disk":
        case("full disk: -w's message names the file and the error",
             ("certscope: -w %s: No space left on device" % wpath) in err, err)
        case("full disk: the analysis went on after the disk filled",
             summary and n is not None and summary["packets"] > n * 2,
             (summary and summary["packets"], n))
        return
    if n:
        again = subprocess.run([binary, "-r", wpath, "--json", *trust], capture_output=True,
                               env=env)
        rh = [l for l in again.stdout.decode().splitlines() if '"type":"handshake"' in l]
        case("%s: certscope reads the -w file again (exit %d, %d handshakes of %d)"
             % (label, again.returncode, len(rh), len(hs)),
             again.returncode in (0, 1) and len(rh) > 0, again.stderr[-300:])


if __name__ == "__main__":
    sys.exit(main())
