"""Evidence after the award: narrative, link or file; sniffed, cleaned, private, permission-checked."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wallets.models import RecipientEvidence

from .conftest import png_bytes

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def _add(client, award, **data):
    fields = {"kind": "file", "title": "", "narrative": "", "url": "", "is_public": "on"}
    fields.update(data)
    return client.post(f"/wallet/c/{award.public_id}/evidence/", fields)


def test_narrative_and_link(learner_client, award):
    response = _add(learner_client, award, kind="narrative", title="What I did", narrative="Ran a mock tribunal.")
    assert response.status_code == 302
    assert _add(learner_client, award, kind="link", url="https://example.org/portfolio").status_code == 302
    titles = list(RecipientEvidence.objects.values_list("title", flat=True))
    assert titles == ["What I did", "https://example.org/portfolio"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "narrative", "narrative": ""}, "Describe what you did."),
        ({"kind": "link", "url": "javascript:alert(1)"}, "full web address"),
        ({"kind": "link", "url": "ftp://example.org/x"}, "full web address"),
        ({"kind": "file"}, "Choose a file"),
        ({"kind": "weird"}, "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(learner_client, award, data, message):
    response = _add(learner_client, award, title="Kept title", **data)
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    assert 'value="Kept title"' in body and not RecipientEvidence.objects.exists()


def test_png_is_reencoded_and_stored_privately(learner_client, award, settings):
    upload = SimpleUploadedFile("../../etc/My Photo (1).PNG", png_bytes((40, 30)), "image/png")
    assert _add(learner_client, award, file=upload).status_code == 302
    item = RecipientEvidence.objects.get()
    assert item.filename == "My-Photo-1.png" and item.content_type == "image/png"
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / item.file.name
    assert stored.exists() and not str(stored).startswith(settings.MEDIA_ROOT)
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.png")) if Path(settings.MEDIA_ROOT).exists() else True
    assert "My Photo" not in item.file.name and ".." not in item.file.name
    with Image.open(stored) as image:
        assert image.size == (40, 30)


def test_jpeg_loses_its_exif_and_gps(learner_client, award, settings):
    data = png_bytes((20, 20), exif_gps=True)
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get(0x8825)  # the upload carries GPS data
    _add(learner_client, award, file=SimpleUploadedFile("photo.jpg", data, "image/jpeg"))
    item = RecipientEvidence.objects.get()
    content = (Path(settings.PRIVATE_MEDIA_ROOT) / item.file.name).read_bytes()
    assert b"SpyCam" not in content and b"Exif" not in content
    with Image.open(io.BytesIO(content)) as cleaned:
        assert not cleaned.getexif()


def test_pdf_is_accepted_and_served_as_attachment(learner_client, award):
    _add(learner_client, award, file=SimpleUploadedFile("report.pdf", PDF, "application/pdf"))
    item = RecipientEvidence.objects.get()
    response = learner_client.get(item.file_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evil.png", b"<html><script>alert(1)</script></html>", "Only PDF documents and PNG or JPEG"),
        ("evil.pdf", b"MZ\x90\x00 this is an executable", "Only PDF documents and PNG or JPEG"),
        ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "Only PDF"),
        (
            "script.pdf",
            PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
            "active content",
        ),
        ("broken.pdf", b"%PDF-1.4\nno end", "incomplete or damaged"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "could not be read"),
        ("empty.png", b"", "empty"),
    ],
)
def test_hostile_uploads_are_refused_with_a_message(learner_client, award, name, content, message):
    response = _add(learner_client, award, file=SimpleUploadedFile(name, content, "image/png"))
    assert response.status_code == 400 and message in response.content.decode()
    assert not RecipientEvidence.objects.exists()


def test_decompression_bomb_is_refused(learner_client, award):
    buffer = io.BytesIO()
    Image.new("1", (10000, 10000)).save(buffer, "PNG")  # 100 megapixels, a few KB
    response = _add(learner_client, award, file=SimpleUploadedFile("bomb.png", buffer.getvalue(), "image/png"))
    assert response.status_code == 400 and "too large" in response.content.decode()


def test_oversized_upload_is_refused(learner_client, award):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024) + b"\n%%EOF", "application/pdf")
    response = _add(learner_client, award, title="Big", file=big)
    assert response.status_code == 400 and "larger than 10 MB" in response.content.decode()
    assert not RecipientEvidence.objects.exists()


def test_private_evidence_is_hidden_from_another_learner(learner_client, other_client, client, award):
    _add(learner_client, award, file=SimpleUploadedFile("p.png", png_bytes(), "image/png"), is_public="")
    item = RecipientEvidence.objects.get()
    assert not item.is_public
    assert learner_client.get(item.file_url).status_code == 200
    for other in (other_client, client):
        response = other.get(item.file_url)
        assert response.status_code == 403 and "This file is private" in response.content.decode()


def test_public_evidence_of_a_public_credential_is_served_to_anyone(learner_client, client, award):
    _add(learner_client, award, file=SimpleUploadedFile("p.png", png_bytes(), "image/png"))
    item = RecipientEvidence.objects.get()
    assert client.get(item.file_url).status_code == 403  # the credential is still private
    learner_client.post(f"/wallet/c/{award.public_id}/visibility/", {"public": "1"})
    response = client.get(item.file_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "sandbox" in response["Content-Security-Policy"]
    page = client.get(f"/c/{award.public_id}/").content.decode()
    assert item.file_url in page and "Evidence added by the recipient" in page


def test_hide_and_delete_evidence(learner_client, other_client, award, settings, django_capture_on_commit_callbacks):
    _add(learner_client, award, file=SimpleUploadedFile("p.png", png_bytes(), "image/png"))
    item = RecipientEvidence.objects.get()
    url = f"/wallet/evidence/{item.public_id}/"
    response = other_client.post(url, {"action": "delete"})
    assert response.status_code == 403 and "not yours" in response.content.decode()
    learner_client.post(url, {"action": "hide"})
    item.refresh_from_db()
    assert not item.is_public
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / item.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(url, {"action": "delete", "back": f"/wallet/c/{award.public_id}/"})
    assert response["Location"] == f"/wallet/c/{award.public_id}/"
    assert not RecipientEvidence.objects.exists() and not stored.exists()


def test_evidence_needs_the_credential_in_your_wallet(other_client, award):
    response = _add(other_client, award, kind="narrative", narrative="Not mine")
    assert response.status_code == 403 and not RecipientEvidence.objects.exists()
