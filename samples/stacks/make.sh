#!/bin/sh
# Makes the samples of real TLS stacks from Debian: Java (openjdk-17-jdk-
# headless), GnuTLS (gnutls-bin), NSS (libnss3-tools) and the openssl
# command, each run on loopback and captured with tcpdump, over the PKI of
# samples/pki plus the badly made CAs of samples/pki/stacks (made here when
# missing).  Each capture gets NAME.expect.json (expect.py): what tshark
# reads on the wire, checked against the chains the endpoints were given,
# and the outcome, diagnoses and findings certscope must give.  Needs root
# (tcpdump on lo) and the ports used free; the tests need none of these
# tools, only the captures.
#   samples/stacks/make.sh            every scenario
#   samples/stacks/make.sh NAME ...   the scenarios named (java-refuses, ...)
set -eu
stacks=$(cd "$(dirname "$0")" && pwd)
here=$(dirname "$stacks")
cd "$here"
for tool in tcpdump:tcpdump tshark:tshark java:openjdk-17-jdk-headless keytool:openjdk-17-jdk-headless \
	gnutls-cli:gnutls-bin gnutls-serv:gnutls-bin tstclnt:libnss3-tools certutil:libnss3-tools openssl:openssl; do
	command -v "${tool%%:*}" >/dev/null || {
		echo "make.sh: ${tool%%:*} is needed (apt-get install ${tool#*:})" >&2
		exit 2
	}
done
work=$(mktemp -d)
trap 'for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
S=pki/stacks
T="--trust-file pki/root.pem"

# ---- the PKI of badly made CAs, below Example Root CA -------------------
# bad NAME CN EXTENSIONS [ISSUER]: a CA (or not) signed by ISSUER (root)
bad() {
	printf '%b\n' "$3" >"$work/$1.ext"
	openssl req -new -newkey rsa:2048 -nodes -keyout "$S/$1.key" -out "$work/$1.csr" \
		-subj "/O=certscope samples/CN=$2" 2>/dev/null
	openssl x509 -req -in "$work/$1.csr" -CA "${4:-pki/root}.pem" -CAkey "${4:-pki/root}.key" \
		-set_serial "0x$(openssl rand -hex 8)" -out "$S/$1.pem" -days 3650 -extfile "$work/$1.ext" \
		${5:-} 2>/dev/null
}
# leaf NAME ISSUER [SIGOPTS]: www.example.com (and 127.0.0.1) from ISSUER
leaf() {
	bad "$1" www.example.com "basicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nsubjectAltName = DNS:www.example.com, IP:127.0.0.1\nextendedKeyUsage = serverAuth, clientAuth\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid" "$2" "${3:-}"
	cat "$S/$1.pem" >"$S/$1-chain.pem"
}
CA="subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid"
if [ ! -f "$S/notca.pem" ]; then
	mkdir -p "$S"
	bad notca "Not-a-CA Issuing CA" "basicConstraints = CA:FALSE\n$CA"
	bad noks "No-keyCertSign CA" "basicConstraints = critical, CA:TRUE\nkeyUsage = critical, digitalSignature, cRLSign\n$CA"
	bad p0 "Pathlen-0 CA" "basicConstraints = critical, CA:TRUE, pathlen:0\nkeyUsage = critical, keyCertSign, cRLSign\n$CA"
	bad sub "Sub CA" "basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n$CA" "$S/p0"
	bad nc "Corp-only CA" "basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\nnameConstraints = critical, permitted;DNS:.corp.example.com\n$CA"
	bad clientca "Client-only CA" "basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\nextendedKeyUsage = clientAuth\n$CA"
	for ca in notca noks sub nc clientca; do
		leaf "leaf-$ca" "$S/$ca"
	done
	cat "$S/notca.pem" >>"$S/leaf-notca-chain.pem"
	cat "$S/noks.pem" >>"$S/leaf-noks-chain.pem"
	cat "$S/sub.pem" "$S/p0.pem" >>"$S/leaf-sub-chain.pem"
	cat "$S/nc.pem" >>"$S/leaf-nc-chain.pem"
	cat "$S/clientca.pem" >>"$S/leaf-clientca-chain.pem"
	# RSASSA-PSS over SHA-1 by Example Issuing CA
	leaf leaf-pss pki/inter "-sha1 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:20"
	cat pki/inter.pem >>"$S/leaf-pss-chain.pem"
	# a leaf of Example Issuing CA and the CRL that revokes it
	leaf leaf-revoked pki/inter
	cat pki/inter.pem >>"$S/leaf-revoked-chain.pem"
	printf '[ca]\ndefault_ca = c\n[c]\ndatabase = %s/index\ncrlnumber = %s/crlnumber\ndefault_md = sha256\ndefault_crl_days = 3650\n' \
		"$work" "$work" >"$work/ca.cnf"
	: >"$work/index"
	echo 01 >"$work/crlnumber"
	openssl ca -config "$work/ca.cnf" -keyfile pki/inter.key -cert pki/inter.pem \
		-revoke "$S/leaf-revoked.pem" 2>/dev/null
	openssl ca -config "$work/ca.cnf" -keyfile pki/inter.key -cert pki/inter.pem -gencrl \
		-out "$S/inter.crl" 2>/dev/null
