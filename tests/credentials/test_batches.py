"""Batches: many awards issued, baked, announced and emailed at once (bulk issuance's fast path)."""

import itertools
import secrets
import smtplib
from unittest import mock

import pytest
from django.core import mail as django_mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from audit.models import AuditEntry
from credentials import claim_emails as claims
from credentials.artifacts import build as artifacts
from credentials.artifacts import images
from credentials.models import Award, StatusList
from credentials.openbadges import extract_png, verify_credential
from credentials.openbadges.status_list import MIN_BITS
from credentials.services import Recipient, award_issue, award_issue_many, award_revoke
from outbox import sending, services, tasks
from outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db


def people(n, start=0, **extra):
    return [
        Recipient(email=f"p{i}@example.org", name=f"Person {i}", idempotency_key=f"k{i}", **extra)
        for i in range(start, start + n)
    ]


# --- award_issue_many ----------------------------------------------------------------------------


def test_a_batch_is_issued_signed_audited_and_announced_once(achievement, django_capture_on_commit_callbacks):
    batch = [*people(3), Recipient(email="not an email", name="", idempotency_key="bad")]
    with (
        mock.patch("credentials.signals.award_issued.send") as announced,
        django_capture_on_commit_callbacks(execute=True),
    ):
        results = award_issue_many(achievement=achievement, recipients=batch)
    awards, refused = results[:3], results[3]
    assert all(isinstance(award, Award) and award.pk for award in awards)
    assert isinstance(refused, ValidationError)
    assert set(refused.message_dict) == {"recipient_email", "recipient_name"}
    assert Award.objects.count() == 3
    for award in Award.objects.all():
        assert verify_credential(award.credential).ok
        assert award.credential["credentialStatus"]["statusListIndex"] == str(award.status_index)
    assert len({award.status_index for award in awards}) == 3
    assert AuditEntry.objects.filter(action="award.issue").count() == 3
    [call] = announced.call_args_list
    assert call.kwargs["award_ids"] == [award.pk for award in awards]


def test_a_batch_returns_awards_already_issued_under_its_keys(achievement, django_capture_on_commit_callbacks):
    earlier = award_issue(achievement=achievement, recipient=Recipient(email="p1@example.org", name="P",
                                                                         idempotency_key="k1"))  # fmt: skip
    twice = [*people(3), people(1, start=2)[0]]  # k2 twice in one batch: one award
    results = award_issue_many(achievement=achievement, recipients=twice)
    assert results[1].pk == earlier.pk
    assert results[2] is results[3]
    assert Award.objects.count() == 3


def test_a_batch_costs_a_few_queries_whatever_its_size(achievement, django_assert_max_num_queries):
    award_issue_many(achievement=achievement, recipients=people(2))  # the status list exists
    with django_assert_max_num_queries(12):  # 11 on SQLite (two INSERTs of 25 awards), as many for 500
        results = award_issue_many(achievement=achievement, recipients=people(50, start=10))
    assert len([r for r in results if isinstance(r, Award)]) == 50


def test_indexes_taken_meanwhile_are_drawn_again(achievement):
    first = award_issue(achievement=achievement, recipient=Recipient(email="a@example.org", name="A"))
    StatusList.objects.filter(pk=first.status_list_id).update(size=8)  # a small list, for the test
    Award.objects.filter(pk=first.pk).update(status_index=3)
    draws = itertools.cycle([3, 5, 3, 6])  # 3 is taken
    with mock.patch("secrets.randbelow", side_effect=lambda n: next(draws)):
        awards = award_issue_many(achievement=achievement, recipients=people(2))
    assert [(a.status_list_id, a.status_index) for a in awards] == [(first.status_list_id, i) for i in (5, 6)]


