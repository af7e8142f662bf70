"""Issuing: one recipient or a batch of them, checked, signed at a free status index, audited, announced."""

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record_many
from frameworks.validators import is_http_url

from ..links import absolute
from ..models import Achievement, Award, SigningKey
from ..openbadges import ob3
from .issuers import issuer_active_key
from .status_lists import _insert_with_status_indexes


@dataclass(frozen=True)
class Recipient:
    """Who receives one award and what is said about it: everything of an award but the achievement.

    One value passed from the caller (a command, a CSV row, an event claim, a reissue) to the award, rather
    than the same dozen keyword arguments repeated by every function on the way. Checked when the award is
    built (`_award_build`), not here, so a batch can report every bad row.
    """

    email: str
    name: str
    kind: str = Award.RecipientKind.PERSON
    language: str = ""  # empty: the achievement's language
    issued_at: datetime | None = None  # None: now
    expires_at: datetime | None = None  # None: the achievement's validity, if any
    narrative: str = ""
    evidence: list | None = None
    external_id: str = ""
    idempotency_key: str | None = None
    replaces: Award | None = None
    companion_of: Award | None = None  # the certificate whose companion badge this is

    @classmethod
    def of_award(cls, award: Award, **changes) -> "Recipient":
        """The recipient of an existing award (for a reissue), with `changes` applied (a corrected name)."""
        recipient = cls(
            email=award.recipient_email,
            name=award.recipient_name,
            kind=award.recipient_kind,
            language=award.recipient_language,
            expires_at=award.expires_at,
            narrative=award.narrative,
            evidence=award.evidence,
            external_id=award.external_id,
        )
        return dataclasses.replace(recipient, **changes)


def _check_recipient(achievement: Achievement, *, email: str, name: str, kind: str) -> dict:
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["recipient_email"] = _("“%(email)s” is not a valid email address.") % {"email": email}
    if not name.strip():
        errors["recipient_name"] = _("The recipient's name is required.")
    if kind not in Award.RecipientKind.values:
        errors["recipient_kind"] = _("Recipient must be a person or an organisation.")
    elif achievement.category and kind not in (achievement.category.recipient_kinds or []):
        errors["recipient_kind"] = _("%(category)s badges are not awarded to a %(kind)s.") % {
            "category": achievement.category.name,
            "kind": Award.RecipientKind(kind).label.lower(),
        }
    return errors


