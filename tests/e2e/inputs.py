#!/usr/bin/env python3
"""certscope's inputs and -D (CONTRACT.md, "Inputs"): gzip and zstd by content, tar
archives of captures, folders, trailing file names and captures one after
another on standard input each give the handshakes of the plain files.

usage: inputs.py CERTSCOPE SAMPLES_DIR
"""
import gzip
import io
import json
import os
import re
import resource
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402

results = []


def case(name, ok, why=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(why)[:600]))


def run(binary, args, stdin=None, cwd=None):
    p = subprocess.run([binary, "--json", *args], input=stdin, capture_output=True,
                       cwd=cwd)
    objs = [json.loads(l) for l in p.stdout.decode().splitlines() if l.startswith("{")]
    return p.returncode, objs, p.stderr.decode()


def handshakes(objs):
    return [o for o in objs if o.get("type") == "handshake"]


def bare(objs):
    """The handshakes without what names where they were read."""
    out = []
    for h in handshakes(objs):
        h = dict(h)
        h.pop("file", None)
        h.pop("frames", None)
        out.append(h)
    return out


def fingerprints(objs):
    return [[c["sha256"] for c in h["server_certificates"] + h["client_certificates"]]
            for h in handshakes(objs)]


def main():
    binary, samples = sys.argv[1], sys.argv[2]
    testlib.watch(binary)
    tmp = tempfile.mkdtemp(prefix="certscope-inputs-")
    try:
        a = os.path.join(tmp, "a.pcap")
        b = os.path.join(tmp, "b.pcap")
        shutil.copy(os.path.join(samples, "good-7001.pcap"), a)
        shutil.copy(os.path.join(samples, "unknown-ca-5061.pcap"), b)
        _, ra, _ = run(binary, ["-r", a])
        _, rb, _ = run(binary, ["-r", b])
        _, rab, _ = run(binary, ["-r", a, "-r", b])
        case("the plain files have handshakes", len(handshakes(ra)) == 1 and
             len(handshakes(rb)) == 1 and len(handshakes(rab)) == 2)

        # gzip, named as if it were not: content decides
        gz = os.path.join(tmp, "a-gzip.cap")
        with open(a, "rb") as f, gzip.open(gz, "wb") as g:
            g.write(f.read())
        rc, objs, err = run(binary, ["-r", gz])
        case("a gzip capture reads as the plain file",
             rc == 0 and bare(objs) == bare(ra) and fingerprints(objs) == fingerprints(ra),
             err)
        case("a gzip capture is named as given",
             [h["file"] for h in handshakes(objs)] == [gz] and
             handshakes(objs)[0]["frames"] == handshakes(ra)[0]["frames"])

        # pcapng compressed with zstd(1)
        ng = os.path.join(tmp, "b.pcapng")
        subprocess.run(["editcap", "-F", "pcapng", b, ng], check=True)
        subprocess.run(["zstd", "-q", "-f", ng, "-o", ng + ".zst"], check=True)
        _, rng, _ = run(binary, ["-r", ng])
        rc, objs, err = run(binary, ["-r", ng + ".zst"])
        case("a .pcapng.zst reads as the plain pcapng and pcap",
             rc == 1 and bare(objs) == bare(rng) and
             fingerprints(objs) == fingerprints(rb) and len(handshakes(objs)) == 1, err)

        # a tar.gz of two captures and a text file
        tgz = os.path.join(tmp, "bundle.tar.gz")
        with tarfile.open(tgz, "w:gz") as t:
            t.add(a, arcname="logs/a.pcap")
            info = tarfile.TarInfo("logs/notes.txt")
            text = b"not a capture\n"
            info.size = len(text)
            t.addfile(info, io.BytesIO(text))
            t.add(ng + ".zst", arcname="logs/b.pcapng.zst")
        # (compared with the files read in one run: an alert's time may
        # depend on what was read before it)
        _, rang, _ = run(binary, ["-r", a, "-r", ng])
        rc, objs, err = run(binary, ["-r", tgz])
        case("a tar.gz gives each capture member's handshakes in order",
             bare(objs) == bare(rang) and
             fingerprints(objs) == fingerprints(rab), err)
        case("members are named ARCHIVE:MEMBER",
             [h["file"] for h in handshakes(objs)] ==
             [tgz + ":logs/a.pcap", tgz + ":logs/b.pcapng.zst"],
             [h["file"] for h in handshakes(objs)])
        case("frame numbers restart at 1 in each member",
             [h["frames"] for h in handshakes(objs)] ==
             [h["frames"] for h in handshakes(ra) + handshakes(rng)])
        notes = [l for l in err.splitlines() if "notes.txt" in l]
        case("the text member is skipped with one note",
             len(notes) == 1 and "skipped" in notes[0] and
             len(err.strip().splitlines()) == 1, err)
        plain_tar = os.path.join(tmp, "bundle.tar")
        with tarfile.open(plain_tar, "w") as t:
            t.add(b, arcname="b.pcap")
        rc, objs, err = run(binary, ["-r", plain_tar])
        case("a plain tar is read too", bare(objs) == bare(rb), err)

        # a folder: every capture inside, in name order
        d = os.path.join(tmp, "folder")
        os.makedirs(os.path.join(d, "2-sub"))
        shutil.copy(b, os.path.join(d, "1-b.pcap"))
        shutil.copy(gz, os.path.join(d, "2-sub", "a.cap"))
        with open(os.path.join(d, "3-readme.txt"), "w") as f:
            f.write("hello\n")
        rc, objs, err = run(binary, ["-r", d])
        _, rba, _ = run(binary, ["-r", b, "-r", a])
        case("a folder reads every capture in name order",
             bare(objs) == bare(rba), err)
        case("a folder's files are named by their paths",
             [h["file"] for h in handshakes(objs)] ==
             [os.path.join(d, "1-b.pcap"), os.path.join(d, "2-sub", "a.cap")],
             [h["file"] for h in handshakes(objs)])
        case("a folder's text file is skipped with one note",
             err.count("3-readme.txt") == 1 and "skipped" in err, err)

        # -r a b c: trailing words that are all files
        _, rabg, _ = run(binary, ["-r", a, "-r", b, "-r", gz])
        rc, objs, err = run(binary, ["-r", a, b, gz])
        case("trailing file names are read as captures",
             len(handshakes(objs)) == 3 and bare(objs) == bare(rabg) and
             [h["file"] for h in handshakes(objs)] == [a, b, gz], err)
        case("trailing file names get a note, not a filter error",
             "not as a BPF filter" in err and "bad filter" not in err, err)
        rc, objs, err = run(binary, ["-r", a, b, "no-such-file"])
        case("a filter of words not all files is a filter, and says -r",
             rc == 2 and "bad filter" in err and "-r before each file" in err, err)

        # two captures concatenated on standard input
        with open(a, "rb") as f1, open(b, "rb") as f2:
            both = f1.read() + f2.read()
        rc, objs, err = run(binary, ["-r", "-"], stdin=both)
        case("two pcaps on standard input read one after the other",
             rc == 1 and bare(objs) == bare(rab) and
             [h["frames"] for h in handshakes(objs)] ==
             [h["frames"] for h in handshakes(rab)], err)
        with open(ng, "rb") as f1, open(a, "rb") as f2:
            mixed = f1.read() + f2.read()
        rc, objs, err = run(binary, ["-r", "-"], stdin=gzip.compress(mixed))
        _, rnga, _ = run(binary, ["-r", ng, "-r", a])
        case("gzip of a pcapng then a pcap on standard input",
             len(handshakes(objs)) == 2 and bare(objs) == bare(rnga), err)

        # errors name the file and what to do
        cut = os.path.join(tmp, "cut.pcap.gz")
        with open(gz, "rb") as f:
            data = f.read()
        with open(cut, "wb") as f:
            f.write(data[:len(data) // 2])
        rc, objs, err = run(binary, ["-r", cut])
        case("a gzip file cut short is an input error naming it and zcat",
             rc == 2 and cut in err and "zcat" in err, err)
        junk = os.path.join(tmp, "junk.bin")
        with open(junk, "wb") as f:
            f.write(b"\x00" * 1000)
        rc, objs, err = run(binary, ["-r", junk])
        case("a file that is no capture is an input error naming it",
             rc == 2 and junk in err and "not a capture" in err, err)
        rc, objs, err = run(binary, ["-r", os.path.join(tmp, "missing.pcap")])
        case("a missing file is an input error naming it and -r",
             rc == 2 and "missing.pcap" in err and "-r" in err, err)
        # a bomb: 256 MiB of packets inflate from about a megabyte; they
        # are streamed to libpcap, never held
        bomb = os.path.join(tmp, "bomb.pcap.gz")
        rec = struct.pack("<IIII", 1, 0, 65535, 65535) + b"\0" * 65535
        with gzip.open(bomb, "wb", compresslevel=1) as g:
            g.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
            for _ in range(4096):
                g.write(rec)
        # the largest child so far: certscope's runs, editcap and zstd
        p = subprocess.run([binary, "-q", "-r", bomb], capture_output=True)
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        case("256 MiB inflated from gzip are streamed in a fixed memory",
             p.returncode == 0 and "4096 packets" in p.stdout.decode() and rss < 60000,
             (p.returncode, rss))
        # -D: the interfaces, as tcpdump lists them
        p = subprocess.run([binary, "-D"], capture_output=True)
        lines = p.stdout.decode().splitlines()
        lo = [l for l in lines if re.match(r"\d+\.lo( |$)", l)]
        case("-D lists lo as tcpdump does, and exits 0",
             p.returncode == 0 and len(lo) == 1 and "Loopback" in lo[0] and
             all(re.match(r"\d+\.\S", l) for l in lines), p.stdout.decode())
    finally:
        shutil.rmtree(tmp)
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return testlib.status(failed)


if __name__ == "__main__":
    sys.exit(main())
