"""What every test that runs certscope shares.

- Under CI (the CI environment variable set, as .ci/run sets it) a test
  may not skip: skip() returns 1 there and 77 (meson's skip) elsewhere, and
  skip_part() counts a skipped part as a failure.
- watch(binary) makes every subprocess.run of that binary checked: an exit
  status outside the contract's {0, 1, 2} (a crash, a signal, ASan's 86,
  UBSan's 87) or a sanitizer report on its standard error is a failure,
  whatever the test itself asserts.  status() folds those into the exit
  status of the test.
"""
import os
import subprocess

SANITIZER = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
             "SUMMARY: UndefinedBehaviorSanitizer")
CONTRACT_STATUSES = (0, 1, 2)

problems = []
_real_run = subprocess.run


def in_ci():
    return bool(os.environ.get("CI"))


def skip(reason):
    """The exit status of a test that cannot run here."""
    if in_ci():
        print("FAIL skipped, and CI may not skip: %s" % reason)
        return 1
    print("skip: %s" % reason)
    return 77


def skip_part(reason):
    """A part of a test that cannot run here: a failure under CI."""
    if in_ci():
        problems.append("skipped under CI: " + reason)
        print("FAIL skipped, and CI may not skip: %s" % reason)
    else:
        print("skip %s" % reason)


def skip_shared(reason, status=False):
    """A check of the tree against ../shared (the contract, the corpus),
    which lives outside it: where .ci/run found ../shared, CERTSCOPE_SHARED
    is set and its absence here is a failure; elsewhere a skip.  With
    status, the exit status of a test that can do nothing else."""
    if os.environ.get("CERTSCOPE_SHARED"):
        problems.append("../shared was found by .ci/run, not here: " + reason)
        print("FAIL ../shared was found by .ci/run, not by this test: %s" % reason)
        return 1 if status else None
    print("skip %s" % reason)
    return 77 if status else None


def check(rc, err, what):
    """One run of certscope: its exit status and standard error."""
    text = err if isinstance(err, str) else (err or b"").decode("utf-8", "replace")
    reports = [s for s in SANITIZER if s in text]
    if rc not in CONTRACT_STATUSES or reports:
        why = "exit status %s" % rc if rc not in CONTRACT_STATUSES else reports[0]
        problems.append("%s: %s" % (what, why))
        print("FAIL certscope %s: %s\n%s" % (what, why, text[-1500:]))


def watch(binary):
    """Checks every later subprocess.run of binary with check()."""
    target = os.path.realpath(binary)

    def run(args, *a, **kw):
        p = _real_run(args, *a, **kw)
        argv = args if isinstance(args, (list, tuple)) else None
        if argv and os.path.realpath(str(argv[0])) == target:
            check(p.returncode, p.stderr, " ".join(str(x) for x in argv[1:5]))
        return p

    subprocess.run = run


def status(failed):
    """The test's exit status: 1 when it failed a case or certscope misbehaved."""
    if problems:
        print("%d run(s) of certscope outside the contract or skipped under CI" % len(problems))
    return 1 if failed or problems else 0