def _award_build(*, achievement: Achievement, key: SigningKey, recipient: Recipient, actor=None) -> Award:
    """Check one recipient and build the unsaved award (not signed, no status index yet).
    Raises ValidationError naming each problem."""
    email = ob3.normalize_email(recipient.email or "")
    errors = _check_recipient(achievement, email=email, name=recipient.name or "", kind=recipient.kind)
    if not achievement.is_active:
        errors["achievement"] = _("“%(name)s” can no longer be issued.") % {"name": achievement.name}
    elif achievement.status != Achievement.Status.PUBLISHED:
        errors["achievement"] = _("“%(name)s” is not published: it cannot be issued yet.") % {"name": achievement.name}
    issued_at = recipient.issued_at or timezone.now()
    expires_at = recipient.expires_at
    if expires_at is None and achievement.validity_days:
        expires_at = issued_at + timedelta(days=achievement.validity_days)
    if expires_at is not None and expires_at <= issued_at:
        errors["expires_at"] = _("The expiry date must be after the issue date.")
    for item in recipient.evidence or []:
        if not isinstance(item, dict) or not (item.get("url") or item.get("narrative")):
            errors["evidence"] = _("Each piece of evidence needs a URL or a narrative.")
        elif item.get("url") and not is_http_url(item["url"]):
            errors["evidence"] = _("“%(url)s” is not a web address: evidence links start with https:// or http://.") % {
                "url": str(item["url"])[:200]
            }
    if errors:
        raise ValidationError(errors)
    salt = ob3.new_salt()
    award = Award(
        achievement=achievement,
        key=key,
        recipient_kind=recipient.kind,
        recipient_email=email,
        recipient_name=recipient.name.strip(),
        recipient_language=recipient.language or achievement.language,
        salt=salt,
        identity_hash=ob3.hash_email(email, salt),
        issued_at=issued_at,
        valid_from=issued_at,
        expires_at=expires_at,
        narrative=recipient.narrative,
        evidence=list(recipient.evidence or []),
        external_id=recipient.external_id,
        idempotency_key=recipient.idempotency_key,
        replaces=recipient.replaces,
        companion_of=recipient.companion_of,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    award.key.issuer = achievement.issuer
    return award


def _announce(award_ids: list[int]) -> None:
    """award_issued for these awards once the transaction commits (artefacts, claim emails)."""
    from ..signals import award_issued

    if award_ids:
        transaction.on_commit(lambda: award_issued.send(sender=Award, award_ids=list(award_ids)))


@transaction.atomic
def award_issue(*, achievement: Achievement, recipient: Recipient, actor=None) -> Award:
    """Issue one credential: validate, sign (Open Badges 3.0), write with an audit entry, enqueue artefacts.

    With `recipient.idempotency_key`, issuing the same key again returns the award already issued. Raises
    ValidationError naming each problem, PermissionDenied unless the actor may add awards. The same path as
    award_issue_many, with a batch of one.
    """
    access.require(actor, "credentials.add_award", obj=achievement)
    [result] = award_issue_many(achievement=achievement, recipients=[recipient], actor=actor)
    if isinstance(result, ValidationError):
        raise result
    return result


@transaction.atomic
def award_issue_many(
    *, achievement: Achievement, recipients: list[Recipient], actor=None, on_behalf_of=None
) -> list[Award | ValidationError]:
    """Issue credentials of one achievement to many recipients at once (bulk issuance): the same checks,
    signature and audit entry per award as award_issue, in a handful of queries for the whole batch.

    Returns, item by item, the award (the one already issued under the same idempotency key, if any) or the
    ValidationError that refused the item; refused items do not stop the others. One award_issued
    announcement covers the batch after commit.

    The actor needs `credentials.add_award`. `on_behalf_of` is for the system (actor=None) issuing what a
    user decided earlier, when that user's permission was checked (a bulk job's rows, checked when the job
    was started): the awards and audit entries name that user.
    """
    access.require(actor, "credentials.add_award", obj=achievement)
    if on_behalf_of is not None:
        if actor is not None:
            raise TypeError("on_behalf_of is for the system (actor=None) only")
        actor = on_behalf_of
    keys = [item.idempotency_key for item in recipients if item.idempotency_key]
    issued = {award.idempotency_key: award for award in Award.objects.filter(idempotency_key__in=keys)} if keys else {}
    key = issuer_active_key(achievement.issuer)
    results: list[Award | ValidationError] = []
    new: list[Award] = []
    for item in recipients:
        existing = issued.get(item.idempotency_key)
        if existing is not None:
            results.append(existing)
            continue
        try:
            award = _award_build(achievement=achievement, key=key, recipient=item, actor=actor)
        except ValidationError as exc:
            results.append(exc)
            continue
        if award.idempotency_key:
            issued[award.idempotency_key] = award  # the same key twice in one batch: one award
        results.append(award)
        new.append(award)
    if new:
        _insert_with_status_indexes(new)
        audit_record_many(
            action="award.issue",
            subjects=new,
            actor=actor,
            data=lambda award: {
                "achievement": achievement.slug,
                "replaces": award.replaces.public_id if award.replaces_id else None,
            },
        )
        _announce([award.pk for award in new])
        if achievement.publishing_mode == Achievement.Mode.CERTIFICATE_WITH_BADGES:
            _issue_companions(achievement, [award for award in new if award.replaces_id is None], actor=actor)
    return results


def _issue_companions(achievement: Achievement, certificates: list[Award], *, actor) -> None:
    """Issue the companion badges a certificate lists to each of its new awards, linked to it (`companion_of`,
    and evidence pointing at the certificate). The issuer's permission was checked for the certificate, whose
    definition lists them; a companion that can no longer be issued (archived, inactive) is left out. A
    reissued certificate gets none: its recipient keeps the companions of the first one (ADR 17)."""
    if not certificates:
        return
    companions = achievement.companions.filter(status=Achievement.Status.PUBLISHED, is_active=True).select_related(
        "issuer", "category"
    )
    behalf = actor if getattr(actor, "is_authenticated", False) else None
    for companion in companions:
        recipients = [
            Recipient(
                email=award.recipient_email,
                name=award.recipient_name,
                kind=award.recipient_kind,
                language=award.recipient_language,
                issued_at=award.issued_at,
                evidence=[{"url": absolute("verify_page", public_id=award.public_id), "name": achievement.name}],
                idempotency_key=f"companion:{award.public_id}:{companion.pk}",
                companion_of=award,
            )
            for award in certificates
        ]
        award_issue_many(achievement=companion, recipients=recipients, actor=None, on_behalf_of=behalf)
