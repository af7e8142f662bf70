"""The fast canonical form (``_rdfc``) and the expansion memo give pyld's bytes exactly.

Every credential here is canonicalised three ways: through the fast paths, through the same pipeline with
``_jsonld.FAST_PATHS`` off (pyld's expansion, to_rdf and URDNA2015) and through pyld's public ``normalize``
alone; the proofs signed both ways must be the same bytes.
"""

import contextlib
import hashlib

import base58
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credentials.openbadges import _jsonld, _rdfc, keys, ob3
from credentials.openbadges.proof import CredentialSigner, canonicalize
from credentials.openbadges.proof_verify import verify_credential
from credentials.openbadges.status_list import status_entry
from tests.openbadges.helpers import make_credential, new_issuer_key

BASE = "https://laurel.example.org"
KEY = new_issuer_key()
CREATED = "2026-12-02T10:00:00Z"
TRICKY = [
    'Zoë "the best" O\'Brien',
    "line one\nline two\r\nthree\ttabbed",
    "back\\slash \\n not a newline",
    "Ελληνικά, русский, العربية, 中文, 日本語, 한국어 👩🏽‍🎓",
    "<b>not html</b> & ampersand",
    "trailing space ",
    "",
]

names = st.one_of(st.sampled_from(TRICKY), st.text(min_size=1, max_size=40))
languages = st.sampled_from(["en", "fr", "es", "ar", "zh-Hans", "pt-BR"])


