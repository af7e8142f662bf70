"""Issue 9.3: no server errors from the verifier. The inputs named in the issue get their own clear answer
(from the verifier, not from the views' last-resort guard); /api/verify is usable from scripts: no CSRF
token, JSON for every answer (400, 405, 413), a JSON body with a URL, multipart uploads, bounded size."""

import json
import logging
import time

import pytest
import responses
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from credentials import verification
from credentials.openbadges import shapes
from credentials.openbadges.errors import StatusListError
from credentials.openbadges.status_list import StatusList, entry_is_set
from credentials.verification import MAX_INPUT_BYTES

from .test_verify_fuzz import THIRD_PARTY

pytestmark = pytest.mark.django_db

KEYS = {"valid", "kind", "problem", "name", "issuer", "checks"}
OTHER = "https://badges.other.example"


def api(client, payload, content_type="application/json", path="/api/verify"):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post(path, body, content_type=content_type)


def with_changes(document: dict, **changes) -> dict:
    document = json.loads(json.dumps(document))
    for dotted, value in changes.items():
        node, *path, last = [document, *dotted.split("__")]
        for key in path:
            node = node[key]
        node[last] = value
    return document


def ob2_assertion(**changes) -> dict:
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"{OTHER}/assertions/1.json",
        "recipient": {"type": "email", "hashed": False, "identity": "a@example.org"},
        "badge": f"{OTHER}/badges/1.json",
        "verification": {"type": "hosted"},
        "issuedOn": "2024-05-01T00:00:00Z",
    }
    return assertion | changes


NAMED_IN_THE_ISSUE = [
    pytest.param({"type": 5}, "Not a valid credential: type must be a string or a list of strings.", id="type-5"),
    pytest.param(
        with_changes(THIRD_PARTY, credentialStatus="x"),
        "Not a valid credential: credentialStatus must be an object or a list of objects.",
        id="credentialStatus-x",
    ),
    pytest.param(
        with_changes(THIRD_PARTY, credentialSubject__identifier=5),
        "Not a valid credential: credentialSubject.identifier must be an object or a list of objects.",
        id="identifier-5",
    ),
    pytest.param(
        b"[" * 100_000 + b"]" * 100_000,
        "Not a valid credential: the JSON is nested more than 32 levels deep.",
        id="nested-arrays",
    ),
    pytest.param(
        ob2_assertion(badge={"name": "B", "issuer": [f"{OTHER}/issuer.json"]}),
        "Not a valid credential: badge.issuer must be a URL or an object.",
        id="ob2-issuer-list",
    ),
]


@pytest.mark.parametrize(("payload", "message"), NAMED_IN_THE_ISSUE)
def test_the_inputs_named_in_the_issue_get_their_own_answer(client, caplog, payload, message):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    response = api(client, body)
    assert response.status_code == 400 and response.json() == {
        "valid": False,
        "kind": response.json()["kind"],
        "problem": message,
        "name": "",
        "issuer": "",
        "checks": [],
    }
    for data in ({"credential": body.decode()}, {"file": SimpleUploadedFile("badge.json", body)}):
        page = client.post("/verify/", data)
        assert page.status_code == 400 and message in page.content.decode()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]  # the guard did not answer


@responses.activate
def test_an_ob2_issuer_document_that_is_a_list(client, settings):
    settings.FETCH_ALLOWED_HOSTS = ["badges.other.example"]
    assertion = ob2_assertion()
    responses.get(assertion["id"], json=assertion)
    responses.get(assertion["badge"], json={"type": "BadgeClass", "name": "B", "issuer": f"{OTHER}/issuer.json"})
    responses.get(f"{OTHER}/issuer.json", json=[{"name": "Other Org"}])
    report = api(client, assertion).json()
    assert report["problem"] == "Not a valid credential: badge.issuer must be an object."


