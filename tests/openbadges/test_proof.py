import copy
import datetime as dt
import json
import os

import pytest

from credentials.openbadges import _jsonld, keys
from credentials.openbadges.errors import SigningError, UndefinedTermsError
from credentials.openbadges.proof import CredentialSigner, canonicalize, check_all_terms_defined, sign_credential
from credentials.openbadges.proof_verify import did_document_resolver, verify_credential
from tests.openbadges.helpers import make_credential, new_issuer_key
from tests.support.dcc import dcc_sign, dcc_verify

CREATED = "2024-06-01T12:00:00Z"


def _sign(cred, key, created=CREATED):
    return sign_credential(
        cred, private_key=key.private_key, verification_method=key.verification_method, created=created
    )


def _leaves(node, path=()):
    """Every (path, string value) of the signed data, excluding @context and proof."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("@context", "proof"):
                continue
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    elif isinstance(node, str):
        yield path, node


def _set(doc, path, value):
    for p in path[:-1]:
        doc = doc[p]
    doc[path[-1]] = value


def _tamper(value: str) -> str:
    """Change one character (keep the value well-formed where it is a date)."""
    if value and value[-1] == "Z" and len(value) > 5 and value[-5].isdigit():  # dates: move one minute
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00")) + dt.timedelta(minutes=1)
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    last = value[-1]
    return value[:-1] + ("b" if last != "b" else "c")


def _tampered_variants(signed):
    """One copy per signed string value (credential fields and proof options), one char changed."""
    out = []
    for path, value in _leaves(signed):
        if path == ("issuer", "id"):
            continue  # changing the issuer DID is a key change, tested separately
        t = copy.deepcopy(signed)
        _set(t, path, _tamper(value))
        out.append((".".join(map(str, path)), t))
    for field in ("created", "proofPurpose", "cryptosuite"):
        t = copy.deepcopy(signed)
        t["proof"][0][field] = _tamper(t["proof"][0][field])
        out.append((f"proof.{field}", t))
    return out


def test_sign_and_verify_realistic_credential(issuer_key):
    cred = make_credential(issuer_key.did)
    before = json.dumps(cred, sort_keys=True)
    signed = _sign(cred, issuer_key)
    assert json.dumps(cred, sort_keys=True) == before, "input must not be modified"
    proof = signed["proof"][0]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == issuer_key.verification_method
    assert proof["created"] == CREATED
    assert proof["proofValue"].startswith("z")
    result = verify_credential(signed)
    assert result.ok, result.errors
    assert result.errors == []


def test_every_changed_character_breaks_the_signature(issuer_key):
    signed = _sign(make_credential(issuer_key.did), issuer_key)
    variants = _tampered_variants(signed)
    assert len(variants) > 30
    for where, tampered in variants:
        result = verify_credential(tampered)
        assert not result.ok, f"tampering with {where} went unnoticed"


def test_tampered_issuer_and_key_are_reported(issuer_key):
    signed = _sign(make_credential(issuer_key.did), issuer_key)
    other = new_issuer_key()
    t = copy.deepcopy(signed)
    t["issuer"]["id"] = other.did
    assert "does not belong to the issuer" in " ".join(verify_credential(t).errors)
    t = copy.deepcopy(signed)
    t["issuer"]["id"] = other.did
    t["proof"][0]["verificationMethod"] = other.verification_method
    assert verify_credential(t).errors == ["signature does not match"]


def test_verify_reasons_in_plain_english(issuer_key):
    signed = _sign(make_credential(issuer_key.did), issuer_key)
    cases = {
        "cryptosuite": ("ecdsa-rdfc-2019", "unknown cryptosuite"),
        "type": ("Ed25519Signature2020", "unsupported proof type"),
        "proofValue": ("uAAAA", "base58btc"),
    }
    for field, (value, reason) in cases.items():
        t = copy.deepcopy(signed)
        t["proof"][0][field] = value
        assert reason in " ".join(verify_credential(t).errors)
    t = copy.deepcopy(signed)
    t["issuer"]["id"] = "did:web:laurel.example.org"
    t["proof"][0]["verificationMethod"] = "did:web:laurel.example.org#key-1"
    assert "not a did:key" in " ".join(verify_credential(t).errors)
    t = copy.deepcopy(signed)
    del t["proof"]
    assert verify_credential(t).errors == ["credential has no proof"]
    expired = verify_credential(signed, now=dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    assert "expired" in " ".join(expired.errors)


def test_proof_is_emitted_as_an_array_and_both_forms_verify(issuer_key):
    """1EdTech's OB 3.0 JSON schema requires `proof` to be an array; VC 2.0 (and our verifier) takes both."""
    signed = _sign(make_credential(issuer_key.did), issuer_key)
    assert isinstance(signed["proof"], list) and len(signed["proof"]) == 1
    assert verify_credential(signed).ok
    as_object = {**signed, "proof": signed["proof"][0]}
    assert verify_credential(as_object).ok
    tampered = copy.deepcopy(as_object)
    tampered["name"] += "!"
    assert verify_credential(tampered).errors == ["signature does not match"]
    assert verify_credential({**signed, "proof": []}).errors == ["credential has no proof"]
    assert verify_credential({**signed, "proof": ["z123"]}).errors == ["proof is not a JSON object"]


