"""Adding a credential to the DCC Learner Credential Wallet through a VC-API exchange.

Presentations are made by the DCC JavaScript stack (tests/tools/dcc/present.mjs: @digitalcredentials/vc
signPresentation with Ed25519Signature2020, as the wallet does); those tests skip without node/npm
unless CI=true. The returned credential is checked by the DCC verifier.
"""

import copy
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import NoReverseMatch, include, path, resolve, reverse

from audit.models import AuditEntry
from config import urls as project_urls
from credentials.openbadges.presentation import verify_presentation
from credentials.openbadges.proof_verify import verify_credential
from credentials.services import Recipient, award_issue, award_revoke
from exchange.services import exchange_links, exchange_token
from tests.credentials.conftest import make_achievement
from tests.support.dcc import dcc_or_skip, dcc_present, dcc_verify

DOMAIN = "https://laurel.example.org"

# The exchange URLs, wherever the project includes them (until config/urls.py does, this module is
# the URLconf of these tests).
urlpatterns = list(project_urls.urlpatterns)
try:
    reverse("exchange:exchange", urlconf=project_urls, kwargs={"token": "x"})
except NoReverseMatch:
    urlpatterns.append(path("", include("exchange.urls")))


@pytest.fixture(autouse=True)
def _exchange_setup(settings):
    settings.ROOT_URLCONF = __name__
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def wallet_vp():
    """One presentation signed by the DCC stack for challenge "challenge-1" and DOMAIN."""
    dcc_or_skip()
    return dcc_present("challenge-1", DOMAIN)


def post(client, url, data=None, *, raw=None):
    body = raw if raw is not None else json.dumps(data if data is not None else {})
    response = client.post(url, data=body, content_type="application/json")
    return response, response.json()


def exchange_path(award):
    return reverse("exchange:exchange", kwargs={"token": exchange_token(award)})


def start(client, url):
    response, data = post(client, url, {})
    assert response.status_code == 200, data
    vpr = data["verifiablePresentationRequest"]
    return vpr["challenge"], vpr["domain"]


# --- credentials.openbadges.presentation ------------------------------------------------------------


@pytest.mark.parametrize("version", [2, 1])
@pytest.mark.tools
def test_dcc_wallet_presentation_verifies(version):
    dcc_or_skip()
    made = dcc_present("c-123", DOMAIN, version=version)
    result = verify_presentation(made["presentation"], challenge="c-123", domain=DOMAIN)
    assert result.ok, result.errors
    assert result.holder == made["did"]
    assert result.verification_method == made["verificationMethod"]


def _tampered(vp, change):
    vp = copy.deepcopy(vp)
    change(vp)
    return vp


def _flip(value: str) -> str:
    return value[:-2] + ("1" if value[-2] != "1" else "2") + value[-1]


TAMPERING = [
    ("expected challenge differs", None, {"challenge": "challenge-2"}, "challenge", "challenge does not match"),
    (
        "expected domain differs",
        None,
        {"domain": "https://evil.example"},
        "domain",
        "domain 'https://laurel.example.org' is not the expected 'https://evil.example'",
    ),
    (
        "challenge edited to the expected one",
        lambda vp: vp["proof"].update(challenge="challenge-2"),
        {"challenge": "challenge-2"},
        "signature",
        "signature does not match",
    ),
    (
        "domain edited to the expected one",
        lambda vp: vp["proof"].update(domain="https://evil.example"),
        {"domain": "https://evil.example"},
        "signature",
        "signature does not match",
    ),
    (
        "signature altered",
        lambda vp: vp["proof"].update(proofValue=_flip(vp["proof"]["proofValue"])),
        {},
        "signature",
        "signature does not match",
    ),
    (
        "holder swapped",
        lambda vp: vp.update(holder="did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"),
        {},
        "holder",
        "is not the DID that signed",
    ),
    (
        "purpose changed",
        lambda vp: vp["proof"].update(proofPurpose="assertionMethod"),
        {},
        "purpose",
        "expected 'authentication'",
    ),
    ("domain removed", lambda vp: vp["proof"].pop("domain"), {}, "domain", "the proof has no domain"),
    ("proof removed", lambda vp: vp.pop("proof"), {}, "proof", "not signed"),
    (
        "did:web key",
        lambda vp: vp["proof"].update(verificationMethod="did:web:example.org#key-1"),
        {},
        "key",
        "is not a did:key",
    ),
    ("undefined property added", lambda vp: vp.update(colour="blue"), {}, "jsonld", "'colour' is not defined"),
]


