#!/usr/bin/env bash
# Installs what the independent verifiers and browser tests need (idempotent, quick when done).
# Under CI=true a failure here fails the run; on a laptop the affected tests skip with a reason.
set -uo pipefail
cd "$(dirname "$0")/../.."
status=0
for step in tests/tools/*/setup.sh; do
  [[ -f $step ]] || continue
  echo "== $step"
  if ! bash "$step"; then
    echo "!! $step failed" >&2
    status=1
  fi
done
if [[ $status -ne 0 && ${CI:-} == true ]]; then
  exit 1
fi
exit 0
