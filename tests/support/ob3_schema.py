"""1EdTech's published Open Badges 3.0 JSON schemas, run from the test suite (files in tests/support/schemas/).

    from tests.support.ob3_schema import schema_errors

    assert schema_errors(award.credential) == []                       # OpenBadgeCredential
    assert schema_errors(endorsement.credential, "endorsement") == []  # EndorsementCredential

The schemas are JSON Schema draft 2019-09; formats (date-time, uri, email...) are checked too.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

SCHEMAS = Path(__file__).resolve().parent / "schemas"
FILES = {
    "achievement": "ob_v3p0_achievementcredential_schema.json",
    "endorsement": "ob_v3p0_endorsementcredential_schema.json",
}


@cache
def validator(kind: str = "achievement"):
    from jsonschema import Draft201909Validator

    schema = json.loads((SCHEMAS / FILES[kind]).read_text(encoding="utf-8"))
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def schema_errors(document: dict, kind: str = "achievement") -> list[str]:
    """Every violation as "path: message" (empty when the document passes)."""
    errors = sorted(validator(kind).iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'.'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors]
