"""Twenty parallel requests of each kind against a live server, as twenty people (or one impatient person with
twenty tabs) would send them: never a 5xx, exactly one result, and each of the others gets the page it would get
one after the other ("already done"). Run on SQLite (the embedded default, pass 1) and on PostgreSQL (pass 2).

Each thread is its own browser: its own `requests.Session`, which GETs the form (CSRF cookie and token) and
then POSTs it; the posts start together behind a barrier.
"""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail as django_mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from credentials.links import claim_url
from credentials.models import Award
from events.links import confirm_url
from events.models import EventClaim
from outbox.models import OutboxEmail
from wallets.models import WalletEntry

PARALLEL = 20
PASSWORD = "a-Long-and-unusual-passphrase-42"
EMAIL = "amina.okonkwo@example.org"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.integration),
    ]
)
def vendor(request, transactional_db, settings):
    """The same tests on both databases: pass 1 (SQLite) runs the first, pass 2 (PostgreSQL) the second."""
    if connection.vendor != request.param:
        pytest.skip(f"runs in the pass on {request.param}; this one is on {connection.vendor}")
    # Twenty requests from one IP address are the point here, not abuse: no per-IP limit (allauth's cooldown
    # between two confirmation emails to one address stays).
    settings.RATELIMIT_ENABLE = False
    settings.ACCOUNT_RATE_LIMITS = {**getattr(settings, "ACCOUNT_RATE_LIMITS", {}), "signup": "1000/m/ip"}
    return request.param


def _absolute(live_server, url: str) -> str:
    return live_server.url + url.removeprefix(django_settings.BASE_URL)


def _together(work, count=PARALLEL) -> list:
    """Run `work(i, barrier)` in `count` threads; each calls barrier.wait() right before its decisive request."""
    barrier = threading.Barrier(count, timeout=60)
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda i: work(i, barrier), range(count)))


def _no_server_errors(responses) -> None:
    statuses = [response.status_code for response in responses]
    assert all(status < 500 for status in statuses), statuses


def _form(session: requests.Session, url: str) -> str:
    page = session.get(url)
    assert page.status_code == 200, (page.status_code, page.text[:2000])
    return CSRF.search(page.text).group(1)


