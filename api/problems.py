"""Errors as RFC 9457 problem details: `application/problem+json` with type, title, status and detail (and
`errors`, {field: [messages]}, for invalid input). Every error of the API answers this way: DRF's own
(authentication, permission, throttling, parsing), Django's (PermissionDenied, Http404) and the services'
ValidationError."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "urn:laurel:problem:"  # RFC 9457 "type": one stable identifier per kind (docs/integrations.md)

TITLES = {
    400: ("invalid-request", _lazy("The request is not valid")),
    401: ("unauthenticated", _lazy("Authentication required")),
    403: ("forbidden", _lazy("Not allowed")),
    404: ("not-found", _lazy("Not found")),
    405: ("method-not-allowed", _lazy("Method not allowed")),
    406: ("not-acceptable", _lazy("Not acceptable")),
    409: ("conflict", _lazy("Conflict")),
    413: ("too-large", _lazy("Request too large")),
    415: ("unsupported-media-type", _lazy("Unsupported media type")),
    422: ("idempotency-key-reused", _lazy("Idempotency key reused with another request")),
    429: ("throttled", _lazy("Too many requests")),
}


def problem(status_code: int, detail: str, *, errors: dict | None = None, headers: dict | None = None) -> Response:
    slug, title = TITLES.get(status_code, ("error", "Error"))
    body = {"type": TYPE_BASE + slug, "title": str(title), "status": status_code, "detail": str(detail)}
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=CONTENT_TYPE)


class IdempotencyMismatch(exceptions.APIException):
    status_code = 422
    default_detail = "This Idempotency-Key was used for another request."


class IdempotencyInProgress(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "A request with this Idempotency-Key is still being answered: retry in a moment."


def _flatten(detail) -> dict:
    """DRF's error detail ({field: [ErrorDetail]}, nested for nested input) as {"field.sub": ["message"]}."""
    out: dict[str, list[str]] = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, item in enumerate(value):
                walk(f"{prefix}.{index}" if prefix else str(index), item)
        else:
            out.setdefault(prefix or "non_field_errors", []).extend(
                [str(v) for v in value] if isinstance(value, list) else [str(value)]
            )

    walk("", detail)
    return out


def validation_errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {("non_field_errors" if k == "__all__" else k): list(v) for k, v in exc.message_dict.items()}
    return {"non_field_errors": list(exc.messages)}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        errors = validation_errors(exc)
        detail = " ".join(message for messages in errors.values() for message in messages)
        return problem(400, detail, errors=errors)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if str(exc) else None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) if str(exc) else None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling (logged)
    headers = {name: value for name, value in response.items() if name in ("WWW-Authenticate", "Retry-After", "Allow")}
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        return problem(400, _("Some fields are not valid: %(fields)s.") % {"fields": ", ".join(errors)},
                       errors=errors, headers=headers)  # fmt: skip
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    if isinstance(detail, list | dict):
        detail = " ".join(str(v) for v in (detail.values() if isinstance(detail, dict) else detail))
    return problem(response.status_code, str(detail), headers=headers)


@csrf_exempt  # answers 404 to any method; reads nothing, changes nothing
def not_found_view(request, *args, **kwargs):
    """Unknown URLs under /api/ answer a problem too, not the site's HTML 404 page."""
    slug, title = TITLES[404]
    return JsonResponse(
        {"type": TYPE_BASE + slug, "title": str(title), "status": 404, "detail": _("There is no such API endpoint.")},
        status=404,
        content_type=CONTENT_TYPE,
    )
