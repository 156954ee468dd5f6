#!/bin/sh
# Makes certscope's sample captures: a small PKI made with the openssl
# command, then real OpenSSL handshakes run in memory by tests/tools/tlsgen
# and written as pcap, each with an .expect.json of what OpenSSL did and what
# certscope must conclude.  Run from anywhere after building:
#   meson compile -C build && samples/make-samples.sh build/tests/tlsgen
# The keys are made anew on every run, so every fingerprint changes; the
# expectations are written with them.  Scenarios named after the tlsgen path
# are made alone, with the PKI and every other sample kept as they are:
#   samples/make-samples.sh build/tests/tlsgen tls13-server-secret tls13-hrr
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tlsgen=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
now=$(date +%s)
when=$((now + 60))
g() { "$tlsgen" --time "$when" "$@"; }
# the store every sample is judged against unless it says otherwise
T="args=--trust-file+pki/root.pem"

# 26. Key logs with one side's handshake secret only.  The client refuses the
# server's chain without a retry and logs only SERVER_HANDSHAKE_TRAFFIC_SECRET,
# which opens the whole server flight.  Then a good handshake whose key log
# was cut to the server's secrets: the client's Finished cannot be read, so
# it is not called completed.
scenario_tls13_server_secret() {
	g --port 5061 --server-cert pki/cucm-chain.pem --server-key pki/cucm.key \
		--client-ca pki/root.pem --tls-max 1.3 \
		--variant "tls13-server-secret-5061.pcap;keylog;args=--trust-file+pki/root.pem+--keylog+tls13-server-secret-5061.pcap.keylog;outcome=alert;diags=alert-unknown-ca+issuer-not-found;exit=1;note=TLS 1.3: the client refuses the chain from Other Root CA with unknown_ca in the clear, and its key log holds only SERVER_HANDSHAKE_TRAFFIC_SECRET (tls13-server-secret-5061.pcap.keylog), which opens the server's flight: the chain is read and judged"
	g --port 443 --sni www.example.com --server-cert pki/www-chain.pem --server-key pki/www.key \
		--client-ca pki/root.pem --tls-max 1.3 \
		--variant "tls13-no-client-secret-443.pcap;keylog;args=--trust-file+pki/root.pem+--keylog+tls13-no-client-secret-443.pcap.keylog;outcome=encrypted;diags=tls13-encrypted-certificate;note=a good TLS 1.3 handshake read with the server's secrets only (tls13-no-client-secret-443.pcap.keylog, the client's lines removed): the chain is read and judged, the client's Finished is not, and certscope says which secret is missing"
	# the client's secrets taken out of its key log: the client sent no
	# certificate, and its close_notify, which tlsgen expects from the whole
	# log, can no longer be read
	sed -i '/^CLIENT_/d' tls13-no-client-secret-443.pcap.keylog
	python3 - "$here/tls13-no-client-secret-443.expect.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
e["alerts"] = [a for a in e["alerts"] if a["from"] != "client"]
json.dump(e, open(sys.argv[1], "w"), indent=2)
PY
}

# 27. TLS 1.3 with a HelloRetryRequest: the server takes only a group the
# client (OpenSSL: a key share for X25519) sent no key share for, so both
# send the compatibility ChangeCipherSpec (RFC 8446 D.4) and the client a
# second ClientHello.  A CUCM limited to P-384 whose chain is from Other Root
# CA is refused by the client with unknown_ca, in the clear: OpenSSL's client
# sends it before it switches its own write keys, and so logs only
# SERVER_HANDSHAKE_TRAFFIC_SECRET.  Then a good retry to a server limited to
# P-256.
scenario_tls13_hrr() {
	g --port 5061 --server-cert pki/cucm-chain.pem --server-key pki/cucm.key \
		--client-ca pki/root.pem --tls-max 1.3 --server-groups P-384 \
		--variant "tls13-hrr-refused-5061.pcap;keylog;args=--trust-file+pki/root.pem+--keylog+tls13-hrr-refused-5061.pcap.keylog;outcome=alert;diags=alert-unknown-ca+issuer-not-found;exit=1;note=TLS 1.3 with a HelloRetryRequest (the server takes P-384 only): the client refuses the chain from Other Root CA with unknown_ca in the clear, read with the client's key log, which holds only SERVER_HANDSHAKE_TRAFFIC_SECRET (tls13-hrr-refused-5061.pcap.keylog)" \
		--variant "tls13-hrr-refused-nokeys-5061.pcap;$T;outcome=alert;diags=alert-unknown-ca+tls13-encrypted-certificate;exit=1;note=the same without a key log: the second ClientHello and the ServerHello are read past the compatibility ChangeCipherSpecs, the certificates are encrypted, the client's unknown_ca in the clear is read"
	g --port 443 --sni www.example.com --server-cert pki/www-chain.pem --server-key pki/www.key \
		--client-ca pki/root.pem --tls-max 1.3 --server-groups P-256 \
		--variant "tls13-hrr-443.pcap;keylog;args=--trust-file+pki/root.pem+--keylog+tls13-hrr-443.pcap.keylog;outcome=completed;note=TLS 1.3 with a HelloRetryRequest (the server takes P-256 only), read with the client's key log (tls13-hrr-443.pcap.keylog)"
}

