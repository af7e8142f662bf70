#!/usr/bin/env bash
# Create (or update) the virtualenv that holds 1EdTech's Open Badges 2.0 validator.
#
#   bash tests/tools/ob2/setup.sh            # from anywhere; idempotent
#
# Location: $OB2_VENV, default <repo>/.venv-ob2.  Interpreter: $OB2_PYTHON, default python3.11.
# The validator needs Python 3.11 exactly (future==0.16.0 imports `imp`, gone in 3.12).
# A fast no-op (a few ms) when the venv exists and was built from the current requirements.txt:
# the venv holds a stamp with the sha256 of requirements.txt; a changed file rebuilds the venv.
# Safe to run concurrently (flock). Exit status non-zero when the venv could not be built.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
venv="${OB2_VENV:-$root/.venv-ob2}"
req="$here/requirements.txt"
stamp="$venv/.ob2-requirements.sha256"

want="$(sha256sum "$req" | cut -d' ' -f1)"
# A second, older bakery (bakery-1.2.txt) in its own directory with its own stamp, so that adding it never
# rebuilds a venv built from the same requirements.txt.
bakery_req="$here/bakery-1.2.txt"
bakery_dir="$venv/bakery-1.2"
bakery_stamp="$bakery_dir/.ob2-bakery.sha256"
bakery_want="$(sha256sum "$bakery_req" | cut -d' ' -f1)"

venv_ready() {
    [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
        && "$venv/bin/python" -c '' 2>/dev/null
}

bakery_ready() {
    [ -f "$bakery_stamp" ] && [ "$(cat "$bakery_stamp")" = "$bakery_want" ]
}

is_ready() {
    venv_ready && bakery_ready
}

install_bakery() {
    rm -rf "$bakery_dir"
    "$venv/bin/python" -m pip install --disable-pip-version-check --no-input --no-deps \
        --target "$bakery_dir" -r "$bakery_req" >&2
    PYTHONPATH="$bakery_dir" "$venv/bin/python" -c \
        'import openbadges_bakery.svg_bakery as s, sys; sys.exit("bakery-1.2: wrong bakery" if ".encode(" not in open(s.__file__).read() else 0)' >&2
    printf '%s\n' "$bakery_want" > "$bakery_stamp"
}

if is_ready; then
    exit 0
fi

# Serialise concurrent builds (pytest workers, make -j). The lock lives outside the venv and the repo.
if command -v flock >/dev/null 2>&1; then
    lock="${TMPDIR:-/tmp}/ob2-setup-$(printf '%s' "$venv" | sha256sum | cut -c1-16).lock"
    exec 9>"$lock"
    flock 9
    if is_ready; then  # another process finished the build while we waited
        exit 0
    fi
fi

if venv_ready; then  # only the second bakery is missing or outdated
    install_bakery
    echo "ob2 setup: ready ($venv, with bakery 1.2)" >&2
    exit 0
fi

python="${OB2_PYTHON:-}"
if [ -z "$python" ]; then
    if command -v python3.11 >/dev/null 2>&1; then
        python="python3.11"
    else
        for candidate in /root/.pyenv/versions/3.11*/bin/python3.11 /usr/local/bin/python3.11 /usr/bin/python3.11; do
            if [ -x "$candidate" ]; then python="$candidate"; break; fi
        done
    fi
fi
if [ -z "$python" ] || ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    echo "ob2 setup: need a Python 3.11 interpreter (set OB2_PYTHON); got '${python:-none}'" >&2
    exit 3
fi

echo "ob2 setup: building $venv with $("$python" -c 'import sys; print(sys.executable)')" >&2
if [ -f "$venv/pyvenv.cfg" ]; then
    # An outdated or broken venv of ours: rebuild it from scratch so no stale package survives.
    "$python" -m venv --clear "$venv"
else
    if [ -e "$venv" ] && [ -n "$(ls -A "$venv" 2>/dev/null)" ]; then
        echo "ob2 setup: $venv exists and is not a virtualenv; refusing to touch it" >&2
        exit 3
    fi
    "$python" -m venv "$venv"
fi

# --no-deps: requirements.txt is the full pinned closure and overrides openbadges' 2017 pins.
"$venv/bin/python" -m pip install --disable-pip-version-check --no-input --no-deps -r "$req" >&2
"$venv/bin/python" -c 'import openbadges, openbadges_bakery, responses' >&2

printf '%s\n' "$want" > "$stamp"
install_bakery
echo "ob2 setup: ready ($venv)" >&2
