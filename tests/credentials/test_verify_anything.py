import json

import pytest

from credentials.openbadges import (
    bake_png,
    did_key_from_public_key,
    generate_private_key,
    public_key_bytes,
    sign_credential,
)
from credentials.openbadges.ob3 import achievement as ob3_achievement
from credentials.openbadges.ob3 import build_credential, profile
from credentials.services import award_revoke

pytestmark = pytest.mark.django_db


def _post(client, **data):
    return client.post("/verify/", data)


def _report(client, payload: bytes, email=""):
    response = client.post(f"/api/verify?email={email}", payload, content_type="application/octet-stream")
    return response.json()


def test_verify_page_renders(client, db):
    response = client.get("/verify/")
    assert response.status_code == 200 and 'type="file"' in response.content.decode()


def test_our_baked_png_upload_is_valid(client, award):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = client.get(f"/c/{award.public_id}/badge-ob3.png").content
    response = client.post(
        "/verify/", {"file": SimpleUploadedFile("badge.png", png, "image/png"), "email": "amina.okonkwo@example.org"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "✔ Valid" in body and "Issued to amina.okonkwo@example.org" in body


def test_our_ob3_json_pasted(client, award):
    response = _post(client, credential=json.dumps(award.credential))
    assert "✔ Valid" in response.content.decode()


def test_tampered_credential_is_invalid_with_reason(client, award):
    tampered = json.loads(json.dumps(award.credential))
    tampered["credentialSubject"]["achievement"]["name"] = "Something Else"
    report = _report(client, json.dumps(tampered).encode())
    assert report["valid"] is False
    signature = next(c for c in report["checks"] if c["name"] == "signature")
    assert signature["ok"] is False and "signature" in signature["message"].lower()


def test_revoked_credential_is_invalid(client, award):
    award_revoke(award=award, reason="Fraud")
    report = _report(client, json.dumps(award.credential).encode())
    status = next(c for c in report["checks"] if c["name"] == "status")
    assert report["valid"] is False and status["ok"] is False and "Fraud" in status["message"]


def test_wrong_recipient_email(client, award):
    report = _report(client, json.dumps(award.credential).encode(), email="someone@else.org")
    assert report["valid"] is False
    assert any(c["name"] == "recipient" and not c["ok"] for c in report["checks"])


def test_ob2_baked_png_and_url(client, award, settings):
    png = client.get(f"/c/{award.public_id}/badge-ob2.png").content
    report = _report(client, png)
    assert report["kind"] == "ob2" and report["valid"] is True, report
    url = f"{settings.BASE_URL}/ob2/assertions/{award.public_id}.json"
    assert _report(client, url.encode())["valid"] is True
    award_revoke(award=award, reason="Mistake")
    assert _report(client, png)["valid"] is False


def test_third_party_did_key_credential(client, db):
    key = generate_private_key()
    did = did_key_from_public_key(public_key_bytes(key))
    credential = build_credential(
        id="urn:uuid:4f7d1c5e-0a52-4e0b-9d36-ffb1d0a1b7c3",
        issuer=profile(did, "Other University"),
        achievement=ob3_achievement(
            "https://other.example/a/1", "Data Literacy", "Reads data.", criteria_narrative="Pass the exam."
        ),
        valid_from="2025-01-01T00:00:00Z",
        name="Data Literacy",
        recipient_email="x@example.org",
    )
    signed = sign_credential(credential, private_key=key, verification_method=f"{did}#{did[8:]}")
    report = _report(client, json.dumps(signed).encode())
    assert report["valid"] is True, report
    baked = bake_png(_tiny_png(), signed, version="3.0")
    assert _report(client, baked)["valid"] is True
    signed["name"] = "Data Literacy (forged)"
    assert _report(client, json.dumps(signed).encode())["valid"] is False


def _tiny_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "Nothing to verify"),
        (b"hello world", "not valid JSON"),
        (b"[1, 2]", "not an object"),
        (b'{"foo": 1}', "neither an Open Badges 2.0 Assertion"),
        (_tiny_png(), "carries no Open Badges data"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "carries no Open Badges data"),
        (b"\x00\x01\x02\xff", "neither a badge image nor JSON"),
    ],
)
def test_bad_input_gets_a_clear_message(client, db, payload, message):
    response = client.post("/api/verify", payload, content_type="application/octet-stream")
    assert response.status_code == 400
    assert message in response.json()["problem"]


def test_oversized_upload_is_refused(client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (3 * 1024 * 1024), "image/png")
    response = client.post("/verify/", {"file": big})
    assert response.status_code == 400 and "larger than 2 MB" in response.content.decode()


def test_third_party_url_on_a_private_address_is_not_fetched(client, db):
    report = client.post("/api/verify", b"http://127.0.0.1:1/assertion.json", content_type="text/plain").json()
    assert "private or local address" in report["problem"]


def test_empty_form_post(client, db):
    response = _post(client, credential="")
    assert response.status_code == 400 and "Paste a credential" in response.content.decode()
