#!/usr/bin/env bash
# The whole suite, in three passes (docs/decisions/0002-two-pass-test-suite.md):
#  1. fast: everything but `tools` and `integration` tests, on the embedded default (SQLite, tasks
#     in-process), in parallel processes (pytest-xdist);
#  2. tools: tests that run the DCC verifier (node), the Open Badges 2.0 validator or chromium, on SQLite,
#     in parallel processes too, each taking whole files (their module fixtures start servers and browsers);
#  3. integration: PostgreSQL and Redis with real worker processes, one test at a time, beside pass 2.
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

# Passes 2 and 3 run side by side (the tools pass waits on browsers and node, the integration pass on
# PostgreSQL, Redis and worker processes); each writes its own log, shown when both are done.
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
integration_pass() {
  if reason=$($PY -m tests.services ensure); then
    DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/laurel} \
    TEST_REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15} \
      run_pass integration $PY -m pytest -m integration -p no:cacheprovider
  elif [[ ${CI:-} == true ]]; then
    echo "Integration tests cannot run under CI: $reason" >&2
    return 1
  else
    echo "SKIPPED the integration pass (PostgreSQL, Redis, worker): $reason"
  fi
}
run_pass tools $PY -m pytest -m "tools and not integration" -n "$WORKERS" --dist loadfile >"$LOGS/tools" 2>&1 &
tools=$!
integration_pass >"$LOGS/integration" 2>&1 &
integration=$!
tools_status=0 integration_status=0
wait $tools || tools_status=$?
cat "$LOGS/tools"
wait $integration || integration_status=$?
cat "$LOGS/integration"
if [[ $tools_status -ne 0 || $integration_status -ne 0 ]]; then
  echo "tools pass: exit $tools_status; integration pass: exit $integration_status" >&2
  exit 1
fi
