"""The 1EdTech Open Badges 3.0 API: discovery, registration, authorization code with PKCE, the four
operations, scopes, paging and errors."""

import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client

from obapi.models import ClientRegistration
from obapi.scopes import CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE
from wallets.models import ExternalCredential

from .helpers import ALL_SCOPES, forged, pkce_pair, third_party_credential

pytestmark = pytest.mark.django_db

BASE = "/ims/ob/v3p0"
REDIRECT = "http://127.0.0.1:8765/callback"


def register(client=None, **overrides):
    metadata = {
        "client_name": "Other Wallet",
        "client_uri": "https://wallet.other.example",
        "redirect_uris": [REDIRECT],
        "scope": ALL_SCOPES,
        "token_endpoint_auth_method": "none",
        **overrides,
    }
    return (client or Client()).post(f"{BASE}/register", json.dumps(metadata), content_type="application/json")


def authorise(learner_client, *, scope=ALL_SCOPES, registered_scope=ALL_SCOPES) -> dict:
    """Register, consent as the learner, exchange the code with the PKCE verifier: the token response."""
    client_id = register(scope=registered_scope).json()["client_id"]
    verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "s-123",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    page = learner_client.get(f"{BASE}/authorize?{urlencode(query)}")
    assert page.status_code == 200 and "Other Wallet" in page.content.decode()
    answer = learner_client.post(f"{BASE}/authorize", {**query, "allow": "Authorize"})
    assert answer.status_code == 302, answer.content
    location = urlsplit(answer["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    params = parse_qs(location.query)
    assert params["state"] == ["s-123"]
    response = Client().post(
        f"{BASE}/token",
        {
            "grant_type": "authorization_code",
            "code": params["code"][0],
            "redirect_uri": REDIRECT,
            "client_id": client_id,
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()


def bearer(token: dict) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token['access_token']}"}


def upsert(token, credential, **extra):
    return Client().post(
        f"{BASE}/credentials", json.dumps(credential), content_type="application/json", **bearer(token), **extra
    )


def assert_imsx(response, status: int, minor: str | None = None):
    assert response.status_code == status
    body = response.json()
    assert body["imsx_codeMajor"] == "failure" and body["imsx_severity"] == "error" and body["imsx_description"]
    if minor:
        assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == minor
    return body


# --- discovery and registration ------------------------------------------------------------------


def test_discovery_describes_the_oauth_flow_and_the_scopes(client, settings):
    response = client.get(f"{BASE}/discovery")
    assert response.status_code == 200
    scheme = response.json()["components"]["securitySchemes"]["OAuth2ACG"]
    flow = scheme["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == settings.BASE_URL + f"{BASE}/authorize"
    assert flow["tokenUrl"] == settings.BASE_URL + f"{BASE}/token"
    assert scheme["x-imssf-registrationUrl"] == settings.BASE_URL + f"{BASE}/register"
    assert set(flow["scopes"]) == {CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE}
    paths = response.json()["paths"]
    assert paths["/credentials"]["get"]["operationId"] == "getCredentials"
    assert paths["/profile"]["put"]["operationId"] == "putProfile"


def test_register_a_public_client():
    response = register()
    assert response.status_code == 201
    body = response.json()
    assert body["client_id"] and "client_secret" not in body
    assert body["redirect_uris"] == [REDIRECT] and body["scope"] == ALL_SCOPES
    registration = ClientRegistration.objects.get()
    assert registration.application.client_type == "public"
    assert registration.application.authorization_grant_type == "authorization-code"


def test_register_a_confidential_client_gets_its_secret_once():
    body = register(token_endpoint_auth_method="client_secret_basic").json()
    assert body["client_secret"] and body["client_secret_expires_at"] == 0
    stored = ClientRegistration.objects.get().application.client_secret
    assert stored != body["client_secret"]  # hashed at rest


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"redirect_uris": ["http://wallet.other.example/cb"]}, "invalid_redirect_uri"),
        ({"redirect_uris": ["https://wallet.other.example/cb#x"]}, "invalid_redirect_uri"),
        ({"redirect_uris": ["javascript:alert(1)"]}, "invalid_redirect_uri"),
        ({"redirect_uris": []}, "invalid_client_metadata"),
        ({"scope": "read write"}, "invalid_client_metadata"),
        ({"scope": ""}, "invalid_client_metadata"),
        ({"client_name": ""}, "invalid_client_metadata"),
        ({"grant_types": ["client_credentials"]}, "invalid_client_metadata"),
        ({"token_endpoint_auth_method": "private_key_jwt"}, "invalid_client_metadata"),
    ],
)
def test_register_refuses_bad_metadata(overrides, error):
    response = register(**overrides)
    assert response.status_code == 400 and response.json()["error"] == error
    assert response.json()["error_description"]
    assert not ClientRegistration.objects.exists()


