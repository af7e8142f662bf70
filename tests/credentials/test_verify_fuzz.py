"""Property-based tests of the verifier (issue 9.3): whatever is sent to /verify/ (pasted text, file upload)
or /api/verify (raw body, JSON body, multipart upload), the answer is never a server error and always says
why; and it is the verifier itself that answers, never the views' last-resort guard.

Inputs: arbitrary JSON with the keys the verifier reads mixed in, arbitrary bytes (also behind a PNG
signature or `<svg`), badge images baked with arbitrary text, deeply nested JSON, link-like text, and
random mutations of real credentials (ours and a third party's, signed: their proofs are well formed, so
JSON-LD canonicalisation runs on the mutated documents).

No network: DNS resolution is refused for the whole module (`socket.getaddrinfo` raises), so a link in
an input is answered "cannot be found" by the real fetcher, never fetched.

Hypothesis runs derandomized under CI=true (the same examples on every run) and without an example
database (nothing written to the worktree); locally each run tries new examples. FUZZ_SCALE=50 tries fifty
times as many (a deeper search, minutes instead of seconds).
"""

import copy
import io
import json
import logging
import os
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from credentials.openbadges import (
    bake_png,
    bake_svg,
    did_key_from_public_key,
    private_key_from_bytes,
    public_key_bytes,
    sign_credential,
)
from credentials.openbadges.ob3 import achievement as ob3_achievement
from credentials.openbadges.ob3 import build_credential, profile
from credentials.openbadges.status_list import status_entry

pytestmark = pytest.mark.django_db

BASE_URL = "http://127.0.0.1:8000"  # settings.BASE_URL in the test settings (no BASE_URL in the environment)
GUARD_WORDS = "the error was logged"


def fuzz_settings(examples: int):
    return settings(
        max_examples=examples * int(os.environ.get("FUZZ_SCALE", "1")),
        deadline=None,
        derandomize=os.environ.get("CI") == "true",
        database=None,
        # client, award, caplog and monkeypatch are safe to share between examples: verifying writes nothing
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Hundreds of requests from one client: the verifier is under test here, not the throttle
    (django-ratelimit's switch; nothing to switch off while /verify/ is not throttled)."""
    settings.RATELIMIT_ENABLE = False


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "no network in the fuzz tests")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# --- strategies -------------------------------------------------------------------------------------

KEYS = [
    "@context", "type", "id", "name", "issuer", "credentialSubject", "proof", "credentialStatus", "recipient",
    "badge", "verify", "verification", "identifier", "identityType", "identityHash", "salt", "hashed",
    "statusListCredential", "statusListIndex", "statusPurpose", "validFrom", "validUntil", "issuedOn",
    "expires", "revoked", "revocationReason", "achievement", "verificationMethod", "proofValue",
    "cryptosuite", "proofPurpose", "created", "@id", "@type", "@value", "@list", "@graph",
]  # fmt: skip
WORDS = [
    "VerifiableCredential", "OpenBadgeCredential", "Assertion", "hosted", "HostedBadge", "signed",
    "DataIntegrityProof", "eddsa-rdfc-2022", "assertionMethod", "emailAddress", "BitstringStatusListEntry",
    "BitstringStatusListCredential", "revocation", "AchievementSubject", "Profile", "2025-01-01T00:00:00Z",
    "2999-01-01T00:00:00Z", "not a date", "sha256$abc", "0", "-1", "99999999999999999999", "131071",
    "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://w3id.org/openbadges/v2", "https://unshipped.example/context.json",
    f"{BASE_URL}/c/AAAAAAAAAAAAAAAAAAAAAA", f"{BASE_URL}/c/\x00bad", f"{BASE_URL}/status/1", f"{BASE_URL}/status/x",
    f"{BASE_URL}/status/99999999999999999999", f"{BASE_URL}/ob2/assertions/AAAAAAAAAAAAAAAAAAAAAA.json",
    "https://badges.other.example/a.json", "http://[::1", "http://example.org:99999/", "http://\udcff/",
    "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "z" + "1" * 88, "_:b0", "relative", "@id", "@type",
]  # fmt: skip

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and Infinity too: json.dumps writes them, and they are not JSON
    | st.text(max_size=20)
    | st.sampled_from(WORDS)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=5)
    ),
    max_leaves=25,
)
documents = st.fixed_dictionaries(
    {},
    optional={key: json_values for key in KEYS[:20]}
    | {"type": st.sampled_from(["VerifiableCredential", "Assertion", ["VerifiableCredential"], ["Assertion"]])},
)


def dumps(value) -> bytes:
    return json.dumps(value).encode("utf-8", "surrogatepass")


def _tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "green").save(buffer, "PNG")
    return buffer.getvalue()


TINY_PNG = _tiny_png()
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'
baked_texts = (documents.map(lambda d: json.dumps(d)) | st.text(max_size=60) | st.sampled_from(WORDS)).map(
    lambda t: t.encode("utf-8", "replace").decode()  # an image holds UTF-8: no lone surrogates
)


def _bake_svg(text: str, version: str) -> bytes:
    verify = f"{BASE_URL}/ob2/assertions/AAAAAAAAAAAAAAAAAAAAAA.json" if version == "2.0" else None
    return bake_svg(SVG, text, version=version, verify=verify).encode("utf-8", "surrogatepass")


def _nested(depth: int, opener: str) -> bytes:
    if opener == "[":
        return b"[" * depth + b"]" * depth
    return b'{"a":' * depth + b"1" + b"}" * depth