@pytest.mark.parametrize(("name", "change", "expect", "code", "message"), TAMPERING, ids=[c[0] for c in TAMPERING])
@pytest.mark.tools
def test_tampered_presentations_are_refused_with_the_reason(wallet_vp, name, change, expect, code, message):
    vp = _tampered(wallet_vp["presentation"], change) if change else wallet_vp["presentation"]
    kwargs = {"challenge": "challenge-1", "domain": DOMAIN, **expect}
    result = verify_presentation(vp, **kwargs)
    assert not result.ok and result.holder is None
    assert code in result.codes, result.errors
    assert any(message in error for error in result.errors), result.errors


@pytest.mark.tools
def test_untampered_reference_still_verifies(wallet_vp):
    # the parametrised cases above edit copies: the original keeps verifying
    assert verify_presentation(wallet_vp["presentation"], challenge="challenge-1", domain=DOMAIN).ok


# --- the exchange: full flow against the DCC stack -----------------------------------------------------


@pytest.fixture
def live_award(live_server, settings, transactional_db, default_framework):
    from credentials.services import issuer_create

    settings.BASE_URL = live_server.url  # the DCC verifier fetches the status list from here
    issuer = issuer_create(
        slug="live-centre", name="Live Centre", url="https://centre.example.org", email="badges@centre.example.org"
    )
    achievement = make_achievement(issuer, default_framework.badgecategory_set.get(code="competency"))
    return award_issue(achievement=achievement, recipient=Recipient(email="Learner@Example.org", name="Lea Learner"))


