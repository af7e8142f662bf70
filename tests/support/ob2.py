"""Run 1EdTech's Open Badges 2.0 validator from the test suite.

The validator (PyPI `openbadges` 1.1.2) lives in its own virtualenv, built by
tests/tools/ob2/setup.sh at $OB2_VENV (default <repo>/.venv-ob2), and runs in a subprocess through
tests/tools/ob2/run_validator.py, which serves the OB 2.0 JSON-LD context offline and lets the
validator reach only localhost / 127.x / [::1].

    from tests.support.ob2 import ob2_or_skip, ob2_validate_url

    def test_hosted_assertion(live_server):
        ob2_or_skip()
        out = ob2_validate_url(f"{live_server.url}/assertions/1", "ada@example.org")
        assert out["valid"], out["errors"]

Result dict (one call takes 0.5-0.8 s wall: ~0.05-0.1 s in openbadges.verify(), the rest is the
subprocess starting and importing the validator):
    valid            bool: the validator's report.valid and the Assertion is not revoked
    validator_valid  bool: the validator's own verdict (it ignores "revoked" on hosted assertions)
    revoked, revocationReason
    errors, warnings ["TASK_NAME: message", ...]
    report           the validator's report (valid, errorCount, warningCount, messages, ...)
    graph, input     the validator's graph and input record
    elapsed_seconds  time spent inside openbadges.verify()
    bakery           the openbadges_bakery module file used (the venv's 2.0.0, or 1.2.4 with bakery="1.2")

The validator hashes the email exactly as given (sha256(email + salt)); pass the same normalised
(lower-cased) address the server hashed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

try:
    from tests.support.passes import require_tools_marker
except ImportError:  # loaded by path where another `tests` package shadows ours (tests/tools/ob2/test_harness.py)

    def require_tools_marker(tool: str) -> None:
        pass


REPO_ROOT = Path(__file__).resolve().parents[2]
TOOL_DIR = REPO_ROOT / "tests" / "tools" / "ob2"
SETUP_SH = TOOL_DIR / "setup.sh"
RUN_VALIDATOR = TOOL_DIR / "run_validator.py"
REQUIREMENTS = TOOL_DIR / "requirements.txt"
BAKERY_REQUIREMENTS = TOOL_DIR / "bakery-1.2.txt"

DEFAULT_TIMEOUT = float(os.environ.get("OB2_TIMEOUT", "120"))
SETUP_TIMEOUT = float(os.environ.get("OB2_SETUP_TIMEOUT", "900"))


class OB2Unavailable(RuntimeError):
    """The validator's virtualenv could not be created."""


class OB2HarnessError(RuntimeError):
    """run_validator.py did not produce a usable result."""


def ob2_venv() -> Path:
    return Path(os.environ.get("OB2_VENV") or REPO_ROOT / ".venv-ob2")


def ob2_python() -> Path:
    return ob2_venv() / "bin" / "python"


def ob2_available() -> bool:
    """True when the validator venv exists and was built from the current requirements.txt, with the second
    bakery (bakery-1.2.txt) installed beside it."""
    stamp = ob2_venv() / ".ob2-requirements.sha256"
    bakery_stamp = ob2_venv() / "bakery-1.2" / ".ob2-bakery.sha256"
    if not (os.access(ob2_python(), os.X_OK) and stamp.is_file() and bakery_stamp.is_file()):
        return False
    want = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    bakery_want = hashlib.sha256(BAKERY_REQUIREMENTS.read_bytes()).hexdigest()
    return stamp.read_text().strip() == want and bakery_stamp.read_text().strip() == bakery_want


_setup_error: OB2Unavailable | None = None


