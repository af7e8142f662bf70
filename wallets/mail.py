"""Emails of the wallets app, sent through Django's email backend (locmem in tests)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Endorsement
from .tokens import endorsement_tokens


def endorsement_link(endorsement: Endorsement) -> str:
    token = endorsement_tokens.make_token(endorsement)
    return settings.BASE_URL + reverse("wallets:endorse", kwargs={"public_id": endorsement.public_id, "token": token})


def endorsement_request_send(*, endorsement_id: int, language: str = "en") -> bool:
    """Send the request email with its signed link; nothing when the request was answered meanwhile."""
    endorsement = (
        Endorsement.objects.select_related("award__achievement__issuer", "requested_by")
        .filter(pk=endorsement_id, state=Endorsement.State.REQUESTED)
        .first()
    )
    if endorsement is None:
        return False
    context = {
        "endorsement": endorsement,
        "award": endorsement.award,
        "achievement": endorsement.award.achievement,
        "link": endorsement_link(endorsement),
        "days": settings.ENDORSEMENT_TOKEN_DAYS,
    }
    with translation.override(language):
        subject = render_to_string("wallets/email/endorsement_request_subject.txt", context).strip()
        text = render_to_string("wallets/email/endorsement_request_body.txt", context)
        html = render_to_string("wallets/email/endorsement_request_body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [endorsement.endorser_email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True
