"""Two Competency badges that stack into a Certificate of Achievement, by a rule of the current framework."""

import pytest

from credentials.services import Recipient, award_issue
from frameworks.models import StackingRule
from tests.credentials.conftest import make_achievement

EMAIL = "amina.okonkwo@example.org"


@pytest.fixture
def tier(default_framework):
    return default_framework.certificatetier_set.get(code="achievement")


@pytest.fixture
def parts(issuer, competency):
    return [
        make_achievement(issuer, competency, slug="negotiation", name="Negotiation Skills"),
        make_achievement(issuer, competency, slug="mediation", name="Mediation Skills"),
    ]


@pytest.fixture
def result(issuer, tier):
    return make_achievement(
        issuer, None, tier=tier, slug="dispute-resolution", name="Dispute Resolution", alignments=[], level=None
    )


def make_rule(framework, tier, *, slug="negotiation-pathway", on_complete="issue", result="dispute-resolution"):
    # The published framework is frozen for staff (framework_part_save refuses it); a test writes the row.
    return StackingRule.objects.create(
        framework=framework,
        slug=slug,
        name="Negotiation and mediation earn Dispute Resolution",
        result_tier=tier,
        result_achievement=result,
        mode=StackingRule.Mode.ALL,
        components=["negotiation", "mediation"],
        on_complete=on_complete,
    )


@pytest.fixture
def rule(default_framework, tier, parts, result):
    return make_rule(default_framework, tier)


@pytest.fixture
def inline_tasks(monkeypatch):
    """The stacking task runs in the caller's thread whatever the broker (eager or Redis)."""
    from stacking import tasks
    from stacking.services import stacking_evaluate_awards

    monkeypatch.setattr(tasks.stacking_evaluate_awards, "delay", lambda ids: stacking_evaluate_awards(award_ids=ids))


def give(achievement, email=EMAIL, name="Amina Okonkwo", **kwargs):
    return award_issue(achievement=achievement, recipient=Recipient(email=email, name=name, **kwargs))
