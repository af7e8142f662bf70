"""Endorsements: asked of a colleague by the learner, given by them from a signed link, or issued by staff."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from credentials import keystore
from credentials import services as credential_services
from credentials.models import Award, Issuer
from credentials.openbadges import sign_credential
from credentials.openbadges.ob3 import normalize_email
from credentials.signals import announce_award_change

from .. import documents, selectors
from ..models import Endorsement
from .common import require_holder


@transaction.atomic
def endorsement_request(
    *, user, award: Award, endorser_name: str, endorser_email: str, message: str = "", language: str = ""
) -> Endorsement:
    """Ask a colleague or supervisor (no account needed) to endorse a credential; the email with a signed,
    expiring link is sent after commit."""
    require_holder(user, award)
    endorser_name, message = (endorser_name or "").strip(), (message or "").strip()
    endorser_email = normalize_email(endorser_email or "")
    errors = {}
    if not endorser_name:
        errors["endorser_name"] = _("Enter the name of the person you are asking.")
    try:
        validate_email(endorser_email)
    except ValidationError:
        errors["endorser_email"] = _("Enter a valid email address.")
    else:
        if endorser_email in selectors.verified_emails(user):
            errors["endorser_email"] = _("You cannot endorse your own credential: ask someone else.")
        elif Endorsement.objects.filter(
            award=award, endorser_email=endorser_email, state=Endorsement.State.REQUESTED
        ).exists():
            errors["endorser_email"] = _("You already asked this person; their link is still waiting.")
    if len(message) > 1000:
        errors["message"] = _("Keep the message under 1,000 characters.")
    if award.is_revoked:
        errors["__all__"] = _("A revoked credential cannot be endorsed.")
    since = timezone.now() - timedelta(days=1)
    if Endorsement.objects.filter(requested_by=user, requested_at__gte=since).count() >= (
        settings.ENDORSEMENT_REQUESTS_PER_DAY
    ):
        errors["__all__"] = _("You have sent many requests today; try again tomorrow.")
    if errors:
        raise ValidationError(errors)
    endorsement = Endorsement.objects.create(
        award=award,
        kind=Endorsement.Kind.PEER,
        requested_by=user,
        endorser_name=endorser_name[:200],
        endorser_email=endorser_email,
        message=message,
    )
    audit_record(action="wallet.endorsement.request", subject=endorsement, actor=user, data={"award": award.public_id})
    from ..mail import endorsement_request_queue

    endorsement_request_queue(endorsement=endorsement, language=language or settings.LANGUAGE_CODE)
    return endorsement


def _sign_endorsement(endorsement: Endorsement, issuer: Issuer) -> dict:
    key = credential_services.issuer_active_key(issuer)
    unsigned = documents.endorsement_ob3(endorsement, issuer=issuer, key=key)
    return sign_credential(
        unsigned,
        private_key=keystore.private_key(key.private_key_encrypted),
        verification_method=key.verification_method,
    )


def _check_comment(comment: str, name: str) -> dict:
    errors = {}
    if not (comment or "").strip():
        errors["comment"] = _("Write a few words about the person's achievement.")
    elif len(comment) > 3000:
        errors["comment"] = _("Keep the endorsement under 3,000 characters.")
    if not (name or "").strip():
        errors["endorser_name"] = _("Enter your name as it should appear.")
    return errors


def _announce(endorsement: Endorsement) -> None:
    """award_changed("endorsed") after commit, for the webhooks of the award's programme."""
    details = {
        "endorser_name": endorsement.endorser_name,
        "endorser_kind": endorsement.kind,
        "endorsed_at": endorsement.endorsed_at.isoformat() if endorsement.endorsed_at else None,
        "comment": endorsement.comment,
    }
    announce_award_change(endorsement.award_id, "endorsed", details)


@transaction.atomic
def endorsement_give(*, endorsement: Endorsement, endorser_name: str, endorser_title: str, comment: str) -> Endorsement:
    """The endorser's answer (from the signed link, checked by the view): signed by the award's issuer's key
    on behalf of the platform, which relays it."""
    endorsement = Endorsement.objects.select_for_update().select_related("award").get(pk=endorsement.pk)
    if endorsement.state != Endorsement.State.REQUESTED:
        raise ValidationError(_("This endorsement has already been answered."))
    errors = _check_comment(comment, endorser_name)
    if errors:
        raise ValidationError(errors)
    endorsement.endorser_name = endorser_name.strip()[:200]
    endorsement.endorser_title = (endorser_title or "").strip()[:200]
    endorsement.comment = comment.strip()
    endorsement.state = Endorsement.State.GIVEN
    endorsement.endorsed_at = timezone.now()
    award = Award.objects.select_related("achievement__issuer").get(pk=endorsement.award_id)
    endorsement.award = award
    endorsement.credential = _sign_endorsement(endorsement, award.achievement.issuer)
    endorsement.save()
    audit_record(action="wallet.endorsement.give", subject=endorsement, data={"award": award.public_id})
    _announce(endorsement)
    return endorsement


@transaction.atomic
def endorsement_decline(*, endorsement: Endorsement) -> Endorsement:
    endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if endorsement.state != Endorsement.State.REQUESTED:
        raise ValidationError(_("This endorsement has already been answered."))
    endorsement.state = Endorsement.State.DECLINED
    endorsement.save(update_fields=["state"])
    audit_record(action="wallet.endorsement.decline", subject=endorsement)
    return endorsement


@transaction.atomic
def endorsement_issue(
    *, award: Award, issuer: Issuer, comment: str, endorser_name: str = "", actor=None
) -> Endorsement:
    """An issuer (staff, in the console) endorses a learner's award; signed with that issuer's own key.
    The actor needs `wallets.add_endorsement` (learners' requests and answers are checked by their tokens)."""
    access.require(actor, "wallets.add_endorsement", obj=award)
    name = (endorser_name or issuer.name).strip()
    errors = _check_comment(comment, name)
    if award.is_revoked:
        errors["award"] = _("A revoked credential cannot be endorsed.")
    if errors:
        raise ValidationError(errors)
    endorsement = Endorsement(
        award=Award.objects.select_related("achievement").get(pk=award.pk),
        kind=Endorsement.Kind.ISSUER,
        endorser_issuer=issuer,
        endorser_name=name[:200],
        comment=comment.strip(),
        state=Endorsement.State.GIVEN,
        endorsed_at=timezone.now(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    endorsement.credential = _sign_endorsement(endorsement, issuer)
    endorsement.save()
    audit_record(action="wallet.endorsement.issue", subject=endorsement, actor=actor, data={"issuer": issuer.slug})
    _announce(endorsement)
    return endorsement


@transaction.atomic
def endorsement_set_hidden(*, user, public_id: str, hidden: bool) -> Endorsement:
    """The learner hides (or shows again) an endorsement of a credential in their wallet."""
    endorsement = Endorsement.objects.select_for_update().select_related("award").filter(public_id=public_id).first()
    if endorsement is None or not selectors.holds(user, endorsement.award):
        raise ValidationError(_("This endorsement is not about a credential in your wallet."))
    endorsement.is_hidden = bool(hidden)
    endorsement.save(update_fields=["is_hidden"])
    audit_record(
        action="wallet.endorsement.hide" if hidden else "wallet.endorsement.show", subject=endorsement, actor=user
    )
    return endorsement
