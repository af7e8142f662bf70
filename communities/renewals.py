"""Renewing memberships, renewal reminders and lapsing (the periodic tasks call the last two).

A membership's period is its current credential's validity (the membership achievement's `validity_days`).
- `membership_renew`: the member renews, from `reminder_days` before expiry or once lapsed. A community that
  renews by re-confirmation issues the next period's credential at once (starting when the current one ends,
  so renewing early loses no days); one that renews by review puts the renewal in its managers' queue
  (`services.application_approve` / `application_decline`).
- `renewal_reminders_send`: emails each active member once per period, `reminder_days` before expiry
  (idempotent: the period reminded is stored, and the outbox's dedupe key names the membership and period).
- `memberships_lapse`: active memberships whose credential expired become lapsed (they leave the directory;
  the credential itself is expired by the credentials app's own task).
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox.services import mail

from .links import community_url, memberships_url
from .models import Community, Membership
from .services import _audit, _statement, issue_membership

KIND_RENEWAL_REMINDER = "community_renewal_reminder"


def renewal_due(membership: Membership, now=None) -> bool:
    """Whether the member may renew now: lapsed, or active with an expiry within the reminder window."""
    now = now or timezone.now()
    if membership.state == Membership.State.LAPSED:
        return True
    if membership.state != Membership.State.ACTIVE or membership.expires_at is None:
        return False
    return membership.expires_at - now <= timedelta(days=membership.community.reminder_days)


@transaction.atomic
def membership_renew(*, membership: Membership, user, statement: str = "", now=None) -> Membership:
    """The member renews: re-confirmation issues the next credential; review queues it for the managers."""
    now = now or timezone.now()
    if membership.user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the member renews their membership."))
    membership = Membership.objects.select_for_update().select_related("community").get(pk=membership.pk)
    community = membership.community
    if not community.is_active:
        raise ValidationError(_("This community is closed: memberships are no longer renewed."), code="inactive")
    if membership.state == Membership.State.RENEWAL:
        raise ValidationError(_("Your renewal is waiting for the managers' review."), code="already_requested")
    if membership.state == Membership.State.ACTIVE and membership.expires_at is None:
        raise ValidationError(_("This membership does not expire: there is nothing to renew."), code="no_expiry")
    if not renewal_due(membership, now):
        raise ValidationError(
            _("You can renew from %(days)d days before your membership expires.") % {"days": community.reminder_days},
            code="not_due",
        )
    if community.renewal_mode == Community.RenewalMode.REVIEW:
        membership.statement = _statement(statement, required=False) or membership.statement
        membership.state = Membership.State.RENEWAL
        membership.save(update_fields=["statement", "state"])
        _audit("community.renew_request", membership, community=community, actor=user)
        return membership
    start = membership.expires_at if membership.state == Membership.State.ACTIVE else None
    issue_membership(membership, now=now, start=start, accept_for=user)
    membership.save()
    _audit(
        "community.renew", membership, community=community, actor=user,
        data={"award": membership.award.public_id, "period": membership.period},
    )  # fmt: skip
    return membership


def renewal_reminders_send(*, now=None) -> int:
    """Remind active members whose credential expires within their community's reminder window, once per
    period. Returns how many were reminded. Idempotent."""
    now = now or timezone.now()
    widest = Community.objects.filter(is_active=True).aggregate(days=Max("reminder_days"))["days"] or 0
    candidates = Membership.objects.filter(
        state=Membership.State.ACTIVE,
        community__is_active=True,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=widest),
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(candidates):
        with transaction.atomic():
            membership = (
                Membership.objects.select_for_update(of=("self",)).select_related("community", "award").get(pk=pk)
            )
            if membership.state != Membership.State.ACTIVE or membership.reminded_period >= membership.period:
                continue
            if not renewal_due(membership, now) or membership.expires_at <= now:
                continue
            community = membership.community
            mail(
                to=membership.email,
                template="communities/email/renewal_reminder",
                context={
                    "community": community,
                    "name": membership.name,
                    "expires_at": membership.expires_at,
                    "review": community.renewal_mode == Community.RenewalMode.REVIEW,
                    "community_url": community_url(community),
                    "memberships_url": memberships_url(),
                },
                language=membership.award.recipient_language if membership.award_id else settings.LANGUAGE_CODE,
                kind=KIND_RENEWAL_REMINDER,
                dedupe_key=f"{KIND_RENEWAL_REMINDER}:{membership.pk}:{membership.period}",
            )
            membership.reminded_period = membership.period
            membership.save(update_fields=["reminded_period"])
            _audit("community.renewal_reminder", membership, community=community, data={"period": membership.period})
            count += 1
    return count


def memberships_lapse(*, now=None) -> int:
    """Active memberships whose credential has expired become lapsed. Returns how many. Idempotent."""
    now = now or timezone.now()
    due = Membership.objects.filter(state=Membership.State.ACTIVE, expires_at__lte=now).values_list("pk", flat=True)
    count = 0
    for pk in list(due):
        with transaction.atomic():
            membership = Membership.objects.select_for_update(of=("self",)).select_related("community").get(pk=pk)
            if (
                membership.state != Membership.State.ACTIVE
                or membership.expires_at is None
                or membership.expires_at > now
            ):
                continue
            membership.state = Membership.State.LAPSED
            membership.save(update_fields=["state"])
            _audit("community.lapse", membership, community=membership.community, data={"period": membership.period})
            count += 1
    return count