fi
# what a server sends after its leaf
for c in notca noks sub nc clientca pss revoked; do
	sed 1,/END/d $S/leaf-$c-chain.pem >"$work/$c-rest.pem"
done
# the Java stores: Example Root CA trusted; keys and chains as PKCS#12
keytool -importcert -noprompt -storetype PKCS12 -keystore "$work/trust.p12" -storepass changeit \
	-alias root -file pki/root.pem >/dev/null 2>&1
p12() { openssl pkcs12 -export -in "$2" -inkey "$3" -out "$work/$1.p12" -passout pass:changeit; }
p12 cucm pki/cucm-chain.pem pki/cucm.key
p12 vcsc-other pki/vcsc-other-chain.pem pki/vcsc-other.key
p12 www pki/www-chain.pem pki/www.key
# the NSS database: Example Root CA trusted for servers
certutil -N -d "sql:$work/nss" --empty-password 2>/dev/null || {
	mkdir -p "$work/nss"
	certutil -N -d "sql:$work/nss" --empty-password
}
certutil -A -d "sql:$work/nss" -n root -t "C,," -i pki/root.pem

# ---- capturing ----------------------------------------------------------
# capture FILE PORT: tcpdump on lo for that port until stop
capture() {
	free "$2"
	rm -f "$1"
	: >"$work/tcpdump.err"
	tcpdump -i lo -U -s 0 -w "$1" "tcp port $2" 2>"$work/tcpdump.err" &
	cap=$!
	until grep -q listening "$work/tcpdump.err"; do sleep 0.1; done
}
stop() {
	sleep 1
	kill "$cap"
	wait "$cap" 2>/dev/null || true
}
# listen PORT: wait until a server listens there
listen() {
	i=0
	until ss -ltn | grep -q "127.0.0.1:$1 \|\*:$1 \|0.0.0.0:$1 \|\[::\]:$1 "; do
		i=$((i + 1))
		[ $i -lt 200 ] || { echo "make.sh: nothing listens on $1" >&2; exit 1; }
		sleep 0.1
	done
}
# free PORT: wait until the server of the last scenario left the port
free() {
	i=0
	while ss -ltn | grep -q ":$1 "; do
		i=$((i + 1))
		[ $i -lt 200 ] || { echo "make.sh: port $1 stays busy" >&2; exit 1; }
		sleep 0.1
	done
}
java_tls() { java "$stacks/JavaTls.java" "$@"; }
expect() { python3 "$stacks/expect.py" "$@"; }
# an openssl server on PORT sending LEAF and REST, its key KEY [options]
ossl_server() {
	port=$1 leafcert=$2 key=$3 rest=$4
	shift 4
	free "$port"
	openssl s_server -accept "$port" -cert "$leafcert" -key "$key" -cert_chain "$rest" \
		-naccept 1 -quiet "$@" </dev/null >"$work/s_server.out" 2>&1 &
	listen "$port"
}
# an openssl client refusing what it does not verify, with Example Root CA
ossl_client() {
	port=$1
	shift
	echo | openssl s_client -connect "127.0.0.1:$port" -CAfile pki/root.pem -verify_return_error \
		-ign_eof "$@" >"$work/s_client.out" 2>&1 || true
}

# ---- the scenarios --------------------------------------------------------

