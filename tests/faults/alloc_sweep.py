#!/usr/bin/env python3
"""Allocation failures: every sample run by a certscope built with
-Dfail_alloc=true (tests/faults/failalloc.c), with its Nth allocation failing.

For each samples/*.expect.json, a first run counts the allocations of
certscope's own code and of libcrypto (CERTSCOPE_ALLOC_COUNT) and keeps the
NDJSON.  Then each N of a spread is run with CERTSCOPE_FAIL_ALLOC=N (own
code), CERTSCOPE_FAIL_CRYPTO=N (libcrypto) and N+ (every allocation from N
on).  Each run must:

  - end on its own within 30 s, by exit (no signal, no sanitizer report:
    ASan's exit 86, UBSan's 87, or their text on stderr);
  - exit 0, 1 or 2; exit 2 with a "certscope: ..." line on stderr naming
    memory (what failed and what to do);
  - write only certificates the first run wrote, each object equal to the
    first run's (never a wrong certificate), and only well-formed NDJSON;
  - when it carried on (exit 0 or 1) and its NDJSON differs from the first
    run's, say so on stderr (a line naming memory): nothing lost silently;
  - when no allocation failed (N past the run's count), equal the first
    run exactly.

usage: alloc_sweep.py CERTSCOPE SAMPLES_DIR [--full] [--jobs N] [SAMPLE...]
  without --full, a bounded spread (CI): N = 1..6 of certscope's own
  allocations and about 10 more across the run, N = 1..3 of libcrypto's and
  about 5 more, and N+ at 1 and about 2 more; the values across the run are
  offset by sample, so the samples together cover more N;
  --full: every N of both counters for every sample (hours).
Prints "N passed, N failed".
"""
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

TIMEOUT = 30
SUPPRESSIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsan-openssl.supp")
SANITIZER = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
             "ERROR: UndefinedBehaviorSanitizer")


