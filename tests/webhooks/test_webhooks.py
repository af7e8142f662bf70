"""Webhooks (issue 12.3): deliveries verified by a receiver that uses the `standardwebhooks` library, retries,
the SSRF guard, permissions and redelivery."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from credentials.services import Recipient, award_issue, award_revoke
from tests.staff.conftest import client_for
from webhooks import delivery as sending
from webhooks.models import WebhookDelivery, WebhookSubscription
from webhooks.services import (
    webhook_redeliver,
    webhook_subscription_create,
    webhook_subscription_delete,
    webhook_subscription_update,
)

from .receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def allow_localhost(settings):
    settings.FETCH_ALLOWED_HOSTS = ["localhost"]


def subscribe(w, receiver, events=("award.issued",), host="localhost"):
    subscription = webhook_subscription_create(
        programme=w.a, url=receiver.url(host), events=list(events), actor=w.users["manager"]
    )
    receiver.secret = subscription.secret
    return subscription


def issue(w, email="lea@example.org"):
    return award_issue(achievement=w.achievement, recipient=Recipient(email=email, name="Lea Martin"))


def test_secret_is_a_standard_webhooks_secret(console):
    subscription = webhook_subscription_create(
        programme=console.a, url="https://hooks.example.org/x", events=["award.issued"], actor=console.users["manager"]
    )
    assert subscription.secret.startswith("whsec_") and len(subscription.secret) > 40
    assert subscription.secret_hint.endswith(subscription.secret[-4:])
    other = webhook_subscription_create(
        programme=console.a, url="https://hooks.example.org/y", events=["award.issued"], actor=console.users["manager"]
    )
    assert other.secret != subscription.secret


def test_issuing_an_award_delivers_a_verified_award_issued(
    console, allow_localhost, django_capture_on_commit_callbacks
):
    w = console
    with Receiver() as receiver:
        subscription = subscribe(w, receiver)
        with django_capture_on_commit_callbacks(execute=True):
            award = issue(w)
    assert receiver.rejected == []
    assert len(receiver.received) == 1
    message = receiver.received[0]
    payload = message["payload"]
    assert payload["type"] == "award.issued"
    assert payload["timestamp"]
    data = payload["data"]
    assert data["id"] == award.public_id
    assert data["verify_url"].endswith(f"/c/{award.public_id}/")
    assert data["state"] == "issued"
    assert data["achievement"] == w.achievement.slug
    assert data["programme"] == "nursing"
    assert {"ob3_credential_url", "claim_url", "pdf_url"} <= set(data)
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert message["headers"]["webhook-id"] == delivery.webhook_id and delivery.webhook_id.startswith("msg_")
    assert message["headers"]["webhook-signature"].startswith("v1,")
    assert (delivery.state, delivery.attempts, delivery.last_response_code) == ("succeeded", 1, 200)
    assert delivery.delivered_at is not None


def test_a_forged_signature_is_rejected_by_the_receiver(console, allow_localhost, django_capture_on_commit_callbacks):
    """The receiver's check can fail: with another secret nothing is accepted and the delivery fails (400)."""
    w = console
    with Receiver() as receiver:
        subscription = subscribe(w, receiver)
        receiver.secret = "whsec_" + "A" * 43 + "="
        with django_capture_on_commit_callbacks(execute=True):
            issue(w)
    assert receiver.received == [] and len(receiver.rejected) == 1
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert (delivery.state, delivery.last_response_code) == ("failed", 400)


def test_a_receiver_failing_twice_then_succeeding(console, allow_localhost, django_capture_on_commit_callbacks):
    """500, 500, 200: pending with a later next attempt after each failure, then one succeeded delivery after
    three attempts, all with the same webhook-id (the task's retries call this same attempt)."""
    w = console
    with Receiver(statuses=[500, 500]) as receiver:
        subscription = subscribe(w, receiver)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            issue(w)
        for callback in callbacks:  # award_issued → the delivery row (its task is not run here)
            callback()
        delivery = WebhookDelivery.objects.get(subscription=subscription)
        states = []
        for _attempt in range(3):
            state, countdown = sending.delivery_attempt(delivery_id=delivery.pk)
            delivery.refresh_from_db()
            states.append((state, countdown is not None, delivery.last_response_code))
        assert states == [("pending", True, 500), ("pending", True, 500), ("succeeded", False, 200)]
        assert sending.delivery_attempt(delivery_id=delivery.pk) == ("succeeded", None)  # idempotent
    assert len(receiver.received) == 3
    assert {m["headers"]["webhook-id"] for m in receiver.received} == {delivery.webhook_id}
    assert WebhookDelivery.objects.filter(subscription=subscription).count() == 1
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("succeeded", 3, None)