@responses.activate
def test_a_third_party_ob2_assertion_still_verifies(client, settings):
    settings.FETCH_ALLOWED_HOSTS = ["badges.other.example"]
    assertion = ob2_assertion(expires=4102444800)  # OB 2.0 allows Unix timestamps: 2100-01-01
    responses.get(assertion["id"], json=assertion)
    responses.get(assertion["badge"], json={"type": "BadgeClass", "name": "B", "issuer": f"{OTHER}/issuer.json"})
    responses.get(f"{OTHER}/issuer.json", json={"id": f"{OTHER}/issuer.json", "name": "Other Org"})
    report = api(client, assertion, path="/api/verify?email=A@example.org").json()
    assert report["valid"] is True and report["issuer"] == "Other Org", report
    assert "Valid until 2100-01-01." in [c["message"] for c in report["checks"]]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"validUntil": "next year"}, "validUntil must be a date-time (ISO 8601)."),
        ({"issuer": ["did:key:x"]}, "issuer must be a string."),
        ({"credentialSubject": [1]}, "credentialSubject must be an object or a list of objects."),
        ({"credentialStatus": {"statusListIndex": "-1"}}, "credentialStatus.statusListIndex must be a whole number."),
        ({"@context": 5}, "@context must be a URL, an object or a list of them."),
    ],
)
def test_other_shapes_are_named(client, changes, message):
    report = api(client, THIRD_PARTY | changes).json()
    assert report["problem"] == f"Not a valid credential: {message}"


def test_depth_limit_is_below_what_canonicalisation_can_take(client):
    """A credential nested exactly MAX_DEPTH deep goes through JSON-LD expansion and the term check inside
    a request (no RecursionError): the signature check answers; one level more is refused before parsing."""

    def nested(depth: int) -> dict:
        credential = json.loads(json.dumps(THIRD_PARTY))
        inner: object = "deep"
        for _ in range(depth - 3):  # credential → credentialSubject → achievement → extra → ...
            inner = {"deeper": inner}
        credential["credentialSubject"]["achievement"]["extra"] = inner
        return credential

    deepest = nested(shapes.MAX_DEPTH)
    assert shapes.json_depth(json.dumps(deepest)) == shapes.MAX_DEPTH
    report = api(client, deepest).json()
    signature = next(c for c in report["checks"] if c["name"] == "signature")
    assert not signature["ok"] and "'deeper' is not defined by the @context" in signature["message"]
    too_deep = api(client, nested(shapes.MAX_DEPTH + 1)).json()
    assert too_deep["problem"] == "Not a valid credential: the JSON is nested more than 32 levels deep."


def test_the_guard_answers_and_logs_an_unexpected_error(client, caplog, monkeypatch):
    def broken(data, *, email=""):
        raise KeyError("a defect")

    monkeypatch.setattr(verification, "verify_input", broken)
    response = api(client, {"type": "VerifiableCredential"})
    assert response.status_code == 400
    assert response.json()["problem"] == "Not a valid credential: it could not be read (the error was logged)."
    page = client.post("/verify/", {"credential": "{}"})
    assert page.status_code == 400 and "the error was logged" in page.content.decode()
    logged = [r for r in caplog.records if r.name == "credentials.verification" and r.levelno == logging.ERROR]
    assert len(logged) == 2 and "KeyError" in logged[0].exc_text


# --- /api/verify for scripts ------------------------------------------------------------------------------


def test_no_csrf_token_needed(award):
    client = Client(enforce_csrf_checks=True)
    response = api(client, award.credential)
    assert response.status_code == 200 and response.json()["valid"] is True
    assert Client(enforce_csrf_checks=True).post("/verify/", {"credential": "{}"}).status_code == 403  # the form


def test_other_methods_get_json_405(client, db):
    for method in (client.get, client.put, client.delete):
        response = method("/api/verify")
        assert response.status_code == 405 and response["Allow"] == "POST"
        assert response.json()["problem"] == "POST the credential to verify." and set(response.json()) == KEYS


