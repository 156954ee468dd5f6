#!/bin/bash
# certscope's offline benchmark (not part of `meson test`).
#
#   tools/bench/run.sh [--quick] [--rev REV] [--reps N] [--no-tshark] [--no-ssldump]
#                      [--only NAME,...] [--report-only]
#
# Builds certscope in build-bench (buildtype=release) with tools/bench/gen.c
# and tools/bench/loop.c beside it (with --rev, the commit REV exported with
# git archive to $BENCH_DIR/src-REV and built in $BENCH_DIR/build-REV, so the
# numbers belong to a commit, not to a tree being edited), generates captures
# under $BENCH_DIR
# (default /tmp/certscope-bench; kept between runs, keyed by seed, size and
# the samples they are made from), then runs on each, side by side and
# --reps times (medians are printed):
#   loop       a bare libpcap read loop (the floor), libpcap opening the file
#   loop-1M    the same loop given the 1 MiB stdio buffer certscope gives libpcap
#   certscope  --json to /dev/null, judged against samples/pki/root.pem
#              (a snapshot of it and of the four samples the captures are made
#              from, taken together, in $BENCH_DIR/samples)
#   certscope-default  the same with no trust option: the system's store
#   tshark     extracting the same certificates (when installed)
#   ssldump    (installed from Debian 12 when missing)
# and checks that certscope found as many certificates as tshark and as the
# generator put in.  Prints a Markdown table, also written to
# $BENCH_DIR/results.md.
#
# Environment: BENCH_DIR, SEED (1), TSHARK_MAX_MB (1100: tshark is skipped on
# larger captures), LONG_CONNS (1000) and LONG_MB (4 per connection).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${BENCH_DIR:-/tmp/certscope-bench}
seed=${SEED:-1}
tshark_max_mb=${TSHARK_MAX_MB:-1100}
long_conns=${LONG_CONNS:-1000}
long_mb=${LONG_MB:-4}
report_only=0 quick=0 reps=3 use_tshark=1 use_ssldump=1 only="" rev=""
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--reps) reps=$2; shift ;;
	--rev) rev=$2; shift ;;
	--no-tshark) use_tshark=0 ;;
	--no-ssldump) use_ssldump=0 ;;
	--only) only=$2; shift ;;
	--report-only) report_only=1 ;;
	-h | --help) sed -n '2,29p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
if [ $quick = 1 ]; then
	long_conns=${LONG_CONNS:-100}
	long_mb=${LONG_MB:-1}
fi
say() { echo "bench: $*" >&2; }

# ---- tools -----------------------------------------------------------------
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
if [ ! -x /usr/bin/time ]; then
	say "installing the time package"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y time >/dev/null
fi
if [ $use_ssldump = 1 ] && ! command -v ssldump >/dev/null; then
	# only from Debian 12's own archive
	if grep -q '^VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null &&
		apt-cache policy ssldump 2>/dev/null | grep -q 'Candidate: [0-9]'; then
		say "installing ssldump from Debian 12"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y ssldump >/dev/null || true
	fi
fi
have_tshark=0; [ $use_tshark = 1 ] && command -v tshark >/dev/null && have_tshark=1
have_ssldump=0; [ $use_ssldump = 1 ] && command -v ssldump >/dev/null && have_ssldump=1

src=$root bdir=$root/build-bench
if [ -n "$rev" ]; then
	sha=$(git -C "$root" rev-parse --short "$rev^{commit}")
	src=$work/src-$sha bdir=$work/build-$sha
	if [ ! -f "$src/meson.build" ]; then
		rm -rf "$src.tmp" && mkdir -p "$src.tmp"
		git -C "$root" archive "$sha" | tar -x -C "$src.tmp"
		mv "$src.tmp" "$src"
	fi
fi
if [ ! -f "$bdir/build.ninja" ]; then
	meson setup "$bdir" "$src" --buildtype=release >/dev/null
else
	meson configure "$bdir" -Dbuildtype=release >/dev/null
