#!/bin/sh
# Runs every fuzz target (or those named) for SECONDS each, on a scratch copy
# of its seed corpus plus its regression inputs.  Findings (crash-*, leak-*,
# timeout-*, oom-* files) are kept in OUT/<target>/; the exit status is 1
# when there is any, so CI fails on a finding.
#
# usage: tests/fuzz/run-fuzzers.sh BUILD_DIR SECONDS [TARGET...]
#   BUILD_DIR  a build set up with CC=clang meson setup BUILD_DIR -Dfuzz=true
#   env OUT    where findings and logs go (default BUILD_DIR/fuzz-out)
#   env JOBS   targets run at once (default 1)
#   env FUZZ_ARGS  more libFuzzer options (e.g. -fork=1 -ignore_crashes=1)
#
# A finding becomes a regression input: copy it to
# tests/fuzz/regressions/<target>/<a-name-saying-what-broke>, check that
# `meson test` now fails, then fix the bug (README.md here).
set -eu

if [ $# -lt 2 ]; then
	sed -n '2,15p' "$0" >&2
	exit 2
fi
build=$1
seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$build/fuzz-out}
jobs=${JOBS:-1}
targets=${*:-capture flow handshake cert truststore dissect}
mkdir -p "$out"

# the dissect target reads the flow target's format and seeds
seeds() {
	case $1 in
	dissect) echo flow ;;
	*) echo "$1" ;;
	esac
}

max_len() {
	case $1 in
	cert) echo 16384 ;;
	*) echo 32768 ;;
	esac
}

run_one() {
	t=$1
	exe=$build/tests/fuzz/fuzz-$t
	if [ ! -x "$exe" ]; then
		echo "$exe: missing (meson setup with -Dfuzz=true, then meson compile)" >&2
		return 1
	fi
	dir=$out/$t
	rm -rf "$dir"
	mkdir -p "$dir/corpus"
	start=$(date +%s)
	# -error_exitcode: libFuzzer's default (77) reads as "skipped" to meson
	status=0
	"$exe" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
		-max_len="$(max_len "$t")" -error_exitcode=99 -timeout_exitcode=98 \
		-print_final_stats=1 -artifact_prefix="$dir/" ${FUZZ_ARGS:-} \
		"$dir/corpus" "$here/corpus/$(seeds "$t")" "$here/regressions/$t" \
		>"$dir/log" 2>&1 || status=$?
	end=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1)
	found=$(ls "$dir" | grep -cE '^(crash|leak|timeout|oom|slow-unit)-' || true)
	echo "$t: $((end - start)) s, ${execs:-?} runs, $cov, exit $status, $found finding(s)"
	if [ "$status" != 0 ] || [ "$found" != 0 ]; then
		grep -E 'ERROR|SUMMARY|fuzz check failed' "$dir/log" | head -5 | sed 's/^/    /'
		ls "$dir" | grep -E '^(crash|leak|timeout|oom|slow-unit)-' | sed "s|^|    $dir/|"
		return 1
	fi
}

failed=0
if [ "$jobs" -le 1 ]; then
	for t in $targets; do
		run_one "$t" || failed=1
	done
else
	# a few at a time; each writes its own summary file
	set -- $targets
	while [ $# -gt 0 ]; do
		pids=""
		n=0
		while [ $# -gt 0 ] && [ $n -lt "$jobs" ]; do
			(run_one "$1" >"$out/$1.summary" 2>&1) &
			pids="$pids $!"
			n=$((n + 1))
			shift
		done
		for p in $pids; do
			wait "$p" || failed=1
		done
	done
	for t in $targets; do
		cat "$out/$t.summary"
	done
fi
exit $failed
