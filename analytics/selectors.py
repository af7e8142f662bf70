"""Reads for the analytics pages, the report command and the benchmark: every figure from the rollups, never from
awards, so that a page costs the same at a thousand awards as at a million.

Every function takes `programme_ids` (None: every programme, awards of no programme included; a list: those
programmes only) and a date range `start`–`end` (inclusive; None: open). Cohort figures (issued, accepted,
pending, shared…) are about the awards issued in the range; activity figures (views, shares by channel) about
what happened in it (ADR 0009).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone

from credentials.models import Award

from . import rollups
from .models import Cursor, DailyRollup, ShareChannelRollup

SUMMED = ("issued", "accepted", "declined", "revoked", "expired", "pending", "opened_awards", "clicked_awards",
          "shared_awards", "seen_awards", "shares", "views", "email_opens", "link_clicks")  # fmt: skip


@dataclass(frozen=True)
class Scope:
    programme_ids: tuple[int, ...] | None = None
    start: date | None = None
    end: date | None = None


def _filter(queryset, scope: Scope, *, dated: bool = True):
    if scope.programme_ids is not None:
        queryset = queryset.filter(programme_id__in=scope.programme_ids)
    if dated and scope.start:
        queryset = queryset.filter(day__gte=scope.start)
    if dated and scope.end:
        queryset = queryset.filter(day__lte=scope.end)
    return queryset


def _sums(queryset) -> dict[str, int]:
    values = queryset.aggregate(**{name: Sum(name) for name in SUMMED})
    return {name: values[name] or 0 for name in SUMMED}


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def totals(scope: Scope, *, today: date | None = None) -> dict:
    """Headline figures: issued, claim rate, share rate, views, pending claims, expiring in the next 30 days."""
    today = today or timezone.localdate()
    sums = _sums(_filter(DailyRollup.objects.all(), scope))
    expiring = (
        _filter(DailyRollup.objects.all(), scope, dated=False)
        .filter(day__gte=today, day__lte=today + timedelta(days=30))
        .aggregate(n=Sum("expiring"))["n"]
        or 0
    )
    return {
        **sums,
        "claim_rate": _rate(sums["accepted"], sums["issued"]),
        "share_rate": _rate(sums["shared_awards"], sums["issued"]),
        "expiring_30": expiring,
    }


def funnel(sums: dict) -> list[dict]:
    """Issued → claim email opened → accepted → shared → seen by others (awards, each step of the cohort)."""
    from django.utils.translation import gettext as _

    steps = [
        ("issued", _("Issued"), sums["issued"]),
        ("opened", _("Claim email opened"), sums["opened_awards"]),
        ("accepted", _("Accepted"), sums["accepted"]),
        ("shared", _("Shared"), sums["shared_awards"]),
        ("seen", _("Seen by others"), sums["seen_awards"]),
    ]
    return [{"key": key, "label": label, "value": value, "rate": _rate(value, sums["issued"])}
            for key, label, value in steps]  # fmt: skip


def _months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def monthly(scope: Scope, *, today: date | None = None) -> list[dict]:
    """Issued, accepted and shared (cohort of the month's awards) and views (that month), every month of the
    range, empty months included."""
    # Summed per day in SQL (an index range), per month here: SQLite truncates dates with a Python function per
    # row, which made this the slowest query of the page.
    rows: dict[date, dict[str, int]] = {}
    per_day = (
        _filter(DailyRollup.objects.all(), scope)
        .values("day")
        .annotate(issued=Sum("issued"), accepted=Sum("accepted"), shared=Sum("shared_awards"), views=Sum("views"))
        .order_by()
    )
    for row in per_day:
        month = rows.setdefault(row["day"].replace(day=1), dict.fromkeys(("issued", "accepted", "shared", "views"), 0))
        for key in month:
            month[key] += row[key] or 0
    today = today or timezone.localdate()
    end = min(scope.end or today, today)
    start = scope.start or min(rows, default=end)
    series = []
    for month in _months(start, end):
        row = rows.get(month, {})
        series.append({"month": month, **{key: row.get(key) or 0 for key in ("issued", "accepted", "shared", "views")}})
    return series


def top_achievements(scope: Scope, *, limit: int = 10) -> list[dict]:
    rows = (
        _filter(DailyRollup.objects.all(), scope)
        .values("achievement_id", "achievement__name", "achievement__slug")
        .annotate(issued=Sum("issued"), accepted=Sum("accepted"), shared=Sum("shared_awards"), views=Sum("views"))
        .filter(issued__gt=0)
        .order_by("-issued", "achievement__name")[:limit]
    )
    return [
        {"name": row["achievement__name"], "slug": row["achievement__slug"], "issued": row["issued"],
         "accepted": row["accepted"], "shared": row["shared"], "views": row["views"],
         "claim_rate": _rate(row["accepted"], row["issued"])}
        for row in rows
    ]  # fmt: skip


def share_channels(scope: Scope) -> list[dict]:
    from wallets.models import ShareEvent

    labels = dict(ShareEvent.Channel.choices)
    rows = (
        _filter(ShareChannelRollup.objects.all(), scope)
        .values("channel")
        .annotate(shares=Sum("shares"))
        .order_by("-shares", "channel")
    )
    return [{"channel": row["channel"], "label": str(labels.get(row["channel"], row["channel"])),
             "shares": row["shares"]} for row in rows]  # fmt: skip


def by_programme(scope: Scope) -> dict[int | None, dict[str, int]]:
    """The summed columns per programme id (None: achievements of no programme)."""
    rows = (
        _filter(DailyRollup.objects.all(), scope)
        .values("programme_id")
        .annotate(**{name: Sum(name) for name in SUMMED})
        .order_by()
    )
    return {row["programme_id"]: {name: row[name] or 0 for name in SUMMED} for row in rows}


def dashboard(scope: Scope, *, today: date | None = None) -> dict:
    """Everything the dashboard shows: five queries."""
    figures = totals(scope, today=today)
    return {
        "totals": figures,
        "funnel": funnel(figures),
        "monthly": monthly(scope, today=today),
        "top_achievements": top_achievements(scope),
        "channels": share_channels(scope),
    }


REPORT_KEYS = ("issued", "accepted", "declined", "revoked", "expired", "shared", "verification_views")


def _report_figures(sums: dict) -> dict[str, int]:
    return {
        "issued": sums["issued"],
        "accepted": sums["accepted"],
        "declined": sums["declined"],
        "revoked": sums["revoked"],
        "expired": sums["expired"],
        "shared": sums["shared_awards"],
        "verification_views": sums["views"],
    }


def report(*, programmes: list, since: date | None = None) -> dict:
    """`analytics_report --json`: the figures of the awards issued since `since` (their state now; `shared`: how
    many were shared at least once) and the verification-page views since then; totals over `programmes` (all:
    awards of no programme included) and one entry per programme."""
    from programmes.models import Programme

    all_programmes = len(programmes) == Programme.objects.count()
    scope = Scope(programme_ids=None if all_programmes else tuple(p.pk for p in programmes), start=since)
    per_programme = by_programme(scope)
    empty = dict.fromkeys(SUMMED, 0)
    total = {name: sum(row[name] for row in per_programme.values()) for name in SUMMED} if per_programme else empty
    return {
        **_report_figures(total),
        "by_programme": [
            {"slug": programme.slug, **_report_figures(per_programme.get(programme.pk, empty))}
            for programme in programmes
        ],
    }


FIGURE_STATES = ("issued", "accepted", "pending", "revoked")


def stale_days(now=None) -> set[date] | None:
    """Days whose rollups may not say what the awards say now: from the last refresh's day to today, and the
    issue days of the awards created, answered, revoked or lapsed since that refresh (small range scans of the
    award indexes on id, state_changed_at and expires_at). None before the first refresh: nothing is trusted."""
    now = now or timezone.now()
    cursor = Cursor.objects.filter(name="rollups").first()
    if cursor is None or cursor.at is None:
        return None
    since = cursor.at
    today = timezone.localdate(now)
    first = timezone.localdate(since)
    days = {first + timedelta(days=n) for n in range((today - first).days + 1)}
    for changed in (
        Award.objects.filter(pk__gt=cursor.position),
        Award.objects.filter(state_changed_at__gte=since),
        Award.objects.filter(expires_at__gte=since, expires_at__lte=now),
    ):
        days |= rollups.issue_days(changed)
    return days


def award_figures(programme_ids, *, now=None) -> dict[int, dict[str, int]]:
    """Exact per programme, as a verifier would see each award now (ADR 0023): issued, accepted (and not
    expired), pending (no answer, not expired), revoked. The rollups of the days no change touched since the
    last refresh, plus a live count of the awards issued on the other days (`stale_days`): the cost follows
    the days and the changes since the refresh, not the number of awards."""
    now = now or timezone.now()
    ids = list(programme_ids)
    figures = {pk: dict.fromkeys(FIGURE_STATES, 0) for pk in ids}
    stale = stale_days(now)
    if stale is not None:
        clean = (
            DailyRollup.objects.filter(programme_id__in=ids)
            .exclude(rollups.in_days("day", stale, is_date=True))
            .values("programme_id")
            .annotate(**{name: Sum(name) for name in FIGURE_STATES})
            .order_by()
        )
        for row in clean:
            for name in FIGURE_STATES:
                figures[row["programme_id"]][name] += row[name] or 0
    live = Award.objects.filter(achievement__programme_id__in=ids)
    if stale is not None:
        live = live.filter(rollups.in_days("issued_at", stale))
    counts = rollups.state_counts(now)
    rows = live.values("achievement__programme_id").annotate(**{n: counts[n] for n in FIGURE_STATES}).order_by()
    for row in rows:
        for name in FIGURE_STATES:
            figures[row["achievement__programme_id"]][name] += row[name]
    return figures
