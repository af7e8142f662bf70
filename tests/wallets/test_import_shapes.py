"""Importing a verified credential of an unusual but valid shape never fails with a server error (issue 9.3):
a verifiable credential may have a list of subjects."""

import json

import pytest

from credentials.openbadges import did_key_from_public_key, generate_private_key, public_key_bytes, sign_credential
from credentials.openbadges.ob3 import achievement as ob3_achievement
from credentials.openbadges.ob3 import build_credential, profile
from wallets.models import ExternalCredential

pytestmark = pytest.mark.django_db


def test_a_credential_with_a_list_of_subjects(learner_client):
    key = generate_private_key()
    did = did_key_from_public_key(public_key_bytes(key))
    credential = build_credential(
        id="urn:uuid:0d6a6f3e-8c1b-4e0a-9d2f-7b5c3a1e9f00",
        issuer=profile(did, "Other University"),
        achievement=ob3_achievement("https://o.example/a/1", "Team Work", "Works.", criteria_narrative="Work."),
        valid_from="2025-01-01T00:00:00Z",
        name="Team Work",
        subject_id="did:example:learner",
    )
    credential["credentialSubject"] = [credential["credentialSubject"]]
    signed = sign_credential(credential, private_key=key, verification_method=f"{did}#{did[8:]}")
    response = learner_client.post("/wallet/import/", {"text": json.dumps(signed)})
    assert response.status_code == 302, response.content.decode()[:500]
    item = ExternalCredential.objects.get()
    assert item.kind == "ob3" and item.is_valid and item.name == "Team Work"
