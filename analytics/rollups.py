"""Daily rollups: what the dashboard reads instead of awards (ADR 0009).

`refresh(days)` recomputes the rows of the given days (all days when None) from awards, share events and day
counts, in one transaction: a handful of grouped queries whatever the number of awards. `refresh_recent()`
works out which days changed since the last refresh (new awards, state changes, shares, counted views and
opens, expiry dates passed) and refreshes only those; `rebuild()` recomputes everything (nightly, and
`manage.py analytics_rebuild`).
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from credentials.models import Achievement, Award
from wallets.models import ShareEvent

from .models import AwardDayCount, Cursor, DailyRollup, Kind, ShareChannelRollup

COHORT_COLUMNS = ("issued", "accepted", "declined", "revoked", "expired", "pending",
                  "opened_awards", "clicked_awards", "shared_awards", "seen_awards")  # fmt: skip
ACTIVITY_KINDS = {Kind.VIEW: "views", Kind.EMAIL_OPEN: "email_opens", Kind.LINK_CLICK: "link_clicks"}


def _ranges(days: set[date]) -> list[tuple[date, date]]:
    """Consecutive days merged: [(first, last), …]."""
    ranges: list[list[date]] = []
    for day in sorted(days):
        if ranges and day == ranges[-1][1] + timedelta(days=1):
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [(first, last) for first, last in ranges]


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def in_days(field: str, days: set[date] | None, *, is_date: bool = False) -> Q:
    if days is None:
        return Q()
    condition = Q(pk__in=[])
    for first, last in _ranges(days):
        if is_date:
            condition |= Q(**{f"{field}__gte": first, f"{field}__lte": last})
        else:
            condition |= Q(**{f"{field}__gte": _moment(first), f"{field}__lt": _moment(last + timedelta(days=1))})
    return condition


def state_counts(now) -> dict:
    """What a verifier sees now (Award.effective_state): revoked beats expired beats the learner's answer."""
    lapsed = Q(expires_at__lte=now)
    live = ~lapsed & ~Q(state=Award.State.EXPIRED)
    return {
        "issued": Count("id"),
        "accepted": Count("id", filter=Q(state=Award.State.ACCEPTED) & live),
        "declined": Count("id", filter=Q(state=Award.State.DECLINED) & live),
        "revoked": Count("id", filter=Q(state=Award.State.REVOKED)),
        "expired": Count("id", filter=~Q(state=Award.State.REVOKED) & (lapsed | Q(state=Award.State.EXPIRED))),
        "pending": Count("id", filter=Q(state=Award.State.ISSUED) & live),
    }


def _had(kind: str) -> Exists:
    return Exists(AwardDayCount.objects.filter(award=OuterRef("pk"), kind=kind))