# 30. TLS after the preamble of another protocol: a proxy's (SOCKS 5 on
# 1080, HTTP CONNECT on 8080, as Jabber and Webex clients use), RDP's X.224
# negotiation on 3389, MySQL's SSLRequest on 3306, and a protocol nobody
# knows on 9000.  Each preamble is named; each handshake is read.
scenario_preambles() {
	for spec in socks5:1080 http-connect:8080 rdp:3389 mysql:3306 unknown:9000; do
		proto=${spec%%:*} port=${spec#*:}
		g --port "$port" --starttls "$proto" --sni www.example.com \
			--server-cert pki/www-chain.pem --server-key pki/www.key \
			--client-ca pki/root.pem --tls-max 1.2 \
			--variant "preamble-$proto-$port.pcap;$T;outcome=completed;note=a $proto preamble on port $port, then a TLS 1.2 handshake with a good chain: read past the preamble, which is named"
	done
	no_findings preamble-socks5-1080 preamble-http-connect-8080 preamble-rdp-3389 \
		preamble-mysql-3306 preamble-unknown-9000
}

# Expectations of samples without a finding: "findings" written empty.
no_findings() {
	for name; do
		findings "$name" '[]'
	done
}

# findings NAME JSON: the findings of NAME.expect.json, written by hand
# (code, severity, count, refused_by, evidence), unless it has them.
findings() {
	python3 - "$here/$1.expect.json" "$2" <<'PY'
import json, sys
f = sys.argv[1]
e = json.load(open(f))
e.setdefault("findings", json.loads(sys.argv[2]))
json.dump(e, open(f, "w"), indent=2)
open(f, "a").write("\n")
PY
}

# finding CODE SEVERITY COUNT REFUSED_BY [EVIDENCE...]: one finding as JSON
finding() {
	python3 -c 'import json, sys
a = sys.argv[1:]
print(json.dumps({"code": a[0], "severity": a[1], "count": int(a[2]),
                  "refused_by": None if a[3] == "-" else a[3], "evidence": a[4:]}))' "$@"
}

# 31. What certscope reads of less common handshakes: a TLS 1.3 draft.
scenario_coverage() {
	# a TLS 1.3 handshake whose hellos are rewritten as draft 28's (OpenSSL
	# speaks no draft): named, and read as TLS 1.3
	g --port 443 --sni www.example.com --server-cert pki/www-chain.pem --server-key pki/www.key \
		--client-ca pki/root.pem --tls-max 1.3 --tls13-draft 28 \
		--variant "tls13-draft28-443.pcap;$T;outcome=encrypted;diags=tls13-encrypted-certificate;note=TLS 1.3 draft 28 (0x7f1c in supported_versions, the hellos of an OpenSSL handshake rewritten as a draft-28 stack sends them): named, and read as TLS 1.3 whose certificates are encrypted"
	findings tls13-draft28-443 "[$(finding tls13-encrypted-certificate info 1 -)]"
	# the server's leaf damaged on its way (its tbsCertificate tagged as a
	# SET): the client cannot decode it and refuses it
	g --port 443 --sni www.example.com --server-cert pki/www-chain.pem --server-key pki/www.key \
		--client-ca pki/root.pem --tls-max 1.2 --break-server-cert \
		--variant "broken-der-443.pcap;$T;outcome=alert;diags=alert-bad-certificate+certificate-undecodable;exit=1;note=HTTPS: the server's certificate is not valid DER (its tbsCertificate tagged as a SET, every length as it was): the client cannot decode it and refuses it with bad_certificate"
	findings broken-der-443 "[$(finding certificate-undecodable error 1 client alert-bad-certificate)]"
	# SSL 2.0, framed by tlsgen (no stack in Debian speaks it): the
	# server's certificate in its SERVER-HELLO is read
	g --port 443 --server-cert pki/www.pem --server-key pki/www.key --tls-max 1.2 --sslv2 \
		--variant "sslv2-server-hello-443.pcap;args=--trust-file+pki/root.pem+--trust-file+pki/inter.pem;outcome=encrypted;note=SSL 2.0, framed by tlsgen as its specification lays it out (no stack in Debian speaks it): the client's CLIENT-HELLO, the server's SERVER-HELLO with its certificate, which is read and verifies against the store, and the CLIENT-MASTER-KEY, after which SSL 2.0 is encrypted"
	no_findings sslv2-server-hello-443
	# TLS 1.2 read with the key log (CLIENT_RANDOM): the server asks for
	# the client's certificate in a renegotiation, as IIS does for a
	# protected path; the client's chain travels encrypted
	g --port 443 --sni www.example.com --server-cert pki/www-chain.pem --server-key pki/www.key \
		--client-cert pki/vcsc-chain.pem --client-key pki/vcsc.key \
		--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --tls-max 1.2 \
		--renegotiate \
		--variant "tls12-renegotiation-443.pcap;keylog;args=--trust-file+pki/root.pem+--keylog+tls12-renegotiation-443.pcap.keylog;outcome=completed;note=TLS 1.2 read with the client's key log (CLIENT_RANDOM, tls12-renegotiation-443.pcap.keylog): the server asks for the client's certificate in a renegotiation, as IIS does: the client's chain, sent encrypted, is read and verifies, and so is its close_notify after the data"
	no_findings tls12-renegotiation-443
	# the same with a client certificate from Other Root CA: the server
	# refuses it with an encrypted fatal unknown_ca, read with the key log
	g --port 443 --sni www.example.com --server-cert pki/www-chain.pem --server-key pki/www.key \
		--client-cert pki/vcsc-other-chain.pem --client-key pki/vcsc-other.key \
		--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --tls-max 1.2 \
		--renegotiate \
		--variant "tls12-encrypted-alert-443.pcap;keylog;args=--trust-file+pki/root.pem+--keylog+tls12-encrypted-alert-443.pcap.keylog;outcome=alert;diags=alert-unknown-ca+issuer-not-found;exit=1;note=TLS 1.2 read with the client's key log (tls12-encrypted-alert-443.pcap.keylog): in a renegotiation the server refuses the client's certificate from Other Root CA with a fatal unknown_ca, encrypted (Wireshark's Encrypted Alert without the key log), which the key log opens"
	findings tls12-encrypted-alert-443 "[$(finding issuer-not-found error 1 server alert-unknown-ca)]"
	# TLS 1.3: both sides close with close_notify after the data, read with
	# the key log
	g --port 443 --sni www.example.com --server-cert pki/www-chain.pem --server-key pki/www.key \
		--client-ca pki/root.pem --tls-max 1.3 --both-close \
		--variant "tls13-close-notify-443.pcap;keylog;args=--trust-file+pki/root.pem+--keylog+tls13-close-notify-443.pcap.keylog;outcome=completed;note=TLS 1.3 read with the client's key log (tls13-close-notify-443.pcap.keylog): after the application data each side sends close_notify, encrypted under its application traffic keys, and both are read"
	no_findings tls13-close-notify-443
	# a NULL cipher suite (TLS_RSA_WITH_NULL_SHA256): records after
	# ChangeCipherSpec are plaintext and a MAC, so the Finished messages and
	# both close_notify are read without keys
	g --port 443 --sni www.example.com --server-cert pki/www-chain.pem --server-key pki/www.key \
		--client-ca pki/root.pem --tls-max 1.2 --cipher-list NULL-SHA256 --both-close \
		--variant "null-cipher-443.pcap;$T;outcome=completed;note=TLS 1.2 with the NULL cipher suite TLS_RSA_WITH_NULL_SHA256 (authenticated, not encrypted): without a key log, the alerts after ChangeCipherSpec (both close_notify) are read as the plaintext they are"
	no_findings null-cipher-443
}

# 29. One CUCM address, two services, a store for each (ADDR:PORT=): SIP TLS
# on 5061 accepts clients of Example Root CA (CallManager-trust), HTTPS on
# 8443 clients of Other Root CA (tomcat-trust); each client chain is judged
# by the store of the port it was sent to, and both complete.
scenario_cucm_two_services() {
	SS="args=--trust-file+198.51.100.20:5061=pki/root.pem+--trust-file+198.51.100.20:8443=pki/other-root.pem"
	g --port 5061 --client-port 40061 --server-cert pki/cucm-chain.pem --server-key pki/cucm.key \
		--client-cert pki/vcsc-chain.pem --client-key pki/vcsc.key \
		--client-ca pki/other-root.pem --server-ca pki/root.pem --require-client-cert --tls-max 1.2 \
		--variant "/tmp/certscope-svc1.pcap;$SS;outcome=completed"
	g --port 8443 --client-port 40443 --time $((when + 5)) \
		--server-cert pki/cucm-chain.pem --server-key pki/cucm.key \
		--client-cert pki/vcsc-other-chain.pem --client-key pki/vcsc-other.key \
		--client-ca pki/other-root.pem --server-ca pki/other-root.pem --require-client-cert \
		--tls-max 1.2 \
		--variant "/tmp/certscope-svc2.pcap;$SS;outcome=completed"
	python3 - "$here" <<'PY'
import json, sys
here = sys.argv[1]
caps = [open("/tmp/certscope-svc%d.pcap" % i, "rb").read() for i in (1, 2)]
open(here + "/cucm-two-services-5061-8443.pcap", "wb").write(caps[0] + caps[1][24:])
exps = [json.load(open("/tmp/certscope-svc%d.expect.json" % i)) for i in (1, 2)]
exps[0]["server_chain_store"], exps[0]["client_chain_store"] = None, "pki/root.pem"
exps[1]["server_chain_store"], exps[1]["client_chain_store"] = None, "pki/other-root.pem"
out = {"capture": "cucm-two-services-5061-8443.pcap",
       "note": "one CUCM address, two services with a store each (ADDR:PORT=): the SIP TLS client "
               "on 5061 from Example Root CA, the HTTPS client on 8443 from Other Root CA, each "
               "chain judged by its port's store and verified",
       "args": exps[0]["args"], "handshakes": exps, "exit": 0}
json.dump(out, open(here + "/cucm-two-services-5061-8443.expect.json", "w"), indent=2)
# the stores swapped: each chain is judged by the other port's store, which
# does not hold its root; both devices completed, so the stores are not theirs
swapped = ["--trust-file", "198.51.100.20:5061=pki/other-root.pem",
           "--trust-file", "198.51.100.20:8443=pki/root.pem"]
for e, store in zip(exps, ("pki/other-root.pem", "pki/root.pem")):
    e["args"], e["client_chain_store"], e["diagnoses"] = swapped, store, ["trust-store-mismatch"]
out.update(note="the same with the two stores swapped: each client chain judged by the other "
                "port's store, trust-store-mismatch for both", args=swapped, handshakes=exps)
json.dump(out, open(here + "/cucm-two-services-5061-8443-swapped.expect.json", "w"), indent=2)
PY
	rm -f /tmp/certscope-svc1.* /tmp/certscope-svc2.*
}

# The findings of each expectation (code, severity, count, refused_by,
# evidence) are written by hand: tlsgen knows what OpenSSL did, not how
# certscope groups it; so are the server ports of a capture whose name does
# not end with its port ("ports", for samples-vs-tshark's decode-as).  They
# are kept across a regeneration: "save" copies them aside, "restore" puts
# them back into the expectations written anew.
keep_findings() {
	python3 - "$here" "$1" <<'PY'
import glob, json, os, sys
here, what = sys.argv[1], sys.argv[2]
kept = os.path.join(here, ".findings.json")
if what == "save":
    out = {}
    for f in glob.glob(os.path.join(here, "*.expect.json")):
        e = json.load(open(f))
        kept_keys = {k: e[k] for k in ("findings", "ports") if k in e}
        if kept_keys:
            out[os.path.basename(f)] = kept_keys
    json.dump(out, open(kept, "w"))
    sys.exit(0)
if not os.path.exists(kept):
    sys.exit(0)
saved = json.load(open(kept))
for name, kept_keys in saved.items():
    f = os.path.join(here, name)
    if not os.path.exists(f):
        continue
    e = json.load(open(f))
    missing = {k: v for k, v in kept_keys.items() if k not in e}
    if missing:
        e.update(missing)
        json.dump(e, open(f, "w"), indent=2)
        open(f, "a").write("\n")
os.remove(kept)
PY
}

# the table of samples/README.md, from the expectations written
readme_table() {
	python3 - "$here" <<'PY'
import glob, json, os, sys
here = sys.argv[1]
readme = os.path.join(here, "README.md")
text = open(readme).read()
head = text[: text.index("| capture |")]
rows = ["| capture | what it shows | diagnoses |", "| --- | --- | --- |"]
for f in sorted(glob.glob(os.path.join(here, "*.expect.json"))):
    e = json.load(open(f))
    diags = [d for h in e.get("handshakes", [e]) for d in h["diagnoses"]]
    codes = ", ".join("`%s`" % d for d in sorted(set(diags), key=diags.index)) or "(none)"
    rows.append("| `%s` | %s | %s |" % (e["capture"], e["note"], codes))
open(readme, "w").write(head + "\n".join(rows) + "\n")
PY
}

if [ $# -gt 0 ]; then
	cd "$here"
	keep_findings save
	for name; do
		case $name in
		tls13-server-secret) scenario_tls13_server_secret ;;
		tls13-hrr) scenario_tls13_hrr ;;
		cucm-two-services) scenario_cucm_two_services ;;
		preambles) scenario_preambles ;;
		coverage) scenario_coverage ;;
		*)
			echo "make-samples.sh: no scenario $name (tls13-server-secret, tls13-hrr, cucm-two-services, preambles, coverage)" >&2
			exit 2
			;;
		esac
	done
	keep_findings restore
	readme_table
	echo "scenarios $* written to $here"
	exit 0