@pytest.mark.tools
def test_wallet_exchange_delivers_a_holder_bound_credential_that_the_dcc_verifier_accepts(
    live_award, live_server, client
):
    dcc_or_skip()
    links = exchange_links(live_award, request_origin=live_server.url)
    request = json.loads(parse_qs(urlsplit(links["deep_link"]).query)["request"][0])
    url = urlsplit(request["protocols"]["vcapi"]).path

    response, data = post(client, url, {})
    assert response.status_code == 200, data
    vpr = data["verifiablePresentationRequest"]
    assert vpr["query"][0]["type"] == "DIDAuthentication"
    assert vpr["domain"] == live_server.url and len(vpr["challenge"]) >= 32

    wallet = dcc_present(vpr["challenge"], vpr["domain"])
    response, data = post(client, url, {"verifiablePresentation": wallet["presentation"]})
    assert response.status_code == 200, data
    vp = data["verifiablePresentation"]
    assert vp["type"] == ["VerifiablePresentation"] and len(vp["verifiableCredential"]) == 1
    credential = vp["verifiableCredential"][0]
    assert credential["credentialSubject"]["id"] == wallet["did"]
    assert credential["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert verify_credential(credential).ok
    checked = dcc_verify(credential)
    assert checked["verified"] is True, checked["errors"]

    live_award.refresh_from_db()
    assert live_award.holder_did == wallet["did"]
    entry = AuditEntry.objects.get(action="award.wallet_exchange", subject_id=str(live_award.pk))
    assert entry.data["holder_did"] == wallet["did"]

    # the same presentation again: the challenge is single-use
    response, data = post(client, url, {"verifiablePresentation": wallet["presentation"]})
    assert response.status_code == 409
    assert data["error"] == "challenge_used" and "already been used" in data["message"]


# --- the exchange: refusals ------------------------------------------------------------------------------


@pytest.mark.tools
def test_wrong_challenge_is_refused(award, client):
    dcc_or_skip()
    url = exchange_path(award)
    _challenge, domain = start(client, url)
    wallet = dcc_present("a-challenge-we-never-issued", domain)
    response, data = post(client, url, {"verifiablePresentation": wallet["presentation"]})
    assert response.status_code == 403
    assert data["error"] == "challenge_unknown" and "did not issue" in data["message"]
    award.refresh_from_db()
    assert award.holder_did == ""


@pytest.mark.tools
def test_challenge_of_another_award_is_refused(award, achievement, client):
    dcc_or_skip()
    other = award_issue(achievement=achievement, recipient=Recipient(email="other@example.org", name="Other"))
    challenge, domain = start(client, exchange_path(other))
    wallet = dcc_present(challenge, domain)
    response, data = post(client, exchange_path(award), {"verifiablePresentation": wallet["presentation"]})
    assert response.status_code == 403 and data["error"] == "challenge_unknown"


@pytest.mark.tools
def test_expired_challenge_is_refused(award, client):
    dcc_or_skip()
    url = exchange_path(award)
    challenge, domain = start(client, url)
    wallet = dcc_present(challenge, domain)
    cache.clear()  # what the cache does after EXCHANGE_CHALLENGE_MINUTES
    response, data = post(client, url, {"verifiablePresentation": wallet["presentation"]})
    assert response.status_code == 403 and data["error"] == "challenge_unknown"
    assert "has expired" in data["message"]


@pytest.mark.tools
def test_wrong_domain_is_refused(award, client):
    dcc_or_skip()
    url = exchange_path(award)
    challenge, _domain = start(client, url)
    wallet = dcc_present(challenge, "https://evil.example")
    response, data = post(client, url, {"verifiablePresentation": wallet["presentation"]})
    assert response.status_code == 403 and data["error"] == "did_auth_failed"
    assert "DID authentication failed" in data["message"]
    assert any("domain 'https://evil.example' is not the expected" in d for d in data["details"])


@pytest.mark.tools
def test_tampered_signature_is_refused_and_does_not_burn_the_challenge(award, client):
    dcc_or_skip()
    url = exchange_path(award)
    challenge, domain = start(client, url)
    wallet = dcc_present(challenge, domain)
    forged = copy.deepcopy(wallet["presentation"])
    forged["proof"]["proofValue"] = _flip(forged["proof"]["proofValue"])
    response, data = post(client, url, {"verifiablePresentation": forged})
    assert response.status_code == 401 and data["error"] == "did_auth_failed"
    assert "signature does not match" in data["message"]

    impostor = copy.deepcopy(wallet["presentation"])
    impostor["holder"] = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
    response, data = post(client, url, {"verifiablePresentation": impostor})
    assert response.status_code == 401 and "is not the DID that signed" in data["message"]

    response, data = post(client, url, {"verifiablePresentation": wallet["presentation"]})
    assert response.status_code == 200, data
    assert data["verifiablePresentation"]["verifiableCredential"][0]["credentialSubject"]["id"] == wallet["did"]


def test_unsigned_presentation_is_refused(award, client):
    url = exchange_path(award)
    start(client, url)
    response, data = post(client, url, {"verifiablePresentation": {"type": ["VerifiablePresentation"]}})
    assert response.status_code == 401 and data["error"] == "did_auth_failed"


def test_expired_exchange_link_is_refused(award, client, monkeypatch, settings):
    import time

    settings.EXCHANGE_LINK_MINUTES = 30
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 31 * 60)
    old_url = exchange_path(award)
    monkeypatch.setattr(signing.time, "time", lambda: real() - 29 * 60)
    recent_url = exchange_path(award)
    monkeypatch.undo()

    response, data = post(client, old_url, {})
    assert response.status_code == 410
    assert data["error"] == "exchange_expired" and "has expired" in data["message"]
    response, _data = post(client, recent_url, {})
    assert response.status_code == 200


