#!/usr/bin/env python3
"""Mutation testing of the judgement code (issue 21): see tools/mutate.sh.

Each mutant is one operator changed on one line of judge/rules_*.c, of the
severities and cause ranks of judge/catalogue.c, of the grouping in
judge/judge.c or of the field reading in judge/certificate.c.  It is applied
to a scratch copy of the tree (never the tree it is run from), rebuilt
incrementally with ninja, and run against the fast subset: unit-rules, then
samples-expected, then command-line (the first to fail kills it).
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Where operators are looked for: a file, and the functions of it (None:
# every function and table of the file).
SCOPE = {
    "judge/rules_alerts.c": None,
    "judge/rules_capture.c": None,
    "judge/rules_certs.c": None,
    "judge/rules_chains.c": None,
    "judge/rules_common.c": None,
    "judge/judge.c": ["refusal_of", "group", "alerts_first", "judge_run", "verdict_worst"],
    "judge/certificate.c": ["asn1_time", "add_general_name", "read_san", "read_eku",
                            "read_key", "read_fields"],
    "judge/catalogue.c": ["diag_cause_rank", "diag_severity"],
}

# The limits the rules hold to, each moved by one either way.
LIMITS = ["2048", "224", "4096", "999", "30", "11", "24"]

SEVERITY_SWAPS = [("SEV_ERROR", "SEV_WARNING"), ("SEV_WARNING", "SEV_ERROR"),
                  ("SEV_WARNING", "SEV_INFO"), ("SEV_INFO", "SEV_WARNING")]

OPERATORS = [
    # (regex of the operator in code, replacement, name)
    (r"(?<![<>=!-])<(?![<=])", "<=", "< to <="),
    (r"<=", "<", "<= to <"),
    (r"(?<![<>=!-])>(?![>=])", ">=", "> to >="),
    (r">=", ">", ">= to >"),
    (r"&&", "||", "&& to ||"),
    (r"\|\|", "&&", "|| to &&"),
    (r"==", "!=", "== to !="),
    (r"!=", "==", "!= to =="),
    (r"\breturn true\b", "return false", "return true to false"),
    (r"\breturn false\b", "return true", "return false to true"),
]

# Mutants known to be equivalent (no test can tell them from the original),
# by file, the line's text (stripped) and the mutation's name; each with why.
EQUIVALENT = {
    ("judge/rules_alerts.c", "at->missing = x && x->issuer ? strdup(x->issuer) : NULL;",
     "&& to ||"):
        "the link at a depth the check reported is never NULL, and has an issuer",
    ("judge/rules_alerts.c", "(!best || r < best_rank)) {", "< to <="):
        "a tie in rank is the same code (ranks are one per code); only its name is used",
    ("judge/rules_alerts.c", "if (v->n_diags > n)", "> to >="):
        "diag_add() always adds a diagnosis but out of memory",
    ("judge/rules_chains.c", "if (j->v->n_diags > n && code == DIAG_ISSUER_NOT_FOUND && "
     "!from_store &&", "> to >="):
        "diag_add() always adds a diagnosis but out of memory",
    ("judge/rules_chains.c", "if (itl_validator(j, side) && j->v->n_diags > n && code != "
     "DIAG_EXPIRED &&", "> to >="):
        "diag_add() always adds a diagnosis but out of memory",
    ("judge/rules_capture.c", "for (int k = 0; k < sk_X509_NAME_num(names); k++) {",
     "< to <="):
        "sk_X509_NAME_value() past the end is NULL, and X509_NAME_cmp(NULL, n) is nonzero",
    ("judge/rules_chains.c", "return depth >= 0 && depth < sk_X509_num(cc->completed)",
     "< to <="):
        "sk_X509_value() checks its index: past the end is NULL, as the original gives",
    ("judge/rules_chains.c", "return depth >= 0 && depth < sk_X509_num(cc->completed)",
     "&& to ||"):
        "sk_X509_value() checks its index: a negative or past-the-end depth is NULL",
    ("judge/rules_chains.c", "if (!x || !l)", "|| to &&"):
        "completed_at() and chain_link_at() index the same chain: both or neither are NULL",
    ("judge/rules_chains.c", "for (int i = 0; i < ASN1_STRING_length(id) && o + 4 < len; "
     "i++) {", "< to <= #2"):
        "the key id's text has 128 bytes; an AKI of 20 bytes takes 60, far from the end",
    ("judge/rules_certs.c", "memcmp(ep.addr, j->hs->server.addr, ep.family == 4 ? 4 : 16) "
     "== 0 &&", "== to != #1"):
        "both addresses are zero past an IPv4 address's 4 bytes (endpoint_parse_addr() "
        "and source.c zero them), so comparing 16 bytes is the same",
    ("judge/rules_common.c", "if (len < n + 10)", "< to <="):
        "every caller's buffer is 64 bytes, over any address and port plus 10",
    ("judge/rules_common.c", "while ((p /= 10) && k < sizeof(digits));", "< to <="):
        "a port has at most 5 digits, digits[] holds 8",
    ("judge/rules_certs.c", "if ((rsa && c->key_bits < 2048) || (ec && c->key_bits < 224))",
     "224 to 223"):
        "no elliptic curve has a key of 223 bits (P-224 has 224, the next below 192)",
    ("judge/rules_certs.c", "bool ec = c->key_type && strcmp(c->key_type, \"EC\") == 0;",
     "&& to ||"):
        "key_type is never NULL; EC's limit then applies to every type, and each other "
        "type a certificate can hold is either held to 2048 already or over 224 bits",
    ("judge/rules_certs.c", "(md == NID_sha1 || md == NID_md5 || md == NID_md2 || md == "
     "NID_md4))", "|| to && #3"):
        "md2 && md4 instead of md2 || md4: OpenSSL 3 signs with neither, so no certificate "
        "signed with MD2 or MD4 can be made for a test (sha1 and md5 are held)",
    ("judge/rules_certs.c", "if (OBJ_obj2txt(oid, sizeof(oid), o, 1) <= 0)", "<= to <"):
        "OBJ_obj2txt() of a decoded attribute's OID is never 0 characters",
    ("judge/certificate.c", "else if (OBJ_obj2txt(buf, sizeof(buf), o, 1) <= 0)", "<= to <"):
        "OBJ_obj2txt() of a decoded EKU OID is never 0 characters",
    ("judge/certificate.c", "return false;", "return false to true"):
        "asn1_time(): d2i_X509() refuses a certificate whose validity does not parse, "
        "so ASN1_TIME_to_tm() never fails on a decoded one",
    ("judge/rules_certs.c", "for (size_t i = 0; cc && i < cc->n_errors; i++) {", "< to <="):
        "the errors past n_errors are zeroed (code 0), never a security level's",
    ("judge/rules_chains.c", "return e->depth > 0; /* a CA's, as OpenSSL reports them */",
     "> to >="):
        "OpenSSL reports an invalid CA and a missing keyCertSign at a CA's depth only",
    ("judge/judge.c", "if (!n || !from)", "|| to &&"):
        "rotating the alerts to the front is the identity when there are none or "
        "nothing before them",
    ("judge/judge.c", "for (int side = 0; side < 2; side++) {", "< to <="):
        "no diagnosis has side 2: the third pass finds no refusal and no cause",
    ("judge/judge.c", "if (v->diags[i].severity > worst)", "> to >="):
        "the maximum is the same with ties taken",
    ("judge/catalogue.c", "return code < DIAG_COUNT ? catalogue[code].severity : SEV_ERROR;",
     "< to <="):
        "diag_severity() is only called with a code of the catalogue",
    ("judge/catalogue.c", "return code < DIAG_COUNT ? catalogue[code].severity : SEV_ERROR;",
     "SEV_ERROR to SEV_WARNING"):
        "diag_severity() is only called with a code of the catalogue",
    ("judge/catalogue.c", "[DIAG_ALERT] = {\"alert-\", SEV_ERROR,", "SEV_ERROR to SEV_WARNING"):
        "an alert's severity is its level's (rules_alerts.c); the catalogue's is never read",
    ("judge/catalogue.c", "{\"client-ca-not-accepted\", SEV_ERROR,",
     "SEV_ERROR to SEV_WARNING"):
        "client-ca-not-accepted's severity is the outcome's (rules_capture.c); the "
        "catalogue's is never read",
    # cause ranks of codes that one chain never shows together
    ("judge/catalogue.c", "{DIAG_INVALID_ISSUER, DIAG_ISSUER_NOT_FOUND, DIAG_UNTRUSTED_ROOT,",
     "rank DIAG_ISSUER_NOT_FOUND<->DIAG_UNTRUSTED_ROOT"):
        "one verification ends its path once: a missing issuer, an untrusted root or a "
        "self-signed leaf, never two on one chain",
    ("judge/catalogue.c", "DIAG_ISSUER_NOT_FOUND,", "rank DIAG_ISSUER_NOT_FOUND<->"
     "DIAG_UNTRUSTED_ROOT"):
        "one verification ends its path once: never both on one chain",
    ("judge/catalogue.c", "DIAG_UNTRUSTED_ROOT,", "rank DIAG_UNTRUSTED_ROOT<->"
     "DIAG_SELF_SIGNED_LEAF"):
        "one verification ends its path once: never both on one chain",
    ("judge/catalogue.c", "{DIAG_NO_CLIENT_CERTIFICATE, DIAG_CLIENT_CA_NOT_ACCEPTED, "
     "DIAG_COUNT, DIAG_COUNT,", "rank DIAG_NO_CLIENT_CERTIFICATE<->"
     "DIAG_CLIENT_CA_NOT_ACCEPTED"):
        "no-client-certificate needs no certificate, client-ca-not-accepted one",
    ("judge/catalogue.c", "DIAG_CLIENT_CA_NOT_ACCEPTED,", "rank DIAG_CLIENT_CA_NOT_ACCEPTED"
     "<->DIAG_NO_CLIENT_CERTIFICATE"):
        "no-client-certificate needs no certificate, client-ca-not-accepted one",
    ("judge/catalogue.c", "DIAG_NO_CLIENT_CERTIFICATE,", "rank DIAG_NO_CLIENT_CERTIFICATE"
     "<->DIAG_TRUST_STORE_MISMATCH"):
        "trust-store-mismatch needs a chain that verifies, no-client-certificate no chain",
}

# The thirteen changes of issue 21, each caught by some test:
# (name, file, text, replacement); text must occur exactly once.
NAMED = [
    ("capture-gap made info", "judge/catalogue.c",
     '{"capture-gap", SEV_WARNING,', '{"capture-gap", SEV_INFO,'),
    ("wildcard-name always info", "judge/rules_certs.c",
     "? diag_severity(DIAG_WILDCARD_NAME)", "? SEV_INFO"),
    ("client eku-missing-client-auth an error off dual-use ports", "judge/rules_certs.c",
     "dual ? diag_severity(DIAG_EKU_MISSING_CLIENT_AUTH) : SEV_WARNING",
     "diag_severity(DIAG_EKU_MISSING_CLIENT_AUTH)"),
    ("multi-label wildcards allowed", "judge/rules_certs.c",
     "X509_check_host(c->x509, name, strlen(name), 0, NULL)",
     "X509_check_host(c->x509, name, strlen(name), "
     "X509_CHECK_FLAG_MULTI_LABEL_WILDCARDS, NULL)"),
    ("self-signed exemption dropped from weak-signature", "judge/rules_certs.c",
     "if (!c->self_signed &&", "if ("),
    ("EC weak-key limit lowered to 160", "judge/rules_certs.c",
     "c->key_bits < 224", "c->key_bits < 160"),
    ("key-too-large limit raised to 16384", "judge/rules_certs.c",
     "c->key_bits > 4096", "c->key_bits > 16384"),
    ("unusual-subject-attribute disabled", "judge/rules_certs.c",
     "\t\t\tsubject_attributes(j, side, c);", "\t\t\t(void)subject_attributes;"),
    ("trust-store-mismatch blind to alert 46", "judge/rules_alerts.c",
     "if ((a->code != 48 && a->code != 46) ||", "if ((a->code != 48) ||"),
    ("trust-store-mismatch not quieted by name-mismatch", "judge/rules_alerts.c",
     "\t\tcase DIAG_NAME_MISMATCH:\n", ""),
    ("key_bits off by one in NDJSON", "ui/json.c",
     '",\\"key_bits\\":%d", c->key_bits', '",\\"key_bits\\":%d", c->key_bits + 1'),
    ("is_ca inverted", "judge/certificate.c",
     "c->is_ca = X509_check_ca(x) > 0;", "c->is_ca = !(X509_check_ca(x) > 0);"),
    ("self_signed inverted", "judge/certificate.c",
     "c->self_signed = X509_self_signed(x, 1) == 1;",
     "c->self_signed = X509_self_signed(x, 1) != 1;"),
]


def code_mask(text):
    """text with comments, string and character literals and preprocessor
    lines blanked (newlines kept), so operators are found in code only."""
    out = list(text)
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":
            while i < n and text[i] != "\n":
                out[i] = " "
                i += 1
            continue
        if c == "\n":
            line_start = True
            i += 1
            continue
        if not c.isspace():
            line_start = False
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if text[k] != "\n":
                    out[k] = " "
            i = j
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                out[i] = " "
                i += 1
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            for k in range(i, min(j + 1, n)):
                if text[k] != "\n":
                    out[k] = " "
            i = j + 1
        else:
            i += 1
    return "".join(out)


def function_lines(masked, names):
    """The line numbers (0-based) of the bodies of the functions named, or of
    the whole file when names is None."""
    lines = masked.split("\n")
    if names is None:
        return set(range(len(lines)))
    keep = set()
    for i, line in enumerate(lines):
        m = re.match(r"^[A-Za-z].*?\b([a-z_0-9]+)\(", line)
        if not m or m.group(1) not in names or line.rstrip().endswith(";"):
            continue
        # the body: from the first '{' at column 0 to the '}' at column 0
        j = i
        while j < len(lines) and not lines[j].startswith("{"):
            j += 1
        k = j
        while k < len(lines) and not lines[k].startswith("}"):
            k += 1
        keep.update(range(i, k + 1))
    return keep


def catalogue_extra(text):
    """The catalogue's severities (each entry's) and cause ranks (each
    ranked pair swapped): (line, old, new, name)."""
    muts = []
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("static const struct entry")
                 or "catalogue[DIAG_COUNT]" in l)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("};"))
    for i in range(start, end):
        for old, new in SEVERITY_SWAPS:
            if re.search(r"\b%s\b" % old, lines[i]):
                muts.append((i, old, new, "%s to %s" % (old, new)))
    # the alert_causes rows and the order list: each entry swapped with the next
    ranks = re.compile(r"DIAG_[A-Z_]+")
    in_rank = False
    for i, l in enumerate(lines):
        if "alert_causes[] = {" in l or "static const enum diag_code order[]" in l:
            in_rank = True
            continue
        if in_rank and l.strip().startswith("};"):
            in_rank = False
        if not in_rank:
            continue
        codes = [c for c in ranks.findall(l) if c != "DIAG_COUNT"]
        for a, b in zip(codes, codes[1:]):
            muts.append((i, "%s, %s" % (a, b), "%s, %s" % (b, a), "rank %s<->%s" % (a, b)))
        # the order list has one code a line: swap with the next line's
        m = re.match(r"^\s+(DIAG_[A-Z_]+),$", l)
        if m:
            n = re.match(r"^\s+(DIAG_[A-Z_]+),$", lines[i + 1])
            if n:
                muts.append((i, None, (m.group(1), n.group(1)),
                             "rank %s<->%s" % (m.group(1), n.group(1))))
    return muts


def generate(tree):
    """Every mutant: (file, line 1-based, line text, name, new file text)."""
    mutants = []
    for rel, funcs in SCOPE.items():
        text = open(os.path.join(tree, rel)).read()
        masked = code_mask(text)
        lines, mlines = text.split("\n"), masked.split("\n")
        keep = function_lines(masked, funcs)

        def emit(i, new_line, name):
            new = lines[:i] + [new_line] + lines[i + 1:]
            mutants.append((rel, i + 1, lines[i].strip(), name, "\n".join(new)))

        for i in sorted(keep):
            ml = mlines[i]
            for pat, rep, name in OPERATORS:
                found = list(re.finditer(pat, ml))
                for k, m in enumerate(found, 1):
                    # the k-th of several on the line is named so
                    emit(i, lines[i][:m.start()] + rep + lines[i][m.end():],
                         name + (" #%d" % k if len(found) > 1 else ""))
            for old, new in SEVERITY_SWAPS:
                for m in re.finditer(r"\b%s\b" % old, ml):
                    emit(i, lines[i][:m.start()] + new + lines[i][m.end():],
                         "%s to %s" % (old, new))
            for lim in LIMITS:
                # a limit, not an array's size
                for m in re.finditer(r"(?<![\w.\[])%s(?![\w.\]])" % lim, ml):
                    for d in (-1, 1):
                        emit(i, lines[i][:m.start()] + str(int(lim) + d) + lines[i][m.end():],
                             "%s to %d" % (lim, int(lim) + d))
        if rel == "judge/catalogue.c":
            for i, old, new, name in catalogue_extra(text):
                if old is None:
                    a, b = new
                    swapped = lines[:]
                    swapped[i] = lines[i].replace(a, b)
                    swapped[i + 1] = lines[i + 1].replace(b, a)
                    mutants.append((rel, i + 1, lines[i].strip(), name, "\n".join(swapped)))
                else:
                    emit(i, lines[i].replace(old, new, 1), name)
    # the expiring-soon limit lives in the catalogue's header
    rel = "judge/catalogue.h"
    text = open(os.path.join(tree, rel)).read()
    lines = text.split("\n")
    for i, l in enumerate(lines):
        if l.startswith("#define EXPIRING_SOON_DAYS 30"):
            for d in (29, 31):
                new = lines[:i] + ["#define EXPIRING_SOON_DAYS %d" % d] + lines[i + 1:]
                mutants.append((rel, i + 1, l.strip(), "30 to %d" % d, "\n".join(new)))
    return mutants


class Scratch:
    """A copy of the tree's tracked files under /tmp, built once."""

    def __init__(self, keep):
        self.dir = tempfile.mkdtemp(prefix="certscope-mutate-")
        self.keep = keep
        files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                               check=True).stdout.split(b"\0")
        for f in files:
            if not f:
                continue
            f = f.decode()
            src, dst = os.path.join(ROOT, f), os.path.join(self.dir, f)
            if not os.path.lexists(src):
                continue
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst, follow_symlinks=False)
        self.build = os.path.join(self.dir, "build")
        # no -Dwerror: a mutant that only provokes a warning is still run
        # and sanitized: a loop bound loosened to read past its array is a
        # kill, not a silent read of whatever lies beyond
        subprocess.run(["meson", "setup", self.build, "-Db_sanitize=address,undefined",
                        "-Db_lundef=false"], cwd=self.dir, check=True,
                       stdout=subprocess.DEVNULL)
        if not self.compile():
            raise SystemExit("mutate: the scratch copy does not build")
        t = time.time()
        failing = self.tests()
        if failing:
            raise SystemExit("mutate: %s fails on the tree unchanged" % failing)
        print("the subset passes on the tree unchanged in %.1f s" % (time.time() - t))

    def compile(self):
        r = subprocess.run(["ninja", "-C", self.build, "certscope", "tests/test_rules"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return r.returncode == 0

    def path(self, rel):
        return os.path.join(self.dir, rel)

    def tests(self, every=False):
        """The name of the first test of the subset that fails, or None;
        every: each test that fails, with the cases of it that fail."""
        b, s = self.build, os.path.join(self.dir, "samples")
        subset = [
            ("unit-rules", [os.path.join(b, "tests", "test_rules")]),
            ("samples-expected", [sys.executable, self.path("tests/e2e/samples.py"),
                                  os.path.join(b, "certscope"), s, "expect"]),
            ("command-line", [sys.executable, self.path("tests/e2e/cli.py"),
                              os.path.join(b, "certscope"), s]),
        ]
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0:abort_on_error=0",
                   UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=0")
        failed = []
        for name, cmd in subset:
            try:
                r = subprocess.run(cmd, stdout=subprocess.PIPE if every else subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, timeout=120, cwd=b, env=env)
            except subprocess.TimeoutExpired:
                failed.append(name + " (timeout)")
                if not every:
                    break
                continue
            if r.returncode != 0:
                if not every:
                    return name
                cases = [l[5:].split(":")[0].strip() for l in r.stdout.decode().splitlines()
                         if l.startswith("FAIL ")]
                shown = ", ".join(cases[:4]) + (", +%d more" % (len(cases) - 4)
                                                 if len(cases) > 4 else "")
                failed.append("%s (%s)" % (name, shown or "exit %d" % r.returncode))
        return "; ".join(failed) or None

    def close(self):
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def apply(scratch, rel, new_text):
    """Writes new_text to rel in the scratch tree; the old text."""
    p = scratch.path(rel)
    old = open(p).read()
    with open(p, "w") as f:
        f.write(new_text)
    return old


def run_named(scratch):
    caught = 0
    for name, rel, text, repl in NAMED:
        p = scratch.path(rel)
        old = open(p).read()
        if old.count(text) != 1:
            print("MISSING  %-55s %s: the text is not there once" % (name, rel))
            continue
        apply(scratch, rel, old.replace(text, repl))
        built = scratch.compile()
        by = scratch.tests(every=True) if built else "(does not build)"
        apply(scratch, rel, old)
        caught += by is not None and built
        print("%-7s %s: %s" % ("caught" if by and built else "MISSED", name,
                               "by " + by if built and by else by or ""))
        sys.stdout.flush()
    scratch.compile()
    print("named: %d of %d caught" % (caught, len(NAMED)))
    return 0 if caught == len(NAMED) else 1


def run_all(scratch, args):
    mutants = generate(scratch.dir)
    if args.only:
        mutants = [m for m in mutants if any(
            ("%s:%d" % (m[0], m[1])).endswith(o) for o in args.only)]
    total = len(mutants)
    if args.max and total > args.max:
        mutants = random.Random(args.seed).sample(mutants, args.max)
        mutants.sort(key=lambda m: (m[0], m[1], m[3]))
    print("mutants: %d generated, %d run%s" % (
        total, len(mutants), " (sampled, seed %d)" % args.seed if len(mutants) < total else ""))
    killed, survived, stillborn, equivalent = 0, [], 0, []
    t0 = time.time()
    for k, (rel, line, src, name, text) in enumerate(mutants, 1):
        old = apply(scratch, rel, text)
        if not scratch.compile():
            stillborn += 1
            apply(scratch, rel, old)
            continue
        by = scratch.tests()
        apply(scratch, rel, old)
        if by:
            killed += 1
        elif (rel, src, name) in EQUIVALENT:
            equivalent.append((rel, line, src, name))
        else:
            survived.append((rel, line, src, name))
            print("SURVIVED %s:%d  %s  [%s]" % (rel, line, name, src))
        if args.verbose:
            print("%4d %s:%d %s: %s" % (k, rel, line, name, by or "survived"))
        sys.stdout.flush()
    scratch.compile()
    run = killed + len(survived) + len(equivalent)
    print("\n%d mutants built and run (%d did not build) in %.0f s: %d killed, "
          "%d equivalent, %d survived" % (run, stillborn, time.time() - t0, killed,
                                          len(equivalent), len(survived)))
    if run:
        print("score: %.1f%% killed of the non-equivalent (%d/%d)" % (
            100.0 * killed / max(1, run - len(equivalent)), killed, run - len(equivalent)))
    for rel, line, src, name in equivalent:
        print("equivalent %s:%d  %s  [%s]: %s" % (rel, line, name, src,
                                                   EQUIVALENT[(rel, src, name)]))
    for rel, line, src, name in survived:
        print("survivor %s:%d  %s  [%s]" % (rel, line, name, src))
    return 0 if not survived else 1


def main():
    ap = argparse.ArgumentParser(description="mutation testing of the judgement code")
    ap.add_argument("--named", action="store_true", help="the thirteen changes of issue 21")
    ap.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    ap.add_argument("--max", type=int, default=0, help="sample this many mutants")
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--only", action="append", metavar="FILE:LINE",
                    help="only the mutants of this line (repeatable)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch tree")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if args.list:
        for rel, line, src, name, _ in generate(ROOT):
            print("%s:%d  %s  [%s]" % (rel, line, name, src))
        return 0
    scratch = Scratch(args.keep)
    try:
        return run_named(scratch) if args.named else run_all(scratch, args)
    finally:
        scratch.close()


if __name__ == "__main__":
    sys.exit(main())
