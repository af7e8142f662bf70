"""Every write of the organisations app (but rules and their evaluation: `rules.py`, `evaluation.py`):
keyword-only, atomic, one audit entry per state change.

Who may do what:
- programme staff with `organisations.add_organisation` create organisations of their programme
  (`organisation_create`); with `organisations.change_organisation` they manage any organisation of it;
- an organisation's admins (`OrganisationAdmin`, people invited by email) manage it: profile, invitations,
  removing admins and members, reading what members shared (`is_admin` / `require_admin`);
- a member shares and unshares credentials of their own wallet, and leaves (checked by ownership).

Sharing or unsharing evaluates the organisation's rules after commit (`evaluation.evaluate_on_commit`).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from credentials.models import Award
from credentials.openbadges import ob3
from credentials.openbadges.shapes import is_http_url
from outbox.services import mail
from wallets.selectors.membership import verified_emails

from .evaluation import evaluate_on_commit
from .links import invite_url
from .logos import clean_logo
from .models import Organisation, OrganisationAdmin, OrganisationInvite, OrganisationMember, SharedCredential
from .tokens import invite_tokens

ADD = "organisations.add_organisation"
CHANGE = "organisations.change_organisation"
VIEW = "organisations.view_organisation"
PROFILE_FIELDS = ("name", "country", "sector", "website", "description")
KIND_INVITE = "organisation_invite"
#: States of a member's credential that may be shared (and count): not declined, revoked or expired.
SHAREABLE = (Award.State.ISSUED, Award.State.ACCEPTED)


# --- Who manages -------------------------------------------------------------------------------------------


def is_admin(user, organisation: Organisation) -> bool:
    """The organisation's admins, and the staff of its programme who may change organisations."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if access.allows(user, CHANGE, obj=organisation):
        return True
    return OrganisationAdmin.objects.filter(organisation=organisation, user=user).exists()


def require_admin(actor, organisation: Organisation) -> None:
    if actor is not None and not is_admin(actor, organisation):
        raise PermissionDenied(_("Only the organisation's admins may do this."))


def _audit(action: str, subject, *, organisation: Organisation, actor=None, data=None) -> None:
    audit_record(action=action, subject=subject, actor=actor, data=data or {}, programme=organisation.programme_id)


def _check_website(website: str) -> str:
    website = (website or "").strip()
    if website and not is_http_url(website):
        raise ValidationError({"website": _("Enter a web address starting with https:// or http://.")})
    return website


