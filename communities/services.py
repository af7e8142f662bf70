"""Every write of the communities app: keyword-only, atomic, one audit entry per state change.

Who manages a community (`is_manager`): whoever holds `communities.change_community` for it, that is the
managers of its programme (programmes.roles) and platform administrators, plus the people named in its
`managers` list. Only the former create communities and name the latter (nobody grants what they do not hold).

Joining, by the community's `join_mode`:
- open: `membership_join` — a short statement, and the membership credential is issued at once;
- application: `membership_apply` → a manager `application_approve`s (credential issued),
  `application_ask_more` (the applicant answers by applying again) or `application_decline`s with a reason
  (they may apply again later);
- invitation (any mode): `invitation_send` emails a signed, expiring link; `invitation_accept` issues it.

Membership credentials are real awards of the community's membership achievement, issued by the system on
behalf of the deciding manager (or of nobody, for self-declaration); the achievement's validity is the
membership period. Renewal, reminders and lapsing are in `renewals.py`.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

import access
from audit.services import audit_record
from credentials.openbadges import ob3
from credentials.services import Recipient, award_issue_many
from outbox.services import mail
from wallets.selectors.membership import verified_emails
from wallets.services import claim_accept

from .links import community_url, memberships_url
from .models import MEMBERSHIP_CATEGORIES, Community, Membership

CHANGE = "communities.change_community"
ADD = "communities.add_community"
STATEMENT_LENGTH = 2000
COMMUNITY_FIELDS = (
    "name", "description", "how_to_join", "membership_achievement", "join_mode", "renewal_mode", "reminder_days",
    "is_active",
)  # fmt: skip

KIND_INVITE = "community_invite"
KIND_MORE_INFO = "community_more_info"
KIND_DECLINED = "community_declined"


# --- Who manages -------------------------------------------------------------------------------------------


def is_manager(user, community: Community) -> bool:
    """Managers of the community's programme (and administrators), and its own named managers."""
    if access.allows(user, CHANGE, obj=community):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return community.managers.filter(pk=user.pk).exists()


def require_manager(actor, community: Community) -> None:
    if actor is not None and not is_manager(actor, community):
        raise PermissionDenied(_("Only the community's managers may do this."))


def _audit(action: str, subject, *, community: Community, actor=None, data=None) -> None:
    audit_record(action=action, subject=subject, actor=actor, data=data or {}, programme=community.programme_id)


# --- Communities -------------------------------------------------------------------------------------------


def _check_achievement(community: Community) -> None:
    achievement = community.membership_achievement
    if achievement.category is None or achievement.category.code not in MEMBERSHIP_CATEGORIES:
        raise ValidationError(
            {"membership_achievement": _("Choose a badge of the “Membership” or “Community of Practice” category.")}
        )


@transaction.atomic
def community_create(
    *,
    programme,
    slug: str,
    name: str,
    description: str,
    membership_achievement,
    how_to_join: str = "",
    join_mode: str = Community.JoinMode.APPLICATION,
    renewal_mode: str = Community.RenewalMode.CONFIRM,
    reminder_days: int = 30,
    actor=None,
) -> Community:
    """Create a community of a programme. PermissionDenied unless the actor may add communities there;
    ValidationError naming each problem."""
    access.require(actor, ADD, obj=programme)
    community = Community(
        programme=programme,
        slug=slug,
        name=name,
        description=description,
        how_to_join=how_to_join,
        membership_achievement=membership_achievement,
        join_mode=join_mode,
        renewal_mode=renewal_mode,
        reminder_days=reminder_days,
    )
    community.full_clean()
    community.save()
    _audit("community.create", community, community=community, actor=actor, data={"slug": slug})
    return community


@transaction.atomic
def community_update(*, community: Community, actor=None, **changes) -> Community:
    """Change a community's fields (COMMUNITY_FIELDS; its programme and address stay). Its managers may."""
    require_manager(actor, community)
    unknown = set(changes) - set(COMMUNITY_FIELDS)
    if unknown:
        raise TypeError(f"community_update() cannot change {sorted(unknown)}")
    for field, value in changes.items():
        setattr(community, field, value)
    community.full_clean()
    community.save()
    _audit("community.update", community, community=community, actor=actor, data={"fields": sorted(changes)})
    return community


@transaction.atomic
def community_managers_set(*, community: Community, users, actor=None) -> Community:
    """Name the community's own managers: the programme's managers (CHANGE through their role) only."""
    access.require(actor, CHANGE, obj=community)
    community.managers.set(users)
    _audit(
        "community.managers", community, community=community, actor=actor,
        data={"managers": sorted(user.pk for user in users)},
    )  # fmt: skip
    return community


@transaction.atomic
def contribution_achievements_set(*, community: Community, achievements, actor=None) -> Community:
    """Which badges the managers may award to members: achievements of the community's programme."""
    access.require(actor, CHANGE, obj=community)
    for achievement in achievements:
        if achievement.programme_id != community.programme_id:
            raise ValidationError(_("“%(name)s” belongs to another programme.") % {"name": achievement.name})
    community.contribution_achievements.set(achievements)
    _audit(
        "community.contribution_badges", community, community=community, actor=actor,
        data={"achievements": sorted(a.slug for a in achievements)},
    )  # fmt: skip
    return community


