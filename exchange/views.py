"""The VC-API exchange endpoint a wallet talks to (see ``exchange.services``). Thin: parse, call, answer."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from .services import ExchangeError, exchange_step


@csrf_exempt  # a JSON API called by wallet apps, authenticated by the signed URL and DID authentication
@never_cache
def exchange(request, token: str):
    """``POST /exchange/<token>/``: ``{}`` → a DID-authentication request; a presentation → the credential."""
    if request.method != "POST":
        response = JsonResponse(
            {"error": "method_not_allowed", "message": _("POST JSON to this exchange.")}, status=405
        )
        response["Allow"] = "POST"
        return response
    try:
        answer = exchange_step(token, request.body)
    except ExchangeError as exc:
        return JsonResponse(exc.as_json(), status=exc.status)
    return JsonResponse(answer)
