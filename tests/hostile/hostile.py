#!/usr/bin/env python3
"""certscope against hostile input: captures cut short or corrupted, TLS
lengths at and past their limits, huge chains and certificates, TCP segments
that disagree, certificate text made to attack a terminal or a file system,
trust folders made to hang a loader, export folders full of links, and a
million SYNs.

usage: hostile.py CERTSCOPE SAMPLES_DIR

Every capture is written here by a small pcap/pcapng writer; certificates
are made with the openssl command.  Each case prints "ok", "FAIL" (with why)
or "xfail" (a known bug, named in KNOWN below with where its fix is
described); the last line is "N passed, M failed" and the exit status is 1
on any failure.  Measurements (peak memory of a million SYNs) are printed,
not asserted.
"""
import concurrent.futures
import hashlib
import json
import os
import re
import resource
import shutil
import socket
import ssl
import stat
import struct
import subprocess
import sys
import tempfile
import time

# Cases that fail on a bug outside this test's reach, with the fix wanted.
# A known case that passes is reported as "XPASS": take it out of here.
KNOWN = {}

CERTSCOPE = None
SAMPLES = None
TMP = None
BASELINE_KIB = 0  # peak RSS of certscope on one small sample
results = {"pass": 0, "fail": 0}


def case(name, ok, why=""):
    if name in KNOWN:
        if ok:
            print("XPASS " + name + ": the known bug is fixed; remove it from KNOWN")
            results["pass"] += 1
        else:
            print("xfail " + name + " (known: " + KNOWN[name] + ")" +
                  (": " + str(why)[:300] if why else ""))
        return ok
    results["pass" if ok else "fail"] += 1
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(why)[:2000]))
    return ok


# ---- running certscope -------------------------------------------------------

class Run:
    """One run: exit status, stdout bytes, stderr text, peak RSS (KiB), seconds."""

    def __init__(self, rc, out, err, maxrss, secs):
        self.rc, self.out, self.err, self.maxrss, self.secs = rc, out, err, maxrss, secs

    def objs(self):
        return [json.loads(l) for l in self.out.decode("ascii").splitlines()]

    def handshakes(self):
        return [o for o in self.objs() if o["type"] == "handshake"]

    def summary(self):
        objs = self.objs()
        return objs[-1] if objs and objs[-1]["type"] == "summary" else None

    def crashed(self):
        # a signal, or a sanitizer's exit status: certscope's are 0, 1, 2
        return self.rc not in (0, 1, 2)


def run(args, timeout=120, limit_as=None, cwd=None, measure=False):
    """Runs certscope; its peak RSS comes from wait4(), so no time(1) needed.
    measure: without MALLOC_PERTURB_ (meson test sets it), which fills
    every allocation and so makes memory never touched count as used."""
    env = dict(os.environ)
    if measure:
        env.pop("MALLOC_PERTURB_", None)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        def limits():
            if limit_as:
                resource.setrlimit(resource.RLIMIT_AS, (limit_as, limit_as))
        start = time.monotonic()
        p = subprocess.Popen([CERTSCOPE, *args], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                             preexec_fn=limits, cwd=cwd, env=env)
        deadline = start + timeout
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                status = -1
                break
            time.sleep(0.005)
        secs = time.monotonic() - start
        p.returncode = 0  # reaped by wait4
        rc = -1 if status == -1 else (os.waitstatus_to_exitcode(status))
        out.seek(0)
        err.seek(0)
        return Run(rc, out.read(), err.read().decode("utf-8", "replace"), ru.ru_maxrss, secs)


def sanitized():
    """AddressSanitizer reserves terabytes of address space: no RLIMIT_AS."""
    with open(CERTSCOPE, "rb") as f:
        return b"__asan_init" in f.read()


def json_ok(r):
    """Every line valid JSON of printable ASCII, the last a summary."""
    try:
        if any(b < 0x20 and b != 0x0A or b >= 0x7F for b in r.out):
            return False
        return r.summary() is not None
    except (ValueError, UnicodeDecodeError):
        return False


def report_ok(out):
    """No control character but newline, nothing outside ASCII but the tree."""
    text = out
    for ch in ("├─".encode(), "└─".encode(), "│".encode()):
        text = text.replace(ch, b"")
    return not any(b < 0x20 and b != 0x0A or b >= 0x7F for b in text)


# ---- writing captures --------------------------------------------------------

