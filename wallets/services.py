"""Every write of the wallets app: keyword-only, atomic, each with an audit entry.

The wallet never changes the issuer's Award except through credentials.services (accept, decline).
"""

import re
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.utils import generate_unique_username
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from credentials import keystore
from credentials import services as credential_services
from credentials.models import Award, Issuer
from credentials.openbadges import sign_credential
from credentials.openbadges.ob3 import email_matches, normalize_email
from credentials.tokens import claim_tokens
from credentials.verification import verify_untrusted
from frameworks.validators import is_http_url, validate_http_url

from . import documents, selectors, uploads
from .models import (
    Collection,
    CollectionItem,
    Endorsement,
    ExternalCredential,
    Profile,
    RecipientEvidence,
    ShareEvent,
    WalletEntry,
)
from .storage import private_storage

MAX_EVIDENCE_PER_AWARD = 20
MAX_COLLECTIONS = 50
RESERVED_HANDLES = {"admin", "wallet", "u", "api", "static", "media", "me", "settings", "login", "account"}
HANDLE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")


def _require_holder(user, award: Award) -> None:
    if not selectors.holds(user, award):
        raise ValidationError(_("This credential is not in your wallet."))


# --- profile ----------------------------------------------------------------------------------------


def _free_handle(base: str) -> str:
    base = (slugify(base)[:30].strip("-") or "learner").lower()
    if len(base) < 3 or base in RESERVED_HANDLES:
        base = f"learner-{base}".strip("-")
    candidate, n = base, 1
    while Profile.objects.filter(handle=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def profile_ensure(*, user, display_name: str = "") -> Profile:
    """The learner's profile, created on first use (private; handle from the name)."""
    profile = Profile.objects.filter(user=user).first()
    if profile:
        return profile
    name = (display_name or user.get_full_name() or user.email.split("@")[0] or "learner").strip()[:120]
    for _attempt in range(3):
        try:
            with transaction.atomic():
                profile = Profile.objects.create(user=user, handle=_free_handle(name), display_name=name)
        except IntegrityError:  # created at the same moment by another request, or the handle was just taken
            profile = Profile.objects.filter(user=user).first()
            if profile:
                return profile
            continue
        audit_record(action="wallet.profile.create", subject=profile, actor=user)
        return profile
    raise ValidationError(_("Your profile could not be created. Try again."))


@transaction.atomic
def profile_update(*, user, handle: str, display_name: str, headline: str = "", is_public: bool) -> Profile:
    profile = profile_ensure(user=user)
    handle = (handle or "").strip().lower()
    errors = {}
    if not HANDLE.match(handle):
        errors["handle"] = _("Use 3 to 40 lower-case letters, digits and dashes (not at the start or end).")
    elif handle in RESERVED_HANDLES:
        errors["handle"] = _("“%(handle)s” is reserved; choose another.") % {"handle": handle}
    elif Profile.objects.filter(handle=handle).exclude(pk=profile.pk).exists():
        errors["handle"] = _("“%(handle)s” is taken; choose another.") % {"handle": handle}
    if not (display_name or "").strip():
        errors["display_name"] = _("Enter the name to show on your profile.")
    if errors:
        raise ValidationError(errors)
    profile.handle = handle
    profile.display_name = display_name.strip()[:120]
    profile.headline = (headline or "").strip()[:200]
    profile.is_public = bool(is_public)
    profile.save()
    audit_record(action="wallet.profile.change", subject=profile, actor=user, data={"public": profile.is_public})
    return profile


# --- claiming ---------------------------------------------------------------------------------------


def _lock_claimable(award: Award, token: str | None) -> Award:
    """Re-read the award under a row lock and, with a token, check the claim link against it (TokenError). Of
    concurrent answers with one link the first wins; the others then see a used link, as they would one after
    the other (the view checked the token before the lock, on what it had read)."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if token is not None:
        claim_tokens.check_token(award, token)
    return award


def _take_address(*, user, email: str, award: Award, action: str) -> None:
    """Make `email` a verified address of `user` (the claim token proved the mailbox). Refused when another
    account has verified it; another account's unverified claim on it is dropped."""
    email = normalize_email(email)
    owner = selectors.address_owner(email)
    if owner is not None and owner.pk != user.pk:
        raise ValidationError(
            _(
                "This credential was sent to an address that belongs to another account. Sign in with that "
                "account to accept it."
            )
        )
    if owner is not None:
        return
    dropped = EmailAddress.objects.filter(email=email, verified=False).exclude(user=user).delete()[0]
    address = EmailAddress.objects.filter(user=user, email=email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        address = EmailAddress.objects.create(user=user, email=email, verified=True, primary=not has_primary)
    else:
        address.verified = True
        address.save(update_fields=["verified"])
    audit_record(
        action=action,
        subject=address,
        actor=user,
        data={"email": email, "award": award.public_id, "dropped_unverified": dropped},
    )


@transaction.atomic
def claim_accept(*, award: Award, user, token: str | None = None, add_address: bool = False) -> Award:
    """Accept a credential into the user's wallet from a claim link. With `token` the link is checked again
    under the award's lock (concurrent accepts: one wins). A credential sent to an address that is not one of
    the user's verified addresses joins their wallet only with `add_address=True`, the user's explicit answer
    to "Add … to your account?": the address then becomes theirs (the link proved the mailbox), audited as
    account.email_add_from_claim. Without it nothing is merged (ValidationError, code "confirm_address")."""
    award = _lock_claimable(award, token)
    if not selectors.holds(user, award):
        if not add_address:
            raise ValidationError(
                _("This credential was sent to %(email)s, which is not an address of your account. Confirm that "
                  "you want to add it first.") % {"email": award.recipient_email},
                code="confirm_address",
            )  # fmt: skip
        _take_address(user=user, email=award.recipient_email, award=award, action="account.email_add_from_claim")
    award = credential_services.award_accept(award=award, actor=user)
    entry, _created = WalletEntry.objects.get_or_create(user=user, award=award)
    audit_record(action="wallet.claim", subject=entry, actor=user, data={"award": award.public_id})
    return award


@transaction.atomic
def claim_accept_without_account(*, award: Award, token: str) -> Award:
    """Accept from the claim link without a wallet (the link proves the recipient)."""
    award = _lock_claimable(award, token)
    return credential_services.award_accept(award=award, actor=None)


@transaction.atomic
def claim_decline(*, award: Award, user=None, token: str | None = None) -> Award:
    award = _lock_claimable(award, token)
    award = credential_services.award_decline(award=award, actor=user)
    audit_record(action="wallet.claim_decline", subject=award, actor=user)
    return award


def _address_taken() -> ValidationError:
    return ValidationError(_("An account already uses this address. Sign in to accept the credential."))


@transaction.atomic
def claim_account_create(*, award: Award, password: str, display_name: str = "", token: str | None = None):
    """Create a learner account from a claim link (its token proves the address): the address is verified,
    the password set, the credential accepted. The caller logs the user in. With `token` the link is checked
    again under the award's lock: of concurrent sign-ups with one link, one creates the account."""
    award = _lock_claimable(award, token)
    email = normalize_email(award.recipient_email)
    if EmailAddress.objects.filter(email=email, verified=True).exists():
        raise _address_taken()
    user_model = get_user_model()
    name = (display_name or award.recipient_name).strip()
    for _attempt in range(3):  # a username drawn at the same moment by another sign-up: draw again
        user = user_model(email=email, username=generate_unique_username([name, email, "learner"]))
        user.first_name = name[:150]
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            if EmailAddress.objects.filter(email=email, verified=True).exists():
                raise _address_taken() from None
            continue
        break
    else:  # pragma: no cover
        raise _address_taken()
    audit_record(action="account.create", subject=user, actor=user, data={"via": "claim", "award": award.public_id})
    profile_ensure(user=user, display_name=name)
    try:
        with transaction.atomic():
            _take_address(user=user, email=email, award=award, action="wallet.address.verify_by_claim")
    except IntegrityError:  # another account verified the address at the same moment (another link to it)
        raise _address_taken() from None
    claim_accept(award=award, user=user)
    return user


# --- visibility ------------------------------------------------------------------------------------


@transaction.atomic
def wallet_entry_set_visibility(*, user, award: Award, is_public: bool) -> WalletEntry:
    _require_holder(user, award)
    if is_public and award.effective_state in (Award.State.REVOKED, Award.State.DECLINED):
        raise ValidationError(_("A revoked or declined credential cannot be made public."))
    entry, _created = WalletEntry.objects.select_for_update().get_or_create(user=user, award=award)
    entry.is_public = bool(is_public)
    entry.save(update_fields=["is_public", "updated_at"])
    audit_record(action="wallet.entry.visibility", subject=entry, actor=user, data={"public": entry.is_public})
    return entry


# --- evidence ---------------------------------------------------------------------------------------


@transaction.atomic
def evidence_add(
    *,
    user,
    award: Award,
    kind: str,
    title: str = "",
    narrative: str = "",
    url: str = "",
    upload=None,
    is_public: bool = True,
) -> RecipientEvidence:
    """Add evidence after the award. Files are checked and cleaned (uploads.clean_evidence_file)."""
    _require_holder(user, award)
    if RecipientEvidence.objects.filter(user=user, award=award).count() >= MAX_EVIDENCE_PER_AWARD:
        raise ValidationError(
            _("A credential can have at most %(n)s pieces of evidence.") % {"n": MAX_EVIDENCE_PER_AWARD}
        )
    title, narrative, url = (title or "").strip(), (narrative or "").strip(), (url or "").strip()
    errors = {}
    clean = None
    if kind == RecipientEvidence.Kind.NARRATIVE:
        if not narrative:
            errors["narrative"] = _("Describe what you did.")
        title = title or _("Narrative")
    elif kind == RecipientEvidence.Kind.LINK:
        try:
            validate_http_url(url)
        except ValidationError:
            errors["url"] = _("Enter a full web address starting with https:// or http://.")
        title = title or url[:200]
    elif kind == RecipientEvidence.Kind.FILE:
        if upload is None:
            errors["file"] = _("Choose a file to upload.")
        else:
            try:
                clean = uploads.clean_evidence_file(upload)
            except ValidationError as exc:
                errors["file"] = " ".join(exc.messages)
        title = title or (clean.filename if clean else "")
    else:
        errors["kind"] = _("Choose a narrative, a link or a file.")
    if len(title) > 200:
        errors["title"] = _("Keep the title under 200 characters.")
    if len(narrative) > 5000:
        errors["narrative"] = _("Keep the description under 5,000 characters.")
    if errors:
        raise ValidationError(errors)
    evidence = RecipientEvidence(
        user=user, award=award, kind=kind, title=title, narrative=narrative, url=url, is_public=bool(is_public)
    )
    if clean is not None:
        evidence.filename = clean.filename
        evidence.content_type = clean.content_type
        evidence.size = len(clean.content)
        evidence.file.save(clean.filename, ContentFile(clean.content), save=False)
        stored = evidence.file.name
        try:
            evidence.save()
        except Exception:
            private_storage().delete(stored)
            raise
    else:
        evidence.save()
    audit_record(
        action="wallet.evidence.add",
        subject=evidence,
        actor=user,
        data={"award": award.public_id, "kind": kind, "size": evidence.size},
    )
    return evidence


def _owned_evidence(user, public_id: str) -> RecipientEvidence:
    evidence = RecipientEvidence.objects.select_for_update().filter(public_id=public_id, user=user).first()
    if evidence is None:
        raise ValidationError(_("This evidence is not yours or no longer exists."))
    return evidence


@transaction.atomic
def evidence_set_visibility(*, user, public_id: str, is_public: bool) -> RecipientEvidence:
    evidence = _owned_evidence(user, public_id)
    evidence.is_public = bool(is_public)
    evidence.save(update_fields=["is_public"])
    audit_record(action="wallet.evidence.visibility", subject=evidence, actor=user, data={"public": is_public})
    return evidence


def _delete_files_on_commit(names: list[str]) -> None:
    names = [n for n in names if n]
    if names:
        storage = private_storage()
        transaction.on_commit(lambda: [storage.delete(n) for n in names])


@transaction.atomic
def evidence_delete(*, user, public_id: str) -> None:
    evidence = _owned_evidence(user, public_id)
    audit_record(action="wallet.evidence.delete", subject=evidence, actor=user, data={"title": evidence.title})
    _delete_files_on_commit([evidence.file.name])
    evidence.delete()


# --- endorsements -----------------------------------------------------------------------------------


@transaction.atomic
def endorsement_request(
    *, user, award: Award, endorser_name: str, endorser_email: str, message: str = "", language: str = ""
) -> Endorsement:
    """Ask a colleague or supervisor (no account needed) to endorse a credential; the email with a signed,
    expiring link is sent after commit."""
    _require_holder(user, award)
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
    from .mail import endorsement_request_queue

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


# --- collections ------------------------------------------------------------------------------------


def _check_collection(name: str, description: str) -> None:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the collection a name.")
    elif len(name.strip()) > 120:
        errors["name"] = _("Keep the name under 120 characters.")
    if len(description or "") > 2000:
        errors["description"] = _("Keep the description under 2,000 characters.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def collection_create(*, user, name: str, description: str = "", is_public: bool = False) -> Collection:
    _check_collection(name, description)
    if Collection.objects.filter(user=user).count() >= MAX_COLLECTIONS:
        raise ValidationError(_("You can have at most %(n)s collections.") % {"n": MAX_COLLECTIONS})
    collection = Collection.objects.create(
        user=user, name=name.strip(), description=(description or "").strip(), is_public=bool(is_public)
    )
    audit_record(action="wallet.collection.create", subject=collection, actor=user)
    return collection


@transaction.atomic
def collection_update(*, user, collection: Collection, name: str, description: str, is_public: bool) -> Collection:
    if collection.user_id != user.pk:
        raise ValidationError(_("This collection is not yours."))
    _check_collection(name, description)
    collection.name, collection.description = name.strip(), (description or "").strip()
    collection.is_public = bool(is_public)
    collection.save()
    audit_record(action="wallet.collection.change", subject=collection, actor=user, data={"public": is_public})
    return collection


@transaction.atomic
def collection_delete(*, user, collection: Collection) -> None:
    if collection.user_id != user.pk:
        raise ValidationError(_("This collection is not yours."))
    audit_record(action="wallet.collection.delete", subject=collection, actor=user, data={"name": collection.name})
    collection.delete()


@transaction.atomic
def collection_add(
    *, user, collection: Collection, award: Award | None = None, external: ExternalCredential | None = None
) -> CollectionItem:
    if collection.user_id != user.pk:
        raise ValidationError(_("This collection is not yours."))
    if award is not None:
        _require_holder(user, award)
    elif external is None or external.user_id != user.pk:
        raise ValidationError(_("This credential is not in your wallet."))
    existing = CollectionItem.objects.filter(collection=collection, award=award, external=external).first()
    if existing:
        return existing
    last = CollectionItem.objects.filter(collection=collection).aggregate(m=Max("position"))["m"]
    item = CollectionItem.objects.create(
        collection=collection, award=award, external=external, position=(last or 0) + 1
    )
    audit_record(action="wallet.collection.add", subject=collection, actor=user, data={"item": item.pk})
    return item


@transaction.atomic
def collection_remove(*, user, collection: Collection, item_id: int) -> None:
    if collection.user_id != user.pk:
        raise ValidationError(_("This collection is not yours."))
    deleted, _rows = CollectionItem.objects.filter(collection=collection, pk=item_id).delete()
    if deleted:
        audit_record(action="wallet.collection.remove", subject=collection, actor=user, data={"item": item_id})


@transaction.atomic
def collection_move(*, user, collection: Collection, item_id: int, direction: str) -> None:
    """Move an item one place up or down (positions are renumbered 1..n)."""
    if collection.user_id != user.pk:
        raise ValidationError(_("This collection is not yours."))
    items = list(CollectionItem.objects.select_for_update().filter(collection=collection).order_by("position", "id"))
    index = next((i for i, item in enumerate(items) if item.pk == item_id), None)
    if index is None:
        raise ValidationError(_("This credential is no longer in the collection."))
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    audit_record(
        action="wallet.collection.move", subject=collection, actor=user, data={"item": item_id, "direction": direction}
    )


# --- sharing ----------------------------------------------------------------------------------------


@transaction.atomic
def share_event_record(*, award: Award, channel: str, user) -> ShareEvent | None:
    """Record a share by the credential's holder (others' clicks are not counted)."""
    if channel not in ShareEvent.Channel.values or not selectors.holds(user, award):
        return None
    event = ShareEvent.objects.create(award=award, channel=channel, user=user)
    audit_record(action="wallet.share", subject=event, actor=user, data={"channel": channel})
    return event


# --- imports ----------------------------------------------------------------------------------------


def _recipient_check(document: dict, kind: str, emails: list[str]) -> bool | None:
    """True/False when the credential names an email recipient (hashed or not) that is/is not one of the
    learner's verified addresses; None when it names the recipient otherwise (a DID)."""
    identities = []
    if kind == "ob2":
        recipient = document.get("recipient") or {}
        if isinstance(recipient, dict) and recipient.get("type", "email") == "email":
            identities.append(recipient)
    else:
        subject = document.get("credentialSubject") or {}
        for identifier in (subject.get("identifier") or []) if isinstance(subject, dict) else []:
            if isinstance(identifier, dict) and identifier.get("identityType") == "emailAddress":
                identities.append(
                    {
                        "identity": identifier.get("identityHash", ""),
                        "salt": identifier.get("salt", ""),
                        "hashed": identifier.get("hashed", False),
                    }
                )
    if not identities:
        return None
    for identity in identities:
        value, salt = str(identity.get("identity") or ""), str(identity.get("salt") or "")
        for email in emails:
            if identity.get("hashed") and email_matches(value, email, salt):
                return True
            if not identity.get("hashed") and normalize_email(value) == email:
                return True
    return False


def external_credential_import(
    *, user, data: bytes | str, source: str, source_url: str = "", filename: str = ""
) -> ExternalCredential:
    """Verify an Open Badge from elsewhere (baked PNG/SVG, 2.0 URL or JSON, 3.0 JSON) and add it to the
    wallet with its report. Refused: unreadable, failing signature/hosting/revocation checks, or issued to
    an address that is not one of the learner's verified addresses. Verification (which may fetch over the
    network) runs outside the transaction."""
    if source_url and not is_http_url(source_url):
        raise ValidationError(_("Enter a full web address starting with https:// or http://."))
    report = verify_untrusted(data)
    if report.problem:
        raise ValidationError(report.problem)
    if report.award is not None:
        raise ValidationError(
            _(
                "This credential was issued on this platform: it is already in your wallet when it was sent to "
                "one of your verified addresses."
            )
        )
    failed = [c for c in report.checks if not c.ok and c.name not in ("expiry", "recipient")]
    if failed:
        raise ValidationError(
            _("The credential did not pass verification: %(why)s") % {"why": " ".join(c.message for c in failed)}
        )
    document = report.document or {}
    emails = selectors.verified_emails(user)
    matches = _recipient_check(document, report.kind, emails)
    if matches is False:
        raise ValidationError(_("This credential was not issued to any of your verified email addresses."))
    checks = [{"name": c.name, "ok": c.ok, "message": str(c.message)} for c in report.checks]
    if matches:
        checks.append({"name": "recipient", "ok": True, "message": _("Issued to one of your verified addresses.")})
    else:
        checks.append(
            {
                "name": "recipient",
                "ok": True,
                "message": _("The recipient is not an email address; it was not checked."),
            }
        )
    description = ""
    if report.kind == "ob3":
        subject = document.get("credentialSubject")  # verified, but any shape: an object, a list...
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        achievement = achievement if isinstance(achievement, dict) else {}
        description = str(achievement.get("description") or document.get("description") or "")
    document_id = str(document.get("id") or "")[:500]
    image = uploads.badge_image_png(data) if isinstance(data, bytes) and source == "file" else None
    with transaction.atomic():
        if document_id and ExternalCredential.objects.filter(user=user, document_id=document_id).exists():
            raise ValidationError(_("This credential is already in your wallet."))
        item = ExternalCredential(
            user=user,
            kind=report.kind,
            source=source,
            source_url=source_url[:500],
            document_id=document_id,
            name=(report.name or _("Untitled credential"))[:300],
            issuer_name=report.issuer_name[:300],
            description=description[:5000],
            issued_on=report.issued[:40],
            document=document,
            report={"valid": report.valid, "checks": checks, "verified_at": timezone.now().isoformat()},
            is_valid=report.valid,
        )
        if isinstance(data, bytes) and source == "file":
            extension = "png" if data.startswith(uploads.PNG_MAGIC) else ("svg" if b"<svg" in data[:2048] else "json")
            item.original.save(f"original.{extension}", ContentFile(data), save=False)
        if image:
            item.image.save("badge.png", ContentFile(image), save=False)
        try:
            item.save()
        except IntegrityError as exc:
            raise ValidationError(_("This credential is already in your wallet.")) from exc
        audit_record(action="wallet.import", subject=item, actor=user, data={"kind": item.kind, "valid": item.is_valid})
    return item


@transaction.atomic
def external_credential_update(*, user, item: ExternalCredential, is_public: bool) -> ExternalCredential:
    if item.user_id != user.pk:
        raise ValidationError(_("This credential is not in your wallet."))
    item.is_public = bool(is_public)
    item.save(update_fields=["is_public"])
    audit_record(action="wallet.import.visibility", subject=item, actor=user, data={"public": item.is_public})
    return item


@transaction.atomic
def external_credential_delete(*, user, item: ExternalCredential) -> None:
    if item.user_id != user.pk:
        raise ValidationError(_("This credential is not in your wallet."))
    audit_record(action="wallet.import.delete", subject=item, actor=user, data={"name": item.name})
    _delete_files_on_commit([item.image.name, item.original.name])
    item.delete()


# --- the account ------------------------------------------------------------------------------------


@transaction.atomic
def account_delete(*, user) -> dict:
    """Delete a learner's account: wallet settings, evidence (and files), imports, collections, endorsement
    requests, profile, addresses. Awards stay (they are the issuer's records), unlinked from the person;
    share events stay for the issuer's analytics, without the person."""
    files = [e.file.name for e in RecipientEvidence.objects.filter(user=user).exclude(file="")]
    for item in ExternalCredential.objects.filter(user=user):
        files += [item.image.name, item.original.name]
    counts = {
        "awards_held": selectors.holder_awards(user).count(),
        "evidence": RecipientEvidence.objects.filter(user=user).count(),
        "collections": Collection.objects.filter(user=user).count(),
        "imports": ExternalCredential.objects.filter(user=user).count(),
        "share_events_unlinked": ShareEvent.objects.filter(user=user).update(user=None),
    }
    audit_record(action="account.delete", subject=user, actor=None, data=counts)
    _delete_files_on_commit(files)
    user.delete()
    return counts


def account_export(*, user):
    """The learner's data as a zip (a temporary file, rewound); the export itself is audited."""
    from .export import account_export as build

    handle = build(user)
    with transaction.atomic():
        audit_record(action="account.export", subject=user, actor=user)
    return handle
