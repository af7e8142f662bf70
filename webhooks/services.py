"""Every write of the webhooks app. Staff services need `programmes.manage_staff` on the programme (its
managers, platform administrators) and are audited; `deliveries_create` runs on the credentials app's
signals (no actor: the event itself was checked and audited where it happened)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from credentials import fetch
from programmes.models import Programme

from .events import EVENTS
from .models import WebhookDelivery, WebhookSubscription

PERM = "programmes.manage_staff"


def _clean(url: str, events) -> tuple[str, list[str]]:
    errors = {}
    url = (url or "").strip()
    if not url:
        errors["url"] = _("Enter the address that receives the webhooks.")
    else:
        try:
            fetch.check_url(url)
        except fetch.FetchError as exc:
            errors["url"] = str(exc)
    if not isinstance(events, list | tuple) or not events:
        errors["events"] = _("Choose at least one event.")
    else:
        unknown = sorted({str(e) for e in events} - set(EVENTS))
        if unknown:
            errors["events"] = _("Unknown events: %(events)s.") % {"events": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    return url, [e for e in EVENTS if e in events]


@transaction.atomic
def webhook_subscription_create(*, programme: Programme, url: str, events: list[str], actor) -> WebhookSubscription:
    """A new subscription with a fresh signing secret (shown once by the console)."""
    access.require(actor, PERM, obj=programme)
    url, events = _clean(url, events)
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    subscription = WebhookSubscription.objects.create(
        programme=programme, url=url, events=events, created_by=created_by
    )
    audit_record(
        action="webhook.subscription.create",
        subject=subscription,
        actor=actor,
        data={"url": url, "events": events},
        programme=programme,
    )
    return subscription


@transaction.atomic
def webhook_subscription_update(
    *, subscription: WebhookSubscription, url: str, events: list[str], is_active: bool, actor
) -> WebhookSubscription:
    access.require(actor, PERM, obj=subscription.programme)
    url, events = _clean(url, events)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.url, subscription.events, subscription.is_active = url, events, bool(is_active)
    subscription.save(update_fields=["url", "events", "is_active"])
    audit_record(
        action="webhook.subscription.update",
        subject=subscription,
        actor=actor,
        data={"url": url, "events": events, "is_active": subscription.is_active},
        programme=subscription.programme_id,
    )
    return subscription


@transaction.atomic
def webhook_subscription_delete(*, subscription: WebhookSubscription, actor) -> None:
    """Delete a subscription and its delivery log (pending deliveries are not sent)."""
    access.require(actor, PERM, obj=subscription.programme)
    audit_record(
        action="webhook.subscription.delete",
        subject=subscription,
        actor=actor,
        data={"url": subscription.url},
        programme=subscription.programme_id,
    )
    subscription.delete()


@transaction.atomic
def webhook_redeliver(*, delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """Send a delivery again, with the same webhook-id (a receiver that saw it can drop it) and a fresh
    series of attempts."""
    subscription = WebhookSubscription.objects.select_related("programme").get(pk=delivery.subscription_id)
    access.require(actor, PERM, obj=subscription.programme)
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.state == WebhookDelivery.State.PENDING and delivery.attempts == 0:
        raise ValidationError(_("This delivery has not been attempted yet."))
    if not subscription.is_active:
        raise ValidationError(_("The subscription is paused: resume it before redelivering."))
    delivery.state = WebhookDelivery.State.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = None
    delivery.save(update_fields=["state", "attempts", "next_attempt_at", "updated_at"])
    audit_record(
        action="webhook.delivery.redeliver",
        subject=delivery,
        actor=actor,
        data={"webhook_id": delivery.webhook_id, "event": delivery.event_type},
        programme=subscription.programme_id,
    )
    _enqueue([delivery.pk])
    return delivery


def _enqueue(delivery_ids: list[int]) -> None:
    from .tasks import webhook_deliver

    if delivery_ids:
        transaction.on_commit(lambda: [webhook_deliver.delay(pk) for pk in delivery_ids])


def deliveries_create(*, programme_id: int | None, event_type: str, items: list[tuple[dict, str | None]]) -> list[int]:
    """One delivery per item (payload, dedupe key or None) for each active subscription of the programme to
    this event, enqueued after commit. An item already delivered under its dedupe key is skipped."""
    if programme_id is None or not items:
        return []
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(programme_id=programme_id, is_active=True)
        if event_type in s.events
    ]
    created = []
    with transaction.atomic():
        for subscription in subscriptions:
            for payload, dedupe_key in items:
                if dedupe_key and subscription.deliveries.filter(dedupe_key=dedupe_key).exists():
                    continue
                try:
                    with transaction.atomic():
                        delivery = WebhookDelivery.objects.create(
                            subscription=subscription, event_type=event_type, payload=payload, dedupe_key=dedupe_key
                        )
                except IntegrityError:  # the same announcement, handled at the same time elsewhere
                    continue
                created.append(delivery.pk)
        _enqueue(created)
    return created
