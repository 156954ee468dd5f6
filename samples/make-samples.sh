#!/bin/sh
# Makes certscope's sample captures: a small PKI made with the openssl
# command, then real OpenSSL handshakes run in memory by tests/tools/tlsgen
# and written as pcap, each with an .expect.json of what OpenSSL did and what
# certscope must conclude.  Run from anywhere after building:
#   meson compile -C build && samples/make-samples.sh build/tests/tlsgen
# The keys are made anew on every run, so every fingerprint changes; the
# expectations are written with them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tlsgen=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pki=$here/pki
rm -rf "$pki" && mkdir -p "$pki" && cd "$pki"
rm -f "$here"/*.pcap "$here"/*.expect.json

now=$(date +%s)
when=$((now + 60))

ext() { # name: an extension section for openssl x509 -extfile
	cat >"$1.ext"
}

ext ca <<'E'
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
E

# leaf CN SAN EKU
leafext() {
	{
		echo "basicConstraints = CA:FALSE"
		echo "keyUsage = critical, digitalSignature, keyEncipherment"
		[ -n "$2" ] && echo "subjectAltName = $2"
		[ -n "$3" ] && echo "extendedKeyUsage = $3"
		echo "subjectKeyIdentifier = hash"
		echo "authorityKeyIdentifier = keyid"
	} >"$1.ext"
}

# root NAME CN
root() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -days 3650 \
		-subj "/O=certscope samples/CN=$2" -sha256 -addext "keyUsage=critical,keyCertSign,cRLSign" \
		2>/dev/null
}

# cert NAME SUBJECT ISSUER DAYS EXTNAME [KEYSPEC] [DIGEST]
cert() {
	openssl req -new -newkey "${6:-rsa:2048}" -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
	openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -out "$1.pem" \
		-days "$4" -extfile "$5.ext" "-${7:-sha256}" 2>/dev/null
	rm -f "$1.csr"
}

root root "Example Root CA"
cert inter "/O=certscope samples/CN=Example Issuing CA" root 3650 ca
root other-root "Other Root CA"
cert other-inter "/O=certscope samples/CN=Other Issuing CA" other-root 3650 ca

leafext both "DNS:vcse.example.com" "serverAuth, clientAuth"
cert vcse "/O=certscope samples/CN=vcse.example.com" inter 825 both
leafext bothc "DNS:vcsc.example.com" "serverAuth, clientAuth"
cert vcsc "/O=certscope samples/CN=vcsc.example.com" inter 825 bothc
leafext cucm "DNS:cucm.other.test" "serverAuth, clientAuth"
cert cucm "/O=certscope samples/CN=cucm.other.test" other-inter 825 cucm
leafext web "DNS:vcsc-web.example.com" "serverAuth"
cert web "/O=certscope samples/CN=vcsc-web.example.com" inter 825 web
leafext tvs "DNS:tvs.example.com" "serverAuth, clientAuth"
cert tvs "/O=certscope samples/CN=tvs.example.com" inter 1 tvs
leafext wild "DNS:*.example.com" "serverAuth, clientAuth"
cert wild "/O=certscope samples/CN=*.example.com" inter 825 wild
leafext capf "DNS:capf.example.com" "serverAuth"
cert capf "/O=certscope samples/CN=capf.example.com" inter 825 capf rsa:1024 sha1
leafext www "DNS:www.example.com" "serverAuth"
cert www "/O=certscope samples/CN=www.example.com" inter 825 www
rm -f ./*.ext ./*.srl

# chain files: leaf first, then what the device is configured to send
cat vcse.pem inter.pem root.pem >vcse-chain3.pem
cat vcsc.pem inter.pem >vcsc-chain.pem
cat cucm.pem other-inter.pem >cucm-chain.pem
cat web.pem inter.pem >web-chain.pem
cat tvs.pem inter.pem >tvs-chain.pem
cat wild.pem inter.pem >wild-chain.pem
cat capf.pem inter.pem >capf-chain.pem
cat www.pem inter.pem >www-chain.pem

cd "$here"
g() { "$tlsgen" --time "$when" "$@"; }

# 1. Expressway-C to Expressway-E traversal zone, mutual TLS, all good.
g --port 7001 --server-cert pki/vcse-chain3.pem --server-key pki/vcse.key \
	--client-cert pki/vcsc-chain.pem --client-key pki/vcsc.key \
	--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --tls-max 1.2 \
	--variant "good-7001.pcap;outcome=completed;note=traversal zone on 7001: mutual TLS with 3-certificate server chain, both sides accept" \
	--variant "good-7001-mangled.pcap;mss=97;mangle;same-as=good-7001.pcap;outcome=completed;note=the same handshake split into 97-byte segments, reordered, retransmitted with overlaps and captured twice" \
	--variant "good-7001-qinq-ipv6.pcap;link=qinq;ipv6;outcome=completed;note=the same handshake over IPv6 behind 802.1ad + 802.1Q tags" \
	--variant "good-7001-sll2.pcap;link=sll2;outcome=completed;note=the same handshake in Linux cooked capture v2 (tcpdump -i any)" \
	--variant "good-7001-sll.pcap;link=sll;outcome=completed;note=the same handshake in Linux cooked capture v1" \
	--variant "good-7001-raw.pcap;link=raw;outcome=completed;note=the same handshake as raw IP" \
	--variant "good-7001-null.pcap;link=null;outcome=completed;note=the same handshake with a BSD loopback header" \
	--variant "good-7001-midstream.pcap;no-syn;outcome=completed;note=the same handshake with the SYN and SYN-ACK not captured" \
	--variant "good-7001-server-only.pcap;one-sided=server;outcome=incomplete;diags=capture-one-sided;note=only the server's packets: what the client sent cannot be seen" \
	--variant "good-7001-gap.pcap;mss=300;drop=3;outcome=completed;diags=capture-gap;note=a segment of the server's certificate flight was never captured"

# 2. A SIP trunk to a CUCM whose CA the client does not trust: unknown_ca from the client.
g --port 5061 --client-port 42617 --server-cert pki/cucm-chain.pem --server-key pki/cucm.key \
	--client-ca pki/root.pem --tls-max 1.2 \
	--variant "unknown-ca-5061.pcap;outcome=alert;diags=alert-unknown-ca;exit=1;note=SIP TLS: the client refuses the server's chain from a CA it does not trust and sends unknown_ca"

# 3. The server sends its leaf without the intermediate; the client trusts only the root.
g --port 443 --sni www.example.com --server-cert pki/www.pem --server-key pki/www.key \
	--client-ca pki/root.pem --tls-max 1.2 \
	--variant "missing-intermediate-443.pcap;outcome=alert;diags=alert-unknown-ca;exit=1;note=HTTPS: the server sends its leaf without the intermediate, the client sends unknown_ca"

# 4. An expired server certificate on TVS.
g --port 2445 --time $((now + 2 * 86400)) --server-cert pki/tvs-chain.pem --server-key pki/tvs.key \
	--client-ca pki/root.pem --tls-max 1.2 \
	--variant "expired-2445.pcap;outcome=alert;diags=alert-certificate-expired+expired;exit=1;note=TVS: the server's certificate expired the day before, the client sends certificate_expired"

# 5. Mutual TLS where the client's certificate lacks clientAuth (a web server template).
g --port 7001 --server-cert pki/vcse-chain3.pem --server-key pki/vcse.key \
	--client-cert pki/web-chain.pem --client-key pki/web.key \
	--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --tls-max 1.2 \
	--variant "mtls-no-clientauth-7001.pcap;outcome=alert;diags=alert-unsupported-certificate+eku-missing-client-auth;exit=1;note=traversal zone: the client's certificate has serverAuth only, the server refuses it with unsupported_certificate"

# 6. TLS 1.3: the certificates travel encrypted.
g --port 443 --sni www.example.com --server-cert pki/www-chain.pem --server-key pki/www.key \
	--client-ca pki/root.pem --tls-max 1.3 \
	--variant "tls13-443.pcap;outcome=encrypted;diags=tls13-encrypted-certificate;note=TLS 1.3: certificates encrypted, nothing to check without a key log"

# 7. A Java-like client that refuses the chain and closes without an alert.
g --port 8443 --sni cucm.other.test --server-cert pki/cucm-chain.pem --server-key pki/cucm.key \
	--client-ca pki/root.pem --tls-max 1.2 --silent-close client --rst \
	--variant "silent-close-8443.pcap;outcome=aborted;diags=aborted-after-certificate;exit=1;note=the client resets the connection right after the server's certificate, without an alert"

# 8. The server requires a client certificate and the client has none.
g --port 7001 --server-cert pki/vcse-chain3.pem --server-key pki/vcse.key \
	--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --ca-names pki/root.pem \
	--tls-max 1.2 \
	--variant "no-client-cert-7001.pcap;outcome=alert;diags=alert-handshake-failure+no-client-certificate;exit=1;note=traversal zone: the client sends an empty Certificate and the server ends with handshake_failure"

# 9. The server lists the CAs it accepts and the client's certificate is from another.
g --port 5061 --server-cert pki/vcse-chain3.pem --server-key pki/vcse.key \
	--client-cert pki/cucm-chain.pem --client-key pki/cucm.key \
	--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --ca-names pki/root.pem \
	--tls-max 1.2 \
	--variant "client-ca-not-accepted-5061.pcap;outcome=alert;diags=alert-unknown-ca+client-ca-not-accepted;exit=1;note=SIP TLS: the server accepts clients of Example Root CA only and refuses a certificate from Other Root CA with unknown_ca"

# 10. The client asked for one name and the certificate holds another.
g --port 443 --sni portal.example.net --server-cert pki/www-chain.pem --server-key pki/www.key \
	--client-ca pki/root.pem --tls-max 1.2 \
	--variant "name-mismatch-443.pcap;outcome=completed;diags=name-mismatch;exit=1;note=HTTPS: the SNI portal.example.net is not a name of the server's certificate (the client does not check names)"

# 11. A wildcard certificate on SIP TLS.
g --port 5061 --sni edge.example.com --server-cert pki/wild-chain.pem --server-key pki/wild.key \
	--client-ca pki/root.pem --tls-max 1.2 \
	--variant "wildcard-5061.pcap;outcome=completed;diags=wildcard-name;note=SIP TLS with a wildcard certificate, which Expressway does not support"

# 12. A legacy CAPF certificate: RSA 1024 signed with SHA-1, over TLS 1.0.
g --port 3804 --server-cert pki/capf-chain.pem --server-key pki/capf.key \
	--client-ca pki/root.pem --tls-max 1.1 \
	--variant "legacy-3804.pcap;outcome=completed;diags=weak-key+weak-signature;note=CAPF: a 1024-bit RSA certificate signed with SHA-1, TLS 1.1"

# 13. No SNI, the peer is configured to verify a name the certificate lacks.
g --port 7001 --server-cert pki/vcse-chain3.pem --server-key pki/vcse.key \
	--client-cert pki/vcsc-chain.pem --client-key pki/vcsc.key \
	--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --tls-max 1.2 \
	--variant "expect-name-7001.pcap;args=--expect-name+198.51.100.20:7001=vcse.example.org;outcome=completed;diags=name-mismatch;exit=1;note=traversal zone without SNI: the TLS verify name vcse.example.org (given with --expect-name) is not in the certificate"

# the table of samples/README.md, from the expectations just written
python3 - "$here" <<'PY'
import glob, json, os, sys
here = sys.argv[1]
readme = os.path.join(here, "README.md")
text = open(readme).read()
head = text[: text.index("| capture |")]
rows = ["| capture | what it shows | diagnoses |", "| --- | --- | --- |"]
for f in sorted(glob.glob(os.path.join(here, "*.expect.json"))):
    e = json.load(open(f))
    codes = ", ".join("`%s`" % d for d in e["diagnoses"]) or "(none)"
    rows.append("| `%s` | %s | %s |" % (e["capture"], e["note"], codes))
open(readme, "w").write(head + "\n".join(rows) + "\n")
PY
echo "samples written to $here"