# --- The person --------------------------------------------------------------------------------------------


def person_email(user) -> str:
    """The address a membership credential is issued to: the account's own address if verified, else its first
    verified address. ValidationError (code "unverified") without one: credentials go to proven addresses."""
    emails = verified_emails(user)
    own = ob3.normalize_email(user.email or "")
    if own in emails:
        return own
    if emails:
        return emails[0]
    raise ValidationError(
        _("Confirm your email address first: membership credentials are sent to a confirmed address."),
        code="unverified",
    )


def person_name(user) -> str:
    profile = getattr(user, "wallet_profile", None) if hasattr(user, "wallet_profile") else None
    return ((profile.display_name if profile else "") or user.get_full_name() or user.get_username()).strip()[:200]


def _statement(statement: str, *, required: bool) -> str:
    statement = (statement or "").strip()
    if required and not statement:
        raise ValidationError({"statement": _("Write a few words about why you join.")}, code="required")
    if len(statement) > STATEMENT_LENGTH:
        raise ValidationError(
            {"statement": _("Keep it under %(count)d characters.") % {"count": STATEMENT_LENGTH}}, code="too_long"
        )
    return statement


def _check_open(community: Community) -> None:
    if not community.is_active:
        raise ValidationError(_("This community is not taking new members."), code="inactive")


def _locked(community: Community, user) -> Membership | None:
    return Membership.objects.select_for_update().filter(community=community, user=user).first()


def _refuse_member(membership: Membership | None, now) -> None:
    if membership is None:
        return
    if membership.is_current(now):
        raise ValidationError(_("You are already a member of this community."), code="already_member")
    if membership.state == Membership.State.APPLIED:
        raise ValidationError(_("Your application is waiting for the managers' review."), code="already_applied")


# --- Issuing the membership credential --------------------------------------------------------------------


def membership_key(membership: Membership, period: int) -> str:
    return f"community:{membership.community_id}:member:{membership.user_id}:{period}"


def issue_membership(
    membership: Membership, *, actor=None, now=None, start=None, accept_for=None, add_address=False
) -> Membership:
    """Issue the membership credential of the next period and make the membership active (in the caller's
    transaction). `start`: when the new period begins (a renewal before expiry continues the old period).
    `accept_for`: the person, present and asking (joining, renewing, accepting an invitation), whose wallet takes
    the credential at once (no claim email); `add_address` for an invitation, whose link proved the mailbox."""
    now = now or timezone.now()
    community = membership.community
    achievement = community.membership_achievement
    period = membership.period + 1
    expires_at = None
    if achievement.validity_days and start is not None and start > now:
        expires_at = start + timedelta(days=achievement.validity_days)
    recipient = Recipient(
        email=membership.email,
        name=membership.name,
        issued_at=now,
        expires_at=expires_at,
        narrative=_("Member of %(community)s.") % {"community": community.name},
        idempotency_key=membership_key(membership, period),
    )
    on_behalf_of = actor if getattr(actor, "is_authenticated", False) else None
    [result] = award_issue_many(achievement=achievement, recipients=[recipient], actor=None, on_behalf_of=on_behalf_of)
    if isinstance(result, ValidationError):
        raise result
    if accept_for is not None:
        result = claim_accept(award=result, user=accept_for, add_address=add_address)
    membership.award = result
    membership.period = period
    membership.expires_at = result.expires_at
    membership.state = Membership.State.ACTIVE
    membership.manager_note = ""
    return membership


# --- Joining -----------------------------------------------------------------------------------------------


@transaction.atomic
def membership_join(*, community: Community, user, statement: str, now=None) -> Membership:
    """Open self-declaration: the membership credential is issued at once."""
    now = now or timezone.now()
    _check_open(community)
    if community.join_mode != Community.JoinMode.OPEN:
        raise ValidationError(_("This community does not take self-declared members."), code="not_open")
    statement = _statement(statement, required=True)
    email = person_email(user)
    membership = _locked(community, user)
    _refuse_member(membership, now)
    if membership is None:
        membership = Membership(community=community, user=user)
    membership.email, membership.name, membership.statement = email, person_name(user), statement
    issue_membership(membership, now=now, accept_for=user)
    membership.decided_at = now
    membership.save()
    _audit(
        "community.join", membership, community=community, actor=user,
        data={"community": community.slug, "award": membership.award.public_id},
    )  # fmt: skip
    return membership


