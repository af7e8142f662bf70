"""Every write of the credentials app: permission-checked, atomic, audited; artefacts are enqueued on commit.

Permissions (`access.require`, first thing): issuers `add_issuer` / `change_issuer` (a key rotation changes
the issuer), achievements `add_achievement` / `change_achievement`, issuing `add_award`, revoking
`revoke_award`, reissuing both `revoke_award` and `add_award`. actor=None is the system (commands, tasks,
events' verified claims, bulk jobs once started). Learners' own steps (accept, decline, receive in a
wallet) are checked by their callers (the claim token, the holder) and need no permission.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record, audit_record_many
from frameworks.requirements import validate_badge_definition, validate_certificate_definition
from frameworks.svg import UnsafeSVG
from frameworks.validators import is_http_url

from . import documents, imagelimits, keystore
from .images import achievement_svg
from .models import Achievement, Award, Issuer, SigningKey, StatusList
from .openbadges import did_key_from_public_key, ob3, sign_credential
from .openbadges.status_list import MIN_BITS
from .openbadges.status_list import StatusList as Bits

STATUS_LIST_DRAWS = 8  # consecutive collisions before a list counts as full


# --- Issuers and keys -------------------------------------------------------------------------------


def _new_key(issuer: Issuer) -> SigningKey:
    public, encrypted = keystore.new_keypair()
    return SigningKey.objects.create(
        issuer=issuer, public_key=public, private_key_encrypted=encrypted, did=did_key_from_public_key(public)
    )


@transaction.atomic
def issuer_create(
    *,
    slug: str,
    name: str,
    url: str,
    email: str,
    description: str = "",
    image=None,
    linkedin_organization_id: str = "",
    actor=None,
) -> Issuer:
    access.require(actor, "credentials.add_issuer")
    issuer = Issuer(
        slug=slug,
        name=name,
        url=url,
        email=email,
        description=description,
        image=image or "",
        linkedin_organization_id=linkedin_organization_id,
    )
    if image:
        _validate_logo(issuer)
    issuer.full_clean()
    issuer.save()
    key = _new_key(issuer)
    audit_record(action="issuer.create", subject=issuer, actor=actor, data={"key": key.did})
    return issuer


def _validate_logo(issuer: Issuer) -> None:
    """Only the logo's header is read (type and pixel size): a decompression bomb is refused undecoded."""
    try:
        imagelimits.validate_logo(issuer.image)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc


@transaction.atomic
def issuer_update(*, issuer: Issuer, actor=None) -> Issuer:
    access.require(actor, "credentials.change_issuer", obj=issuer)
    _validate_logo(issuer)
    issuer.full_clean()
    issuer.save()
    audit_record(action="issuer.change", subject=issuer, actor=actor)
    return issuer


@transaction.atomic
def issuer_rotate_key(*, issuer: Issuer, actor=None) -> SigningKey:
    """A new active key for new credentials; the old one keeps its credentials and status lists verifiable."""
    access.require(actor, "credentials.change_issuer", obj=issuer)
    old = SigningKey.objects.select_for_update().filter(issuer=issuer, is_active=True).first()
    if old:
        old.is_active = False
        old.retired_at = timezone.now()
        old.save(update_fields=["is_active", "retired_at"])
    key = _new_key(issuer)
    audit_record(
        action="issuer.rotate_key", subject=issuer, actor=actor, data={"old": old.did if old else None, "new": key.did}
    )
    return key


def issuer_active_key(issuer: Issuer) -> SigningKey:
    key = SigningKey.objects.filter(issuer=issuer, is_active=True).first()
    return key or _new_key(issuer)


@transaction.atomic
def signing_keys_reencrypt(*, actor=None) -> int:
    """Re-encrypt every stored private key with the current encryption key (the first configured one, else the
    one derived from DJANGO_SECRET_KEY), so the previous secret or encryption key can be dropped. All or
    nothing: raises keystore.SigningKeyUnreadable, changing nothing, if any key cannot be read."""
    keys = list(SigningKey.objects.select_for_update().select_related("issuer").order_by("pk"))
    for key in keys:
        key.private_key_encrypted = keystore.reencrypt(key.private_key_encrypted)
    SigningKey.objects.bulk_update(keys, ["private_key_encrypted"])
    audit_record_many(action="signing_key.reencrypt", subjects=keys, actor=actor)
    return len(keys)


