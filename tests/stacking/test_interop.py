"""An auto-stacked credential (evidence naming what counted) of a certificate with an EQF level and ESCO skill
alignments passes the independent verifiers: the DCC verifier (Open Badges 3.0) and 1EdTech's Open Badges 2.0
validator, against a live server; and 1EdTech's OB 3.0 JSON schema."""

import pytest

from credentials.services import Recipient, award_issue, issuer_create
from frameworks.models import StackingRule
from stacking.services import stacking_evaluate
from tests.credentials.conftest import make_achievement
from tests.support.dcc import dcc_or_skip, dcc_verify
from tests.support.ob2 import ob2_or_skip, ob2_validate_url
from tests.support.ob3_schema import schema_errors

ESCO = "http://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80"
EMAIL = "learner@example.org"


@pytest.fixture
def stacked(live_server, settings, transactional_db, default_framework):
    settings.BASE_URL = live_server.url
    issuer = issuer_create(
        slug="live-centre", name="Live Centre", url="https://centre.example.org", email="badges@centre.example.org"
    )
    competency = default_framework.badgecategory_set.get(code="competency")
    tier = default_framework.certificatetier_set.get(code="diploma")
    parts = [
        make_achievement(issuer, competency, slug=slug, name=slug.title()) for slug in ("negotiation", "mediation")
    ]
    make_achievement(
        issuer, None, tier=tier, slug="dispute-resolution", name="Dispute Resolution", hours=300, ects_credits=12,
        eqf_level=6, alignments=[{"targetName": "resolve disputes", "targetUrl": ESCO, "targetFramework": "ESCO"}],
    )  # fmt: skip
    StackingRule.objects.create(
        framework=default_framework, slug="pathway", name="Pathway", result_tier=tier,
        result_achievement="dispute-resolution", mode="all", components=["negotiation", "mediation"],
    )  # fmt: skip
    for part in parts:
        award_issue(achievement=part, recipient=Recipient(email=EMAIL, name="Lea Learner"))
    stacking_evaluate(email=EMAIL)  # idempotent: whether or not the announcements already did it
    from credentials.models import Award

    return Award.objects.get(achievement__slug="dispute-resolution")


def test_the_stacked_credential_carries_evidence_eqf_and_esco(stacked):
    credential = stacked.credential
    assert len(credential["evidence"]) == 2
    alignment = credential["credentialSubject"]["achievement"]["alignment"]
    assert alignment[0]["targetUrl"] == "http://data.europa.eu/snb/eqf/6" and alignment[0]["targetCode"] == "6"
    assert alignment[1] == {
        "type": ["Alignment"], "targetName": "resolve disputes", "targetUrl": ESCO, "targetFramework": "ESCO",
        "targetType": "ceasn:Competency",
    }  # fmt: skip
    assert schema_errors(credential, "achievement") == []


@pytest.mark.tools
def test_dcc_verifier_accepts_an_auto_stacked_credential(stacked):
    dcc_or_skip()
    out = dcc_verify(stacked.credential)
    assert out["verified"] is True, out["errors"]


@pytest.mark.tools
def test_ob2_validator_accepts_an_auto_stacked_credential(stacked, live_server):
    ob2_or_skip()
    result = ob2_validate_url(f"{live_server.url}/ob2/assertions/{stacked.public_id}.json", EMAIL)
    assert result["valid"] is True, result["errors"]
    badge = next(node for node in result["graph"] if node.get("type") == "BadgeClass")
    assert {a["targetUrl"] for a in badge["alignment"]} == {"http://data.europa.eu/snb/eqf/6", ESCO}
