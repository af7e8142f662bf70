"""Sharing: LinkedIn add-to-profile, share links (recorded), signature, embed widget, QR code."""

from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone

from wallets.models import ShareEvent
from wallets.sharing import email_signature, embed_snippet, linkedin_add_to_profile

pytestmark = pytest.mark.django_db


def test_linkedin_add_to_profile_url(award, settings):
    url = linkedin_add_to_profile(award)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://www.linkedin.com/profile/add"
    params = dict(parse_qsl(parts.query))
    assert params["startTask"] == "CERTIFICATION_NAME"
    assert params["name"] == "Negotiation Skills" and params["organizationName"] == "Test Centre"
    assert "organizationId" not in params
    assert params["issueYear"] == str(award.issued_at.year) and params["issueMonth"] == str(award.issued_at.month)
    assert params["expirationYear"] == str(award.expires_at.year)
    assert params["expirationMonth"] == str(award.expires_at.month)
    assert params["certUrl"] == f"{settings.BASE_URL}/c/{award.public_id}/" and params["certId"] == award.public_id
    assert "name=Negotiation%20Skills" in url and "certUrl=http%3A%2F%2F" in url  # each value URL-encoded


def test_linkedin_uses_the_organisation_id_when_known(award, issuer):
    issuer.linkedin_organization_id = "1234567"
    issuer.save()
    award.achievement.issuer = issuer
    params = dict(parse_qsl(urlsplit(linkedin_add_to_profile(award)).query))
    assert params["organizationId"] == "1234567" and "organizationName" not in params


def test_no_expiry_no_expiration_params(achievement):
    from .conftest import issue

    achievement.validity_days = None
    achievement.save()
    award = issue(achievement, issued_at=timezone.make_aware(datetime(2025, 3, 9)))
    params = dict(parse_qsl(urlsplit(linkedin_add_to_profile(award)).query))
    assert params["issueMonth"] == "3" and "expirationYear" not in params


@pytest.mark.parametrize(
    ("channel", "target"),
    [
        ("linkedin_profile", "https://www.linkedin.com/profile/add?"),
        ("linkedin", "https://www.linkedin.com/sharing/share-offsite/?url="),
        ("x", "https://x.com/intent/tweet?"),
        ("facebook", "https://www.facebook.com/sharer/sharer.php?u="),
        ("whatsapp", "https://wa.me/?text="),
        ("email", "mailto:?subject="),
    ],
)
def test_share_redirect_records_then_redirects_without_js(learner_client, award, channel, target):
    response = learner_client.get(f"/share/{award.public_id}/{channel}/")
    assert response.status_code == 302 and response["Location"].startswith(target)
    event = ShareEvent.objects.get()
    assert event.channel == channel and event.award == award and event.user == learner_client.user


def test_beacon_records_copy_actions(learner_client, award):
    for channel in ("link", "signature", "embed", "qr"):
        assert learner_client.post(f"/share/{award.public_id}/{channel}/").status_code == 204
    assert sorted(ShareEvent.objects.values_list("channel", flat=True)) == ["embed", "link", "qr", "signature"]
    assert "Shared 4 times." in learner_client.get(f"/wallet/c/{award.public_id}/").content.decode()


def test_clicks_by_others_redirect_but_are_not_counted(client, other_client, award):
    assert client.get(f"/share/{award.public_id}/x/").status_code == 302
    assert other_client.get(f"/share/{award.public_id}/facebook/").status_code == 302
    assert not ShareEvent.objects.exists()


def test_unknown_channel_or_credential(client, award):
    assert client.get(f"/share/{award.public_id}/myspace/").status_code == 404
    assert client.get("/share/nope/x/").status_code == 404
    assert client.get(f"/share/{award.public_id}/qr/").status_code == 404  # copy channels have no page


def test_signature_and_embed_snippets(award, learner_client, settings):
    signature = str(email_signature(award))
    assert f'href="{settings.BASE_URL}/c/{award.public_id}/"' in signature
    assert f'src="{settings.BASE_URL}/achievements/negotiation/image.png"' in signature
    assert 'alt="Negotiation Skills, issued by Test Centre"' in signature
    snippet = str(embed_snippet(award))
    assert f'src="{settings.BASE_URL}/embed/{award.public_id}/"' in snippet and 'title="Verified credential' in snippet
    body = learner_client.get(f"/wallet/c/{award.public_id}/").content.decode()
    assert "Copy the signature" in body and "Copy the embed code" in body and 'class="signature-preview"' in body
    assert 'style="text-decoration:none' in signature  # mail needs inline styles: the copied code keeps them
    assert "&lt;a href=&quot;" in body and "style=&quot;text-decoration:none" in body  # as text in the textarea
    assert "&lt;iframe src=&quot;" in body


def test_only_the_embed_page_may_be_framed(client, award):
    embed = client.get(f"/embed/{award.public_id}/")
    assert embed.status_code == 200 and "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]  # the rest: tests/security/test_csp.py
    assert "Verified" in embed.content.decode() and "Amina Okonkwo" in embed.content.decode()
    assert client.get(f"/c/{award.public_id}/")["X-Frame-Options"] == "DENY"
    assert client.get("/").get("X-Frame-Options") == "DENY"


def test_embed_of_a_revoked_credential_says_so(client, award):
    from credentials.services import award_revoke

    award_revoke(award=award, reason="Mistake")
    body = client.get(f"/embed/{award.public_id}/").content.decode()
    assert "Revoked" in body and "✔" not in body


def test_qr_code_is_inline_svg_of_the_verification_url(learner_client, award, settings):
    from wallets.sharing import qr_svg

    body = learner_client.get(f"/wallet/c/{award.public_id}/").content.decode()
    expected = qr_svg(f"{settings.BASE_URL}/c/{award.public_id}/", title="QR code of the verification page")
    assert expected.startswith("<svg") and expected in body  # inline: no image request, no external service
    assert "<title>QR code of the verification page</title>" in expected
