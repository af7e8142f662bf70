#!/usr/bin/env bash
# The whole suite, in two passes:
#  1. everything but integration tests, on the embedded default (SQLite, tasks in-process);
#  2. integration tests on PostgreSQL and Redis with real worker processes.
# Under CI=true pass 2 must run; on a laptop without the services it is skipped with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

$PY -m pytest -m "not integration" "$@"

if reason=$($PY -m tests.services ensure); then
  DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/laurel} \
  TEST_REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15} \
    $PY -m pytest -m integration "$@"
else
  if [[ ${CI:-} == true ]]; then
    echo "Integration tests cannot run under CI: $reason" >&2
    exit 1
  fi
  echo "SKIPPED the integration pass (PostgreSQL, Redis, worker): $reason"
fi
