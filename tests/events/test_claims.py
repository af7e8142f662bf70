"""Issuing from events: claim code or QR code → name and email → emailed confirmation link → award."""

import re
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from audit.models import AuditEntry
from credentials.models import Award
from credentials.openbadges import verify_credential
from events import services
from events.links import confirm_url
from events.models import CODE_ALPHABET, EventClaim, new_claim_code, normalise_code
from events.tokens import confirm_tokens
from outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db

AMINA = {"name": "Amina Okonkwo", "email": " Amina.Okonkwo@Example.org ", "language": "en", "website": ""}


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """POST the event page's form and run what happens on commit (the email is sent in-process)."""

    def _ask(event, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/events/{event.code}/", {**AMINA, **overrides})

    return _ask


def _confirm_path(text: str, settings) -> str:
    match = re.search(re.escape(settings.BASE_URL) + r"(/events/[A-Z0-9]+/confirm/\d+/[0-9a-z]+-[0-9a-f]+/)", text)
    assert match, text
    return match.group(1)


def _html(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


# --- Codes ------------------------------------------------------------------------------------------


def test_codes_are_short_and_unambiguous():
    codes = {new_claim_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 8 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("01OIL") & set(CODE_ALPHABET)
    assert normalise_code(" abcd-ef gh ") == "ABCDEFGH"


def test_code_entry_is_case_insensitive_and_ignores_spaces_and_dashes(client, event):
    typed = f" {event.code[:4].lower()}-{event.code[4:6].lower()} {event.code[6:]} "
    response = client.get("/events/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/events/{event.code}/"
    response = client.get(f"/events/{event.code.lower()[:4]}-{event.code.lower()[4:]}/")
    assert response.status_code == 302 and response["Location"] == f"/events/{event.code}/"
    assert client.get(f"/events/{event.code}/").status_code == 200


def test_entry_page_and_unknown_code(client, event):
    page = client.get("/events/")
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    response = client.get("/events/", {"code": "zzzz-zzzz"})
    body = response.content.decode()
    assert response.status_code == 404
    assert "No event has the code" in body and 'value="zzzz-zzzz"' in body  # the typed code is kept
    assert 'aria-describedby="id_code_errors id_code_helptext"' in body
    response = client.get("/events/ZZZZZZZZ/")
    assert response.status_code == 404 and "No event has the code" in response.content.decode()
    assert client.get("/events/ZZZZZZZZ/poster/").status_code == 404


# --- The happy path ---------------------------------------------------------------------------------


def test_attendee_claims_confirms_and_lands_on_the_wallet_claim_page(
    client, event, ask, settings, django_capture_on_commit_callbacks
):
    page = client.get(f"/events/{event.code}/")
    body = page.content.decode()
    assert event.name in body and event.achievement.name in body
    assert f"/achievements/{event.achievement.slug}/image.png" in body
    assert event.display_code in body

    response = ask(event, language="fr")
    assert response.status_code == 200
    assert "Check your email" in response.content.decode() and "amina.okonkwo@example.org" in response.content.decode()
    claim = EventClaim.objects.get(event=event)
    assert (claim.email, claim.name, claim.language, claim.state) == (
        "amina.okonkwo@example.org",
        "Amina Okonkwo",
        "fr",
        "pending",
    )
    [message] = django_mail.outbox
    assert message.to == ["amina.okonkwo@example.org"]
    assert message.subject.startswith("Confirmez votre adresse")  # the recipient's language
    assert "Bonjour Amina Okonkwo," in message.body and message.extra_headers["Content-Language"] == "fr"
    link = _confirm_path(message.body, settings)
    assert link in _html(message)
    assert not Award.objects.exists()  # nothing is issued before the link is opened

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith(settings.BASE_URL + "/wallet/claim/")
    [_confirmation, claim_email] = django_mail.outbox  # the credential's own claim email follows, in French too
    assert claim_email.to == ["amina.okonkwo@example.org"] and claim_email.extra_headers["Content-Language"] == "fr"
    claim.refresh_from_db()
    assert claim.state == "confirmed" and claim.confirmed_at is not None
    award = claim.award
    assert award.recipient_email == "amina.okonkwo@example.org" and award.recipient_name == "Amina Okonkwo"
    assert award.recipient_language == "fr" and award.achievement == event.achievement
    assert award.idempotency_key == f"event:{event.pk}:amina.okonkwo@example.org"
    assert verify_credential(award.credential).ok
    claim_page = client.get(response["Location"].removeprefix(settings.BASE_URL))
    assert claim_page.status_code == 200 and "Accept" in claim_page.content.decode()

    again = client.get(link)
    assert again.status_code == 400
    assert "Already claimed" in again.content.decode() and "/wallet/" in again.content.decode()
    assert Award.objects.count() == 1

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"event.create", "event.claim_request", "event.claim_confirm", "award.issue"} <= actions


def test_an_address_that_already_claimed_is_told_so(event, ask, client, settings):
    ask(event)
    client.get(_confirm_path(django_mail.outbox[0].body, settings))
    response = ask(event, name="Amina O.")
    body = response.content.decode()
    assert response.status_code == 400
    assert "already claimed" in body and 'href="/wallet/"' in body
    assert 'value="Amina O."' in body  # nothing typed is lost
    assert Award.objects.count() == 1 and len(django_mail.outbox) == 1  # no new confirmation email


def test_confirming_is_idempotent(event, ask):
    ask(event)
    claim = EventClaim.objects.get()
    token = confirm_tokens.make_token(claim)
    first = services.event_claim_confirm(claim=claim, token=token)
    assert first.state == "confirmed"
    # An award issued under the same idempotency key (a retried confirmation) is reused, never issued twice.
    key = services.award_idempotency_key(event=event, email=claim.email)
    assert Award.objects.filter(idempotency_key=key).count() == 1
    long_email = "a" * 64 + "@" + "b" * 60 + ".example.org"
    assert len(services.award_idempotency_key(event=event, email=long_email)) <= 100


# --- Bad links --------------------------------------------------------------------------------------


@pytest.fixture
def pending(event, ask):
    ask(event)
    return EventClaim.objects.get()


def test_forged_and_malformed_tokens(client, pending):
    base = f"/events/{pending.event.code}/confirm/{pending.pk}/"
    for token in ("abc-0123456789abcdef", "nonsense"):
        response = client.get(base + token + "/")
        assert response.status_code == 400 and "not valid" in response.content.decode()
    good = confirm_tokens.make_token(pending)
    assert client.get(f"/events/{pending.event.code}/confirm/{pending.pk + 1}/{good}/").status_code == 400
    assert client.get(f"/events/ZZZZZZZZ/confirm/{pending.pk}/{good}/").status_code == 400
    pending.refresh_from_db()
    assert pending.state == "pending" and not Award.objects.exists()


def test_expired_token(client, pending, settings, monkeypatch):
    real_now = confirm_tokens._now_seconds()
    monkeypatch.setattr(confirm_tokens, "_now_seconds", lambda: real_now - 8 * 24 * 3600)  # made 8 days ago
    link = confirm_url(pending).removeprefix(settings.BASE_URL)
    monkeypatch.undo()
    response = client.get(link)
    assert response.status_code == 400 and "expired" in response.content.decode()

    fresh = confirm_url(pending).removeprefix(settings.BASE_URL)
    settings.EVENT_CONFIRM_DAYS = -1
    assert "expired" in client.get(fresh).content.decode()
    settings.EVENT_CONFIRM_DAYS = 7
    # A timestamp tampered with (made younger) no longer matches the signature.
    ts, digest = fresh.rstrip("/").rsplit("/", 1)[1].split("-")
    tampered = fresh.replace(f"{ts}-{digest}", f"{int(ts, 36) + 1:x}-{digest}")
    assert "not valid" in client.get(tampered).content.decode()
    assert not Award.objects.exists()


def test_confirm_refused_when_the_event_is_deactivated_or_full(client, pending, settings, make_event):
    link = confirm_url(pending).removeprefix(settings.BASE_URL)
    services.event_update(event=pending.event, is_active=False)
    response = client.get(link)
    assert response.status_code == 400 and "not taking claims" in response.content.decode()
    services.event_update(event=pending.event, is_active=True, max_claims=1)
    other = services.event_claim_request(event=pending.event, email="b@example.org", name="B", language="en")
    services.event_claim_confirm(claim=other, token=confirm_tokens.make_token(other))
    response = client.get(link)
    assert response.status_code == 400 and "maximum number of claims" in response.content.decode()
    assert Award.objects.count() == 1


def test_a_request_made_in_time_can_be_confirmed_after_the_window_closed(client, pending, settings):
    link = confirm_url(pending).removeprefix(settings.BASE_URL)
    services.event_update(
        event=pending.event,
        closes_at=timezone.now() - timedelta(minutes=1),
        opens_at=timezone.now() - timedelta(days=1),
    )
    assert client.get(link).status_code == 302


# --- Bad requests -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"is_active": False}, "not taking claims"),
        (
            {"opens_at": timezone.now() + timedelta(days=1), "closes_at": timezone.now() + timedelta(days=2)},
            "not open yet",
        ),
        ({"opens_at": timezone.now() - timedelta(days=2), "closes_at": timezone.now() - timedelta(days=1)}, "closed"),
    ],
    ids=["inactive", "not-yet-open", "closed"],
)
def test_events_not_taking_claims(client, make_event, ask, fields, message):
    event = make_event(**fields)
    page = client.get(f"/events/{event.code}/")
    assert page.status_code == 200 and message in page.content.decode()
    assert 'name="email"' not in page.content.decode()  # no form to fill in for nothing
    response = ask(event)
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    assert 'value="Amina Okonkwo"' in body  # the form comes back with what was typed
    assert not EventClaim.objects.exists() and not django_mail.outbox


def test_full_event(client, make_event, ask, settings):
    event = make_event(max_claims=1)
    ask(event, email="first@example.org")
    client.get(_confirm_path(django_mail.outbox[0].body, settings))
    page = client.get(f"/events/{event.code}/")
    assert "maximum number of claims" in page.content.decode()
    response = ask(event)
    assert response.status_code == 400 and "maximum number of claims" in response.content.decode()
    assert EventClaim.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "Enter your email address."),
        ({"name": "   "}, "name", "Enter your name as it should appear on the credential."),
        ({"language": "xx"}, "language", "Select a valid choice."),
    ],
    ids=["invalid-email", "no-email", "no-name", "language"],
)
def test_field_errors_are_linked_to_their_fields(event, ask, overrides, field, message):
    response = ask(event, **overrides)
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    assert f'id="id_{field}_errors"' in body and f"id_{field}_errors" in re.search(
        rf'<(?:input|select)[^>]*id="id_{field}"[^>]*>', body
    ).group(0)
    assert 'aria-invalid="true"' in body
    assert not EventClaim.objects.exists() and not django_mail.outbox


