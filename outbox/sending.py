"""Sending the outbox: each row at most once.

`outbox_send()` claims the row with a conditional UPDATE (queued → sending), so two workers or a retried
task never send the same row twice, then marks it sent or failed. Transient SMTP errors (connection
problems, 4xx replies) put the row back to queued and raise `TransientMailError` for the task to retry with
backoff; permanent ones (5xx replies, bad addresses) mark it failed with the error text.

Apps above the outbox may stop an email of theirs at the last moment: `register_send_check(kind, func)`
(the credentials app does, for claim emails of awards that no longer wait for an answer). The outbox
imports none of them.
"""

import contextlib
import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record

from .models import OutboxEmail
from .services import outbox_enqueue

logger = logging.getLogger(__name__)

SMTP_TIMEOUT = 30  # seconds; below the soft time limit of the outbox_send task (outbox.tasks)


class TransientMailError(Exception):
    """Sending failed for a reason that may go away (connection, 4xx reply): retry later."""


def is_transient(exc: BaseException) -> bool:
    """Whether a send error may go away by itself (retry) or not (mark the email failed)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        # Every recipient was refused; temporary only if every refusal is a 4xx reply.
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPException):  # SMTPNotSupportedError and the like: configuration
        return False
    return isinstance(exc, ConnectionError | TimeoutError | OSError)  # network; SMTPException is an OSError


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


#: {email kind: check}; a check takes the row about to be sent and returns None (send it) or the reason it
#: must not be sent (recorded as the row's error; the row is marked failed).
SendCheck = Callable[[OutboxEmail], str | None]
_send_checks: dict[str, SendCheck] = {}


def register_send_check(kind: str, check: SendCheck) -> None:
    """Have `check` decide, just before sending, whether an email of this kind still goes out. Called from
    an AppConfig.ready of an app above the outbox; registering again for a kind replaces the check."""
    _send_checks[kind] = check


def _not_sendable_reason(email: OutboxEmail) -> str:
    check = _send_checks.get(email.kind)
    return (check(email) or "") if check else ""


def _finish(email: OutboxEmail, *, state: str, error: str = "") -> None:
    fields = {"state": state, "last_error": error}
    if state == OutboxEmail.State.SENT:
        fields["sent_at"] = timezone.now()
    with transaction.atomic():
        OutboxEmail.objects.filter(pk=email.pk, state=OutboxEmail.State.SENDING).update(**fields)
        if state != OutboxEmail.State.QUEUED:
            audit_record(
                action=f"email.{'send' if state == OutboxEmail.State.SENT else 'fail'}",
                subject=email,
                data={"kind": email.kind, "attempt": email.attempts, **({"error": error} if error else {})},
            )


def _connection():
    return get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT)


def _deliver(email: OutboxEmail, connection, *, final_attempt: bool) -> str:
    """Send one claimed row (state sending) and record the outcome. Returns the row's new state: sent,
    failed, or queued again after a transient failure (only when not `final_attempt`)."""
    reason = _not_sendable_reason(email)
    if reason:
        _finish(email, state=OutboxEmail.State.FAILED, error=reason)
        return OutboxEmail.State.FAILED
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        to=[email.to_email],
        headers={"Auto-Submitted": "auto-generated", "Content-Language": email.language},
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:
        error = email.last_error = _error_text(exc)
        if is_transient(exc) and not final_attempt:
            logger.warning("outbox email %s: transient error, will retry: %s", email.pk, error)
            _finish(email, state=OutboxEmail.State.QUEUED, error=error)
            return OutboxEmail.State.QUEUED
        logger.error("outbox email %s failed: %s", email.pk, error)
        _finish(email, state=OutboxEmail.State.FAILED, error=error)
        return OutboxEmail.State.FAILED
    _finish(email, state=OutboxEmail.State.SENT)
    return OutboxEmail.State.SENT


def outbox_send(*, email_id: int, final_attempt: bool = False) -> str:
    """Send one outbox email at most once. Returns the row's state afterwards ('missing' if there is none).

    Raises TransientMailError after a transient failure (the row is queued again) unless `final_attempt`,
    in which case the row is marked failed.
    """
    claimed = OutboxEmail.objects.filter(pk=email_id, state=OutboxEmail.State.QUEUED).update(
        state=OutboxEmail.State.SENDING, attempts=F("attempts") + 1, sending_since=timezone.now()
    )
    if not claimed:  # sent, failed, being sent by someone else, or gone: nothing to do
        state = OutboxEmail.objects.filter(pk=email_id).values_list("state", flat=True).first()
        return state or "missing"
    email = OutboxEmail.objects.select_related("award").get(pk=email_id)
    state = _deliver(email, _connection(), final_attempt=final_attempt)
    if state == OutboxEmail.State.QUEUED:
        raise TransientMailError(email.last_error or "transient error")
    return state


def outbox_send_many(*, email_ids: list[int], final_attempt: bool = False) -> dict[int, str]:
    """Send a batch of outbox emails over one connection, each at most once (rows are claimed together,
    queued → sending, so no other worker sends them). Returns {email id: state afterwards} for the rows this
    call claimed; a row left "queued" had a transient failure and is for the caller to retry alone, with
    backoff. With `final_attempt`, transient failures mark rows failed instead."""
    with transaction.atomic():
        ids = list(
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=email_ids, state=OutboxEmail.State.QUEUED)
            .values_list("pk", flat=True)
        )
        OutboxEmail.objects.filter(pk__in=ids, state=OutboxEmail.State.QUEUED).update(
            state=OutboxEmail.State.SENDING, attempts=F("attempts") + 1, sending_since=timezone.now()
        )
    emails = list(OutboxEmail.objects.select_related("award").filter(pk__in=ids).order_by("pk"))
    connection = _connection()
    results = {}
    try:
        connection.open()
    except Exception as exc:  # the server is unreachable: every message fails the same way, one by one
        logger.warning("outbox: could not open the mail connection: %s", _error_text(exc))
    try:
        for email in emails:
            results[email.pk] = _deliver(email, connection, final_attempt=final_attempt)
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection
            connection.close()
    return results


#: A row still "sending" this long after it was claimed was interrupted (the worker died between claiming
#: and recording the outcome); longer than any send task's hard time limit.
STUCK_AFTER = timedelta(hours=1)


def outbox_flush(*, older_than: timedelta = timedelta(minutes=15), now=None) -> int:
    """Enqueue again emails queued more than `older_than` ago and never attempted: their task was lost (the
    broker was down when the transaction committed, say). Rows already attempted have a retry scheduled or
    are done. Safe to run any time: sending claims each row once.

    Rows left "sending" for STUCK_AFTER were interrupted mid-send: whether the message left cannot be
    known, so they are not sent again (a retry never sends twice) but marked failed with that explanation,
    for staff to retry from the outbox if the recipient did not get it. Returns how many were enqueued."""
    now = now or timezone.now()
    stuck = list(
        OutboxEmail.objects.filter(state=OutboxEmail.State.SENDING, sending_since__lte=now - STUCK_AFTER).order_by("pk")
    )
    for email in stuck:
        _finish(
            email,
            state=OutboxEmail.State.FAILED,
            error=_(
                "Interrupted while sending (the worker stopped): it may or may not have been delivered. "
                "Retry it if the recipient did not get it."
            ),  # fmt: skip
        )
    ids = list(
        OutboxEmail.objects.filter(state=OutboxEmail.State.QUEUED, attempts=0, created_at__lte=now - older_than)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    outbox_enqueue(ids)
    return len(ids)
