#!/bin/bash
# certscope's live benchmark (not part of `meson test`; needs root).
#
#   tools/bench/live.sh [--rev REV] [--reps N] [--rates LIST] [--only NAME,...]
#                       [--tools LIST] [--buffer KIB|default] [--conns N]
#                       [--size MIB] [--report-only]
#
# Makes a network namespace with a veth pair, both ends inside it (nothing
# leaves it; the namespace goes when the script ends, however it ends).
# Replays the benchmark's captures (tools/bench/gen.c, as tools/bench/run.sh
# makes them: a mix of --size MiB and --conns short connections) into one end
# with tcpreplay at each rate of --rates (Mbps, and `top` for --topspeed),
# while one tool captures on the other end:
#   certscope  -i, live view off, NDJSON to a file (findings on, as always),
#              judged against the samples' root (as run.sh)
#   tcpdump    -w /dev/null
#   tshark     dissecting TLS (-q -z io,stat,0,tls.handshake.type==1)
# After tcpreplay ends the tool is given until it is idle (the kernel's ring
# drained), then SIGINT.  Per tool and rate, --reps times: the packets
# tcpreplay sent and the rate it reached, the packets the tool saw (its
# summary, "packets captured"), the kernel's drops (pcap_stats: certscope's
# summary, tcpdump's "dropped by kernel", tshark's "dropped from"), the
# handshakes seen (certscope's NDJSON, tshark's ClientHellos) against those
# the generator put in, and the tool's CPU time.  Prints a Markdown table
# (medians over the runs), also written to $BENCH_DIR/live-results.md, then
# each tool's highest rate with no drop and certscope's ratio to tcpdump's.
#
# --buffer gives every tool the same kernel buffer (-B; default 65536 KiB);
# `default` gives none, so each runs with its own default.
# --rev REV builds certscope at commit REV (git archive, as run.sh does).
# Environment: BENCH_DIR (/tmp/certscope-bench), SEED (1), DRAIN_MAX (300 s
# a tool may take to drain its ring after the replay).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${BENCH_DIR:-/tmp/certscope-bench}
seed=${SEED:-1}
drain_max=${DRAIN_MAX:-300}
reps=1 rates="100,250,500,1000,2000,top" only="" tools="certscope,tcpdump,tshark"
buffer=65536 conns=100000 size_mib=640 rev="" report_only=0
while [ $# -gt 0 ]; do
	case $1 in
	--rev) rev=$2; shift ;;
	--reps) reps=$2; shift ;;
	--rates) rates=$2; shift ;;
	--only) only=$2; shift ;;
	--tools) tools=$2; shift ;;
	--buffer) buffer=$2; shift ;;
	--conns) conns=$2; shift ;;
	--size) size_mib=$2; shift ;;
	--report-only) report_only=1 ;;
	-h | --help) sed -n '2,32p' "$0"; exit 0 ;;
	*) echo "live.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
say() { echo "live: $*" >&2; }
if [ "$(id -u)" != 0 ]; then
	say "needs root (a network namespace, and capturing)"
	exit 2
fi
for t in ip tcpreplay tcpdump python3; do
	command -v $t >/dev/null || { say "needs $t (apt-get install -y tcpreplay iproute2 tcpdump)"; exit 2; }
done
case ,$tools, in *,tshark,*) command -v tshark >/dev/null || tools=$(echo ",$tools," | sed 's/,tshark,/,/; s/^,//; s/,$//') ;; esac

# ---- certscope and the generator, as run.sh builds them ----------------------
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
mkdir -p "$bdir/bench" "$work/live"
cc -O2 -Wall -Wextra -o "$bdir/bench/gen" "$here/gen.c" $(pkg-config --cflags --libs libpcap) -lm
gen=$bdir/bench/gen certscope=$bdir/certscope
samples="good-7001 unknown-ca-5061 missing-intermediate-443 mtls-no-clientauth-7001"
# the samples and their root, taken together (see run.sh)
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

kv() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" "$2"; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (!NR) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
load() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' '/'; }

# ---- the namespace -------------------------------------------------------------
ns=certscope-live-$$
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
if [ $report_only = 0 ]; then
	ip netns add "$ns"
	ip -n "$ns" link add cs-send type veth peer name cs-cap
	# no IPv6 chatter (router solicitations) among the packets counted
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.cs-send.disable_ipv6=1 net.ipv6.conf.cs-cap.disable_ipv6=1
	for dev in lo cs-send cs-cap; do ip -n "$ns" link set "$dev" up; done
fi

# CPU ticks of a process and its children (tshark's dumpcap)
ticks() {
	local p sum=0 t
	for p in $1 $(pgrep -P "$1" 2>/dev/null); do
		t=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) || t=0
		sum=$((sum + ${t:-0}))
	done
	echo $sum
}