def test_proof_sets_verify_each_supported_proof(issuer_key):
    """Several proofs: each eddsa-rdfc-2022 one must verify, other kinds are skipped, one of ours must be there."""
    signed = _sign(make_credential(issuer_key.did), issuer_key)
    ours = signed["proof"][0]
    later = _sign(make_credential(issuer_key.did), issuer_key, created="2024-06-02T08:00:00Z")["proof"][0]
    foreign = {"type": "Ed25519Signature2020", "proofPurpose": "assertionMethod", "proofValue": "z1"}
    assert verify_credential({**signed, "proof": [ours, later]}).ok
    assert verify_credential({**signed, "proof": [foreign, ours]}).ok
    broken = {**ours, "proofValue": _tamper(ours["proofValue"])}
    result = verify_credential({**signed, "proof": [ours, broken]})
    assert not result.ok and result.errors == ["proof 2: signature does not match"]
    assert not verify_credential({**signed, "proof": [foreign]}).ok
    only_foreign = verify_credential({**signed, "proof": [foreign, dict(foreign)]})
    assert only_foreign.errors == [
        "none of the credential's proofs is a DataIntegrityProof with cryptosuite eddsa-rdfc-2022"
    ]
    assert not verify_credential({**signed, "proof": [ours, "z1"]}).ok


def test_undefined_property_is_refused_with_its_name(issuer_key):
    cred = make_credential(issuer_key.did)
    cred["credentialSubject"]["achievement"]["colour"] = "blue"
    problems = check_all_terms_defined(cred)
    assert len(problems) == 1 and "'colour'" in problems[0]
    assert "credentialSubject.achievement.colour" in problems[0]
    with pytest.raises(UndefinedTermsError, match="colour"):
        _sign(cred, issuer_key)

    cred = make_credential(issuer_key.did)
    cred["credentialSubject"]["achievement"]["type"] = ["Achievement", "Badgeclass"]
    with pytest.raises(UndefinedTermsError, match="Badgeclass"):
        _sign(cred, issuer_key)

    cred = make_credential(issuer_key.did)
    cred["evidence"][0]["id"] = "evidence-1"  # relative: JSON-LD would drop it
    with pytest.raises(UndefinedTermsError, match="evidence-1"):
        _sign(cred, issuer_key)


def test_credential_schema_type_needs_the_extensions_context(issuer_key):
    cred = make_credential(issuer_key.did)
    assert cred["@context"][-1].endswith("/extensions.json")
    cred["@context"] = cred["@context"][:2]
    with pytest.raises(UndefinedTermsError, match="1EdTechJsonSchemaValidator2019"):
        _sign(cred, issuer_key)


