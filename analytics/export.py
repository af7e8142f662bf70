"""Anonymised award-level tables for BI tools (`manage.py analytics_export`): no names, no addresses, no public
ids; each award under an opaque id (a keyed hash: stable across exports, not reversible without the secret)."""

import csv
import json
from pathlib import Path

from credentials.models import Award
from surveys.selectors import answers_anonymised, opaque_id
from wallets.models import ShareEvent

from .models import AwardDayCount

TABLES = {
    "awards": ["award", "achievement", "programme", "tier", "category", "recipient_kind", "language", "issued",
               "state", "state_changed", "expires"],
    "shares": ["award", "channel", "day"],
    "activity": ["award", "day", "kind", "count"],
    "survey_answers": ["award", "achievement", "sent", "answered", "applied", "frequency", "impact", "comment"],
}  # fmt: skip


def _day(value):
    return value.date().isoformat() if value else None


def rows(table: str):
    if table == "awards":
        for row in Award.objects.values_list(
            "pk", "achievement__slug", "achievement__programme__slug", "achievement__tier__code",
            "achievement__category__code", "recipient_kind", "recipient_language", "issued_at", "state",
            "state_changed_at", "expires_at",
        ).order_by("pk").iterator(chunk_size=2000):  # fmt: skip
            pk, slug, programme, tier, category, kind, language, issued, state, changed, expires = row
            yield {"award": opaque_id(pk), "achievement": slug, "programme": programme, "tier": tier,
                   "category": category, "recipient_kind": kind, "language": language, "issued": _day(issued),
                   "state": state, "state_changed": _day(changed), "expires": _day(expires)}  # fmt: skip
    elif table == "shares":
        for pk, channel, at in (
            ShareEvent.objects.values_list("award_id", "channel", "at").order_by("pk").iterator(2000)
        ):
            yield {"award": opaque_id(pk), "channel": channel, "day": _day(at)}
    elif table == "activity":
        for pk, day, kind, count in (
            AwardDayCount.objects.values_list("award_id", "day", "kind", "count").order_by("pk").iterator(2000)
        ):
            yield {"award": opaque_id(pk), "day": day.isoformat(), "kind": kind, "count": count}
    else:
        yield from answers_anonymised()


def export(directory: Path, fmt: str) -> dict[str, int]:
    """Write one file per table into `directory` (created). Returns {file name: rows}."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for table, columns in TABLES.items():
        path = directory / f"{table}.{fmt}"
        count = 0
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns) if fmt == "csv" else None
            if writer:
                writer.writeheader()
            for row in rows(table):
                if writer:
                    writer.writerow(row)
                else:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        written[path.name] = count
    return written
