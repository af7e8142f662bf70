"""Queueing outgoing mail: render in the recipient's language, store in the outbox, send after commit.

`mail()` is the one entry point for every app's emails. It renders the subject, text and HTML templates of
an email inside `translation.override(<recipient's language>)`, writes an `OutboxEmail` row (idempotent on
`dedupe_key`: queueing the same email again returns the row already there) and enqueues the send task on
commit. Sending is outbox.sending. Apps build their emails on mail() (the claim emails and reminders are
credentials.claim_emails); the outbox imports none of them.
"""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import translation

import access
from audit.services import audit_record, audit_record_many

from .models import OutboxEmail

SEND_BATCH = 50  # emails per send task (one SMTP connection)


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


def outbox_enqueue(email_ids: list[int]) -> None:
    """Enqueue the send tasks of these rows: one per SEND_BATCH emails (mail queue). Also for outbox.sending
    (rows whose task was lost)."""
    from .tasks import outbox_send, outbox_send_many

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
    award: models.Model | None = None,  # a credentials.Award (OutboxEmail.award): the outbox never imports it
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
        transaction.on_commit(lambda: outbox_enqueue(ids))
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


@transaction.atomic
def outbox_retry(*, email: OutboxEmail, actor=None) -> bool:
    """Queue a failed email again (staff action: `outbox.change_outboxemail`). Only failed rows: a sent
    row is never sent twice."""
    access.require(actor, "outbox.change_outboxemail", obj=email)
    retried = OutboxEmail.objects.filter(pk=email.pk, state=OutboxEmail.State.FAILED).update(
        state=OutboxEmail.State.QUEUED
    )
    if not retried:
        return False
    audit_record(action="email.retry", subject=email, actor=actor, data={"last_error": email.last_error})
    transaction.on_commit(lambda: outbox_enqueue([email.pk]))
    return True
