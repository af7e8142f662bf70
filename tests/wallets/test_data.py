"""My data: the export zip, and deleting the account (the issuer's awards stay and still verify)."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from credentials.models import Award
from wallets.models import Collection, ExternalCredential, Profile, RecipientEvidence, ShareEvent, WalletEntry

from .conftest import PASSWORD, png_bytes
from .test_import import third_party_credential

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_wallet(learner_client, award, django_capture_on_commit_callbacks):
    client = learner_client
    client.post(f"/wallet/c/{award.public_id}/visibility/", {"public": "1"})
    client.post(
        f"/wallet/c/{award.public_id}/evidence/",
        {
            "kind": "file",
            "title": "Photo",
            "file": SimpleUploadedFile("p.png", png_bytes(), "image/png"),
            "is_public": "on",
        },
    )
    client.post(f"/wallet/c/{award.public_id}/evidence/", {"kind": "narrative", "narrative": "Did things."})
    client.post("/wallet/collections/", {"name": "Best", "is_public": "on"})
    client.post(f"/wallet/c/{award.public_id}/collect/", {"collection": Collection.objects.get().public_id})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/wallet/c/{award.public_id}/endorsements/",
            {"endorser_name": "Grace", "endorser_email": "grace@example.org"},
        )
    client.get(f"/share/{award.public_id}/linkedin/")
    client.post("/wallet/import/", {"text": json.dumps(third_party_credential())})
    client.post("/wallet/profile/", {"handle": "amina", "display_name": "Amina", "is_public": "on"})
    return client


def test_export_contains_everything(full_wallet, award):
    response = full_wallet.get("/wallet/data/export.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    for name in (
        "README.txt",
        "profile.json",
        "credentials.json",
        f"credentials/{award.public_id}.json",
        "imported.json",
        "evidence.json",
        "collections.json",
        "endorsements.json",
        "share_events.json",
    ):
        assert name in names, name
    assert json.loads(archive.read(f"credentials/{award.public_id}.json")) == award.credential
    profile = json.loads(archive.read("profile.json"))
    assert profile["profile"]["handle"] == "amina" and profile["addresses"][0]["verified"]
    evidence = json.loads(archive.read("evidence.json"))
    file_entry = next(e for e in evidence if e["kind"] == "file")
    assert archive.read(file_entry["file"]).startswith(b"\x89PNG")
    assert json.loads(archive.read("collections.json"))[0]["items"] == [{"credential": award.public_id}]
    assert json.loads(archive.read("endorsements.json"))[0]["endorser"] == "Grace"
    assert json.loads(archive.read("share_events.json"))[0]["channel"] == "linkedin"
    imported = json.loads(archive.read("imported.json"))
    assert imported[0]["name"] == "Data Literacy" and imported[0]["verification_report"]["checks"]
    credentials = json.loads(archive.read("credentials.json"))
    assert credentials[0]["public"] is True and "claim_url" not in credentials[0]["links"]


def test_export_needs_sign_in(client, db):
    assert client.get("/wallet/data/export.zip").status_code == 302


def test_delete_account_keeps_awards_verifiable(
    full_wallet, client, award, settings, django_capture_on_commit_callbacks
):
    user = full_wallet.user
    files = [Path(settings.PRIVATE_MEDIA_ROOT) / e.file.name for e in RecipientEvidence.objects.exclude(file="")]
    assert files and all(f.exists() for f in files)
    wrong = full_wallet.post("/wallet/data/", {"password": "wrong", "confirm": "on"})
    assert wrong.status_code == 400 and "The password is not correct." in wrong.content.decode()
    unconfirmed = full_wallet.post("/wallet/data/", {"password": PASSWORD})
    assert unconfirmed.status_code == 400 and get_user_model().objects.filter(pk=user.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = full_wallet.post("/wallet/data/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    for model in (WalletEntry, RecipientEvidence, Collection, ExternalCredential, Profile, EmailAddress):
        assert not model.objects.exists(), model
    assert not any(f.exists() for f in files)
    assert ShareEvent.objects.get().user is None  # the issuer's analytics keep the count, not the person
    assert Award.objects.filter(pk=award.pk).exists()  # the issuer's record stays
    page = client.get(f"/c/{award.public_id}/").content.decode()
    assert "Verified" in page and "Did things." not in page
    assert client.get("/u/amina/").status_code == 404
    entry = AuditEntry.objects.get(action="account.delete")
    assert entry.data["evidence"] == 2 and "amina" not in json.dumps(entry.data)
    assert full_wallet.get("/wallet/").status_code == 302  # signed out
