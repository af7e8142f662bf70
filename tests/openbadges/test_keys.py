import base58
import pytest

from credentials.openbadges import keys

# did:key specification, Ed25519 example (publicKeyBase58 of the example DID document).
SPEC_DID = "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH"
SPEC_PUBLIC_KEY = base58.b58decode("B12NYF8RrR3h41TDCTJojY59usg3mbtbjnFs7Eud1Y6u")


def test_did_key_spec_vector():
    assert keys.did_key_from_public_key(SPEC_PUBLIC_KEY) == SPEC_DID
    assert keys.public_key_from_did_key(SPEC_DID) == SPEC_PUBLIC_KEY
    mb = SPEC_DID.removeprefix("did:key:")
    assert keys.public_key_multibase(SPEC_PUBLIC_KEY) == mb
    assert keys.did_key_verification_method(SPEC_PUBLIC_KEY) == f"{SPEC_DID}#{mb}"
    assert keys.public_key_from_did_key(f"{SPEC_DID}#{mb}") == SPEC_PUBLIC_KEY


def test_fresh_key_round_trip():
    sk = keys.generate_private_key()
    raw = keys.private_key_to_bytes(sk)
    assert len(raw) == 32
    again = keys.private_key_from_bytes(raw)
    pub = keys.public_key_bytes(again)
    assert pub == keys.public_key_bytes(sk)
    did = keys.did_key_from_public_key(pub)
    assert did.startswith("did:key:z6Mk")
    assert keys.public_key_from_did_key(did) == pub


@pytest.mark.parametrize(
    "bad",
    [
        "did:web:example.org",
        "did:key:",
        "did:key:6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH",  # no multibase prefix
        "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169",  # P-256, not Ed25519
        SPEC_DID + "#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",  # fragment of another key
        "did:key:z0OIl",  # not base58
    ],
)
def test_bad_did_keys_are_refused(bad):
    with pytest.raises(keys.InvalidKeyError):
        keys.public_key_from_did_key(bad)


def test_did_key_document():
    doc = keys.did_key_document(SPEC_DID)
    vm = doc["verificationMethod"][0]
    assert doc["id"] == SPEC_DID
    assert vm["type"] == "Multikey"
    assert vm["publicKeyMultibase"] == SPEC_DID.removeprefix("did:key:")
    assert doc["assertionMethod"] == [vm["id"]]
    assert keys.public_key_from_did_document(doc, vm["id"]) == SPEC_PUBLIC_KEY


def test_did_web_document_keeps_rotated_keys():
    did = keys.did_web_from_url("https://laurel.example.org", "issuers/7")
    assert did == "did:web:laurel.example.org:issuers:7"
    assert keys.did_web_url(did) == "https://laurel.example.org/issuers/7/did.json"
    assert keys.did_web_url("did:web:localhost%3A8443") == "https://localhost:8443/.well-known/did.json"
    old, new = (keys.public_key_bytes(keys.generate_private_key()) for _ in range(2))
    doc = keys.did_web_document(did, [("key-1", old), (f"{did}#key-2", new)])
    assert [m["id"] for m in doc["verificationMethod"]] == [f"{did}#key-1", f"{did}#key-2"]
    assert doc["assertionMethod"] == [f"{did}#key-1", f"{did}#key-2"]
    assert doc["authentication"] == [f"{did}#key-2"]
    assert keys.public_key_from_did_document(doc, f"{did}#key-1") == old
    assert keys.public_key_from_did_document(doc, f"{did}#key-2") == new
    with pytest.raises(keys.InvalidKeyError):
        keys.public_key_from_did_document(doc, f"{did}#key-3")
    with pytest.raises(keys.InvalidKeyError):
        keys.did_web_document(did, [("did:web:other.org#k", old)])
