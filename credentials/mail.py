"""Outgoing mail through the outbox: render in the recipient's language, store, send once.

`mail()` is the one entry point. It renders the subject, text and HTML templates of an email inside
`translation.override(<recipient's language>)`, writes an `OutboxEmail` row (idempotent on `dedupe_key`:
queueing the same email again returns the row already there) and enqueues `outbox_send` on commit.

`outbox_send()` claims the row with a conditional UPDATE (queued → sending), so two workers or a retried
task never send the same row twice, then marks it sent or failed. Transient SMTP errors (connection
problems, 4xx replies) put the row back to queued and raise `TransientMailError` for the task to retry with
backoff; permanent ones (5xx replies, bad addresses) mark it failed with the error text.

Claim emails and reminders are built on top: `claim_email_queue()` (one per award) and
`claim_reminders_queue()` (reminder n once the n-th threshold of CLAIM_REMINDER_DAYS has passed).
"""

import contextlib
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import access
from audit.services import audit_record, audit_record_many

from .links import absolute, claim_url
from .models import Award, OutboxEmail

logger = logging.getLogger(__name__)

KIND_CLAIM = "claim"
KIND_CLAIM_REMINDER = "claim_reminder"
# Emails that only make sense while the credential waits for an answer: not sent once it is accepted,
# declined, revoked or expired (checked when queueing and again when sending).
ONLY_WHILE_ISSUED = frozenset({KIND_CLAIM, KIND_CLAIM_REMINDER})
DEFAULT_REMINDER_DAYS = (7, 30)
SEND_BATCH = 50  # emails per send task (one SMTP connection)
SMTP_TIMEOUT = 30  # seconds; below the soft time limit of credentials.mail_tasks.outbox_send


class TransientMailError(Exception):
    """Sending failed for a reason that may go away (connection, 4xx reply): retry later."""


# --- Queueing ---------------------------------------------------------------------------------------


def _language(language: str) -> str:
    """The closest language the site supports (fr-ca → fr); the default language for anything else."""
    try:
        return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _render(template: str, context: dict, language: str) -> tuple[str, str, str]:
    base = template if "/" in template else f"credentials/email/{template}"
    with translation.override(language):
        subject = render_to_string(f"{base}_subject.txt", context)
        body_text = render_to_string(f"{base}_body.txt", context)
        body_html = render_to_string(f"{base}_body.html", context)
    return " ".join(subject.split()), body_text.strip() + "\n", body_html


def _enqueue_send(email_ids: list[int]) -> None:
    """One send task per SEND_BATCH emails (mail queue)."""
    from .mail_tasks import outbox_send, outbox_send_many

    if len(email_ids) == 1:
        outbox_send.delay(email_ids[0])
        return
    for start in range(0, len(email_ids), SEND_BATCH):
        outbox_send_many.delay(list(email_ids[start : start + SEND_BATCH]))


@transaction.atomic
def mail(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    kind: str,
    dedupe_key: str,
    award: Award | None = None,
) -> OutboxEmail:
    """Render `templates/credentials/email/<template>_{subject.txt,body.txt,body.html}` (or, when `template`
    has a "/", `templates/<template>_…`, for other apps' emails) in `language`,
    store the email in the outbox and send it after the transaction commits.

    Idempotent: with a `dedupe_key` already in the outbox, the existing row is returned and nothing is
    rendered, stored or sent again. mail_many() does the same for many emails at once.
    """
    message = {"to": to, "template": template, "context": context, "language": language, "kind": kind,
               "dedupe_key": dedupe_key, "award": award}  # fmt: skip
    return mail_many([message])[0]


