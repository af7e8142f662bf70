#!/usr/bin/env bash
# Debian's chromium for the Playwright browser tests (Playwright drives it; no browser download).
# Idempotent; needs root (apt-get) when chromium is missing. Exit non-zero when it cannot be installed.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "browser setup: chromium is missing; install Debian's chromium (apt-get install chromium)" >&2
  exit 3
fi
echo "browser setup: apt-get install chromium" >&2
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
command -v chromium >/dev/null
