"""Reads of the staff console: figures, lists with their filters, search. Each list is one query plus its
count; figures come from the analytics rollups plus the awards their last refresh has not seen (ADR 0023)."""

from datetime import timedelta

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from analytics import selectors as analytics
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


def _expiring(programme_ids, now) -> dict[int, int]:
    """Held awards (no answer yet, or accepted) whose expiry date falls in the next 30 days, per programme: a
    range scan of the expiry index (grows with what expires in a month, not with every award)."""
    rows = (
        Award.objects.filter(
            achievement__programme_id__in=programme_ids,
            state__in=(State.ISSUED, State.ACCEPTED),
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=EXPIRING_DAYS),
        )
        .values("achievement__programme_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["achievement__programme_id"]: row["n"] for row in rows}


def _rates(figures: dict) -> dict:
    issued = figures.get("issued") or 0
    answered = issued - (figures.get("revoked") or 0)
    figures["claim_rate"] = round(100 * (figures.get("accepted") or 0) / answered) if answered > 0 else None
    return figures


def figures_of(programme_ids) -> dict[int, dict]:
    """Per programme: issued, accepted (and not expired), pending (waiting for an answer, not expired), revoked,
    expiring (in 30 days) and the claim rate. Exact now, read from the analytics rollups plus the awards the
    last refresh has not seen (ADR 0023)."""
    now = timezone.now()
    ids = list(programme_ids)
    figures = analytics.award_figures(ids, now=now)
    expiring = _expiring(ids, now)
    return {pk: _rates({**values, "expiring": expiring.get(pk, 0)}) for pk, values in figures.items()}


def programme_figures(programme) -> dict:
    """issued, accepted, pending (waiting for an answer), revoked, expiring (in 30 days) and the claim rate."""
    return figures_of([programme.pk])[programme.pk]


def programmes_with_figures(programmes) -> list:
    """The programmes of the console home, each with its figures (a few queries for all)."""
    result = list(programmes)
    figures = figures_of(p.pk for p in result)
    for programme in result:
        programme.figures = figures[programme.pk]
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
