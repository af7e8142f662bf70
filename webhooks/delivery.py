"""Sending one delivery: signed per the Standard Webhooks specification (the `standardwebhooks` library:
headers webhook-id, webhook-timestamp, webhook-signature over "<id>.<timestamp>.<body>"), through the
project's one outbound client, `credentials.fetch.request` (the SSRF guard: private addresses refused).

Each attempt is recorded on the row (attempts, response code, error). A 2xx answer is a success; any other
answer or a network error is tried again later with exponential backoff, up to MAX_ATTEMPTS, then the
delivery is failed (staff can redeliver it). A URL refused before any network (a private IP literal, a URL
that reads two ways) is failed at once: trying again would not change the answer.
"""

import json
from datetime import timedelta

from celery.utils.time import get_exponential_backoff_interval
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks import Webhook

from credentials import fetch

from .models import WebhookDelivery

MAX_ATTEMPTS = 5
TIMEOUT = 10  # seconds per connect or read
MAX_RESPONSE_BYTES = 256 * 1024
USER_AGENT = "Laurel webhooks"


def backoff(attempts: int) -> int:
    """Seconds before the next attempt after `attempts` failed ones: 30 s, 2, 8, 32 min, then at most 2 h."""
    return get_exponential_backoff_interval(factor=30, retries=2 * (attempts - 1), maximum=7200, full_jitter=False)


def body_of(delivery: WebhookDelivery) -> str:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False)


def signed_headers(delivery: WebhookDelivery, body: str, secret: str, now=None) -> dict:
    now = now or timezone.now()
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": delivery.webhook_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(delivery.webhook_id, now, body),
    }


def _start(delivery_id: int):
    """Count the attempt before sending (a crash mid-request still counts); None when nothing is to do."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update().select_related("subscription").filter(pk=delivery_id).first()
        )
        if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = None
        delivery.save(update_fields=["attempts", "next_attempt_at", "updated_at"])
        return delivery


def _finish(delivery: WebhookDelivery, *, code=None, error="", retry: bool, final: bool) -> tuple[str, int | None]:
    delivery.last_response_code = code
    delivery.last_error = error[:2000]
    countdown = None
    if code is not None and 200 <= code < 300:
        delivery.state = WebhookDelivery.State.SUCCEEDED
        delivery.delivered_at = timezone.now()
    elif retry and not final and delivery.attempts < MAX_ATTEMPTS:
        countdown = backoff(delivery.attempts)
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=countdown)
    else:
        delivery.state = WebhookDelivery.State.FAILED
    delivery.save(
        update_fields=["state", "last_response_code", "last_error", "next_attempt_at", "delivered_at", "updated_at"]
    )
    return delivery.state, countdown


def delivery_attempt(*, delivery_id: int, final: bool = False) -> tuple[str, int | None]:
    """One attempt of a pending delivery: (its state afterwards, seconds until the next attempt or None).
    Idempotent: a delivery that is not pending is left alone. `final`: no later attempt will come (no worker
    to retry, e.g. tasks run in-process), so a failure fails the delivery now."""
    delivery = _start(delivery_id)
    if delivery is None:
        state = WebhookDelivery.objects.filter(pk=delivery_id).values_list("state", flat=True).first()
        return state or "", None
    subscription = delivery.subscription
    if not subscription.is_active:
        return _finish(delivery, error=_("The subscription is paused."), retry=False, final=True)
    try:
        fetch.check_url(subscription.url)
    except fetch.FetchError as exc:
        return _finish(delivery, error=str(exc), retry=False, final=True)
    body = body_of(delivery)
    headers = signed_headers(delivery, body, subscription.secret)
    try:
        response = fetch.request(
            "POST",
            subscription.url,
            headers=headers,
            body=body.encode("utf-8"),
            timeout=TIMEOUT,
            max_bytes=MAX_RESPONSE_BYTES,
        )
    except fetch.FetchError as exc:
        return _finish(delivery, error=str(exc), retry=True, final=final)
    error = ""
    if not 200 <= response.status < 300:
        error = _("The receiver answered HTTP %(status)s.") % {"status": response.status}
    return _finish(delivery, code=response.status, error=error, retry=True, final=final)
