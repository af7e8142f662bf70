"""Reads of the staff console: figures, lists with their filters, search. Each list is one query plus its
count; figures are aggregates computed by the database in one statement per table."""

from datetime import timedelta

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from credentials.models import Achievement, Award, BulkJob
from events.selectors import events_with_counts
from outbox.models import OutboxEmail

State = Award.State
SORTS = {
    "newest": ("-issued_at", "-id"),
    "oldest": ("issued_at", "id"),
    "name": ("recipient_name", "id"),
    "-name": ("-recipient_name", "-id"),
    "achievement": ("achievement__name", "-issued_at"),
}
EXPIRING_DAYS = 30


def awards_of(programme):
    return Award.objects.filter(achievement__programme=programme)


def _figure_filters(prefix: str = "") -> dict:
    """Count() arguments of the console's figures over awards reached through `prefix` (a relation path)."""
    now = timezone.now()
    p = prefix
    live = Q(**{f"{p}expires_at__isnull": True}) | Q(**{f"{p}expires_at__gt": now})
    return {
        "issued": Count(f"{p}id"),
        "accepted": Count(f"{p}id", filter=Q(**{f"{p}state": State.ACCEPTED})),
        "pending": Count(f"{p}id", filter=Q(**{f"{p}state": State.ISSUED}) & live),
        "revoked": Count(f"{p}id", filter=Q(**{f"{p}state": State.REVOKED})),
        "expiring": Count(
            f"{p}id",
            filter=Q(
                **{
                    f"{p}state__in": (State.ISSUED, State.ACCEPTED),
                    f"{p}expires_at__gt": now,
                    f"{p}expires_at__lte": now + timedelta(days=EXPIRING_DAYS),
                }
            ),
        ),
    }


def _rates(figures: dict) -> dict:
    issued = figures.get("issued") or 0
    answered = issued - (figures.get("revoked") or 0)
    figures["claim_rate"] = round(100 * (figures.get("accepted") or 0) / answered) if answered > 0 else None
    return figures


def programme_figures(programme) -> dict:
    """issued, accepted, pending (waiting for an answer), revoked, expiring (in 30 days) and the claim rate."""
    return _rates(awards_of(programme).aggregate(**_figure_filters()))


def programmes_with_figures(programmes) -> list:
    """The programmes of the console home, each with its figures (one query for all)."""
    rows = programmes.annotate(**_figure_filters("achievements__awards__"))
    result = []
    for programme in rows:
        programme.figures = _rates({name: getattr(programme, name) for name in _figure_filters()})
        result.append(programme)
    return result


def recent_awards(programme, limit: int = 8) -> list[Award]:
    return list(awards_of(programme).select_related("achievement").order_by("-issued_at", "-id")[:limit])


def recent_jobs(programme, limit: int = 5) -> list[BulkJob]:
    """The latest bulk jobs with their progress (failed rows counted in the same query)."""
    jobs = (
        BulkJob.objects.filter(achievement__programme=programme)
        .select_related("achievement")
        .annotate(failed=Count("rows", filter=Q(rows__done=True) & ~Q(rows__error="")))
        .order_by("-created_at")[:limit]
    )
    result = []
    for job in jobs:
        processed = min(job.created_count + job.skipped_count + job.failed, job.valid_rows)
        job.processed = processed
        job.percent = int(processed * 100 / job.valid_rows) if job.valid_rows else 0
        result.append(job)
    return result


def achievements_of(programme):
    return Achievement.objects.filter(programme=programme).select_related("tier", "category", "issuer")


def publishable_achievements(programme):
    return achievements_of(programme).filter(status=Achievement.Status.PUBLISHED, is_active=True).order_by("name")


def achievements_by_status(programme) -> list[tuple]:
    """[(status value, label, [achievements with `award_count`])] in workflow order."""
    rows = achievements_of(programme).annotate(award_count=Count("awards")).order_by("name")
    groups = {value: [] for value in Achievement.Status.values}
    for achievement in rows:
        groups[achievement.status].append(achievement)
    return [(value, label, groups[value]) for value, label in Achievement.Status.choices]


def award_search(queryset, q: str):
    """Name, email, organisation (an organisation's name is its recipient name) or credential id."""
    q = (q or "").strip()
    if not q:
        return queryset
    return queryset.filter(
        Q(recipient_name__icontains=q)
        | Q(recipient_email__icontains=q)
        | Q(public_id__iexact=q)
        | Q(external_id__iexact=q)
    )


def award_list(programme, *, q="", state="", achievement=None, since=None, until=None, kind="", sort="newest"):
    awards = award_search(awards_of(programme), q).select_related("achievement")
    now = timezone.now()
    if state == State.EXPIRED:
        awards = awards.exclude(state=State.REVOKED).filter(Q(state=State.EXPIRED) | Q(expires_at__lte=now))
    elif state in (State.ISSUED, State.ACCEPTED, State.DECLINED):
        awards = awards.filter(state=state).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    elif state == State.REVOKED:
        awards = awards.filter(state=state)
    if achievement is not None:
        awards = awards.filter(achievement=achievement)
    if since:
        awards = awards.filter(issued_at__date__gte=since)
    if until:
        awards = awards.filter(issued_at__date__lte=until)
    if kind in Award.RecipientKind.values:
        awards = awards.filter(recipient_kind=kind)
    return awards.order_by(*SORTS.get(sort, SORTS["newest"]))


def award_in_programme(programme, public_id: str) -> Award | None:
    return (
        awards_of(programme)
        .select_related("achievement__issuer", "achievement__tier", "achievement__category", "replaces", "created_by")
        .filter(public_id=public_id)
        .first()
    )


def award_emails(award) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(award=award).order_by("-created_at")[:20])


def recipients(programme, *, q="", kind=""):
    """People and organisations (by email) with how many credentials they hold and when the last came."""
    awards = award_search(awards_of(programme), q)
    if kind in Award.RecipientKind.values:
        awards = awards.filter(recipient_kind=kind)
    return (
        awards.values("recipient_email")
        .annotate(
            name=Max("recipient_name"),
            kind=Min("recipient_kind"),
            count=Count("id"),
            revoked=Count("id", filter=Q(state=State.REVOKED)),
            last=Max("issued_at"),
        )
        .order_by("-last", "recipient_email")
    )


def recipient_awards(programme, email: str) -> list[Award]:
    return list(
        awards_of(programme).filter(recipient_email__iexact=email).select_related("achievement").order_by("-issued_at")
    )


def events_of(programme):
    return events_with_counts().filter(achievement__programme=programme).order_by("-opens_at")


def search(programmes, q: str, limit: int = 20) -> dict:
    """Awards, recipients' credentials, achievements and events matching `q` in these programmes."""
    q = (q or "").strip()
    if len(q) < 2:
        return {"awards": [], "achievements": [], "events": []}
    ids = list(programmes.values_list("pk", flat=True))
    awards = award_search(Award.objects.filter(achievement__programme__in=ids), q)
    achievements = Achievement.objects.filter(programme__in=ids).filter(Q(name__icontains=q) | Q(slug__iexact=q))
    events = (
        events_with_counts()
        .filter(achievement__programme__in=ids)
        .filter(Q(name__icontains=q) | Q(code__iexact=q.replace("-", "").replace(" ", "").upper()))
    )
    return {
        "awards": list(awards.select_related("achievement__programme").order_by("-issued_at")[:limit]),
        "achievements": list(achievements.select_related("programme").order_by("name")[:limit]),
        "events": list(events.select_related("achievement__programme").order_by("-opens_at")[:limit]),
    }
