"""credentials/workflow.py: the achievement workflow and resending a claim email, × roles × programmes.
Services refuse what a role does not allow, whatever calls them; each step is audited with its programme."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from credentials import workflow
from credentials.models import Achievement
from outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db

# role → may (submit/return, publish/archive, resend)
EXPECTED = {
    "none": (False, False, False),
    "viewer": (False, False, False),
    "issuer": (False, False, True),
    "manager": (True, True, True),
    "other": (False, False, False),  # a manager of programme B
    "admin": (True, True, True),
}


def _status(achievement, status):
    Achievement.objects.filter(pk=achievement.pk).update(status=status)
    achievement.refresh_from_db()


@pytest.mark.parametrize("role", list(EXPECTED))
def test_workflow_services_by_role(console, role):
    change, publish, resend = EXPECTED[role]
    actor = console.users[role]
    achievement = console.achievement
    steps = [
        ("draft", workflow.achievement_submit, change, "submitted"),
        ("submitted", workflow.achievement_return_to_draft, change, "draft"),
        ("submitted", workflow.achievement_publish, publish, "published"),
        ("published", workflow.achievement_archive, publish, "archived"),
    ]
    for start, service, allowed, end in steps:
        _status(achievement, start)
        entries = AuditEntry.objects.count()
        if allowed:
            service(achievement=achievement, actor=actor)
            achievement.refresh_from_db()
            assert achievement.status == end
            entry = AuditEntry.objects.latest("pk")
            assert entry.programme_id == console.a.pk and entry.data == {"from": start, "to": end}
        else:
            with pytest.raises(PermissionDenied):
                service(achievement=achievement, actor=actor)
            achievement.refresh_from_db()
            assert achievement.status == start and AuditEntry.objects.count() == entries
    _status(achievement, "published")
    OutboxEmail.objects.filter(award=console.award).update(created_at="2020-01-01T00:00:00Z")
    emails = OutboxEmail.objects.count()
    if resend:
        workflow.award_resend_claim(award=console.award, actor=actor)
        assert OutboxEmail.objects.count() == emails + 1
    else:
        with pytest.raises(PermissionDenied):
            workflow.award_resend_claim(award=console.award, actor=actor)
        assert OutboxEmail.objects.count() == emails


def test_steps_out_of_order_are_refused(console):
    manager = console.users["manager"]
    _status(console.achievement, "archived")
    for service in (
        workflow.achievement_submit,
        workflow.achievement_publish,
        workflow.achievement_archive,
        workflow.achievement_return_to_draft,
    ):
        with pytest.raises(ValidationError):
            service(achievement=console.achievement, actor=manager)
    console.achievement.refresh_from_db()
    assert console.achievement.status == "archived"


def test_publishing_checks_the_content_rules_again(console):
    Achievement.objects.filter(pk=console.achievement.pk).update(status="draft", assessment_method="")
    with pytest.raises(ValidationError, match="Assessment method"):
        workflow.achievement_publish(achievement=console.achievement, actor=console.users["manager"])
    console.achievement.refresh_from_db()
    assert console.achievement.status == "draft"


def test_an_archived_or_draft_achievement_cannot_be_issued(console):
    from credentials.services import Recipient, award_issue

    for status in ("draft", "submitted", "archived"):
        _status(console.achievement, status)
        with pytest.raises(ValidationError, match="not published"):
            award_issue(achievement=console.achievement, recipient=Recipient(email="x@example.org", name="X"))


def test_resend_only_while_waiting_and_not_twice_at_once(console):
    from credentials.services import award_revoke

    issuer = console.users["issuer"]
    OutboxEmail.objects.filter(award=console.award).update(created_at="2020-01-01T00:00:00Z")
    email = workflow.award_resend_claim(award=console.award, actor=issuer)
    assert email.to_email == "amina@example.org" and email.dedupe_key.startswith(f"claim:{console.award.pk}:resend:")
    with pytest.raises(ValidationError, match="less than"):
        workflow.award_resend_claim(award=console.award, actor=issuer)
    award_revoke(award=console.award, reason="Cancelled", actor=None)
    OutboxEmail.objects.filter(award=console.award).update(created_at="2020-01-01T00:00:00Z")
    with pytest.raises(ValidationError, match="no longer waits"):
        workflow.award_resend_claim(award=console.award, actor=issuer)
    assert AuditEntry.objects.filter(action="award.resend_claim").get().programme_id == console.a.pk
