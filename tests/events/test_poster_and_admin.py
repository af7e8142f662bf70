"""The printable poster (its QR code decodes to the event's page) and the staff console."""

import io
import re
from datetime import timedelta

import cairosvg
import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image

from audit.models import AuditEntry
from events.models import Event, EventClaim
from events.services import event_claim_confirm, event_claim_request
from events.tokens import confirm_tokens

pytestmark = pytest.mark.django_db


def _decode_inline_svg(html: str) -> list[str]:
    svg = re.search(r"<svg\b.*?</svg>", html, re.S).group(0)
    if "xmlns=" not in svg:
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    png = cairosvg.svg2png(bytestring=svg.encode(), output_width=600, output_height=600, background_color="white")
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))]


def test_poster_has_a_qr_code_of_the_event_page_and_the_code(client, event, settings):
    response = client.get(f"/events/{event.code}/poster/")
    body = response.content.decode()
    assert response.status_code == 200
    assert _decode_inline_svg(body) == [f"{settings.BASE_URL}/events/{event.code}/"]
    assert event.display_code in body and event.name in body
    assert "<script" not in body.split("<main", 1)[1]  # nothing but markup: prints offline
    assert 'role="img"' in body and "<title>" in body  # the QR code has an accessible name
    assert "css/events.css" in body


def test_scanning_the_poster_leads_to_the_form(client, event, settings):
    [url] = _decode_inline_svg(client.get(f"/events/{event.code}/poster/").content.decode())
    page = client.get(url.removeprefix(settings.BASE_URL))
    assert page.status_code == 200 and 'name="email"' in page.content.decode()


def test_admin_pages_render_for_staff(staff_client, event):
    claim = event_claim_request(event=event, email="amina@example.org", name="Amina", language="en")
    event_claim_confirm(claim=claim, token=confirm_tokens.make_token(claim))
    event_claim_request(event=event, email="omar@example.org", name="Omar", language="fr")
    listing = staff_client.get("/admin/events/event/")
    assert listing.status_code == 200
    assert event.display_code in listing.content.decode()
    change = staff_client.get(f"/admin/events/event/{event.pk}/change/")
    body = change.content.decode()
    assert change.status_code == 200
    assert event.display_code in body
    assert f"/events/{event.code}/poster/" in body and f'href="/events/{event.code}/"' in body
    assert "amina@example.org" in body and "omar@example.org" in body  # the claims, read-only
    claim.refresh_from_db()
    assert f"/admin/credentials/award/{claim.award_id}/change/" in body
    assert staff_client.get("/admin/events/event/add/").status_code == 200


def _form(event_fields: dict) -> dict:
    data = {
        "claims-TOTAL_FORMS": "0",
        "claims-INITIAL_FORMS": "0",
        "claims-MIN_NUM_FORMS": "0",
        "claims-MAX_NUM_FORMS": "1000",
    }
    for field in ("opens_at", "closes_at"):
        value = event_fields.pop(field)
        data[f"{field}_0"], data[f"{field}_1"] = value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")
    data.update({key: value for key, value in event_fields.items() if value is not None})
    return data


def test_staff_create_an_event_through_the_admin(staff_client, achievement):
    now = timezone.now().replace(microsecond=0)
    data = _form(
        {
            "achievement": achievement.pk,
            "name": "Social Dialogue Workshop",
            "description": "One day, Turin.",
            "opens_at": now - timedelta(hours=1),
            "closes_at": now + timedelta(days=1),
            "is_active": "on",
            "max_claims": "40",
        }
    )
    response = staff_client.post("/admin/events/event/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert event.name == "Social Dialogue Workshop" and event.max_claims == 40
    assert event.created_by == staff_client.user and len(event.code) == 8
    entry = AuditEntry.objects.get(action="event.create")
    assert entry.subject_id == str(event.pk) and entry.actor == staff_client.user

    data = _form(
        {
            "achievement": achievement.pk,
            "name": "Social Dialogue Workshop",
            "description": "One day, Turin.",
            "opens_at": now - timedelta(hours=1),
            "closes_at": now + timedelta(days=1),
            "is_active": None,  # unticked
            "max_claims": "40",
        }
    )
    response = staff_client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert not event.is_active
    update = AuditEntry.objects.get(action="event.update")
    assert update.data["fields"] == ["is_active"] and update.actor == staff_client.user


def test_admin_refuses_an_empty_window(staff_client, achievement):
    now = timezone.now().replace(microsecond=0)
    data = _form(
        {"achievement": achievement.pk, "name": "Backwards", "opens_at": now, "closes_at": now, "is_active": "on"}
    )
    response = staff_client.post("/admin/events/event/add/", data)
    assert response.status_code == 200 and "Claims must close after they open." in response.content.decode()
    assert not Event.objects.exists() and not EventClaim.objects.exists()


def test_load_demo_creates_one_open_event_and_prints_its_url(capsys, settings):
    from django.core.management import call_command

    call_command("load_demo")
    call_command("load_demo")  # idempotent
    event = Event.objects.get()
    assert event.achievement.slug == "future-of-work-forum" and event.status() == "open"
    assert event.closes_at - event.opens_at >= timedelta(days=365)
    assert f"Demo event:     {settings.BASE_URL}/events/{event.code}/" in capsys.readouterr().out


# --- translated names and descriptions (issue 15.2) ------------------------------------------------------


def test_the_event_page_poster_and_email_follow_the_language(client, event, achievement):
    from django.core.exceptions import ValidationError

    from events.services import event_update
    from outbox.models import OutboxEmail

    event_update(
        event=event, translations={"fr": {"name": "Atelier de dialogue social", "description": "Une journée."}}
    )
    achievement.translations = {"fr": {"name": "Techniques de négociation"}}
    achievement.save()
    french = client.get(f"/events/{event.code}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Atelier de dialogue social" in french and "Une journée." in french
    assert "Techniques de négociation" in french
    english = client.get(f"/events/{event.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Atelier" not in english and event.name in english
    poster = client.get(f"/events/{event.code}/poster/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Atelier de dialogue social" in poster

    event_claim_request(event=event, email="lea@example.org", name="Léa", language="fr")
    event_claim_request(event=event, email="omar@example.org", name="Omar", language="es")
    subjects = dict(OutboxEmail.objects.values_list("to_email", "subject"))
    assert "Atelier de dialogue social" in subjects["lea@example.org"]
    assert event.name in subjects["omar@example.org"]  # no Spanish translation: the original name

    with pytest.raises(ValidationError):
        event_update(event=event, translations={"fr": {"code": "X"}})


def test_staff_translate_an_event_in_the_admin(staff_client, event):
    page = staff_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert 'name="name__fr"' in page and 'name="description__es"' in page and 'name="name__en"' not in page
    data = _form({"achievement": event.achievement_id, "name": event.name, "description": event.description,
                  "opens_at": event.opens_at, "closes_at": event.closes_at, "is_active": "on",
                  "name__fr": "Atelier", "name__es": "Taller"})  # fmt: skip
    response = staff_client.post(f"/admin/events/event/{event.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.translations == {"fr": {"name": "Atelier"}, "es": {"name": "Taller"}}
