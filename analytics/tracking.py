"""Claim-email opens (a 1×1 image with a signed award id) and claim-link clicks (a middleware that notes a
claim page answered 200 to a GET). Both only buffer (`buffer.py`); neither queries the database."""

import base64

from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from . import buffer
from .models import Kind

SALT = "analytics.email-open"
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
CLAIM_VIEWS = frozenset({"wallets:claim", "credentials:claim"})


def open_token(award_id: int) -> str:
    return signing.Signer(salt=SALT).sign(str(award_id))


def open_pixel_url(award_id: int) -> str:
    return settings.BASE_URL + reverse("tracking:email_open", kwargs={"token": open_token(award_id)})


@never_cache
def email_open(request, token: str):
    """The same image whatever the token: a forged one is just not counted."""
    try:
        award_id = int(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        award_id = None
    if award_id is not None:
        buffer.record_request(Kind.EMAIL_OPEN, award_id, request)
    return HttpResponse(PIXEL, content_type="image/gif")


class ClaimLinkMiddleware:
    """A claim page that answered a GET with 200 (valid link, not yet used) is a followed claim-email link."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if request.method == "GET" and response.status_code == 200 and match and match.view_name in CLAIM_VIEWS:
            public_id = match.kwargs.get("public_id")
            if public_id:
                buffer.record_request(Kind.LINK_CLICK, f"p:{public_id}", request)
        return response