def test_a_json_body_with_a_url(client, award, settings):
    url = f"{settings.BASE_URL}/c/{award.public_id}/"
    report = api(client, {"url": url, "email": "amina.okonkwo@example.org"}).json()
    assert report["valid"] is True and report["kind"] == "ob3"
    assert any(c["name"] == "recipient" and c["ok"] for c in report["checks"])
    private = api(client, {"url": "http://127.0.0.1:1/assertion.json"}).json()
    assert "private or local address" in private["problem"]
    bad = api(client, {"url": 5})
    assert bad.status_code == 400 and bad.json()["problem"] == '"url" and "email" must be strings.'
    unknown = api(client, {"url": f"{settings.BASE_URL}/c/no-such-id/"}).json()
    assert unknown["problem"] == "No credential of ours has this address."


def test_multipart_upload(client, award):
    png = client.get(f"/c/{award.public_id}/badge-ob3.png").content
    response = client.post(
        "/api/verify", {"file": SimpleUploadedFile("badge.png", png), "email": "amina.okonkwo@example.org"}
    )
    assert response.status_code == 200 and response.json()["valid"] is True
    pasted = client.post("/api/verify", {"credential": json.dumps(award.credential)})
    assert pasted.json()["valid"] is True
    broken = client.post("/api/verify", b"--x\r\n", content_type="multipart/form-data")  # no boundary
    assert broken.status_code == 400 and broken.json()["problem"] == "The request body could not be read."


def test_bodies_over_the_limit_get_json_413(client, db, settings):
    big = b"{" + b" " * (MAX_INPUT_BYTES + 100 * 1024) + b"}"
    response = api(client, big)  # refused on its Content-Length, before reading
    assert response.status_code == 413 and set(response.json()) == KEYS
    assert response.json()["problem"].startswith("The request is larger than 2 MB")
    just_over = api(client, b" " * (MAX_INPUT_BYTES + 1))  # under the early limit: refused after reading
    assert just_over.status_code == 413
    upload = client.post("/api/verify", {"file": SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * MAX_INPUT_BYTES)})
    assert upload.status_code == 413
    # Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig): still JSON
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api(client, {"type": "Assertion", "padding": "x" * 2000})
    assert response.status_code == 413 and response.json()["problem"].startswith("The request is larger")
    page = client.post("/verify/", {"credential": "x" * 2000})
    assert page.status_code == 413 and "The form is larger than 2 MB." in page.content.decode()


def test_pasted_text_over_the_limit(client, db):
    response = client.post("/verify/", {"credential": "[" + " " * MAX_INPUT_BYTES + "]"})
    assert response.status_code == 400 and "This is larger than 2 MB" in response.content.decode()


# --- the boundaries themselves --------------------------------------------------------------------------


def test_json_depth_is_linear_and_ignores_strings():
    assert shapes.json_depth('{"a": "[[[[", "b": [[1]]}') == 3
    assert shapes.json_depth('["\\"[[[", []]') == 2
    start = time.monotonic()
    shapes.json_depth('"\\"' * 300_000)  # unterminated, escaped quotes: no re-scan from every quote
    shapes.json_depth('"' + "a" * 2_000_000)
    assert time.monotonic() - start < 2


def test_parse_json_refuses_what_is_not_json():
    for text in ("NaN", "[Infinity]", '{"a": -Infinity}'):
        with pytest.raises(ValueError, match="is not JSON"):
            shapes.parse_json(text)
    with pytest.raises(shapes.ShapeError):
        shapes.parse_json("[" * 33 + "]" * 33)
    assert shapes.parse_json("[" * 32 + "]" * 32)


@pytest.mark.parametrize(
    ("list_changes", "entry_changes"),
    [
        ({"type": 5}, {}),
        ({"credentialSubject": ["x"]}, {}),
        ({}, {"statusListIndex": 1e300}),
        ({}, {"statusListIndex": True}),
        ({}, {"statusListIndex": "1" * 5000}),
    ],
)
def test_entry_is_set_refuses_any_shape_with_its_own_error(list_changes, entry_changes):
    entry = THIRD_PARTY["credentialStatus"] | entry_changes
    list_credential = {
        "id": entry["statusListCredential"],
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "credentialSubject": {"statusPurpose": "revocation", "encodedList": StatusList().encode()},
    } | list_changes
    with pytest.raises(StatusListError):
        entry_is_set(list_credential, entry)
