"""Publication workflow of achievements, and sending a claim email again: the staff console's writes.

An achievement is designed as a draft, submitted for review, published by a manager of its programme (or a
platform administrator) and finally archived; only a published achievement can be issued
(`credentials.services._award_build` refuses the others). Each step checks the permission for the
achievement's own programme, locks the row, checks the step is allowed from the current status and writes an
audit entry that carries the programme, in one transaction.

Kept apart from services.py so that the console's workflow reads as one piece.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

import access
from audit.services import audit_record
from outbox.models import OutboxEmail
from outbox.services import mail

from .claim_emails import KIND_CLAIM, _award_context
from .models import Achievement, Award
from .services import achievement_validate

Status = Achievement.Status
RESEND_INTERVAL = timedelta(minutes=10)  # a second click, or two colleagues at once, sends one email


def _locked(achievement: Achievement) -> Achievement:
    return Achievement.objects.select_for_update().select_related("tier", "category", "issuer").get(pk=achievement.pk)


def _move(achievement: Achievement, *, to: str, allowed_from: tuple[str, ...], action: str, actor) -> Achievement:
    locked = _locked(achievement)
    if locked.status not in allowed_from:
        raise ValidationError(
            _("“%(name)s” is %(status)s: it cannot be %(step)s.")
            % {"name": locked.name, "status": locked.get_status_display().lower(), "step": STEP_WORDS[to]}
        )
    before = locked.status
    locked.status = to
    locked.save(update_fields=["status"])
    audit_record(
        action=action,
        subject=locked,
        actor=actor,
        data={"from": before, "to": to},
        programme=locked.programme_id,
    )
    achievement.status = to
    return locked


# "it cannot be <step>": a context of their own, as "published" is also a date's label elsewhere ("publié le").
STEP_WORDS = {
    Status.SUBMITTED: pgettext_lazy("achievement step", "submitted for review"),
    Status.PUBLISHED: pgettext_lazy("achievement step", "published"),
    Status.ARCHIVED: pgettext_lazy("achievement step", "archived"),
    Status.DRAFT: pgettext_lazy("achievement step", "sent back to draft"),
}


@transaction.atomic
def achievement_submit(*, achievement: Achievement, actor=None) -> Achievement:
    """Draft → submitted: whoever may change the achievement asks a manager to publish it. The content rules
    are checked now, so that the reviewer never sees an achievement that could not be published."""
    access.require(actor, "credentials.change_achievement", obj=achievement)
    achievement_validate(_locked(achievement))
    return _move(
        achievement, to=Status.SUBMITTED, allowed_from=(Status.DRAFT,), action="achievement.submit", actor=actor
    )


@transaction.atomic
def achievement_return_to_draft(*, achievement: Achievement, actor=None) -> Achievement:
    """Submitted → draft: the reviewer (or the author) wants changes before publication."""
    access.require(actor, "credentials.change_achievement", obj=achievement)
    return _move(
        achievement, to=Status.DRAFT, allowed_from=(Status.SUBMITTED,), action="achievement.return", actor=actor
    )


@transaction.atomic
def achievement_publish(*, achievement: Achievement, actor=None) -> Achievement:
    """Draft or submitted → published (a manager of its programme or an administrator): it can be issued from
    now on. Checked once more against the framework's content rules, which may have changed since."""
    access.require(actor, "credentials.publish_achievement", obj=achievement)
    achievement_validate(_locked(achievement))
    return _move(
        achievement,
        to=Status.PUBLISHED,
        allowed_from=(Status.DRAFT, Status.SUBMITTED),
        action="achievement.publish",
        actor=actor,
    )


@transaction.atomic
def achievement_archive(*, achievement: Achievement, actor=None) -> Achievement:
    """Any status → archived: nothing more is issued; what was issued stays valid and verifiable. Publishing
    decides what can be issued, so archiving needs the same permission."""
    access.require(actor, "credentials.publish_achievement", obj=achievement)
    return _move(
        achievement,
        to=Status.ARCHIVED,
        allowed_from=(Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED),
        action="achievement.archive",
        actor=actor,
    )


@transaction.atomic
def award_resend_claim(*, award: Award, actor=None) -> OutboxEmail:
    """Queue the claim email of an award once more (a new signed link), in the recipient's language.

    Only while the award waits for an answer (not accepted, declined, revoked or expired), and at most once
    every RESEND_INTERVAL per award. Each resend has its own dedupe key, so the outbox sends it exactly once.
    """
    access.require(actor, "credentials.resend_claim", obj=award)
    award = Award.objects.select_for_update().select_related("achievement__issuer").get(pk=award.pk)
    if award.effective_state != Award.State.ISSUED:
        raise ValidationError(
            _("This credential is %(state)s: it no longer waits for an answer, so no claim email is sent.")
            % {"state": Award.State(award.effective_state).label.lower()}
        )
    sent = OutboxEmail.objects.filter(award=award, kind=KIND_CLAIM)
    last = sent.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None and timezone.now() - last < RESEND_INTERVAL:
        raise ValidationError(
            _("A claim email was queued for this credential less than %(minutes)d minutes ago. Wait a little.")
            % {"minutes": int(RESEND_INTERVAL.total_seconds() // 60)}
        )
    number = sent.count()
    email = mail(
        to=award.recipient_email,
        template="claim",
        context=_award_context(award),
        language=award.recipient_language,
        kind=KIND_CLAIM,
        dedupe_key=f"claim:{award.pk}:resend:{number}",
        award=award,
    )
    audit_record(
        action="award.resend_claim",
        subject=award,
        actor=actor,
        data={"email": email.pk, "number": number},
        programme=award.achievement.programme_id,
    )
    return email
