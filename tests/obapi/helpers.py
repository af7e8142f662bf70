"""The client side of the Open Badges 3.0 API flow, for the tests: PKCE, a third party's signed credential."""

import base64
import hashlib
import secrets

from credentials.openbadges import did_key_from_public_key, generate_private_key, public_key_bytes, sign_credential
from credentials.openbadges.ob3 import achievement as ob3_achievement
from credentials.openbadges.ob3 import build_credential, profile
from obapi.scopes import CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE

ALL_SCOPES = " ".join([CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE])


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def third_party_credential(email="amina.okonkwo@example.org", name="Data Literacy", number=1) -> dict:
    """An OB 3.0 credential signed by another issuer with a fresh did:key."""
    key = generate_private_key()
    did = did_key_from_public_key(public_key_bytes(key))
    credential = build_credential(
        id=f"urn:uuid:7c1e2d3f-4a5b-4c6d-8e7f-{number:012d}",
        issuer=profile(did, "Other University"),
        achievement=ob3_achievement(
            f"https://badges.other.example/a/{number}", name, "Reads data.", criteria_narrative="Pass the exam."
        ),
        valid_from="2025-01-01T00:00:00Z",
        name=name,
        recipient_email=email,
    )
    return sign_credential(credential, private_key=key, verification_method=f"{did}#{did[8:]}")


def forged(credential: dict) -> dict:
    """The same credential with its name changed after signing."""
    return {**credential, "name": "Forged " + credential["name"]}
