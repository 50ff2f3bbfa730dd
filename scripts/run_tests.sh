#!/usr/bin/env bash
# The test command behind `make test`: unit/integration tests in parallel, then browser tests
# in a second pytest run (the live server needs a flushed, transactional database), with the
# other tests that commit (marker "transactional": the flush after them empties every table).
#
#   scripts/run_tests.sh                     the whole suite: each run must collect tests
#   scripts/run_tests.sh tests/accounts -x   a subset: fine if one of the runs collects nothing
#
# Fails when either run fails. pytest's exit code 5 ("no tests collected") is a failure for
# the whole suite, and for a subset when neither run collected anything.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
TEST_WORKERS=${TEST_WORKERS:-2}
export PYTHONPATH=src

"$PY" -m pytest -n "$TEST_WORKERS" -m "not e2e and not transactional" "$@"
unit=$?
"$PY" -m pytest -p no:xdist -m "e2e or transactional" "$@"
e2e=$?

echo "pytest exit codes: unit/integration=$unit, browser=$e2e"
ok() { [ "$1" = 0 ] || { [ "$1" = 5 ] && [ "$#" -gt 1 ] && [ "$2" = subset ]; }; }
if [ "$#" -gt 0 ]; then
  if [ "$unit" = 5 ] && [ "$e2e" = 5 ]; then
    echo "FAILED: no tests collected"
    exit 5
  fi
  ok "$unit" subset && ok "$e2e" subset && exit 0
else
  ok "$unit" && ok "$e2e" && exit 0
fi
echo "FAILED"
exit 1
