"""Endorsements: requested by email (no account for the endorser), given, shown, hidden, exported."""

import re

import pytest
from django.core import mail

from credentials.openbadges import check_all_terms_defined, verify_credential
from credentials.services import award_revoke
from wallets.models import Endorsement
from wallets.services import endorsement_issue

pytestmark = pytest.mark.django_db


def _request(client, award, captured, **data):
    fields = {"endorser_name": "Grace Hopper", "endorser_email": "grace@example.org", "message": "Thanks!"}
    fields.update(data)
    with captured(execute=True):
        return client.post(f"/wallet/c/{award.public_id}/endorsements/", fields)


def _link(settings) -> str:
    match = re.search(r"(/endorse/[^/\s]+/[^/\s]+/)", mail.outbox[-1].body)
    return match.group(1)


@pytest.fixture
def requested(learner_client, award, django_capture_on_commit_callbacks, settings):
    response = _request(learner_client, award, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    return _link(settings)


def test_request_sends_an_email_with_a_signed_link(requested):
    message = mail.outbox[-1]
    assert message.to == ["grace@example.org"]
    assert "Amina Okonkwo asks you for an endorsement" in message.subject
    assert "Negotiation Skills" in message.body and "Thanks!" in message.body
    assert message.alternatives and "/endorse/" in message.alternatives[0][0]


def test_endorser_writes_without_an_account(client, requested, award):
    page = client.get(requested)
    body = page.content.decode()
    assert page.status_code == 200 and "Endorse Amina Okonkwo" in body and 'value="Grace Hopper"' in body
    response = client.post(
        requested,
        {
            "endorser_name": "Grace Hopper",
            "endorser_title": "Supervisor",
            "comment": "Amina led our hardest negotiation with great skill.",
        },
    )
    assert response.status_code == 200 and "Your endorsement was recorded." in response.content.decode()
    endorsement = Endorsement.objects.get()
    assert endorsement.state == "given" and endorsement.endorser_title == "Supervisor"


def test_endorsement_is_an_ob3_endorsement_credential_signed_by_the_platform(client, requested, award, settings):
    client.post(requested, {"endorser_name": "Grace Hopper", "comment": "Excellent negotiator."})
    endorsement = Endorsement.objects.get()
    credential = client.get(f"/endorsements/{endorsement.public_id}/credential.json").json()
    assert credential["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert credential["credentialSubject"] == {
        "id": award.credential["id"],
        "type": ["EndorsementSubject"],
        "endorsementComment": "Excellent negotiator.",
    }
    assert credential["issuer"]["id"] == award.key.did  # the award's issuer key, relaying the endorsement
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    assert check_all_terms_defined(unsigned) == []
    assert verify_credential(credential, check_dates=False).ok
    ob2 = client.get(f"/endorsements/{endorsement.public_id}/ob2.json").json()
    assert ob2["type"] == "Endorsement" and ob2["verification"] == {"type": "hosted"}
    assert ob2["claim"] == {
        "id": f"{settings.BASE_URL}/ob2/assertions/{award.public_id}.json",
        "endorsementComment": "Excellent negotiator.",
    }
    assert ob2["id"] == f"{settings.BASE_URL}/endorsements/{endorsement.public_id}/ob2.json"
    assert ob2["issuer"].endswith("/ob2/issuers/test-centre.json") and ob2["issuedOn"].endswith("Z")
    assert ob2["@context"] == "https://w3id.org/openbadges/v2"


def test_endorsement_shows_on_the_verification_page_and_can_be_hidden(client, learner_client, requested, award):
    client.post(requested, {"endorser_name": "Grace Hopper", "endorser_title": "Supervisor", "comment": "Superb."})
    learner_client.post(f"/wallet/c/{award.public_id}/visibility/", {"public": "1"})
    page = client.get(f"/c/{award.public_id}/").content.decode()
    assert "Superb." in page and "Grace Hopper, Supervisor" in page
    endorsement = Endorsement.objects.get()
    learner_client.post(f"/wallet/endorsements/{endorsement.public_id}/", {"action": "hide"})
    assert "Superb." not in client.get(f"/c/{award.public_id}/").content.decode()
    assert client.get(f"/endorsements/{endorsement.public_id}/credential.json").status_code == 404
    assert "Superb." in learner_client.get(f"/wallet/c/{award.public_id}/").content.decode()  # still yours
    learner_client.post(f"/wallet/endorsements/{endorsement.public_id}/", {"action": "show"})
    assert "Superb." in client.get(f"/c/{award.public_id}/").content.decode()


def test_used_link_is_refused_with_a_clear_page(client, requested):
    client.post(requested, {"endorser_name": "Grace", "comment": "Good."})
    response = client.get(requested)
    assert response.status_code == 400 and "already been used" in response.content.decode()
    assert Endorsement.objects.get().comment == "Good."
    assert client.post(requested, {"endorser_name": "Mallory", "comment": "Overwritten"}).status_code == 400
    assert Endorsement.objects.get().comment == "Good."


def test_forged_and_expired_links_are_refused(client, requested, settings):
    public_id = requested.split("/")[2]
    forged = client.get(f"/endorse/{public_id}/abc-0123456789abcdef/")
    assert forged.status_code == 400 and "not valid" in forged.content.decode()
    unknown = client.get("/endorse/unknown/abc-0123456789abcdef/")
    assert unknown.status_code == 400 and "not valid" in unknown.content.decode()
    settings.ENDORSEMENT_TOKEN_DAYS = -1
    expired = client.get(requested)
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert Endorsement.objects.get().state == "requested"


def test_empty_comment_is_refused_and_name_kept(client, requested):
    response = client.post(requested, {"endorser_name": "Grace", "endorser_title": "Boss", "comment": "  "})
    body = response.content.decode()
    assert response.status_code == 400 and "This field is required." in body and 'value="Boss"' in body
    assert client.get(requested).status_code == 200  # still usable


def test_endorser_can_decline(client, requested):
    response = client.post(requested, {"answer": "decline"})
    assert response.status_code == 200 and "Nothing was published" in response.content.decode()
    assert Endorsement.objects.get().state == "declined"


def test_request_validation(learner_client, award, django_capture_on_commit_callbacks):
    response = _request(learner_client, award, django_capture_on_commit_callbacks, endorser_email="not-an-email")
    assert response.status_code == 400 and "valid email" in response.content.decode()
    response = _request(
        learner_client, award, django_capture_on_commit_callbacks, endorser_email="amina.okonkwo@example.org"
    )
    assert response.status_code == 400 and "cannot endorse your own" in response.content.decode()
    _request(learner_client, award, django_capture_on_commit_callbacks)
    again = _request(learner_client, award, django_capture_on_commit_callbacks)
    assert again.status_code == 400 and "already asked this person" in again.content.decode()
    assert len(mail.outbox) == 1


def test_request_rate_limit(learner_client, award, settings, django_capture_on_commit_callbacks):
    settings.ENDORSEMENT_REQUESTS_PER_DAY = 2
    for n in range(2):
        _request(learner_client, award, django_capture_on_commit_callbacks, endorser_email=f"p{n}@example.org")
    response = _request(learner_client, award, django_capture_on_commit_callbacks, endorser_email="p9@example.org")
    assert response.status_code == 400 and "many requests today" in response.content.decode()


def test_another_learner_cannot_request_or_hide(
    other_client, learner_client, award, requested, client, django_capture_on_commit_callbacks
):
    response = _request(other_client, award, django_capture_on_commit_callbacks, endorser_email="x@example.org")
    assert response.status_code == 403
    endorsement = Endorsement.objects.get()
    response = other_client.post(f"/wallet/endorsements/{endorsement.public_id}/", {"action": "hide"})
    assert response.status_code == 403 and not Endorsement.objects.get().is_hidden


def test_revoked_credential_cannot_be_endorsed(client, requested, award):
    award_revoke(award=award, reason="Mistake")
    response = client.get(requested)
    assert response.status_code == 400 and "revoked" in response.content.decode()


def test_issuer_endorsement_by_staff(staff_client, award, issuer, learner_client, client):
    from credentials.services import issuer_create

    partner = issuer_create(
        slug="partner", name="Partner Org", url="https://partner.example.org", email="p@partner.example.org"
    )
    response = staff_client.post(
        "/admin/wallets/endorsement/add/",
        {"award": award.pk, "endorser_issuer": partner.pk, "endorser_name": "", "comment": "Recognised by us."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    endorsement = Endorsement.objects.get()
    assert endorsement.kind == "issuer" and endorsement.endorser_name == "Partner Org"
    assert endorsement.credential["issuer"]["name"] == "Partner Org"
    assert verify_credential(endorsement.credential, check_dates=False).ok
    learner_client.post(f"/wallet/c/{award.public_id}/visibility/", {"public": "1"})
    assert "Recognised by us." in client.get(f"/c/{award.public_id}/").content.decode()


def test_issuer_endorsement_service_refuses_empty_comment(award, issuer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        endorsement_issue(award=award, issuer=issuer, comment="")


@pytest.mark.tools
def test_dcc_verifier_accepts_the_endorsement_credential(award, issuer):
    from tests.support.dcc import dcc_or_skip, dcc_verify

    dcc_or_skip()
    endorsement = endorsement_issue(award=award, issuer=issuer, comment="Verified by an independent stack.")
    result = dcc_verify(endorsement.credential)
    assert result["signature"] and result["verified"], result["errors"]
    tampered = {
        **endorsement.credential,
        "credentialSubject": {
            **endorsement.credential["credentialSubject"],
            "endorsementComment": "Changed afterwards.",
        },
    }
    assert not dcc_verify(tampered)["signature"]
