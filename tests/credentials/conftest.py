import pytest

from credentials.models import Achievement
from credentials.services import achievement_save


def make_achievement(issuer, category, **overrides) -> Achievement:
    fields = {
        "slug": "negotiation",
        "name": "Negotiation Skills",
        "description": "Negotiates agreements between parties with different interests.",
        "criteria_narrative": "Lead a simulated negotiation to an agreement, observed by two assessors.",
        "assessment_method": "Observed simulation",
        "evidence_required": "Assessor report",
        "hours": 55,
        "ects_credits": 2,
        "level": 1,
        "alignments": [{"targetName": "negotiate", "targetUrl": "http://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80"}],
        "validity_days": 365,
    }
    fields.update(overrides)
    return achievement_save(achievement=Achievement(issuer=issuer, category=category, **fields))


@pytest.fixture
def award(achievement):
    from credentials.services import Recipient, award_issue

    return award_issue(
        achievement=achievement,
        recipient=Recipient(
            email="Amina.Okonkwo@Example.org",
            name="Amina Okonkwo",
            narrative="Led the final simulation.",
            evidence=[{"url": "https://example.org/report.pdf", "name": "Assessor report"}],
        ),
    )
