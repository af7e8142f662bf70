"""Reads of the API: what a caller may see. An administrator holding the global view permission sees every
programme; a key or a member of staff sees the programmes of their roles. Objects are then checked one by one
with `access.require(..., obj=...)`, as the services do."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from credentials.models import Achievement, Award, BulkJob
from events.models import Event
from events.selectors import events_with_counts
from programmes.models import Programme
from programmes.roles import PRESETS, roles_of


def programme_ids(actor, perm: str) -> set[int] | None:
    """Programmes where `actor` holds `perm` through a role; None when they hold it everywhere."""
    if actor.has_perm(perm):
        return None
    return {pid for pid, role in roles_of(actor).items() if perm in PRESETS[role]}


def _scoped(qs: QuerySet, actor, perm: str, field: str) -> QuerySet:
    ids = programme_ids(actor, perm)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def programmes_visible(actor) -> QuerySet:
    return _scoped(Programme.objects.filter(is_active=True), actor, "programmes.view_programme", "pk")


def achievements_visible(actor, *, programme: str = "", status: str = "") -> QuerySet:
    """Published achievements of the caller's programmes; drafts, submitted and archived ones only where the
    caller may change achievements (managers)."""
    qs = Achievement.objects.select_related("issuer", "programme", "tier", "category")
    qs = _scoped(qs, actor, "credentials.view_achievement", "programme_id")
    editors = programme_ids(actor, "credentials.change_achievement")
    if editors is not None:
        qs = qs.filter(Q(status=Achievement.Status.PUBLISHED) | Q(programme_id__in=editors))
    if programme:
        qs = qs.filter(programme__slug=programme)
    if status:
        qs = qs.filter(status=status)
    return qs


AWARD_JOINS = ("achievement__programme", "achievement__issuer", "replaces")


def awards_visible(
    actor, *, achievement: str = "", state: str = "", recipient: str = "", issued_after=None, issued_before=None
) -> QuerySet:
    qs = _scoped(
        Award.objects.select_related(*AWARD_JOINS), actor, "credentials.view_award", "achievement__programme_id"
    )
    if achievement:
        qs = qs.filter(achievement__slug=achievement)
    if recipient:
        qs = qs.filter(recipient_email=recipient.strip().lower())
    if issued_after:
        qs = qs.filter(issued_at__gte=issued_after)
    if issued_before:
        qs = qs.filter(issued_at__lt=issued_before)
    if state:
        now = timezone.now()
        lapsed = Q(expires_at__lte=now) & ~Q(state=Award.State.REVOKED)
        qs = (
            qs.filter(Q(state=state) | lapsed)
            if state == Award.State.EXPIRED
            else qs.filter(state=state).exclude(lapsed)
        )
    return qs


def award_for_api(public_id: str) -> Award | None:
    return Award.objects.select_related(*AWARD_JOINS).filter(public_id=public_id).first()


def bulk_jobs_visible(actor) -> QuerySet:
    qs = BulkJob.objects.select_related("achievement__programme")
    return _scoped(qs, actor, "credentials.view_bulkjob", "achievement__programme_id")


def events_visible(actor) -> QuerySet:
    return _scoped(events_with_counts(), actor, "events.view_event", "achievement__programme_id")


def event_for_api(pk) -> Event | None:
    return events_with_counts().filter(pk=pk).first() if str(pk).isdigit() else None


def bulk_job_for_api(pk) -> BulkJob | None:
    return BulkJob.objects.select_related("achievement__programme").filter(pk=pk).first() if str(pk).isdigit() else None