# Java's client (TLS 1.2) refuses the CUCM chain of Other Root CA: its
# trust store holds Example Root CA only.
scenario_java_refuses() {
	f=stack-java-refuses-server-8443.pcap
	capture $f 8443
	ossl_server 8443 pki/cucm.pem pki/cucm.key pki/other-inter.pem
	java_tls client 8443 TLSv1.2 "$work/trust.p12" 2>"$work/java.err" || true
	stop
	expect $f 8443 "Java (JSSE) client, TLS 1.2: its trust store holds Example Root CA only, and it refuses the chain from Other Root CA with certificate_unknown" \
		"$T" alert "alert-certificate-unknown issuer-not-found" 1 "issuer-not-found:error:client:alert-certificate-unknown" \
		--server-chain pki/cucm-chain.pem
}

# Java's server (TLS 1.2, client certificate required) refuses a client
# chain from Other Root CA; its CertificateRequest lists its trust store.
scenario_java_server_refuses() {
	f=stack-java-server-refuses-client-8443.pcap
	capture $f 8443
	java_tls server 8443 TLSv1.2 "$work/trust.p12" "$work/www.p12" need >"$work/java.out" 2>"$work/java.err" &
	listen 8443
	ossl_client 8443 -cert pki/vcsc-other.pem -key pki/vcsc-other.key -cert_chain pki/other-inter.pem
	wait $! 2>/dev/null || true
	stop
	expect $f 8443 "Java (JSSE) server, TLS 1.2, client certificate required: it refuses the client's chain from Other Root CA" \
		"$T" alert "alert-certificate-unknown client-ca-not-accepted issuer-not-found" 1 \
		"issuer-not-found:error:server:alert-certificate-unknown,client-ca-not-accepted" \
		--server-chain pki/www-chain.pem --client-chain pki/vcsc-other-chain.pem
}

# Java's client in TLS 1.3 refuses the chain; no key log: its alert, padded
# to 35 bytes, is inferred from the record sizes.
scenario_java_tls13() {
	f=stack-java-tls13-nokeys-8443.pcap
	capture $f 8443
	ossl_server 8443 pki/cucm.pem pki/cucm.key pki/other-inter.pem
	java_tls client 8443 TLSv1.3 "$work/trust.p12" 2>"$work/java.err" || true
	stop
	expect $f 8443 "Java (JSSE) client, TLS 1.3 without a key log: it refuses the chain from Other Root CA; its encrypted alert, padded to 35 bytes, is inferred from the record sizes" \
		"$T" encrypted "tls13-encrypted-certificate" 0 "tls13-encrypted-certificate:info:-"
}

# Java's client holds only a certificate from Other Root CA; the server
# (openssl, CA list Example Root CA) requires one: Java sends none.
scenario_java_no_cert() {
	f=stack-java-no-client-cert-8443.pcap
	capture $f 8443
	ossl_server 8443 pki/www.pem pki/www.key pki/inter.pem -Verify 1 -CAfile pki/root.pem
	java_tls client 8443 TLSv1.2 "$work/trust.p12" "$work/vcsc-other.p12" 2>"$work/java.err" || true
	stop
	expect $f 8443 "Java (JSSE) client, TLS 1.2: the server lists only Example Root CA in its CertificateRequest, the client's one certificate is from Other Root CA, so it sends none; the server ends with handshake_failure" \
		"$T" alert "alert-handshake-failure no-client-certificate" 1 "no-client-certificate:error:server:alert-handshake-failure" \
		--server-chain pki/www-chain.pem
}

# GnuTLS's client (TLS 1.2) refuses the chain of Other Root CA (issuer
# unknown).
scenario_gnutls_refuses() {
	f=stack-gnutls-refuses-server-5061.pcap
	capture $f 5061
	ossl_server 5061 pki/cucm.pem pki/cucm.key pki/other-inter.pem
	gnutls-cli --priority NORMAL:-VERS-TLS1.3 --x509cafile pki/root.pem -p 5061 127.0.0.1 </dev/null >"$work/gnutls.out" 2>&1 || true
	stop
	expect $f 5061 "GnuTLS client: it refuses the chain from Other Root CA, whose issuer it cannot find, with bad_certificate" \
		"$T" alert "alert-bad-certificate issuer-not-found" 1 "issuer-not-found:error:client:alert-bad-certificate" \
		--server-chain pki/cucm-chain.pem
}

