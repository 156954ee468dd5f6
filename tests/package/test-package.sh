#!/bin/sh
# Builds certscope's Debian package from this tree, unpacks it into a scratch
# root, and runs certscope from there: --version, a bundled capture, the
# manual page and bash completion.
#
# dpkg-buildpackage writes the .deb beside the source folder, so the build
# runs on a copy of the tree (its files as they are in the working tree,
# less build folders) in a temporary folder: nothing lands beside the checkout or in its
# build folders.  The test suite already ran on this tree, so the package
# build skips it (the nocheck profile); set PACKAGE_CHECK=1 to run it there
# too.
#
# usage: tests/package/test-package.sh     (needs dpkg-dev, debhelper and the
#        build dependencies of debian/control; python3 and man-db for checks)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/certscope-package.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
passed=0
failed=0

ok() {
	echo "ok   $1"
	passed=$((passed + 1))
}

fail() {
	echo "FAIL $1${2:+: $2}"
	failed=$((failed + 1))
}

finish() {
	echo "$passed passed, $failed failed"
	if [ "$failed" -eq 0 ]; then
		exit 0
	fi
	exit 1
}

# what a package build could leave beside the checkout or in its debian/
beside() {
	ls -d "$top"/../certscope_* "$top"/../certscope-* "$top"/obj-* 2>/dev/null || true
	(cd "$top" && git status --porcelain --ignored -- debian 2>/dev/null) || true
}

# 1. A copy of the tree.
src="$work/src/certscope"
mkdir -p "$src"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# tracked files, and new ones not yet committed, but no build folder
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		grep -zv -E '^(build[^/]*|obj-[^/]*)/' |
		tar --null --no-recursion --ignore-failed-read -T - -cf -) | tar -xf - -C "$src"
else
	(cd "$top" && tar -cf - --exclude='./build*' --exclude='./obj-*' --exclude=./.git .) |
		tar -xf - -C "$src"
fi

# 2. The package.
beside >"$work/beside.before"
if [ "${PACKAGE_CHECK:-0}" = 1 ]; then
	profile=""
else
	profile="-Pnocheck"
	DEB_BUILD_OPTIONS="nocheck${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}"
	export DEB_BUILD_OPTIONS
fi
if (cd "$src" && dpkg-buildpackage -us -uc -b $profile) >"$work/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b"
else
	tail -40 "$work/build.log"
	fail "dpkg-buildpackage -us -uc -b" "see the log above"
	finish
fi
set -- "$work"/src/certscope_*.deb
if [ $# -eq 1 ] && [ -f "$1" ]; then
	deb=$1
	ok "one package: $(basename "$deb")"
else
	fail "one package" "$*"
	finish
fi
beside >"$work/beside.after"
if cmp -s "$work/beside.before" "$work/beside.after"; then
	ok "nothing written beside the checkout"
else
	fail "nothing written beside the checkout" "$(diff "$work/beside.before" "$work/beside.after")"
fi

# 3. What is in it.
dpkg-deb -c "$deb" | awk '{print $6}' >"$work/contents"
for f in ./usr/bin/certscope \
	./usr/share/man/man1/certscope.1.gz \
	./usr/share/bash-completion/completions/certscope \
	./usr/share/doc/certscope/field-guide.md \
	./usr/share/doc/certscope/copyright \
	./usr/share/doc/certscope/changelog.gz; do
	if grep -qx "$f" "$work/contents"; then
		ok "package holds $f"
	else
		fail "package holds $f"
	fi
done
version=$(dpkg-deb -f "$deb" Version)
depends=$(dpkg-deb -f "$deb" Depends)
case $depends in
*libpcap0.8*libssl3* | *libssl3*libpcap0.8*) ok "depends on libpcap and libssl: $depends" ;;
*) fail "depends on libpcap and libssl" "$depends" ;;
esac
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	# what `apt install ./certscope_*.deb` would do, without doing it
	if apt-get install -s -qq "$deb" >"$work/apt.log" 2>&1; then
		ok "apt-get could install it on this system"
	else
		fail "apt-get could install it on this system" "$(tail -5 "$work/apt.log")"
	fi
fi

# 4. Installed into a scratch root, and run from there.
root="$work/root"
dpkg -x "$deb" "$root"
bin="$root/usr/bin/certscope"
if ldd "$bin" | grep -q "not found"; then
	fail "every library certscope needs is installed" "$(ldd "$bin" | grep 'not found')"
else
	ok "every library certscope needs is installed"
fi
if out=$("$bin" --version) &&
	[ "$(echo "$out" | sed -n 1p)" = "certscope ${version%%-*}" ] &&
	echo "$out" | sed -n 2p | grep -q '^libpcap version ' &&
	echo "$out" | sed -n 3p | grep -q '^OpenSSL '; then
	ok "certscope --version: $(echo "$out" | tr '\n' ';')"
else
	fail "certscope --version" "$out"
fi

rc=0
"$bin" -r "$top/samples/unknown-ca-5061.pcap" --trust-file "$top/samples/pki/root.pem" \
	--json >"$work/sample.json" 2>"$work/sample.err" || rc=$?
if [ "$rc" = 1 ]; then
	ok "unknown-ca-5061.pcap: exit 1"
else
	fail "unknown-ca-5061.pcap: exit 1" "exit $rc: $(cat "$work/sample.err")"
fi
if python3 - "$work/sample.json" <<'EOF'; then
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
hs = [o for o in objs if o["type"] == "handshake"]
codes = [d["code"] for h in hs for d in h["diagnoses"]]
sys.exit(0 if len(hs) == 1 and "alert-unknown-ca" in codes and objs[-1]["type"] == "summary"
         else 1)
EOF
	ok "unknown-ca-5061.pcap: alert-unknown-ca in the JSON"
else
	fail "unknown-ca-5061.pcap: alert-unknown-ca in the JSON" "$(head -c 300 "$work/sample.json")"
fi

# 5. The manual page and bash completion, as installed.
page="$root/usr/share/man/man1/certscope.1.gz"
if command -v man >/dev/null &&
	MANWIDTH=80 man -l "$page" >"$work/man.txt" 2>"$work/man.err" &&
	grep -q '^EXIT STATUS' "$work/man.txt" && grep -q 'issuer-not-found' "$work/man.txt" &&
	grep -q -- '--trust-dir' "$work/man.txt" && ! grep -q . "$work/man.err"; then
	ok "man certscope renders without warnings"
elif ! command -v man >/dev/null; then
	echo "skip man certscope: man-db is not installed"
else
	fail "man certscope renders without warnings" "$(head -3 "$work/man.err")"
fi
completion="$root/usr/share/bash-completion/completions/certscope"
if [ -f /usr/share/bash-completion/bash_completion ] && command -v bash >/dev/null; then
	if bash -c '. /usr/share/bash-completion/bash_completion; . "$1"; complete -p certscope' \
		_ "$completion" | grep -q '_certscope certscope'; then
		ok "bash completion loads and completes certscope"
	else
		fail "bash completion loads and completes certscope"
	fi
else
	echo "skip bash completion: bash-completion is not installed"
fi

finish
