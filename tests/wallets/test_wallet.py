"""The wallet grid, filters, search, stacking progress, detail page and the query budget."""

import re

import pytest

from credentials.services import award_decline, award_revoke

from .conftest import client_for, issue, make_achievement, make_learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def tier_achievement(issuer, default_framework):
    from credentials.models import Achievement
    from credentials.services import achievement_save

    tier = default_framework.certificatetier_set.get(code="participation")
    return achievement_save(
        achievement=Achievement(
            issuer=issuer,
            tier=tier,
            slug="labour-standards",
            name="International Labour Standards",
            description="A course on labour standards.",
            criteria_narrative="Attend 80% of sessions.",
            hours=30,
        )
    )


def test_wallet_needs_sign_in(client, db):
    response = client.get("/wallet/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/wallet/")


def test_wallet_groups_certificates_and_badges(learner_client, award, tier_achievement):
    issue(tier_achievement)
    body = learner_client.get("/wallet/").content.decode()
    assert "Certificate of Participation" in body and "Competency" in body
    # tiers first, then badge categories
    assert body.index(">International Labour Standards</a></h3>") < body.index(">Negotiation Skills</a></h3>")
    assert 'role="search"' in body and '<label for="id_q">' in body
    assert 'alt=""' in body  # decorative card images: the heading names the card


def test_credentials_to_any_verified_address_land_in_one_wallet(achievement, issuer, competency):
    user = make_learner("amina.okonkwo@example.org", extra_emails=["amina@work.example.org"])
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email="unproven@example.org", verified=False)
    issue(achievement)
    issue(make_achievement(issuer, competency, slug="mediation", name="Mediation"), email="Amina@Work.example.org")
    issue(make_achievement(issuer, competency, slug="drafting", name="Drafting"), email="unproven@example.org")
    body = client_for(user).get("/wallet/").content.decode()
    assert "Negotiation Skills" in body and "Mediation" in body
    assert "Drafting" not in body  # an unverified address proves nothing


def test_filters_and_search(learner_client, issuer, competency, tier_achievement):
    a = issue(make_achievement(issuer, competency, slug="mediation", name="Mediation"))
    b = issue(make_achievement(issuer, competency, slug="drafting", name="Legal Drafting"))
    issue(tier_achievement)
    award_revoke(award=a, reason="Mistake")
    award_decline(award=b)

    def names(**params):
        body = learner_client.get("/wallet/", params).content.decode()
        return set(re.findall(r'<h3 id="card-[^"]+"><a href="[^"]+">([^<]+)</a>', body))

    assert names() == {"Mediation", "International Labour Standards"}  # declined hidden by default
    assert names(state="declined") == {"Legal Drafting"}
    assert names(state="revoked") == {"Mediation"}
    assert names(kind="certificate") == {"International Labour Standards"}
    assert names(group="category:competency", state="revoked") == {"Mediation"}
    assert names(q="labour") == {"International Labour Standards"}
    assert names(q="nothing-like-this") == set()
    assert "No credential matches these filters." in learner_client.get("/wallet/", {"q": "zzz"}).content.decode()
    assert learner_client.get("/wallet/", {"kind": "bogus", "state": "bogus"}).status_code == 200


def test_stacking_progress(learner_client, issuer, competency):
    issue(make_achievement(issuer, competency, slug="c1", name="Competency One", level=2))
    issue(make_achievement(issuer, competency, slug="c2", name="Competency Two", level=3))
    issue(make_achievement(issuer, competency, slug="c3", name="Competency Low", level=1))  # below min level 2
    body = learner_client.get("/wallet/").content.decode()
    assert "Progress toward stacked credentials" in body
    assert "Three Competency badges earn a Certificate of Achievement" in body
    assert "2 of 3" in body and '<progress max="3" value="2"' in body
    assert "Competency One" in body.split("Counting:")[1].split("</p>")[0]
    assert "Competency Low" not in body.split("Counting:")[1].split("</p>")[0]


