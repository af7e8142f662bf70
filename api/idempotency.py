"""`Idempotency-Key` on POSTs: a retried request gets the first answer again, and acts once.

The first request with a key stores a row (per caller: an API key, or a signed-in account) before it acts,
under a unique constraint: a second request arriving meanwhile finds the row unanswered and gets 409 (retry
later); one arriving afterwards gets the stored status and body, with `Idempotent-Replayed: true`. The same
key with another method, path or body is refused with 422. An error answer (an exception: invalid input,
a refusal) removes the row, so the request can be corrected and sent again with the same key.

Awards issued through a keyed request also carry an award idempotency key derived from it
(`award_idempotency_key`): Award.idempotency_key is unique, so even a lost row never lets a second award in.
"""

import functools
import hashlib
import re

from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .models import IdempotentRequest
from .problems import IdempotencyInProgress, IdempotencyMismatch

HEADER = "Idempotency-Key"
# Visible ASCII, spaces only inside: what survives every HTTP stack unchanged.
KEY_PATTERN = r"^[!-~]([ -~]{0,253}[!-~])?$"


def owner_of(request) -> str:
    api_key = getattr(request.user, "api_key", None)
    return f"key:{api_key.pk}" if api_key is not None else f"user:{request.user.pk}"


def key_of(request) -> str | None:
    value = request.headers.get(HEADER)
    if value is None:
        return None
    if not re.fullmatch(KEY_PATTERN, value):
        raise ValidationError(
            {HEADER: [_("An Idempotency-Key is 1 to 255 visible ASCII characters (spaces only inside).")]}
        )
    return value


def award_idempotency_key(request, suffix: str = "") -> str | None:
    """The award idempotency key for a keyed request (at most 100 characters), or None without a header."""
    key = key_of(request)
    if key is None:
        return None
    digest = hashlib.sha256(f"{owner_of(request)}\n{key}".encode()).hexdigest()[:48]
    return f"api:{digest}{':' + suffix if suffix else ''}"


def _fingerprint(request) -> str:
    try:
        body = request.body
    except RawPostDataException:  # the stream was already parsed (a form): fingerprint what it said
        body = repr(sorted((key, str(value)) for key, value in request.data.items())).encode()
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), body):
        digest.update(part + b"\n")
    return digest.hexdigest()


def idempotent(method):
    """Wrap a POST handler of an APIView."""

    @functools.wraps(method)
    def wrapper(view, request, *args, **kwargs):
        key = key_of(request)
        if key is None or not request.user.is_authenticated:
            return method(view, request, *args, **kwargs)
        owner, fingerprint = owner_of(request), _fingerprint(request)
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(owner=owner, key=key, fingerprint=fingerprint)
        except IntegrityError:
            record = IdempotentRequest.objects.filter(owner=owner, key=key).first()
            if record is None:  # removed by a failing first request in between: the client may retry
                raise IdempotencyInProgress() from None
            if record.fingerprint != fingerprint:
                raise IdempotencyMismatch(
                    _("This Idempotency-Key was already used for another request: use a new key for a new request.")
                ) from None
            if record.status is None:
                raise IdempotencyInProgress(
                    _("A request with this Idempotency-Key is still being answered: retry in a moment.")
                ) from None
            return Response(record.body, status=record.status, headers={"Idempotent-Replayed": "true"})
        try:
            response = method(view, request, *args, **kwargs)
        except BaseException:
            IdempotentRequest.objects.filter(pk=record.pk).delete()
            raise
        if response.status_code >= 500:
            IdempotentRequest.objects.filter(pk=record.pk).delete()
        else:
            IdempotentRequest.objects.filter(pk=record.pk).update(status=response.status_code, body=response.data)
        return response

    return wrapper
