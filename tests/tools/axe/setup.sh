#!/usr/bin/env bash
# Install axe-core (node_modules) from the committed package-lock.json, for the accessibility tests
# (tests/browser/test_accessibility.py). The engine ships with the project's test tools: no CDN.
#
#   bash tests/tools/axe/setup.sh            # from anywhere; idempotent
#
# A fast no-op when node_modules was installed from the current package-lock.json (stamp file
# node_modules/.laurel-lock.sha256). Needs npm. Safe to run concurrently (flock).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lock_file="$here/package-lock.json"
stamp="$here/node_modules/.laurel-lock.sha256"

if ! command -v npm >/dev/null 2>&1; then
    echo "axe setup: npm is required (apt-get install nodejs npm)" >&2
    exit 3
fi

want="$(sha256sum "$lock_file" | cut -d' ' -f1)"
is_ready() { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$here/node_modules/axe-core/axe.min.js" ]; }

if is_ready; then
    exit 0
fi
if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/axe-setup-$(printf '%s' "$here" | sha256sum | cut -c1-16).lock"
    flock 9
    if is_ready; then
        exit 0
    fi
fi

echo "axe setup: npm ci in $here" >&2
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
test -f "$here/node_modules/axe-core/axe.min.js"
printf '%s\n' "$want" > "$stamp"
echo "axe setup: ready" >&2
