"""Outbox mail: claim emails in the recipient's language, sent once; failures, retries and reminders."""

import re
import smtplib
from datetime import UTC, datetime, timedelta

import pytest
from celery.exceptions import Retry
from django.contrib import admin
from django.core import mail as django_mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.urls import include, path
from django.utils import timezone

from audit.models import AuditEntry
from credentials import claim_emails as claims
from credentials import tasks as credential_tasks
from credentials.models import Award
from credentials.services import Recipient, award_accept, award_decline, award_issue, award_revoke
from credentials.signals import award_issued
from outbox import sending, services, tasks
from outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db

# The admin with outbox.admin registered (used with pytest.mark.urls).
urlpatterns = [path("admin/", admin.site.urls), path("", include("config.urls"))]

ISSUED_AT = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
FAR_FUTURE = datetime(2126, 1, 1, tzinfo=UTC)


class FlakyBackend(LocmemBackend):
    """Raises the queued errors one by one, then delivers to django.core.mail.outbox like locmem."""

    errors: list[BaseException] = []

    def send_messages(self, messages):
        if FlakyBackend.errors:
            raise FlakyBackend.errors.pop(0)
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.credentials.test_mail.FlakyBackend"
    FlakyBackend.errors = []
    yield FlakyBackend.errors
    FlakyBackend.errors = []


@pytest.fixture
def issue(achievement, django_capture_on_commit_callbacks):
    """Issue an award and run what happens on commit (claim email queued and sent in-process)."""

    def _issue(email="amina@example.org", name="Amina Okonkwo", **fields):
        fields.setdefault("expires_at", FAR_FUTURE)
        with django_capture_on_commit_callbacks(execute=True):
            return award_issue(achievement=achievement, recipient=Recipient(email=email, name=name, **fields))

    return _issue


def _claim_path(text: str, settings) -> str:
    match = re.search(re.escape(settings.BASE_URL) + r"(/(?:c|wallet/claim)/[^\s]+?/(?:claim/)?[^/\s]+/)", text)
    assert match, text
    return match.group(1)


