"""An organisation credential issued automatically by a rule (the organisation as subject, evidence naming the
organisation's own credential and its members' shared ones) passes the independent verifiers: the DCC verifier
(Open Badges 3.0) and 1EdTech's Open Badges 2.0 validator against a live server; and 1EdTech's OB 3.0 schema."""

import pytest

from credentials.models import Award
from credentials.verification import verify_award
from organisations.evaluation import organisation_evaluate
from organisations.services import credential_share
from tests.support.dcc import dcc_or_skip, dcc_verify
from tests.support.ob2 import ob2_or_skip, ob2_validate_url
from tests.support.ob3_schema import schema_errors

from .conftest import ORG_EMAIL, issue_to_organisation


@pytest.fixture
def earned(live_server, settings, transactional_db, world):
    settings.BASE_URL = live_server.url
    world.rule()
    issue_to_organisation(world.institutional, world.organisation)
    for key in ("m1", "m2", "m3"):
        credential_share(member=world.members[key], award=world.held[key], user=world.users[key])
    organisation_evaluate(organisation_id=world.organisation.pk)  # idempotent: whether or not the tasks did it
    return Award.objects.get(achievement=world.result)


def test_the_organisation_credential_names_the_organisation_and_its_evidence(earned):
    credential = earned.credential
    urls = [item["id"] for item in credential["evidence"] if "id" in item]  # and the narrative
    assert len(urls) == 4 and all("/c/" in url for url in urls)
    assert credential["credentialSubject"]["identifier"][0]["identityType"] == "emailAddress"
    assert earned.recipient_kind == "organisation"
    assert schema_errors(credential, "achievement") == []
    assert verify_award(earned).valid  # our own verifier, as on the verification page


@pytest.mark.tools
def test_dcc_verifier_accepts_an_organisation_credential(earned):
    dcc_or_skip()
    out = dcc_verify(earned.credential)
    assert out["verified"] is True, out["errors"]


@pytest.mark.tools
def test_ob2_validator_accepts_an_organisation_credential(earned, live_server):
    ob2_or_skip()
    result = ob2_validate_url(f"{live_server.url}/ob2/assertions/{earned.public_id}.json", ORG_EMAIL)
    assert result["valid"] is True, result["errors"]
