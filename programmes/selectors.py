"""Reads of the programmes app for pages, commands and other apps."""

from django.db.models import QuerySet
from django.utils import timezone

import access

from .models import Programme, StaffInvite, StaffRole
from .roles import roles_of


def programmes_for(user) -> QuerySet[Programme]:
    """The active programmes a user works in: all of them for platform administrators (who hold
    `programmes.view_programme` globally), else those where they hold a role."""
    programmes = Programme.objects.filter(is_active=True)
    if user is None or access.allows(user, "programmes.view_programme"):
        return programmes
    if not getattr(user, "is_authenticated", False):
        return programmes.none()
    return programmes.filter(pk__in=list(roles_of(user)))


def programme_list() -> list[dict]:
    """Every programme as {"slug", "name"}, by slug (list_programmes --json)."""
    return list(Programme.objects.order_by("slug").values("slug", "name"))


def role_in(user, programme: Programme) -> str | None:
    """The user's role in the programme, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return roles_of(user).get(programme.pk)


def staff_of(programme: Programme) -> QuerySet[StaffRole]:
    return StaffRole.objects.filter(programme=programme).select_related("user").order_by("user__email", "pk")


def invites_of(programme: Programme, *, now=None) -> QuerySet[StaffInvite]:
    """Open invitations: neither accepted nor withdrawn, not expired."""
    return (
        StaffInvite.objects.filter(
            programme=programme, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )
