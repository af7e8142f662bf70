"""What the parts of a credential must be, checked once at the boundary before any code reads them.

A document to verify comes from anyone: pasted text, a baked image, a URL. The verifier reads a few fields
(``credentialSubject.identifier``, ``credentialStatus.statusListCredential``, OB 2.0 ``recipient``,
``badge.issuer``...) and every read assumes a shape: an object, a string, a list of objects. These checks
make the assumptions explicit, so that a wrong shape is a clear answer ("credentialStatus must be an object
or a list of objects") instead of an AttributeError deep inside. Only what the verifier reads is checked;
everything else is covered by the signature and the JSON-LD term check.

JSON is bounded in depth (:data:`MAX_DEPTH`) before it is parsed: Python's json module, pyld and the
term check all recurse, and a document nested thousands of levels deep would exhaust the stack. Open
Badges credentials nest about ten levels (an endorsement inside an achievement inside a credential).
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from .errors import OpenBadgesError

MAX_DEPTH = 32
#: Unix timestamps (OB 2.0 allows them for issuedOn and expires) up to the year 9999.
MAX_TIMESTAMP = 253_402_300_799

#: What a value must be, in words; ShapeError.expected is one of these keys.
EXPECTED = {
    "object": "an object",
    "objects": "an object or a list of objects",
    "string": "a string",
    "strings": "a string or a list of strings",
    "url": "an http or https URL",
    "url_or_object": "a URL or an object",
    "date_time": "a date-time (ISO 8601)",
    "date_time_or_timestamp": "a date-time (ISO 8601) or a Unix timestamp",
    "boolean": "true or false",
    "context": "a URL, an object or a list of them",
    "index": "a whole number",
    "depth": f"nested at most {MAX_DEPTH} levels deep",
}


class ShapeError(OpenBadgesError, ValueError):
    """``path`` (``credentialSubject.identifier``) is not what the verifier can read (``expected``: a key
    of :data:`EXPECTED`)."""

    def __init__(self, path: str, expected: str):
        self.path = path
        self.expected = expected
        super().__init__(f"{path} must be {EXPECTED[expected]}")


# --- JSON -------------------------------------------------------------------------------------------

# One token at a time: a JSON string (its closing quote optional, so an unterminated string is consumed
# in one linear pass instead of being re-scanned from every quote) or a bracket.
_TOKENS = re.compile(r'"(?:[^"\\]+|\\.)*"?|[\[\]{}]', re.DOTALL)


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of ``text`` nest, without parsing it (linear time).

    Exact for valid JSON; for invalid JSON it agrees with the parser up to the first error, which is
    where the parser stops.
    """
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)
    return deepest


def _no_constants(name: str):
    raise ValueError(f"{name} is not JSON")


def parse_json(text: str | bytes) -> Any:
    """``json.loads`` for untrusted text: refuses nesting deeper than :data:`MAX_DEPTH` (ShapeError) before
    parsing, and NaN/Infinity (not JSON). Raises ValueError for text that is not JSON."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if json_depth(text) > MAX_DEPTH:
        raise ShapeError("JSON", "depth")
    value = json.loads(text, parse_constant=_no_constants)
    if "\\u" in text:
        # "\ud800" parses to a lone surrogate, which no UTF-8 encoder (pyld's canonicalisation, the database)
        # accepts later: such text is not Unicode, so it is not valid JSON for a credential (RFC 8259, 8.2).
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("JSON text with an unpaired surrogate escape is not valid Unicode") from None
    return value


def check_depth(value: Any, path: str = "JSON") -> None:
    """ShapeError when an already parsed value nests deeper than :data:`MAX_DEPTH` (iterative walk)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > MAX_DEPTH:
                raise ShapeError(path, "depth")
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)


# --- values -----------------------------------------------------------------------------------------


def obj(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        raise ShapeError(path, "object")
    return value


def objects(value: Any, path: str, *, required: bool = False) -> list[dict]:
    """An object or a list of objects, as a list ([] when absent and not required)."""
    if value is None and not required:
        return []
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ShapeError(path, "objects")
    if required and not items:
        raise ShapeError(path, "objects")
    return items


def string(value: Any, path: str, *, required: bool = False) -> str:
    """A string ("" when absent and not required)."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ShapeError(path, "string")
    return value


def strings(value: Any, path: str, *, required: bool = False) -> list[str]:
    """A string or a list of strings, as a list."""
    if value is None and not required:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(item, str) for item in items):
        raise ShapeError(path, "strings")
    return items


def boolean(value: Any, path: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ShapeError(path, "boolean")
    return value


def is_http_url(value: Any) -> bool:
    """An absolute http(s) URL that urllib can take apart (host, valid port)."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return False
    return bool(parts.hostname)


def url(value: Any, path: str) -> str:
    if not is_http_url(value):
        raise ShapeError(path, "url")
    return value


def url_or_object(value: Any, path: str) -> str | dict:
    if isinstance(value, dict):
        return value
    if not is_http_url(value):
        raise ShapeError(path, "url_or_object")
    return value


def date_time(value: Any, path: str, *, timestamps: bool = False) -> datetime | None:
    """An ISO 8601 date-time (UTC when it has no zone), or None when absent. With ``timestamps``, a Unix
    timestamp is accepted too (Open Badges 2.0)."""
    if value is None:
        return None
    expected = "date_time_or_timestamp" if timestamps else "date_time"
    if timestamps and isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value) or not 0 <= value <= MAX_TIMESTAMP:
            raise ShapeError(path, expected)
        return datetime.fromtimestamp(value, UTC)
    if not isinstance(value, str):
        raise ShapeError(path, expected)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ShapeError(path, expected) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def status_index(value: Any, path: str) -> int:
    """A status list index: a whole number, as a JSON number or a string of digits (at most 18)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**18:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    raise ShapeError(path, "index")


def context(value: Any, path: str = "@context") -> None:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str | dict) for item in items):
        raise ShapeError(path, "context")


# --- documents --------------------------------------------------------------------------------------


def check_ob3(credential: Any) -> dict:
    """The parts of a verifiable credential that the verifier reads. Returns the credential."""
    obj(credential, "credential")
    check_depth(credential)
    if "@context" in credential:
        context(credential["@context"])
    strings(credential.get("type"), "type", required=True)
    string(credential.get("id"), "id")
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        string(issuer.get("id"), "issuer.id", required=True)
    else:
        string(issuer, "issuer", required=True)
    for prop in ("validFrom", "validUntil", "issuanceDate", "expirationDate"):
        date_time(credential.get(prop), prop)
    for subject in objects(credential.get("credentialSubject"), "credentialSubject", required=True):
        for identifier in objects(subject.get("identifier"), "credentialSubject.identifier"):
            for prop in ("identityType", "identityHash", "salt"):
                string(identifier.get(prop), f"credentialSubject.identifier.{prop}")
            boolean(identifier.get("hashed"), "credentialSubject.identifier.hashed")
    for entry in objects(credential.get("credentialStatus"), "credentialStatus"):
        check_status_entry(entry)
    objects(credential.get("proof"), "proof")
    return credential


def check_status_entry(entry: Any, path: str = "credentialStatus") -> dict:
    obj(entry, path)
    strings(entry.get("type"), f"{path}.type")
    string(entry.get("statusPurpose"), f"{path}.statusPurpose")
    string(entry.get("statusListCredential"), f"{path}.statusListCredential")
    if entry.get("statusListIndex") is not None:
        status_index(entry["statusListIndex"], f"{path}.statusListIndex")
    return entry


def check_status_list_credential(list_credential: Any, path: str = "status list") -> dict:
    """The parts of a (signed) status list credential that :func:`.status_list.entry_is_set` reads."""
    obj(list_credential, path)
    check_depth(list_credential, path)
    strings(list_credential.get("type"), f"{path}.type", required=True)
    string(list_credential.get("id"), f"{path}.id")
    subject = obj(list_credential.get("credentialSubject"), f"{path}.credentialSubject")
    string(subject.get("statusPurpose"), f"{path}.credentialSubject.statusPurpose")
    string(subject.get("encodedList"), f"{path}.credentialSubject.encodedList", required=True)
    return list_credential


def check_ob2_assertion(assertion: Any, path: str = "assertion") -> dict:
    """An Open Badges 2.0 Assertion as the hosted verification reads it; an embedded badge class (and its
    embedded issuer) is checked too."""
    obj(assertion, path)
    check_depth(assertion, path)
    strings(assertion.get("type"), "type")
    url(assertion.get("id"), "id")
    recipient = obj(assertion.get("recipient"), "recipient")
    for prop in ("type", "identity", "salt"):
        string(recipient.get(prop), f"recipient.{prop}")
    boolean(recipient.get("hashed"), "recipient.hashed")
    badge = url_or_object(assertion.get("badge"), "badge")
    if isinstance(badge, dict):
        check_ob2_badge(badge)
    if assertion.get("verification") is not None:
        verification = obj(assertion["verification"], "verification")
        strings(verification.get("type"), "verification.type")
    date_time(assertion.get("issuedOn"), "issuedOn", timestamps=True)
    date_time(assertion.get("expires"), "expires", timestamps=True)
    boolean(assertion.get("revoked"), "revoked")
    string(assertion.get("revocationReason"), "revocationReason")
    return assertion


def check_ob2_badge(badge: Any, path: str = "badge") -> dict:
    obj(badge, path)
    check_depth(badge, path)
    string(badge.get("name"), f"{path}.name")
    issuer = url_or_object(badge.get("issuer"), f"{path}.issuer")
    if isinstance(issuer, dict):
        check_ob2_issuer(issuer, f"{path}.issuer")
    return badge


def check_ob2_issuer(issuer: Any, path: str = "badge.issuer") -> dict:
    obj(issuer, path)
    check_depth(issuer, path)
    string(issuer.get("id"), f"{path}.id")
    string(issuer.get("name"), f"{path}.name")
    return issuer
