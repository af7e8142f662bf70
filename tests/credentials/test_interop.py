"""Independent verifiers accept what we issue: the DCC JavaScript stack (Open Badges 3.0, eddsa-rdfc-2022,
Bitstring Status List) and 1EdTech's Open Badges 2.0 validator, against a live server on localhost."""

import copy

import pytest

from credentials.services import award_issue, award_revoke
from tests.credentials.conftest import make_achievement
from tests.support.dcc import dcc_or_skip, dcc_verify
from tests.support.ob2 import ob2_or_skip, ob2_validate_file, ob2_validate_url


@pytest.fixture
def live_award(live_server, settings, transactional_db, default_framework):
    from credentials.services import issuer_create

    settings.BASE_URL = live_server.url
    issuer = issuer_create(slug="live-centre", name="Live Centre", url="https://centre.example.org",
                           email="badges@centre.example.org")
    achievement = make_achievement(issuer, default_framework.badgecategory_set.get(code="competency"))
    return award_issue(achievement=achievement, recipient_email="Learner@Example.org", recipient_name="Lea Learner",
                       evidence=[{"url": "https://example.org/portfolio", "name": "Portfolio"}])


@pytest.mark.tools
def test_dcc_verifier_accepts_ours_rejects_tampered_and_sees_revocation(live_award):
    dcc_or_skip()
    fresh, tampered_name, tampered_subject = dcc_verify([
        live_award.credential,
        {**copy.deepcopy(live_award.credential), "name": live_award.credential["name"] + "."},
        _tamper_subject(live_award.credential),
    ])
    assert fresh["verified"] is True, fresh["errors"]
    assert fresh["status"]["checked"] is True and fresh["status"]["results"][0]["set"] is False
    assert tampered_name["verified"] is False and tampered_name["signature"] is False
    assert tampered_subject["verified"] is False

    award_revoke(award=live_award, reason="Issued in error")
    after = dcc_verify(live_award.credential)
    assert after["signature"] is True
    assert after["status"]["results"][0]["set"] is True
    assert after["verified"] is False


def _tamper_subject(credential):
    tampered = copy.deepcopy(credential)
    identity = tampered["credentialSubject"]["identifier"][0]
    identity["identityHash"] = identity["identityHash"][:-1] + ("0" if identity["identityHash"][-1] != "0" else "1")
    return tampered


@pytest.mark.tools
def test_ob2_validator_accepts_hosted_assertion_and_baked_png(live_award, live_server, tmp_path, client):
    ob2_or_skip()
    url = f"{live_server.url}/ob2/assertions/{live_award.public_id}.json"
    result = ob2_validate_url(url, "learner@example.org")
    assert result["valid"] is True, result["errors"]
    assert result["report"]["openBadgesVersion"] == "2.0" and result["report"]["errorCount"] == 0

    wrong = ob2_validate_url(url, "someone.else@example.org")
    assert wrong["valid"] is False

    png = client.get(f"/c/{live_award.public_id}/badge-ob2.png").content
    path = tmp_path / "baked.png"
    path.write_bytes(png)
    baked = ob2_validate_file(path, "learner@example.org")
    assert baked["valid"] is True, baked["errors"]

    award_revoke(award=live_award, reason="Issued in error")
    revoked = ob2_validate_url(url, "learner@example.org")
    assert revoked["valid"] is False and revoked["revoked"] is True
    assert revoked["revocationReason"] == "Issued in error"
