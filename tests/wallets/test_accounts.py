"""Learner accounts (django-allauth): email sign-up with mandatory verification, several verified addresses,
password reset. Mail goes through Django's email backend (locmem here)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from .conftest import PASSWORD, issue

pytestmark = pytest.mark.django_db


def _confirm_path(message) -> str:
    return re.search(r"(/accounts/confirm-email/[^/\s]+/)", message.body).group(1)


def test_sign_in_page_is_labelled_and_linked_from_the_header(client, db):
    home = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in home and "Sign in" in home
    body = client.get("/accounts/login/").content.decode()
    assert '<label for="id_login">' in body and '<label for="id_password">' in body
    assert 'id="main"' in body and "Skip to content" in body  # inside the site layout


def test_sign_up_needs_email_verification_then_the_wallet_shows_credentials(client, award):
    response = client.post(
        "/accounts/signup/", {"email": "Amina.Okonkwo@Example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get()
    address = EmailAddress.objects.get(user=user)
    assert address.email == "amina.okonkwo@example.org" and not address.verified
    assert len(mail.outbox) == 1 and "/accounts/confirm-email/" in mail.outbox[0].body
    # not verified: no wallet yet
    assert client.get("/wallet/").status_code == 302
    login = client.post("/accounts/login/", {"login": "amina.okonkwo@example.org", "password": PASSWORD})
    assert login.status_code == 302 and "/accounts/confirm-email/" in login["Location"]
    assert client.get("/wallet/").status_code == 302

    path = _confirm_path(mail.outbox[-1])
    assert client.get(path).status_code == 200
    confirmed = client.post(path)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    wallet = client.get("/wallet/")
    assert wallet.status_code == 200 and "Negotiation Skills" in wallet.content.decode()


def test_a_second_address_joins_the_same_wallet_once_verified(learner_client, issuer, competency):
    from .conftest import make_achievement

    issue(make_achievement(issuer, competency, slug="mediation", name="Mediation"), email="amina@ngo.example.org")
    assert "Mediation" not in learner_client.get("/wallet/").content.decode()
    response = learner_client.post("/accounts/email/", {"action_add": "", "email": "amina@ngo.example.org"})
    assert response.status_code == 302
    assert "Mediation" not in learner_client.get("/wallet/").content.decode()  # unverified yet
    learner_client.post(_confirm_path(mail.outbox[-1]))
    assert EmailAddress.objects.get(email="amina@ngo.example.org").verified
    body = learner_client.get("/wallet/").content.decode()
    assert "Mediation" in body and "amina@ngo.example.org" in body
    page = learner_client.get("/accounts/email/").content.decode()
    assert "Credentials sent to any verified address below appear in your wallet." in page


def test_an_address_verified_by_another_account_never_reaches_a_second_wallet(learner_client, other_client, award):
    # allauth answers as if it worked (no account enumeration) and mails the address's owner instead
    other_client.post("/accounts/email/", {"action_add": "", "email": "amina.okonkwo@example.org"})
    assert not EmailAddress.objects.filter(user=other_client.user, email=award.recipient_email, verified=True).exists()
    assert "Negotiation Skills" not in other_client.get("/wallet/").content.decode()
    assert other_client.get(f"/wallet/c/{award.public_id}/").status_code == 403


def test_password_reset_by_email(client, learner):
    response = client.post("/accounts/password/reset/", {"email": "amina.okonkwo@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    link = re.search(r"(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_password_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    new = "another-Unusual-passphrase-77"
    done = client.post(set_password_url, {"password1": new, "password2": new})
    assert done.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(new)


def test_sign_out_is_a_post_form_in_the_header(learner_client):
    body = learner_client.get("/wallet/").content.decode()
    assert '<form class="nav-form" action="/accounts/logout/" method="post">' in body and "My wallet" in body
    assert learner_client.post("/accounts/logout/").status_code == 302
    assert learner_client.get("/wallet/").status_code == 302