payload_bytes = st.one_of(
    st.binary(max_size=200),
    st.binary(max_size=200).map(lambda b: b"\x89PNG\r\n\x1a\n" + b),
    st.binary(max_size=200).map(lambda b: b"<svg" + b),
    st.text(max_size=100).map(lambda t: ("<svg " + t).encode("utf-8", "surrogatepass")),
    st.text(max_size=100).map(
        lambda t: ('<?xml version="1.0" encoding="' + t + '"?><svg/>').encode("utf-8", "replace")
    ),
    st.tuples(baked_texts, st.sampled_from(["2.0", "3.0"])).map(lambda tv: bake_png(TINY_PNG, tv[0], version=tv[1])),
    st.tuples(baked_texts, st.sampled_from(["2.0", "3.0"])).map(lambda tv: _bake_svg(*tv)),
    st.tuples(st.integers(20, 3000), st.sampled_from(["[", "{"])).map(lambda no: _nested(*no)),
    st.tuples(st.sampled_from(["http://", "https://", f"{BASE_URL}/c/", f"{BASE_URL}/ob2/assertions/"]), st.text()).map(
        lambda pt: (pt[0] + pt[1]).encode("utf-8", "surrogatepass")
    ),
    json_values.map(dumps),
    documents.map(dumps),
)


@st.composite
def mutations(draw, base: dict):
    """`base` with one to three values somewhere inside replaced by arbitrary JSON, or removed."""
    document = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        node = document
        while True:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = node[key]
            if isinstance(child, dict | list) and child and draw(st.booleans()):
                node = child
                continue
            if draw(st.integers(0, 3)) == 0:
                del node[key]
            else:
                node[key] = draw(json_values)
            break
    return document


def third_party_credential() -> dict:
    key = private_key_from_bytes(bytes(range(32)))
    did = did_key_from_public_key(public_key_bytes(key))
    credential = build_credential(
        id="urn:uuid:6a1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
        issuer=profile(did, "Other University"),
        achievement=ob3_achievement(
            "https://other.example/a/1", "Data Literacy", "Reads data.", criteria_narrative="Pass the exam."
        ),
        valid_from="2025-01-01T00:00:00Z",
        name="Data Literacy",
        recipient_email="x@example.org",
        credential_status=status_entry("https://other.example/status/1", 7),
    )
    return sign_credential(credential, private_key=key, verification_method=f"{did}#{did.removeprefix('did:key:')}")


THIRD_PARTY = third_party_credential()


# --- the property -----------------------------------------------------------------------------------


def send(client, target: str, payload: bytes):
    if target == "api-raw":
        return client.post("/api/verify", payload, content_type="application/octet-stream")
    if target == "api-json":
        return client.post("/api/verify?email=x@example.org", payload, content_type="application/json")
    if target == "api-file":
        return client.post("/api/verify", {"file": SimpleUploadedFile("badge", payload), "email": "x@example.org"})
    if target == "page-text":
        return client.post("/verify/", {"credential": payload.decode("utf-8", "replace"), "email": "x@example.org"})
    return client.post("/verify/", {"file": SimpleUploadedFile("badge", payload)})


TARGETS = st.sampled_from(["api-raw", "api-json", "api-file", "page-text", "page-file"])


def assert_clear_answer(response, target: str, caplog) -> None:
    """Not a server error; a reason for a refusal, a message for every check; and not the guard's answer."""
    assert response.status_code in (200, 400), (response.status_code, response.content[:300])
    if target.startswith("api"):
        report = response.json()
        assert set(report) == {"valid", "kind", "problem", "name", "issuer", "checks"}
        if response.status_code == 400:
            assert report["problem"].strip() and report["valid"] is False
            assert GUARD_WORDS not in report["problem"], report["problem"]
        else:
            assert not report["problem"] and report["checks"]
            assert all(check["message"].strip() for check in report["checks"])
    else:
        html = response.content.decode()
        assert GUARD_WORDS not in html
        if response.status_code == 400:
            assert "Could not verify" in html or 'class="error"' in html
        else:
            assert ("✔ Valid" in html or "✘ Not valid" in html) and '<ul class="checks"><li' in html
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, errors[0].getMessage()


@fuzz_settings(120)
@given(payload=payload_bytes, target=TARGETS)
def test_arbitrary_bytes_get_a_clear_answer(client, caplog, payload, target):
    assert_clear_answer(send(client, target, payload), target, caplog)


@fuzz_settings(120)
@given(document=documents | json_values, target=TARGETS)
def test_arbitrary_json_gets_a_clear_answer(client, caplog, document, target):
    assert_clear_answer(send(client, target, dumps(document)), target, caplog)


@fuzz_settings(40)
@given(data=st.data(), target=TARGETS)
def test_mutated_credentials_get_a_clear_answer(client, caplog, award, data, target):
    from credentials import documents as ob_documents

    base = data.draw(st.sampled_from([THIRD_PARTY, award.credential, ob_documents.ob2_assertion(award)]), label="base")
    document = data.draw(mutations(base), label="mutated")
    assert_clear_answer(send(client, target, dumps(document)), target, caplog)


@pytest.mark.parametrize("target", ["api-raw", "api-json", "page-text"])
def test_a_lone_surrogate_escape_is_refused_as_not_json(client, caplog, settings, target):
    """Found by the fuzz test: "\\ud800" parses to a string no UTF-8 encoder accepts (pyld failed on it)."""
    settings.RATELIMIT_ENABLE = False
    credential = dict(THIRD_PARTY, name="Badge \ud800")
    response = send(client, target, json.dumps(credential).encode())
    assert_clear_answer(response, target, caplog)
    assert response.status_code == 400
    assert "not valid JSON" in (response.json()["problem"] if target.startswith("api") else response.content.decode())