def _html(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


# --- The claim email --------------------------------------------------------------------------------


def test_issuing_sends_one_claim_email_with_a_working_link(issue, client, settings):
    award = issue(issued_at=ISSUED_AT)
    assert len(django_mail.outbox) == 1
    message = django_mail.outbox[0]
    assert message.to == ["amina@example.org"]
    assert message.subject == "Test Centre awarded you “Negotiation Skills”"
    assert "Hello Amina Okonkwo," in message.body and "March 5, 2026" in message.body
    html = _html(message)
    badge = f"{settings.BASE_URL}/achievements/negotiation/image.png"
    assert f'<img src="{badge}"' in html and badge in message.body
    assert "Negotiation Skills" in html and "Test Centre" in html

    row = OutboxEmail.objects.get()
    assert (row.kind, row.dedupe_key, row.award, row.state, row.attempts) == (
        "claim",
        f"claim:{award.pk}",
        award,
        "sent",
        1,
    )
    assert row.sent_at is not None and row.last_error == ""
    assert set(
        AuditEntry.objects.filter(subject_id=str(row.pk), subject_type="outbox.outboxemail").values_list(
            "action", flat=True
        )
    ) == {"email.queue", "email.send"}

    claim = _claim_path(message.body, settings)
    assert claim in html
    page = client.get(claim)
    assert page.status_code == 200 and "Accept this credential" in page.content.decode()
    assert client.post(claim, {"answer": "accept"}).status_code == 302
    award.refresh_from_db()
    assert award.state == "accepted"
    assert client.get(claim).status_code == 400  # single use


@pytest.mark.parametrize(
    ("language", "subject", "greeting", "date", "button"),
    [
        (
            "fr",
            "Test Centre vous a décerné « Negotiation Skills »",
            "Bonjour Amina Okonkwo,",
            "5 mars 2026",
            "Accepter ou refuser votre justificatif",
        ),
        (
            "es",
            "Test Centre le otorgó «Negotiation Skills»",
            "Hola, Amina Okonkwo:",
            "5 de marzo de 2026",
            "Acepte o rechace su credencial",
        ),
        (
            "fr-ca",
            "Test Centre vous a décerné « Negotiation Skills »",
            "Bonjour Amina Okonkwo,",
            "5 mars 2026",
            "Accepter ou refuser votre justificatif",
        ),
    ],
)
def test_claim_email_is_in_the_recipients_language(issue, settings, language, subject, greeting, date, button):
    issue(issued_at=ISSUED_AT, language=language)
    [message] = django_mail.outbox
    assert message.subject == subject
    assert greeting in message.body and date in message.body  # month name translated by Django itself
    assert "Hello" not in message.body and "March" not in message.body
    html = _html(message)
    assert button in html and f'<html lang="{language[:2]}"' in html
    assert message.extra_headers["Content-Language"] == language[:2]
    assert OutboxEmail.objects.get().language == language[:2]


def test_unsupported_language_falls_back_to_the_default(issue):
    issue(language="de")
    [message] = django_mail.outbox
    assert message.body.startswith("Hello Amina Okonkwo,")
    assert OutboxEmail.objects.get().language == "en"


def test_names_are_not_html_escaped_in_text_but_are_in_html(issue):
    issue(name="Zoë O'Brien <Zed>")
    [message] = django_mail.outbox
    assert "Hello Zoë O'Brien <Zed>," in message.body
    assert "Zoë O&#x27;Brien &lt;Zed&gt;" in _html(message)


def test_the_signal_twice_still_makes_one_email(issue, django_capture_on_commit_callbacks):
    award = issue()
    with django_capture_on_commit_callbacks(execute=True):
        award_issued.send(sender=Award, award_ids=[award.pk])
        award_issued.send(sender=Award, award_ids=[award.pk])
    assert OutboxEmail.objects.filter(award=award).count() == 1
    assert len(django_mail.outbox) == 1


def test_mail_is_idempotent_on_its_dedupe_key(award, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = claims.claim_email_queue(award=award)
        second = claims.claim_email_queue(award=award)
    assert first.pk == second.pk and len(callbacks) == 1
    assert OutboxEmail.objects.count() == 1 and len(django_mail.outbox) == 1


def test_nothing_is_sent_before_the_transaction_commits(award, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = claims.claim_email_queue(award=award)
    assert email.state == "queued" and django_mail.outbox == [] and len(callbacks) == 1


def test_no_claim_email_for_an_award_revoked_before_commit(achievement, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        award = award_issue(
            achievement=achievement, recipient=Recipient(email="a@example.org", name="A", expires_at=FAR_FUTURE)
        )
        award_revoke(award=award, reason="Issued in error")
    assert not OutboxEmail.objects.exists() and django_mail.outbox == []


def test_a_claim_email_queued_then_revoked_is_not_sent(award, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = claims.claim_email_queue(award=award)
    award_revoke(award=award, reason="Issued in error")
    for callback in callbacks:
        callback()
    email.refresh_from_db()
    assert email.state == "failed" and "revoked" in email.last_error
    assert django_mail.outbox == []


@pytest.mark.parametrize("answer", [award_accept, award_decline])
def test_no_claim_email_once_answered(award, answer):
    answer(award=award)
    assert claims.claim_email_queue(award=award) is None


# --- Sending once, failures and retries -------------------------------------------------------------


def test_a_retry_of_a_sent_row_sends_nothing(issue):
    issue()
    row = OutboxEmail.objects.get()
    assert tasks.outbox_send.delay(row.pk).get() == "sent"
    assert sending.outbox_send(email_id=row.pk) == "sent"
    assert services.outbox_retry(email=row) is False  # only failed rows can be retried
    assert len(django_mail.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 1


def test_a_row_being_sent_elsewhere_is_left_alone(award, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        row = claims.claim_email_queue(award=award)
    OutboxEmail.objects.filter(pk=row.pk).update(state="sending")
    assert sending.outbox_send(email_id=row.pk) == "sending"
    assert sending.outbox_send(email_id=10**9) == "missing"
    assert django_mail.outbox == []


def test_permanent_smtp_failure_marks_failed_then_a_retry_succeeds(
    issue, flaky, settings, django_capture_on_commit_callbacks
):
    flaky.append(smtplib.SMTPRecipientsRefused({"amina@example.org": (550, b"5.1.1 No such user")}))
    issue()
    row = OutboxEmail.objects.get()
    assert (row.state, row.attempts, row.sent_at) == ("failed", 1, None)
    assert "SMTPRecipientsRefused" in row.last_error and "No such user" in row.last_error
    assert django_mail.outbox == []
    assert AuditEntry.objects.filter(action="email.fail", subject_id=str(row.pk)).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.outbox_retry(email=row) is True
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == ("sent", 2, "")
    assert len(django_mail.outbox) == 1 and django_mail.outbox[0].subject == row.subject


@pytest.fixture
def worker_retries(monkeypatch):
    """Run outbox_send as a worker would (not eager) and record the retries it asks for."""
    countdowns = []

    def retry(exc=None, countdown=None, **options):
        countdowns.append(countdown)
        return Retry(exc=exc, when=countdown)

    monkeypatch.setattr(tasks.outbox_send, "retry", retry)
    return countdowns


def test_a_worker_retries_transient_smtp_failures_with_backoff(
    award, flaky, worker_retries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        row = claims.claim_email_queue(award=award)
    flaky.extend(
        [
            smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
            smtplib.SMTPDataError(451, b"4.3.0 Try again later"),
        ]
    )
    for retries in (0, 1):
        tasks.outbox_send.push_request(retries=retries, is_eager=False)
        try:
            with pytest.raises(Retry):
                tasks.outbox_send.run(row.pk)
        finally:
            tasks.outbox_send.pop_request()
        row.refresh_from_db()
        assert row.state == "queued" and row.attempts == retries + 1 and row.last_error
    assert worker_retries == [30, 60]
    assert "Try again later" in row.last_error
    tasks.outbox_send.push_request(retries=2, is_eager=False)
    try:
        assert tasks.outbox_send.run(row.pk) == "sent"
    finally:
        tasks.outbox_send.pop_request()
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == ("sent", 3, "")
    assert len(django_mail.outbox) == 1


def test_the_last_attempt_marks_a_transient_failure_failed(
    award, flaky, worker_retries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        row = claims.claim_email_queue(award=award)
    flaky.append(ConnectionRefusedError(111, "Connection refused"))
    tasks.outbox_send.push_request(retries=tasks.outbox_send.max_retries, is_eager=False)
    try:
        assert tasks.outbox_send.run(row.pk) == "failed"
    finally:
        tasks.outbox_send.pop_request()
    row.refresh_from_db()
    assert row.state == "failed" and "Connection refused" in row.last_error
    assert worker_retries == [] and django_mail.outbox == []


def test_in_process_a_transient_failure_is_recorded_not_raised(issue, flaky):
    """Embedded default (no worker): the request that issued the award must not fail because SMTP did."""
    flaky.append(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    award = issue()
    row = OutboxEmail.objects.get()
    assert (row.award, row.state, row.attempts) == (award, "failed", 1)
    assert "SMTPServerDisconnected" in row.last_error and django_mail.outbox == []


def test_backoff_grows_and_is_capped():
    assert [tasks.send_backoff(n) for n in range(8)] == [30, 60, 120, 240, 480, 960, 1800, 1800]


def test_transient_failure_requeues_the_row_and_raises(award, flaky, django_capture_on_commit_callbacks):
    flaky.append(smtplib.SMTPServerDisconnected("gone"))
    with django_capture_on_commit_callbacks(execute=False):
        row = claims.claim_email_queue(award=award)
    with pytest.raises(sending.TransientMailError, match="gone"):
        sending.outbox_send(email_id=row.pk)
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("queued", 1) and "gone" in row.last_error
    assert sending.outbox_send(email_id=row.pk) == "sent"


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPServerDisconnected("x"), True),
        (smtplib.SMTPConnectError(421, b"busy"), True),
        (smtplib.SMTPSenderRefused(451, b"later", "from@x"), True),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (smtplib.SMTPRecipientsRefused({"a@x": (450, b"mailbox busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@x": (550, b"unknown")}), False),
        (smtplib.SMTPNotSupportedError("no STARTTLS"), False),
        (TimeoutError("timed out"), True),
        (ConnectionResetError(104, "reset"), True),
        (ValueError("bad header"), False),
    ],
)
def test_transient_or_permanent(error, transient):
    assert sending.is_transient(error) is transient


def test_flush_requeues_rows_whose_task_was_lost(award, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        row = claims.claim_email_queue(award=award)  # the on-commit enqueue is lost
    assert sending.outbox_flush() == 0  # too recent: its task may still be on its way
    an_hour_ago = timezone.now() - timedelta(hours=1)
    OutboxEmail.objects.filter(pk=row.pk).update(created_at=an_hour_ago, attempts=1)
    assert sending.outbox_flush() == 0  # attempted: a retry is scheduled
    OutboxEmail.objects.filter(pk=row.pk).update(attempts=0)
    assert tasks.outbox_flush.delay().get() == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 1) and len(django_mail.outbox) == 1
    assert sending.outbox_flush() == 0


def test_flush_marks_a_row_interrupted_mid_send_failed_and_never_sends_it(award, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        row = claims.claim_email_queue(award=award)
    # a worker claimed it, then died before recording the outcome
    OutboxEmail.objects.filter(pk=row.pk).update(state="sending", attempts=1, sending_since=timezone.now())
    assert sending.outbox_flush() == 0
    assert OutboxEmail.objects.get(pk=row.pk).state == "sending"  # may still be in progress
    assert sending.outbox_flush(now=timezone.now() + sending.STUCK_AFTER + timedelta(seconds=1)) == 0
    row.refresh_from_db()
    assert row.state == "failed" and "may or may not have been delivered" in row.last_error
    assert django_mail.outbox == []  # not sent again automatically: at most once
    assert AuditEntry.objects.filter(action="email.fail", subject_id=str(row.pk)).exists()


# --- Reminders --------------------------------------------------------------------------------------


@pytest.fixture
def reminder_days(settings):
    settings.CLAIM_REMINDER_DAYS = [30, 7]  # order does not matter
    return settings.CLAIM_REMINDER_DAYS


def _age(award, days):
    """Pretend the award was issued (and its claim email queued) `days` days ago."""
    moment = timezone.now() - timedelta(days=days, minutes=1)
    Award.objects.filter(pk=award.pk).update(issued_at=moment)
    OutboxEmail.objects.filter(dedupe_key=f"claim:{award.pk}").update(created_at=moment)


def _reminders(award):
    return sorted(OutboxEmail.objects.filter(award=award, kind="claim_reminder").values_list("dedupe_key", flat=True))


def test_reminders_are_queued_once_per_threshold(
    issue, reminder_days, settings, client, django_capture_on_commit_callbacks
):
    award = issue(language="fr")
    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert claims.claim_reminders_queue() == 0
        _age(award, 6)
        assert claims.claim_reminders_queue() == 0
        _age(award, 7)
        assert claims.claim_reminders_queue() == 1
        assert claims.claim_reminders_queue() == 0
    assert _reminders(award) == [f"reminder:{award.pk}:1"]
    [message] = django_mail.outbox
    assert message.subject == "Rappel : votre justificatif « Negotiation Skills » vous attend"
    assert "Ceci est notre dernier rappel." not in message.body

    with django_capture_on_commit_callbacks(execute=True):
        _age(award, 30)
        assert claims.claim_reminders_queue() == 1
        assert claims.claim_reminders_queue() == 0
    assert _reminders(award) == [f"reminder:{award.pk}:1", f"reminder:{award.pk}:2"]
    assert len(django_mail.outbox) == 2 and "Ceci est notre dernier rappel." in django_mail.outbox[1].body

    claim = _claim_path(django_mail.outbox[1].body, settings)  # a fresh link, still valid
    assert client.post(claim, {"answer": "accept"}).status_code == 302
    award.refresh_from_db()
    assert award.state == "accepted"


def test_no_reminders_for_answered_revoked_or_expired_awards(issue, reminder_days):
    accepted, declined, revoked, expired = (issue(email=f"{n}@example.org") for n in ("a", "d", "r", "e"))
    award_accept(award=accepted)
    award_decline(award=declined)
    award_revoke(award=revoked, reason="Issued in error")
    Award.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    for award in (accepted, declined, revoked, expired):
        _age(award, 40)
    assert claims.claim_reminders_queue() == 0
    assert not OutboxEmail.objects.filter(kind="claim_reminder").exists()


def test_a_late_run_sends_only_the_latest_reminder_due(award, reminder_days):
    """An award without a claim email (issued before the outbox existed) and 40 days old: one email."""
    _age(award, 40)
    assert claims.claim_reminders_queue() == 1
    assert _reminders(award) == [f"reminder:{award.pk}:2"]
    assert claims.claim_reminders_queue() == 0  # reminder 1 is not sent after reminder 2


def test_a_backdated_award_counts_from_its_claim_email(issue, reminder_days):
    award = issue(issued_at=timezone.now() - timedelta(days=400))
    assert claims.claim_reminders_queue() == 0
    OutboxEmail.objects.filter(dedupe_key=f"claim:{award.pk}").update(created_at=timezone.now() - timedelta(days=8))
    assert claims.claim_reminders_queue() == 1 and _reminders(award) == [f"reminder:{award.pk}:1"]


def test_no_reminders_when_the_setting_is_empty(award, settings):
    settings.CLAIM_REMINDER_DAYS = []
    _age(award, 400)
    assert claims.claim_reminders_queue() == 0


def test_send_claim_reminders_command(issue, reminder_days, capsys, django_capture_on_commit_callbacks):
    fresh, old = issue(email="fresh@example.org"), issue(email="old@example.org")
    _age(old, 8)
    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_claim_reminders")
    assert "1 claim reminder(s) queued (after 7, 30 days)." in capsys.readouterr().out
    assert [m.to for m in django_mail.outbox] == [["old@example.org"]]
    assert _reminders(fresh) == []
    call_command("send_claim_reminders")
    assert "0 claim reminder(s) queued" in capsys.readouterr().out


def test_claim_reminders_task(award, reminder_days):
    _age(award, 8)
    assert credential_tasks.claim_reminders.delay().get() == 1
    assert credential_tasks.claim_reminders.delay().get() == 0


def test_tasks_are_late_acked_with_time_limits():
    every = (tasks.outbox_send, tasks.outbox_send_many, credential_tasks.claim_emails,
             credential_tasks.claim_reminders, tasks.outbox_flush)  # fmt: skip
    for task in every:
        assert task.acks_late is True
        assert 0 < task.soft_time_limit < task.time_limit
        assert task.max_retries
    for task in (credential_tasks.claim_emails, credential_tasks.claim_reminders, tasks.outbox_flush):
        assert task.autoretry_for and task.retry_backoff
    assert tasks.outbox_send.soft_time_limit > sending.SMTP_TIMEOUT


# --- Admin ------------------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_outbox_admin_filters_searches_and_retries_failed(
    issue, flaky, staff_client, django_capture_on_commit_callbacks
):
    flaky.append(smtplib.SMTPRecipientsRefused({"bad@example.org": (550, b"unknown user")}))
    issue(email="bad@example.org")
    issue(email="good@example.org")
    failed = OutboxEmail.objects.get(to_email="bad@example.org")
    assert failed.state == "failed"

    url = "/admin/outbox/outboxemail/"
    page = staff_client.get(url, {"state__exact": "failed"}).content.decode()
    assert "bad@example.org" in page and "good@example.org" not in page
    page = staff_client.get(url, {"q": "good@"}).content.decode()
    assert "good@example.org" in page and "bad@example.org" not in page

    sent = OutboxEmail.objects.get(to_email="good@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url, {"action": "retry_failed", "_selected_action": [failed.pk, sent.pk]}, follow=True
        )
    body = response.content.decode()
    assert "1 email queued again." in body and "1 email skipped" in body
    failed.refresh_from_db()
    assert failed.state == "sent" and failed.attempts == 2
    assert sorted(m.to[0] for m in django_mail.outbox) == ["bad@example.org", "good@example.org"]
    assert AuditEntry.objects.filter(action="email.retry", actor=staff_client.user).count() == 1
    assert staff_client.get(f"{url}{failed.pk}/change/").status_code == 200
    assert staff_client.get(f"{url}add/").status_code == 403


def test_task_names_for_the_beat_schedule(settings):
    from config.celery_app import app

    app.loader.import_default_modules()  # what a worker does at start: autodiscovers every app's tasks
    modules = {"outbox_send": "outbox.tasks", "outbox_send_many": "outbox.tasks", "outbox_flush": "outbox.tasks",
               "claim_emails": "credentials.tasks", "claim_reminders": "credentials.tasks"}  # fmt: skip
    for name, module in modules.items():
        # The name the tasks had in credentials/mail_tasks.py: messages queued under it still run.
        assert app.tasks[f"credentials.mail_tasks.{name}"].run.__module__ == module
    scheduled = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert all(name in app.tasks for name in [*scheduled, *settings.CELERY_TASK_ROUTES])