def compute(days: set[date] | None, *, now=None) -> tuple[list[DailyRollup], list[ShareChannelRollup]]:
    now = now or timezone.now()
    programme_of = dict(Achievement.objects.values_list("pk", "programme_id"))
    rows: dict[tuple, DailyRollup] = {}

    def row(day, achievement_id) -> DailyRollup:
        key = (day, achievement_id)
        if key not in rows:
            rows[key] = DailyRollup(
                day=day, achievement_id=achievement_id, programme_id=programme_of.get(achievement_id)
            )
        return rows[key]

    cohorts = (
        Award.objects.filter(in_days("issued_at", days))
        .annotate(day=TruncDate("issued_at"))
        .values("day", "achievement_id")
        .annotate(
            **state_counts(now),
            opened_awards=Count("id", filter=Q(_had(Kind.EMAIL_OPEN))),
            clicked_awards=Count("id", filter=Q(_had(Kind.LINK_CLICK))),
            seen_awards=Count("id", filter=Q(_had(Kind.VIEW))),
            shared_awards=Count("id", filter=Q(Exists(ShareEvent.objects.filter(award=OuterRef("pk"))))),
        )
        .order_by()
    )
    for values in cohorts:
        target = row(values["day"], values["achievement_id"])
        for column in COHORT_COLUMNS:
            setattr(target, column, values[column])

    channels: dict[tuple, ShareChannelRollup] = {}
    shares = (
        ShareEvent.objects.filter(in_days("at", days))
        .annotate(day=TruncDate("at"))
        .values("day", "award__achievement_id", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    for values in shares:
        achievement_id = values["award__achievement_id"]
        row(values["day"], achievement_id).shares += values["n"]
        channels[(values["day"], achievement_id, values["channel"])] = ShareChannelRollup(
            day=values["day"], achievement_id=achievement_id, programme_id=programme_of.get(achievement_id),
            channel=values["channel"], shares=values["n"],
        )  # fmt: skip

    counted = (
        AwardDayCount.objects.filter(in_days("day", days, is_date=True))
        .values("day", "award__achievement_id", "kind")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for values in counted:
        column = ACTIVITY_KINDS.get(values["kind"])
        if column:
            target = row(values["day"], values["award__achievement_id"])
            setattr(target, column, getattr(target, column) + values["n"])

    expiring = (
        Award.objects.filter(in_days("expires_at", days), expires_at__isnull=False)
        .exclude(state__in=[Award.State.REVOKED, Award.State.DECLINED])
        .annotate(day=TruncDate("expires_at"))
        .values("day", "achievement_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for values in expiring:
        row(values["day"], values["achievement_id"]).expiring = values["n"]
    return list(rows.values()), list(channels.values())


@transaction.atomic
def refresh(days: set[date] | None = None, *, now=None) -> int:
    """Recompute the rollups of `days` (every day when None). Returns the number of rows written."""
    if days is not None and not days:
        return 0
    rollups, channels = compute(days, now=now)
    DailyRollup.objects.filter(in_days("day", days, is_date=True)).delete()
    ShareChannelRollup.objects.filter(in_days("day", days, is_date=True)).delete()
    DailyRollup.objects.bulk_create(rollups, batch_size=500)
    ShareChannelRollup.objects.bulk_create(channels, batch_size=500)
    return len(rollups)


def issue_days(queryset) -> set[date]:
    """The days (local) these awards were issued on: the rollup rows that count them."""
    return _dates(queryset, "issued_at")


def _dates(queryset, field: str) -> set[date]:
    return {
        day
        for day in queryset.annotate(d=TruncDate(field)).values_list("d", flat=True).distinct().order_by()
        if day is not None
    }


def changed_days(since, last_award_id: int, now) -> set[date]:
    """Days whose rollups may differ from what the refresh at `since` wrote."""
    today = timezone.localdate(now)
    days = {since.date() + timedelta(days=n) for n in range((today - since.date()).days + 1)}
    new = Award.objects.filter(pk__gt=last_award_id)
    changed = Award.objects.filter(state_changed_at__gte=since)
    lapsed = Award.objects.filter(expires_at__gte=since, expires_at__lte=now)
    shared = Award.objects.filter(Exists(ShareEvent.objects.filter(award=OuterRef("pk"), at__gte=since)))
    counted = Award.objects.filter(
        Exists(AwardDayCount.objects.filter(award=OuterRef("pk"), day__gte=since.date() - timedelta(days=1)))
    )
    for queryset in (new, changed, lapsed, shared, counted):
        days |= _dates(queryset, "issued_at")
    for queryset in (new, changed):
        days |= _dates(queryset.filter(expires_at__isnull=False), "expires_at")
    return days


def refresh_recent(*, now=None) -> int:
    """Refresh the days that changed since the last refresh (everything the first time)."""
    now = now or timezone.now()
    with transaction.atomic():
        cursor, created = Cursor.objects.select_for_update().get_or_create(name="rollups")
        last_award_id = Award.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if created or cursor.at is None:
            written = refresh(None, now=now)
        else:
            written = refresh(changed_days(cursor.at, cursor.position, now), now=now)
        cursor.at, cursor.position = now, last_award_id
        cursor.save()
    return written


def rebuild(*, now=None) -> int:
    """Every rollup from scratch."""
    now = now or timezone.now()
    with transaction.atomic():
        cursor, _created = Cursor.objects.select_for_update().get_or_create(name="rollups")
        written = refresh(None, now=now)
        cursor.at = now
        cursor.position = Award.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        cursor.save()
    return written
