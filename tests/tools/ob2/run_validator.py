"""Run 1EdTech's Open Badges 2.0 validator (PyPI `openbadges` 1.1.2) offline, print one JSON object.

Runs INSIDE the validator's own virtualenv (tests/tools/ob2/setup.sh), never the project's:

    .venv-ob2/bin/python tests/tools/ob2/run_validator.py --url URL --email E
    .venv-ob2/bin/python tests/tools/ob2/run_validator.py --file baked.png --email E [--bakery 1.2]

--bakery 1.2 runs the validator with openbadges-bakery 1.2.4 (setup.sh installs it in <venv>/bakery-1.2),
the bakery of 1EdTech's hosted validator, whose SVG unbaker returns the `verify` attribute as bytes; the
default is the venv's bakery (2.0.0).

Network: the OB 2.0 JSON-LD context (https://w3id.org/openbadges/v2) is served from the copy beside
this file; requests to localhost, 127.x.x.x and [::1] (and to any --allow-host) go to the network;
every other URL fails as a connection error, so nothing leaves the machine.

Output (stdout, one line of JSON; the validator's own logging goes to stderr):
    valid            validator's report.valid AND not revoked (see below)
    validator_valid  the validator's own report["valid"]
    revoked          the Assertion in the graph says "revoked": true
    revocationReason its revocationReason, or null
    errors           ["TASK_NAME: message", ...] for messageLevel ERROR
    warnings         ["TASK_NAME: message", ...] for messageLevel WARNING
    report           the validator's report: valid, errorCount, warningCount, messages,
                     validationSubject, openBadgesVersion, recipientProfile (when matched)
    graph            the validator's graph: compacted Assertion, BadgeClass, Issuer nodes
    input            the validator's input record (value, input_type)
    elapsed_seconds  wall time of openbadges.verify()
Exit status: 0 valid, 1 not valid, 2 the harness itself failed (JSON still printed, with an error).

The validator checks hosted-assertion revocation only for signed badges (RevocationList); it reports
a hosted Assertion with "revoked": true as valid. This script adds the check the spec requires: such
an Assertion makes `valid` false and adds the error "HOSTED_ASSERTION_NOT_REVOKED: ...".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CONTEXT = HERE / "openbadges-v2-context.json"
CONTEXT_URLS = (
    "https://w3id.org/openbadges/v2",
    "http://w3id.org/openbadges/v2",
    "https://w3id.org/openbadges/v2/",
    "http://w3id.org/openbadges/v2/",
)
LOCAL_HOSTS = ("localhost", r"127(?:\.\d{1,3}){3}", r"\[::1\]")
REVOCATION_TASK = "HOSTED_ASSERTION_NOT_REVOKED"


def _host_pattern(hosts):
    alternatives = "|".join(hosts)
    return re.compile(rf"^https?://(?:{alternatives})(?::\d+)?(?:[/?#]|$)", re.IGNORECASE)


def _messages(report, level):
    return [
        f"{m.get('name')}: {m.get('result')}"
        for m in report.get("messages", [])
        if m.get("messageLevel") == level
    ]


def _revocation(graph):
    """(revoked, reason) of the first Assertion node in the validator's graph."""
    for node in graph:
        types = node.get("type")
        types = types if isinstance(types, list) else [types]
        if "Assertion" in types:
            revoked = node.get("revoked")
            if isinstance(revoked, str):  # compaction keeps a JSON string as given
                revoked = revoked.strip().lower() == "true"
            return bool(revoked), node.get("revocationReason"), node.get("id")
    return False, None, None


def use_bakery(version: str) -> str:
    """Put the chosen openbadges_bakery first on sys.path (before anything imports it); return its file."""
    if version == "1.2":
        directory = Path(sys.prefix) / "bakery-1.2"
        if not (directory / "openbadges_bakery").is_dir():
            raise RuntimeError(f"openbadges-bakery 1.2 is not installed in {directory} (run setup.sh)")
        sys.path.insert(0, str(directory))
    import openbadges_bakery

    return openbadges_bakery.__file__