# --- Achievements -----------------------------------------------------------------------------------


def achievement_validate(achievement: Achievement) -> None:
    """Model checks plus the framework's content requirements (tier or category)."""
    achievement.full_clean()
    kind = achievement.tier or achievement.category
    if kind is None or (achievement.tier and achievement.category):
        raise ValidationError({"category": _("Choose a certificate tier or a badge category (one of them).")})
    if not kind.framework.is_published:
        raise ValidationError({"category": _("Choose a tier or category of a published framework.")})
    if achievement.tier:
        validate_certificate_definition(achievement.tier, achievement.definition())
    else:
        validate_badge_definition(achievement.category, achievement.definition())
    for item in achievement.alignments or []:
        if not isinstance(item, dict) or not item.get("targetName") or not item.get("targetUrl"):
            raise ValidationError({"alignments": _("Each skill alignment needs a targetName and a targetUrl.")})
        if not is_http_url(item["targetUrl"]):
            raise ValidationError(
                {"alignments": _("A skill alignment's targetUrl must start with https:// or http://.")}
            )
    if kind.svg_template:
        try:
            achievement_svg(achievement)  # the image is the design filled with this name: it must stay safe
        except UnsafeSVG as exc:
            raise ValidationError({"name": str(exc)}) from exc


@transaction.atomic
def achievement_save(*, achievement: Achievement, actor=None) -> Achievement:
    created = achievement.pk is None
    permission = "credentials.add_achievement" if created else "credentials.change_achievement"
    access.require(actor, permission, obj=achievement)
    if not created:  # moved to another programme: the actor must also hold the permission where it was
        stored = Achievement.objects.filter(pk=achievement.pk).only("programme_id").first()
        if stored is not None and stored.programme_id != achievement.programme_id:
            access.require(actor, permission, obj=stored if stored.programme_id else None)
    achievement_validate(achievement)
    achievement.save()
    audit_record(action=f"achievement.{'create' if created else 'change'}", subject=achievement, actor=actor)
    return achievement


# --- Status lists -----------------------------------------------------------------------------------


