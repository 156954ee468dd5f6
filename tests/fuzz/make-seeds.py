#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets from certscope's samples.

usage: make-seeds.py [SAMPLES_DIR [CORPUS_DIR]]
       (defaults: samples/ and tests/fuzz/corpus/ of this tree)

  corpus/capture/     every samples/*.pcap and *.pcapng, pcapng copies of a
                      few, and of those with a key log with its secrets in
                      a Decryption Secrets Block
  corpus/flow/        each TCP connection of the samples in fuzz_flow.c's
                      segment format
  corpus/handshake/   each handshake message of the samples for its parser
                      (fuzz_handshake.c modes 0-4), and the records of each
                      connection (mode 6)
  corpus/cert/        the DER of every certificate in samples/pki and on the
                      wire
  corpus/truststore/  every file of samples/trust-*, the PEM files of
                      samples/pki, and DER copies of the roots

The corpora are committed; run this again when the samples change (the
folders are emptied first).
"""
import base64
import hashlib
import os
import re
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PORTS = [443, 7001, 5061, 2445, 3804, 8443, 636, 40443]


def read_pcap(path):
    """(linktype, [(ts_sec, ts_usec, frame)]) of a classic pcap file."""
    data = open(path, "rb").read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise ValueError(path + ": not a pcap file")
    linktype = struct.unpack(e + "I", data[20:24])[0] & 0x0FFFFFFF
    off, pkts = 24, []
    while off + 16 <= len(data):
        sec, usec, incl, _orig = struct.unpack(e + "IIII", data[off:off + 16])
        pkts.append((sec, usec, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return linktype, pkts


def write_pcapng(path, linktype, pkts, keylog=None):
    """A pcapng copy; with keylog, its text in a Decryption Secrets Block."""
    def block(btype, body):
        body += b"\0" * (-len(body) % 4)
        n = 12 + len(body)
        return struct.pack("<II", btype, n) + body + struct.pack("<I", n)

    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    out += block(1, struct.pack("<HHI", linktype, 0, 262144))
    if keylog:
        out += block(0x0A, struct.pack("<II", 0x544C534B, len(keylog)) + keylog)
    for sec, usec, frame in pkts:
        t = sec * 1000000 + usec
        out += block(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(frame),
                                    len(frame)) + frame)
    open(path, "wb").write(out)


def l3(linktype, f):
    """(version, bytes from the IP header on), or None."""
    if linktype == 1:  # Ethernet, VLAN tags
        off, et = 14, struct.unpack(">H", f[12:14])[0]
        while et in (0x8100, 0x88A8, 0x9100):
            et = struct.unpack(">H", f[off + 2:off + 4])[0]
            off += 4
        return f[off:] if et in (0x0800, 0x86DD) else None
    if linktype == 113:  # SLL
        return f[16:]
    if linktype == 276:  # SLL2
        return f[20:]
    if linktype in (0, 108):  # null, loop
        return f[4:]
    if linktype in (12, 14, 101, 228, 229):
        return f
    return None


def tcp_of(linktype, frame):
    """(src, dst, seq, ack, flags, payload) or None."""
    ip = l3(linktype, frame)
    if not ip:
        return None
    v = ip[0] >> 4
    if v == 4:
        ihl = (ip[0] & 15) * 4
        total = struct.unpack(">H", ip[2:4])[0]
        if ip[9] != 6:
            return None
        src, dst, t = ip[12:16], ip[16:20], ip[ihl:total]
    elif v == 6:
        plen = struct.unpack(">H", ip[4:6])[0]
        if ip[6] != 6:
            return None
        src, dst, t = ip[8:24], ip[24:40], ip[40:40 + plen]
    else:
        return None
    sport, dport, seq, ack, off, flags = struct.unpack(">HHIIBB", t[:14])
    return (src, sport), (dst, dport), seq, ack, flags, t[(off >> 4) * 4:]


def connections(path):
    """{(client, server): [(dir, seq, ack, flags, payload, ts)]}, dir 0 = client."""
    linktype, pkts = read_pcap(path)
    conns = {}
    for sec, usec, frame in pkts:
        t = tcp_of(linktype, frame)
        if not t:
            continue
        src, dst, seq, ack, flags, payload = t
        if (src, dst) in conns:
            key, d = (src, dst), 0
        elif (dst, src) in conns:
            key, d = (dst, src), 1
        elif flags & 0x12 == 0x12:
            key, d = (dst, src), 1
            conns[key] = []
        else:
            key, d = (src, dst), 0
            conns[key] = []
        conns[key].append((d, seq, ack, flags, payload, sec + usec / 1e6))
    return conns


def flow_seed(server_port, segs):
    """fuzz_flow.c's format: port byte, then flags seq_off ack_off len payload."""
    port = PORTS.index(server_port) if server_port in PORTS else 0
    out = bytes([port])
    isn = [None, None]
    for d, seq, ack, flags, payload, _ in segs:
        if isn[d] is None:
            isn[d] = seq
    natural = [0, 0]
    last = None
    for d, seq, ack, flags, payload, ts in segs:
        f = d | (0x02 if flags & 0x02 else 0) | (0x04 if flags & 0x10 else 0)
        f |= (0x08 if flags & 0x01 else 0) | (0x10 if flags & 0x04 else 0)
        rel = (seq - isn[d]) & 0xFFFFFFFF
        so = max(-32768, min(32767, rel - natural[d]))
        ao = 0
        if isn[1 - d] is not None and flags & 0x10:
            arel = (ack - isn[1 - d]) & 0xFFFFFFFF
            ao = max(-128, min(127, arel - natural[1 - d]))
        if last is not None and ts - last > 300:
            f |= 0x40
        last = ts
        out += struct.pack(">BhbH", f, so, ao, len(payload)) + payload
        natural[d] += len(payload) + (1 if flags & 0x02 else 0) + (1 if flags & 0x01 else 0)
    return out


def stream(segs, d):
    """The bytes of direction d in order, first copy winning, up to a hole."""
    mine = [s for s in segs if s[0] == d]
    if not mine:
        return b""
    syn = [s for s in mine if s[3] & 0x02]
    base = (syn[0][1] + 1) if syn else min(s[1] for s in mine)
    have = {}
    for _, seq, _, _, payload, _ in mine:
        rel = (seq - base) & 0xFFFFFFFF
        for i, b in enumerate(payload):
            have.setdefault(rel + i, b)
    out = bytearray()
    while len(out) in have:
        out.append(have[len(out)])
    return bytes(out)


def records(data):
    out, off = [], 0
    while off + 5 <= len(data):
        ctype, length = data[off], struct.unpack(">H", data[off + 3:off + 5])[0]
        if off + 5 + length > len(data):
            break
        out.append((ctype, data[off + 5:off + 5 + length]))
        off += 5 + length
    return out


def messages(recs):
    """Handshake messages of the clear-text records of one direction."""
    buf, out = b"", []
    for ctype, body in recs:
        if ctype == 20:
            break
        if ctype != 22:
            continue
        buf += body
        while len(buf) >= 4:
            n = int.from_bytes(buf[1:4], "big")
            if len(buf) < 4 + n:
                break
            out.append((buf[0], buf[4:4 + n]))
            buf = buf[4 + n:]
    return out


def certificates(body, tls13):
    off = 1 + body[0] if tls13 else 0
    end = off + 3 + int.from_bytes(body[off:off + 3], "big")
    off += 3
    out = []
    while off + 3 <= end:
        n = int.from_bytes(body[off:off + 3], "big")
        out.append(body[off + 3:off + 3 + n])
        off += 3 + n
        if tls13:
            off += 2 + int.from_bytes(body[off:off + 2], "big")
    return out


def pem_blocks(text, label):
    pat = r"-----BEGIN %s-----(.*?)-----END %s-----" % (label, label)
    return [base64.b64decode("".join(m.split())) for m in re.findall(pat, text, re.S)]


def main():
    samples = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "samples")
    corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "corpus")
    dirs = {t: os.path.join(corpus, t) for t in
            ("capture", "flow", "handshake", "cert", "truststore")}
    for d in dirs.values():
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    seen = set()

    def put(target, name, data):
        h = hashlib.sha256(target.encode() + data).hexdigest()
        if h in seen:
            return
        seen.add(h)
        open(os.path.join(dirs[target], name), "wb").write(data)

    for f in sorted(os.listdir(samples)):
        if f.endswith(".pcapng"):
            put("capture", f, open(os.path.join(samples, f), "rb").read())
    pcaps = sorted(f for f in os.listdir(samples) if f.endswith(".pcap"))
    for f in pcaps:
        name = f[:-5]
        path = os.path.join(samples, f)
        put("capture", name + ".pcap", open(path, "rb").read())
        if name in ("good-7001", "good-7001-mangled", "tls13-443", "good-7001-qinq-ipv6"):
            tmp = os.path.join(dirs["capture"], name + ".pcapng")
            write_pcapng(tmp, *read_pcap(path))
        if os.path.exists(path + ".keylog"):
            # the secrets inside the capture, so the fuzzer reaches decryption
            tmp = os.path.join(dirs["capture"], name + "-dsb.pcapng")
            write_pcapng(tmp, *read_pcap(path), keylog=open(path + ".keylog", "rb").read())
        for i, ((client, server), segs) in enumerate(sorted(connections(path).items())):
            tag = name if i == 0 else "%s-%d" % (name, i)
            put("flow", tag, flow_seed(server[1], segs))
            recs = []
            for d in (0, 1):
                rs = records(stream(segs, d))
                recs.append(rs)
            # mode 6: the records of both directions, in the order of the flights
            rec_seed = bytes([6])
            for d in (0, 1):
                for ctype, body in recs[d]:
                    rec_seed += struct.pack(">BH", (d << 7) | ctype, len(body)) + body
            put("handshake", tag + "-records", rec_seed)
            version = 0x0303
            for d in (0, 1):
                for k, (mtype, body) in enumerate(messages(recs[d])):
                    if mtype == 2 and len(body) >= 2:
                        version = int.from_bytes(body[:2], "big")
                    mode = {1: 0, 2: 1, 11: 2, 13: 4}.get(mtype)
                    if mode is None:
                        continue
                    seed = bytes([mode]) + (struct.pack(">H", version) if mode == 4 else b"")
                    put("handshake", "%s-%d-%d-type%d" % (tag, d, k, mtype), seed + body)
                    if mtype == 11:
                        ders = certificates(body, False)
                        for j, der in enumerate(ders):
                            put("cert", "%s-%d-%d" % (tag, d, j), der)
                        # the same chain in TLS 1.3's layout (mode 3)
                        entries = b"".join(len(x).to_bytes(3, "big") + x + b"\0\0" for x in ders)
                        put("handshake", "%s-%d-%d-type11-tls13" % (tag, d, k),
                            b"\x03\x00" + len(entries).to_bytes(3, "big") + entries)

    pki = os.path.join(samples, "pki")
    for f in sorted(os.listdir(pki)):
        if not f.endswith(".pem"):
            continue
        text = open(os.path.join(pki, f)).read()
        ders = pem_blocks(text, "CERTIFICATE")
        for j, der in enumerate(ders):
            put("cert", "pki-%s-%d" % (f[:-4], j), der)
        put("truststore", "pki-" + f, text.encode())
        if f.endswith("root.pem") and ders:
            put("truststore", "pki-%s.der" % f[:-4], ders[0])
    for sub in sorted(os.listdir(samples)):
        folder = os.path.join(samples, sub)
        if not sub.startswith("trust-") or not os.path.isdir(folder):
            continue
        for f in sorted(os.listdir(folder)):
            full = os.path.join(folder, f)
            if os.path.isfile(full):
                put("truststore", "%s-%s" % (sub, f), open(full, "rb").read())
    for t, d in dirs.items():
        print("%-10s %3d seeds" % (t, len(os.listdir(d))))


if __name__ == "__main__":
    main()
