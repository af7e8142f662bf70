"""Invitations: a community's manager emails a signed, expiring, single-use link (`tokens.py`); the invited
person, signed in, accepts it and the membership credential is issued to the invited address."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials.openbadges import ob3
from outbox.services import mail

from .links import invite_url
from .models import Community, CommunityInvite, Membership
from .services import KIND_INVITE, _audit, _check_open, _locked, issue_membership, person_name, require_manager
from .tokens import invite_tokens


@transaction.atomic
def invitation_send(*, community: Community, email: str, name: str, language: str, actor=None) -> CommunityInvite:
    """Invite someone by email: a signed link, valid COMMUNITY_INVITE_DAYS, used once."""
    require_manager(actor, community)
    _check_open(community)
    email = ob3.normalize_email(email or "")
    name = " ".join((name or "").split())
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid email address.")
    if not name:
        errors["name"] = _("Enter the person's name.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the languages offered.")
    if errors:
        raise ValidationError(errors)
    invite = CommunityInvite.objects.create(
        community=community,
        email=email,
        name=name[:200],
        language=language,
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    mail(
        to=email,
        template="communities/email/invite",
        context={
            "community": community,
            "name": invite.name,
            "invite_url": invite_url(invite),
            "days": settings.COMMUNITY_INVITE_DAYS,
        },
        language=language,
        kind=KIND_INVITE,
        dedupe_key=f"{KIND_INVITE}:{invite.pk}",
    )
    _audit("community.invite", invite, community=community, actor=actor, data={"email": email})
    return invite


@transaction.atomic
def invitation_accept(*, invite: CommunityInvite, token: str, user, now=None) -> Membership:
    """The invited person, signed in, accepts: the credential is issued to the invited address (the link proves
    it is theirs). Raises TokenError (malformed, forged, expired, used) and ValidationError."""
    now = now or timezone.now()
    invite = CommunityInvite.objects.select_for_update().select_related("community").get(pk=invite.pk)
    invite_tokens.check_token(invite, token)
    community = invite.community
    _check_open(community)
    membership = _locked(community, user)
    if membership is not None and membership.is_current(now):
        raise ValidationError(_("You are already a member of this community."), code="already_member")
    if membership is None:
        membership = Membership(community=community, user=user)
    membership.email, membership.name = invite.email, person_name(user) or invite.name
    issue_membership(membership, actor=invite.invited_by, now=now, accept_for=user, add_address=True)
    membership.decided_at, membership.decided_by = now, invite.invited_by
    membership.save()
    invite.state, invite.accepted_at = CommunityInvite.State.ACCEPTED, now
    invite.save(update_fields=["state", "accepted_at"])
    _audit("community.invite_accept", membership, community=community, actor=user, data={"invite": invite.pk})
    return membership