def test_backoff_grows_and_the_last_attempt_fails(console, allow_localhost, django_capture_on_commit_callbacks):
    w = console
    assert [sending.backoff(n) for n in range(1, 5)] == [30, 120, 480, 1920]
    with Receiver(statuses=[503] * 10) as receiver:
        subscription = subscribe(w, receiver)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            issue(w)
        for callback in callbacks:
            callback()
        delivery = WebhookDelivery.objects.get(subscription=subscription)
        results = [sending.delivery_attempt(delivery_id=delivery.pk)[0] for _ in range(sending.MAX_ATTEMPTS)]
    assert results == ["pending"] * (sending.MAX_ATTEMPTS - 1) + ["failed"]
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_response_code) == (sending.MAX_ATTEMPTS, 503)
    assert "503" in delivery.last_error


def test_a_private_address_is_refused_and_nothing_arrives(console, settings, django_capture_on_commit_callbacks):
    """localhost is not allowed here: the SSRF guard refuses the address it resolves to; no connection."""
    settings.FETCH_ALLOWED_HOSTS = []
    w = console
    with Receiver() as receiver:
        subscription = subscribe(w, receiver)
        with django_capture_on_commit_callbacks(execute=True):
            issue(w)
    assert receiver.connections == [] and receiver.received == []
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert delivery.state == "failed"
    assert delivery.last_response_code is None
    assert "private or local address" in delivery.last_error


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/hook", "http://10.0.0.5/hook", "http://[::1]/hook", "ftp://hooks.example.org/x"]
)
def test_a_private_or_odd_url_is_refused_when_subscribing(console, url):
    with pytest.raises(ValidationError) as caught:
        webhook_subscription_create(
            programme=console.a, url=url, events=["award.issued"], actor=console.users["manager"]
        )
    assert "url" in caught.value.message_dict
    assert not WebhookSubscription.objects.exists()


def test_bad_events_are_refused(console):
    for events in ([], ["award.exploded"], "award.issued"):
        with pytest.raises(ValidationError) as caught:
            webhook_subscription_create(
                programme=console.a, url="https://hooks.example.org/x", events=events, actor=console.users["manager"]
            )
        assert "events" in caught.value.message_dict


@pytest.mark.parametrize("actor", ["viewer", "issuer", "other", "none"])
def test_only_managers_of_the_programme_manage_webhooks(console, actor):
    w = console
    user = w.users[actor]
    subscription = webhook_subscription_create(
        programme=w.a, url="https://hooks.example.org/x", events=["award.issued"], actor=w.users["manager"]
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event_type="award.issued", payload={}, state="failed", attempts=5
    )
    audits = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        webhook_subscription_create(programme=w.a, url="https://evil.example.org/", events=["award.issued"], actor=user)
    with pytest.raises(PermissionDenied):
        webhook_subscription_update(
            subscription=subscription,
            url="https://evil.example.org/",
            events=["award.revoked"],
            is_active=True,
            actor=user,
        )
    with pytest.raises(PermissionDenied):
        webhook_redeliver(delivery=delivery, actor=user)
    with pytest.raises(PermissionDenied):
        webhook_subscription_delete(subscription=subscription, actor=user)
    subscription.refresh_from_db()
    delivery.refresh_from_db()
    assert subscription.url == "https://hooks.example.org/x" and subscription.events == ["award.issued"]
    assert (delivery.state, delivery.attempts) == ("failed", 5)
    assert WebhookSubscription.objects.count() == 1 and AuditEntry.objects.count() == audits
    # and the pages
    client = client_for(user)
    expected = 404 if actor == "other" else 403
    assert client.get(f"/staff/p/{w.a.slug}/webhooks/").status_code == expected
    response = client.post(f"/staff/p/{w.a.slug}/webhooks/{subscription.pk}/delete/")
    assert response.status_code == expected
    assert WebhookSubscription.objects.filter(pk=subscription.pk).exists()


def test_services_are_audited(console):
    w = console
    manager = w.users["manager"]
    subscription = webhook_subscription_create(
        programme=w.a, url="https://hooks.example.org/x", events=["award.issued"], actor=manager
    )
    webhook_subscription_update(
        subscription=subscription,
        url="https://hooks.example.org/y",
        events=["award.revoked"],
        is_active=False,
        actor=manager,
    )
    webhook_subscription_delete(subscription=subscription, actor=manager)
    actions = list(
        AuditEntry.objects.filter(action__startswith="webhook.")
        .order_by("pk")
        .values_list("action", "actor", "programme_id")
    )
    assert actions == [
        ("webhook.subscription.create", manager.pk, w.a.pk),
        ("webhook.subscription.update", manager.pk, w.a.pk),
        ("webhook.subscription.delete", manager.pk, w.a.pk),
    ]


