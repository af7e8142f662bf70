"""Writes of the surveys app: configure, send the due invitations, answer, opt out."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record, audit_record_many
from credentials.models import Achievement, Award
from credentials.openbadges.ob3 import normalize_email
from multilingual.text import translated

from . import mail, tokens
from .models import Applied, Frequency, Impact, Invitation, OptOut, Survey

KIND = "survey"
# Awards older than their survey's delay by more than this are not surveyed any more (a survey switched on
# today does not write to everyone ever awarded).
CATCH_UP_DAYS = 30


def email_hash(email: str) -> str:
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()


@transaction.atomic
def survey_configure(
    *, achievement: Achievement, actor, is_active: bool, delay_days: int, open_question: str = ""
) -> Survey:
    access.require(actor, "credentials.change_achievement", obj=achievement)
    if not 1 <= int(delay_days) <= 3650:
        raise ValidationError({"delay_days": _("Choose between 1 and 3650 days.")})
    survey, created = Survey.objects.update_or_create(
        achievement=achievement,
        defaults={"is_active": is_active, "delay_days": delay_days, "open_question": (open_question or "").strip()},
    )
    audit_record(
        action="survey.create" if created else "survey.change",
        subject=survey,
        actor=actor,
        data={"achievement": achievement.slug, "active": is_active, "delay_days": delay_days},
        programme=achievement.programme_id,
    )
    return survey


def _links(invitation: Invitation, award: Award) -> dict:
    base = settings.BASE_URL
    return {
        "survey_url": base + reverse("surveys:answer", kwargs={"token": tokens.answer_token(invitation.pk)}),
        "opt_out_url": base
        + reverse("surveys:opt_out", kwargs={"token": tokens.opt_out_token(email_hash(award.recipient_email))}),
    }


@transaction.atomic
def surveys_send_due(*, now=None, actor=None) -> int:
    """Invite the recipients whose award is `delay_days` old (at most CATCH_UP_DAYS more), once per award, in
    their language, unless they opted out or the award is revoked or declined. Idempotent; run daily."""
    access.require(actor, "credentials.change_achievement")
    now = now or timezone.now()
    opted_out = set(OptOut.objects.values_list("email_hash", flat=True))
    sent = 0
    for survey in Survey.objects.filter(is_active=True).select_related("achievement__issuer"):
        due = (
            Award.objects.filter(
                achievement=survey.achievement,
                issued_at__lte=now - timedelta(days=survey.delay_days),
                issued_at__gt=now - timedelta(days=survey.delay_days + CATCH_UP_DAYS),
                state__in=[Award.State.ISSUED, Award.State.ACCEPTED],
                survey_invitation__isnull=True,
            )
            .order_by("pk")
            .only("pk", "recipient_email", "recipient_name", "recipient_language", "achievement_id")
        )
        awards = [award for award in due if email_hash(award.recipient_email) not in opted_out]
        if not awards:
            continue
        invitations = Invitation.objects.bulk_create(
            [Invitation(survey=survey, award=award, language=award.recipient_language or "en", sent_at=now)
             for award in awards]
        )  # fmt: skip
        messages = [
            {
                "to": award.recipient_email,
                "template": "surveys/email/invitation",
                "context": {
                    "recipient_name": award.recipient_name,
                    "achievement_name": translated(survey.achievement, "name", invitation.language),
                    "issuer_name": survey.achievement.issuer.name,
                    "delay_days": survey.delay_days,
                    **_links(invitation, award),
                },  # fmt: skip
                "language": invitation.language,
                "kind": KIND,
                "dedupe_key": f"survey:{award.pk}",
                "award": award,
            }
            for invitation, award in zip(invitations, awards, strict=True)
        ]
        mail.mail_many(messages)
        audit_record_many(
            action="survey.invite",
            subjects=invitations,
            actor=actor,
            data={"achievement": survey.achievement.slug},
            programme=survey.achievement.programme_id,
        )
        sent += len(invitations)
    return sent


@transaction.atomic
def survey_answer(
    *, invitation: Invitation, applied: str, frequency: str, impact: int, comment: str = ""
) -> Invitation:
    """Record the recipient's answer (the signed link is their authority: checked by the view). Once."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("survey__achievement").get(pk=invitation.pk)
    )
    if invitation.answered_at is not None:
        raise ValidationError(_("This survey has already been answered. Thank you!"))
    errors = {}
    if applied not in Applied.values:
        errors["applied"] = _("Choose an answer.")
    if frequency not in Frequency.values:
        errors["frequency"] = _("Choose an answer.")
    if impact not in Impact.values:
        errors["impact"] = _("Choose an answer.")
    if errors:
        raise ValidationError(errors)
    invitation.applied, invitation.frequency, invitation.impact = applied, frequency, impact
    invitation.comment = (comment or "").strip()[:2000]
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["applied", "frequency", "impact", "comment", "answered_at"])
    audit_record(action="survey.answer", subject=invitation, data={"survey": invitation.survey_id},
                 programme=invitation.survey.achievement.programme_id)  # fmt: skip
    return invitation


@transaction.atomic
def survey_opt_out(*, email_hash_value: str) -> OptOut:
    """No more surveys to this address (only its hash is kept). Idempotent."""
    opt_out, created = OptOut.objects.get_or_create(email_hash=email_hash_value)
    if created:
        audit_record(action="survey.opt_out", subject=opt_out)
    return opt_out
