"""Independent verifiers accept what we issue: the DCC JavaScript stack (Open Badges 3.0, eddsa-rdfc-2022,
Bitstring Status List) and 1EdTech's Open Badges 2.0 validator, against a live server on localhost."""

import copy

import pytest

from credentials.services import Recipient, award_issue, award_revoke
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
    return award_issue(achievement=achievement, recipient=Recipient(
        email="Learner@Example.org", name="Lea Learner",
        evidence=[{"url": "https://example.org/portfolio", "name": "Portfolio"}]))  # fmt: skip


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


# --- one image for every verifier (issue 9.11), endorsements in 2.0 (9.12), revoked images (9.13) ----------


def _get(url: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:  # the live server on 127.0.0.1
        return response.read()


def _png_text_chunks(png: bytes) -> dict:
    """The PNG's text chunks as Pillow reads them (an independent reader, not our baking code)."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png))
    image.load()
    return {key: str(value) for key, value in image.text.items()}


def _write(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.tools
def test_one_png_passes_the_2_0_validator_and_its_3_0_chunk_the_dcc_verifier(live_award, live_server, tmp_path):
    ob2_or_skip()
    dcc_or_skip()
    png = _get(f"{live_server.url}/c/{live_award.public_id}/badge.png")
    chunks = _png_text_chunks(png)
    assert set(chunks) >= {"openbadges", "openbadgecredential"}
    path = _write(tmp_path, "badge.png", png)
    for bakery in ("2.0", "1.2"):  # the venv's bakery and the one 1EdTech's hosted validator runs
        result = ob2_validate_file(path, "learner@example.org", bakery=bakery)
        assert result["valid"] is True, (bakery, result["errors"])
        assert result["report"]["openBadgesVersion"] == "2.0"
    import json

    credential = json.loads(chunks["openbadgecredential"])
    assert credential == live_award.credential
    checked = dcc_verify(credential)
    assert checked["verified"] is True, checked["errors"]
    assert checked["status"]["checked"] is True


@pytest.mark.tools
def test_baked_svg_passes_the_2_0_validator_with_either_bakery(live_award, live_server, tmp_path):
    ob2_or_skip()
    svg = _get(f"{live_server.url}/c/{live_award.public_id}/badge.svg")
    path = _write(tmp_path, "badge.svg", svg)
    for bakery in ("1.2", "2.0"):
        result = ob2_validate_file(path, "learner@example.org", bakery=bakery)
        assert result["valid"] is True, (bakery, result["errors"])
        assert "bakery-1.2" in result["bakery"] if bakery == "1.2" else "bakery-1.2" not in result["bakery"]


@pytest.mark.tools
def test_the_2_0_validator_reads_an_svg_with_verify_only_through_the_new_bakery(live_award, live_server, tmp_path):
    """Why our SVG has no `verify` attribute: with it, 1EdTech's hosted validator (bakery 1.2) refuses the
    image. This keeps the harness honest: the 1.2 bakery really is the stricter one."""
    ob2_or_skip()
    from credentials import documents
    from credentials.artifacts import images
    from credentials.openbadges import bake_svg

    assertion = documents.ob2_assertion(live_award)
    with_verify = bake_svg(images.award_svg(live_award), assertion, version="2.0", verify=assertion["id"])
    path = _write(tmp_path, "verify.svg", with_verify.encode())
    assert ob2_validate_file(path, "learner@example.org", bakery="2.0")["valid"] is True
    old = ob2_validate_file(path, "learner@example.org", bakery="1.2")
    assert old["valid"] is False and "only URL, JSON, or JWS" in " ".join(old["errors"])


@pytest.mark.tools
def test_endorsements_are_linked_from_the_hosted_assertion_and_validate(live_award, live_server):
    ob2_or_skip()
    from wallets.documents import endorsement_url
    from wallets.services import endorsement_issue

    endorsement = endorsement_issue(award=live_award, issuer=live_award.achievement.issuer,
                                    comment="Consistently strong negotiation work.")  # fmt: skip
    url = f"{live_server.url}/ob2/assertions/{live_award.public_id}.json"
    import json

    hosted = json.loads(_get(url))
    assert hosted["endorsement"] == [endorsement_url(endorsement, "ob2")]
    result = ob2_validate_url(url, "learner@example.org")
    assert result["valid"] is True, result["errors"]
    nodes = {node.get("id"): node for node in result["graph"]}
    endorsed = nodes[endorsement_url(endorsement, "ob2")]
    assert endorsed["type"] == "Endorsement"
    assert endorsed["claim"]["endorsementComment"] == "Consistently strong negotiation work."


@pytest.mark.tools
def test_a_revoked_award_s_images_stay_verifiable_and_say_revoked(live_award, live_server, tmp_path):
    ob2_or_skip()
    dcc_or_skip()
    clean = _get(f"{live_server.url}/c/{live_award.public_id}/badge.png")
    award_revoke(award=live_award, reason="Issued in error")
    png = _get(f"{live_server.url}/c/{live_award.public_id}/badge.png")
    assert png != clean
    path = _write(tmp_path, "revoked.png", png)
    result = ob2_validate_file(path, "learner@example.org")
    assert result["valid"] is False and result["revoked"] is True
    assert result["revocationReason"] == "Issued in error"
    import json

    checked = dcc_verify(json.loads(_png_text_chunks(png)["openbadgecredential"]))
    assert checked["signature"] is True and checked["status"]["results"][0]["set"] is True


@pytest.mark.tools
def test_issue_credential_json_end_to_end(live_server, settings, transactional_db, default_framework, tmp_path):
    """What `make run` then `issue_credential --json` hands out: the baked_png_url image passes the 2.0
    validator, its 3.0 chunk the DCC verifier, and the 3.0 JSON 1EdTech's JSON schema."""
    ob2_or_skip()
    dcc_or_skip()
    import io
    import json

    from django.core.management import call_command

    from tests.support.ob3_schema import schema_errors

    settings.BASE_URL = live_server.url
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("issue_credential", achievement="social-dialogue-competency", email="Ada@Example.org",
                 name="Ada Lovelace", json=True, stdout=out)  # fmt: skip
    links = json.loads(out.getvalue())
    assert links["baked_png_url"] == f"{live_server.url}/c/{links['id']}/badge.png"
    png = _get(links["baked_png_url"])
    result = ob2_validate_file(_write(tmp_path, "issued.png", png), "ada@example.org", bakery="1.2")
    assert result["valid"] is True, result["errors"]
    chunk = json.loads(_png_text_chunks(png)["openbadgecredential"])
    checked = dcc_verify(chunk)
    assert checked["verified"] is True, checked["errors"]
    credential = json.loads(_get(links["ob3_credential_url"]))
    assert credential == chunk
    assert schema_errors(credential) == []
    names = [i["identityHash"] for i in credential["credentialSubject"]["identifier"] if i["identityType"] == "name"]
    assert names == ["Ada Lovelace"]


# --- a credential signed in French (issue 15.2) ----------------------------------------------------------


@pytest.mark.tools
def test_a_french_credential_passes_both_verifiers(live_server, settings, transactional_db, default_framework,
                                                   tmp_path):  # fmt: skip
    ob2_or_skip()
    dcc_or_skip()
    import json

    from credentials.services import issuer_create

    settings.BASE_URL = live_server.url
    issuer = issuer_create(slug="live-centre", name="Live Centre", url="https://centre.example.org",
                           email="badges@centre.example.org")  # fmt: skip
    french = {"name": "Techniques de négociation", "description": "Négocie des accords entre des parties.",
              "criteria_narrative": "Mener une négociation simulée jusqu'à un accord.",
              "assessment_method": "Simulation observée", "evidence_required": "Rapport des évaluateurs"}  # fmt: skip
    achievement = make_achievement(issuer, default_framework.badgecategory_set.get(code="competency"),
                                   translations={"fr": french})  # fmt: skip
    award = award_issue(achievement=achievement, recipient=Recipient(
        email="lea.martin@example.org", name="Léa Martin", language="fr"))  # fmt: skip
    assert award.credential["credentialSubject"]["achievement"]["inLanguage"] == "fr"
    assert award.credential["name"] == "Techniques de négociation"

    checked = dcc_verify(award.credential)
    assert checked["verified"] is True, checked["errors"]

    url = f"{live_server.url}/ob2/assertions/{award.public_id}.json"
    result = ob2_validate_url(url, "lea.martin@example.org")
    assert result["valid"] is True, result["errors"]
    badge = next(node for node in result["graph"] if node.get("type") == "BadgeClass")
    assert (badge["name"], badge["@language"]) == ("Techniques de négociation", "fr")

    png = _get(f"{live_server.url}/c/{award.public_id}/badge.png")
    baked = ob2_validate_file(_write(tmp_path, "badge-fr.png", png), "lea.martin@example.org")
    assert baked["valid"] is True, baked["errors"]
    assert dcc_verify(json.loads(_png_text_chunks(png)["openbadgecredential"]))["verified"] is True
