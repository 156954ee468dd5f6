#!/bin/sh
# Builds certscope's Debian package from this tree, unpacks it into a scratch
# root, and runs certscope from there: --version, a bundled capture, the
# manual page and bash completion.  Run as root, it then really installs the
# package with apt-get, checks the installed certscope the way a user would
# (command -v, --version, `man certscope`, bash completion, a bundled
# capture), and purges it again together with any package apt pulled in for
# it, so the machine's package set is left as it was (checked).  Not root,
# that part is skipped and says so.
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
installed=0
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	# an interrupted run does not leave the package installed
	if [ "$installed" = 1 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq certscope >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
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

# a part that cannot run here: a failure under CI (CI set), which may not
# skip its way to green
skip() {
	if [ -n "${CI:-}" ]; then
		fail "skipped, and CI may not skip: $*"
	else
		echo "skip $*"
	fi
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
	skip "man certscope: man-db is not installed"
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
	skip "bash completion: bash-completion is not installed"
fi

# 6. Really installed with apt, as on a user's machine, checked the way a user
# would use it, and purged again.  Root only: it changes the system.
pkgs() {
	dpkg-query -W -f '${binary:Package} ${Version} ${db:Status-Abbrev}\n' | sort
}
upstream() {
	v=$(dpkg-query -W -f '${Version}' "$1" 2>/dev/null) || return 1
	v=${v#*:}
	echo "${v%%-*}"
}
# the PATH of a login shell, not whatever this script was started with
user_which() {
	env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c 'command -v certscope' || true
}
# does this machine's dpkg leave manual pages out (docker "slim" images do)?
man_excluded() {
	cat /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/* 2>/dev/null |
		grep -E '^[[:space:]]*path-exclude[[:space:]=]+/usr/share/(man|groff)' || return 1
}
if [ "$(id -u)" != 0 ]; then
	skip "install with apt-get, man certscope, remove: not root"
	finish
fi
if ! command -v apt-get >/dev/null; then
	skip "install with apt-get, man certscope, remove: apt-get is not installed"
	finish
fi
before=$(dpkg-query -W -f '${db:Status-Abbrev}' certscope 2>/dev/null || true)
case $before in
"" | "un "*) ;;
*)
	skip "install with apt-get: a certscope package is already on this machine" \
		"($(dpkg-query -W -f '${Version} ${db:Status-Abbrev}' certscope)); not replacing it"
	finish
	;;
esac

pkgs >"$work/pkgs.before"
# apt reads a local .deb as the user _apt: let it
chmod go+rx "$work" "$work/src"
installed=1 # from here on, whatever part of the install happened is purged on exit
if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" >"$work/install.log" 2>&1; then
	ok "apt-get install -y ./$(basename "$deb")"
else
	fail "apt-get install -y ./$(basename "$deb")" "$(tail -15 "$work/install.log")"
	finish
fi
pkgs >"$work/pkgs.installed"
status=$(dpkg-query -W -f '${Status} ${Version}' certscope 2>&1 || true)
if [ "$status" = "install ok installed $version" ]; then
	ok "dpkg: certscope $version is installed"
else
	fail "dpkg: certscope $version is installed" "$status"
fi

# the binary a user's shell finds
found=$(user_which)
if [ "$found" = /usr/bin/certscope ]; then
	ok "command -v certscope: /usr/bin/certscope"
else
	fail "command -v certscope: /usr/bin/certscope" "${found:-not found}"
fi

# --version names certscope and the libpcap and OpenSSL it runs with, as installed
pcap_v=$(upstream libpcap0.8 || echo "?")
ssl_v=$(upstream libssl3 || echo "?")
out=$(/usr/bin/certscope --version 2>&1) || true
if [ "$(echo "$out" | sed -n 1p)" = "certscope ${version%%-*}" ] &&
	echo "$out" | sed -n 2p | grep -qE "^libpcap version ${pcap_v}([^0-9.]|\$)" &&
	echo "$out" | sed -n 3p | grep -q "^OpenSSL $ssl_v "; then
	ok "installed certscope --version: certscope ${version%%-*}, libpcap $pcap_v, OpenSSL $ssl_v"
else
	fail "installed certscope --version: certscope ${version%%-*}, libpcap $pcap_v, OpenSSL $ssl_v" "$out"
fi

# man certscope as a user types it (not man -l): found in the manual path,
# rendered at 80 columns without warnings, with NAME and the options
page=/usr/share/man/man1/certscope.1.gz
if ! command -v man >/dev/null; then
	skip "man certscope (installed): man-db is not installed"
elif [ ! -f "$page" ] && excl=$(man_excluded); then
	skip "man certscope (installed): this machine's dpkg leaves manual pages out" \
		"($(echo "$excl" | head -1 | sed 's/^[[:space:]]*//'))"
else
	where=$(env -u MANPATH man -w certscope 2>&1 || true)
	if [ "$where" = "$page" ]; then
		ok "man -w certscope: $page"
	else
		fail "man -w certscope: $page" "$where"
	fi
	# LC_ALL=C: no locale warning where LANG names one not generated, and a
	# column is a byte for the width check
	env -u MANPATH -u MANOPT LC_ALL=C MANPAGER=cat PAGER=cat MANWIDTH=80 COLUMNS=80 \
		man -P cat certscope >"$work/man-installed.txt" 2>"$work/man-installed.err" || true
	missing=""
	grep -q '^NAME$' "$work/man-installed.txt" || missing="$missing NAME"
	grep -qE '^ +certscope +- +find +why +TLS' "$work/man-installed.txt" || missing="$missing name-line"
	grep -q '^OPTIONS$' "$work/man-installed.txt" || missing="$missing OPTIONS"
	grep -q '^EXIT STATUS$' "$work/man-installed.txt" || missing="$missing EXIT-STATUS"
	for o in --trust-dir --trust-file --export-pem --keylog --expect-name --json; do
		grep -q -- "$o" "$work/man-installed.txt" || missing="$missing $o"
	done
	if awk 'length > 80 { wide = 1 } END { exit !wide }' "$work/man-installed.txt"; then
		missing="$missing (lines over 80 columns)"
	fi
	if [ -z "$missing" ] && ! grep -q . "$work/man-installed.err"; then
		ok "man certscope: NAME, OPTIONS (--trust-dir, --export-pem, ...), EXIT STATUS at 80 columns"
	else
		fail "man certscope: NAME, OPTIONS (--trust-dir, --export-pem, ...), EXIT STATUS at 80 columns" \
			"missing:${missing:- nothing}; stderr: $(head -3 "$work/man-installed.err"); $(head -5 "$work/man-installed.txt")"
	fi
fi

# bash completion, where bash-completion looks for it at the first Tab
completion=/usr/share/bash-completion/completions/certscope
if [ -f "$completion" ]; then
	ok "bash completion installed: $completion"
else
	fail "bash completion installed: $completion"
fi
if [ -f /usr/share/bash-completion/bash_completion ] && command -v bash >/dev/null; then
	# loaded on demand by name, as bash does, then run on "certscope --trust-d"
	got=$(bash -c '. /usr/share/bash-completion/bash_completion
		__load_completion certscope || exit 1
		complete -p certscope
		COMP_LINE="certscope --trust-d"; COMP_POINT=${#COMP_LINE}
		COMP_WORDS=(certscope --trust-d); COMP_CWORD=1
		_certscope certscope --trust-d certscope
		printf "reply %s\n" "${COMPREPLY[@]}"' 2>/dev/null || true)
	if echo "$got" | grep -q '_certscope certscope$' && echo "$got" | grep -qx 'reply --trust-dir='; then
		ok "bash-completion loads the installed file: certscope --trust-d<Tab> gives --trust-dir="
	else
		fail "bash-completion loads the installed file" "$got"
	fi
else
	skip "bash completion (installed): bash-completion is not installed"
fi

# the installed binary, found on the PATH, on a bundled capture
rc=0
(cd / && certscope -r "$top/samples/unknown-ca-5061.pcap" --trust-file "$top/samples/pki/root.pem" \
	--json) >"$work/installed.json" 2>"$work/installed.err" || rc=$?
if [ "$rc" = 1 ] && python3 - "$work/installed.json" <<'EOF'; then
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
hs = [o for o in objs if o["type"] == "handshake"]
ok = (len(hs) == 1 and objs[-1]["type"] == "summary" and hs[0]["server"]["port"] == 5061
      and [(a["from"], a["description"]) for a in hs[0]["alerts"]] == [("client", "unknown_ca")]
      and "alert-unknown-ca" in [d["code"] for d in hs[0]["diagnoses"]])
sys.exit(0 if ok else 1)
EOF
	ok "installed certscope on unknown-ca-5061.pcap: client's unknown_ca, alert-unknown-ca, exit 1"
else
	fail "installed certscope on unknown-ca-5061.pcap: client's unknown_ca, alert-unknown-ca, exit 1" \
		"exit $rc: $(head -c 300 "$work/installed.err") $(head -c 300 "$work/installed.json")"
fi

# removed again, with whatever apt pulled in for it
pulled=$(comm -13 "$work/pkgs.before" "$work/pkgs.installed" |
	awk '$1 != "certscope" && $1 !~ /^certscope:/ { print $1 }' | tr '\n' ' ')
# shellcheck disable=SC2086 # one word a package
if DEBIAN_FRONTEND=noninteractive apt-get purge -y -q certscope $pulled >"$work/remove.log" 2>&1; then
	installed=0
	ok "apt-get purge -y certscope${pulled:+ (and what it pulled in: $pulled)}"
else
	fail "apt-get purge -y certscope" "$(tail -10 "$work/remove.log")"
fi
left=""
for f in /usr/bin/certscope /usr/share/man/man1/certscope.1.gz \
	/usr/share/bash-completion/completions/certscope /usr/share/doc/certscope; do
	if [ -e "$f" ]; then
		left="$left $f"
	fi
done
found=$(user_which)
if [ -z "$left" ] && [ -z "$found" ]; then
	ok "removed: no certscope on the PATH, no file of the package left"
else
	fail "removed: no certscope on the PATH, no file of the package left" "$left ${found}"
fi
pkgs >"$work/pkgs.after"
if cmp -s "$work/pkgs.before" "$work/pkgs.after"; then
	ok "the machine's packages are as they were before the install"
else
	fail "the machine's packages are as they were before the install" \
		"$(diff "$work/pkgs.before" "$work/pkgs.after" | head -10)"
fi

finish