def run(binary, folder, capture, args, env_extra):
    with tempfile.NamedTemporaryFile(prefix="alloc-count-") as cnt:
        env = dict(os.environ, CERTSCOPE_ALLOC_COUNT=cnt.name, SOURCE_DATE_EPOCH="1790000000")
        env.pop("CERTSCOPE_FAIL_ALLOC", None)
        env.pop("CERTSCOPE_FAIL_CRYPTO", None)
        env.update(env_extra)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:exitcode=86")
        env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1:exitcode=87")
        if "CERTSCOPE_FAIL_CRYPTO" in env_extra:
            # libcrypto's own leaks when it runs short (lsan-openssl.supp):
            # matched on whole stacks, which libcrypto's frames hide from
            # the fast unwinder
            env["ASAN_OPTIONS"] += ":fast_unwind_on_malloc=0"
            env["LSAN_OPTIONS"] = "suppressions=" + SUPPRESSIONS
        try:
            p = subprocess.run([binary, "-r", capture, "--json", *args], cwd=folder, env=env,
                               capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return None, b"", b"", {}
        words = open(cnt.name).read().split()
        counts = {words[i]: int(words[i + 1]) for i in range(0, len(words) - 1, 2)}
        return p.returncode, p.stdout, p.stderr, counts


def certs_of(objs):
    out = {}
    for o in objs:
        for side in ("server_certificates", "client_certificates"):
            for c in o.get(side) or []:
                out.setdefault(c["sha256"], []).append(c)
    return out


def check(base, rc, out, err, counts):
    """What is wrong with one run, or None."""
    if rc is None:
        return "no end within %d s (a hang)" % TIMEOUT
    text = err.decode(errors="replace")
    if rc < 0:
        return "killed by signal %d: %s" % (-rc, text[-800:])
    if rc in (86, 87) or any(s in text for s in SANITIZER):
        return "sanitizer report (exit %d): %s" % (rc, text[-1500:])
    if rc not in (0, 1, 2):
        return "exit %d: %s" % (rc, text[-400:])
    try:
        objs = [json.loads(l) for l in out.decode().splitlines()]
    except (ValueError, UnicodeDecodeError) as e:
        return "NDJSON not well formed (%s): %r" % (e, out[-300:])
    if not counts:
        return "no allocation count written (exit %d): %s" % (rc, text[-400:])
    if counts.get("failed", 0) == 0:
        if (rc, out) != (base["rc"], base["out"]):
            return "no allocation failed, yet the run differs (exit %d)" % rc
        return None
    said = any(l.startswith("certscope: ") and "memory" in l for l in text.splitlines())
    if rc == 2 and not said:
        return "exit 2 without a message naming memory: %r" % text[-400:]
    known = base["certs"]
    for sha, objs_c in certs_of(objs).items():
        if sha not in known:
            return "a certificate the first run did not write: %s" % sha
        if any(c != known[sha][0] for c in objs_c):
            return "certificate %s differs from the first run's" % sha
    if rc != 2 and out != base["out"] and not said:
        return "carried on (exit %d) with output that differs, saying nothing: %r" % (
            rc, text[-400:])
    if rc == 1 and base["rc"] == 0:
        return "an error finding the first run did not make (exit 1, first run 0)"
    return None


def spread(total, first, k, offset):
    """N = 1..first, then about k values across (first, total], shifted by
    offset so samples after one another test different N."""
    ns = list(range(1, min(first, total) + 1))
    if total > first:
        step = max(1, (total - first) // k)
        ns += list(range(first + 1 + offset % step, total + 1, step))
    return ns


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
    binary, folder = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    only = set(argv[2:])
    names = sorted(f for f in os.listdir(folder) if f.endswith(".expect.json"))
    passed = failed = 0
    pool = concurrent.futures.ThreadPoolExecutor(jobs)
    for idx, name in enumerate(names):
        exp = json.load(open(os.path.join(folder, name)))
        if only and exp["capture"] not in only and name not in only:
            continue
        cap, args = exp["capture"], exp["args"]
        rc, out, err, counts = run(binary, folder, cap, args, {})
        if rc is None or not counts or rc not in (0, 1):
            failed += 1
            print("FAIL %s: the first run (exit %s) %s" % (name, rc, err[-300:]))
            continue
        objs = [json.loads(l) for l in out.decode().splitlines()]
        base = {"rc": rc, "out": out, "certs": certs_of(objs)}
        own, crypto = counts["own"], counts["crypto"]
        if full:
            plan = [("CERTSCOPE_FAIL_ALLOC", str(n)) for n in range(1, own + 1)]
            plan += [("CERTSCOPE_FAIL_CRYPTO", str(n)) for n in range(1, crypto + 1)]
            plan += [("CERTSCOPE_FAIL_ALLOC", "%d+" % n) for n in range(1, own + 1)]
        else:
            plan = [("CERTSCOPE_FAIL_ALLOC", str(n)) for n in spread(own, 6, 10, idx)]
            plan += [("CERTSCOPE_FAIL_CRYPTO", str(n)) for n in spread(crypto, 3, 5, idx)]
            plan += [("CERTSCOPE_FAIL_ALLOC", "%d+" % n) for n in spread(own, 1, 2, idx)]
        futs = [(var, n, pool.submit(run, binary, folder, cap, args, {var: n}))
                for var, n in plan]
        bad = []
        for var, n, f in futs:
            why = check(base, *f.result())
            if why:
                bad.append("%s=%s: %s" % (var, n, why))
        if bad:
            failed += 1
            print("FAIL %s (%d runs, %d own and %d libcrypto allocations): %d bad"
                  % (exp["capture"], len(plan), own, crypto, len(bad)))
            for b in bad if os.environ.get("SWEEP_ALL") else bad[:8]:
                print("     " + b)
        else:
            passed += 1
            print("ok   %s (%d runs, %d own and %d libcrypto allocations)"
                  % (exp["capture"], len(plan), own, crypto))
        sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
