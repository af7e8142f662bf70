"""Reads of the events app for pages and the staff console, with the joins each needs."""

from django.db.models import Count, Q

from .models import Event, EventClaim, normalise_code

EVENT_JOINS = ("achievement__issuer", "achievement__tier", "achievement__category")


def events_with_counts():
    """Events with `confirmed_count` (claims confirmed) and `pending_count` annotated."""
    return Event.objects.select_related(*EVENT_JOINS).annotate(
        confirmed_count=Count("claims", filter=Q(claims__state=EventClaim.State.CONFIRMED)),
        pending_count=Count("claims", filter=Q(claims__state=EventClaim.State.PENDING)),
    )


def event_by_code(code: str) -> Event | None:
    """The event with this claim code as typed (any case, with or without spaces and dashes), its
    achievement and issuer, and its claim counts; None if there is none. One query."""
    code = normalise_code(code)
    if not code:
        return None
    return events_with_counts().filter(code=code).first()


def claim_for_confirmation(*, code: str, claim_id: int) -> EventClaim | None:
    """A claim of the event with this code, with its event, achievement and award; None if there is none."""
    return (
        EventClaim.objects.select_related("event__achievement__issuer", "award")
        .filter(pk=claim_id, event__code=normalise_code(code))
        .first()
    )


def current_events(*, limit: int = 6) -> list[Event]:
    """Active events whose claim window is open now, soonest closing first (for the home page: no codes shown)."""
    from django.utils import timezone

    now = timezone.now()
    return list(
        Event.objects.select_related(*EVENT_JOINS)
        .filter(is_active=True, opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "pk")[:limit]
    )
