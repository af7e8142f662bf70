"""Every event reaches its subscribers once its transaction commits, signed and verified by the receiver."""

import pytest

from credentials.bulk.services import bulk_job_start
from credentials.services import Recipient, award_accept, award_decline, award_issue
from credentials.services.lifecycle import award_expire_due
from webhooks.services import webhook_subscription_create

from .receiver import Receiver

pytestmark = pytest.mark.django_db

ALL = [
    "award.issued",
    "award.accepted",
    "award.declined",
    "award.revoked",
    "award.expired",
    "award.shared",
    "bulk_job.finished",
    "endorsement.received",
]


@pytest.fixture
def receiver(console, settings):
    settings.FETCH_ALLOWED_HOSTS = ["localhost"]
    with Receiver() as receiver:
        subscription = webhook_subscription_create(
            programme=console.a, url=receiver.url(), events=ALL, actor=console.users["manager"]
        )
        receiver.secret = subscription.secret
        yield receiver


def types(receiver) -> list[str]:
    assert receiver.rejected == []
    return [m["payload"]["type"] for m in receiver.received]


def test_accept_decline_and_expire(console, receiver, django_capture_on_commit_callbacks):
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=True):
        award = award_issue(
            achievement=console.achievement, recipient=Recipient(email="lea@example.org", name="Lea Martin")
        )
    with django_capture_on_commit_callbacks(execute=True):
        award_accept(award=award)
    with django_capture_on_commit_callbacks(execute=True):
        award_decline(award=award)
    type(award).objects.filter(pk=award.pk).update(expires_at=timezone.now() - timezone.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        award_expire_due()
    assert types(receiver) == ["award.issued", "award.accepted", "award.declined", "award.expired"]
    states = [m["payload"]["data"]["state"] for m in receiver.received]
    assert states == ["issued", "accepted", "declined", "expired"]
    assert {m["payload"]["data"]["id"] for m in receiver.received} == {award.public_id}


def test_nothing_is_sent_for_a_rolled_back_change(console, receiver):
    """Signals go out on commit: a refused or rolled-back change sends nothing."""
    from django.db import transaction

    with transaction.atomic():
        award_issue(achievement=console.achievement, recipient=Recipient(email="kim@example.org", name="Kim"))
        transaction.set_rollback(True)
    assert receiver.connections == []


def test_shared_and_endorsed(console, receiver, django_user_model, django_capture_on_commit_callbacks):
    from allauth.account.models import EmailAddress

    from wallets.services.endorsements import endorsement_issue
    from wallets.services.sharing import share_event_record

    holder = django_user_model.objects.create_user("amina", "amina@example.org", "pw")
    EmailAddress.objects.create(user=holder, email="amina@example.org", verified=True, primary=True)
    award = console.award  # issued to amina@example.org
    with django_capture_on_commit_callbacks(execute=True):
        assert share_event_record(award=award, channel="linkedin", user=holder) is not None
    with django_capture_on_commit_callbacks(execute=True):
        endorsement_issue(award=award, issuer=console.issuer, comment="Outstanding work.", actor=console.users["admin"])
    assert types(receiver) == ["award.shared", "endorsement.received"]
    shared, endorsed = (m["payload"]["data"] for m in receiver.received)
    assert (shared["id"], shared["channel"]) == (award.public_id, "linkedin")
    assert endorsed["award"]["id"] == award.public_id
    assert endorsed["endorsement"]["comment"] == "Outstanding work."
    assert endorsed["endorsement"]["endorser_kind"] == "issuer"


def test_bulk_job_finished(console, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bulk_job_start(job=console.job, actor=console.users["manager"])
    assert types(receiver) == ["award.issued", "bulk_job.finished"]
    job = receiver.received[1]["payload"]["data"]
    assert (job["id"], job["state"], job["created"], job["programme"]) == (console.job.pk, "done", 1, "nursing")
