"""The member directory opt-in and the contribution badges managers award to members."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials.services import Recipient, award_issue_many

from .models import ContributionAward, Membership
from .services import _audit, require_manager


@transaction.atomic
def membership_directory_set(*, membership: Membership, user, listed: bool) -> Membership:
    """Opt in to (or out of) the community's member directory: the member alone decides."""
    if membership.user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the member decides whether they are listed."))
    membership = Membership.objects.select_for_update().select_related("community").get(pk=membership.pk)
    membership.in_directory = bool(listed)
    membership.save(update_fields=["in_directory"])
    _audit("community.directory", membership, community=membership.community, actor=user, data={"listed": listed})
    return membership


def contribution_key(membership: Membership, achievement, role: str) -> str:
    key = f"community:{membership.community_id}:contribution:{membership.pk}:{achievement.pk}:{role}"
    return key if len(key) <= 100 else hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def contribution_award(
    *, membership: Membership, achievement, role: str, narrative: str = "", actor=None, now=None
) -> ContributionAward:
    """A manager awards a contribution badge (one of the community's contribution achievements) to a member,
    once per member, badge and role."""
    now = now or timezone.now()
    membership = Membership.objects.select_for_update().select_related("community").get(pk=membership.pk)
    community = membership.community
    require_manager(actor, community)
    if role not in ContributionAward.Role.values:
        raise ValidationError({"role": _("Choose contributor, facilitator or mentor.")})
    if not community.contribution_achievements.filter(pk=achievement.pk).exists():
        raise ValidationError({"achievement": _("This badge is not one of the community's contribution badges.")})
    if not membership.is_current(now):
        raise ValidationError(_("Only current members receive contribution badges."), code="not_member")
    key = contribution_key(membership, achievement, role)
    if ContributionAward.objects.filter(award__idempotency_key=key).exists():
        raise ValidationError(_("This member already holds this badge for this contribution."), code="already_awarded")
    role_label = ContributionAward.Role(role).label
    recipient = Recipient(
        email=membership.email,
        name=membership.name,
        narrative=(narrative or "").strip()
        or _("%(role)s in %(community)s.") % {"role": role_label, "community": community.name},
        idempotency_key=key,
    )
    on_behalf_of = actor if getattr(actor, "is_authenticated", False) else None
    [result] = award_issue_many(achievement=achievement, recipients=[recipient], actor=None, on_behalf_of=on_behalf_of)
    if isinstance(result, ValidationError):
        raise result
    contribution = ContributionAward.objects.create(
        membership=membership, role=role, award=result, awarded_by=on_behalf_of
    )
    _audit(
        "community.contribution", contribution, community=community, actor=actor,
        data={"role": role, "award": result.public_id},
    )  # fmt: skip
    return contribution