fi

pki=$here/pki
rm -rf "$pki" && mkdir -p "$pki" && cd "$pki"
keep_findings save
rm -f "$here"/*.pcap "$here"/*.pcapng "$here"/*.keylog "$here"/*.expect.json

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
leafext bothco "DNS:vcsc.example.com" "serverAuth, clientAuth"
cert vcsc-other "/O=certscope samples/CN=vcsc.example.com" other-inter 825 bothco
leafext bothe2 "DNS:vcse2.example.com" "serverAuth, clientAuth"
cert vcse2 "/O=certscope samples/CN=vcse2.example.com" other-inter 825 bothe2
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
# a server certificate made from a client template: clientAuth only
leafext sipclient "DNS:sip.example.com" "clientAuth"
cert sipclient "/O=certscope samples/CN=sip.example.com" inter 825 sipclient
# a self-signed device certificate, as CUCM makes them
openssl req -x509 -newkey rsa:2048 -nodes -keyout cucm-pub.key -out cucm-pub.pem -days 1825 \
	-subj "/O=certscope samples/CN=cucm-pub.example.com" -addext "subjectAltName=DNS:cucm-pub.example.com" \
	-addext "extendedKeyUsage=serverAuth,clientAuth" 2>/dev/null
# a certificate whose subject and SAN hold an ANSI escape sequence, a
# right-to-left override and a path: text no terminal or file name may take
esc=$(printf '\033') rlo=$(printf '\342\200\256')
openssl req -x509 -newkey rsa:2048 -nodes -keyout hostile.key -out hostile.pem -days 1825 -utf8 \
	-subj "/O=certscope samples/CN=evil${esc}[31mred${rlo}txt.exe\/..\/..\/etc" \
	-addext "subjectAltName=DNS:evil${esc}[2J.example.com" 2>/dev/null
# another CA with the very subject of Example Root CA
root fake-root "Example Root CA"
# a CA and a leaf that both expire the day after they were made
openssl req -x509 -newkey rsa:2048 -nodes -keyout short-root.key -out short-root.pem -days 1 \
	-subj "/O=certscope samples/CN=Short-lived Root CA" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
leafext cms "DNS:cms.example.com" "serverAuth, clientAuth"
cert cms "/O=certscope samples/CN=cms.example.com" short-root 1 cms
rm -f ./*.ext ./*.srl

# a chain from 2015: valid then, expired since (openssl ca can set the dates)
mkdir -p old-ca && : >old-ca/index.txt && echo 1000 >old-ca/serial
cat >old-ca/ca.cnf <<'E'
[ ca ]
default_ca = old
[ old ]
database = old-ca/index.txt
new_certs_dir = old-ca
serial = old-ca/serial
default_md = sha256
policy = any
unique_subject = no
[ any ]
organizationName = supplied
commonName = supplied
[ root_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ leaf_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
subjectAltName = DNS:ldap.example.com
extendedKeyUsage = serverAuth
authorityKeyIdentifier = keyid
E
openssl req -new -newkey rsa:2048 -nodes -keyout old-root.key -out old-root.csr \
	-subj "/O=certscope samples/CN=Old Root CA" 2>/dev/null
openssl ca -batch -config old-ca/ca.cnf -selfsign -keyfile old-root.key -in old-root.csr \
	-startdate 20140101000000Z -enddate 20340101000000Z -extensions root_ext -out old-root.pem \
	-notext 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout old-ldap.key -out old-ldap.csr \
	-subj "/O=certscope samples/CN=ldap.example.com" 2>/dev/null
openssl ca -batch -config old-ca/ca.cnf -cert old-root.pem -keyfile old-root.key -in old-ldap.csr \
	-startdate 20150101000000Z -enddate 20170101000000Z -extensions leaf_ext -out old-ldap.pem \
	-notext 2>/dev/null
rm -rf old-ca ./*.csr

# chain files: leaf first, then what the device is configured to send
cat vcse.pem inter.pem root.pem >vcse-chain3.pem
cat vcsc.pem inter.pem >vcsc-chain.pem
cat cucm.pem other-inter.pem >cucm-chain.pem
cat web.pem inter.pem >web-chain.pem
cat tvs.pem inter.pem >tvs-chain.pem
cat wild.pem inter.pem >wild-chain.pem
cat capf.pem inter.pem >capf-chain.pem
cat www.pem inter.pem >www-chain.pem
cat vcse.pem root.pem inter.pem >vcse-misordered.pem
cat vcsc-other.pem other-inter.pem >vcsc-other-chain.pem
cat vcse2.pem other-inter.pem >vcse2-chain.pem
cat sipclient.pem inter.pem >sipclient-chain.pem

# trust folders for the samples
rm -rf "$here/trust-dup" "$here/trust-short" "$here/trust-mixed" "$here/trust-vcsc" "$here/trust-vcse" \
	"$here/trust-vcsc-example" "$here/trust-vcse-other"
mkdir -p "$here/trust-dup" "$here/trust-short" "$here/trust-mixed" "$here/trust-vcsc" "$here/trust-vcse" \
	"$here/trust-vcsc-example" "$here/trust-vcse-other"
# the Trusted CA lists of an Expressway-C and an Expressway-E: each holds
# Example Root CA only
cp root.pem "$here/trust-vcsc/example-root.pem"
cp root.pem "$here/trust-vcse/example-root.pem"
# the Trusted CA lists of a C and an E whose certificates come from two PKIs:
# each holds only the CA of the other side (the C's judges the E's chain)
cp root.pem "$here/trust-vcsc-example/example-root.pem"
cp other-root.pem "$here/trust-vcse-other/other-root.pem"
cp root.pem "$here/trust-dup/example-root.pem"
cp fake-root.pem "$here/trust-dup/example-root-reissued.pem"
cp short-root.pem "$here/trust-short/short-root.pem"
# every format a trust list comes in, a hashed link, and a file that is none
m=$here/trust-mixed
cat inter.pem other-inter.pem >"$m/bundle.pem"
openssl x509 -in other-root.pem -outform DER -out "$m/other-root.cer"
openssl crl2pkcs7 -nocrl -certfile root.pem -certfile inter.pem -outform DER -out "$m/chain.p7b"
openssl crl2pkcs7 -nocrl -certfile short-root.pem -out "$m/short.p7c"
cp cucm-pub.pem "$m/cucm-pub"
cp root.pem "$m/example-root.crt"
ln -s example-root.crt "$m/$(openssl x509 -hash -noout -in root.pem).0"
echo "Exported from the Trusted CA list on 2026-11-23." >"$m/README.txt"

cd "$here"

# 1. Expressway-C to Expressway-E traversal zone, mutual TLS, all good.
g --port 7001 --server-cert pki/vcse-chain3.pem --server-key pki/vcse.key \
	--client-cert pki/vcsc-chain.pem --client-key pki/vcsc.key \
	--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --tls-max 1.2 \
	--variant "good-7001.pcap;$T;outcome=completed;note=traversal zone on 7001: mutual TLS with 3-certificate server chain, both sides accept" \
	--variant "good-7001-mangled.pcap;mss=97;mangle;same-as=good-7001.pcap;$T;outcome=completed;note=the same handshake split into 97-byte segments, reordered, retransmitted with overlaps and captured twice" \
	--variant "good-7001-qinq-ipv6.pcap;link=qinq;ipv6;$T;outcome=completed;note=the same handshake over IPv6 behind 802.1ad + 802.1Q tags" \
	--variant "good-7001-sll2.pcap;link=sll2;$T;outcome=completed;note=the same handshake in Linux cooked capture v2 (tcpdump -i any)" \
	--variant "good-7001-sll.pcap;link=sll;$T;outcome=completed;note=the same handshake in Linux cooked capture v1" \
	--variant "good-7001-raw.pcap;link=raw;$T;outcome=completed;note=the same handshake as raw IP" \
	--variant "good-7001-null.pcap;link=null;$T;outcome=completed;note=the same handshake with a BSD loopback header" \
	--variant "good-7001-midstream.pcap;no-syn;$T;outcome=completed;note=the same handshake with the SYN and SYN-ACK not captured" \
	--variant "good-7001-server-only.pcap;one-sided=server;$T;outcome=incomplete;diags=capture-one-sided;note=only the server's packets: what the client sent cannot be seen" \
	--variant "good-7001-wrong-store.pcap;args=--trust-file+pki/other-root.pem;outcome=completed;diags=trust-store-mismatch+trust-store-mismatch;exit=0;note=the good traversal handshake judged against a store holding only Other Root CA: both devices completed, so the store is not theirs" \
	--variant "good-7001-dup-store.pcap;args=--trust-dir+trust-dup;outcome=completed;diags=trust-store-duplicate-subject+trust-store-duplicate-subject;note=the good traversal handshake judged against a store with two CA certificates named Example Root CA" \
	--variant "good-7001-gap.pcap;mss=300;drop=3;$T;outcome=completed;diags=capture-gap;note=a segment of the server's certificate flight was never captured"

# 2. A SIP trunk to a CUCM whose CA the client does not trust: unknown_ca from the client.
g --port 5061 --client-port 42617 --server-cert pki/cucm-chain.pem --server-key pki/cucm.key \
	--client-ca pki/root.pem --tls-max 1.2 \
	--variant "unknown-ca-5061-stale-store.pcap;args=--trust-file+192.0.2.10=pki/other-root.pem;outcome=alert;diags=alert-unknown-ca+trust-store-mismatch;exit=1;note=the same refusal judged with a trust store for the client that does trust Other Root CA: the store given is not the one the client used" \
	--variant "unknown-ca-5061.pcap;$T;outcome=alert;diags=alert-unknown-ca+issuer-not-found;exit=1;note=SIP TLS: the client refuses the server's chain from a CA it does not trust and sends unknown_ca"

# 3. The server sends its leaf without the intermediate; the client trusts only the root.
g --port 443 --sni www.example.com --server-cert pki/www.pem --server-key pki/www.key \
	--client-ca pki/root.pem --tls-max 1.2 \
	--variant "missing-intermediate-443.pcap;$T;outcome=alert;diags=alert-unknown-ca+issuer-not-found;exit=1;note=HTTPS: the server sends its leaf without the intermediate, the client sends unknown_ca"

# 4. An expired server certificate on TVS.
g --port 2445 --time $((now + 2 * 86400)) --server-cert pki/tvs-chain.pem --server-key pki/tvs.key \
	--client-ca pki/root.pem --tls-max 1.2 \
	--variant "expired-2445.pcap;$T;outcome=alert;diags=alert-certificate-expired+expired;exit=1;note=TVS: the server's certificate expired the day before, the client sends certificate_expired"

# 5. Mutual TLS where the client's certificate lacks clientAuth (a web server template).
g --port 7001 --server-cert pki/vcse-chain3.pem --server-key pki/vcse.key \
	--client-cert pki/web-chain.pem --client-key pki/web.key \
	--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --tls-max 1.2 \
	--variant "mtls-no-clientauth-7001.pcap;$T;outcome=alert;diags=alert-unsupported-certificate+eku-missing-client-auth;exit=1;note=traversal zone: the client's certificate has serverAuth only, the server refuses it with unsupported_certificate"

# 6. TLS 1.3: the certificates travel encrypted.
g --port 443 --sni www.example.com --server-cert pki/www-chain.pem --server-key pki/www.key \
	--client-ca pki/root.pem --tls-max 1.3 \
	--variant "tls13-443.pcap;$T;outcome=encrypted;diags=tls13-encrypted-certificate;note=TLS 1.3: certificates encrypted, nothing to check without a key log"

# 7. A Java-like client that refuses the chain and closes without an alert.
g --port 8443 --sni cucm.other.test --server-cert pki/cucm-chain.pem --server-key pki/cucm.key \
	--client-ca pki/root.pem --tls-max 1.2 --silent-close client --rst \
	--variant "silent-close-8443.pcap;$T;outcome=aborted;diags=aborted-after-certificate+issuer-not-found;exit=1;note=the client resets the connection right after the server's certificate, without an alert"

# 8. The server requires a client certificate and the client has none.
g --port 7001 --server-cert pki/vcse-chain3.pem --server-key pki/vcse.key \
	--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --ca-names pki/root.pem \
	--tls-max 1.2 \
	--variant "no-client-cert-7001.pcap;$T;outcome=alert;diags=alert-handshake-failure+no-client-certificate;exit=1;note=traversal zone: the client sends an empty Certificate and the server ends with handshake_failure"

# 9. The server lists the CAs it accepts and the client's certificate is from another.
g --port 5061 --server-cert pki/vcse-chain3.pem --server-key pki/vcse.key \
	--client-cert pki/cucm-chain.pem --client-key pki/cucm.key \
	--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --ca-names pki/root.pem \
	--tls-max 1.2 \
	--variant "client-ca-not-accepted-5061.pcap;$T;outcome=alert;diags=alert-unknown-ca+client-ca-not-accepted+issuer-not-found;exit=1;note=SIP TLS: the server accepts clients of Example Root CA only and refuses a certificate from Other Root CA with unknown_ca"

# 10. The client asked for one name and the certificate holds another.
g --port 443 --sni portal.example.net --server-cert pki/www-chain.pem --server-key pki/www.key \
	--client-ca pki/root.pem --tls-max 1.2 \
	--variant "name-mismatch-443.pcap;$T;outcome=completed;diags=name-mismatch;exit=1;note=HTTPS: the SNI portal.example.net is not a name of the server's certificate (the client does not check names)"

# 11. A wildcard certificate on SIP TLS.
g --port 5061 --sni edge.example.com --server-cert pki/wild-chain.pem --server-key pki/wild.key \
	--client-ca pki/root.pem --tls-max 1.2 \
	--variant "wildcard-5061.pcap;$T;outcome=completed;diags=wildcard-name;note=SIP TLS with a wildcard certificate, which Expressway does not support"

# 12. A legacy CAPF certificate: RSA 1024 signed with SHA-1, over TLS 1.0.
g --port 3804 --server-cert pki/capf-chain.pem --server-key pki/capf.key \
	--client-ca pki/root.pem --tls-max 1.1 \
	--variant "legacy-3804.pcap;$T;outcome=completed;diags=weak-key+weak-signature;note=CAPF: a 1024-bit RSA certificate signed with SHA-1, TLS 1.1"

# 13. No SNI, the peer is configured to verify a name the certificate lacks.
g --port 7001 --server-cert pki/vcse-chain3.pem --server-key pki/vcse.key \
	--client-cert pki/vcsc-chain.pem --client-key pki/vcsc.key \
	--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --tls-max 1.2 \
	--variant "expect-name-7001.pcap;args=--trust-file+pki/root.pem+--expect-name+198.51.100.20:7001=vcse.example.org;outcome=completed;diags=name-mismatch;exit=1;note=traversal zone without SNI: the TLS verify name vcse.example.org (given with --expect-name) is not in the certificate"

# 14. A self-signed CUCM certificate on TVS.
g --port 2445 --server-cert pki/cucm-pub.pem --server-key pki/cucm-pub.key --tls-max 1.2 \
	--variant "self-signed-2445.pcap;$T;outcome=completed;diags=trust-store-mismatch;exit=0;note=TVS: a self-signed server certificate that is not in the trust store; the phone completed (it trusts TVS through its ITL)"

# 15. The server sends its chain out of order: leaf, root, intermediate.
g --port 5061 --server-cert pki/vcse-misordered.pem --server-key pki/vcse.key \
	--client-ca pki/root.pem --tls-max 1.2 \
	--variant "chain-order-5061.pcap;$T;outcome=completed;diags=chain-order;note=SIP TLS: the server sends leaf, root, intermediate"

# 16. A CA in the trust store expired before the handshake, and so did the leaf.
g --port 8443 --time $((now + 2 * 86400)) --server-cert pki/cms.pem --server-key pki/cms.key \
	--client-ca pki/short-root.pem --tls-max 1.2 \
	--variant "expired-anchor-8443.pcap;args=--trust-dir+trust-short;outcome=alert;diags=alert-certificate-expired+expired+expired;exit=1;note=HTTPS: the server's certificate and the root CA in the trust store both expired the day before"

# 17. A capture from 2016: its chain was valid then and has expired since.
g --port 636 --time 1464739200 --server-cert pki/old-ldap.pem --server-key pki/old-ldap.key \
	--client-ca pki/old-root.pem --tls-max 1.2 \
	--variant "old-ldaps-636.pcap;args=--trust-file+pki/old-root.pem;outcome=completed;note=LDAPS captured in June 2016: the chain is judged as of then (valid), though its leaf expired in 2017"

# 18. Both ends of a traversal zone, each with its own Trusted CA list.  In
# the first connection the Expressway-E refuses the Expressway-C's client
# certificate (from Other Root CA); in the second, the C refuses a second E
# peer whose certificate is from Other Root CA.
ST="args=--trust-dir+192.0.2.10=trust-vcsc+--trust-dir+198.51.100.20=trust-vcse+--trust-dir+203.0.113.9=trust-vcse"
g --port 7001 --client-port 40001 --server-cert pki/vcse-chain3.pem --server-key pki/vcse.key \
	--client-cert pki/vcsc-other-chain.pem --client-key pki/vcsc-other.key \
	--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --tls-max 1.2 \
	--variant "/tmp/certscope-tz1.pcap;$ST;outcome=alert;diags=alert-unknown-ca+issuer-not-found;exit=1"
g --port 7001 --client-port 40002 --server-ip 198.51.100.21 --time $((when + 5)) \
	--server-cert pki/vcse2-chain.pem --server-key pki/vcse2.key \
	--client-cert pki/vcsc-other-chain.pem --client-key pki/vcsc-other.key \
	--client-ca pki/root.pem --require-client-cert --tls-max 1.2 \
	--variant "/tmp/certscope-tz2.pcap;$ST;outcome=alert;diags=alert-unknown-ca+issuer-not-found;exit=1"
python3 - "$here" <<'PY'
import json, struct, sys
here = sys.argv[1]
# one capture of both connections, and one expectation listing both
caps = [open("/tmp/certscope-tz%d.pcap" % i, "rb").read() for i in (1, 2)]
open(here + "/traversal-both-ways-7001.pcap", "wb").write(caps[0] + caps[1][24:])
exps = [json.load(open("/tmp/certscope-tz%d.expect.json" % i)) for i in (1, 2)]
exps[0]["server_chain_store"], exps[0]["client_chain_store"] = "trust-vcsc", "trust-vcse"
exps[1]["server_chain_store"], exps[1]["client_chain_store"] = "trust-vcsc", None
out = {"capture": "traversal-both-ways-7001.pcap",
       "note": "traversal zone, two connections: the Expressway-E refuses the C's client certificate, "
               "then the C refuses a second E peer; each chain judged by the Trusted CA list of the "
               "device that received it (a third store, for an address in no handshake, is unused)",
       "args": exps[0]["args"], "handshakes": exps, "exit": 1, "unused_stores": ["203.0.113.9"]}
json.dump(out, open(here + "/traversal-both-ways-7001.expect.json", "w"), indent=2)
PY
rm -f /tmp/certscope-tz1.* /tmp/certscope-tz2.*

# 19. TLS 1.3 read with the client's key log, once per cipher suite.
for spec in TLS_AES_128_GCM_SHA256:aes128gcm TLS_AES_256_GCM_SHA384:aes256gcm \
	TLS_CHACHA20_POLY1305_SHA256:chacha20 TLS_AES_128_CCM_SHA256:aes128ccm; do
	suite=${spec%%:*} name=tls13-${spec#*:}-443
	g --port 443 --sni www.example.com --server-cert pki/www-chain.pem --server-key pki/www.key \
		--client-ca pki/root.pem --tls-max 1.3 --ciphersuites "$suite" \
		--variant "$name.pcap;keylog;args=--trust-file+pki/root.pem+--keylog+$name.pcap.keylog;outcome=completed;note=TLS 1.3 with $suite, read with the client's key log ($name.pcap.keylog)"
done
# the same capture with the key log of another connection, and with damaged secrets
g --port 443 --sni www.example.com --server-cert pki/www-chain.pem --server-key pki/www.key \
	--client-ca pki/root.pem --tls-max 1.3 --ciphersuites TLS_AES_128_GCM_SHA256 \
	--variant "tls13-wrong-keylog-443.pcap;args=--trust-file+pki/root.pem+--keylog+tls13-aes256gcm-443.pcap.keylog;outcome=encrypted;diags=tls13-encrypted-certificate;note=TLS 1.3 with the key log of another connection: nothing to decrypt, and certscope says so" \
	--variant "tls13-damaged-keylog-443.pcap;keylog;expect=tls13-damaged-keylog-443-unused;outcome=completed"
python3 -c '
import sys
# flip the last bit of every secret
out = []
for line in open(sys.argv[1]):
    label, random, secret = line.split()
    out.append("%s %s %s%x\n" % (label, random, secret[:-1], int(secret[-1], 16) ^ 1))
open(sys.argv[2], "w").write("".join(out))
' tls13-damaged-keylog-443.pcap.keylog tls13-damaged-keylog-443.keylog
rm -f tls13-damaged-keylog-443.pcap.keylog tls13-damaged-keylog-443-unused.expect.json
python3 - "$here" <<'PY'
import json, sys
here = sys.argv[1]
e = json.load(open(here + "/tls13-wrong-keylog-443.expect.json"))
e.update(capture="tls13-damaged-keylog-443.pcap",
         args=["--trust-file", "pki/root.pem", "--keylog", "tls13-damaged-keylog-443.keylog"],
         note="TLS 1.3 with a key log whose secrets were damaged: the records fail authentication, and certscope says so")
json.dump(e, open(here + "/tls13-damaged-keylog-443.expect.json", "w"), indent=2)
PY

# 20. TLS 1.3 mutual TLS: the server refuses the client's certificate with an encrypted alert.
g --port 7001 --server-cert pki/vcse-chain3.pem --server-key pki/vcse.key \
	--client-cert pki/vcsc-other-chain.pem --client-key pki/vcsc-other.key \
	--client-ca pki/root.pem --server-ca pki/root.pem --require-client-cert --tls-max 1.3 \
	--variant "tls13-client-refused-7001.pcap;keylog;args=--trust-file+pki/root.pem+--keylog+tls13-client-refused-7001.pcap.keylog;outcome=alert;diags=alert-unknown-ca+issuer-not-found;exit=1;note=TLS 1.3 traversal zone: the server refuses the client's certificate with an encrypted unknown_ca, read with the key log" \
	--variant "tls13-client-refused-nokeys-7001.pcap;$T;outcome=encrypted;diags=tls13-encrypted-certificate;note=the same without a key log: certscope infers an encrypted alert from the server followed by its close"

# 21. A pcapng with the key log embedded in a Decryption Secrets Block.
editcap --inject-secrets tls,tls13-aes128gcm-443.pcap.keylog tls13-aes128gcm-443.pcap tls13-dsb-443.pcapng
python3 - "$here" <<'PY'
import json, sys
here = sys.argv[1]
e = json.load(open(here + "/tls13-aes128gcm-443.expect.json"))
e.update(capture="tls13-dsb-443.pcapng", args=["--trust-file", "pki/root.pem"],
         note="the TLS 1.3 AES-128-GCM capture as pcapng with its key log in a Decryption Secrets Block (editcap --inject-secrets): read without --keylog")
json.dump(e, open(here + "/tls13-dsb-443.expect.json", "w"), indent=2)
PY

# 22. STARTTLS: the plaintext phase of each protocol, then a TLS 1.2 handshake.
for spec in xmpp:5222 xmpp:5269 smtp:587 smtp:25 imap:143 pop3:110 ftp:21 ldap:389 postgresql:5432; do
	proto=${spec%%:*} port=${spec#*:}
	g --port "$port" --starttls "$proto" --server-cert pki/www-chain.pem --server-key pki/www.key \
		--client-ca pki/root.pem --tls-max 1.2 \
		--variant "starttls-$proto-$port.pcap;$T;outcome=completed;note=STARTTLS in $proto on port $port, then a TLS 1.2 handshake with a good chain"
done

# 23. A server certificate whose subject holds an escape sequence and a bidirectional override.
g --port 443 --server-cert pki/hostile.pem --server-key pki/hostile.key --tls-max 1.2 \
	--variant "hostile-subject-443.pcap;$T;outcome=completed;diags=trust-store-mismatch;exit=0;note=a self-signed certificate whose subject holds an ANSI escape sequence, a right-to-left override and ../../: shown escaped everywhere"

# 24. A server certificate made from a client template: clientAuth only in its EKU.
g --port 5061 --server-cert pki/sipclient-chain.pem --server-key pki/sipclient.key \
	--client-ca pki/root.pem --tls-max 1.2 \
	--variant "no-serverauth-5061.pcap;$T;outcome=alert;diags=alert-unsupported-certificate+eku-missing-server-auth;exit=1;note=SIP TLS: the server's certificate has clientAuth only in its EKU, the client refuses it with unsupported_certificate"

# 25. A traversal zone whose ends trust different CAs: the Expressway-E's
# chain is from Example Root CA, the Expressway-C's client chain from Other
# Root CA, and each device's Trusted CA list holds only the other side's CA.
# Judged with each list given for its own device, both chains verify; with
# the two lists swapped, neither does, and the store keys say which list
# judged which chain.
X="args=--trust-dir+192.0.2.10=trust-vcsc-example+--trust-dir+198.51.100.20=trust-vcse-other"
S="args=--trust-dir+192.0.2.10=trust-vcse-other+--trust-dir+198.51.100.20=trust-vcsc-example"
g --port 7001 --server-cert pki/vcse-chain3.pem --server-key pki/vcse.key \
	--client-cert pki/vcsc-other-chain.pem --client-key pki/vcsc-other.key \
	--client-ca pki/root.pem --server-ca pki/other-root.pem --require-client-cert --tls-max 1.2 \
	--variant "traversal-crossed-7001.pcap;$X;outcome=completed;note=traversal zone, mutual TLS between two PKIs: the E's chain is from Example Root CA, the C's from Other Root CA, and each device's Trusted CA list (trust-vcsc-example, trust-vcse-other) holds only the other side's CA: each chain is judged by the list of the device that received it, and both verify" \
	--variant "traversal-crossed-7001.pcap;expect=traversal-crossed-7001-swapped;$S;outcome=completed;diags=trust-store-mismatch+trust-store-mismatch;exit=0;note=the crossed traversal capture judged with the two Trusted CA lists swapped (trust-vcse-other given for the C at 192.0.2.10, trust-vcsc-example for the E at 198.51.100.20): neither chain verifies, the store keys say which list judged which chain, and the advice names the device whose list must change"
python3 - "$here" <<'PY'
import json, sys
here = sys.argv[1]
# which folder judged which chain: the receiver's list
for name, server_store, client_store in (
        ("traversal-crossed-7001", "trust-vcsc-example", "trust-vcse-other"),
        ("traversal-crossed-7001-swapped", "trust-vcse-other", "trust-vcsc-example")):
    path = "%s/%s.expect.json" % (here, name)
    e = json.load(open(path))
    e["server_chain_store"], e["client_chain_store"] = server_store, client_store
    json.dump(e, open(path, "w"), indent=2)
PY

scenario_tls13_server_secret
scenario_tls13_hrr
scenario_cucm_two_services
scenario_preambles
scenario_coverage

keep_findings restore
readme_table
echo "samples written to $here"