def test_forged_exchange_links_are_refused(award, client):
    token = exchange_token(award)
    public_id, timestamp, signature = token.split(":")
    forged = [
        f"{public_id}:{timestamp}:{_flip(signature)}",
        f"{public_id[:-1]}{'A' if public_id[-1] != 'A' else 'B'}:{timestamp}:{signature}",
        signing.TimestampSigner(salt="another.salt", algorithm="sha256").sign(public_id),
        public_id,
        signing.TimestampSigner(salt="laurel.credentials.exchange", algorithm="sha256").sign("no-such-award"),
    ]
    for token in forged:
        url = reverse("exchange:exchange", kwargs={"token": token})
        response, data = post(client, url, {})
        assert response.status_code == 404, token
        assert data == {"error": "exchange_not_found", "message": "This exchange link is not valid."}


def test_revoked_credential_is_refused_at_both_steps(award, client):
    url = exchange_path(award)
    challenge, domain = start(client, url)
    award_revoke(award=award, reason="Issued in error")
    response, data = post(client, url, {})
    assert response.status_code == 403
    assert data["error"] == "credential_revoked" and "revoked" in data["message"]
    vp = {"type": ["VerifiablePresentation"], "proof": {"challenge": challenge, "domain": domain}}
    response, data = post(client, url, {"verifiablePresentation": vp})
    assert response.status_code == 403 and data["error"] == "credential_revoked"


def test_malformed_requests(award, client):
    url = exchange_path(award)
    response, data = post(client, url, raw="{not json")
    assert response.status_code == 400 and data["error"] == "bad_json"
    response, data = post(client, url, raw="[1, 2]")
    assert response.status_code == 400 and data["message"] == "The request body must be a JSON object."
    response, data = post(client, url, {"verifiablePresentation": "eyJhbGciOi..."})
    assert response.status_code == 400 and data["error"] == "bad_presentation"
    response, data = post(client, url, raw=json.dumps({"x": "y" * 70_000}))
    assert response.status_code == 413
    response = client.get(url)
    assert response.status_code == 405 and response.json()["error"] == "method_not_allowed"
    # an empty body starts the exchange, as {} does
    response, data = post(client, url, raw="")
    assert response.status_code == 200 and "verifiablePresentationRequest" in data


def test_exchange_is_csrf_exempt(award):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(exchange_path(award), data="{}", content_type="application/json")
    assert response.status_code == 200


def test_each_start_issues_a_fresh_challenge_for_our_domain(award, client, settings):
    settings.BASE_URL = "https://laurel.example.org"
    url = exchange_path(award)
    first, domain = start(client, url)
    second, _domain = start(client, url)
    assert first != second
    assert domain == "https://laurel.example.org"


# --- links for the wallet page ---------------------------------------------------------------------------


def test_deep_link_decodes_to_the_vcapi_request(award, client):
    links = exchange_links(award, request_origin="https://learn.example.org/wallet/")
    assert links["deep_link"].startswith("https://lcw.app/request?request=")
    assert " " not in links["deep_link"] and "{" not in links["deep_link"]
    request = json.loads(parse_qs(urlsplit(links["deep_link"]).query)["request"][0])
    assert request == {
        "credentialRequestOrigin": "https://learn.example.org",
        "protocols": {"vcapi": links["exchange_url"]},
    }
    parts = urlsplit(links["exchange_url"])
    assert f"{parts.scheme}://{parts.netloc}" == "https://learn.example.org"
    match = resolve(parts.path)
    assert match.view_name == "exchange:exchange"
    assert (
        signing.TimestampSigner(salt="laurel.credentials.exchange", algorithm="sha256").unsign(match.kwargs["token"])
        == award.public_id
    )
    assert links["qr_svg"].startswith("<svg") and "laurel-wallet-qr" in links["qr_svg"]
    assert links["expires_at"] is not None
    # the link works
    response, data = post(client, parts.path, {})
    assert response.status_code == 200 and "verifiablePresentationRequest" in data


def test_request_origin_must_be_an_http_origin(award):
    with pytest.raises(ValueError, match="not an http"):
        exchange_links(award, request_origin="javascript:alert(1)")
