"""Revoked means revoked everywhere (issue 9.13): a revoked credential's certificate PDF and badge images
say REVOKED with the date and the reason; the baked data stays for verifiers; others stay clean."""

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from credentials.openbadges import extract_png, extract_svg
from credentials.services import award_revoke

pytestmark = pytest.mark.django_db

REASON = "Assessment <re-marked> & failed"


def _pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _red_share(png: bytes) -> float:
    """Share of strongly red pixels (the REVOKED band's colour)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = list(image.getdata())
    return sum(1 for r, g, b in pixels if r > 150 and g < 60 and b < 80) / len(pixels)


@pytest.fixture
def achievement(issuer, default_framework):
    """A Certificate of Achievement: its awards have a certificate PDF (a badge has none)."""
    from tests.credentials.conftest import make_achievement

    tier = default_framework.certificatetier_set.get(code="achievement")
    return make_achievement(issuer, None, tier=tier)


def _revoked(award):
    award_revoke(award=award, reason=REASON)
    award.refresh_from_db()
    return award


def test_a_clean_pdf_before_revocation_a_marked_one_after(client, award):
    clean = client.get(f"/c/{award.public_id}/certificate.pdf").getvalue()
    assert all("REVOKED" not in text for text in _pdf_text(clean))
    _revoked(award)
    marked = client.get(f"/c/{award.public_id}/certificate.pdf").getvalue()
    texts = _pdf_text(marked)
    assert texts and all("REVOKED" in text for text in texts)
    joined = " ".join(" ".join(text.split()) for text in texts)
    assert "Revoked on" in joined and REASON in joined
    assert PdfReader(io.BytesIO(marked)).metadata.title.startswith("REVOKED · ")
    assert "Amina Okonkwo" in joined  # still the certificate, marked


def test_revoked_images_are_marked_and_keep_their_baked_data(client, award):
    clean = {v: client.get(f"/c/{award.public_id}/badge{v}.png").content for v in ("", "-ob3", "-ob2")}
    clean_svg = client.get(f"/c/{award.public_id}/badge.svg").content.decode()
    assert "laurel-revoked" not in clean_svg
    _revoked(award)
    for version, before in clean.items():
        after = client.get(f"/c/{award.public_id}/badge{version}.png").content
        assert after != before
        assert _red_share(after) > _red_share(before) + 0.05, version
        baked = extract_png(after)
        assert baked is not None
    both = client.get(f"/c/{award.public_id}/badge.png").content
    assert extract_png(both, version="3.0").json() == award.credential
    assertion = extract_png(both, version="2.0").json()
    assert assertion["revoked"] is True and assertion["revocationReason"] == REASON
    svg = client.get(f"/c/{award.public_id}/badge.svg").content.decode()
    assert 'id="laurel-revoked"' in svg and "REVOKED" in svg
    assert "Assessment &lt;re-marked&gt; &amp; failed" in svg  # escaped: the SVG stays well-formed
    assert extract_svg(svg).json()["revoked"] is True


def test_the_page_says_revoked_next_to_the_downloads(client, award):
    assert "revoked-note" not in client.get(f"/c/{award.public_id}/").content.decode()
    _revoked(award)
    body = client.get(f"/c/{award.public_id}/").content.decode()
    note = body[body.index('class="revoked-note"') : body.index(f"/c/{award.public_id}/certificate.pdf")]
    assert "Revoked on" in note and "Assessment &lt;re-marked&gt; &amp; failed" in note


def test_the_wallet_detail_says_revoked_next_to_the_downloads(client, award, django_user_model):
    from wallets.services import claim_account_create

    user = claim_account_create(award=award, password="a-long-password-1")
    client.force_login(user)
    assert "revoked-note" not in client.get(f"/wallet/c/{award.public_id}/").content.decode()
    _revoked(award)
    body = client.get(f"/wallet/c/{award.public_id}/").content.decode()
    assert "revoked-note" in body and "Revoked on" in body
