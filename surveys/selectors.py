"""Survey results per achievement for the analytics pages and their CSV (one grouped query)."""

import hashlib

from django.conf import settings
from django.db.models import Avg, Count, Q

from .models import Applied, Frequency, Invitation


def results(*, programme_ids=None, start=None, end=None) -> list[dict]:
    """Per achievement with a survey: invited, answered, answers to each closed question, mean team impact (1-5).
    Invitations sent in the date range, of the given programmes (None: all)."""
    invitations = Invitation.objects.all()
    if programme_ids is not None:
        invitations = invitations.filter(survey__achievement__programme_id__in=programme_ids)
    if start:
        invitations = invitations.filter(sent_at__date__gte=start)
    if end:
        invitations = invitations.filter(sent_at__date__lte=end)
    counts = {f"applied_{value}": Count("id", filter=Q(applied=value)) for value in Applied.values}
    counts |= {f"frequency_{value}": Count("id", filter=Q(frequency=value)) for value in Frequency.values}
    rows = (
        invitations.values(
            "survey__achievement__slug",
            "survey__achievement__name",
            "survey__achievement__programme__slug",
            "survey__achievement__programme__name",
        )
        .annotate(
            invited=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            impact=Avg("impact"),
            **counts,
        )  # fmt: skip
        .order_by("survey__achievement__name")
    )
    return [
        {
            "slug": row["survey__achievement__slug"],
            "name": row["survey__achievement__name"],
            "programme": row["survey__achievement__programme__slug"] or "",
            "programme_name": row["survey__achievement__programme__name"] or "",
            "invited": row["invited"],
            "answered": row["answered"],
            "response_rate": round(100 * row["answered"] / row["invited"], 1) if row["invited"] else None,
            "applied": {value: row[f"applied_{value}"] for value in Applied.values},
            "frequency": {value: row[f"frequency_{value}"] for value in Frequency.values},
            "impact": round(row["impact"], 2) if row["impact"] is not None else None,
        }
        for row in rows
    ]


def write_csv(writer, rows: list[dict]) -> None:
    """Survey results per achievement as CSV rows (the CSV download of the analytics pages)."""
    writer.writerow(["achievement", "programme", "invited", "answered", "response_rate"]
                    + [f"applied_{v}" for v in Applied.values] + [f"frequency_{v}" for v in Frequency.values]
                    + ["mean_team_impact_1_to_5"])  # fmt: skip
    for row in rows:
        writer.writerow([row["slug"], row["programme"], row["invited"], row["answered"],
                         "" if row["response_rate"] is None else row["response_rate"]]
                        + [row["applied"][v] for v in Applied.values] + [row["frequency"][v] for v in Frequency.values]
                        + ["" if row["impact"] is None else row["impact"]])  # fmt: skip


def answers_anonymised(*, programme_ids=None):
    """Every answer without names or addresses: an opaque id of the award (a keyed hash), the achievement, the
    answers. For BI exports."""
    rows = Invitation.objects.filter(answered_at__isnull=False)
    if programme_ids is not None:
        rows = rows.filter(survey__achievement__programme_id__in=programme_ids)
    for row in rows.values("award_id", "survey__achievement__slug", "sent_at", "answered_at", "applied",
                           "frequency", "impact", "comment").order_by("pk").iterator():  # fmt: skip
        yield {
            "award": opaque_id(row["award_id"]),
            "achievement": row["survey__achievement__slug"],
            "sent": row["sent_at"].date().isoformat(),
            "answered": row["answered_at"].date().isoformat(),
            "applied": row["applied"],
            "frequency": row["frequency"],
            "impact": row["impact"],
            "comment": row["comment"],
        }


def opaque_id(award_id: int) -> str:
    """The same award always gets the same id in every export; nobody can go back from it to the award."""
    return hashlib.blake2b(str(award_id).encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=10).hexdigest()