def test_a_full_status_list_makes_the_batch_open_a_new_one(achievement):
    first = award_issue(achievement=achievement, recipient=Recipient(email="a@example.org", name="A"))
    small = first.status_list
    StatusList.objects.filter(pk=small.pk).update(size=8)
    Award.objects.filter(pk=first.pk).update(status_index=3)
    real = secrets.randbelow
    with mock.patch("secrets.randbelow", side_effect=lambda n: 3 if n == 8 else real(n)):  # every draw collides
        awards = award_issue_many(achievement=achievement, recipients=people(2))
    lists = {award.status_list_id for award in awards}
    assert len(lists) == 1 and small.pk not in lists
    assert StatusList.objects.get(pk=small.pk).used == MIN_BITS  # marked full: not used again
    assert StatusList.objects.get(pk=lists.pop()).size == MIN_BITS
    assert all(verify_credential(award.credential).ok for award in awards)


# --- Follow-ups of a batch -------------------------------------------------------------------------


def test_baked_images_of_a_batch_read_the_achievement_image_once(achievement):
    with mock.patch("credentials.signals.award_issued.send"):
        awards = award_issue_many(achievement=achievement, recipients=people(5))
    ids = [award.pk for award in awards]
    with mock.patch.object(images, "achievement_png", wraps=images.achievement_png) as read:
        assert artifacts.awards_bake_images(award_ids=ids) == {"awards": 5, "stored": 15}
    assert read.call_count == 1
    award = awards[0]
    with default_storage.open(images.baked_png_path(award, version="ob3"), "rb") as handle:
        assert extract_png(handle.read()).json() == award.credential
    with default_storage.open(images.baked_png_path(award, version="ob2"), "rb") as handle:
        assert extract_png(handle.read()).json()["id"].endswith(f"/{award.public_id}.json")
    with default_storage.open(images.baked_png_path(award, version="all"), "rb") as handle:
        both = handle.read()
    assert extract_png(both).json() == award.credential
    assert extract_png(both, version="2.0").json()["id"].endswith(f"/{award.public_id}.json")
    # idempotent: stored files are kept
    assert artifacts.awards_bake_images(award_ids=ids) == {"awards": 5, "stored": 0}