def validate(args) -> dict:
    bakery = use_bakery(args.bakery)
    import openbadges
    import responses

    context_body = Path(args.context).read_text(encoding="utf-8")
    json.loads(context_body)  # fail early on a broken copy

    if args.file:
        # openbadges.verify() crashes (ValueError.message on Python 3) on a file without baked data,
        # and the bakery raises on a compressed iTXt chunk or a bad chunk CRC: report those as errors.
        from openbadges_bakery import unbake

        problem = None
        with open(args.file, "rb") as fh:
            try:
                if not unbake(fh):
                    problem = f"no Open Badges data found in {args.file}"
            except Exception as exc:
                problem = f"could not read Open Badges data from {args.file}: {type(exc).__name__}: {exc}"
        if problem:
            return {
                "valid": False,
                "validator_valid": False,
                "revoked": False,
                "revocationReason": None,
                "errors": [f"UNBAKE: {problem}"],
                "warnings": [],
                "report": {"valid": False, "errorCount": 1, "warningCount": 0, "messages": []},
                "graph": [],
                "input": {"value": args.file, "input_type": "file"},
                "elapsed_seconds": 0.0,
                "bakery": bakery,
            }

    recipient_profile = {"email": args.email} if args.email else None
    hosts = LOCAL_HOSTS + tuple(re.escape(h) for h in args.allow_host)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for url in CONTEXT_URLS:
            mock.add(responses.GET, url, body=context_body, status=200, content_type="application/ld+json")
        mock.add_passthru(_host_pattern(hosts))

        started = time.perf_counter()
        # The validator may print; keep stdout for our single JSON object.
        with contextlib.redirect_stdout(sys.stderr):
            if args.file:
                with open(args.file, "rb") as fh:
                    result = openbadges.verify(fh, recipient_profile=recipient_profile, use_cache=False)
            else:
                result = openbadges.verify(args.url, recipient_profile=recipient_profile, use_cache=False)
        elapsed = time.perf_counter() - started

    report = result.get("report", {})
    graph = result.get("graph", [])
    errors = _messages(report, "ERROR")
    warnings = _messages(report, "WARNING")
    revoked, reason, assertion_id = _revocation(graph)
    if revoked:
        errors.append(
            f"{REVOCATION_TASK}: Assertion {assertion_id} has been revoked"
            + (f" with reason: {reason}" if reason else "")
        )
    validator_valid = bool(report.get("valid"))
    return {
        "valid": validator_valid and not revoked,
        "validator_valid": validator_valid,
        "revoked": revoked,
        "revocationReason": reason,
        "errors": errors,
        "warnings": warnings,
        "report": report,
        "graph": graph,
        "input": result.get("input", {}),
        "elapsed_seconds": round(elapsed, 4),
        "bakery": bakery,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--url", help="URL of a hosted Assertion (or of a baked image)")
    source.add_argument("--file", help="path of a baked PNG or SVG")
    parser.add_argument("--email", help="recipient email given to the validator as the trusted profile")
    parser.add_argument(
        "--context",
        default=os.environ.get("OB2_CONTEXT") or str(DEFAULT_CONTEXT),
        help="OB 2.0 JSON-LD context file served for https://w3id.org/openbadges/v2",
    )
    parser.add_argument(
        "--bakery",
        choices=("2.0", "1.2"),
        default="2.0",
        help="openbadges-bakery to unbake with: the venv's 2.0.0, or 1.2.4 as 1EdTech's hosted validator runs",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="HOST",
        help="another host name whose URLs may be fetched from the network (repeatable)",
    )
    args = parser.parse_args(argv)

    try:
        out = validate(args)
        status = 0 if out["valid"] else 1
    except Exception as exc:  # report harness failures as JSON too
        traceback.print_exc(file=sys.stderr)
        out = {
            "valid": False,
            "errors": [f"HARNESS: {type(exc).__name__}: {exc}"],
            "warnings": [],
            "report": None,
        }
        status = 2
    sys.stdout.write(json.dumps(out, default=str) + "\n")
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