def test_signed_credential_with_undefined_property_does_not_verify(issuer_key):
    signed = _sign(make_credential(issuer_key.did), issuer_key)
    signed["credentialSubject"]["unsignedClaim"] = "added later"  # dropped by JSON-LD: not signed
    result = verify_credential(signed)
    assert not result.ok
    assert "unsignedClaim" in " ".join(result.errors)


def test_sign_refuses_mismatched_key_and_bad_input(issuer_key):
    other = new_issuer_key()
    cred = make_credential(issuer_key.did)
    with pytest.raises(SigningError, match="does not match the private key"):
        sign_credential(cred, private_key=other.private_key, verification_method=issuer_key.verification_method)
    with pytest.raises(SigningError, match="not the DID"):
        sign_credential(
            make_credential(other.did), private_key=issuer_key.private_key,
            verification_method=issuer_key.verification_method,
        )  # fmt: skip
    with pytest.raises(SigningError, match="already has a proof"):
        _sign(_sign(cred, issuer_key), issuer_key)
    with pytest.raises(SigningError, match="XSD"):
        _sign(cred, issuer_key, created="yesterday")
    with pytest.raises(SigningError, match="not available offline"):
        _sign({**cred, "@context": [*cred["@context"], "https://example.org/ctx.json"]}, issuer_key)


def test_fast_canonicalisation_equals_plain_pyld(issuer_key):
    docs = [make_credential(issuer_key.did, n) for n in range(3)]
    docs.append(_sign(make_credential(issuer_key.did), issuer_key)["proof"][0] | {"@context": docs[0]["@context"]})
    # an inline context takes the uncached path
    docs.append({**docs[0], "@context": [*docs[0]["@context"], {"extra": "https://example.org/extra"}], "extra": 1})
    for doc in docs:
        assert canonicalize(doc) == _jsonld.reference_nquads(doc)


def test_raw_private_key_bytes_and_signer(issuer_key):
    raw = keys.private_key_to_bytes(issuer_key.private_key)
    signed = sign_credential(
        make_credential(issuer_key.did), private_key=raw, verification_method=issuer_key.verification_method
    )
    assert verify_credential(signed).ok
    signer = CredentialSigner(raw, issuer_key.verification_method)
    batch = signer.sign_many([make_credential(issuer_key.did, n) for n in range(3)])
    assert len({s["proof"][0]["created"] for s in batch}) == 1
    assert all(verify_credential(s).ok for s in batch)


def test_did_web_issuer_with_rotated_keys():
    did = "did:web:laurel.example.org:issuers:7"
    old, new = keys.generate_private_key(), keys.generate_private_key()
    doc = keys.did_web_document(did, [("key-1", keys.public_key_bytes(old)), ("key-2", keys.public_key_bytes(new))])
    resolver = did_document_resolver({did: doc})
    for sk, kid in ((old, "key-1"), (new, "key-2")):
        signed = sign_credential(make_credential(did), private_key=sk, verification_method=f"{did}#{kid}")
        assert verify_credential(signed, resolve_public_key=resolver).ok
    forged = sign_credential(make_credential(did), private_key=old, verification_method=f"{did}#key-2")
    assert verify_credential(forged, resolve_public_key=resolver).errors == ["signature does not match"]


# --- independent verification (DCC JavaScript libraries) ---------------------------------------


@pytest.mark.tools
def test_dcc_accepts_ours_and_rejects_tampered(dcc, issuer_key):
    signed = _sign(make_credential(issuer_key.did), issuer_key)
    variants = _tampered_variants(signed)
    undefined = copy.deepcopy(signed)
    undefined["credentialSubject"]["unsignedClaim"] = "x"
    results = dcc_verify([signed, undefined] + [t for _, t in variants])
    # no status server here: the proof alone is what is compared
    assert results[0]["signature"], results[0]["errors"]
    assert not results[1]["signature"]
    assert "Safe mode" in " ".join(results[1]["errors"])
    for (where, _), result in zip(variants, results[2:], strict=True):
        assert not result["signature"], f"DCC accepted a credential tampered at {where}"


