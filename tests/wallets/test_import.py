"""Importing Open Badges from elsewhere: verified first, marked external, stored with the report."""

import io
import json

import pytest
import responses
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from credentials.openbadges import (
    bake_png,
    bake_svg,
    did_key_from_public_key,
    generate_private_key,
    public_key_bytes,
    sign_credential,
)
from credentials.openbadges.ob2 import recipient as ob2_recipient
from credentials.openbadges.ob3 import achievement as ob3_achievement
from credentials.openbadges.ob3 import build_credential, profile
from wallets.models import ExternalCredential

pytestmark = pytest.mark.django_db

OTHER = "https://badges.other.example"


def third_party_credential(email="amina.okonkwo@example.org", name="Data Literacy") -> dict:
    key = generate_private_key()
    did = did_key_from_public_key(public_key_bytes(key))
    credential = build_credential(
        id="urn:uuid:4f7d1c5e-0a52-4e0b-9d36-ffb1d0a1b7c3",
        issuer=profile(did, "Other University"),
        achievement=ob3_achievement(f"{OTHER}/a/1", name, "Reads data.", criteria_narrative="Pass the exam."),
        valid_from="2025-01-01T00:00:00Z",
        name=name,
        recipient_email=email,
    )
    return sign_credential(credential, private_key=key, verification_method=f"{did}#{did[8:]}")


def tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def _import(client, **data):
    return client.post("/wallet/import/", data)


def test_import_pasted_ob3_json(learner_client):
    response = _import(learner_client, text=json.dumps(third_party_credential()))
    item = ExternalCredential.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/wallet/imported/{item.public_id}/"
    assert item.kind == "ob3" and item.is_valid and item.name == "Data Literacy"
    assert item.issuer_name == "Other University" and item.source == "text"
    checks = {c["name"]: c for c in item.report["checks"]}
    assert checks["signature"]["ok"] and checks["recipient"]["ok"]
    page = learner_client.get(response["Location"]).content.decode()
    assert "Imported" in page and "Verification report" in page and "from another issuer" in page
    wallet = learner_client.get("/wallet/").content.decode()
    assert "Imported from other issuers" in wallet and "Data Literacy" in wallet


def test_import_baked_png_keeps_the_original_and_a_clean_image(learner_client, settings):
    baked = bake_png(tiny_png(), third_party_credential(), version="3.0")
    response = _import(learner_client, file=SimpleUploadedFile("badge.png", baked, "image/png"))
    assert response.status_code == 302
    item = ExternalCredential.objects.get()
    assert item.source == "file" and item.original and item.image
    with item.original.open("rb") as handle:
        assert handle.read() == baked
    with item.image.open("rb") as handle:
        assert b"openbadgecredential" not in handle.read()
    assert learner_client.get(f"/wallet/imported/{item.public_id}/image.png").status_code == 200


def test_import_baked_svg(learner_client):
    svg = bake_svg(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4" cx="5" cy="5"/></svg>',
        third_party_credential(),
        version="3.0",
    )
    response = _import(learner_client, file=SimpleUploadedFile("badge.svg", svg.encode(), "image/svg+xml"))
    assert response.status_code == 302 and ExternalCredential.objects.get().kind == "ob3"


@responses.activate
def test_import_ob2_url(learner_client, settings):
    settings.FETCH_ALLOWED_HOSTS = ["badges.other.example"]
    assertion = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": f"{OTHER}/assertions/1.json",
        "recipient": ob2_recipient("amina.okonkwo@example.org"),
        "badge": f"{OTHER}/badges/1.json",
        "verification": {"type": "hosted"},
        "issuedOn": "2024-05-01T00:00:00Z",
    }
    badge = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": f"{OTHER}/badges/1.json",
        "name": "Community Organiser",
        "description": "Organises.",
        "image": f"{OTHER}/i.png",
        "criteria": {"narrative": "Organise."},
        "issuer": f"{OTHER}/issuer.json",
    }
    issuer = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": f"{OTHER}/issuer.json",
        "name": "Other Org",
        "url": OTHER,
        "email": "b@other.example",
    }
    for doc in (assertion, badge, issuer):
        responses.get(doc["id"], json=doc)
    response = _import(learner_client, url=f"{OTHER}/assertions/1.json")
    assert response.status_code == 302, response.content.decode()
    item = ExternalCredential.objects.get()
    assert item.kind == "ob2" and item.name == "Community Organiser" and item.issuer_name == "Other Org"
    assert item.source_url == f"{OTHER}/assertions/1.json" and item.is_valid
    again = _import(learner_client, url=f"{OTHER}/assertions/1.json")
    assert again.status_code == 400 and "already in your wallet" in again.content.decode()


def test_private_and_loopback_addresses_are_not_fetched(learner_client):
    for url in ("http://127.0.0.1:8000/x.json", "http://10.0.0.5/x.json", "http://localhost/x.json"):
        response = _import(learner_client, url=url)
        assert response.status_code == 400 and "private or local address" in response.content.decode()
    assert not ExternalCredential.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a file, enter an address or paste a credential."),
        ({"text": "hello"}, "not valid JSON"),
        ({"text": '{"type": "Assertion", "verification": {"type": "signed"}}'}, "Only hosted Open Badges 2.0"),
    ],
)
def test_unreadable_input_gets_a_clear_message(learner_client, data, message):
    response = _import(learner_client, **data)
    assert response.status_code == 400 and message in response.content.decode()


def test_tampered_credential_is_refused(learner_client):
    credential = third_party_credential()
    credential["name"] = "Rocket Science"
    response = _import(learner_client, text=json.dumps(credential))
    assert response.status_code == 400 and "did not pass verification" in response.content.decode()
    assert "Rocket Science" in response.content.decode()  # the pasted text is kept
    assert not ExternalCredential.objects.exists()


def test_someone_elses_badge_is_refused(learner_client):
    response = _import(learner_client, text=json.dumps(third_party_credential(email="bob@example.org")))
    assert response.status_code == 400 and "not issued to any of your verified email addresses" in (
        response.content.decode()
    )


def test_our_own_credentials_are_not_imported(learner_client, award):
    response = _import(learner_client, text=json.dumps(award.credential))
    assert response.status_code == 400 and "issued on this platform" in response.content.decode()


def test_oversized_file_is_refused(learner_client):
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024 + 10), "image/png")
    response = _import(learner_client, file=big)
    assert response.status_code == 400 and "larger than 2 MB" in response.content.decode()


def test_imported_credential_visibility_and_removal(learner_client, other_client, client):
    _import(learner_client, text=json.dumps(third_party_credential()))
    item = ExternalCredential.objects.get()
    assert other_client.get(f"/wallet/imported/{item.public_id}/").status_code == 403
    learner_client.post("/wallet/profile/", {"handle": "amina", "display_name": "Amina", "is_public": "on"})
    assert "Data Literacy" not in client.get("/u/amina/").content.decode()
    learner_client.post(f"/wallet/imported/{item.public_id}/", {"action": "public"})
    assert "Data Literacy" in client.get("/u/amina/").content.decode()
    learner_client.post(f"/wallet/imported/{item.public_id}/", {"action": "delete"})
    assert not ExternalCredential.objects.exists()