def test_redeliver_sends_the_same_message_again(console, allow_localhost, django_capture_on_commit_callbacks):
    w = console
    with Receiver(statuses=[500]) as receiver:
        subscription = subscribe(w, receiver)
        with django_capture_on_commit_callbacks(execute=True):
            issue(w)
        delivery = WebhookDelivery.objects.get(subscription=subscription)
        assert (delivery.state, delivery.last_response_code) == ("failed", 500)  # in-process: one attempt
        client = client_for(w.users["manager"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/staff/p/{w.a.slug}/webhooks/{subscription.pk}/deliveries/{delivery.pk}/redeliver/"
            )
        assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_response_code) == ("succeeded", 1, 200)
    assert [m["headers"]["webhook-id"] for m in receiver.received] == [delivery.webhook_id] * 2
    assert AuditEntry.objects.filter(action="webhook.delivery.redeliver", actor=w.users["manager"]).count() == 1


def test_a_paused_subscription_cannot_be_redelivered(console):
    w = console
    subscription = webhook_subscription_create(
        programme=w.a, url="https://hooks.example.org/x", events=["award.issued"], actor=w.users["manager"]
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event_type="award.issued", payload={}, state="failed", attempts=5
    )
    webhook_subscription_update(
        subscription=subscription, url=subscription.url, events=subscription.events, is_active=False,
        actor=w.users["manager"],
    )  # fmt: skip
    with pytest.raises(ValidationError):
        webhook_redeliver(delivery=delivery, actor=w.users["manager"])


def test_revoking_delivers_award_revoked_only_to_its_subscribers(
    console, allow_localhost, django_capture_on_commit_callbacks
):
    w = console
    with Receiver() as revoked, Receiver() as issued:
        subscribe(w, revoked, events=["award.revoked"])
        subscribe(w, issued, events=["award.issued"])
        with django_capture_on_commit_callbacks(execute=True):
            award = issue(w)
        with django_capture_on_commit_callbacks(execute=True):
            award_revoke(award=award, reason="Issued by mistake", actor=w.users["manager"])
    assert [m["payload"]["type"] for m in revoked.received] == ["award.revoked"]
    data = revoked.received[0]["payload"]["data"]
    assert (data["id"], data["state"], data["reason"]) == (award.public_id, "revoked", "Issued by mistake")
    assert [m["payload"]["type"] for m in issued.received] == ["award.issued"]


def test_award_issued_announced_twice_is_delivered_once(console, allow_localhost, django_capture_on_commit_callbacks):
    from credentials.signals import award_issued

    w = console
    with Receiver() as receiver:
        subscription = subscribe(w, receiver)
        with django_capture_on_commit_callbacks(execute=True):
            award = issue(w)
        with django_capture_on_commit_callbacks(execute=True):
            award_issued.send(sender=type(award), award_ids=[award.pk])
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.filter(subscription=subscription).count() == 1


def test_other_programmes_awards_are_not_sent(console, allow_localhost, django_capture_on_commit_callbacks):
    w = console
    with Receiver() as receiver:
        subscribe(w, receiver)
        with django_capture_on_commit_callbacks(execute=True):
            award_issue(achievement=w.other, recipient=Recipient(email="kai@example.org", name="Kai"))
    assert receiver.connections == []
    assert not WebhookDelivery.objects.exists()


def test_console_pages_show_the_secret_once_and_the_log(console):
    w = console
    client = client_for(w.users["manager"])
    home = client.get(f"/staff/p/{w.a.slug}/")
    assert f"/staff/p/{w.a.slug}/webhooks/" in home.content.decode()  # the navigation entry
    assert client.get(f"/staff/p/{w.a.slug}/webhooks/").status_code == 200
    page = client.get(f"/staff/p/{w.a.slug}/webhooks/new/").content.decode()
    assert 'type="checkbox"' in page and "award.issued" in page
    response = client.post(
        f"/staff/p/{w.a.slug}/webhooks/new/",
        {"url": "https://hooks.example.org/laurel", "events": ["award.issued", "bulk_job.finished"]},
    )
    assert response.status_code == 200
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret in response.content.decode()
    assert subscription.events == ["award.issued", "bulk_job.finished"]
    WebhookDelivery.objects.create(
        subscription=subscription, event_type="award.issued", payload={}, state="failed", attempts=5,
        last_response_code=502, last_error="The receiver answered HTTP 502.",
    )  # fmt: skip
    detail = client.get(f"/staff/p/{w.a.slug}/webhooks/{subscription.pk}/").content.decode()
    assert subscription.secret not in detail and subscription.secret_hint in detail
    assert "502" in detail and "Redeliver" in detail
    # bad input: a clear message, not a 500
    response = client.post(
        f"/staff/p/{w.a.slug}/webhooks/new/", {"url": "http://10.1.2.3/x", "events": ["award.issued"]}
    )
    assert response.status_code == 400
    assert "private or local address" in response.content.decode()
    response = client.post(f"/staff/p/{w.a.slug}/webhooks/new/", {"url": "https://hooks.example.org/2", "events": []})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert WebhookSubscription.objects.count() == 1
    assert client.get(f"/staff/p/{w.a.slug}/webhooks/999/").status_code == 404
