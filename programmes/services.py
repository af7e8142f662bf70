"""Writes of the programmes app: programmes, the roles of their staff, invitations by email.

Permissions (`access.require`, first thing): creating a programme is a platform administrator's
(`programmes.add_programme`, global); changing one needs `programmes.change_programme` for it (a manager of the
programme may change its description and contact; its slug and whether it is active stay an administrator's).
Staff are managed with `programmes.manage_staff` for the programme, and nobody grants a role that gives more
than they hold there themselves (Saleor's anti-escalation rule): a manager may make managers, an administrator
anything.

An invitation is a row (who, which programme, which role, until when) and a link signed with the secret key
(`signing.dumps`, its own salt). The link alone proves nothing more than the row: expired, accepted and
withdrawn rows refuse it, so withdrawing works even though the signature stays valid.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

import access
from audit.services import audit_record
from outbox.services import mail

from .models import Programme, Role, StaffInvite, StaffRole
from .roles import ORDER, PRESETS, forget_roles

INVITE_SALT = "programmes.staff_invite"
KIND_STAFF_INVITE = "staff_invite"
PROGRAMME_FIELDS = ("name", "description", "contact_name", "contact_email", "translations")
ADMIN_ONLY_FIELDS = ("slug", "is_active")  # the programme's address and existence: a platform administrator's


def invite_days() -> int:
    return int(getattr(settings, "STAFF_INVITE_DAYS", 14))


# --- Programmes --------------------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    slug: str,
    name: str,
    description: str = "",
    contact_name: str = "",
    contact_email: str = "",
    translations: dict | None = None,
    actor=None,
) -> Programme:
    access.require(actor, "programmes.add_programme")
    programme = Programme(
        slug=slug,
        name=name,
        description=description,
        contact_name=contact_name,
        contact_email=contact_email,
        translations=translations or {},
    )
    programme.full_clean()
    programme.save()
    audit_record(
        action="programme.create",
        subject=programme,
        actor=actor,
        programme=programme,
        data={"slug": slug, "name": name},
    )
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, actor=None, **changes) -> Programme:
    """Change a programme's fields. A manager of it may change PROGRAMME_FIELDS; ADMIN_ONLY_FIELDS need the
    permission globally."""
    access.require(actor, "programmes.change_programme", obj=programme)
    unknown = set(changes) - set(PROGRAMME_FIELDS) - set(ADMIN_ONLY_FIELDS)
    if unknown:
        raise TypeError(f"programme_update() cannot change {sorted(unknown)}")
    if set(changes) & set(ADMIN_ONLY_FIELDS):
        access.require(actor, "programmes.change_programme")  # global: not through a role
    for field, value in changes.items():
        setattr(programme, field, value)
    programme.full_clean()
    programme.save()
    audit_record(
        action="programme.change", subject=programme, actor=actor, programme=programme, data={"fields": sorted(changes)}
    )
    return programme


# --- Staff roles -------------------------------------------------------------------------------------


def _check_role(role: str) -> str:
    if role not in PRESETS:
        raise ValidationError(
            {"role": _("Choose a role: %(roles)s.") % {"roles": ", ".join(str(label) for _v, label in Role.choices)}}
        )
    return role


def _require_may_grant(actor, programme: Programme, role: str) -> None:
    """Manage the programme's staff, and, through a role, hold everything the granted role gives (nobody grants
    more than they hold). Platform administrators hold `programmes.manage_staff` globally and may grant any role."""
    access.require(actor, "programmes.manage_staff", obj=programme)
    if not access.allows(actor, "programmes.manage_staff"):
        access.require(actor, sorted(PRESETS[role]), obj=programme)


def _make_staff(user) -> None:
    """Programme staff sign in to the console: is_staff, with no global permission."""
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def _grant(*, programme: Programme, user, role: str, actor, action: str, data: dict | None = None) -> StaffRole:
    staff_role = StaffRole.objects.select_for_update().filter(programme=programme, user=user).first()
    previous = staff_role.role if staff_role else None
    if staff_role is None:
        staff_role = StaffRole.objects.create(
            programme=programme, user=user, role=role, created_by=actor if getattr(actor, "pk", None) else None
        )
    elif previous != role:
        staff_role.role = role
        staff_role.save(update_fields=["role"])
    _make_staff(user)
    forget_roles(user)
    audit_record(
        action=action,
        subject=staff_role,
        actor=actor,
        programme=programme,
        data={"user": user.pk, "email": user.email, "role": role, "previous": previous, **(data or {})},
    )
    return staff_role


@transaction.atomic
def staff_role_set(*, programme: Programme, user, role: str, actor=None) -> StaffRole:
    """Give `user` a role in `programme`, or change the one they hold."""
    _check_role(role)
    _require_may_grant(actor, programme, role)
    current = StaffRole.objects.filter(programme=programme, user=user).values_list("role", flat=True).first()
    if current is not None:
        _require_may_grant(actor, programme, current)  # nor demote someone who holds more than the actor
        if (
            getattr(actor, "pk", None) == user.pk
            and current != role
            and not access.allows(actor, "programmes.manage_staff")
        ):
            raise ValidationError(_("You cannot change your own role: ask another manager or an administrator."))
    return _grant(programme=programme, user=user, role=role, actor=actor, action="staff_role.set")


@transaction.atomic
def staff_role_remove(*, staff_role: StaffRole, actor=None) -> None:
    programme, user = staff_role.programme, staff_role.user
    _require_may_grant(actor, programme, staff_role.role)
    if getattr(actor, "pk", None) == user.pk and not access.allows(actor, "programmes.manage_staff"):
        raise ValidationError(_("You cannot remove yourself: ask another manager or an administrator."))
    audit_record(
        action="staff_role.remove",
        subject=staff_role,
        actor=actor,
        programme=programme,
        data={"user": user.pk, "email": user.email, "role": staff_role.role},
    )
    staff_role.delete()
    forget_roles(user)


# --- Invitations -------------------------------------------------------------------------------------


class InviteInvalid(Exception):
    """An invitation link that cannot be used; `reason` says why (forged, expired, used, withdrawn)."""

    MESSAGES = {
        "forged": _lazy("This invitation link is not valid. Check that you copied all of it, or ask for a new one."),
        "expired": _lazy("This invitation has expired. Ask the programme's manager to invite you again."),
        "used": _lazy("This invitation has already been accepted."),
        "withdrawn": _lazy("This invitation was withdrawn. Ask the programme's manager if you think it is a mistake."),
    }

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.reason])


def invite_token(invite: StaffInvite) -> str:
    return signing.dumps({"i": invite.pk, "e": invite.email}, salt=INVITE_SALT, compress=False)


def invite_url(invite: StaffInvite) -> str:
    return settings.BASE_URL + reverse("programmes:invite_accept", kwargs={"token": invite_token(invite)})


def invite_from_token(token: str, *, now=None) -> StaffInvite:
    """The open invitation a link points to, or InviteInvalid saying why not."""
    try:
        payload = signing.loads(token, salt=INVITE_SALT, max_age=timedelta(days=invite_days()))
    except signing.SignatureExpired as exc:
        raise InviteInvalid("expired") from exc
    except signing.BadSignature as exc:
        raise InviteInvalid("forged") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int):
        raise InviteInvalid("forged")
    invite = StaffInvite.objects.select_related("programme").filter(pk=payload["i"], email=payload.get("e")).first()
    if invite is None:
        raise InviteInvalid("forged")
    if invite.accepted_at is not None:
        raise InviteInvalid("used")
    if invite.revoked_at is not None or not invite.programme.is_active:
        raise InviteInvalid("withdrawn")
    if invite.expires_at <= (now or timezone.now()):
        raise InviteInvalid("expired")
    return invite


def staff_invite_check(*, programme: Programme, email: str, role: str, language: str) -> str:
    """The checks of staff_invite_create, for forms: raises ValidationError by field, returns the address."""
    email = _check_invite(email, role, language)
    if StaffRole.objects.filter(programme=programme, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person already has a role in the programme: change it instead.")})
    return email


def _check_invite(email: str, role: str, language: str) -> str:
    errors = {}
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid email address.")
    if role not in PRESETS:
        errors["role"] = _("Choose a role: manager, issuer or viewer.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the site's languages.")
    if errors:
        raise ValidationError(errors)
    return email


@transaction.atomic
def staff_invite_create(
    *, programme: Programme, email: str, role: str, language: str = "en", actor=None, now=None
) -> StaffInvite:
    """Invite someone by email to take a role in a programme. An open invitation to the same address for the
    same programme is withdrawn (the newest one counts). Sends the link through the outbox."""
    _require_may_grant(actor, programme, role if role in PRESETS else Role.VIEWER)
    email = staff_invite_check(programme=programme, email=email, role=role, language=language)
    now = now or timezone.now()
    StaffInvite.objects.filter(
        programme=programme, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    invite = StaffInvite.objects.create(
        programme=programme,
        email=email,
        role=role,
        language=language,
        invited_by=actor if getattr(actor, "pk", None) else None,
        created_at=now,
        expires_at=now + timedelta(days=invite_days()),
    )
    audit_record(
        action="staff_invite.create",
        subject=invite,
        actor=actor,
        programme=programme,
        data={"email": email, "role": role},
    )
    inviter = getattr(actor, "get_full_name", lambda: "")() or getattr(actor, "email", "") or ""
    mail(
        to=email,
        template="programmes/email/invite",
        context={
            "programme": programme.name,
            "role": Role(role).label,  # lazy: rendered in the recipient's language
            "inviter": inviter,
            "url": invite_url(invite),
            "days": invite_days(),
        },
        language=language,
        kind=KIND_STAFF_INVITE,
        dedupe_key=f"{KIND_STAFF_INVITE}:{invite.pk}",
    )
    return invite


@transaction.atomic
def staff_invite_accept(*, token: str, user, now=None) -> StaffRole:
    """The signed-in `user` accepts the invitation the link names: they get its role (or keep a higher one they
    already hold there). The link is the proof
    (it went to the invited address); the account may be any, and the audit entry names both addresses.
    Raises InviteInvalid when the link cannot be used."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Sign in first."))
    invite = invite_from_token(token, now=now)
    invite = StaffInvite.objects.select_for_update().get(pk=invite.pk)  # one acceptance, even when clicked twice
    if invite.accepted_at is not None:
        raise InviteInvalid("used")
    invite.accepted_at = now or timezone.now()
    invite.accepted_by = user
    invite.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        action="staff_invite.accept",
        subject=invite,
        actor=user,
        programme=invite.programme_id,
        data={"email": invite.email, "account_email": user.email, "role": invite.role},
    )
    held = StaffRole.objects.filter(programme=invite.programme, user=user).first()
    if held is not None and ORDER.index(held.role) >= ORDER.index(invite.role):
        return held  # an invitation never lowers the role someone already holds
    return _grant(
        programme=invite.programme,
        user=user,
        role=invite.role,
        actor=invite.invited_by,
        action="staff_role.set",
        data={"invite": invite.pk},
    )