def test_claim_emails_of_a_batch_in_each_recipients_language(
    achievement, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with mock.patch("credentials.signals.award_issued.send"):
        awards = award_issue_many(
            achievement=achievement,
            recipients=[
                *people(2, language="fr"),
                *people(2, start=2, language="es"),
                *people(2, start=4, language="en"),
            ],
        )
    award_revoke(award=awards[5], reason="Issued in error")
    ids = [award.pk for award in awards]
    with (
        mock.patch.object(services, "outbox_enqueue") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(8),
    ):
        queued = claims.claim_emails_queue(award_ids=ids)
    assert set(queued) == set(ids[:5])  # nothing for the revoked award
    languages = {award_id: email.language for award_id, email in queued.items()}
    assert [languages[i] for i in ids[:5]] == ["fr", "fr", "es", "es", "en"]
    assert OutboxEmail.objects.count() == 5
    assert AuditEntry.objects.filter(action="email.queue").count() == 5
    assert sorted(enqueue.call_args.args[0]) == sorted(email.pk for email in queued.values())
    subjects = {email.language: email.subject for email in queued.values()}
    assert len(set(subjects.values())) == 3  # three languages, three subjects
    # again: the same rows, nothing new
    assert {k: v.pk for k, v in claims.claim_emails_queue(award_ids=ids).items()} == {
        k: v.pk for k, v in queued.items()
    }
    assert OutboxEmail.objects.count() == 5


def test_one_announcement_queues_the_whole_batch(achievement, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        awards = award_issue_many(achievement=achievement, recipients=people(4))
    assert OutboxEmail.objects.filter(state="sent").count() == 4 and len(django_mail.outbox) == 4
    assert {m.to[0] for m in django_mail.outbox} == {award.recipient_email for award in awards}
    for award in awards:
        assert default_storage.exists(images.baked_png_path(award, version="ob3"))


# --- Sending a batch ------------------------------------------------------------------------------


class CountingBackend(LocmemBackend):
    """Counts opened connections; raises queued errors for the recipients named in `refuse`."""

    opened = 0
    refuse: dict[str, BaseException] = {}

    def open(self):
        CountingBackend.opened += 1
        return True

    def send_messages(self, messages):
        for message in messages:
            if message.to[0] in CountingBackend.refuse:
                raise CountingBackend.refuse.pop(message.to[0])
        return super().send_messages(messages)


@pytest.fixture
def counting(settings):
    settings.EMAIL_BACKEND = "tests.credentials.test_batches.CountingBackend"
    CountingBackend.opened = 0
    CountingBackend.refuse = {}
    yield CountingBackend
    CountingBackend.refuse = {}


def queued_emails(achievement, n):
    with mock.patch("credentials.signals.award_issued.send"):
        awards = award_issue_many(achievement=achievement, recipients=people(n))
    with mock.patch.object(services, "outbox_enqueue"):
        return [email.pk for email in claims.claim_emails_queue(award_ids=[a.pk for a in awards]).values()]


def test_a_batch_is_sent_over_one_connection_each_email_once(achievement, counting):
    ids = queued_emails(achievement, 5)
    assert sending.outbox_send_many(email_ids=ids) == dict.fromkeys(ids, "sent")
    assert counting.opened == 1 and len(django_mail.outbox) == 5
    assert sending.outbox_send_many(email_ids=ids) == {}  # claimed rows only: nothing twice
    assert len(django_mail.outbox) == 5
    assert AuditEntry.objects.filter(action="email.send").count() == 5


def test_a_transient_failure_in_a_batch_is_retried_alone(achievement, counting, monkeypatch):
    ids = queued_emails(achievement, 3)
    counting.refuse = {
        "p0@example.org": smtplib.SMTPServerDisconnected("gone"),
        "p1@example.org": smtplib.SMTPRecipientsRefused({"p1@example.org": (550, b"no such user")}),
    }
    retries = []
    monkeypatch.setattr(tasks.outbox_send, "apply_async", lambda args, countdown: retries.append((args, countdown)))
    tasks.outbox_send_many.push_request(is_eager=False)  # as a worker runs it
    try:
        counts = tasks.outbox_send_many.run(ids)
    finally:
        tasks.outbox_send_many.pop_request()
    assert counts == {"queued": 1, "failed": 1, "sent": 1}
    states = dict(OutboxEmail.objects.values_list("to_email", "state"))
    assert states == {"p0@example.org": "queued", "p1@example.org": "failed", "p2@example.org": "sent"}
    first = OutboxEmail.objects.get(to_email="p0@example.org")
    assert retries == [((first.pk,), tasks.send_backoff(0))]
    assert "SMTPServerDisconnected: gone" in first.last_error
    # the retry sends it, once
    assert sending.outbox_send(email_id=first.pk) == "sent"
    assert sorted(m.to[0] for m in django_mail.outbox) == ["p0@example.org", "p2@example.org"]


def test_in_process_a_transient_failure_is_final(achievement, counting):
    ids = queued_emails(achievement, 1)
    counting.refuse = {"p0@example.org": smtplib.SMTPServerDisconnected("gone")}
    assert tasks.outbox_send_many.delay(ids).get() == {"failed": 1}
    assert OutboxEmail.objects.get().state == "failed"


# --- Queues -----------------------------------------------------------------------------------------


def test_tasks_are_routed_to_their_queues(settings):
    from config.celery_app import app

    default = settings.CELERY_TASK_DEFAULT_QUEUE
    route = app.amqp.router.route
    assert route({}, "credentials.bulk.tasks.bulk_job_chunk")["queue"].name == default
    assert route({}, "credentials.tasks.awards_bake_images")["queue"].name == default
    assert route({}, "credentials.mail_tasks.claim_emails")["queue"].name == default
    assert route({}, "credentials.mail_tasks.outbox_send_many")["queue"].name == f"{default}.mail"
    assert route({}, "credentials.mail_tasks.outbox_send")["queue"].name == f"{default}.mail"
    assert route({}, "credentials.tasks.awards_render_pdfs")["queue"].name == f"{default}.documents"
    # a worker without -Q consumes the three, in this order, always from the first non-empty one
    assert [queue.name for queue in app.conf.task_queues] == [default, f"{default}.mail", f"{default}.documents"]
    assert app.conf.broker_transport_options["queue_order_strategy"] == "priority"