# GnuTLS's server (TLS 1.2) requires a client certificate from Example
# Root CA (its CertificateRequest lists it) and refuses one from Other Root
# CA with access_denied, then bad_certificate.
scenario_gnutls_server_refuses() {
	f=stack-gnutls-server-refuses-client-7001.pcap
	capture $f 7001
	gnutls-serv -p 7001 --x509certfile pki/vcse-chain3.pem --x509keyfile pki/vcse.key \
		--x509cafile pki/root.pem --require-client-cert --verify-client-cert --priority NORMAL:-VERS-TLS1.3 \
		>"$work/gnutls-serv.out" 2>&1 &
	srv=$!
	listen 7001
	ossl_client 7001 -cert pki/vcsc-other.pem -key pki/vcsc-other.key -cert_chain pki/other-inter.pem
	kill $srv
	wait $srv 2>/dev/null || true
	stop
	expect $f 7001 "GnuTLS server, client certificate required: it refuses the client's chain from Other Root CA" \
		"$T" alert "$GNUTLS_SERVER_DIAGS" 1 "$GNUTLS_SERVER_FINDINGS" \
		--server-chain pki/vcse-chain3.pem --client-chain pki/vcsc-other-chain.pem
}

# GnuTLS both ways in TLS 1.3, with the client's key log: a good chain;
# gnutls-serv asks for a client certificate (with no CA list), and the
# client has none.
scenario_gnutls_tls13() {
	f=stack-gnutls-tls13-443.pcap
	capture $f 443
	gnutls-serv -p 443 --x509certfile pki/www-chain.pem --x509keyfile pki/www.key \
		>"$work/gnutls-serv.out" 2>&1 &
	srv=$!
	listen 443
	rm -f $f.keylog
	echo | SSLKEYLOGFILE=$f.keylog gnutls-cli --x509cafile pki/root.pem -p 443 \
		--verify-hostname www.example.com 127.0.0.1 >"$work/gnutls.out" 2>&1 || true
	kill $srv
	wait $srv 2>/dev/null || true
	stop
	expect $f 443 "GnuTLS client and server, TLS 1.3, read with the client's key log ($f.keylog): a good chain; the server asks for a client certificate and the client has none" \
		"$T --keylog $f.keylog" completed "no-client-certificate" 0 "no-client-certificate:warning:-" \
		--keylog $f.keylog --server-chain pki/www-chain.pem
}

# NSS's client (tstclnt) refuses a chain whose CA allows no CA below it;
# it checks after its own Finished, so its alert is encrypted.
scenario_nss_pathlen() {
	f=stack-nss-pathlen-443.pcap
	capture $f 443
	ossl_server 443 $S/leaf-sub.pem $S/leaf-sub.key "$work/sub-rest.pem"
	echo | tstclnt -h 127.0.0.1 -p 443 -d "sql:$work/nss" -V tls1.2:tls1.2 >"$work/nss.out" 2>&1 || true
	stop
	expect $f 443 "NSS client (tstclnt), TLS 1.2: the chain runs through a CA below a CA with pathlen:0; NSS refuses it after its own Finished, with an encrypted alert, so the handshake reads completed and invalid-issuer says why a sound verifier refuses it" \
		"$T" completed "invalid-issuer" 1 "invalid-issuer:error:-" --server-chain $S/leaf-sub-chain.pem
}