# --- Organisations -----------------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    programme,
    slug: str,
    name: str,
    country: str,
    email: str,
    sector: str = "",
    website: str = "",
    description: str = "",
    actor=None,
) -> Organisation:
    """Create an organisation of a programme. PermissionDenied unless the actor may add organisations there;
    ValidationError naming each problem."""
    access.require(actor, ADD, obj=programme)
    organisation = Organisation(
        programme=programme,
        slug=slug,
        name=(name or "").strip(),
        country=country,
        email=ob3.normalize_email(email or ""),
        sector=(sector or "").strip(),
        website=_check_website(website),
        description=(description or "").strip(),
    )
    organisation.full_clean()
    organisation.save()
    _audit("organisation.create", organisation, organisation=organisation, actor=actor, data={"slug": slug})
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor=None, logo=None, remove_logo=False, **changes):
    """Change the profile (PROFILE_FIELDS) and the logo (an upload: re-encoded, `logos.py`). Its admins may."""
    require_admin(actor, organisation)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update() cannot change {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if "website" in changes:
        changes["website"] = _check_website(changes["website"])
    for field, value in changes.items():
        setattr(organisation, field, value.strip() if isinstance(value, str) else value)
    old_logo = organisation.logo.name if organisation.logo else ""
    if logo is not None:
        try:
            clean = clean_logo(logo)
        except ValidationError as exc:
            raise ValidationError({"logo": exc.messages}) from exc
        organisation.logo.save(clean.name, clean, save=False)
    elif remove_logo:
        organisation.logo = ""
    organisation.full_clean(exclude=["logo"])
    organisation.save()
    if old_logo and old_logo != (organisation.logo.name if organisation.logo else ""):
        storage, name = organisation.logo.storage, old_logo
        transaction.on_commit(lambda: storage.delete(name))
    fields = sorted(changes) + (["logo"] if logo is not None or remove_logo else [])
    _audit("organisation.update", organisation, organisation=organisation, actor=actor, data={"fields": fields})
    return organisation


# --- Invitations -------------------------------------------------------------------------------------------


@transaction.atomic
def invitation_send(
    *, organisation: Organisation, email: str, role: str, language: str = "en", actor=None
) -> OrganisationInvite:
    """Invite someone by email to become an admin or a member: a signed link, valid ORGANISATION_INVITE_DAYS,
    used once, by the account that has confirmed that address."""
    require_admin(actor, organisation)
    email = ob3.normalize_email(email or "")
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid email address.")
    if role not in OrganisationInvite.Role.values:
        errors["role"] = _("Choose admin or member.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the languages offered.")
    if errors:
        raise ValidationError(errors)
    invite = OrganisationInvite.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        language=language,
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    mail(
        to=email,
        template="organisations/email/invite",
        context={
            "organisation": organisation,
            "role": invite.get_role_display(),
            "is_admin": role == OrganisationInvite.Role.ADMIN,
            "invite_url": invite_url(invite),
            "days": settings.ORGANISATION_INVITE_DAYS,
        },
        language=language,
        kind=KIND_INVITE,
        dedupe_key=f"{KIND_INVITE}:{invite.pk}",
    )
    _audit("organisation.invite", invite, organisation=organisation, actor=actor, data={"email": email, "role": role})
    return invite


def person_name(user) -> str:
    profile = getattr(user, "wallet_profile", None) if hasattr(user, "wallet_profile") else None
    return ((profile.display_name if profile else "") or user.get_full_name() or user.get_username()).strip()[:200]


@transaction.atomic
def invitation_accept(*, invite: OrganisationInvite, token: str, user, now=None):
    """The invited person, signed in with the account that confirmed the invited address, accepts: they become
    an admin or a member. Raises TokenError (malformed, forged, expired, used) and ValidationError (another
    account, already there, organisation closed). Returns the OrganisationAdmin or OrganisationMember row."""
    now = now or timezone.now()
    invite = OrganisationInvite.objects.select_for_update().select_related("organisation").get(pk=invite.pk)
    invite_tokens.check_token(invite, token)
    organisation = invite.organisation
    if not organisation.is_active:
        raise ValidationError(_("This organisation is closed."), code="inactive")
    if invite.email not in verified_emails(user):
        raise ValidationError(
            _(
                "This invitation was sent to %(email)s, which is not a confirmed address of your account. Sign in "
                "with the account that uses it, or add and confirm it under “Email addresses”."
            )
            % {"email": invite.email},
            code="wrong_account",
        )
    if invite.role == OrganisationInvite.Role.ADMIN:
        row, created = OrganisationAdmin.objects.get_or_create(organisation=organisation, user=user)
    else:
        row, created = OrganisationMember.objects.get_or_create(
            organisation=organisation, user=user, defaults={"name": person_name(user) or invite.email}
        )
    if not created:
        raise ValidationError(
            _("You are already an admin of this organisation.")
            if invite.role == OrganisationInvite.Role.ADMIN
            else _("You are already a member of this organisation."),
            code="already",
        )
    invite.state, invite.accepted_at, invite.accepted_by = OrganisationInvite.State.ACCEPTED, now, user
    invite.save(update_fields=["state", "accepted_at", "accepted_by"])
    _audit(f"organisation.{invite.role}_join", row, organisation=organisation, actor=user, data={"invite": invite.pk})
    return row


@transaction.atomic
def invitation_cancel(*, invite: OrganisationInvite, actor=None) -> OrganisationInvite:
    invite = OrganisationInvite.objects.select_for_update().select_related("organisation").get(pk=invite.pk)
    require_admin(actor, invite.organisation)
    if invite.state != OrganisationInvite.State.PENDING:
        raise ValidationError(_("This invitation was already answered."), code="not_pending")
    invite.state = OrganisationInvite.State.CANCELLED
    invite.save(update_fields=["state"])
    _audit("organisation.invite_cancel", invite, organisation=invite.organisation, actor=actor)
    return invite


# --- Admins and members ------------------------------------------------------------------------------------


@transaction.atomic
def admin_remove(*, admin: OrganisationAdmin, actor=None) -> None:
    """Remove an admin. The last one stays unless programme staff remove it (someone must manage it)."""
    organisation = Organisation.objects.select_for_update().get(pk=admin.organisation_id)
    require_admin(actor, organisation)
    staff = actor is None or access.allows(actor, CHANGE, obj=organisation)
    if not staff and OrganisationAdmin.objects.filter(organisation=organisation).count() <= 1:
        raise ValidationError(_("Invite another admin before removing the last one."), code="last_admin")
    deleted, _rows = OrganisationAdmin.objects.filter(pk=admin.pk, organisation=organisation).delete()
    if deleted:
        _audit(
            "organisation.admin_remove", organisation, organisation=organisation, actor=actor,
            data={"user": admin.user_id},
        )  # fmt: skip


@transaction.atomic
def member_remove(*, member: OrganisationMember, actor=None) -> None:
    """An admin removes a member: what they shared is no longer shared (outcomes already issued stay)."""
    organisation = member.organisation
    require_admin(actor, organisation)
    _member_delete(member, organisation=organisation, actor=actor, action="organisation.member_remove")


@transaction.atomic
def membership_leave(*, member: OrganisationMember, user) -> None:
    """A member leaves; their shares go with them."""
    if member.user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the member may leave."))
    _member_delete(member, organisation=member.organisation, actor=user, action="organisation.member_leave")


def _member_delete(member, *, organisation, actor, action) -> None:
    deleted, _rows = OrganisationMember.objects.filter(pk=member.pk, organisation=organisation).delete()
    if deleted:
        _audit(action, organisation, organisation=organisation, actor=actor, data={"user": member.user_id})


# --- Sharing -----------------------------------------------------------------------------------------------


def _shareable(award: Award, user) -> None:
    if award.recipient_kind != Award.RecipientKind.PERSON or ob3.normalize_email(
        award.recipient_email
    ) not in verified_emails(user):
        raise PermissionDenied(_("You can only share credentials of your own wallet."))
    if award.state not in SHAREABLE or award.effective_state not in SHAREABLE:
        raise ValidationError(
            _("“%(name)s” is %(state)s: it cannot be shared.")
            % {"name": award.achievement.name, "state": Award.State(award.effective_state).label.lower()},
            code="not_shareable",
        )


@transaction.atomic
def credential_share(*, member: OrganisationMember, award: Award, user) -> SharedCredential:
    """Share a credential of the member's wallet (issued to one of their confirmed addresses) with the
    organisation. Sharing it twice is harmless (the same row). The organisation's rules are evaluated after."""
    if member.user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the member may share their credentials."))
    _shareable(award, user)
    try:
        with transaction.atomic():
            share, created = SharedCredential.objects.get_or_create(member=member, award=award)
    except IntegrityError:  # a double submit raced this one
        share, created = SharedCredential.objects.get(member=member, award=award), False
    if created:
        _audit(
            "organisation.share", share, organisation=member.organisation, actor=user,
            data={"award": award.public_id},
        )  # fmt: skip
        evaluate_on_commit(member.organisation_id)
    return share


@transaction.atomic
def credential_unshare(*, member: OrganisationMember, award: Award, user) -> None:
    """Stop sharing (the row is deleted). Outcomes already issued stay: they were true when issued."""
    if member.user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the member may unshare their credentials."))
    deleted, _rows = SharedCredential.objects.filter(member=member, award=award).delete()
    if deleted:
        _audit(
            "organisation.unshare", member, organisation=member.organisation, actor=user,
            data={"award": award.public_id},
        )  # fmt: skip
