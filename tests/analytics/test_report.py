"""analytics_report --json: its figures equal counts computed here from the awards themselves (issue 11, must
show)."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from analytics.models import AwardDayCount, Kind
from credentials.models import Award
from wallets.models import ShareEvent


def report(*args) -> dict:
    out = StringIO()
    call_command("analytics_report", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def expected(awards, *, since=None) -> dict:
    """Counted from the awards, one by one, without the rollups: the awards issued since `since` in their state
    now, and the views since `since` of any of the awards."""
    viewed = [a.pk for a in awards]
    awards = [a for a in awards if since is None or a.issued_at.date() >= since]
    states = [a.effective_state for a in awards]
    shared = set(ShareEvent.objects.values_list("award_id", flat=True))
    views = AwardDayCount.objects.filter(kind=Kind.VIEW, award__in=viewed)
    if since:
        views = views.filter(day__gte=since)
    return {
        "issued": len(awards),
        "accepted": states.count("accepted"),
        "declined": states.count("declined"),
        "revoked": states.count("revoked"),
        "expired": states.count("expired"),
        "shared": sum(1 for a in awards if a.pk in shared),
        "verification_views": sum(views.values_list("count", flat=True)),
    }


def test_report_equals_counts_from_the_awards(history):
    figures = report()
    awards = list(Award.objects.select_related("achievement"))
    want = expected(awards)
    assert {key: figures[key] for key in want} == want
    assert want["issued"] == 19 and want["expired"] > 0 and want["revoked"] > 0 and want["verification_views"] > 0
    assert set(figures) == {*want, "by_programme"}
    for row in figures["by_programme"]:
        mine = [a for a in awards if a.achievement.programme.slug == row["slug"]]
        assert {key: row[key] for key in want} == expected(mine), row["slug"]
    assert [row["slug"] for row in figures["by_programme"]] == ["green-jobs", "social-protection"]


def test_report_of_one_programme_since_a_date(history):
    since = (timezone.now() - timedelta(days=60)).date()
    figures = report("--programme", "social-protection", "--since", since.isoformat())
    mine = [
        a
        for a in Award.objects.select_related("achievement__programme")
        if a.achievement.programme.slug == "social-protection"
    ]
    want = expected(mine, since=since)
    assert want["issued"] == 8
    assert {key: figures[key] for key in want} == want
    assert [row["slug"] for row in figures["by_programme"]] == ["social-protection"]


def test_report_follows_changes_after_a_first_report(history):
    report()
    award = Award.objects.filter(state="issued").first()
    from credentials.services import award_accept

    award_accept(award=award)
    ShareEvent.objects.create(award=award, channel="x")
    assert {k: v for k, v in report().items() if k != "by_programme"} == expected(list(Award.objects.all()))


def test_report_refuses_bad_input(history):
    with pytest.raises(CommandError, match="not a date"):
        report("--since", "yesterday")
    with pytest.raises(CommandError, match="No programme"):
        report("--programme", "nope")
