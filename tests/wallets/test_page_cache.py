"""What the wallet adds to a cached verification page shows on the very next request: the holder's
visibility, their evidence, endorsements (credentials/verification/page_cache.py, WalletsConfig._watch_pages)."""

from django.test import Client

from credentials.services import issuer_create
from wallets.services import (
    endorsement_issue,
    evidence_add,
    evidence_set_visibility,
    wallet_entry_ensure,
    wallet_entry_set_visibility,
)


def page(award) -> str:
    return Client().get(award.get_absolute_url(), HTTP_USER_AGENT="Mozilla/5.0 Firefox/120.0").content.decode()


def public(learner, award):
    wallet_entry_ensure(user=learner, award=award)
    wallet_entry_set_visibility(user=learner, award=award, is_public=True)


def test_evidence_and_its_visibility_show_at_once(award, learner):
    public(learner, award)
    assert "Evidence added by the recipient" not in page(award)
    evidence = evidence_add(user=learner, award=award, kind="link", title="My portfolio", url="https://example.org/p")
    assert "My portfolio" in page(award)
    evidence_set_visibility(user=learner, public_id=evidence.public_id, is_public=False)
    assert "My portfolio" not in page(award)


def test_making_the_credential_private_hides_what_the_holder_added(award, learner):
    public(learner, award)
    evidence_add(user=learner, award=award, kind="link", title="My portfolio", url="https://example.org/p")
    assert "My portfolio" in page(award)
    wallet_entry_set_visibility(user=learner, award=award, is_public=False)
    assert "My portfolio" not in page(award)


def test_an_endorsement_shows_at_once(award, learner):
    public(learner, award)
    assert "Endorsements" not in page(award)
    endorser = issuer_create(slug="partner", name="Partner Org", url="https://partner.example.org",
                             email="b@partner.example.org", description="A partner.")  # fmt: skip
    endorsement_issue(award=award, issuer=endorser, comment="Outstanding negotiator.")
    assert "Outstanding negotiator." in page(award)


def test_losing_the_verified_address_hides_the_holders_additions(award, learner):
    from allauth.account.models import EmailAddress

    public(learner, award)
    evidence_add(user=learner, award=award, kind="link", title="My portfolio", url="https://example.org/p")
    assert "My portfolio" in page(award)
    EmailAddress.objects.filter(user=learner).get().delete()
    assert "My portfolio" not in page(award)