@transaction.atomic
def mail_many(messages: list[dict]) -> list[OutboxEmail]:
    """mail() for a batch (each item holds mail()'s keyword arguments): one query for the dedupe keys already
    queued, one insert and one audit insert for the new rows, one send task after commit. Returns the rows
    in the order of `messages` (the existing row for a dedupe key already queued, or repeated)."""
    keys = [message["dedupe_key"] for message in messages]
    rows = {email.dedupe_key: email for email in OutboxEmail.objects.filter(dedupe_key__in=keys)}
    new: list[OutboxEmail] = []
    for message in sorted(messages, key=lambda item: item["language"] or ""):  # one language switch per language
        if message["dedupe_key"] in rows:
            continue
        language = _language(message["language"])
        subject, body_text, body_html = _render(message["template"], message["context"], language)
        email = OutboxEmail(
            kind=message["kind"],
            dedupe_key=message["dedupe_key"],
            award=message.get("award"),
            to_email=message["to"],
            language=language,
            subject=subject[: OutboxEmail._meta.get_field("subject").max_length],
            body_text=body_text,
            body_html=body_html,
        )
        rows[email.dedupe_key] = email
        new.append(email)
    if new:
        try:
            with transaction.atomic():
                OutboxEmail.objects.bulk_create(new)
        except IntegrityError:
            # A concurrent call queued some of these keys first: insert one by one, keeping their rows.
            new = [email for email in new if _insert_or_take(email, rows)]
        audit_record_many(
            action="email.queue",
            subjects=new,
            data=lambda email: {"kind": email.kind, "dedupe_key": email.dedupe_key, "to": email.to_email},
        )
        ids = [email.pk for email in new]
        transaction.on_commit(lambda: _enqueue_send(ids))
    return [rows[key] for key in keys]


def _insert_or_take(email: OutboxEmail, rows: dict) -> bool:
    """Insert one email; if its dedupe key is taken meanwhile, put the existing row in `rows` instead.
    Returns whether it was inserted."""
    try:
        with transaction.atomic():
            email.pk = None
            email.save(force_insert=True)
        return True
    except IntegrityError:
        existing = OutboxEmail.objects.filter(dedupe_key=email.dedupe_key).first()
        if existing is None:
            raise
        rows[email.dedupe_key] = existing
        return False


# --- Sending ----------------------------------------------------------------------------------------


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


def _not_sendable_reason(email: OutboxEmail) -> str:
    if email.kind not in ONLY_WHILE_ISSUED:
        return ""
    award = email.award
    if award is None:
        return _("Not sent: the credential no longer exists.")
    if award.effective_state != Award.State.ISSUED:
        return _("Not sent: the credential is %(state)s.") % {"state": Award.State(award.effective_state).label.lower()}
    return ""


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


