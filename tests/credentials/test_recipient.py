"""The Recipient value: what award_issue, award_issue_many and award_reissue take for whom they issue to."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from credentials.models import Award
from credentials.services import Recipient, award_issue, award_issue_many, award_reissue


def test_a_recipient_cannot_be_changed_in_place():
    recipient = Recipient(email="a@example.org", name="A")
    with pytest.raises(dataclasses.FrozenInstanceError):
        recipient.name = "B"
    assert recipient.kind == Award.RecipientKind.PERSON and recipient.evidence is None


def test_the_recipient_of_an_award_carries_every_recipient_field(award):
    recipient = Recipient.of_award(award, name="Amina Okonkwo-Díaz")
    assert (recipient.email, recipient.name, recipient.kind) == (
        award.recipient_email,
        "Amina Okonkwo-Díaz",
        award.recipient_kind,
    )
    assert (recipient.narrative, recipient.evidence, recipient.language) == (
        award.narrative,
        award.evidence,
        award.recipient_language,
    )


def test_issuing_reads_every_field(achievement):
    award = award_issue(
        achievement=achievement,
        recipient=Recipient(
            email=" Lea@Example.org ",
            name=" Lea Martin ",
            language="fr",
            narrative="Led the simulation.",
            evidence=[{"url": "https://example.org/report.pdf"}],
            external_id="row-7",
            idempotency_key="lea-1",
        ),
    )
    assert (award.recipient_email, award.recipient_name, award.recipient_language) == (
        "lea@example.org",
        "Lea Martin",
        "fr",
    )
    assert (award.narrative, award.external_id, award.idempotency_key) == ("Led the simulation.", "row-7", "lea-1")
    assert award.evidence == [{"url": "https://example.org/report.pdf"}]


def test_bad_recipients_are_refused_by_field(achievement):
    with pytest.raises(ValidationError) as caught:
        award_issue(achievement=achievement, recipient=Recipient(email="nope", name=" ", kind="robot"))
    assert set(caught.value.message_dict) == {"recipient_email", "recipient_name", "recipient_kind"}
    [refused] = award_issue_many(achievement=achievement, recipients=[Recipient(email="nope", name="X")])
    assert isinstance(refused, ValidationError)


def test_reissue_refuses_what_a_recipient_does_not_have_and_changes_nothing(award):
    with pytest.raises(ValueError, match="recipient_name"):
        award_reissue(award=award, reason="Typo", recipient_name="Old keyword")
    award.refresh_from_db()
    assert award.state == Award.State.ISSUED
