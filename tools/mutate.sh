#!/bin/sh
# Mutation testing of the judgement code (issue 21, "tests that catch a
# wrong rule"); not part of meson test.
#
#   tools/mutate.sh            every mutant, one at a time: the score and
#                              every survivor (file:line, the mutation)
#   tools/mutate.sh --named    the thirteen changes of issue 21, each caught
#   tools/mutate.sh --list     the mutants, nothing run
#   tools/mutate.sh --only judge/rules_certs.c:119   the mutants of one line
#   tools/mutate.sh --max N [--seed S]   N mutants sampled with seed S
#                              (default 21), the same N for the same S
#
# A mutant is one operator changed on one line of judge/rules_*.c, the
# severities and cause ranks of judge/catalogue.c (and EXPIRING_SOON_DAYS),
# the grouping of judge/judge.c, or the field reading of judge/certificate.c:
# a severity swapped (error<->warning, warning<->info), < <= > >= tightened
# or loosened, && for ||, == for !=, a boolean return flipped, a limit
# (2048, 224, 4096, 999, 30 days, the 11..24 bytes of an encrypted alert)
# moved by one, a cause rank swapped with the next.  Each is applied to a
# scratch copy of the tracked files under /tmp (never this tree), rebuilt
# with ninja (certscope and test_rules only) and run against unit-rules,
# then samples-expected, then command-line; the first test to fail kills
# it.  A mutant that does not build is not counted.  Mutants known to be
# equivalent are listed, each with its reason, in EQUIVALENT in
# tools/mutate.py.  Exit status 0 when nothing survived (--named: when all
# thirteen were caught).
set -e
here=$(dirname "$0")
exec python3 "$here/mutate.py" "$@"
