"""Absolute URLs of events (under BASE_URL) and the poster's QR code."""

import segno
from django.conf import settings
from django.urls import reverse

from .models import Event, EventClaim
from .tokens import confirm_tokens


def event_url(event: Event) -> str:
    return settings.BASE_URL + reverse("events:event", kwargs={"code": event.code})


def confirm_url(claim: EventClaim) -> str:
    """The signed, expiring, single-use link of the confirmation email."""
    kwargs = {"code": claim.event.code, "claim_id": claim.pk, "token": confirm_tokens.make_token(claim)}
    return settings.BASE_URL + reverse("events:confirm", kwargs=kwargs)


def qr_svg(url: str, *, title: str) -> str:
    """An inline SVG QR code (no external file), sized by CSS through its viewBox, with an accessible title."""
    svg = segno.make_qr(url, error="m").svg_inline(
        scale=4, border=4, title=title, svgclass="qr", lineclass=None, omitsize=True
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)
