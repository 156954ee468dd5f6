#!/usr/bin/env python3
"""Allocation failures in the fuzz targets: every seed and regression input
of every target replayed by a build with -Dfail_alloc=true
(tests/faults/failalloc.c), with the Nth allocation of certscope's own code
failing, for each N of a plan, then likewise the Nth of libcrypto's.

Each replay target runs its sweep itself (CERTSCOPE_FAIL_SWEEP,
tests/fuzz/replay.c): an input is run once without failures (the
reference), once more to count its allocations, then once for each N, in
one process, so thousands of runs take a minute.  Every run must keep the
target's checks (tests/fuzz/fuzz.h: NDJSON, report, the dissector's
promises) and be held to the reference (tests/fuzz/failures.h: no
certificate the reference did not write, no chain file unlike its own,
everything alike when nothing failed); no crash, no sanitizer report, no
leak (LeakSanitizer after each input).  A leak names the input; this script
then runs its plan one N at a time to name the run that leaked.

usage: fuzz_sweep.py FUZZ_SOURCE_DIR REPLAY... [--full] [--jobs N]
  REPLAY: the fuzz-replay-TARGET programs of the build;
  without --full (CI), N = 1..30, then N growing by a fifth up to the
  input's count and the count itself, and every allocation from N on (N+)
  at N = 1, 4, 16, 64 ..., of each counter;
  --full: every N and every N+ up to each input's count (certscope's own:
  about 42,000 runs, 4.4 minutes of CPU; libcrypto's: about 1.1 million,
  hours).
Prints a line a target and counter, then "N passed, N failed".
"""
import concurrent.futures
import os
import re
import subprocess
import sys
import time

# corpus/<seeds>/ of each target, when not its own name
SEEDS = {"dissect": "flow"}
SHARD = 8  # inputs a process: the shards of all targets share the jobs
SANITIZER = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
             "ERROR: UndefinedBehaviorSanitizer")
LEAK = re.compile(r"fuzz sweep: a run leaked: CERTSCOPE_FAIL_SWEEP=(\S+) (.+)")


def env_for(plan):
    env = dict(os.environ, CERTSCOPE_FAIL_SWEEP=plan)
    for var in ("CERTSCOPE_FAIL_ALLOC", "CERTSCOPE_FAIL_CRYPTO", "CERTSCOPE_ALLOC_COUNT"):
        env.pop(var, None)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:exitcode=86")
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1:exitcode=87")
    return env


def replay(exe, plan, files, timeout):
    """(exit status or None on a hang, stdout, stderr, seconds)."""
    t0 = time.monotonic()
    try:
        p = subprocess.run([exe, *files], env=env_for(plan), capture_output=True,
                           timeout=timeout)
        return p.returncode, p.stdout.decode(errors="replace"), \
            p.stderr.decode(errors="replace"), time.monotonic() - t0
    except subprocess.TimeoutExpired:
        return None, "", "", time.monotonic() - t0


def broken(rc, out, err, n_files):
    """What is wrong with one replay, or None."""
    if rc is None:
        return "no end (a hang)"
    if rc == 0 and "%d passed, 0 failed" % n_files in out and \
            not any(s in err for s in SANITIZER):
        return None
    # what the sweep said, and the sanitizer's report; not export's notes
    lines = [l for l in err.splitlines() if not l.startswith("certscope: ")]
    said = [l for l in lines[:-60] if l.startswith("fuzz sweep:")]
    return "exit %s\n%s" % (rc, "\n".join(said + lines[-60:]))


def name_the_leak(exe, err, timeout):
    """The runs of a leaking input that leak, each alone."""
    m = LEAK.search(err)
    if not m:
        return ""
    plan, path = m.group(1), m.group(2)
    found = []
    for n in plan.split(","):
        rc, out, e, _ = replay(exe, n, [path], timeout)
        if rc != 0 or any(s in e for s in SANITIZER):
            found.append("CERTSCOPE_FAIL_SWEEP=%s %s %s" % (n, exe, path))
            if len(found) == 3:
                break
    return "the runs that leak: " + ("; ".join(found) or "none alone (together only)")


def inputs(src, target):
    out = []
    for folder in (os.path.join(src, "corpus", SEEDS.get(target, target)),
                   os.path.join(src, "regressions", target)):
        if os.path.isdir(folder):
            out += sorted(os.path.join(folder, f) for f in os.listdir(folder)
                          if not f.startswith(".") and f != "README.md")
    return out


def main():
    argv = sys.argv[1:]
    full = "--full" in argv
    jobs = 2
    if "--jobs" in argv:
        i = argv.index("--jobs")
        jobs = int(argv[i + 1])
        del argv[i:i + 2]
    argv = [a for a in argv if a != "--full"]
    if len(argv) < 2:
        print(__doc__)
        return 2
    # fuzz-replay-* of a shell matches the build's folders beside them too
    src, exes = argv[0], [a for a in argv[1:] if os.path.isfile(a) and os.access(a, os.X_OK)]
    plans = {"own": "full" if full else "spread",
             "libcrypto": "crypto-full" if full else "crypto"}
    timeout = None if full else 900
    work = []
    for exe in exes:
        target = os.path.basename(exe).replace("fuzz-replay-", "")
        files = inputs(src, target)
        for counter, plan in plans.items():
            for i in range(0, len(files), SHARD):
                work.append(("%s (%s)" % (target, counter), exe, plan, files[i:i + SHARD]))
    pool = concurrent.futures.ThreadPoolExecutor(jobs)
    futs = [(t, exe, files, pool.submit(replay, exe, plan, files, timeout))
            for t, exe, plan, files in work]
    per = {}
    for target, exe, files, fut in futs:
        rc, out, err, secs = fut.result()
        s = per.setdefault(target, {"inputs": 0, "runs": 0, "secs": 0.0, "bad": []})
        s["inputs"] += len(files)
        s["secs"] += secs
        m = re.search(r"^(\d+) runs$", out, re.M)
        s["runs"] += int(m.group(1)) if m else 0
        why = broken(rc, out, err, len(files))
        if why:
            last = re.findall(r"^replay (.+) \(\d+ bytes\)$", out, re.M)
            s["bad"].append("%s (last input %s): %s\n%s" % (
                os.path.basename(exe), last[-1] if last else "-", why,
                name_the_leak(exe, err, timeout)))
    passed = failed = 0
    for target, s in per.items():
        if s["bad"]:
            failed += 1
            print("FAIL %s: %d inputs, %d runs in %.1f s" % (
                target, s["inputs"], s["runs"], s["secs"]))
            for b in s["bad"]:
                print("     " + b.replace("\n", "\n     "))
        else:
            passed += 1
            print("ok   %s: %d inputs, %d runs in %.1f s" % (
                target, s["inputs"], s["runs"], s["secs"]))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
