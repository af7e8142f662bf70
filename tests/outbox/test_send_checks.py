"""The outbox's send checks: an app above the outbox stops its own emails at the last moment, without the
outbox importing it (issue 10: the outbox is a low layer)."""

import pytest
from django.core import mail as django_mail

from credentials import claim_emails
from outbox import sending
from outbox.models import OutboxEmail
from outbox.services import mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def check_for_kind():
    """Register a send check for the kind "test_note" and remove it afterwards."""
    yield lambda check: sending.register_send_check("test_note", check)
    sending._send_checks.pop("test_note", None)


def _queue(django_capture_on_commit_callbacks, key="note:1") -> OutboxEmail:
    with django_capture_on_commit_callbacks(execute=False):  # queued, not yet sent
        return mail(to="someone@example.org", template="claim", context={"claim_days": 30}, language="en",
                    kind="test_note", dedupe_key=key)  # fmt: skip


def test_a_registered_check_stops_the_email_with_its_reason(check_for_kind, django_capture_on_commit_callbacks):
    seen = []
    check_for_kind(lambda email: seen.append(email.pk) or "Not sent: no longer wanted.")
    row = _queue(django_capture_on_commit_callbacks)
    assert sending.outbox_send(email_id=row.pk) == "failed"
    row.refresh_from_db()
    assert row.last_error == "Not sent: no longer wanted." and seen == [row.pk]
    assert django_mail.outbox == []


def test_a_check_returning_none_lets_the_email_go(check_for_kind, django_capture_on_commit_callbacks):
    check_for_kind(lambda email: None)
    row = _queue(django_capture_on_commit_callbacks)
    assert sending.outbox_send(email_id=row.pk) == "sent"
    assert [m.to for m in django_mail.outbox] == [["someone@example.org"]]


def test_kinds_without_a_check_are_sent(django_capture_on_commit_callbacks):
    row = _queue(django_capture_on_commit_callbacks, key="note:2")
    assert sending.outbox_send_many(email_ids=[row.pk]) == {row.pk: "sent"}


def test_credentials_registers_its_check_for_claim_emails_and_reminders():
    for kind in (claim_emails.KIND_CLAIM, claim_emails.KIND_CLAIM_REMINDER):
        assert sending._send_checks[kind] is claim_emails.not_sendable_reason
