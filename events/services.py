"""Every write of the events app: keyword-only, atomic, one audit entry per state change.

Flow: staff create an event (`event_create`) → an attendee enters the code or scans the poster and asks
for the credential (`event_claim_request`: pending claim + confirmation email) → they open the emailed link
(`event_claim_confirm`: the award is issued, idempotently, and the claim confirmed).

Staff services need the model permission (`events.add_event`, `events.change_event`); attendees' services
are checked by the event's state and the emailed token instead, and issue as the system (actor=None).
"""

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from credentials.models import Award
from credentials.openbadges import ob3
from credentials.services import Recipient, award_issue
from multilingual.text import in_language
from outbox.services import mail

from .links import confirm_url, event_url
from .models import Event, EventClaim, new_claim_code
from .tokens import confirm_tokens

#: Confirmation emails per claim, and the least time between two of them (re-requests in between resend
#: nothing: the email already sent carries a valid link).
MAX_CONFIRM_EMAILS = 3
RESEND_AFTER = timedelta(minutes=10)
KIND_EVENT_CONFIRM = "event_confirm"

#: The confirmation email greets the attendee by at most this many characters of the name they typed: anyone
#: can send it to any address, so it must carry no message of theirs (no links, no long text).
EMAIL_NAME_LENGTH = 40
_LINKISH = re.compile(r"\S*(?:://|www\.|@)\S*|\S*[\w-]\.[a-z]{2,}\b\S*", re.IGNORECASE)

EVENT_FIELDS = (
    "achievement",
    "name",
    "description",
    "opens_at",
    "closes_at",
    "is_active",
    "max_claims",
    "translations",
)


def _refuse(status: str) -> ValidationError:
    """The ValidationError for an event that takes no claims now; its code is the Event.Status."""
    messages = {
        Event.Status.INACTIVE: _("This event is not taking claims."),
        Event.Status.NOT_YET_OPEN: _("Claims for this event are not open yet."),
        Event.Status.CLOSED: _("Claims for this event are closed."),
        Event.Status.FULL: _("This event has reached its maximum number of claims."),
    }
    return ValidationError(messages[status], code=status)


def _confirmed_count(event: Event) -> int:
    return event.claims.filter(state=EventClaim.State.CONFIRMED).count()


def event_check_open(*, event: Event, now=None) -> None:
    """Raise a ValidationError (code: the Event.Status) unless attendees can claim now."""
    status = event.status(now=now)
    if status == Event.Status.OPEN and event.max_claims is not None:
        status = event.status(confirmed=_confirmed_count(event), now=now)
    if status != Event.Status.OPEN:
        raise _refuse(status)


def award_idempotency_key(*, event: Event, email: str) -> str:
    """`event:<pk>:<email>`: confirming twice, or concurrently, issues one award. Award keys hold 100
    characters; a longer one (a very long address) uses the address's SHA-256 instead."""
    key = f"event:{event.pk}:{email}"
    if len(key) > Award._meta.get_field("idempotency_key").max_length:
        key = f"event:{event.pk}:sha256:{hashlib.sha256(email.encode()).hexdigest()}"
    return key


# --- Events -----------------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *,
    achievement,
    name: str,
    opens_at,
    closes_at,
    description: str = "",
    is_active: bool = True,
    max_claims: int | None = None,
    translations: dict | None = None,
    actor=None,
) -> Event:
    """Create an event with a new random claim code. Raises ValidationError naming each problem, and
    PermissionDenied unless the actor may add events."""
    access.require(actor, "events.add_event", obj=achievement)
    event = Event(
        achievement=achievement,
        name=name,
        description=description,
        opens_at=opens_at,
        closes_at=closes_at,
        is_active=is_active,
        max_claims=max_claims,
        translations=translations or {},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    event.full_clean(exclude=["code"])
    for _attempt in range(5):  # 31⁸ codes: a collision is rare, five in a row is a bug
        event.code = new_claim_code()
        if not Event.objects.filter(code=event.code).exists():
            try:
                with transaction.atomic():
                    event.save(force_insert=True)
                break
            except IntegrityError:
                event.pk = None
    else:  # pragma: no cover
        raise RuntimeError("could not draw a free claim code")
    audit_record(
        action="event.create",
        subject=event,
        actor=actor,
        data={"code": event.code, "achievement": achievement.slug, "name": event.name},
    )
    return event


@transaction.atomic
def event_update(*, event: Event, actor=None, **changes) -> Event:
    """Change an event's fields (EVENT_FIELDS; the code never changes). Raises ValidationError, and
    PermissionDenied unless the actor may change events."""
    access.require(actor, "events.change_event", obj=event)
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"event_update() cannot change {sorted(unknown)}")
    if "achievement" in changes and changes["achievement"] != event.achievement:  # may be another programme's
        access.require(actor, "events.add_event", obj=changes["achievement"])
    for field, value in changes.items():
        setattr(event, field, value)
    event.full_clean()
    event.save()
    changed = sorted(changes)
    audit_record(
        action="event.update",
        subject=event,
        actor=actor,
        data={"fields": changed, **({"is_active": event.is_active} if "is_active" in changes else {})},
    )
    return event


# --- Claims -----------------------------------------------------------------------------------------


def _check_attendee(*, email: str, name: str, language: str) -> None:
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ValidationError(_("Enter a valid email address."), code="invalid")
    if len(email) > EventClaim._meta.get_field("email").max_length:
        errors["email"] = ValidationError(_("This email address is too long."), code="invalid")
    if not name:
        errors["name"] = ValidationError(_("Enter your name as it should appear on the credential."), code="required")
    elif len(name) > EventClaim._meta.get_field("name").max_length:
        errors["name"] = ValidationError(_("This name is too long."), code="invalid")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = ValidationError(_("Choose one of the languages offered."), code="invalid")
    if errors:
        raise ValidationError(errors)


