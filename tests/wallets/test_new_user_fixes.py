"""Issue 15.3, as a new user: confirming the sign-up address signs you in, also in another browser (once, first
sign-in only); accepting a credential without a wallet links to sign in or create one; the profile form shows
the profile's address."""

import re
import time
from urllib.parse import unquote

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from .conftest import PASSWORD, make_learner

pytestmark = pytest.mark.django_db


def _sign_up(email="amina.okonkwo@example.org") -> str:
    """Sign up in a browser of its own; the confirmation link's path."""
    mail.outbox.clear()
    response = Client().post("/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    return re.search(r"(/accounts/confirm-email/[^/\s]+/)", mail.outbox[-1].body).group(1)


def _signed_in(client) -> bool:
    return client.get("/wallet/").status_code == 200


def test_confirming_in_another_browser_signs_the_new_learner_in(client, award):
    path = _sign_up()
    assert client.get(path).status_code == 200  # the confirmation page (a button: no sign-in on GET)
    assert not _signed_in(client)
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/wallet/"
    assert EmailAddress.objects.get(email="amina.okonkwo@example.org").verified
    wallet = client.get("/wallet/")
    assert wallet.status_code == 200 and "Negotiation Skills" in wallet.content.decode()


def test_a_confirmation_link_signs_in_only_once(client, db):
    path = _sign_up()
    assert client.post(path).status_code == 302
    other = Client()
    assert other.post(path).status_code == 404  # used: allauth's page for an invalid link
    assert not _signed_in(other)


def test_a_second_address_confirmed_elsewhere_does_not_sign_in(client, db):
    user = make_learner("amina.okonkwo@example.org")
    user.last_login = user.date_joined
    user.save()
    laptop = Client()
    laptop.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    laptop.post("/accounts/email/", {"action_add": "", "email": "amina@ngo.example.org"})
    path = re.search(r"(/accounts/confirm-email/[^/\s]+/)", mail.outbox[-1].body).group(1)
    phone = Client()
    assert phone.post(path).status_code == 302
    assert EmailAddress.objects.get(email="amina@ngo.example.org").verified  # confirmed…
    assert not _signed_in(phone)  # …but the phone is not signed in: only a first sign-in is


def test_a_staff_account_is_never_signed_in_by_a_confirmation_link(client, db):
    path = _sign_up("staffer@example.org")
    get_user_model().objects.filter(email="staffer@example.org").update(is_staff=True)
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(email="staffer@example.org").verified
    assert not _signed_in(client)


def test_an_old_confirmation_link_confirms_without_signing_in(client, db, monkeypatch, settings):
    settings.LOGIN_ON_EMAIL_CONFIRMATION_HOURS = 24
    path = _sign_up()
    later = time.time() + 25 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(email="amina.okonkwo@example.org").verified  # allauth's 3 days still hold
    assert not _signed_in(client)


def test_signing_in_elsewhere_can_be_turned_off(client, db, settings):
    settings.LOGIN_ON_EMAIL_CONFIRMATION_HOURS = 0
    path = _sign_up()
    assert client.post(path).status_code == 302
    assert not _signed_in(client)


def test_the_same_browser_still_signs_in_as_allauth_does(db, award):
    browser = Client()
    mail.outbox.clear()
    browser.post(
        "/accounts/signup/", {"email": "amina.okonkwo@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    path = re.search(r"(/accounts/confirm-email/[^/\s]+/)", mail.outbox[-1].body).group(1)
    assert browser.post(path).status_code == 302
    assert _signed_in(browser)


def _claim_path(award) -> str:
    from credentials.links import claim_url

    return "/" + claim_url(award).split("/", 3)[3]


def test_accepting_without_a_wallet_links_to_creating_one_or_signing_in(client, award):
    response = client.post(_claim_path(award), {"answer": "accept"}, follow=True)
    html = response.content.decode()
    award.refresh_from_db()
    assert award.state == "accepted"
    links = dict((unquote(text), unquote(href)) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', html))
    signup = links["create your wallet"].replace("&amp;", "&")
    assert signup.startswith("/accounts/signup/?") and "email=amina.okonkwo@example.org" in signup
    assert f"next=/wallet/c/{award.public_id}/" in signup
    assert links["sign in"].replace("&amp;", "&") == f"/accounts/login/?next=/wallet/c/{award.public_id}/"
    # the sign-up page has the address filled in
    assert 'value="amina.okonkwo@example.org"' in client.get(signup).content.decode()


def test_accepting_without_signing_in_when_a_wallet_exists_links_to_sign_in(client, award):
    make_learner("amina.okonkwo@example.org")
    html = client.post(_claim_path(award), {"answer": "accept"}, follow=True).content.decode()
    assert "Sign in to see it in your wallet" in html
    assert f"/accounts/login/?next=%2Fwallet%2Fc%2F{award.public_id}%2F" in html
    assert "create your wallet" not in html


def test_profile_form_help_shows_the_profiles_address(learner_client):
    html = learner_client.get("/wallet/profile/").content.decode()
    help_text = html[html.index('id="id_handle_helptext"') :].split("</div>", 1)[0]
    assert re.search(r"<code>http://testserver/u/[a-z0-9-]+/</code>", help_text), help_text
    assert "/u/ /" not in html and "<address>" not in html
