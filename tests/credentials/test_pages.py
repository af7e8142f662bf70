import re
from datetime import timedelta

import pytest
from django.utils import timezone

from credentials.links import claim_url
from credentials.models import Award
from credentials.services import award_accept, award_revoke

pytestmark = pytest.mark.django_db


def test_verification_page_valid(client, award):
    response = client.get(f"/c/{award.public_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Verified" in body and "Amina Okonkwo" in body and "Negotiation Skills" in body
    assert "Test Centre" in body and "Lead a simulated negotiation" in body and "Assessor report" in body
    for check in ("Signature", "Revocation status", "Expiry"):
        assert check in body
    assert f"/c/{award.public_id}/credential.json" in body and f"/ob2/assertions/{award.public_id}.json" in body
    assert re.search(r'<meta property="og:image" content="http://[^"]+/c/[^"/]+/badge\.png">', body)
    assert '<meta name="twitter:card" content="summary_large_image">' in body


def test_verification_page_query_budget(client, award, django_assert_max_num_queries):
    client.get(f"/c/{award.public_id}/")
    with django_assert_max_num_queries(5):
        assert client.get(f"/c/{award.public_id}/").status_code == 200


def test_revoked_credential_says_what_happened(client, award):
    award_revoke(award=award, reason="Certificate issued in error")
    response = client.get(f"/c/{award.public_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Revoked" in body and "Certificate issued in error" in body and "Verified" not in body


def test_expired_credential(client, award):
    Award.objects.filter(pk=award.pk).update(expires_at=timezone.now() - timedelta(days=2))
    body = client.get(f"/c/{award.public_id}/").content.decode()
    assert "Expired" in body and "Verified" not in body


def test_unknown_credential_is_404(client, db):
    assert client.get("/c/does-not-exist/").status_code == 404


def test_content_negotiation(client, award):
    ob3 = client.get(f"/c/{award.public_id}/", HTTP_ACCEPT="application/vc+ld+json")
    assert ob3["Content-Type"] == "application/vc+ld+json" and ob3.json()["proof"]
    ob2 = client.get(f"/c/{award.public_id}/", HTTP_ACCEPT="application/ld+json")
    assert ob2.json()["type"] == "Assertion"
    html = client.get(f"/c/{award.public_id}/", HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert html["Content-Type"].startswith("text/html")
    issuer = client.get(f"/issuers/{award.achievement.issuer.slug}/", HTTP_ACCEPT="application/json")
    assert issuer.json()["type"] == "Issuer"


def test_baked_images(client, award):
    from credentials.openbadges import extract_png, extract_svg

    png3 = client.get(f"/c/{award.public_id}/badge-ob3.png").content
    assert extract_png(png3, version="3.0").json() == award.credential
    png2 = client.get(f"/c/{award.public_id}/badge-ob2.png").content
    assert extract_png(png2, version="2.0").json()["id"].endswith(f"/ob2/assertions/{award.public_id}.json")
    svg = client.get(f"/c/{award.public_id}/badge.svg").content
    assert extract_svg(svg).json()["type"] == "Assertion"


def test_claim_link_accepts_once(client, award, settings):
    url = claim_url(award).removeprefix(settings.BASE_URL)
    page = client.get(url)
    assert page.status_code == 200 and "Accept this credential" in page.content.decode()
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.state == "accepted"
    again = client.get(url)
    assert again.status_code == 400 and "already been used" in again.content.decode()


def test_forged_and_malformed_claim_tokens(client, award):
    for token in ("abc-0123456789abcdef", "nonsense"):
        response = client.get(f"/c/{award.public_id}/claim/{token}/")
        assert response.status_code == 400
        assert "not valid" in response.content.decode()


def test_expired_claim_token(client, award, settings):
    url = claim_url(award).removeprefix(settings.BASE_URL)
    settings.CLAIM_TOKEN_DAYS = -1
    response = client.get(url)
    assert response.status_code == 400 and "expired" in response.content.decode()


def test_revoked_credential_cannot_be_claimed(client, award, settings):
    url = claim_url(award).removeprefix(settings.BASE_URL)
    award_revoke(award=award, reason="mistake")
    response = client.get(url)
    assert response.status_code == 400 and "revoked" in response.content.decode()


def test_accepting_an_accepted_credential_is_refused_not_an_error(client, award, settings):
    url = claim_url(award).removeprefix(settings.BASE_URL)
    award_accept(award=award)
    assert client.post(url, {"answer": "accept"}).status_code == 400
