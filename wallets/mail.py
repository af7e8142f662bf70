"""Emails of the wallets app, queued through the one outbox entry point (outbox.services.mail)."""

from django.conf import settings
from django.urls import reverse

from outbox.services import mail

from .models import Endorsement
from .tokens import endorsement_tokens


def endorsement_link(endorsement: Endorsement) -> str:
    token = endorsement_tokens.make_token(endorsement)
    return settings.BASE_URL + reverse("wallets:endorse", kwargs={"public_id": endorsement.public_id, "token": token})


def endorsement_request_queue(*, endorsement: Endorsement, language: str):
    """Queue the request email with its signed link, in the learner's language; once per request."""
    context = {
        "endorsement": endorsement,
        "award": endorsement.award,
        "achievement": endorsement.award.achievement,
        "link": endorsement_link(endorsement),
        "days": settings.ENDORSEMENT_TOKEN_DAYS,
    }
    return mail(
        to=endorsement.endorser_email,
        template="wallets/email/endorsement_request",
        context=context,
        language=language,
        kind="endorsement_request",
        dedupe_key=f"endorsement:{endorsement.pk}",
    )
