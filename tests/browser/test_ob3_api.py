"""The 1EdTech Open Badges 3.0 API end to end (issue 12, Must show): a client registers, the learner signs in
and authorises it in headless chromium, the client exchanges the code with its PKCE verifier, lists the
learner's credentials and upserts an externally signed credential that then shows in the wallet.
Screenshot of the consent page: tests/artifacts/screenshots/ob3-api-consent.png."""

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from credentials.services import Recipient, award_issue, issuer_create
from obapi.scopes import CREDENTIAL_READ, CREDENTIAL_UPSERT
from tests.browser import axe
from tests.browser.conftest import screenshot, wait_until
from tests.credentials.conftest import make_achievement
from tests.obapi.helpers import pkce_pair, third_party_credential
from tests.wallets.conftest import PASSWORD, make_learner
from wallets.models import ExternalCredential

pytestmark = [pytest.mark.browser, pytest.mark.tools, pytest.mark.django_db(transaction=True)]


def test_ob3_api_flow(page, live_server, default_framework, settings):
    settings.RATELIMIT_ENABLE = False
    learner = make_learner("amina.okonkwo@example.org")
    issuer = issuer_create(
        slug="centre", name="Turin Centre", url="https://centre.example.org", email="badges@centre.example.org"
    )
    achievement = make_achievement(issuer, default_framework.badgecategory_set.get(code="competency"))
    award = award_issue(
        achievement=achievement, recipient=Recipient(email="amina.okonkwo@example.org", name="Amina Okonkwo")
    )
    api = f"{live_server.url}/ims/ob/v3p0"
    redirect_uri = f"{live_server.url}/"  # the client's page: the browser lands there with ?code=

    # 1. The client reads the service description and registers itself.
    discovery = requests.get(f"{api}/discovery", timeout=10).json()
    scheme = discovery["components"]["securitySchemes"]["OAuth2ACG"]
    flow = scheme["flows"]["authorizationCode"]
    registered = requests.post(
        scheme["x-imssf-registrationUrl"],
        json={
            "client_name": "Other Wallet",
            "redirect_uris": [redirect_uri],
            "scope": f"{CREDENTIAL_READ} {CREDENTIAL_UPSERT}",
            "token_endpoint_auth_method": "none",
        },
        timeout=10,
    )
    assert registered.status_code == 201, registered.text
    client_id = registered.json()["client_id"]

    # 2. The learner signs in and authorises the client.
    verifier, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": f"{CREDENTIAL_READ} {CREDENTIAL_UPSERT}",
        "state": "state-42",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    page.goto(f"{flow['authorizationUrl']}?{urlencode(query)}")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill(learner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/ims/ob/v3p0/authorize"))
    page.get_by_role("heading", name=re.compile("Other Wallet")).wait_for()
    assert page.get_by_text("Read the credentials in your wallet").is_visible()
    assert page.get_by_text("Add credentials to your wallet or replace them").is_visible()
    screenshot(page, "ob3-api-consent")
    consent = axe.run(page)  # the consent page is a learner page too (issue 15.5): no axe violation
    axe.save("ob3-api-consent-en-1280", consent)
    assert not consent["violations"], axe.describe(consent["violations"])
    page.get_by_role("button", name="Accept").click()
    wait_until(page, "new URLSearchParams(location.search).has('code')")
    params = parse_qs(urlsplit(page.url).query)
    assert params["state"] == ["state-42"]

    # 3. The client exchanges the code with its PKCE verifier.
    token = requests.post(
        flow["tokenUrl"],
        data={
            "grant_type": "authorization_code",
            "code": params["code"][0],
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "code_verifier": verifier,
        },
        timeout=10,
    )
    assert token.status_code == 200, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}

    # 4. It lists the learner's credentials, then upserts one signed by another issuer.
    listed = requests.get(f"{api}/credentials", headers=headers, timeout=10)
    assert listed.status_code == 200 and listed.headers["X-Total-Count"] == "1"
    assert listed.json()["credential"][0]["id"] == award.credential["id"]
    external = third_party_credential(name="Data Literacy")
    upserted = requests.post(f"{api}/credentials", json=external, headers=headers, timeout=30)
    assert upserted.status_code == 201, upserted.text
    assert ExternalCredential.objects.filter(user=learner, document_id=external["id"]).exists()
    assert requests.get(f"{api}/credentials", headers=headers, timeout=10).headers["X-Total-Count"] == "2"

    # 5. The wallet shows it.
    page.goto(f"{live_server.url}/wallet/")
    page.get_by_text("Data Literacy").first.wait_for()
    card = page.locator("li.wcard", has=page.get_by_role("heading", name=re.compile("Data Literacy")))
    assert card.get_by_text("Imported from other issuers").is_visible()  # its card names its group
    screenshot(page, "ob3-api-wallet")