fi
meson compile -C "$bdir" certscope >/dev/null
mkdir -p "$bdir/bench" "$work/results"
cc -O2 -Wall -Wextra -o "$bdir/bench/gen" "$here/gen.c" $(pkg-config --cflags --libs libpcap) -lm
cc -O2 -Wall -Wextra -o "$bdir/bench/loop" "$here/loop.c" $(pkg-config --cflags --libs libpcap)
gen=$bdir/bench/gen loop=$bdir/bench/loop certscope=$bdir/certscope
samples="good-7001 unknown-ca-5061 missing-intermediate-443 mtls-no-clientauth-7001"
# A snapshot of the samples and their root: samples/make-samples.sh makes new
# keys on every run, so the captures and the trust anchor must come from the
# same run of it (checked: the good handshake verifies against the root).
snap=$work/samples
for try in 1 2 3 4 5 6 7 8 9 10; do
	rm -rf "$snap.new" && mkdir -p "$snap.new"
	for s in $samples; do cp "$src/samples/$s.pcap" "$snap.new/"; done
	cp "$src/samples/pki/root.pem" "$snap.new/"
	if "$certscope" -q -r "$snap.new/good-7001.pcap" --json --trust-file "$snap.new/root.pem" >/dev/null 2>&1; then
		break
	fi
	[ $try = 10 ] && { say "samples/good-7001.pcap does not verify against samples/pki/root.pem"; exit 1; }
	sleep 3
