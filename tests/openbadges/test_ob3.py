import hashlib

import pytest

from credentials.openbadges import ob2, ob3
from credentials.openbadges.proof import check_all_terms_defined


def test_hash_email_lowercases_and_matches_the_2_0_form():
    expected = "sha256$" + hashlib.sha256(b"ada@example.org" + b"pepper").hexdigest()
    assert ob3.hash_email("  Ada@Example.ORG ", "pepper") == expected
    assert ob3.email_matches(expected, "ADA@example.org", "pepper")
    assert not ob3.email_matches(expected, "bob@example.org", "pepper")
    assert not ob3.email_matches("sha256$é", "ada@example.org", "pepper")
    recipient = ob2.recipient("Ada@Example.org", "pepper")
    assert recipient == {"type": "email", "hashed": True, "salt": "pepper", "identity": expected}


def test_build_credential_shape_and_terms():
    did = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"
    cred = ob3.build_credential(
        id="https://laurel.example.org/credentials/1",
        issuer=ob3.profile(did, "ITCILO", url="https://www.itcilo.org"),
        achievement=ob3.achievement(
            "https://laurel.example.org/achievements/1",
            "Badge",
            "A badge.",
            criteria_narrative="Do it.",
            achievement_type="MicroCredential",
        ),
        valid_from="2024-01-01T00:00:00Z",
        name="Badge",
        recipient_email="ada@example.org",
        salt="s",
        evidence=[ob3.evidence(narrative="Did it.")],
    )
    assert cred["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ]
    assert cred["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert cred["credentialSchema"] == ob3.CREDENTIAL_SCHEMA
    subject = cred["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["identifier"][0]["identityHash"] == ob3.hash_email("ada@example.org", "s")
    assert "evidence" in cred and "evidence" not in subject
    assert check_all_terms_defined(cred) == []
    plain = ob3.build_credential(
        id="urn:uuid:5f7c9f8e-0b1a-4c1e-9a55-0d1e2f3a4b5c",
        issuer=ob3.profile(did, "ITCILO"),
        achievement=cred["credentialSubject"]["achievement"],
        valid_from="2024-01-01T00:00:00Z",
        name="Badge",
        subject_id="did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
        include_schema=False,
    )
    assert plain["@context"] == ob3.OB3_CONTEXT
    assert check_all_terms_defined(plain) == []


def test_achievement_types():
    assert len(ob3.ACHIEVEMENT_TYPES) == 31
    ob3.achievement("https://x.org/a", "n", "d", criteria_url="https://x.org/c", achievement_type="ext:Workshop")
    with pytest.raises(ValueError, match="achievementType"):
        ob3.achievement("https://x.org/a", "n", "d", criteria_url="https://x.org/c", achievement_type="Trophy")
    with pytest.raises(ValueError, match="criteria"):
        ob3.achievement("https://x.org/a", "n", "d")
