import hashlib

import pytest

from credentials.documents import ob2_assertion, ob2_badge_class, ob2_issuer
from credentials.openbadges import verify_credential
from credentials.openbadges.status_list import entry_is_set
from credentials.services import Recipient, award_issue, award_revoke, status_list_signed

pytestmark = pytest.mark.django_db
BASE = "http://127.0.0.1:8000"


def test_ob2_assertion_is_hosted_and_hashed(award, settings):
    data = ob2_assertion(award)
    assert data["@context"] == "https://w3id.org/openbadges/v2"
    assert data["type"] == "Assertion" and data["verification"] == {"type": "hosted"}
    recipient = data["recipient"]
    expected = "sha256$" + hashlib.sha256(("amina.okonkwo@example.org" + recipient["salt"]).encode()).hexdigest()
    assert recipient == {"type": "email", "hashed": True, "salt": recipient["salt"], "identity": expected}
    assert data["issuedOn"].endswith("Z") and "expires" in data
    assert data["id"] == f"{settings.BASE_URL}/ob2/assertions/{award.public_id}.json"
    assert data["badge"].startswith(settings.BASE_URL) and data["evidence"][0]["id"] == "https://example.org/report.pdf"
    assert "revoked" not in data


def test_ob2_badge_class_and_issuer(award, settings):
    badge = ob2_badge_class(award.achievement)
    assert badge["type"] == "BadgeClass" and badge["criteria"]["narrative"]
    assert badge["image"].endswith("/image.png") and badge["alignment"][0]["targetName"] == "negotiate"
    issuer = ob2_issuer(award.achievement.issuer)
    assert issuer["type"] == "Issuer" and issuer["email"] == "badges@centre.example.org"
    assert issuer["id"].startswith(settings.BASE_URL)  # same origin as the assertion


def test_revoked_assertion_keeps_being_served_with_reason(award, client):
    award_revoke(award=award, reason="Assessment was invalid")
    response = client.get(f"/ob2/assertions/{award.public_id}.json")
    assert response.status_code == 200
    data = response.json()
    assert data["revoked"] is True and data["revocationReason"] == "Assessment was invalid"


def test_ob3_credential_shape(award):
    credential = award.credential
    assert credential["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"].startswith("did:key:z6Mk") and credential["issuer"]["type"] == ["Profile"]
    assert credential["name"] == "Negotiation Skills" and credential["validUntil"].endswith("Z")
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0]["identityHash"] == award.identity_hash
    assert subject["achievement"]["achievementType"] == "Competency"
    assert credential["evidence"] and "evidence" not in subject
    assert credential["credentialSchema"][0]["type"] == "1EdTechJsonSchemaValidator2019"
    (proof,) = credential["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"].startswith(credential["issuer"]["id"] + "#")


def test_changing_one_character_breaks_the_signature(award):
    tampered = {**award.credential, "name": award.credential["name"] + "!"}
    result = verify_credential(tampered)
    assert not result.ok and result.errors


def test_status_list_credential_is_signed_and_flips_on_revocation(award, client):
    entry = award.credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    response = client.get(entry["statusListCredential"].removeprefix(BASE))
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+ld+json"
    before = response.json()
    assert verify_credential(before).ok
    assert before["issuer"] == award.credential["issuer"]["id"]
    assert entry_is_set(before, entry) is False
    award_revoke(award=award, reason="x")
    after = client.get(entry["statusListCredential"].removeprefix(BASE)).json()
    assert verify_credential(after).ok and entry_is_set(after, entry) is True


def test_status_list_is_cached_until_it_changes(award, django_assert_max_num_queries):
    from credentials.models import StatusList

    status_list = StatusList.objects.get(pk=award.status_list_id)
    first = status_list_signed(status_list)
    status_list.refresh_from_db()
    assert status_list.signed_credential == first
    other = award_issue(achievement=award.achievement, recipient=Recipient(email="x@example.org", name="X"))
    status_list.refresh_from_db()
    assert status_list.signed_credential == first  # issuing does not change bits
    award_revoke(award=other, reason="x")
    status_list.refresh_from_db()
    assert status_list.signed_credential is None
