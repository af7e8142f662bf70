#!/usr/bin/env bash
# Install the DCC verifier harness (node_modules) from the committed package-lock.json.
#
#   bash tests/tools/dcc/setup.sh            # from anywhere; idempotent
#
# A fast no-op when node_modules was installed from the current package-lock.json (stamp file
# node_modules/.laurel-lock.sha256). Needs node >= 18 and npm. Safe to run concurrently (flock).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lock_file="$here/package-lock.json"
stamp="$here/node_modules/.laurel-lock.sha256"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "dcc setup: node and npm are required (apt-get install nodejs npm)" >&2
    exit 3
fi

want="$(sha256sum "$lock_file" | cut -d' ' -f1)"
is_ready() { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; }

if is_ready; then
    exit 0
fi
if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/dcc-setup-$(printf '%s' "$here" | sha256sum | cut -c1-16).lock"
    flock 9
    if is_ready; then
        exit 0
    fi
fi

echo "dcc setup: npm ci in $here" >&2
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
(cd "$here" && node --input-type=module -e "await import('@digitalcredentials/vc')") >&2
printf '%s\n' "$want" > "$stamp"
echo "dcc setup: ready" >&2