def pcap_file(packets, linktype=1, snaplen=262144):
    """packets: [(ts_float, frame)] or [(ts_float, frame, orig_len)]."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)]
    for p in packets:
        ts, frame = p[0], p[1]
        orig = p[2] if len(p) > 2 else len(frame)
        sec = int(ts)
        out.append(struct.pack("<IIII", sec, int(round((ts - sec) * 1e6)), len(frame), orig))
        out.append(frame)
    return b"".join(out)


def pcapng_block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def pcapng_file(packets, linktype=1):
    out = [pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)),
           pcapng_block(1, struct.pack("<HHI", linktype, 0, 262144))]
    for ts, frame in packets:
        t = int(ts * 1e6)
        out.append(pcapng_block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(frame),
                                                len(frame)) + frame))
    return b"".join(out)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def frame(src, dst, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4,
                      flags, 65535, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + tcp


class Conn:
    """One TCP connection; send() frames bytes from a side (0 client, 1 server)."""

    def __init__(self, packets, client=("192.0.2.10", 51000), server=("198.51.100.20", 443),
                 t0=1795460000.0, isn=(0xFFFFF000, 0x10000000)):
        self.pk, self.ep, self.t = packets, (client, server), t0
        self.isn = list(isn)
        self.nxt = [isn[0] + 1, isn[1] + 1]

    def _emit(self, d, seq, flags, payload=b"", ack=True):
        self.t += 0.0001
        a, b = self.ep[d], self.ep[1 - d]
        self.pk.append((self.t, frame(a[0], b[0], a[1], b[1], seq,
                                      self.nxt[1 - d] if ack else 0, flags, payload)))

    def open(self):
        self._emit(0, self.isn[0], SYN, ack=False)
        self._emit(1, self.isn[1], SYN | ACK)
        self._emit(0, self.nxt[0], ACK)
        return self

    def send(self, d, data, mss=1400):
        for i in range(0, len(data), mss):
            chunk = data[i:i + mss]
            self._emit(d, self.nxt[d], PSH | ACK, chunk)
            self.nxt[d] += len(chunk)

    def raw(self, d, seq_off, data):
        """Bytes at next + seq_off, without moving next (reordering, overlaps)."""
        self._emit(d, self.nxt[d] + seq_off, PSH | ACK, data)

    def advance(self, d, n):
        self.nxt[d] += n

    def close(self):
        self._emit(0, self.nxt[0], FIN | ACK)
        self.nxt[0] += 1
        self._emit(1, self.nxt[1], FIN | ACK)
        self.nxt[1] += 1
        self._emit(0, self.nxt[0], ACK)


# ---- TLS messages ------------------------------------------------------------

def record(ctype, body, version=0x0303):
    return struct.pack("!BHH", ctype, version, len(body)) + body


def hs(mtype, body):
    return struct.pack("!B", mtype) + len(body).to_bytes(3, "big") + body


def client_hello(sni=b"ok.example"):
    ext = b""
    if sni is not None:
        name = b"\0" + struct.pack("!H", len(sni)) + sni
        lst = struct.pack("!H", len(name)) + name
        ext += struct.pack("!HH", 0, len(lst)) + lst
    body = (struct.pack("!H", 0x0303) + b"\x11" * 32 + b"\0" + struct.pack("!H", 4) +
            b"\xc0\x30\xc0\x2f" + b"\x01\x00" + struct.pack("!H", len(ext)) + ext)
    return hs(1, body)


def server_hello():
    return hs(2, struct.pack("!H", 0x0303) + b"\x22" * 32 + b"\0" + b"\xc0\x30" + b"\0")


def certificate(ders):
    lst = b"".join(len(d).to_bytes(3, "big") + d for d in ders)
    return hs(11, len(lst).to_bytes(3, "big") + lst)


def server_hello_done():
    return hs(14, b"")


def alert(level, code):
    return record(21, bytes([level, code]))


def handshake_capture(server_ders, sni=b"ok.example", port=443, extra=None):
    """A full TLS 1.2 handshake up to the server's certificate and a fatal
    bad_certificate alert from the client."""
    pk = []
    c = Conn(pk, server=("198.51.100.20", port)).open()
    c.send(0, record(22, client_hello(sni)))
    flight = server_hello() + certificate(server_ders) + server_hello_done()
    recs = b"".join(record(22, flight[i:i + 16384]) for i in range(0, len(flight), 16384))
    c.send(1, recs)
    if extra:
        extra(c)
    c.send(0, alert(2, 42))
    c.close()
    return pcap_file(pk)


def write(name, data):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


# ---- certificates ------------------------------------------------------------

def openssl_cert(name, subj, san=None, key="ec", dns_names=()):
    """A self-signed certificate; dns_names go through a configuration file,
    as one argument may not exceed 128 KiB."""
    d = os.path.join(TMP, "certs")
    os.makedirs(d, exist_ok=True)
    keyf, pem = os.path.join(d, name + ".key"), os.path.join(d, name + ".pem")
    args = ["openssl", "req", "-x509", "-nodes", "-keyout", keyf, "-out", pem, "-days", "3650",
            "-utf8", "-subj", subj]
    args += (["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"] if key == "ec"
             else ["-newkey", "rsa:2048"])
    if san:
        args += ["-addext", "subjectAltName=" + san]
    if dns_names:
        conf = os.path.join(d, name + ".cnf")
        with open(conf, "w") as f:
            f.write("[req]\ndistinguished_name = dn\n[dn]\n[ext]\nsubjectAltName = @alt\n[alt]\n")
            f.writelines("DNS.%d = %s\n" % (i + 1, n) for i, n in enumerate(dns_names))
        args += ["-config", conf, "-extensions", "ext"]
    p = subprocess.run(args, capture_output=True)
    if p.returncode:
        raise RuntimeError("openssl: " + p.stderr.decode(errors="replace"))
    return ssl.PEM_cert_to_DER_cert(open(pem).read())


def pki_ders(name):
    text = open(os.path.join(SAMPLES, "pki", name)).read()
    return [ssl.PEM_cert_to_DER_cert(b + "-----END CERTIFICATE-----\n")
            for b in text.split("-----END CERTIFICATE-----\n") if b.strip()]


# ---- the cases ---------------------------------------------------------------

def read_pcap_records(path):
    """[(offset_of_record, end_offset, frame)] of a classic pcap file."""
    data = open(path, "rb").read()
    e = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    linktype = struct.unpack(e + "I", data[20:24])[0]
    off, out = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        out.append((off, off + 16 + incl, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return linktype, out


def ports_of(linktype, frame):
    """The two TCP ports of an Ethernet/IPv4 frame, or None."""
    if linktype != 1 or len(frame) < 54 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return None
    ihl = (frame[14] & 15) * 4
    return struct.unpack("!HH", frame[14 + ihl:18 + ihl])


def truncation():
    """Every sample cut at many offsets: no crash, exit 2 unless the cut falls
    between two packets, and every handshake whose packets all came before
    the cut reported as in the whole file."""
    samples, seen = [], set()
    for f in sorted(os.listdir(SAMPLES)):
        if f.endswith(".pcap"):
            digest = hashlib.sha256(open(os.path.join(SAMPLES, f), "rb").read()).digest()
            if digest not in seen:  # several samples share one capture
                seen.add(digest)
                samples.append(f)
    jobs = []
    full = {}
    for f in samples:
        path = os.path.join(SAMPLES, f)
        data = open(path, "rb").read()
        linktype, recs = read_pcap_records(path)
        r = run(["-r", path, "--json", "-q"])
        full[f] = (r, linktype, recs)
        bounds = {24} | {e for _, e, _ in recs}
        # the file header, eight points across, and both sides of a few
        # packet boundaries (a cut there is a shorter, valid file)
        offsets = {0, 23, 24, 31}
        offsets |= {len(data) * k // 9 for k in range(1, 9)}
        for _, e, _ in recs[len(recs) // 3::max(1, len(recs) // 2)]:
            offsets |= {e - 1, e, e + 7}
        for o in sorted(x for x in offsets if 0 <= x < len(data)):
            jobs.append((f, o, o in bounds))
    bad = []

    def one(job):
        f, o, at_boundary = job
        cut = write("cut-%s-%d.pcap" % (f, o), open(os.path.join(SAMPLES, f), "rb").read()[:o])
        r = run(["-r", cut, "--json", "-q"])
        os.unlink(cut)
        return job, r

    workers = max(2, os.cpu_count() or 2)
    with concurrent.futures.ThreadPoolExecutor(workers) as ex:
        for (f, o, at_boundary), r in ex.map(one, jobs):
            name = "%s cut at %d" % (f, o)
            if r.crashed():
                bad.append("%s: exit %d %s" % (name, r.rc, r.err[-300:]))
                continue
            want = {0, 1} if at_boundary else {2}
            if r.rc not in want:
                bad.append("%s: exit %d, expected %s" % (name, r.rc, sorted(want)))
                continue
            if o >= 24 and not json_ok(r):
                bad.append("%s: output is not NDJSON" % name)
                continue
            if o < 24:
                continue
            whole, linktype, recs = full[f]
            got = {(h["client"]["port"], h["server"]["port"]): h for h in r.handshakes()}
            for h in whole.handshakes():
                key = (h["client"]["port"], h["server"]["port"])
                ends = [e for _, e, fr in recs if ports_of(linktype, fr) in (key, key[::-1])]
                if not ends or max(ends) > o:
                    continue
                g = got.get(key)
                if not g or [c["sha256"] for c in g["server_certificates"]] != \
                        [c["sha256"] for c in h["server_certificates"]] or \
                        g["outcome"] != h["outcome"]:
                    bad.append("%s: the handshake %s, whole before the cut, is not reported "
                               "as in the whole file" % (name, key))
    case("%d samples cut at %d offsets: no crash, exit 2, earlier handshakes kept"
         % (len(samples), len(jobs)), not bad, "; ".join(bad[:5]))


def corrupt_headers():
    good = open(os.path.join(SAMPLES, "good-7001.pcap"), "rb").read()
    hdr, body = good[:24], good[24:]
    first_len = struct.unpack("<I", body[8:12])[0]
    pkt = body[16:16 + first_len]
    cases = {
        "pcap: bad magic": b"\xde\xad\xbe\xef" + good[4:],
        "pcap: version 9.9": good[:4] + struct.pack("<HH", 9, 9) + good[8:],
        "pcap: snaplen 0": good[:16] + struct.pack("<I", 0) + good[20:],
        "pcap: snaplen 2^32-1": good[:16] + struct.pack("<I", 0xFFFFFFFF) + good[20:],
        "pcap: link type 65000": good[:20] + struct.pack("<I", 65000) + good[24:],
        "pcap: record caplen 2^31": hdr + body[:8] + struct.pack("<II", 0x7FFFFFFF, 60) + body[16:],
        "pcap: record caplen > orig len": hdr + body[:8] + struct.pack("<II", first_len, 1) +
        body[16:],
        "pcap: record usec 2^32-1": hdr + body[:4] + struct.pack("<I", 0xFFFFFFFF) + body[8:],
        "pcap: header only": hdr,
        "pcap: 23 bytes": hdr[:23],
        "pcap: zero-length records": hdr + struct.pack("<IIII", 1, 0, 0, 0) * 50 + body,
        "pcap: IPv4 IHL 15 in a short packet": pcap_file([(1.0, pkt[:14] + b"\x4f" + pkt[15:34])]),
        "pcap: IPv4 total length 65535": pcap_file([(1.0, pkt[:16] + b"\xff\xff" + pkt[18:])]),
        "pcap: TCP data offset 15": pcap_file([(1.0, pkt[:46] + b"\xf0" + pkt[47:])]),
        "pcap: 20 VLAN tags": pcap_file([(1.0, pkt[:12] + b"\x81\x00\x00\x01" * 20 + pkt[12:])]),
        # 20 hop-by-hop headers, each naming another hop-by-hop header next
        "pcap: IPv6 extension headers in a loop": pcap_file(
            [(1.0, b"\0" * 12 + b"\x86\xdd" + b"\x60\0\0\0" + struct.pack("!H", 160) +
              b"\x00\x40" + b"\0" * 32 + b"\0" * 160)]),
    }
    # pcapng
    shb = pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb = pcapng_block(1, struct.pack("<HHI", 1, 0, 262144))
    epb = pcapng_block(6, struct.pack("<IIIII", 0, 0, 0, len(pkt), len(pkt)) + pkt)
    ng = pcapng_file([(1.0, f) for f in [pkt]])
    cases.update({
        "pcapng: SHB length 0": struct.pack("<II", 0x0A0D0D0A, 0) + shb[8:],
        "pcapng: SHB length 7": struct.pack("<II", 0x0A0D0D0A, 7) + shb[8:],
        "pcapng: SHB length 2^32-4": struct.pack("<II", 0x0A0D0D0A, 0xFFFFFFFC) + shb[8:],
        "pcapng: bad byte-order magic": shb[:8] + b"\x12\x34\x56\x78" + shb[12:],
        "pcapng: packet before any interface": shb + epb,
        "pcapng: packet on interface 7": shb + idb + epb[:8] + struct.pack("<I", 7) + epb[12:],
        "pcapng: captured length past the block": shb + idb + epb[:20] +
        struct.pack("<I", 0x00FFFFFF) + epb[24:],
        "pcapng: block length not a multiple of 4": shb + idb + epb[:4] +
        struct.pack("<I", len(epb) - 1) + epb[8:],
        "pcapng: block length 2^31": shb + idb + struct.pack("<II", 6, 0x80000000) + epb[8:],
        "pcapng: unknown block": shb + idb + pcapng_block(0x12345678, b"x" * 40) + epb,
        "pcapng: option of length 65535": pcapng_block(
            0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) +
            struct.pack("<HH", 1, 0xFFFF) + b"x" * 8) + idb + epb,
        "pcapng: decryption secrets block with a huge length": shb + idb + pcapng_block(
            0x0000000A, struct.pack("<II", 0x544C534B, 0xFFFFFF00) + b"CLIENT_RANDOM x y\n") + epb,
        "pcapng: decryption secrets block of junk": shb + idb + pcapng_block(
            0x0000000A, struct.pack("<II", 0x544C534B, 64) + os.urandom(64)) + epb,
        "pcapng: second section in the other byte order": ng + bytes.fromhex(
            "0a0d0d0a0000001c1a2b3c4d00010000ffffffffffffffff0000001c"),
        "pcapng: cut inside a block": ng[:len(ng) - 10],
    })
    bad = []
    for name, data in cases.items():
        path = write("corrupt.cap", data)
        r = run(["-r", path, "--json", "-q"])
        if r.crashed():
            bad.append("%s: exit %d %s" % (name, r.rc, r.err[-300:]))
        elif r.rc == 2 and not r.err.strip():
            bad.append("%s: exit 2 without a word on standard error" % name)
        elif r.out and not json_ok(r):
            bad.append("%s: output is not NDJSON" % name)
    case("%d corrupt pcap and pcapng headers and blocks: no crash, valid output" % len(cases),
         not bad, "; ".join(bad[:5]))


def tls_lengths():
    # a record of 2^14 + 2049 bytes, one past the largest TLSCiphertext
    pk = []
    c = Conn(pk).open()
    c.send(0, record(22, client_hello()))
    c.send(1, record(22, b"\x0b" + b"\x41" * (16384 + 2049 - 1)))
    c.send(1, alert(2, 40))
    c.close()
    r = run(["-r", write("record-too-long.pcap", pcap_file(pk)), "--json"])
    h = r.handshakes() if json_ok(r) else []
    case("TLS record of 2^14+2049 bytes: not taken as a record, handshake still reported",
         not r.crashed() and len(h) == 1 and h[0]["sni"] == "ok.example",
         "exit %d %s" % (r.rc, r.err[-300:]))

    # a handshake message declaring 16 MiB, with 100 bytes of it
    pk = []
    c = Conn(pk).open()
    c.send(0, record(22, client_hello()))
    c.send(1, record(22, b"\x0b\xff\xff\xff" + b"\x42" * 96))
    c.close()
    r = run(["-r", write("hs-16mib.pcap", pcap_file(pk)), "--json"])
    s = r.summary() if json_ok(r) else None
    case("handshake length of 16 MiB with 100 bytes: counted over the cap, no 16 MiB allocated",
         not r.crashed() and s is not None and s["oversized_messages"] == 1 and
         r.maxrss < BASELINE_KIB + 8 * 1024,
         "exit %d, peak %d KiB (baseline %d), summary %s" % (r.rc, r.maxrss, BASELINE_KIB, s))

    # 1000 connections, each declaring a message just under the cap (1 MiB)
    # and sending 100 bytes of it, under an address-space limit: a parser
    # that reserves the declared length at once runs out and drops them
    pk = []
    for i in range(1000):
        c = Conn(pk, client=("192.0.2.10", 20000 + i)).open()
        c.send(0, record(22, client_hello()))
        c.send(1, record(22, b"\x0b\x0f\xff\xf0" + b"\x42" * 96))
    path = write("hs-1mib-x1000.pcap", pcap_file(pk))
    if sanitized():
        print("skip handshake length up to the cap: a sanitizer build does not run under an "
              "address-space limit")
    else:
        r = run(["-r", path, "--json"], limit_as=384 << 20)
        s = r.summary() if json_ok(r) else None
        case("handshake length up to the cap: no allocation before the bytes arrive",
             not r.crashed() and s is not None and s["oversized_messages"] == 0 and
             s["handshakes"] == 1000, "exit %d, summary %s" % (r.rc, s))


def chains_and_certs():
    chain = pki_ders("vcse-chain3.pem")
    ders = [chain[i % len(chain)] for i in range(200)]
    r = run(["-r", write("chain-200.pcap", handshake_capture(ders, port=7001)), "--json"])
    h = r.handshakes() if json_ok(r) else []
    s = r.summary() if h else None
    case("a chain of 200 certificates: 32 kept, 168 counted over the cap",
         not r.crashed() and len(h) == 1 and len(h[0]["server_certificates"]) == 32 and
         s["certificates_over_cap"] == 168, "exit %d %s" % (r.rc, s))
    t = run(["-v", "-r", write("chain-200.pcap", handshake_capture(ders, port=7001))])
    case("a chain of 200 certificates: the report (-v) says so",
         b"168 certificates past the per-chain cap" in t.out and
         b"more dropped at the cap" in t.out, t.out[-600:])

    big = openssl_cert("big", "/CN=big.example",
                       dns_names=["host%05d.san.example.com" % i for i in range(2800)])
    r = run(["-r", write("cert-64k.pcap", handshake_capture([big])), "--json"])
    h = r.handshakes() if json_ok(r) else []
    c = h[0]["server_certificates"][0] if h and h[0]["server_certificates"] else {}
    case("a certificate of %d KiB: decoded whole, its %d names listed" % (len(big) >> 10, 2800),
         not r.crashed() and len(big) >= 64 * 1024 and
         c.get("sha256") == hashlib.sha256(big).hexdigest() and len(c.get("san", [])) == 2800 and
         "san-too-long" in [d["code"] for d in h[0]["diagnoses"]],
         "exit %d, %d bytes %s" % (r.rc, len(big), r.err[-300:]))

    huge = openssl_cert("huge", "/CN=huge.example",
                        dns_names=["host%05d.size-cap.example.com" % i for i in range(10000)])
    r = run(["-r", write("cert-huge.pcap", handshake_capture([huge])), "--json"])
    h = r.handshakes() if json_ok(r) else []
    s = r.summary() if h else {}
    c = h[0]["server_certificates"][0] if h and h[0]["server_certificates"] else {}
    case("a certificate over the size cap: kept undecoded with its fingerprint, counted",
         not r.crashed() and c.get("sha256") == hashlib.sha256(huge).hexdigest() and
         c.get("parse_error") and s.get("certificates_over_size_cap") == 1,
         "%d KiB, exit %d, %s" % (len(huge) >> 10, r.rc, {k: c.get(k) for k in
                                                         ("subject", "parse_error")}))


def overlaps():
    ch_first = record(22, client_hello(b"first.example"))
    ch_other = record(22, client_hello(b"evil0.example"))
    sni_at = ch_first.index(b"first.example")

    def sni_of(pieces):
        """Sends the ClientHello as (offset, bytes) pieces in this order;
        returns the SNI certscope saw and the one the first copy of each
        byte makes."""
        pk = []
        c = Conn(pk).open()
        first = {}
        for off, data in pieces:
            c.raw(0, off, data)
            for i, b in enumerate(data):
                first.setdefault(off + i, b)
        c.advance(0, len(ch_first))
        c.send(1, record(22, server_hello()))
        c.close()
        want = bytes(first[i] for i in range(sni_at, sni_at + 13)).decode()
        r = run(["-r", write("overlap.pcap", pcap_file(pk)), "--json"])
        h = r.handshakes() if json_ok(r) else []
        return (h[0]["sni"] if len(h) == 1 else None), want, r

    n = len(ch_first)
    cases = {
        "retransmitted after delivery": [(0, ch_first), (0, ch_other)],
        "buffered out of order, then a covering copy": [(40, ch_first[40:]), (0, ch_other)],
        "several buffered pieces overlapped by others": [
            (70, ch_first[70:80]), (50, ch_first[50:60]), (55, ch_other[55:75]),
            (0, ch_other[:55]), (75, ch_first[75:])],
        "the name split between two copies": [
            (sni_at + 5, ch_other[sni_at + 5:]), (0, ch_first[:sni_at + 9]),
            (sni_at + 9, ch_first[sni_at + 9:n])],
    }
    for name, pieces in cases.items():
        sni, want, r = sni_of(pieces)
        case("overlapping segments with conflicting bytes, %s: the first copy of each byte "
             "wins (%s)" % (name, want), not r.crashed() and sni == want,
             "sni %s, exit %d" % (sni, r.rc))

    # more out-of-order bytes than a direction may buffer
    pk = []
    c = Conn(pk).open()
    for off in range(0, 300 * 1024, 1400):
        c.raw(0, 1000 + off, b"\x17" * 1400)
    c.send(0, record(22, client_hello()))
    c.close()
    r = run(["-r", write("ooo-cap.pcap", pcap_file(pk)), "--json"])
    s = r.summary() if json_ok(r) else None
    t = run(["-r", write("ooo-cap.pcap", pcap_file(pk))])
    case("300 KiB out of order in one direction: the cap is hit, counted and reported",
         not r.crashed() and s is not None and s["reassembly_cap_hits"] >= 1 and
         b"out-of-order buffer was full" in t.out, "summary %s" % s)


HOSTILE_SUBJECT = ("/CN=\x7f\x1b[31mRED\x1b]0;pwned\x07\x1b[2J\u202eexe.txt/OU=..\\/..\\/..\\/etc\\/passwd"
                   "/O={subject}{subject}{subject}{subject}{store}")


def safe_output():
    der = openssl_cert("hostile", HOSTILE_SUBJECT,
                       san="DNS:\x1b[2Jevil.example,DNS:..\\/..\\/x.example")
    sni = b"\x1b]0;title\x07\xe2\x80\xaeevil.example"
    cap = write("hostile-subject.pcap", handshake_capture([der], sni=sni))
    t = run(["-v", "-r", cap])
    case("hostile subject, SAN and SNI: the report (-v) holds no control character or "
         "bidirectional override", not t.crashed() and report_ok(t.out) and b"RED" in t.out,
         t.out[:800])
    t = run(["-r", cap])
    case("hostile subject, SAN and SNI: the findings report holds no control character or "
         "bidirectional override", not t.crashed() and report_ok(t.out) and b"RED" in t.out,
         t.out[:800])
    r = run(["-r", cap, "--json"])
    ok = json_ok(r)
    h = r.handshakes()[0] if ok and r.handshakes() else None
    texts = []
    if h:
        c = h["server_certificates"][0]
        texts = [c["subject"], c["issuer"], h["sni"]] + c["san"] + \
            [d["message"] + d["advice"] for d in h["diagnoses"]]
    case("hostile subject, SAN and SNI: valid NDJSON, escaped even once decoded",
         ok and h is not None and all(not re.search("[\x00-\x1f\x7f-\uffff]", x) for x in texts)
         and "RED" in h["server_certificates"][0]["subject"], str(texts)[:800])
    # quoted, a subject holding {subject} four times must stay one subject
    # long, not 4^3 subjects
    subj = h["server_certificates"][0]["subject"] if h else ""
    diags = h["diagnoses"] if h else []
    case("hostile subject: braces in it are not expanded as a template",
         h is not None and diags and any("{subject}{subject}" in d["message"] for d in diags) and
         all(len(d["message"]) + len(d["advice"]) < 4 * len(subj) + 2000 for d in diags),
         str([len(d["message"]) for d in diags]))

    # export: names from addresses, nothing outside the folder
    base = os.path.join(TMP, "export-area")
    os.makedirs(base)
    out = os.path.join(base, "out")
    r = run(["-r", cap, "--json", "--trust-file", os.path.join(SAMPLES, "pki", "root.pem"),
             "--export-pem", out])
    chains = os.path.join(out, "chains")
    names = sorted(os.listdir(chains)) if os.path.isdir(chains) else []
    kits = os.path.join(out, "fixes")
    kit_names = sorted(os.listdir(kits)) if os.path.isdir(kits) else []
    pat = re.compile(r"^[0-9a-f.\-]+_\d+_(server|client)_[0-9a-f]{12}\.pem$")
    kit_pat = re.compile(r"^[0-9a-f.\-]+_\d+_(server|client)(_chain)?(_and_\d+_more)?$")
    case("hostile subject: the export files are named after the server and a hash only",
         names and all(pat.match(n) for n in names) and all(kit_pat.match(n) for n in kit_names)
         and set(os.listdir(out)) <= {"chains", "completed", "fixes"} and
         sorted(os.listdir(base)) == ["out"], str((names, kit_names)))
    kit_text = "".join(open(os.path.join(kits, k, f), errors="replace").read()
                       for k in kit_names for f in os.listdir(os.path.join(kits, k)))
    case("hostile subject: no control character from a certificate in a kit's files",
         not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", kit_text), repr(kit_text[:300]))

    # a link planted under the name the next file will get is not followed
    victim = os.path.join(base, "victim")
    with open(victim, "w") as f:
        f.write("precious\n")
    planted = os.path.join(TMP, "planted")
    os.makedirs(os.path.join(planted, "chains"))
    files = [n for n in names if n.endswith(".pem")]
    for n in files:
        os.symlink(victim, os.path.join(planted, "chains", n))
    r = run(["-r", cap, "--export-pem", planted])
    after = sorted(os.listdir(os.path.join(planted, "chains")))
    case("export: a symbolic link under the file's name is neither followed nor replaced",
         files and open(victim).read() == "precious\n" and
         all(os.path.islink(os.path.join(planted, "chains", n)) for n in files) and
         after == files and r.err.count("not a file certscope wrote") == len(files),
         str((after, r.err)))

    # the folder itself, or its completed/ folder, as a link elsewhere
    elsewhere = os.path.join(TMP, "elsewhere")
    os.makedirs(elsewhere)
    link = os.path.join(TMP, "export-link")
    os.symlink(elsewhere, link)
    r = run(["-r", cap, "--export-pem", link])
    case("export: a folder that is a symbolic link is refused",
         not r.crashed() and os.listdir(elsewhere) == [] and "symbolic link" in r.err, r.err)
    trap = os.path.join(TMP, "trap")
    os.makedirs(trap)
    os.symlink(elsewhere, os.path.join(trap, "completed"))
    r = run(["-r", cap, "--trust-file", os.path.join(SAMPLES, "pki", "root.pem"),
             "--export-pem", trap])
    # a chain that verifies, so that its completed chain is due
    r2 = run(["-r", os.path.join(SAMPLES, "good-7001.pcap"), "--trust-file",
              os.path.join(SAMPLES, "pki", "root.pem"), "--export-pem", trap])
    case("export: a completed/ folder that is a symbolic link is refused",
         not r.crashed() and not r2.crashed() and os.listdir(elsewhere) == [] and
         "completed" in r2.err, r2.err)


def trust_folders():
    folder = os.path.join(TMP, "trust-hostile")
    os.makedirs(folder)
    shutil.copy(os.path.join(SAMPLES, "pki", "root.pem"), folder)
    os.symlink("loop-b", os.path.join(folder, "loop-a"))
    os.symlink("loop-a", os.path.join(folder, "loop-b"))
    os.symlink("self", os.path.join(folder, "self"))
    os.symlink("/nonexistent/anchor.pem", os.path.join(folder, "dangling"))
    os.mkfifo(os.path.join(folder, "fifo"))
    with open(os.path.join(folder, "sparse-1g"), "wb") as f:
        f.truncate(1 << 30)
    os.makedirs(os.path.join(folder, "subfolder"))
    cap = os.path.join(SAMPLES, "good-7001.pcap")
    r = run(["-r", cap, "--json", "--trust-dir", folder], timeout=60)
    s = r.summary() if json_ok(r) else None
    st = s["trust_stores"][0] if s else {}
    case("trust folder with a symlink loop, a FIFO and a 1 GiB sparse file: no hang, "
         "nothing read of them, each named",
         r.rc in (0, 1) and st.get("anchors") == 1 and st.get("rejected_files") == 6 and
         r.maxrss < BASELINE_KIB + 32 * 1024 and r.secs < 30 and "fifo" in r.err and
         "sparse-1g" in r.err,
         "exit %d, %.1f s, peak %d KiB, %s, %s" % (r.rc, r.secs, r.maxrss, st, r.err[-500:]))
    r = run(["-r", cap, "--json", "--trust-file", os.path.join(folder, "fifo")], timeout=30)
    case("a FIFO given as --trust-file: refused at once (exit 2), no hang",
         r.rc == 2 and r.secs < 20, "exit %d, %.1f s" % (r.rc, r.secs))
    empty = os.path.join(TMP, "trust-empty")
    os.makedirs(empty)
    r = run(["-r", cap, "--json", "--trust-dir", empty])
    case("an empty trust folder: a usage error (exit 2) that says so, nothing read",
         r.rc == 2 and not r.out and "empty" in r.err, r.err[-300:])
    many = os.path.join(TMP, "trust-many")
    os.makedirs(many)
    for i in range(10050):
        with open(os.path.join(many, "junk%05d.txt" % i), "w") as f:
            f.write("x")
    r = run(["-r", cap, "--json", "-q", "--trust-dir", many], timeout=120)
    s = r.summary() if json_ok(r) else None
    st = s["trust_stores"][0] if s else {}
    t = run(["-r", cap, "-q", "--trust-dir", many], timeout=120)
    case("a trust folder of 10,050 files: 10,000 read, 50 counted over the cap and reported",
         st.get("rejected_files") == 10000 and st.get("files_over_cap") == 50 and
         b"50 more not read" in t.out, str(st))


def million_syns():
    """One million SYNs to distinct ports: flows evicted at the cap, memory
    bounded.  The peak is printed, not asserted."""
    n = 1000000
    path = os.path.join(TMP, "syns.pcap")
    base = frame("192.0.2.1", "198.51.100.1", 40000, 1, 1000, 0, SYN)
    hdr = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1)
    # the TCP ports sit at 34..38 of the frame; the TCP checksum is left 0
    head, tail = base[:34], base[38:]
    rec = struct.Struct("<IIII")
    ports = struct.Struct("!HH")
    with open(path, "wb") as f:
        f.write(hdr)
        chunk = []
        for i in range(n):
            fr = head + ports.pack(1024 + i % 60000, 1 + i // 60000) + tail
            chunk.append(rec.pack(1795460000, i % 1000000, len(fr), len(fr)) + fr)
            if len(chunk) == 65536:
                f.write(b"".join(chunk))
                chunk = []
        f.write(b"".join(chunk))
    r = run(["-r", path, "--json", "-q"], timeout=600, measure=True)
    s = r.summary() if json_ok(r) else None
    os.unlink(path)
    print("measure 1M SYNs to distinct ports: peak RSS %.1f MiB, %.1f s, %s flows, %s evicted"
          % (r.maxrss / 1024, r.secs, s and s["tcp_flows"], s and s["flows_evicted"]))
    case("one million SYNs: every flow counted, the table capped (262,144), the rest evicted",
         s is not None and s["tcp_flows"] == n and s["flows_evicted"] == n - 262144 and
         r.rc == 0, "exit %d %s %s" % (r.rc, s, r.err[-300:]))


def flows_with_a_record_header():
    """50,000 connections, each a SYN and the first 9 bytes of a handshake
    record: what a flow costs once it carried a byte.  Printed, not asserted."""
    n = 50000
    path = os.path.join(TMP, "record-starts.pcap")
    syn = frame("192.0.2.1", "198.51.100.1", 40000, 443, 1000, 0, SYN)
    data = frame("192.0.2.1", "198.51.100.1", 40000, 443, 1001, 0, PSH | ACK,
                 b"\x16\x03\x03\x40\x00\x01\x00\x3f\xfc")
    rec, ports = struct.Struct("<IIII"), struct.Struct("!HH")
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        out = []
        for i in range(n):
            p = ports.pack(1024 + i % 60000, 400 + i // 60000)
            for fr in (syn, data):
                x = fr[:34] + p + fr[38:]
                out.append(rec.pack(1795460000, i % 1000000, len(x), len(x)) + x)
        f.write(b"".join(out))
    r = run(["-r", path, "--json", "-q"], timeout=600, measure=True)
    os.unlink(path)
    s = r.summary() if json_ok(r) else None
    print("measure 50,000 flows holding 9 bytes of a record each: peak RSS %.1f MiB "
          "(%.1f KiB a flow over the baseline), %.1f s"
          % (r.maxrss / 1024, (r.maxrss - BASELINE_KIB) / n, r.secs))
    case("50,000 flows holding the start of a record: no crash, every flow counted",
         s is not None and s["tcp_flows"] == n and not r.crashed(),
         "exit %d %s" % (r.rc, r.err[-300:]))


def main():
    global CERTSCOPE, SAMPLES, TMP, BASELINE_KIB
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    CERTSCOPE, SAMPLES = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    TMP = tempfile.mkdtemp(prefix="certscope-hostile-")
    BASELINE_KIB = run(["-r", os.path.join(SAMPLES, "good-7001.pcap"), "--json"],
                       measure=True).maxrss
    try:
        for part in (truncation, corrupt_headers, tls_lengths, chains_and_certs, overlaps,
                     safe_output, trust_folders, million_syns, flows_with_a_record_header):
            start = time.monotonic()
            try:
                part()
            except Exception as e:  # a broken case is a failure, not a stop
                case(part.__name__, False, "%s: %s" % (type(e).__name__, e))
            print("     (%s: %.1f s)" % (part.__name__, time.monotonic() - start))
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print("%d passed, %d failed" % (results["pass"], results["fail"]))
    return 1 if results["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