def test_detail_shows_what_verification_shows_and_private_actions(learner_client, award):
    body = learner_client.get(f"/wallet/c/{award.public_id}/").content.decode()
    for text in (
        "Verified",
        "Negotiation Skills",
        "Test Centre",
        "Lead a simulated negotiation",
        "Led the final",
        "Checks performed",
        "Signature",
        "Accept this credential",
        "Make public",
        "Add evidence",
        "Ask for an endorsement",
        "Add to my LinkedIn profile",
        "Add to a wallet app",
        "Downloads",
    ):
        assert text in body, text
    assert f"/c/{award.public_id}/certificate.pdf" not in body  # a badge (publishing mode): no certificate
    for url in (
        f"/c/{award.public_id}/badge-ob3.png",
        f"/c/{award.public_id}/badge-ob2.png",
        f"/c/{award.public_id}/credential.json",
        f"/ob2/assertions/{award.public_id}.json",
    ):
        assert url in body, url
    assert "<svg" in body and 'class="qr"' in body  # inline QR, no external image


def test_download_links_work(learner_client, award):
    for path, kind in (
        (f"/c/{award.public_id}/badge-ob3.png?download=1", "image/png"),
        (f"/c/{award.public_id}/badge-ob2.png?download=1", "image/png"),
        (f"/c/{award.public_id}/credential.json?download=1", "application/vc+ld+json"),
        (f"/ob2/assertions/{award.public_id}.json", "application/ld+json"),
    ):
        response = learner_client.get(path)
        assert response.status_code == 200 and response["Content-Type"].startswith(kind), path


def test_another_learner_cannot_open_the_detail(other_client, award):
    response = other_client.get(f"/wallet/c/{award.public_id}/")
    assert response.status_code == 403 and "not in your wallet" in response.content.decode()
    assert other_client.get("/wallet/c/unknown/").status_code == 404


