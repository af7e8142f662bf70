"""Public or private credentials, the public profile, and what the verification page shows."""

import pytest

from wallets.models import RecipientEvidence, WalletEntry

from .conftest import issue, make_achievement

pytestmark = pytest.mark.django_db


def _make_public(client, award, public=True):
    return client.post(f"/wallet/c/{award.public_id}/visibility/", {"public": "1" if public else "0"})


def test_credentials_are_private_by_default_and_can_be_made_public(learner_client, award):
    assert not WalletEntry.objects.filter(award=award, is_public=True).exists()
    response = _make_public(learner_client, award)
    assert response.status_code == 302
    assert WalletEntry.objects.get(award=award, user=learner_client.user).is_public
    _make_public(learner_client, award, public=False)
    assert not WalletEntry.objects.get(award=award).is_public


def test_another_learner_cannot_change_visibility(other_client, award):
    response = _make_public(other_client, award)
    assert response.status_code == 403 and not WalletEntry.objects.exists()


def test_revoked_credential_cannot_be_made_public(learner_client, award):
    from credentials.services import award_revoke

    award_revoke(award=award, reason="Mistake")
    response = learner_client.post(f"/wallet/c/{award.public_id}/visibility/", {"public": "1"}, follow=True)
    assert "cannot be made public" in response.content.decode()


def test_profile_shows_only_public_credentials_and_collections(client, learner_client, award, issuer, competency):
    hidden = issue(make_achievement(issuer, competency, slug="secret", name="Secret Badge"))
    response = learner_client.post(
        "/wallet/profile/",
        {"handle": "amina", "display_name": "Amina Okonkwo", "headline": "Mediator", "is_public": "on"},
    )
    assert response.status_code == 302
    _make_public(learner_client, award)
    learner_client.post("/wallet/collections/", {"name": "Showcase", "is_public": "on"})
    learner_client.post("/wallet/collections/", {"name": "Drafts"})
    body = client.get("/u/amina/").content.decode()
    assert "Amina Okonkwo" in body and "Mediator" in body and "Negotiation Skills" in body
    assert "Secret Badge" not in body and hidden.public_id not in body
    assert "Showcase" in body and "Drafts" not in body


def test_private_profile_is_not_found(client, learner_client, award):
    learner_client.post("/wallet/profile/", {"handle": "amina", "display_name": "Amina"})
    assert client.get("/u/amina/").status_code == 404


def test_profile_handle_is_validated_and_input_kept(learner_client, other_client):
    other_client.post("/wallet/profile/", {"handle": "taken-name", "display_name": "Other"})
    response = learner_client.post(
        "/wallet/profile/", {"handle": "taken-name", "display_name": "Amina", "headline": "Hi"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "is taken" in body and 'value="Hi"' in body
    response = learner_client.post("/wallet/profile/", {"handle": "Bad Handle!", "display_name": "Amina"})
    assert response.status_code == 400 and "lower-case letters" in response.content.decode()
    response = learner_client.post("/wallet/profile/", {"handle": "admin", "display_name": "Amina"})
    assert response.status_code == 400 and "reserved" in response.content.decode()


def test_verification_page_always_confirms_validity(client, learner_client, award):
    RecipientEvidence.objects.create(
        user=learner_client.user,
        award=award,
        kind="narrative",
        title="My project",
        narrative="Negotiated a collective agreement.",
    )
    private = client.get(f"/c/{award.public_id}/").content.decode()
    assert "Verified" in private and "My project" not in private  # private: the issuer's data only
    _make_public(learner_client, award)
    public = client.get(f"/c/{award.public_id}/").content.decode()
    assert "Verified" in public and "Evidence added by the recipient" in public and "My project" in public
    assert "not part of what the issuer signed" in public


def test_verification_page_query_budget_with_additions(client, learner_client, award, django_assert_max_num_queries):
    _make_public(learner_client, award)
    client.get(f"/c/{award.public_id}/")
    with django_assert_max_num_queries(5):
        assert client.get(f"/c/{award.public_id}/").status_code == 200
