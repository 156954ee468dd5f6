#!/usr/bin/env python3
"""count.py: reads certscope's NDJSON on standard input and prints, as
key=value, the handshakes, the certificates (server_certificates plus
client_certificates), the non-empty chains, and the flow counters of the
summary line."""
import json
import sys

hs = certs = chains = 0
summary = {}
for line in sys.stdin:
    o = json.loads(line)
    if o.get("type") == "handshake":
        hs += 1
        for key in ("server_certificates", "client_certificates"):
            n = len(o.get(key) or [])
            certs += n
            chains += 1 if n else 0
    elif o.get("type") == "summary":
        summary = o
print("handshakes=%d certs=%d chains=%d flows=%d evicted=%d expired=%d" % (
    hs, certs, chains, summary.get("tcp_flows", 0), summary.get("flows_evicted", 0),
    summary.get("flows_expired", 0)))