@transaction.atomic
def staff_invite_withdraw(*, invite: StaffInvite, actor=None, now=None) -> StaffInvite:
    """Withdrawing grants nothing: managing the programme's staff is enough."""
    access.require(actor, "programmes.manage_staff", obj=invite.programme)
    if invite.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted: remove the person's role instead."))
    if invite.revoked_at is None:
        invite.revoked_at = now or timezone.now()
        invite.save(update_fields=["revoked_at"])
        audit_record(
            action="staff_invite.withdraw",
            subject=invite,
            actor=actor,
            programme=invite.programme_id,
            data={"email": invite.email, "role": invite.role},
        )
    return invite


# --- For management commands (the system acts: actor=None) ----------------------------------------


@transaction.atomic
def staff_user_ensure(*, email: str, password: str | None = None) -> tuple[object, bool]:
    """The account of this address (created when missing, with its address verified: the command's operator
    vouches for it), is_staff. Returns (user, created)."""
    from allauth.account.models import EmailAddress

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Enter a valid email address.")}) from exc
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).order_by("pk").first()
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if user is None and address is not None:
        user = address.user
    created = user is None
    if created:
        username = email[:150]
        if user_model.objects.filter(username=username).exists():
            username = f"{email[:130]}-{secrets.token_hex(4)}"
        user = user_model.objects.create_user(username=username, email=email, password=password)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    elif password:
        user.set_password(password)
        user.save(update_fields=["password"])
    _make_staff(user)
    if created or password:
        audit_record(
            action="staff_user.create" if created else "staff_user.password", subject=user, data={"email": email}
        )
    return user, created