# run_one CAPTURE TOOL RATE OUT: one replay; appends a row to the rows file
run_one() {
	local file=$1 tool=$2 rate=$3 out=$4 pid i t0 t1 ready cmd
	local b_kib=() b_mib=()
	if [ "$buffer" != default ]; then b_kib=(-B "$buffer"); b_mib=(-B $(((buffer + 1023) / 1024))); fi
	case $tool in
	certscope) cmd=("$certscope" -i cs-cap --no-ui --json "${b_kib[@]}" --trust-file "$trust" tcp) ready="capture open" ;;
	tcpdump) cmd=(tcpdump -i cs-cap -n "${b_kib[@]}" -w /dev/null tcp) ready="listening on" ;;
	tshark) cmd=(tshark -i cs-cap -n "${b_mib[@]}" -f tcp -q -z io,stat,0,tls.handshake.type==1
		-d tcp.port==7001,tls -d tcp.port==5061,tls -d tcp.port==2445,tls) ready="Capturing on" ;;
	esac
	rm -f "$out".*
	ip netns exec "$ns" sh -c 'echo $$ >"$0"; exec "$@"' "$out.pid" "${cmd[@]}" >"$out.stdout" 2>"$out.stderr" &
	local wrapper=$!
	pids+=("$wrapper")
	for i in $(seq 1 100); do
		grep -q "$ready" "$out.stderr" 2>/dev/null && break
		sleep 0.1
	done
	pid=$(cat "$out.pid")
	pids+=("$pid")
	sleep 0.5
	local l0 rate_arg=(--mbps="$rate")
	l0=$(cut -d' ' -f1 /proc/loadavg)
	[ "$rate" = top ] && rate_arg=(--topspeed)
	ip netns exec "$ns" tcpreplay -i cs-send "${rate_arg[@]}" --preload-pcap "$file" >"$out.replay" 2>&1 || true
	# until the tool is idle, its ring drained: at least 2 s (tcpdump's
	# ring hands over a block a second), then two idle half-seconds running
	sleep 2
	local idle=0
	t0=$(ticks "$pid")
	for i in $(seq 1 $((drain_max * 2))); do
		sleep 0.5
		t1=$(ticks "$pid")
		if [ $((t1 - t0)) -le 1 ]; then idle=$((idle + 1)); else idle=0; fi
		[ $idle -ge 2 ] && break
		t0=$t1
	done
	local cpu
	cpu=$(awk -v t="$(ticks "$pid")" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')
	kill -INT "$pid" 2>/dev/null || true
	for i in $(seq 1 1200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	wait "$wrapper" 2>/dev/null || true
	local sent mbps seen drops hs findings
	sent=$(sed -n 's/.*Actual: \([0-9]*\) packets.*/\1/p' "$out.replay" | head -1)
	mbps=$(sed -n 's/.*Rated: .* Bps, \([0-9.]*\) Mbps.*/\1/p' "$out.replay" | head -1)
	case $tool in
	certscope)
		python3 - "$out.stdout" >"$out.counts" <<'EOF'
import json, sys
hs = findings = 0
summary = {}
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if line.startswith('{"type":"handshake"'):
        hs += 1
    elif line.startswith('{"type":"finding"'):
        findings += 1
    elif line.startswith('{"type":"summary"'):
        summary = json.loads(line)
print(summary.get("packets", "-"), summary.get("dropped", "-"), hs, findings)
EOF
		read -r seen drops hs findings <"$out.counts"
		;;
	tcpdump)
		seen=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$out.stderr")
		drops=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' "$out.stderr")
		hs=- findings=-
		;;
	tshark)
		seen=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$out.stderr" | tail -1)
		drops=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped from.*/\1/p' "$out.stderr" | awk '{ n += $1 } END { print n + 0 }')
		hs=$(awk -F'|' '/<>/ { gsub(/ /, "", $3); n = $3 } END { print n + 0 }' "$out.stdout")
		findings=-
		;;
	esac
	echo "$name $tool $rate ${sent:--} ${mbps:--} ${seen:--} ${drops:--} ${hs:--} ${findings:--} $expected $cpu $l0" >>"$work/live/rows"
	say "$name $tool $rate: sent ${sent:--} at ${mbps:--} Mbps, seen ${seen:--}, dropped ${drops:--}, handshakes ${hs:--}/$expected, CPU ${cpu}s, load $l0"
	rm -f "$out.stdout"
}