done
rm -rf "$snap" && mv "$snap.new" "$snap"
trust=$snap/root.pem
sample_key=$(cat "$snap"/*.pcap "$snap/root.pem" | md5sum | cut -c1-8)

# certificates in each sample, as tshark (else certscope) counts them
tsh_args=(-n -T fields -e tls.handshake.certificate -d tcp.port==7001,tls -d tcp.port==5061,tls -d tcp.port==2445,tls)
tsh() { tshark -r "$1" "${tsh_args[@]}" 2>/dev/null; }
count_tsh() { awk -F, 'length($0) { n += NF } END { print n + 0 }'; }
declare -A per_kind
kinds=(good unknown_ca missing_intermediate mtls_no_clientauth)
i=0
for s in $samples; do
	if [ $have_tshark = 1 ]; then
		per_kind[${kinds[$i]}]=$(tsh "$snap/$s.pcap" | count_tsh)
	else
		per_kind[${kinds[$i]}]=$("$certscope" -q -r "$snap/$s.pcap" --json --trust-file "$trust" |
			python3 "$here/count.py" | sed 's/.*certs=\([0-9]*\).*/\1/')
	fi
	i=$((i + 1))
done

# ---- the captures ------------------------------------------------------------
# name profile gen-arguments
if [ $quick = 1 ]; then
	sets=(
		"mix-20M mix --size $((20 << 20))"
		"mix-50M mix --size $((50 << 20))"
		"short-10k short --conns 10000"
		"short-50k short --conns 50000"
		"long-${long_conns}x${long_mb}M long --conns $long_conns --bulk $((long_mb << 20))"
	)
else
	sets=(
		"mix-50M mix --size $((50 << 20))"
		"mix-200M mix --size $((200 << 20))"
		"mix-1G mix --size $((1 << 30))"
		"short-10k short --conns 10000"
		"short-100k short --conns 100000"
		"short-1M short --conns 1000000"
		"long-${long_conns}x${long_mb}M long --conns $long_conns --bulk $((long_mb << 20))"
	)
fi

median() { sort -g | awk '{ a[NR] = $1 } END { if (!NR) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
kv() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" "$2"; }
load() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/'; }

# timed TAG OUT CMD...: "elapsed user sys maxrss(KiB)" appended to OUT.TAG;
# elapsed from bash's clock (microseconds), the rest from /usr/bin/time
timed() {
	local tag=$1 out=$2 t0 t1
	shift 2
	t0=$EPOCHREALTIME
	/usr/bin/time -f "%U %S %M" -o "$out.$tag.t" "$@" >/dev/null 2>"$out.$tag.err" || true
	t1=$EPOCHREALTIME
	grep -E '^[0-9.]+ [0-9.]+ [0-9]+$' "$out.$tag.t" | awk -v a="$t0" -v b="$t1" '{ printf "%.4f %s\n", b - a, $0 }' >>"$out.$tag"
}

[ $report_only = 1 ] && sets=() # reprint the table of the last run
[ $report_only = 1 ] || : >"$work/results/rows"
for set in "${sets[@]}"; do
	read -r name profile args <<<"$set"
	if [ -n "$only" ] && ! echo ",$only," | grep -q ",$name,"; then continue; fi
	file=$work/$name-s$seed-$sample_key.pcap
	meta=$file.meta
	if [ ! -s "$meta" ] || [ ! -s "$file" ]; then
		say "generating $name"
		rm -f "$work"/$name-s*.pcap "$work"/$name-s*.pcap.meta
		"$gen" --samples "$snap" --profile $profile $args --seed "$seed" -o "$file" >"$meta.tmp"
		mv "$meta.tmp" "$meta"
	fi
	bytes=$(stat -c %s "$file")
	mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
	run_tshark=0
	if [ $have_tshark = 1 ] && awk -v m="$mb" -v x="$tshark_max_mb" 'BEGIN { exit !(m <= x) }'; then
		run_tshark=1
	fi
	# a million short connections takes certscope minutes a run: fewer repetitions there
	r=$reps
	case $name in short-1M) r=1 ;; esac
	out=$work/results/$name
	rm -f "$out".*
	load0=$(load)
	say "$name: $mb MiB, warming the page cache (load $load0)"
	cat "$file" >/dev/null
	for rep in $(seq 1 $r); do
		say "$name: run $rep/$r"
		timed loop "$out" "$loop" "$file"
		timed loop-1M "$out" "$loop" --buffer 1048576 "$file"
		if [ $r = 1 ]; then
			# one run only (short-1M): its NDJSON is kept for the count below
			timed certscope "$out" sh -c 'f=$1; shift; "$0" "$@" >"$f.ndjson"' "$certscope" "$file" -q -r "$file" --json --trust-file "$trust"
		else
			timed certscope "$out" "$certscope" -q -r "$file" --json --trust-file "$trust"
		fi
		timed certscope-default "$out" "$certscope" -q -r "$file" --json
		if [ $run_tshark = 1 ]; then
			# tshark's output is counted as it is timed: no extra run
			timed tshark "$out" sh -c 'tshark -r "$0" "$@" 2>/dev/null | awk -F, '"'"'length($0) { n += NF } END { print n + 0 }'"'"' >"$0.tshcount"' "$file" "${tsh_args[@]}"
			if [ $have_ssldump = 1 ]; then
				timed ssldump "$out" ssldump -n -r "$file"
			fi
		fi
	done
	load1=$(load)
	# counts: certscope's NDJSON, tshark's fields, ssldump's Certificate messages
	say "$name: counting certificates"
	"$loop" "$file" >"$out.loopcount"
	if [ -f "$file.ndjson" ]; then
		python3 "$here/count.py" <"$file.ndjson" >"$out.count" || true
		rm -f "$file.ndjson"
	else
		"$certscope" -q -r "$file" --json --trust-file "$trust" 2>/dev/null | python3 "$here/count.py" >"$out.count" || true
	fi
	tcerts="-" scerts="-"
	if [ $run_tshark = 1 ]; then
		tcerts=$(cat "$file.tshcount")
		if [ $have_ssldump = 1 ]; then
			scerts=$(ssldump -n -r "$file" 2>/dev/null | grep -c '^ *Certificate$' || true)
		fi
	fi
	expected=0
	for k in "${kinds[@]}"; do
		expected=$((expected + $(kv "$k" "$meta") * ${per_kind[$k]}))
	done
	packets=$(kv packets "$out.loopcount")
	conns=$(kv connections "$meta")
	for tool in loop loop-1M certscope certscope-default tshark ssldump; do
		[ -s "$out.$tool" ] || continue
		t=$(cut -d' ' -f1 "$out.$tool" | median)
		cpu=$(awk '{ print $2 + $3 }' "$out.$tool" | median)
		rss=$(cut -d' ' -f4 "$out.$tool" | median)
		echo "$name $tool $mb $packets $conns $t $cpu $rss $(wc -l <"$out.$tool")" >>"$work/results/rows"
	done
	echo "$name counts $(cat "$out.count") tshark=$tcerts ssldump_msgs=$scerts expected=$expected load0=$load0 load1=$load1" >>"$work/results/rows"
done

# ---- the report --------------------------------------------------------------
{
	model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
	cores=$(nproc)
	mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	echo "### certscope benchmark"
	echo
	echo "Machine: $model, $cores cores, $mem; $(uname -sr)."
	echo "$("$certscope" --version | tr '\n' ' ')$( [ $have_tshark = 1 ] && tshark --version 2>/dev/null | head -1)"
	if [ -n "$rev" ]; then
		echo "certscope at commit $sha (git archive), built with buildtype=release."
	else
		head=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "?")
		dirty=$(git -C "$root" status --porcelain -- capture dissect common ui meson.build 2>/dev/null | wc -l)
		echo "certscope from the work tree at $head$( [ "$dirty" != 0 ] && echo " with uncommitted changes to the engine"), built with buildtype=release in build-bench."
	fi
	echo "Seed $seed; medians of $reps runs (short-1M: 1, writing its NDJSON to a file for the count); page cache warm; \`tools/bench/run.sh$( [ $quick = 1 ] && echo ' --quick')$( [ -n "$rev" ] && echo " --rev $sha")\`."
	echo
	echo "| capture | MiB | packets | conns | tool | time s | CPU s | MiB/s | Mpkt/s | peak RSS MiB |"
	echo "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
	awk '$2 != "counts" {
		mibs = $6 > 0 ? $3 / $6 : 0; pps = $6 > 0 ? $4 / $6 / 1e6 : 0
		printf "| %s | %s | %d | %d | %s | %.3f | %.2f | %.0f | %.2f | %.1f |\n", $1, $3, $4, $5, $2, $6, $7, mibs, pps, $8 / 1024
	}' "$work/results/rows"
	echo
	echo "| capture | certscope / loop (throughput) | certscope / loop-1M | certscope / tshark (throughput; by CPU time) | system store / one-CA store (time; CPU time) | certificates: certscope / tshark / generated | ssldump Certificate msgs / certscope chains | handshakes | flows evicted / expired | load avg before → after |"
	echo "| --- | ---: | ---: | ---: | ---: | --- | --- | ---: | --- | --- |"
	awk '
	$2 == "loop" { loop[$1] = $6 } $2 == "loop-1M" { loopb[$1] = $6 } $2 == "certscope" { cs[$1] = $6; csc[$1] = $7 } $2 == "tshark" { ts[$1] = $6; tsc[$1] = $7 }
	$2 == "certscope-default" { csd[$1] = $6; csdc[$1] = $7 }
	$2 == "counts" {
		n = $1; delete kv
		for (i = 3; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
		r1 = (n in cs && cs[n] > 0) ? sprintf("%.1f%%", 100 * loop[n] / cs[n]) : "-"
		r1b = (n in cs && cs[n] > 0 && n in loopb) ? sprintf("%.1f%%", 100 * loopb[n] / cs[n]) : "-"
		r2 = (n in ts && cs[n] > 0) ? sprintf("%.1fx; %.1fx", ts[n] / cs[n], tsc[n] / csc[n]) : "-"
		r3 = (n in csd && cs[n] > 0 && csc[n] > 0) ? sprintf("%.2fx; %.2fx", csd[n] / cs[n], csdc[n] / csc[n]) : "-"
		ok = (kv["tshark"] == "-" || kv["tshark"] == kv["certs"]) && kv["expected"] == kv["certs"] ? "" : " **MISMATCH**"
		sd = kv["ssldump_msgs"] == "-" ? "-" : kv["ssldump_msgs"] " / " kv["chains"]
		printf "| %s | %s | %s | %s | %s | %s / %s / %s%s | %s | %s | %s / %s | %s → %s |\n", n, r1, r1b, r2, r3,
			kv["certs"], kv["tshark"], kv["expected"], ok, sd, kv["handshakes"], kv["evicted"], kv["expired"],
			kv["load0"], kv["load1"]
	}' "$work/results/rows" | sed 's/load[01]=//g'
} | tee "$work/results.md"
