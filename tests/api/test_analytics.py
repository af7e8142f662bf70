"""GET /api/v1/analytics: the figures of `analytics_report --json`, for the caller's programmes only."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.api.conftest import issue

pytestmark = pytest.mark.django_db


def test_the_figures_are_the_reports_for_the_callers_programme(world):
    from analytics.services import analytics_rebuild
    from credentials.services import award_accept, award_revoke

    for number in range(4):
        award = issue(world.achievement_a, f"a{number}@example.org", f"A {number}")
        if number == 0:
            award_accept(award=award)
        if number == 1:
            award_revoke(award=award, reason="Wrong person.")
    issue(world.achievement_b, "b@example.org", "B")
    analytics_rebuild()
    out = StringIO()
    call_command("analytics_report", "--json", "--programme", "prog-a", stdout=out)
    expected = json.loads(out.getvalue())

    answer = world.clients["viewer"].get("/api/v1/analytics").json()
    assert answer == expected
    assert (answer["issued"], answer["accepted"], answer["revoked"]) == (4, 1, 1)
    assert [row["slug"] for row in answer["by_programme"]] == ["prog-a"]  # never B's figures
    other = world.clients["other"].get("/api/v1/analytics").json()
    assert other["issued"] == 1 and [row["slug"] for row in other["by_programme"]] == ["prog-b"]


def test_bad_filters_get_clear_problems(world):
    assert world.clients["viewer"].get("/api/v1/analytics?since=yesterday").status_code == 400
    assert world.clients["viewer"].get("/api/v1/analytics?programme=prog-b").status_code == 404
    assert world.clients["viewer"].get("/api/v1/analytics?since=2026-01-01").status_code == 200