def test_register_refuses_what_is_not_json(client):
    for body in (b"{", b"[1]", b"null"):
        response = client.post(f"{BASE}/register", body, content_type="application/json")
        assert response.status_code == 400 and response.json()["error"] == "invalid_client_metadata"


def test_register_allows_https_and_localhost():
    assert register(redirect_uris=["https://wallet.other.example/cb", "http://localhost:3000/cb"]).status_code == 201


# --- authorization -------------------------------------------------------------------------------


def test_authorization_code_with_pkce(learner_client):
    token = authorise(learner_client)
    assert token["token_type"] == "Bearer" and token["refresh_token"]
    assert set(token["scope"].split()) == set(ALL_SCOPES.split())


def test_pkce_is_required(learner_client):
    client_id = register().json()["client_id"]
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": CREDENTIAL_READ}
    response = learner_client.get(f"{BASE}/authorize?{urlencode(query)}")
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "error=invalid_request" in response["Location"]


def test_a_wrong_verifier_gets_no_token(learner_client):
    client_id = register().json()["client_id"]
    _verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "scope": CREDENTIAL_READ,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    answer = learner_client.post(f"{BASE}/authorize", {**query, "allow": "Authorize"})
    code = parse_qs(urlsplit(answer["Location"]).query)["code"][0]
    response = Client().post(
        f"{BASE}/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": client_id,
            "code_verifier": pkce_pair()[0],
        },
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_the_learner_signs_in_first_and_may_deny(client, learner_client):
    client_id = register().json()["client_id"]
    _verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "scope": CREDENTIAL_READ,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": "z",
    }
    anonymous = client.get(f"{BASE}/authorize?{urlencode(query)}")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    page = learner_client.get(f"{BASE}/authorize?{urlencode(query)}")
    html = page.content.decode()
    assert "Read the credentials in your wallet" in html and "Change your profile" not in html
    assert "form-action 'self' http://127.0.0.1:8765" in page["Content-Security-Policy"]
    denied = learner_client.post(f"{BASE}/authorize", query)
    assert denied.status_code == 302 and "error=access_denied" in denied["Location"]


def test_a_client_cannot_ask_for_scopes_it_did_not_register(learner_client):
    client_id = register(scope=CREDENTIAL_READ).json()["client_id"]
    _verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "scope": CREDENTIAL_UPSERT,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    response = learner_client.get(f"{BASE}/authorize?{urlencode(query)}")
    assert response.status_code == 302 and "error=invalid_scope" in response["Location"]


def test_an_unregistered_redirect_uri_is_refused_without_redirecting(learner_client):
    client_id = register().json()["client_id"]
    _verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": "https://evil.example/cb",
        "scope": CREDENTIAL_READ,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    response = learner_client.get(f"{BASE}/authorize?{urlencode(query)}")
    assert response.status_code == 400 and "evil.example" not in response.get("Location", "")


# --- the operations ------------------------------------------------------------------------------