def _current_status_list(key: SigningKey) -> StatusList:
    status_list = StatusList.objects.filter(key=key, used__lt=MIN_BITS).order_by("-id").first()
    if status_list is None:
        status_list = StatusList.objects.create(key=key, size=MIN_BITS, bits=bytes(MIN_BITS // 8))
    return status_list


def _draw_free_indexes(status_list: StatusList, count: int) -> list[int] | None:
    """`count` distinct random indexes that no award of the list holds yet (one query a round of draws), or
    None when the list is full enough: more collisions than max(STATUS_LIST_DRAWS, count), which happens
    once about half of it is taken (a single draw: eight collisions in a row)."""
    import secrets

    chosen: list[int] = []
    collisions = 0
    while len(chosen) < count:
        draws = list(dict.fromkeys(secrets.randbelow(status_list.size) for _ in range(count - len(chosen))))
        draws = [index for index in draws if index not in chosen]
        taken = set(
            Award.objects.filter(status_list=status_list, status_index__in=draws).values_list("status_index", flat=True)
        )
        collisions += len(taken)
        if collisions > max(STATUS_LIST_DRAWS, count):
            return None
        chosen.extend(index for index in draws if index not in taken)
    return chosen


def _insert_with_status_indexes(awards: list[Award]) -> None:
    """Insert new awards of one key in one statement, each signed at a random free index of the key's current
    status list (random: the index tells nothing about volumes or order). A concurrent insert that took an
    index first makes the savepoint roll back and the batch draw again."""
    key = awards[0].key
    assert all(award.key_id == key.pk for award in awards), "one signing key per batch"
    while True:
        status_list = _current_status_list(key)
        indexes = _draw_free_indexes(status_list, len(awards))
        if indexes is None:  # full enough: open a new list
            StatusList.objects.filter(pk=status_list.pk).update(used=MIN_BITS)
            continue
        for award, index in zip(awards, indexes, strict=True):
            award.status_list = status_list
            award.status_index = index
            award.credential = _sign(award)
        try:
            with transaction.atomic():
                Award.objects.bulk_create(awards)
            return
        except IntegrityError as exc:
            if "status" not in str(exc).lower():
                raise


def _sign(award: Award, *, subject_id: str | None = None) -> dict:
    unsigned = documents.ob3_credential(award, subject_id=subject_id)
    return sign_credential(
        unsigned,
        private_key=keystore.private_key(award.key.private_key_encrypted),
        verification_method=award.key.verification_method,
    )


def status_list_signed(status_list: StatusList) -> dict:
    """The signed BitstringStatusListCredential, re-signed only after the bits change."""
    if status_list.signed_credential:
        return status_list.signed_credential
    key = status_list.key
    credential = documents.ob3_status_list(status_list, Bits(data=bytes(status_list.bits)).encode())
    signed = sign_credential(
        credential,
        private_key=keystore.private_key(key.private_key_encrypted),
        verification_method=key.verification_method,
    )
    StatusList.objects.filter(pk=status_list.pk, updated_at=status_list.updated_at).update(signed_credential=signed)
    return signed


# --- Awards -----------------------------------------------------------------------------------------


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


def _award_build(
    *,
    achievement: Achievement,
    key: SigningKey,
    recipient_email: str,
    recipient_name: str,
    recipient_kind: str = Award.RecipientKind.PERSON,
    language: str = "",
    issued_at=None,
    expires_at=None,
    narrative: str = "",
    evidence: list | None = None,
    external_id: str = "",
    idempotency_key: str | None = None,
    replaces: Award | None = None,
    actor=None,
) -> Award:
    """Check one recipient and build the unsaved award (not signed, no status index yet).
    Raises ValidationError naming each problem."""
    recipient_email = ob3.normalize_email(recipient_email or "")
    errors = _check_recipient(achievement, email=recipient_email, name=recipient_name or "", kind=recipient_kind)
    if not achievement.is_active:
        errors["achievement"] = _("“%(name)s” can no longer be issued.") % {"name": achievement.name}
    issued_at = issued_at or timezone.now()
    if expires_at is None and achievement.validity_days:
        expires_at = issued_at + timedelta(days=achievement.validity_days)
    if expires_at is not None and expires_at <= issued_at:
        errors["expires_at"] = _("The expiry date must be after the issue date.")
    for item in evidence or []:
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
        recipient_kind=recipient_kind,
        recipient_email=recipient_email,
        recipient_name=recipient_name.strip(),
        recipient_language=language or achievement.language,
        salt=salt,
        identity_hash=ob3.hash_email(recipient_email, salt),
        issued_at=issued_at,
        valid_from=issued_at,
        expires_at=expires_at,
        narrative=narrative,
        evidence=list(evidence or []),
        external_id=external_id,
        idempotency_key=idempotency_key,
        replaces=replaces,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    award.key.issuer = achievement.issuer
    return award


def _announce(award_ids: list[int]) -> None:
    """award_issued for these awards once the transaction commits (artefacts, claim emails)."""
    from .signals import award_issued

    if award_ids:
        transaction.on_commit(lambda: award_issued.send(sender=Award, award_ids=list(award_ids)))


@transaction.atomic
def award_issue(
    *,
    achievement: Achievement,
    recipient_email: str,
    recipient_name: str,
    recipient_kind: str = Award.RecipientKind.PERSON,
    language: str = "",
    issued_at=None,
    expires_at=None,
    narrative: str = "",
    evidence: list | None = None,
    external_id: str = "",
    idempotency_key: str | None = None,
    replaces: Award | None = None,
    actor=None,
) -> Award:
    """Issue one credential: validate, sign (Open Badges 3.0), write with an audit entry, enqueue artefacts.

    With `idempotency_key`, issuing the same key again returns the award already issued. Raises
    ValidationError naming each problem, PermissionDenied unless the actor may add awards. The same path as
    award_issue_many, with a batch of one.
    """
    access.require(actor, "credentials.add_award", obj=achievement)
    recipient = {
        "recipient_email": recipient_email,
        "recipient_name": recipient_name,
        "recipient_kind": recipient_kind,
        "language": language,
        "issued_at": issued_at,
        "expires_at": expires_at,
        "narrative": narrative,
        "evidence": evidence,
        "external_id": external_id,
        "idempotency_key": idempotency_key,
        "replaces": replaces,
    }
    [result] = award_issue_many(achievement=achievement, recipients=[recipient], actor=actor)
    if isinstance(result, ValidationError):
        raise result
    return result


@transaction.atomic
def award_issue_many(
    *, achievement: Achievement, recipients: list[dict], actor=None, on_behalf_of=None
) -> list[Award | ValidationError]:
    """Issue credentials of one achievement to many recipients at once (bulk issuance): the same checks,
    signature and audit entry per award as award_issue, in a handful of queries for the whole batch.

    Each item of `recipients` holds award_issue's per-recipient arguments (recipient_email, recipient_name,
    recipient_kind, language, issued_at, expires_at, narrative, evidence, external_id, idempotency_key,
    replaces).
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
    keys = [item["idempotency_key"] for item in recipients if item.get("idempotency_key")]
    issued = {award.idempotency_key: award for award in Award.objects.filter(idempotency_key__in=keys)} if keys else {}
    key = issuer_active_key(achievement.issuer)
    results: list[Award | ValidationError] = []
    new: list[Award] = []
    for item in recipients:
        existing = issued.get(item.get("idempotency_key"))
        if existing is not None:
            results.append(existing)
            continue
        try:
            award = _award_build(achievement=achievement, key=key, actor=actor, **item)
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
    return results


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
    return award


@transaction.atomic
def award_reissue(*, award: Award, reason: str, actor=None, **changes) -> Award:
    """Correct an award: revoke it and issue a new one, linked to its predecessor (both permissions)."""
    access.require(actor, ("credentials.revoke_award", "credentials.add_award"), obj=award)
    award_revoke(award=award, reason=reason, actor=actor)
    fields = {
        "achievement": award.achievement,
        "recipient_email": award.recipient_email,
        "recipient_name": award.recipient_name,
        "recipient_kind": award.recipient_kind,
        "language": award.recipient_language,
        "expires_at": award.expires_at,
        "narrative": award.narrative,
        "evidence": award.evidence,
        "external_id": award.external_id,
    }
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} on reissue")
    fields.update(changes)
    return award_issue(**fields, replaces=award, actor=actor)


def _set_state(award: Award, state: str, *, action: str, actor=None) -> Award:
    award.state = state
    award.state_changed_at = timezone.now()
    award.save(update_fields=["state", "state_changed_at"])
    audit_record(action=action, subject=award, actor=actor)
    return award


@transaction.atomic
def award_accept(*, award: Award, actor=None) -> Award:
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.effective_state not in (Award.State.ISSUED, Award.State.DECLINED):
        raise ValidationError(
            _("This credential cannot be accepted: it is %(state)s.")
            % {"state": Award.State(award.effective_state).label.lower()}
        )
    return _set_state(award, Award.State.ACCEPTED, action="award.accept", actor=actor)


@transaction.atomic
def award_decline(*, award: Award, actor=None) -> Award:
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.effective_state not in (Award.State.ISSUED, Award.State.ACCEPTED):
        raise ValidationError(
            _("This credential cannot be declined: it is %(state)s.")
            % {"state": Award.State(award.effective_state).label.lower()}
        )
    return _set_state(award, Award.State.DECLINED, action="award.decline", actor=actor)


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
