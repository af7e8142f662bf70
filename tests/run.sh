#!/usr/bin/env bash
# The whole suite, in three passes (docs/decisions/0002-two-pass-test-suite.md):
#  1. fast: everything but `tools` and `integration` tests, on the embedded default (SQLite, tasks
#     in-process), in parallel processes (pytest-xdist);
#  2. tools: tests that run the DCC verifier (node), the Open Badges 2.0 validator or chromium, on SQLite,
#     in parallel processes too, each taking whole files (their module fixtures start servers and browsers);
#  3. integration: PostgreSQL and Redis with real worker processes, one test at a time.
# Under CI=true pass 3 must run; on a laptop without the services it is skipped with the reason.
# TEST_WORKERS sets the processes of passes 1 and 2 (default: auto, one per CPU; 0 runs them in this process).
# Arguments go to every pass (bash tests/run.sh -k claim); a pass that they leave without a test is no error.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
WORKERS=${TEST_WORKERS:-auto}
ARGS=("$@")

run_pass() {
  local name=$1 status=0
  shift
  echo "== pass $name"
  "$@" "${ARGS[@]}" || status=$?
  if [[ $status -eq 5 && ${#ARGS[@]} -gt 0 ]]; then
    echo "(no test of the $name pass matches the arguments)"
    return 0
  fi
  return $status
}

run_pass fast $PY -m pytest -m "not integration and not tools" -n "$WORKERS" --dist load
run_pass tools $PY -m pytest -m "tools and not integration" -n "$WORKERS" --dist loadfile

if reason=$($PY -m tests.services ensure); then
  DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/laurel} \
  TEST_REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15} \
    run_pass integration $PY -m pytest -m integration
else
  if [[ ${CI:-} == true ]]; then
    echo "Integration tests cannot run under CI: $reason" >&2
    exit 1
  fi
  echo "SKIPPED the integration pass (PostgreSQL, Redis, worker): $reason"
fi