def test_wallet_of_300_credentials_in_at_most_12_queries(
    learner_client, issuer, competency, tier_achievement, django_assert_max_num_queries
):
    achievements = [
        make_achievement(issuer, competency, slug=f"badge-{n}", name=f"Badge {n}", level=2) for n in range(10)
    ] + [tier_achievement]
    for n in range(300):
        issue(achievements[n % len(achievements)])
    learner_client.get("/wallet/")
    with django_assert_max_num_queries(12):
        response = learner_client.get("/wallet/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="wcard') == 48  # one page: the cost does not grow with the wallet
    assert "Showing 300 credentials." in body and "Page 1 of 7" in body


def _card_ids(body: str) -> list[str]:
    return re.findall(r'<h3 id="card-([^"]+)">', body)


def test_wallet_of_120_credentials_in_pages_with_a_query_budget_that_does_not_grow(
    learner_client, issuer, competency, django_assert_max_num_queries
):
    from wallets.selectors.wallet_page import PAGE_SIZE

    achievements = [make_achievement(issuer, competency, slug=f"badge-{n}", name=f"Badge {n}") for n in range(4)]
    awards = [issue(achievements[n % 4]) for n in range(10)]
    learner_client.get("/wallet/")
    with django_assert_max_num_queries(12) as few:
        learner_client.get("/wallet/")
    awards += [issue(achievements[n % 4]) for n in range(110)]
    with django_assert_max_num_queries(len(few.captured_queries)):  # 12 times the credentials, same queries
        first = learner_client.get("/wallet/").content.decode()
    assert len(_card_ids(first)) == PAGE_SIZE and "Page 1 of 3" in first
    assert 'href="?page=2" rel="next"' in first and 'aria-label="Wallet pages"' in first
    assert _card_ids(first)[0] == awards[-1].public_id  # newest first
    second = learner_client.get("/wallet/", {"page": "2"}).content.decode()
    third = learner_client.get("/wallet/", {"page": "3"}).content.decode()
    assert "Page 2 of 3" in second and 'href="?page=1" rel="prev"' in second and 'href="?page=3" rel="next"' in second
    assert len(_card_ids(third)) == 120 - 2 * PAGE_SIZE and 'rel="next"' not in third
    every = _card_ids(first) + _card_ids(second) + _card_ids(third)
    assert sorted(every) == sorted(a.public_id for a in awards)  # each once, none lost between pages
    for bad, shown in (("99", "Page 3 of 3"), ("abc", "Page 1 of 3"), ("-1", "Page 3 of 3"), ("0", "Page 3 of 3")):
        response = learner_client.get("/wallet/", {"page": bad})
        assert response.status_code == 200 and shown in response.content.decode(), bad


def test_wallet_pages_keep_the_filters(learner_client, issuer, competency):
    from wallets.selectors.wallet_page import PAGE_SIZE

    wanted = make_achievement(issuer, competency, slug="mediation", name="Mediation")
    other = make_achievement(issuer, competency, slug="drafting", name="Legal Drafting")
    for _ in range(PAGE_SIZE + 2):
        issue(wanted)
        issue(other)
    body = learner_client.get("/wallet/", {"q": "mediation"}).content.decode()
    assert "Page 1 of 2" in body and 'href="?q=mediation&amp;page=2" rel="next"' in body
    second = learner_client.get("/wallet/", {"q": "mediation", "page": "2"}).content.decode()
    assert len(_card_ids(second)) == 2 and ">Legal Drafting</a></h3>" not in second and "Page 2 of 2" in second


def test_wallet_app_section_waits_while_the_exchange_is_not_routed(learner_client, award, monkeypatch):
    from wallets.selectors import wallet_page

    monkeypatch.setattr(wallet_page, "EXCHANGE_URL_NAME", "not-routed:exchange")
    body = learner_client.get(f"/wallet/c/{award.public_id}/").content.decode()
    assert 'id="wallet-app"' in body and "coming soon" in body and "lcw.app" not in body


def test_wallet_app_section_offers_qr_and_deep_link(learner_client, award):
    import html
    import json
    from urllib.parse import unquote

    body = learner_client.get(f"/wallet/c/{award.public_id}/").content.decode()
    assert "Open in the Learner Credential Wallet" in body and "laurel-wallet-qr" in body
    link = html.unescape(body.split('href="https://lcw.app/request?request=', 1)[1].split('"', 1)[0])
    request = json.loads(unquote(link))
    assert request["credentialRequestOrigin"] == "http://testserver"
    assert request["protocols"]["vcapi"].startswith("http://testserver/exchange/")


def test_revoked_credential_is_not_offered_to_a_wallet_app(learner_client, award):
    award_revoke(award=award, reason="Mistake")
    body = learner_client.get(f"/wallet/c/{award.public_id}/").content.decode()
    assert "cannot be added to a wallet app" in body and "lcw.app" not in body


def test_account_pages_render_in_the_site_layout(learner_client, client):
    for path in ("/accounts/logout/", "/accounts/password/change/", "/accounts/email/"):
        response = learner_client.get(path)
        assert response.status_code == 200 and 'id="main"' in response.content.decode(), path
    for path in ("/accounts/password/reset/", "/accounts/signup/", "/accounts/login/"):
        body = client.get(path).content.decode()
        assert 'id="main"' in body and "<label" in body, path


def test_the_holder_page_and_the_verification_page_share_the_facts_block(learner_client, award):
    holder = learner_client.get(f"/wallet/c/{award.public_id}/").content.decode()
    public = learner_client.get(award.get_absolute_url(), HTTP_ACCEPT="text/html").content.decode()
    for page in (holder, public):
        assert 'id="credential-title"' in page and "Awarded to <strong>Amina Okonkwo</strong>" in page
        assert 'class="badge-image"' in page and ">Issuer</dt>" in page
    assert "Your answer" in holder and "(amina.okonkwo@example.org)" in holder
    assert "Your answer" not in public and "amina.okonkwo@example.org" not in public


def test_wallet_cards_name_achievements_in_the_holder_s_language(learner_client, award):
    """Issue 15.2: a translated name where there is one; the original name still finds the card."""
    achievement = award.achievement
    achievement.translations = {"fr": {"name": "Techniques de négociation"}}
    achievement.save(update_fields=["translations"])
    french = learner_client.get("/wallet/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Techniques de négociation" in french
    english = learner_client.get("/wallet/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Techniques de négociation" not in english and achievement.name in english
    found = learner_client.get("/wallet/", {"q": achievement.name.split()[0]}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Techniques de négociation" in found.content.decode()