@transaction.atomic
def outbox_retry(*, email: OutboxEmail, actor=None) -> bool:
    """Queue a failed email again (staff action: `credentials.change_outboxemail`). Only failed rows: a sent
    row is never sent twice."""
    access.require(actor, "credentials.change_outboxemail", obj=email)
    retried = OutboxEmail.objects.filter(pk=email.pk, state=OutboxEmail.State.FAILED).update(
        state=OutboxEmail.State.QUEUED
    )
    if not retried:
        return False
    audit_record(action="email.retry", subject=email, actor=actor, data={"last_error": email.last_error})
    transaction.on_commit(lambda: _enqueue_send([email.pk]))
    return True


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
        OutboxEmail.objects.filter(state=OutboxEmail.State.SENDING, sending_since__lte=now - STUCK_AFTER).order_by(
            "pk"
        )
    )
    for email in stuck:
        _finish(
            email,
            state=OutboxEmail.State.FAILED,
            error=_("Interrupted while sending (the worker stopped): it may or may not have been delivered. "
                    "Retry it if the recipient did not get it."),  # fmt: skip
        )
    ids = list(
        OutboxEmail.objects.filter(state=OutboxEmail.State.QUEUED, attempts=0, created_at__lte=now - older_than)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _enqueue_send(ids)
    return len(ids)


# --- Claim emails and reminders ---------------------------------------------------------------------


def _award_context(award: Award) -> dict:
    achievement = award.achievement
    return {
        "award": award,
        "recipient_name": award.recipient_name,
        "achievement": achievement,
        "achievement_name": achievement.name,
        "issuer_name": achievement.issuer.name,
        "claim_url": claim_url(award),
        "badge_image_url": absolute("achievement_image", slug=achievement.slug),
        "verify_url": settings.BASE_URL + award.get_absolute_url(),
        "claim_days": settings.CLAIM_TOKEN_DAYS,
    }


def claim_email_queue(*, award: Award) -> OutboxEmail | None:
    """Queue the claim email of an award (once: dedupe key `claim:<pk>`), in the recipient's language.

    Nothing is queued for an award that no longer waits for an answer (revoked, expired, accepted, declined).
    """
    return claim_emails_queue(award_ids=[award.pk]).get(award.pk)


def claim_emails_queue(*, award_ids: list[int]) -> dict[int, OutboxEmail]:
    """Queue the claim emails of many awards at once (a bulk batch): one mail_many() call. Returns
    {award id: outbox row} for the awards still waiting for an answer (the others get nothing)."""
    awards = [
        award
        for award in Award.objects.select_related("achievement__issuer").filter(pk__in=award_ids).order_by("pk")
        if award.effective_state == Award.State.ISSUED
    ]
    messages = [
        {
            "to": award.recipient_email,
            "template": "claim",
            "context": _award_context(award),
            "language": award.recipient_language,
            "kind": KIND_CLAIM,
            "dedupe_key": f"claim:{award.pk}",
            "award": award,
        }
        for award in awards
    ]
    return dict(zip([award.pk for award in awards], mail_many(messages), strict=True)) if messages else {}


def reminder_days() -> list[int]:
    """CLAIM_REMINDER_DAYS, sorted, positive, without duplicates (empty: no reminders)."""
    days = getattr(settings, "CLAIM_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)
    return sorted({int(day) for day in days if int(day) > 0})


def _reminder_key(number) -> Concat:
    return Concat(Value("reminder:"), Cast(OuterRef("pk"), CharField()), Value(f":{number}"), output_field=CharField())


def claim_reminders_queue(*, now=None) -> int:
    """Queue reminder n for every credential still waiting for an answer once the n-th threshold of
    CLAIM_REMINDER_DAYS has passed (dedupe key `reminder:<pk>:<n>`). Idempotent; meant to run daily.

    Days count from the issue date, or from the claim email when it was queued later (credentials issued
    with an earlier date). A run sends at most one reminder per credential, the latest one due: a credential
    that passed two thresholds since the last run gets one email, and earlier reminders are not sent after
    a later one. Returns the number of reminders queued.
    """
    now = now or timezone.now()
    days = reminder_days()
    claim_queued_at = OutboxEmail.objects.filter(
        dedupe_key=Concat(Value("claim:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    ).values("created_at")[:1]
    waiting = (
        Award.objects.filter(state=Award.State.ISSUED)
        .exclude(expires_at__lte=now)
        .annotate(since=Coalesce(Subquery(claim_queued_at), F("issued_at")))
    )
    queued = 0
    done: set[int] = set()
    for number in range(len(days), 0, -1):  # latest threshold first
        later = [Exists(OutboxEmail.objects.filter(dedupe_key=_reminder_key(n))) for n in range(number, len(days) + 1)]
        due = waiting.filter(since__lte=now - timedelta(days=days[number - 1]))
        for condition in later:
            due = due.exclude(condition)
        for pk in list(due.values_list("pk", flat=True).order_by("pk")):
            if pk in done:
                continue
            done.add(pk)
            if claim_reminder_queue(award_id=pk, number=number) is not None:
                queued += 1
    return queued


def claim_reminder_queue(*, award_id: int, number: int) -> OutboxEmail | None:
    """Queue reminder `number` of one award (dedupe key `reminder:<pk>:<number>`)."""
    award = Award.objects.select_related("achievement__issuer").filter(pk=award_id).first()
    if award is None or award.effective_state != Award.State.ISSUED:
        return None
    days = reminder_days()
    dedupe_key = f"reminder:{award.pk}:{number}"
    if OutboxEmail.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    context = {
        **_award_context(award),
        "reminder_number": number,
        "reminders_total": len(days),
        "is_last_reminder": number >= len(days),
    }
    return mail(
        to=award.recipient_email,
        template="claim_reminder",
        context=context,
        language=award.recipient_language,
        kind=KIND_CLAIM_REMINDER,
        dedupe_key=dedupe_key,
        award=award,
    )
