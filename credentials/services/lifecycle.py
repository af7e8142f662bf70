"""What happens to an award after it is issued: revoke, reissue, accept, decline, expire, a wallet receives it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record

from ..models import Award, StatusList
from ..openbadges.status_list import StatusList as Bits
from ..signals import announce_award_change
from .issuing import Recipient, award_issue
from .status_lists import _sign


@transaction.atomic
def award_revoke(*, award: Award, reason: str, actor=None) -> Award:
    """Revoke: one bit in the status list and one field on the award; every public form reads them."""
    access.require(actor, "credentials.revoke_award", obj=award)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the credential is revoked; verifiers will read it.")})
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.is_revoked:
        raise ValidationError(_("This credential is already revoked."))
    status_list = StatusList.objects.select_for_update().get(pk=award.status_list_id)
    bits = Bits(data=bytes(status_list.bits))
    bits.set(award.status_index, True)
    status_list.bits = bits.to_bytes()
    status_list.signed_credential = None
    status_list.save(update_fields=["bits", "signed_credential", "updated_at"])
    award.state = Award.State.REVOKED
    award.revocation_reason = reason.strip()
    award.state_changed_at = timezone.now()
    award.save(update_fields=["state", "revocation_reason", "state_changed_at"])
    audit_record(action="award.revoke", subject=award, actor=actor, data={"reason": award.revocation_reason})
    announce_award_change(award.pk, "revoked", {"reason": award.revocation_reason})
    return award


@transaction.atomic
def award_reissue(*, award: Award, reason: str, actor=None, **changes) -> Award:
    """Correct an award: revoke it and issue a new one, linked to its predecessor (both permissions).

    `changes` are Recipient fields to correct (name="…", email="…"); the rest is the old award's."""
    access.require(actor, ("credentials.revoke_award", "credentials.add_award"), obj=award)
    unknown = set(changes) - {"email", "name", "kind", "language", "expires_at", "narrative", "evidence", "external_id"}
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} on reissue")
    award_revoke(award=award, reason=reason, actor=actor)
    recipient = Recipient.of_award(award, **changes, replaces=award)
    return award_issue(achievement=award.achievement, recipient=recipient, actor=actor)


def _set_state(award: Award, state: str, *, action: str, actor=None) -> Award:
    award.state = state
    award.state_changed_at = timezone.now()
    award.save(update_fields=["state", "state_changed_at"])
    audit_record(action=action, subject=award, actor=actor)
    announce_award_change(award.pk, state)
    return award


@transaction.atomic
def award_accept(*, award: Award, actor=None) -> Award:
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.effective_state not in (Award.State.ISSUED, Award.State.DECLINED):
        raise ValidationError(
            _("This credential cannot be accepted: it is %(state)s.")
            % {"state": Award.State(award.effective_state).label.lower()}
        )
    award = _set_state(award, Award.State.ACCEPTED, action="award.accept", actor=actor)
    _answer_companions(award, Award.State.ACCEPTED, action="award.accept", actor=actor)
    return award


@transaction.atomic
def award_decline(*, award: Award, actor=None) -> Award:
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.effective_state not in (Award.State.ISSUED, Award.State.ACCEPTED):
        raise ValidationError(
            _("This credential cannot be declined: it is %(state)s.")
            % {"state": Award.State(award.effective_state).label.lower()}
        )
    award = _set_state(award, Award.State.DECLINED, action="award.decline", actor=actor)
    _answer_companions(award, Award.State.DECLINED, action="award.decline", actor=actor)
    return award


def _answer_companions(certificate: Award, state: str, *, action: str, actor=None) -> None:
    """The recipient's answer to a certificate is their answer to its companion badges still waiting for one
    (one claim email covers them all). A companion already answered keeps its own answer."""
    waiting = Award.objects.select_for_update().filter(companion_of=certificate, state=Award.State.ISSUED)
    for companion in waiting.order_by("pk"):
        if companion.effective_state == Award.State.ISSUED:
            _set_state(companion, state, action=action, actor=actor)


def award_expire_due(*, now=None, actor=None) -> int:
    """Mark every award whose expiry has passed as expired (one audited transaction each). Idempotent."""
    now = now or timezone.now()
    due = Award.objects.filter(
        expires_at__lte=now, state__in=[Award.State.ISSUED, Award.State.ACCEPTED, Award.State.DECLINED]
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            award = Award.objects.select_for_update().get(pk=pk)
            if award.state != Award.State.REVOKED and award.is_expired and award.state != Award.State.EXPIRED:
                _set_state(award, Award.State.EXPIRED, action="award.expire", actor=actor)
                count += 1
    return count


@transaction.atomic
def award_record_holder(*, award: Award, holder_did: str, actor=None) -> Award:
    """Record the DID of the wallet that received the award (audited each time a wallet receives it)."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    previous = award.holder_did
    if previous != holder_did:
        award.holder_did = holder_did
        award.save(update_fields=["holder_did"])
    audit_record(
        action="award.wallet_exchange",
        subject=award,
        actor=actor,
        data={"holder_did": holder_did, "previous_holder_did": previous or None},
    )
    return award


def award_sign_for_holder(*, award: Award, holder_did: str) -> dict:
    """A fresh signature of the award's credential with credentialSubject.id = the holder's DID (wallets)."""
    return _sign(award, subject_id=holder_did)