@transaction.atomic
def membership_apply(*, community: Community, user, statement: str, now=None) -> Membership:
    """Apply (or answer the managers' question, or apply again after a decline or a lapse)."""
    now = now or timezone.now()
    _check_open(community)
    if community.join_mode != Community.JoinMode.APPLICATION:
        raise ValidationError(_("This community does not take applications."), code="not_by_application")
    statement = _statement(statement, required=True)
    email = person_email(user)
    membership = _locked(community, user)
    if membership is not None and membership.is_current(now):
        raise ValidationError(_("You are already a member of this community."), code="already_member")
    previous = membership.state if membership else None
    if membership is None:
        membership = Membership(community=community, user=user)
    membership.email, membership.name, membership.statement = email, person_name(user), statement
    membership.state = Membership.State.APPLIED
    membership.save()
    _audit(
        "community.apply", membership, community=community, actor=user,
        data={"community": community.slug, "previous": previous},
    )  # fmt: skip
    return membership


def _decidable(membership: Membership, actor, states) -> Membership:
    locked = Membership.objects.select_for_update().select_related("community", "user").get(pk=membership.pk)
    require_manager(actor, locked.community)
    if locked.state not in states:
        raise ValidationError(
            _("This request was already answered (it is now: %(state)s).") % {"state": locked.get_state_display()},
            code="not_waiting",
        )
    return locked


@transaction.atomic
def application_approve(*, membership: Membership, actor=None, now=None) -> Membership:
    """Approve an application (or a renewal under review): the membership credential is issued."""
    now = now or timezone.now()
    membership = _decidable(
        membership, actor, (Membership.State.APPLIED, Membership.State.MORE_INFO, Membership.State.RENEWAL)
    )
    renewal = membership.state == Membership.State.RENEWAL
    start = membership.expires_at if renewal else None
    issue_membership(membership, actor=actor, now=now, start=start)
    membership.decided_at, membership.decided_by = now, actor if getattr(actor, "is_authenticated", False) else None
    membership.save()
    _audit(
        "community.renew_approve" if renewal else "community.approve", membership, community=membership.community,
        actor=actor, data={"award": membership.award.public_id, "period": membership.period},
    )  # fmt: skip
    return membership


def _notify(membership: Membership, *, kind: str, template: str, note: str, now) -> None:
    mail(
        to=membership.email,
        template=f"communities/email/{template}",
        context={
            "community": membership.community,
            "name": membership.name,
            "note": note,
            "community_url": community_url(membership.community),
            "memberships_url": memberships_url(),
        },
        language=membership.award.recipient_language
        if membership.award_id
        else get_language() or settings.LANGUAGE_CODE,
        kind=kind,
        dedupe_key=f"{kind}:{membership.pk}:{now.isoformat()}",
    )


def _note(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message}, code="required")
    if len(text) > STATEMENT_LENGTH:
        raise ValidationError({field: _("Keep it under %(count)d characters.") % {"count": STATEMENT_LENGTH}})
    return text


@transaction.atomic
def application_ask_more(*, membership: Membership, question: str, actor=None, now=None) -> Membership:
    """Ask the applicant for more: they are emailed the question and answer by applying again."""
    now = now or timezone.now()
    question = _note(question, "question", _("Write the question for the applicant."))
    membership = _decidable(membership, actor, (Membership.State.APPLIED,))
    membership.state, membership.manager_note = Membership.State.MORE_INFO, question
    membership.decided_at, membership.decided_by = now, actor if getattr(actor, "is_authenticated", False) else None
    membership.save()
    _notify(membership, kind=KIND_MORE_INFO, template="more_info", note=question, now=now)
    _audit("community.ask_more", membership, community=membership.community, actor=actor)
    return membership


@transaction.atomic
def application_decline(*, membership: Membership, reason: str, actor=None, now=None) -> Membership:
    """Decline an application with a reason (emailed); the person may apply again. Declining a renewal keeps
    the membership until its credential expires."""
    now = now or timezone.now()
    reason = _note(reason, "reason", _("Give the reason: the applicant will read it."))
    states = (Membership.State.APPLIED, Membership.State.MORE_INFO, Membership.State.RENEWAL)
    membership = _decidable(membership, actor, states)
    renewal = membership.state == Membership.State.RENEWAL
    membership.state = Membership.State.ACTIVE if renewal else Membership.State.DECLINED
    membership.manager_note = reason
    membership.decided_at, membership.decided_by = now, actor if getattr(actor, "is_authenticated", False) else None
    membership.save()
    _notify(membership, kind=KIND_DECLINED, template="declined", note=reason, now=now)
    _audit("community.decline", membership, community=membership.community, actor=actor, data={"renewal": renewal})
    return membership


# Invitations, the directory and contribution badges live in their own modules (same rules); re-exported here so
# that callers find every write of the app in `communities.services`.
from .contributions import contribution_award, contribution_key, membership_directory_set  # noqa: E402
from .invitations import invitation_accept, invitation_send  # noqa: E402

__all__ = [
    "application_approve", "application_ask_more", "application_decline", "community_create",
    "community_managers_set", "community_update", "contribution_achievements_set", "contribution_award",
    "contribution_key", "invitation_accept", "invitation_send", "is_manager", "issue_membership",
    "membership_apply", "membership_directory_set", "membership_join", "require_manager",
]  # fmt: skip