def test_without_a_token_401_in_imsx(client):
    assert_imsx(client.get(f"{BASE}/credentials"), 401, "unauthorizedrequest")
    response = client.get(f"{BASE}/profile", HTTP_AUTHORIZATION="Bearer nonsense")
    assert_imsx(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_get_credentials_lists_the_wallet(learner_client, award):
    token = authorise(learner_client)
    response = Client().get(f"{BASE}/credentials", **bearer(token))
    assert response.status_code == 200 and response["X-Total-Count"] == "1"
    assert response.json()["credential"] == [award.credential]
    assert response.json()["credential"][0]["proof"]
    type(award).objects.filter(pk=award.pk).update(state="declined")  # the learner's choice: not shared
    declined = Client().get(f"{BASE}/credentials", **bearer(token))
    assert declined["X-Total-Count"] == "0" and declined.json()["credential"] == []


def test_paging_headers(learner_client, achievement):
    from tests.wallets.conftest import issue

    for _n in range(5):
        issue(achievement)
    token = authorise(learner_client)
    first = Client().get(f"{BASE}/credentials?limit=2", **bearer(token))
    assert first["X-Total-Count"] == "5" and len(first.json()["credential"]) == 2
    links = first["Link"]
    assert 'offset=2>; rel="next"' in links and 'offset=4>; rel="last"' in links and 'rel="first"' in links
    assert 'rel="prev"' not in links
    last = Client().get(f"{BASE}/credentials?limit=2&offset=4", **bearer(token))
    assert len(last.json()["credential"]) == 1
    assert 'rel="next"' not in last["Link"] and 'offset=2>; rel="prev"' in last["Link"]
    everything = Client().get(f"{BASE}/credentials?limit=10", **bearer(token)).json()["credential"]
    pages = [
        Client().get(f"{BASE}/credentials?limit=2&offset={o}", **bearer(token)).json()["credential"] for o in (0, 2, 4)
    ]
    assert [c["id"] for page in pages for c in page] == [c["id"] for c in everything]
    for bad in ("limit=0", "offset=-1", "limit=x"):
        assert_imsx(Client().get(f"{BASE}/credentials?{bad}", **bearer(token)), 400, "invalid_query_parameter")


def test_upsert_an_externally_signed_credential(learner_client):
    token = authorise(learner_client)
    credential = third_party_credential()
    response = upsert(token, credential)
    assert response.status_code == 201, response.content
    item = ExternalCredential.objects.get()
    assert item.user == learner_client.user and item.kind == "ob3" and item.is_valid
    assert response.json()["id"] == credential["id"]
    wallet = learner_client.get("/wallet/").content.decode()
    assert "Imported from other issuers" in wallet and "Data Literacy" in wallet
    listed = Client().get(f"{BASE}/credentials", **bearer(token))
    assert listed["X-Total-Count"] == "1" and listed.json()["credential"][0]["id"] == credential["id"]
    again = upsert(token, credential)  # the same id again: replaced, not doubled
    assert again.status_code == 200 and ExternalCredential.objects.count() == 1


def test_a_forged_credential_is_refused(learner_client):
    token = authorise(learner_client)
    original = third_party_credential()
    upsert(token, original)
    body = assert_imsx(upsert(token, forged(original)), 400, "invalid_data")
    assert "verification" in body["imsx_description"]
    assert ExternalCredential.objects.get().name == "Data Literacy"  # the verified one stays


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"header.payload.signature", "text/plain"), (b"{", "application/json"), (b"[]", "application/json")],
)
def test_upsert_refuses_what_it_cannot_read(learner_client, body, content_type):
    token = authorise(learner_client)
    response = Client().post(f"{BASE}/credentials", body, content_type=content_type, **bearer(token))
    assert_imsx(response, 415 if content_type == "text/plain" else 400)
    assert not ExternalCredential.objects.exists()


def test_a_credential_for_someone_else_is_refused(learner_client):
    token = authorise(learner_client)
    assert_imsx(upsert(token, third_party_credential(email="someone.else@example.org")), 400)


def test_a_readonly_token_cannot_upsert(learner_client):
    token = authorise(learner_client, scope=CREDENTIAL_READ)
    response = upsert(token, third_party_credential())
    assert_imsx(response, 403, "forbidden")
    assert "insufficient_scope" in response["WWW-Authenticate"]
    assert not ExternalCredential.objects.exists()
    assert_imsx(Client().get(f"{BASE}/profile", **bearer(token)), 403)


def test_get_and_put_profile(learner_client):
    token = authorise(learner_client)
    profile = Client().get(f"{BASE}/profile", **bearer(token))
    assert profile.status_code == 200 and profile.json()["type"] == ["Profile"]
    assert profile.json()["email"] == "amina.okonkwo@example.org"
    changed = Client().put(
        f"{BASE}/profile",
        json.dumps({**profile.json(), "name": "Amina O.", "description": "Data"}),
        content_type="application/json",
        **bearer(token),
    )
    assert changed.status_code == 200 and changed.json()["name"] == "Amina O."
    assert learner_client.user.wallet_profile.display_name == "Amina O."
    assert_imsx(
        Client().put(f"{BASE}/profile", json.dumps({"name": ""}), content_type="application/json", **bearer(token)), 400
    )
    assert_imsx(Client().put(f"{BASE}/profile", b"nope", content_type="application/json", **bearer(token)), 400)


def test_a_profile_readonly_token_cannot_put(learner_client):
    token = authorise(learner_client, scope=PROFILE_READ)
    response = Client().put(
        f"{BASE}/profile", json.dumps({"name": "X"}), content_type="application/json", **bearer(token)
    )
    assert_imsx(response, 403)