@pytest.mark.tools
def test_dcc_accepts_credential_without_status_fully(dcc, issuer_key):
    cred = make_credential(issuer_key.did)
    del cred["credentialStatus"]
    result = dcc_verify(_sign(cred, issuer_key, created=None))
    assert result["verified"], result["errors"]
    assert result["status"] == {"checked": False}


@pytest.mark.tools
def test_credentials_signed_by_dcc_verify_with_ours(dcc):
    seed = os.urandom(32)
    creds = [make_credential("did:key:placeholder", n) for n in range(3)]
    out = dcc_sign(creds, seed=seed, created=CREATED)
    expected_pub = keys.public_key_bytes(keys.private_key_from_bytes(seed))
    assert out["did"] == keys.did_key_from_public_key(expected_pub)
    for signed in out["credentials"]:
        assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
        result = verify_credential(signed)
        assert result.ok, result.errors
        t = copy.deepcopy(signed)
        t["credentialSubject"]["achievement"]["name"] += "!"
        assert not verify_credential(t).ok
    # same key, same created, same document: byte-identical proofs both ways (Ed25519 is deterministic)
    ours = sign_credential(
        {k: v for k, v in out["credentials"][0].items() if k != "proof"},
        private_key=seed, verification_method=out["verificationMethod"], created=CREATED,
    )  # fmt: skip
    assert ours["proof"][0]["proofValue"] == out["credentials"][0]["proof"]["proofValue"]


@pytest.mark.tools
def test_fast_path_batch_verifies_in_dcc(dcc):
    """50 distinct credentials through the cached fast path (shared created, cached config hash)."""
    key = new_issuer_key()
    signer = CredentialSigner(key.private_key, key.verification_method)
    creds = []
    for n in range(50):
        cred = make_credential(key.did, n)
        del cred["credentialStatus"]
        creds.append(cred)
    signed = signer.sign_many(creds)
    assert len({s["proof"][0]["proofValue"] for s in signed}) == 50
    results = dcc_verify(signed)
    bad = [(i, r["errors"]) for i, r in enumerate(results) if not r["verified"]]
    assert not bad


def test_keyword_like_keys_and_nested_context_resets_are_reported(issuer_key):
    cred = make_credential(issuer_key.did)
    cred["credentialSubject"]["@bogus"] = "x"
    assert "credentialSubject.@bogus" in " ".join(check_all_terms_defined(cred))
    cred = make_credential(issuer_key.did)
    cred["evidence"][0]["@context"] = None  # pyld refuses: the contexts are protected
    assert "nullify a context" in " ".join(check_all_terms_defined(cred))
    cred = make_credential(issuer_key.did)
    cred["@context"] = [*cred["@context"], "https://example.org/unknown.json"]
    assert check_all_terms_defined(cred) == [
        "context 'https://example.org/unknown.json' is not available offline (not shipped with Laurel)"
    ]


def test_fast_path_proofs_equal_textbook_proofs(issuer_key):
    """Ed25519 is deterministic: the cached fast path must give byte-identical proofValues to the
    step-by-step algorithm run on pyld's public normalize()."""
    import hashlib

    import base58

    signer = CredentialSigner(issuer_key.private_key, issuer_key.verification_method)
    for n in range(3):
        cred = make_credential(issuer_key.did, n)
        fast = signer.sign(cred, created=CREATED)["proof"][0]
        config = {k: v for k, v in fast.items() if k != "proofValue"} | {"@context": cred["@context"]}
        data = hashlib.sha256(_jsonld.reference_nquads(config).encode()).digest()
        data += hashlib.sha256(_jsonld.reference_nquads(cred).encode()).digest()
        assert fast["proofValue"] == "z" + base58.b58encode(issuer_key.private_key.sign(data)).decode()