@st.composite
def credentials(draw):
    n = draw(st.integers(0, 10**6))
    issuer = ob3.profile(
        KEY.did,
        draw(names) or "Issuer",
        url=draw(st.sampled_from([None, "https://www.itcilo.org"])),
        email=draw(st.sampled_from([None, "badges@itcilo.org"])),
        description=draw(st.one_of(st.none(), names)),
        image_url=draw(st.sampled_from([None, f"{BASE}/media/issuer.png"])),
    )
    alignment = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "type": st.just(["Alignment"]),
                    "targetName": names,
                    "targetUrl": st.just("http://data.europa.eu/snb/eqf/5"),
                },
                optional={"targetFramework": names, "targetCode": st.sampled_from(["5", "S1.2"])},
            ),
            max_size=3,
            unique_by=lambda a: a["targetName"],
        )
    )
    extra = {"humanCode": f"course-{n % 5}", "inLanguage": draw(languages)}
    credits = draw(
        st.one_of(st.none(), st.integers(0, 300), st.floats(0.5, 60, allow_nan=False).map(lambda x: round(x, 2)))
    )
    if credits is not None:
        extra["creditsAvailable"] = credits
    creator = draw(st.sampled_from([None, issuer, ob3.profile(f"{BASE}/orgs/{n % 3}", "Partner organisation")]))
    achievement = ob3.achievement(
        f"{BASE}/achievements/{n % 7}",
        draw(names) or "Achievement",
        draw(names),
        criteria_narrative=draw(st.one_of(st.none(), names.filter(bool))) or "Attend.",
        criteria_url=draw(st.sampled_from([None, f"{BASE}/achievements/{n % 7}/criteria"])) or None,
        achievement_type=draw(st.sampled_from([None, "Certificate", "Badge", "ext:Workshop"])),
        image_url=draw(st.sampled_from([None, f"{BASE}/media/a.png"])),
        image_caption=draw(st.one_of(st.none(), names)),
        tags=draw(st.lists(names.filter(bool), max_size=3)) or None,
        creator=creator,
        alignment=alignment or None,
        extra=extra,
    )
    evidence = draw(
        st.lists(
            st.builds(
                ob3.evidence,
                id=st.one_of(st.none(), st.integers(0, 99).map(lambda i: f"{BASE}/evidence/{i}")),
                name=st.one_of(st.none(), names),
                narrative=st.one_of(st.none(), names),
                genre=st.sampled_from([None, "Project"]),
            ),
            max_size=3,
            unique_by=lambda e: repr(sorted(e.items())),
        )
    )
    subject_id = draw(st.sampled_from([None, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"]))
    email = draw(st.sampled_from([None, f"learner{n}@example.org", "Ünïcode@example.org"]))
    identifiers = draw(st.sampled_from([None, [ob3.name_identity_object(draw(names) or "Name")]]))
    if not (subject_id or email or identifiers):
        email = "someone@example.org"
    return ob3.build_credential(
        id=draw(st.sampled_from([f"{BASE}/c/{n:08d}", f"urn:uuid:3f1c2a9e-0000-4b7e-9c1d-{n:012d}"])),
        issuer=issuer,
        achievement=achievement,
        valid_from="2024-05-01T09:00:00Z",
        valid_until=draw(st.sampled_from([None, "2030-05-01T09:00:00Z"])),
        name=draw(names) or "Credential",
        description=draw(st.one_of(st.none(), names)),
        recipient_email=email,
        salt=f"salt-{n}",
        subject_id=subject_id,
        identifiers=identifiers,
        image_url=draw(st.sampled_from([None, f"{BASE}/media/a.png"])),
        evidence=[e for e in evidence if len(e) > 1] or None,
        credential_status=draw(st.sampled_from([None, status_entry(f"{BASE}/status/1", n % 131072)])),
        extra={"awardedDate": "2024-05-01T09:00:00Z"},
    )


@contextlib.contextmanager
def fast_paths(on: bool):
    before = _jsonld.FAST_PATHS
    _jsonld.FAST_PATHS = on
    try:
        yield
    finally:
        _jsonld.FAST_PATHS = before


def _plain_proof_value(credential, created):
    """The textbook algorithm through pyld's public API only."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": created,
        "verificationMethod": KEY.verification_method,
        "proofPurpose": "assertionMethod",
    }
    data = hashlib.sha256(_jsonld.reference_nquads({**options, "@context": credential["@context"]}).encode()).digest()
    data += hashlib.sha256(_jsonld.reference_nquads(credential).encode()).digest()
    return "z" + base58.b58encode(KEY.private_key.sign(data)).decode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credentials())
def test_varied_credentials_take_the_fast_path_and_give_pyld_bytes(credential):
    expanded = _jsonld.expand_with_sentinel(credential)
    assert _jsonld.find_undefined(credential, expanded) == []
    fast = _rdfc.canonical_nquads(expanded)
    assert fast is not None, "a credential of ours left the fast path"
    assert fast == canonicalize(credential) == _jsonld.reference_nquads(credential)
    with fast_paths(False):
        assert canonicalize(credential) == fast


def _check_proofs(credential):
    signer = CredentialSigner(KEY.private_key, KEY.verification_method)
    signed = signer.sign(credential, created=CREATED)
    with fast_paths(False):
        slow = signer.sign(credential, created=CREATED)
    assert signed == slow
    assert signed["proof"][0]["proofValue"] == _plain_proof_value(credential, CREATED)
    assert verify_credential(signed).ok
    with fast_paths(False):
        assert verify_credential(signed).ok
    tampered = {**signed, "name": signed["name"] + "!"}
    assert not verify_credential(tampered).ok


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credentials())
def test_proofs_are_byte_identical_to_plain_pyld_and_verify(credential):
    _check_proofs(credential)


@pytest.mark.parametrize("n", range(5))
def test_proofs_of_the_realistic_credential(n):
    _check_proofs(make_credential(KEY.did, n))


def test_memoised_objects_are_fresh_copies_and_keyed_by_position():
    """The same object under different properties (issuer, achievement creator) expands differently; changing
    an expansion the memo returned does not change the next one."""
    credential = make_credential(KEY.did, 3)
    credential["credentialSubject"]["achievement"]["creator"] = dict(credential["issuer"])
    first = _jsonld.expand_with_sentinel(credential)
    first[0].clear()
    second = _jsonld.expand_with_sentinel(credential)
    assert second and second[0]
    assert canonicalize(credential) == _jsonld.reference_nquads(credential)
    # the memo is keyed by JSON text: a changed value is a different key
    credential["issuer"]["name"] = "Another name"
    assert canonicalize(credential) == _jsonld.reference_nquads(credential)
    assert "Another name" in canonicalize(credential)


def _with_term(credential, term, definition, value):
    context = [*credential["@context"], {term: {"@id": f"https://example.org/{term}", **definition}}]
    return credential | {"@context": context, term: value}


XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
ALIKE = [{"type": ["Evidence"], "name": "same"}, {"type": ["Evidence"], "name": "same"}]
OTHER_SHAPES = {
    "an @list container": lambda c: _with_term(c, "steps", {"@container": "@list"}, ["a", "b"]),
    "a JSON literal": lambda c: _with_term(c, "data", {"@type": "@json"}, {"b": 1, "a": [2]}),
    "an @index container": lambda c: _with_term(c, "byLang", {"@container": "@index"}, {"en": "Hi", "fr": "Salut"}),
    "a typed double": lambda c: _with_term(c, "score", {"@type": XSD_DOUBLE}, 3),
    "a blank node id in the document": lambda c: c | {"evidence": [{"id": "_:e1", "type": ["Evidence"], "name": "x"}]},
    "two blank nodes alike": lambda c: c | {"evidence": [*ALIKE, {"type": ["Evidence"], "narrative": "other"}]},
    "a default language": lambda c: c | {"@context": [*c["@context"], {"@language": "fr"}]},
}


@pytest.mark.parametrize("label", sorted(OTHER_SHAPES))
def test_other_shapes_fall_back_to_pyld_with_the_same_bytes(label):
    credential = OTHER_SHAPES[label](make_credential(KEY.did, 5))
    assert canonicalize(credential) == _jsonld.reference_nquads(credential), label
    with fast_paths(False):
        assert canonicalize(credential) == _jsonld.reference_nquads(credential), label


def test_two_blank_nodes_alike_leave_the_fast_path():
    credential = make_credential(KEY.did, 6)
    credential["evidence"] = ALIKE
    assert _rdfc.canonical_nquads(_jsonld.expand_with_sentinel(credential)) is None
    assert canonicalize(credential) == _jsonld.reference_nquads(credential)


@pytest.mark.parametrize("value", [True, False, 0, 7, -3, 2.5, 1e21, 0.1, 12.0])
def test_literals_of_every_json_type(value):
    credential = make_credential(KEY.did, 8)
    credential["credentialSubject"]["achievement"]["creditsAvailable"] = value
    expanded = _jsonld.expand_with_sentinel(credential)
    assert _rdfc.canonical_nquads(expanded) == _jsonld.reference_nquads(credential)


def test_base58_encoder_matches_the_library():
    for data in [b"", b"\0", b"\0\0\1", bytes(range(64)), b"\xff" * 64, keys.public_key_bytes(KEY.private_key)]:
        assert keys.b58encode(data) == base58.b58encode(data).decode()