def _session_for(user) -> requests.Session:
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = requests.Session()
    session.cookies.set(django_settings.SESSION_COOKIE_NAME, client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    return session


@pytest.fixture
def event(vendor, achievement):
    from events.services import event_create

    now = timezone.now()
    return event_create(
        achievement=achievement,
        name="Future of Work Forum",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )


def test_parallel_event_claim_requests_send_one_email(live_server, event):
    url = f"{live_server.url}/events/{event.code}/"

    def work(i, barrier):
        session = requests.Session()
        token = _form(session, url)
        barrier.wait()
        data = {"csrfmiddlewaretoken": token, "name": "Amina Okonkwo", "email": EMAIL, "language": "en", "website": ""}
        return session.post(url, data=data, headers={"Referer": url})

    responses = _together(work)
    _no_server_errors(responses)
    assert [response.status_code for response in responses] == [200] * PARALLEL
    assert all("Check your email" in response.text for response in responses)
    assert EventClaim.objects.filter(event=event).count() == 1
    assert OutboxEmail.objects.filter(kind="event_confirm", to_email=EMAIL).count() == 1
    assert len([message for message in django_mail.outbox if message.to == [EMAIL]]) == 1


def test_parallel_event_confirmations_issue_one_award(live_server, event):
    from events.services import event_claim_request

    claim = event_claim_request(event=event, email=EMAIL, name="Amina Okonkwo", language="en")
    url = _absolute(live_server, confirm_url(claim))

    def work(i, barrier):
        session = requests.Session()
        barrier.wait()
        return session.get(url, allow_redirects=False)

    responses = _together(work)
    _no_server_errors(responses)
    winners = [response for response in responses if response.status_code == 302]
    assert len(winners) == 1 and "/wallet/claim/" in winners[0].headers["Location"]
    losers = [response for response in responses if response is not winners[0]]
    assert all(response.status_code == 400 and "Already claimed" in response.text for response in losers)
    claim.refresh_from_db()
    assert claim.state == "confirmed"
    assert Award.objects.filter(recipient_email=EMAIL).count() == 1
    assert OutboxEmail.objects.filter(kind="claim", to_email=EMAIL).count() == 1  # the credential's claim email


@pytest.fixture
def award(vendor, achievement):
    from credentials.services import Recipient, award_issue

    return award_issue(achievement=achievement, recipient=Recipient(email=EMAIL, name="Amina Okonkwo"))


def test_parallel_account_creation_from_one_claim_link_makes_one_account(live_server, award):
    url = _absolute(live_server, claim_url(award))

    def work(i, barrier):
        session = requests.Session()
        token = _form(session, url)
        barrier.wait()
        data = {"csrfmiddlewaretoken": token, "answer": "create", "display_name": "Amina",
                "password1": PASSWORD, "password2": PASSWORD}  # fmt: skip
        return session.post(url, data=data, headers={"Referer": url}, allow_redirects=False)

    responses = _together(work)
    _no_server_errors(responses)
    winners = [response for response in responses if response.status_code == 302]
    assert len(winners) == 1 and winners[0].headers["Location"] == f"/wallet/c/{award.public_id}/"
    losers = [response for response in responses if response is not winners[0]]
    assert all(response.status_code == 400 and "already been used" in response.text for response in losers)
    assert get_user_model().objects.filter(email=EMAIL).count() == 1
    assert EmailAddress.objects.filter(email=EMAIL).count() == 1
    award.refresh_from_db()
    assert award.state == Award.State.ACCEPTED and WalletEntry.objects.filter(award=award).count() == 1


def test_parallel_accepts_by_the_signed_in_holder_accept_once(live_server, award):
    user = get_user_model().objects.create_user(username="amina", email=EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    url = _absolute(live_server, claim_url(award))
    sessions = [_session_for(user) for _ in range(PARALLEL)]  # signed in here: worker threads never touch the DB

    def work(i, barrier):
        session = sessions[i]
        token = _form(session, url)
        barrier.wait()
        data = {"csrfmiddlewaretoken": token, "answer": "accept"}
        return session.post(url, data=data, headers={"Referer": url}, allow_redirects=False)

    responses = _together(work)
    _no_server_errors(responses)
    # The first accepts; the others find it in the wallet already: every one lands on the credential's page.
    assert [response.status_code for response in responses] == [302] * PARALLEL
    assert {response.headers["Location"] for response in responses} == {f"/wallet/c/{award.public_id}/"}
    award.refresh_from_db()
    assert award.state == Award.State.ACCEPTED
    assert WalletEntry.objects.filter(award=award, user=user).count() == 1
    assert AuditEntry.objects.filter(action="award.accept", subject_id=str(award.pk)).count() == 1


def test_parallel_sign_ups_of_one_address_make_one_account_and_one_email(live_server, vendor):
    url = f"{live_server.url}/accounts/signup/"

    def work(i, barrier):
        session = requests.Session()
        token = _form(session, url)
        barrier.wait()
        data = {"csrfmiddlewaretoken": token, "email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
        return session.post(url, data=data, headers={"Referer": url}, allow_redirects=False)

    responses = _together(work)
    _no_server_errors(responses)
    # Every one is told to check their email (allauth never says whether an address has an account).
    assert [response.status_code for response in responses] == [302] * PARALLEL
    assert {response.headers["Location"] for response in responses} == {"/accounts/confirm-email/"}
    assert get_user_model().objects.filter(email=EMAIL).count() == 1
    assert EmailAddress.objects.filter(email=EMAIL).count() == 1
    assert len([message for message in django_mail.outbox if message.to == [EMAIL]]) == 1