def email_name(name: str) -> str:
    """The attendee's name as the confirmation email quotes it: anything that looks like a link, a domain or an
    address removed, control characters and line breaks gone, at most EMAIL_NAME_LENGTH characters."""
    name = _LINKISH.sub(" ", "".join(char if char.isprintable() else " " for char in name or ""))
    name = " ".join(name.split())
    if len(name) > EMAIL_NAME_LENGTH:
        name = name[: EMAIL_NAME_LENGTH - 1].rstrip() + "…"
    return name


def _send_confirmation(claim: EventClaim, *, now) -> None:
    claim.emails_sent += 1
    claim.last_sent_at = now
    context = {  # the event and its credential in the attendee's language when translated
        "event": in_language(claim.event, claim.language),
        "achievement": in_language(claim.event.achievement, claim.language),
        "issuer_name": claim.event.achievement.issuer.name,
        "name": email_name(claim.name),
        "confirm_url": confirm_url(claim),
        "event_url": event_url(claim.event),
        "days": settings.EVENT_CONFIRM_DAYS,
    }
    mail(
        to=claim.email,
        template="events/email/confirm",
        context=context,
        language=claim.language,
        kind=KIND_EVENT_CONFIRM,
        dedupe_key=f"event_confirm:{claim.pk}:{claim.emails_sent}",
    )


@transaction.atomic
def event_claim_request(*, event: Event, email: str, name: str, language: str, now=None) -> EventClaim:
    """An attendee asks for the event's credential: check the event takes claims and the attendee's details,
    create (or refresh) their pending claim and email them a confirmation link in their language.

    Asking again re-sends the link at most every RESEND_AFTER and MAX_CONFIRM_EMAILS times in all; within
    RESEND_AFTER nothing is sent (the last email's link still works) but a corrected name or language is
    kept. Raises ValidationError: field errors (email, name, language), or a single error whose code is an
    Event.Status, "already_claimed" or "too_many_requests".
    """
    now = now or timezone.now()
    email = ob3.normalize_email(email or "")
    name = " ".join((name or "").split())
    event_check_open(event=event, now=now)
    _check_attendee(email=email, name=name, language=language)
    claim = EventClaim.objects.select_for_update().filter(event=event, email=email).first()
    if claim is None:
        try:
            with transaction.atomic():
                claim = EventClaim.objects.create(event=event, email=email, name=name, language=language)
        except IntegrityError:  # the same address at the same moment: carry on with that row
            claim = EventClaim.objects.select_for_update().get(event=event, email=email)
        else:
            claim.event = event
            _send_confirmation(claim, now=now)
            claim.save(update_fields=["emails_sent", "last_sent_at"])
            audit_record(action="event.claim_request", subject=claim, data={"event": event.code, "email_sent": 1})
            return claim
    claim.event = event
    if claim.is_confirmed:
        raise ValidationError(_("This address has already claimed this event's credential."), code="already_claimed")
    recent = claim.last_sent_at is not None and now - claim.last_sent_at < RESEND_AFTER
    if claim.emails_sent >= MAX_CONFIRM_EMAILS and not recent:
        raise ValidationError(
            _("We have already sent %(count)d confirmation emails to this address, which is as many as we send. "
              "Look for them in your spam or junk folder, or ask the organisers.") % {"count": claim.emails_sent},
            code="too_many_requests",
        )  # fmt: skip
    changed = [field for field, value in (("name", name), ("language", language)) if getattr(claim, field) != value]
    claim.name, claim.language = name, language
    if not recent:
        _send_confirmation(claim, now=now)
    if changed or not recent:
        claim.save(update_fields=["name", "language", "emails_sent", "last_sent_at"])
        audit_record(
            action="event.claim_request",
            subject=claim,
            data={"event": event.code, "email_sent": claim.emails_sent if not recent else None, "changed": changed},
        )
    return claim


@transaction.atomic
def event_claim_confirm(*, claim: EventClaim, token: str, now=None) -> EventClaim:
    """The attendee opened the emailed link: check it, issue the credential (idempotent: one award per event
    and address) and mark the claim confirmed with it.

    Raises credentials.tokens.TokenError (malformed, forged, expired, used) for a bad link, and
    ValidationError (code: an Event.Status) when the event was deactivated or filled up meanwhile. A request
    made while the window was open may be confirmed after it closes (within EVENT_CONFIRM_DAYS).
    """
    now = now or timezone.now()
    event = Event.objects.select_for_update().select_related("achievement__issuer").get(pk=claim.event_id)
    claim = EventClaim.objects.select_for_update().get(pk=claim.pk)
    claim.event = event
    confirm_tokens.check_token(claim, token)
    if not event.is_active:
        raise _refuse(Event.Status.INACTIVE)
    if event.max_claims is not None and _confirmed_count(event) >= event.max_claims:
        raise _refuse(Event.Status.FULL)
    award = award_issue(
        achievement=event.achievement,
        recipient=Recipient(
            email=claim.email,
            name=claim.name,
            language=claim.language,
            idempotency_key=award_idempotency_key(event=event, email=claim.email),
        ),
        actor=None,  # the system, on a claim the attendee proved with the emailed token (not staff)
    )
    claim.state = EventClaim.State.CONFIRMED
    claim.award = award
    claim.confirmed_at = now
    claim.save(update_fields=["state", "award", "confirmed_at"])
    audit_record(action="event.claim_confirm", subject=claim, data={"event": event.code, "award": award.public_id})
    return claim
