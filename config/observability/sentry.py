"""Errors to Sentry (or a compatible service) when SENTRY_DSN is set; nothing is sent otherwise.

No personal data by default (send_default_pii=False: no cookies, user ids or client addresses); each event
carries the request id (tag `request_id`), so a Sentry event leads to the log lines of the same request or task.
"""

from . import requestid


def _tag_request_id(event, hint):
    current = requestid.request_id.get()
    if current:
        event.setdefault("tags", {})["request_id"] = current
    return event


def init(*, dsn: str, environment: str = "", release: str = "", traces_sample_rate: float = 0.0) -> bool:
    """sentry_sdk.init with the Django and Celery integrations; False (and no init) without a DSN."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        before_send=_tag_request_id,
    )
    return True
