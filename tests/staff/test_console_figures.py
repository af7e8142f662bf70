"""The console's figures (home, a programme's home) come from the analytics rollups plus the awards the last
refresh has not seen (ADR 0023): they must equal a direct count of the awards at every moment."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from analytics import rollups
from analytics import selectors as analytics
from analytics.models import DailyRollup
from credentials.models import Award
from credentials.services import Recipient, award_accept, award_decline, award_issue, award_revoke
from staff import selectors

from .conftest import client_for

pytestmark = pytest.mark.django_db


def direct(programme) -> dict:
    """The figures counted here from each award's effective state (what a verifier sees now)."""
    states = [a.effective_state for a in Award.objects.filter(achievement__programme=programme)]
    now = timezone.now()
    expiring = Award.objects.filter(
        achievement__programme=programme,
        state__in=("issued", "accepted"),
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=30),
    ).count()
    return {
        "issued": len(states),
        "accepted": states.count("accepted"),
        "pending": states.count("issued"),
        "revoked": states.count("revoked"),
        "expiring": expiring,
    }


def shown(programme) -> dict:
    figures = selectors.programme_figures(programme)
    return {name: figures[name] for name in ("issued", "accepted", "pending", "revoked", "expiring")}


def issue(achievement, n: int, *, days_ago: int = 0, **fields) -> Award:
    award = award_issue(achievement=achievement, recipient=Recipient(email=f"p{n}@example.org", name=f"P {n}"))
    changes = {"issued_at": timezone.now() - timedelta(days=days_ago), **fields}
    Award.objects.filter(pk=award.pk).update(**changes)
    award.refresh_from_db()
    return award


@pytest.fixture
def history(console):
    """Awards of programme A over the last weeks, rolled up; returns them (the fixture's own award too)."""
    now = timezone.now()
    awards = [console.award]
    for n in range(12):
        awards.append(issue(console.achievement, n, days_ago=1 + n % 4 * 3))
    award_accept(award=awards[1])
    award_accept(award=awards[2])
    award_decline(award=awards[3])
    award_revoke(award=awards[4], reason="Mistake")
    Award.objects.filter(pk=awards[5].pk).update(expires_at=now - timedelta(days=1))  # lapsed
    Award.objects.filter(pk=awards[6].pk).update(expires_at=now + timedelta(days=10))  # expiring soon
    Award.objects.filter(pk__in=[a.pk for a in awards]).update(state_changed_at=now - timedelta(days=1))
    rollups.rebuild()
    return awards


def test_figures_equal_a_direct_count_after_a_rebuild(console, history):
    assert shown(console.a) == direct(console.a)
    assert shown(console.a)["issued"] == 13 and shown(console.a)["expiring"] == 1
    assert shown(console.b) == direct(console.b) and shown(console.b)["issued"] == 1


def test_figures_follow_changes_the_rollups_have_not_seen(console, history):
    issue(console.achievement, 100)  # today
    issue(console.achievement, 101, days_ago=20)  # an old date, a new award (an import)
    award_accept(award=history[7])  # answered since the refresh: its day is counted live
    award_revoke(award=history[8], reason="Sent by mistake")
    award_revoke(award=history[1], reason="Accepted, then revoked")
    award_decline(award=history[9])
    assert shown(console.a) == direct(console.a)
    assert shown(console.a)["issued"] == 15 and shown(console.a)["revoked"] == 3
    rollups.refresh_recent()
    assert shown(console.a) == direct(console.a)


def test_an_expiry_passing_after_the_refresh_is_counted(console, history):
    now = timezone.now()
    waiting = history[10]
    Award.objects.filter(pk=waiting.pk).update(expires_at=now + timedelta(seconds=5))
    rollups.rebuild(now=now)
    later = now + timedelta(seconds=10)
    figures = analytics.award_figures([console.a.pk], now=later)[console.a.pk]
    states = [a for a in Award.objects.filter(achievement__programme=console.a) if a.pk != waiting.pk]
    assert figures["pending"] == sum(1 for a in states if a.effective_state == "issued")  # lapsed: not pending
    assert figures["issued"] == len(states) + 1


def test_the_rollups_are_read_for_untouched_days(console, history):
    """The figures really come from the rollups (a count of the awards would not see this edit)."""
    old = DailyRollup.objects.filter(programme=console.a, day__lt=timezone.localdate() - timedelta(days=2)).first()
    DailyRollup.objects.filter(pk=old.pk).update(issued=old.issued + 1000)
    assert shown(console.a)["issued"] == direct(console.a)["issued"] + 1000


def test_without_a_refresh_everything_is_counted_live(console, history):
    from analytics.models import Cursor

    Cursor.objects.filter(name="rollups").delete()
    DailyRollup.objects.all().delete()
    assert shown(console.a) == direct(console.a)


def test_query_count_does_not_grow_with_the_awards(console, history, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        selectors.programmes_with_figures(type(console.a).objects.all())
    for n in range(20):
        issue(console.achievement, 200 + n, days_ago=5)
    rollups.rebuild()
    with django_assert_max_num_queries(len(few.captured_queries)):
        selectors.programmes_with_figures(type(console.a).objects.all())


def test_console_pages_show_the_exact_figures(console, history):
    issue(console.achievement, 300)
    award_revoke(award=history[2], reason="Mistake")
    expected = direct(console.a)
    admin = client_for(console.users["admin"])
    for path in ("/staff/?all=1", f"/staff/p/{console.a.slug}/"):
        body = admin.get(path).content.decode()
        issued = re.findall(r"Issued</dt><dd>(\d+)</dd>", body)
        revoked = re.findall(r"Revoked</dt><dd>(\d+)</dd>", body)
        assert str(expected["issued"]) in issued and str(expected["revoked"]) in revoked, path
