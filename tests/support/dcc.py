"""Run the Digital Credentials Consortium (DCC) JavaScript verifier/signer from the test suite.

The harness lives in tests/tools/dcc (package.json + package-lock.json pin the DCC libraries:
@digitalcredentials/vc, data-integrity, eddsa-rdfc-2022-cryptosuite, security-document-loader,
vc-bitstring-status-list). node_modules is not committed: ensure_dcc() runs tests/tools/dcc/setup.sh
(`npm ci`) when it is missing or older than package-lock.json.

    from tests.support.dcc import dcc_or_skip, dcc_verify

    def test_signed(credential):
        dcc_or_skip()
        out = dcc_verify(credential)
        assert out["verified"], out["errors"]

dcc_verify() takes one credential (returns one result dict) or a list (returns a list, in one node
process: starting node and loading the libraries costs ~0.5 s, each credential a few ms).
Result dict:
    verified   bool: signature, dates and (when credentialStatus is present) status all pass
    signature  bool: the proof alone verifies
    errors     ["Name: message", ...]
    status     {"checked": bool, "verified": bool, "results": [{statusListIndex, set, ...}], "error"}
    log        the DCC verifier's step log
A status list is fetched over plain http only from 127.0.0.1/localhost/[::1].
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.support.passes import require_tools_marker

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOL_DIR = REPO_ROOT / "tests" / "tools" / "dcc"
SETUP_SH = TOOL_DIR / "setup.sh"
LOCK_FILE = TOOL_DIR / "package-lock.json"
STAMP = TOOL_DIR / "node_modules" / ".laurel-lock.sha256"

DEFAULT_TIMEOUT = float(os.environ.get("DCC_TIMEOUT", "300"))
SETUP_TIMEOUT = float(os.environ.get("DCC_SETUP_TIMEOUT", "600"))


class DCCUnavailable(RuntimeError):
    """node/npm are missing or `npm ci` failed."""


class DCCHarnessError(RuntimeError):
    """verify.mjs / sign.mjs did not produce a usable result."""


def dcc_available() -> bool:
    """True when node and npm are on PATH (the harness can be installed and run)."""
    return shutil.which("node") is not None and shutil.which("npm") is not None


def dcc_ready() -> bool:
    """True when node_modules was installed from the current package-lock.json."""
    import hashlib

    if not STAMP.is_file():
        return False
    return STAMP.read_text().strip() == hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()


_setup_error: DCCUnavailable | None = None


def ensure_dcc() -> None:
    """Install the harness (npm ci) when needed; raise DCCUnavailable when it cannot be."""
    global _setup_error
    require_tools_marker("the DCC verifier (node)")
    if _setup_error is not None:
        raise _setup_error
    if not dcc_available():
        _setup_error = DCCUnavailable("node and npm are not on PATH")
        raise _setup_error
    if dcc_ready():
        return
    try:
        proc = subprocess.run(
            ["bash", str(SETUP_SH)], capture_output=True, text=True, timeout=SETUP_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        _setup_error = DCCUnavailable(f"tests/tools/dcc/setup.sh failed: {exc}")
        raise _setup_error from exc
    if proc.returncode != 0 or not dcc_ready():
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        _setup_error = DCCUnavailable(f"tests/tools/dcc/setup.sh exited {proc.returncode}:\n{tail}")
        raise _setup_error


def dcc_or_skip() -> None:
    """For tests: ensure_dcc(), but skip with the reason when node/npm are missing or the install
    fails, unless CI=true, where that is an error."""
    if os.environ.get("CI") == "true":
        ensure_dcc()
        return
    try:
        ensure_dcc()
    except DCCUnavailable as exc:
        import pytest

        pytest.skip(f"DCC verifier harness unavailable (node/npm; CI=true makes this fail): {exc}")


def _run(script: str, payload: Any, timeout: float | None) -> Any:
    ensure_dcc()
    cmd = ["node", str(TOOL_DIR / script), "-"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NODE_OPTIONS")}
    try:
        proc = subprocess.run(
            cmd,
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            timeout=timeout or DEFAULT_TIMEOUT,
            cwd=str(TOOL_DIR),
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise DCCHarnessError(f"{script} timed out after {exc.timeout}s") from exc
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        raise DCCHarnessError(
            f"{script} exited {proc.returncode}\nstdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-4000:]}"
        )
    try:
        return json.loads(lines[-1])
    except ValueError as exc:
        raise DCCHarnessError(f"{script} printed no JSON: {lines[-1][:500]}") from exc


def dcc_verify(credential: dict | list[dict], *, timeout: float | None = None) -> dict | list[dict]:
    """Verify one credential (-> dict) or a list of them (-> list, one node process)."""
    return _run("verify.mjs", credential, timeout)


def dcc_sign(
    credentials: list[dict], *, seed: bytes | None = None, created: str | None = None, timeout: float | None = None
) -> dict:
    """Sign credentials with the DCC JavaScript signer (eddsa-rdfc-2022, did:key from `seed`).

    Each credential's issuer id is replaced by the signing DID. Returns
    {"did", "verificationMethod", "publicKeyMultibase", "credentials": [signed, ...]}.
    """
    payload: dict[str, Any] = {"credentials": credentials}
    if seed is not None:
        payload["seed"] = seed.hex()
    if created is not None:
        payload["created"] = created
    return _run("sign.mjs", payload, timeout)


if __name__ == "__main__":  # python -m tests.support.dcc credential.json
    import sys

    with open(sys.argv[1], encoding="utf-8") as fh:
        print(json.dumps(dcc_verify(json.load(fh)), indent=2))


def dcc_present(
    challenge: str,
    domain: str | None,
    *,
    seed: bytes | None = None,
    version: int = 2,
    timeout: float | None = None,
) -> dict:
    """A DID-authentication presentation signed as the DCC Learner Credential Wallet signs it.

    tests/tools/dcc/present.mjs: a did:key (from `seed`, random when absent), vc.createPresentation
    with it as holder (VC data model `version` 2 or 1), vc.signPresentation with an
    Ed25519Signature2020 suite, proofPurpose "authentication", `challenge` and `domain` (omitted
    when None). Returns {"did", "verificationMethod", "presentation"}.
    """
    payload: dict[str, Any] = {"challenge": challenge, "version": version}
    if domain is not None:
        payload["domain"] = domain
    if seed is not None:
        payload["seed"] = seed.hex()
    return _run("present.mjs", payload, timeout)
