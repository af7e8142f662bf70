"""Sharing: counted shares that go on to the network, and the embeddable widget."""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods

from credentials import selectors as credential_selectors
from credentials.verification import verify_award
from multilingual.text import in_language

from .. import services, sharing
from ..models import ShareEvent

# The embeddable widget, framed by any site: our stylesheet and the badge image, nothing runs, no forms.
EMBED_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *"
)


class RedirectAnyScheme(HttpResponseRedirect):
    allowed_schemes = ["http", "https", "mailto"]


@require_http_methods(["GET", "POST"])
def share(request, public_id: str, channel: str):
    """Record a share, then go to the network (GET: works without JavaScript). POST: a beacon from a copy
    button (link, signature, embed, QR) answered with 204."""
    award = credential_selectors.award_by_public_id(public_id)
    if channel not in ShareEvent.Channel.values:
        raise Http404("Unknown channel")
    if request.method == "POST":
        services.share_event_record(award=award, channel=channel, user=request.user)
        return HttpResponse(status=204)
    if channel not in sharing.REDIRECT_CHANNELS:
        raise Http404("This channel has no page to go to")
    services.share_event_record(award=award, channel=channel, user=request.user)
    return RedirectAnyScheme(sharing.channel_target(award, channel))


@xframe_options_exempt
def embed(request, public_id: str):
    """The embeddable widget: the only page that may be framed (by any site)."""
    award = credential_selectors.award_by_public_id(public_id)
    response = render(
        request,
        "wallets/embed.html",
        {
            "award": award,
            "achievement": in_language(award.achievement),
            "report": verify_award(award),
            "verify_url": sharing.verify_url(award),
        },
    )
    response["Content-Security-Policy"] = EMBED_POLICY
    return response
