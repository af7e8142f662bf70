#!/usr/bin/env bash
# HarfBuzz's subsetting library for certificate PDFs (credentials/pdf.py). WeasyPrint subsets the embedded
# fonts with it in a few milliseconds; without it WeasyPrint falls back to fontTools, which works but takes
# about a second per PDF with the shipped fonts, and every test that issues an award renders one.
# Production machines need the same package (Debian: libharfbuzz-subset0).
# The PDF tests' other tools (pypdf, pypdfium2, zxing-cpp) come from PyPI with the `test` extra.
# Idempotent; needs root (apt-get) when the library is missing. Exit non-zero when it cannot be installed.
set -euo pipefail

have_library() {
  ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0'
}

if have_library; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "pdf setup: libharfbuzz-subset is missing; install Debian's libharfbuzz-subset0" >&2
  exit 3
fi
echo "pdf setup: apt-get install libharfbuzz-subset0" >&2
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 >/dev/null
fi
have_library
