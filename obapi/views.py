"""Views of the Open Badges 3.0 API: thin over obapi.selectors and obapi.services. Errors of the resource
endpoints are Imsx_StatusInfo JSON; registration errors are RFC 7591's."""

import json
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from oauth2_provider import views as oauth_views
from oauth2_provider.oauth2_backends import get_oauthlib_core

from . import selectors, services
from .scopes import CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE, SCOPES

STATUS_MINOR = {
    400: "invalid_data",
    401: "unauthorizedrequest",
    403: "forbidden",
    404: "not_found",
    405: "not_allowed",
    415: "invalid_data",
}


def imsx_error(status: int, description: str, *, minor: str = "", headers: dict | None = None) -> JsonResponse:
    """The standard's Imsx_StatusInfo error body."""
    response = JsonResponse(
        {
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": str(description),
            "imsx_codeMinor": {
                "imsx_codeMinorField": [
                    {
                        "imsx_codeMinorFieldName": "TargetEndSystem",
                        "imsx_codeMinorFieldValue": minor or STATUS_MINOR.get(status, "unknown"),
                    }
                ]
            },
        },
        status=status,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _messages(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _authorised(request, scope: str):
    """(user, None) when the request carries a valid bearer token with `scope`, else (None, error)."""
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    if not valid or not getattr(oauth_request, "user", None) or not oauth_request.user.is_active:
        return None, imsx_error(
            401,
            _("Send a valid access token: Authorization: Bearer <token>."),
            headers={"WWW-Authenticate": 'Bearer realm="ob", error="invalid_token"'},
        )
    if not oauth_request.access_token.allow_scopes([scope]):
        return None, imsx_error(
            403,
            _("This access token does not have the scope %(scope)s.") % {"scope": scope},
            headers={"WWW-Authenticate": f'Bearer realm="ob", error="insufficient_scope", scope="{scope}"'},
        )
    return oauth_request.user, None


@require_GET
def discovery(request):
    return JsonResponse(selectors.service_description(settings.BASE_URL))


@csrf_exempt
@require_POST
def register(request):
    """RFC 7591 dynamic client registration (open: the learner's consent is what grants access)."""
    try:
        metadata = json.loads(request.body or b"null")
        registration, secret = services.client_register(metadata=metadata)
    except (UnicodeDecodeError, ValueError):
        return JsonResponse(
            {"error": "invalid_client_metadata", "error_description": _("Send the client metadata as JSON.")},
            status=400,
        )
    except ValidationError as error:
        code = (
            "invalid_redirect_uri"
            if getattr(error, "code", "") == "invalid_redirect_uri"
            else "invalid_client_metadata"
        )
        return JsonResponse({"error": code, "error_description": _messages(error)}, status=400)
    application = registration.application
    body = {
        "client_id": application.client_id,
        "client_id_issued_at": int(application.created.timestamp()),
        "client_name": application.name,
        "redirect_uris": application.redirect_uris.split(),
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": metadata.get("token_endpoint_auth_method", "client_secret_basic"),
        "scope": registration.scope,
    }
    for key in ("client_uri", "logo_uri", "tos_uri", "policy_uri"):
        if getattr(registration, key):
            body[key] = getattr(registration, key)
    if secret:
        body.update(client_secret=secret, client_secret_expires_at=0)
    response = JsonResponse(body, status=201)
    response["Cache-Control"] = "no-store"
    return response


class AuthorizeView(oauth_views.AuthorizationView):
    """The consent page: the client's name and the scopes it asks for, Accept or Deny. The page may send the
    browser on to the client's redirect URI after the form, so its form-action names that origin too."""

    template_name = "obapi/authorize.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["scope_items"] = [SCOPES.get(s, s) for s in (context.get("scopes") or [])]
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        uri = str((context.get("form").initial if context.get("form") else {}).get("redirect_uri") or "")
        parts = urlsplit(uri)
        if parts.scheme in ("https", "http") and parts.netloc:
            response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
        return response


token = oauth_views.TokenView.as_view()
revoke = oauth_views.RevokeTokenView.as_view()


def _page_links(request, *, limit: int, offset: int, total: int) -> str:
    base = settings.BASE_URL + reverse("obapi:credentials")

    def link(at: int, rel: str) -> str:
        return f'<{base}?{urlencode({"limit": limit, "offset": at})}>; rel="{rel}"'

    last = max((total - 1) // limit * limit, 0)
    links = []
    if offset + limit < total:
        links.append(link(offset + limit, "next"))
    links.append(link(last, "last"))
    links.append(link(0, "first"))
    if offset > 0:
        links.append(link(max(offset - limit, 0), "prev"))
    return ", ".join(links)


def _paging(request) -> tuple[int, int]:
    try:
        limit = int(request.GET.get("limit", settings.OB_API_PAGE_SIZE))
        offset = int(request.GET.get("offset", 0))
    except ValueError as exc:
        raise ValidationError(_("limit and offset must be whole numbers.")) from exc
    if limit < 1 or offset < 0:
        raise ValidationError(_("limit must be at least 1 and offset at least 0."))
    return min(limit, settings.OB_API_MAX_PAGE_SIZE), offset


@csrf_exempt
@require_http_methods(["GET", "POST"])
def credentials(request):
    """getCredentials (GET, credential.readonly) and upsertCredential (POST, credential.upsert)."""
    if request.method == "GET":
        user, error = _authorised(request, CREDENTIAL_READ)
        if error:
            return error
        try:
            limit, offset = _paging(request)
        except ValidationError as problem:
            return imsx_error(400, _messages(problem), minor="invalid_query_parameter")
        page = selectors.credentials_page(user, limit=limit, offset=offset)
        response = JsonResponse({"credential": page.credentials})
        response["X-Total-Count"] = str(page.total)
        response["Link"] = _page_links(request, limit=limit, offset=offset, total=page.total)
        return response
    user, error = _authorised(request, CREDENTIAL_UPSERT)
    if error:
        return error
    if request.content_type not in ("application/json", "application/ld+json", "application/vc+ld+json"):
        return imsx_error(
            415, _("Send the credential as application/json with an embedded proof (compact JWS is not accepted).")
        )
    try:
        item, created = services.credential_upsert(user=user, body=request.body)
    except ValidationError as problem:
        return imsx_error(400, _messages(problem))
    return JsonResponse(item.document, status=201 if created else 200)


@csrf_exempt
@require_http_methods(["GET", "PUT"])
def profile(request):
    """getProfile (GET, profile.readonly) and putProfile (PUT, profile.update)."""
    user, error = _authorised(request, PROFILE_READ if request.method == "GET" else PROFILE_UPDATE)
    if error:
        return error
    if request.method == "PUT":
        try:
            services.profile_put(user=user, document=json.loads(request.body or b"null"))
        except (UnicodeDecodeError, ValueError):
            return imsx_error(400, _("Send the profile as JSON."))
        except ValidationError as problem:
            return imsx_error(400, _messages(problem))
    return JsonResponse(selectors.profile_document(user, settings.BASE_URL))