def _run_setup() -> None:
    """Run setup.sh; a failure is remembered so later tests in this process fail (or skip) fast."""
    global _setup_error
    if _setup_error is not None:
        raise _setup_error
    try:
        proc = subprocess.run(
            ["bash", str(SETUP_SH)],
            capture_output=True,
            text=True,
            timeout=SETUP_TIMEOUT,
            env=_child_env(),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        _setup_error = OB2Unavailable(f"tests/tools/ob2/setup.sh failed: {exc}")
        raise _setup_error from exc
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        _setup_error = OB2Unavailable(f"tests/tools/ob2/setup.sh exited {proc.returncode}:\n{tail}")
        raise _setup_error


def ensure_ob2() -> Path:
    """Build the validator venv when it is missing or outdated; return its python.

    Raises OB2Unavailable when it cannot be built (no Python 3.11, no package index...).
    """
    require_tools_marker("the Open Badges 2.0 validator")
    if not ob2_available():
        _run_setup()
        if not ob2_available():
            raise OB2Unavailable(f"setup.sh ran but {ob2_venv()} is still not ready")
    return ob2_python()


def ob2_or_skip() -> Path:
    """For tests: ensure_ob2(), but skip (rather than fail) when the venv cannot be built,
    unless CI=true, where a missing validator is an error."""
    if os.environ.get("CI") == "true":
        return ensure_ob2()
    try:
        return ensure_ob2()
    except OB2Unavailable as exc:
        import pytest

        pytest.skip(f"Open Badges 2.0 validator venv unavailable (set CI=true to make this fail): {exc}")


def _child_env() -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")
    }
    env["PYTHONNOUSERSITE"] = "1"
    env.setdefault("PYTHONWARNINGS", "ignore")
    no_proxy = ",".join(filter(None, [env.get("NO_PROXY") or env.get("no_proxy"), "localhost,127.0.0.1,::1"]))
    env["NO_PROXY"] = env["no_proxy"] = no_proxy
    return env


def _run(args: list[str], timeout: float | None) -> dict:
    python = ensure_ob2()
    cmd = [str(python), str(RUN_VALIDATOR), *args]
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=timeout or DEFAULT_TIMEOUT,
            env=_child_env(),
            cwd=str(TOOL_DIR),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OB2HarnessError(f"validator timed out after {exc.timeout}s: {' '.join(cmd)}") from exc
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    try:
        result = json.loads(lines[-1])
    except (IndexError, ValueError) as exc:
        raise OB2HarnessError(
            f"validator exited {proc.returncode} without JSON output\n"
            f"stdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-4000:]}"
        ) from exc
    if proc.returncode == 2:
        raise OB2HarnessError(
            f"run_validator.py failed: {result.get('errors')}\nstderr: {proc.stderr[-4000:]}"
        )
    result["stderr"] = proc.stderr
    return result


def ob2_validate_url(
    url: str, email: str, *, timeout: float | None = None, allow_hosts: tuple[str, ...] = ()
) -> dict:
    """Validate the hosted Assertion (or baked image) at `url` for recipient `email`."""
    args = ["--url", url, "--email", email]
    for host in allow_hosts:
        args += ["--allow-host", host]
    return _run(args, timeout)


def ob2_validate_file(
    path: str | os.PathLike,
    email: str,
    *,
    timeout: float | None = None,
    allow_hosts: tuple[str, ...] = (),
    bakery: str = "2.0",
) -> dict:
    """Validate a baked PNG/SVG at `path` for recipient `email`. A baked hosted Assertion is still
    fetched from its `id` URL, so its server must be running. `bakery="1.2"` unbakes with
    openbadges-bakery 1.2.4, as 1EdTech's hosted validator does (its SVG reader differs)."""
    args = ["--file", os.fspath(path), "--email", email, "--bakery", bakery]
    for host in allow_hosts:
        args += ["--allow-host", host]
    return _run(args, timeout)


if __name__ == "__main__":  # python -m tests.support.ob2 URL_OR_FILE EMAIL
    target, email = sys.argv[1], sys.argv[2]
    out = ob2_validate_url(target, email) if "://" in target else ob2_validate_file(target, email)
    out.pop("stderr", None)
    print(json.dumps(out, indent=2, default=str))