# ---- the runs ------------------------------------------------------------------
sets=(
	"mix-${size_mib}M mix --size $((size_mib << 20))"
	"short-$((conns / 1000))k short --conns $conns"
)
[ $report_only = 1 ] && sets=()
[ $report_only = 1 ] || : >"$work/live/rows"
load0=$(load)
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
	expected=0
	for k in good unknown_ca missing_intermediate mtls_no_clientauth; do
		expected=$((expected + $(kv "$k" "$meta")))
	done
	for rep in $(seq 1 "$reps"); do
		for rate in ${rates//,/ }; do
			for tool in ${tools//,/ }; do
				run_one "$file" "$tool" "$rate" "$work/live/$name-$tool-$rate"
			done
		done
	done
done
load1=$(load)

# ---- the report ----------------------------------------------------------------
{
	model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
	echo "### certscope live benchmark"
	echo
	echo "Machine: $model, $(nproc) cores; $(uname -sr); $(tcpreplay --version 2>&1 | head -1); $(tcpdump --version 2>&1 | sed -n 2p)."
	if [ -n "$rev" ]; then
		echo "certscope at commit $sha (git archive), buildtype=release."
	else
		head=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "?")
		dirty=$(git -C "$root" status --porcelain -- capture dissect common ui judge meson.build 2>/dev/null | wc -l)
		echo "certscope from the work tree at $head$( [ "$dirty" != 0 ] && echo " with uncommitted changes"), buildtype=release."
	fi
	echo "A veth pair in a network namespace; tcpreplay --preload-pcap into one end, the tool on the other (BPF filter \`tcp\`), kernel buffer $( [ "$buffer" = default ] && echo "each tool's default" || echo "-B $buffer KiB for each"); seed $seed; $reps run(s) a rate, medians; load average $load0 before, $load1 after."
	echo
	echo "| capture | tool | rate asked | Mbps sent | packets sent | seen | kernel drops | missed (sent − seen) | handshakes seen / generated | runs without a drop | tool CPU s | load |"
	echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |"
	awk '
	function med(s,   n, a, i, j, t) {
		n = split(s, a, " "); if (n == 0 || a[1] == "-") return "-"
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	{
		k = $1 SUBSEP $2 SUBSEP $3
		if (!(k in n)) { order[++m] = k }
		n[k]++; sent[k] = sent[k] " " $4; mbps[k] = mbps[k] " " $5; seen[k] = seen[k] " " $6
		drop[k] = drop[k] " " $7; hs[k] = hs[k] " " $8; exp_[k] = $10; cpu[k] = cpu[k] " " $11; ld[k] = ld[k] " " $12
		ok[k] += ($7 == "0" && $6 == $4) ? 1 : 0
	}
	END {
		for (i = 1; i <= m; i++) {
			k = order[i]; split(k, f, SUBSEP)
			miss = (med(sent[k]) == "-" || med(seen[k]) == "-") ? "-" : med(sent[k]) - med(seen[k])
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %d/%d | %s | %s |\n", f[1], f[2],
				f[3] == "top" ? "--topspeed" : f[3] " Mbps", med(mbps[k]), med(sent[k]), med(seen[k]), med(drop[k]), miss,
				med(hs[k]), exp_[k], ok[k], n[k], med(cpu[k]), med(ld[k])
		}
	}' "$work/live/rows"
	echo
	echo "Highest rate at which every run saw every packet sent, no kernel drop (Mbps reached, median):"
	echo
	echo "| capture | tool | highest rate without a drop | certscope / tcpdump |"
	echo "| --- | --- | --- | ---: |"
	awk '
	{
		k = $1 SUBSEP $2 SUBSEP $3
		if (!((k) in runs)) { order[++m] = k }
		runs[k]++; good[k] += ($7 == "0" && $6 == $4) ? 1 : 0; mb[k] = mb[k] " " $5
	}
	function med(s,   n, a, i, j, t) {
		n = split(s, a, " ")
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	END {
		for (i = 1; i <= m; i++) {
			k = order[i]; split(k, f, SUBSEP); ct = f[1] SUBSEP f[2]
			if (!(ct in best)) { best[ct] = -1; cto[++c] = ct }
			r = med(mb[k])
			if (good[k] == runs[k] && r > best[ct]) { best[ct] = r; lab[ct] = (f[3] == "top" ? "--topspeed" : f[3] " Mbps") }
		}
		for (i = 1; i <= c; i++) {
			split(cto[i], f, SUBSEP)
			s = best[cto[i]] < 0 ? "none (dropped at every rate)" : sprintf("%s Mbps (asked %s)", best[cto[i]], lab[cto[i]])
			ratio = "-"
			if (f[2] == "certscope" && (f[1] SUBSEP "tcpdump") in best) {
				b = best[f[1] SUBSEP "tcpdump"]
				ratio = b > 0 && best[cto[i]] >= 0 ? sprintf("%.2f", best[cto[i]] / b) : "-"
			}
			printf "| %s | %s | %s | %s |\n", f[1], f[2], s, ratio
		}
	}' "$work/live/rows"
} | tee "$work/live-results.md"