# openssl's client (TLS 1.2, so the chains are in clear) refuses each
# badly made chain, and a revoked certificate: ossl_refuses NAME CA PORT
ossl_refuses() {
	f=stack-openssl-$1-$3.pcap
	capture $f $3
	ossl_server $3 $S/leaf-$2.pem $S/leaf-$2.key "$work/$2-rest.pem" $OSSL_SERVER_OPTS
	ossl_client $3 -tls1_2 $OSSL_CLIENT_OPTS
	stop
}
scenario_openssl() {
	OSSL_CLIENT_OPTS= OSSL_SERVER_OPTS=
	ossl_refuses ca-false notca 443
	expect stack-openssl-ca-false-443.pcap 443 "openssl client: the server's issuing CA says CA:FALSE; refused with unknown_ca" \
		"$T" alert "alert-unknown-ca invalid-issuer" 1 "invalid-issuer:error:client:alert-unknown-ca" \
		--server-chain $S/leaf-notca-chain.pem
	ossl_refuses no-keycertsign noks 443
	expect stack-openssl-no-keycertsign-443.pcap 443 "openssl client: the server's issuing CA lacks keyCertSign, in issuing order (no chain-order); refused with unknown_ca" \
		"$T" alert "alert-unknown-ca invalid-issuer" 1 "invalid-issuer:error:client:alert-unknown-ca" \
		--server-chain $S/leaf-noks-chain.pem
	ossl_refuses pathlen sub 443
	expect stack-openssl-pathlen-443.pcap 443 "openssl client: a CA below a CA with pathlen:0; refused with unknown_ca" \
		"$T" alert "alert-unknown-ca invalid-issuer" 1 "invalid-issuer:error:client:alert-unknown-ca" \
		--server-chain $S/leaf-sub-chain.pem
	ossl_refuses name-constraints nc 5061
	expect stack-openssl-name-constraints-5061.pcap 5061 "openssl client: the leaf www.example.com is outside its CA's permitted .corp.example.com; refused with certificate_unknown" \
		"$T" alert "alert-certificate-unknown invalid-issuer" 1 "invalid-issuer:error:client:alert-certificate-unknown" \
		--server-chain $S/leaf-nc-chain.pem
	ossl_refuses purpose clientca 443
	expect stack-openssl-purpose-443.pcap 443 "openssl client: the server's issuing CA has clientAuth only in its extended key usage; refused with unsupported_certificate" \
		"$T" alert "alert-unsupported-certificate invalid-issuer" 1 "invalid-issuer:error:client:alert-unsupported-certificate" \
		--server-chain $S/leaf-clientca-chain.pem
	# the server itself at security level 0, or it would not send it
	OSSL_SERVER_OPTS="-cipher DEFAULT:@SECLEVEL=0"
	ossl_refuses rsa-pss-sha1 pss 443
	OSSL_SERVER_OPTS=
	expect stack-openssl-rsa-pss-sha1-443.pcap 443 "openssl client at its default security level: the leaf is signed with RSASSA-PSS over SHA-1; refused with bad_certificate" \
		"$T" alert "alert-bad-certificate weak-signature" 1 "weak-signature:error:client:alert-bad-certificate" \
		--server-chain $S/leaf-pss-chain.pem
	OSSL_CLIENT_OPTS="-crl_check -CRL $S/inter.crl"
	ossl_refuses revoked revoked 5061
	expect stack-openssl-revoked-5061.pcap 5061 "openssl client checking Example Issuing CA's CRL: the server's certificate is revoked; refused with certificate_revoked (the store holds the root: not the reason)" \
		"$T" alert "alert-certificate-revoked" 1 "alert-certificate-revoked:error:client" \
		--server-chain $S/leaf-revoked-chain.pem
}

# the table of samples/README.md, from every expectation (as make-samples.sh
# writes it)
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

all="java-refuses java-server-refuses java-tls13 java-no-cert gnutls-refuses gnutls-server-refuses gnutls-tls13 nss-pathlen openssl"
# access_denied, then bad_certificate, both joining the missing issuer
GNUTLS_SERVER_DIAGS="alert-access-denied alert-bad-certificate client-ca-not-accepted issuer-not-found"
GNUTLS_SERVER_FINDINGS="issuer-not-found:error:server:alert-access-denied,alert-bad-certificate,client-ca-not-accepted"
for name in ${@:-$all}; do
	case $name in
	java-refuses) scenario_java_refuses ;;
	java-server-refuses) scenario_java_server_refuses ;;
	java-tls13) scenario_java_tls13 ;;
	java-no-cert) scenario_java_no_cert ;;
	gnutls-refuses) scenario_gnutls_refuses ;;
	gnutls-server-refuses) scenario_gnutls_server_refuses ;;
	gnutls-tls13) scenario_gnutls_tls13 ;;
	nss-pathlen) scenario_nss_pathlen ;;
	openssl) scenario_openssl ;;
	*)
		echo "make.sh: no scenario $name ($all)" >&2
		exit 2
		;;
	esac
	echo "made $name"
done
readme_table