def test_service_checks_the_attendee_too(event):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.event_claim_request(event=event, email="nope", name="", language="de")
    assert set(exc.value.error_dict) == {"email", "name", "language"}


def test_honeypot_refuses_automated_posts(event, ask):
    response = ask(event, website="https://spam.example.com")
    body = response.content.decode()
    assert response.status_code == 400 and "looks automated" in body
    assert not EventClaim.objects.exists() and not django_mail.outbox and not OutboxEmail.objects.exists()


def test_resends_are_limited(event, ask):
    ask(event)
    assert len(django_mail.outbox) == 1
    response = ask(event, name="Amina N. Okonkwo")  # again at once: nothing new is sent, the name is kept
    assert response.status_code == 200 and len(django_mail.outbox) == 1
    claim = EventClaim.objects.get()
    assert claim.name == "Amina N. Okonkwo" and claim.emails_sent == 1
    for expected in (2, 3):
        EventClaim.objects.update(last_sent_at=timezone.now() - timedelta(minutes=11))
        assert ask(event).status_code == 200
        assert len(django_mail.outbox) == expected
    EventClaim.objects.update(last_sent_at=timezone.now() - timedelta(minutes=11))
    response = ask(event)
    assert response.status_code == 400 and "already sent 3 confirmation emails" in response.content.decode()
    assert len(django_mail.outbox) == 3
    # Every email's link works until the claim is confirmed.
    keys = set(OutboxEmail.objects.values_list("dedupe_key", flat=True))
    assert keys == {f"event_confirm:{claim.pk}:{n}" for n in (1, 2, 3)}


def test_event_page_query_budget(client, event, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(f"/events/{event.code}/")
    assert response.status_code == 200
