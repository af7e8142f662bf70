"""Every kind of Open Badges 3.0 document we sign passes 1EdTech's published JSON schemas
(tests/support/schemas/): certificates of each tier, badges of each category, people and organisations,
with and without expiry, evidence, narrative and alignments, revoked, re-signed to a wallet holder, and
EndorsementCredentials. `proof` is an array (the schema requires it) and the recipient's name is carried as
an IdentityObject of identityType "name"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from credentials.models import Achievement, Award
from credentials.openbadges import keys, verify_credential
from credentials.services import (
    Recipient,
    achievement_save,
    award_issue,
    award_revoke,
    award_sign_for_holder,
    status_list_signed,
)
from demo import data as demo
from tests.support.ob3_schema import schema_errors


@pytest.fixture
def every_kind(issuer, default_framework):
    """One achievement per certificate tier and badge category of the default framework (the demo's)."""
    tiers = {tier.code: tier for tier in default_framework.certificatetier_set.all()}
    categories = {category.code: category for category in default_framework.badgecategory_set.all()}
    made = []
    for slug, name, description, criteria, (kind, code) in demo.ACHIEVEMENTS:
        target = tiers.get(code) if kind == "tier" else categories.get(code)
        if target is None:
            continue
        achievement = Achievement(
            slug=slug, issuer=issuer, name=name, description=description, criteria_narrative=criteria,
            tier=target if kind == "tier" else None, category=target if kind == "category" else None,
            **demo.definition(kind, code, target),
        )  # fmt: skip
        made.append(achievement_save(achievement=achievement))
    assert {a.tier.code for a in made if a.tier_id} == set(tiers)
    assert {a.category.code for a in made if a.category_id} == set(categories)
    return made


def _kinds(achievement) -> list[str]:
    return list(achievement.category.recipient_kinds) if achievement.category_id else [Award.RecipientKind.PERSON]


def test_every_kind_of_credential_passes_the_1edtech_schema(every_kind):
    checked = 0
    for number, achievement in enumerate(every_kind):
        for kind in _kinds(achievement):
            name = "Ngozi Adeyemi" if kind == "person" else "Cooperativa Sociale Aurora"
            plain = award_issue(
                achievement=achievement,
                recipient=Recipient(email=f"plain{number}-{kind}@example.org", name=name, kind=kind),
            )
            full = award_issue(
                achievement=achievement,
                recipient=Recipient(
                    email=f"full{number}-{kind}@example.org",
                    name=name,
                    kind=kind,
                    narrative="Led the *final* simulation.",
                    expires_at=timezone.now() + timedelta(days=400),
                    evidence=[{"url": "https://example.org/report.pdf", "name": "Report"}, {"narrative": "Observed."}],
                ),
            )
            for award in (plain, full):
                credential = award.credential
                assert schema_errors(credential) == [], (achievement.slug, kind, credential)
                assert isinstance(credential["proof"], list) and len(credential["proof"]) == 1
                names = [i for i in credential["credentialSubject"]["identifier"] if i["identityType"] == "name"]
                assert names == [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                                  "identityHash": name}]  # fmt: skip
                assert verify_credential(credential).ok
                checked += 1
    assert checked >= 2 * len(every_kind)
    aligned = [a for a in every_kind if a.alignments]
    assert aligned, "the demo definitions include skill alignments"


def test_revoked_and_holder_bound_credentials_pass_the_schema(award):
    holder = keys.did_key_from_public_key(keys.public_key_bytes(keys.generate_private_key()))
    bound = award_sign_for_holder(award=award, holder_did=holder)
    assert bound["credentialSubject"]["id"] == holder
    assert schema_errors(bound) == []
    assert isinstance(bound["proof"], list)
    award_revoke(award=award, reason="Issued in error")
    award.refresh_from_db()
    assert schema_errors(award.credential) == []
    status = status_list_signed(award.status_list)
    assert isinstance(status["proof"], list) and verify_credential(status).ok


def test_endorsement_credentials_pass_the_schema(award, issuer):
    from wallets.services import endorsement_issue

    endorsement = endorsement_issue(award=award, issuer=issuer, comment="Outstanding negotiator.")
    credential = endorsement.credential
    assert schema_errors(credential, "endorsement") == []
    assert isinstance(credential["proof"], list) and verify_credential(credential).ok


def test_the_schema_refuses_what_it_should(award):
    """The schema check can fail: a proof object (what we signed before), a missing name identity type."""
    as_object = {**award.credential, "proof": award.credential["proof"][0]}
    assert any(error.startswith("proof:") for error in schema_errors(as_object))
    subject = {**award.credential["credentialSubject"], "identifier": [{"type": "IdentityObject", "hashed": False}]}
    assert schema_errors({**award.credential, "credentialSubject": subject})
