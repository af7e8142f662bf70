"""Rotating DJANGO_SECRET_KEY with the old one in DJANGO_SECRET_KEY_FALLBACKS keeps every signed link already
sent (claims, endorsements, event confirmations) and every issuer's signing key working (issue 9.9)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from credentials.keystore import SigningKeyUnreadable
from credentials.links import claim_url
from credentials.models import Award
from events.links import confirm_url
from events.services import event_claim_request, event_create
from wallets.mail import endorsement_link
from wallets.services import endorsement_request

from .conftest import issue

pytestmark = pytest.mark.django_db

NEW_SECRET = "rotated-secret-0f3c9a1b7e5d2c8a4b6f0e9d1c3a5b7e9f1d3c5a7b9e1f3d5"


@pytest.fixture
def links(award, learner, achievement, settings):
    """A claim link, an endorsement link and an event confirmation link, all made under the current secret."""
    endorsement = endorsement_request(
        user=learner, award=award, endorser_name="Grace Hopper", endorser_email="grace@example.org"
    )
    now = timezone.now()
    event = event_create(
        achievement=achievement, name="Forum", description="A forum.", opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )  # fmt: skip
    claim = event_claim_request(event=event, email="ravi@example.org", name="Ravi Kumar", language="en")
    return {
        "claim": claim_url(award).removeprefix(settings.BASE_URL),
        "endorsement": endorsement_link(endorsement).removeprefix(settings.BASE_URL),
        "event": confirm_url(claim).removeprefix(settings.BASE_URL),
    }


def test_old_links_and_signing_keys_work_with_the_old_secret_as_a_fallback(client, links, achievement, settings):
    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_SECRET, [old_secret]

    claim_page = client.get(links["claim"])
    assert claim_page.status_code == 200 and "Negotiation Skills" in claim_page.content.decode()
    endorse_page = client.get(links["endorsement"])
    assert endorse_page.status_code == 200 and "Grace Hopper" in endorse_page.content.decode()
    given = client.post(links["endorsement"], {"endorser_name": "Grace Hopper", "comment": "Excellent."})
    assert given.status_code == 200  # the endorsement credential is signed with the platform's stored key

    confirmed = client.get(links["event"])  # issues the event's credential: the issuer's stored key signs it
    assert confirmed.status_code == 302
    assert Award.objects.filter(recipient_email="ravi@example.org").exists()
    assert issue(achievement, email="new@example.org").credential["proof"]


def test_without_the_fallback_old_links_are_refused_and_keys_name_the_fix(client, links, achievement, settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_SECRET, []
    for name, path in links.items():
        response = client.get(path)
        assert response.status_code == 400, name  # a clear refusal page, never a 500
        assert "not valid" in response.content.decode(), name
    with pytest.raises(SigningKeyUnreadable, match="DJANGO_SECRET_KEY_FALLBACKS"):
        issue(achievement, email="new@example.org")


def test_new_links_are_signed_with_the_new_secret(client, award, settings):
    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_SECRET, [old_secret]
    fresh = claim_url(award).removeprefix(settings.BASE_URL)
    settings.SECRET_KEY_FALLBACKS = []  # the old secret dropped: a link made after the rotation still works
    assert client.get(fresh).status_code == 200


def test_configuring_encryption_keys_later_keeps_the_stored_keys_readable(achievement, settings):
    from cryptography.fernet import Fernet

    settings.SIGNING_KEY_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    assert issue(achievement, email="later@example.org").credential["proof"]


def test_reencrypting_finishes_a_rotation(achievement, settings):
    from django.core.management import CommandError, call_command

    from audit.models import AuditEntry

    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_SECRET, [old_secret]
    call_command("reencrypt_signing_keys")
    assert AuditEntry.objects.filter(action="signing_key.reencrypt").exists()
    settings.SECRET_KEY_FALLBACKS = []  # the old secret can go now
    assert issue(achievement, email="after@example.org").credential["proof"]

    settings.SECRET_KEY = "yet-another-secret-without-its-predecessor-7a1c9e3b5d7f9a1c3e5b7d9f1a3c"
    with pytest.raises(CommandError, match="DJANGO_SECRET_KEY_FALLBACKS.*Nothing was changed"):
        call_command("reencrypt_signing_keys")
