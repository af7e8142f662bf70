"""Add a credential to a wallet through a VC-API exchange (DCC Learner Credential Wallet).

The learner's page shows a QR code / deep link (:func:`exchange_links`)::

    https://lcw.app/request?request=<url-encoded {"credentialRequestOrigin": ORIGIN,
                                                  "protocols": {"vcapi": EXCHANGE_URL}}>

and the wallet talks to ``EXCHANGE_URL`` (``POST /exchange/<token>/``, see ``exchange.views``):

1. it POSTs ``{}``; we answer a ``verifiablePresentationRequest`` for ``DIDAuthentication``
   with a fresh random ``challenge`` (kept in the cache, single use, ``EXCHANGE_CHALLENGE_MINUTES``)
   and our ``domain`` (the origin of ``BASE_URL``);
2. it POSTs ``{"verifiablePresentation": ...}``, a presentation whose ``holder`` is its did:key,
   signed with ``Ed25519Signature2020`` (purpose ``authentication``, our challenge and domain);
   we verify it (:mod:`credentials.openbadges.presentation`), consume the challenge, sign the
   award's credential with ``credentialSubject.id`` = the holder's DID, record the DID on the
   award (audited) and answer ``{"verifiablePresentation": {..., "verifiableCredential": [signed]}}``.

The token in ``EXCHANGE_URL`` is the award's public id signed with a ``TimestampSigner``: it is
bound to one award and expires after ``EXCHANGE_LINK_MINUTES``.  Whoever holds a valid link can
fetch the credential into their wallet during that time, so the wallet page shows it only to the
learner.  The cache must be shared by every web process (Redis in production; the in-memory
cache of the embedded deployment is per process, which is right for its single process).

Errors are :class:`ExchangeError` (HTTP status, stable code, translated message, details):
400 malformed request, 401 the DID authentication proof does not verify, 403 the proof answers
another challenge/domain or the credential is revoked/expired, 404 unknown exchange,
409 challenge already used, 410 exchange link expired, 413 body too large.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import timedelta
from urllib.parse import quote, urlsplit

import segno
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from credentials.models import Award
from credentials.openbadges.loader import VC_V2_CONTEXT
from credentials.openbadges.presentation import PROOF_TYPE as DID_AUTH_PROOF_TYPE
from credentials.openbadges.presentation import verify_presentation
from credentials.services import award_record_holder

LCW_REQUEST_URL = "https://lcw.app/request?request="
LINK_SALT = "laurel.credentials.exchange"  # unchanged since the module moved: links already given stay valid
CACHE_PREFIX = "laurel:exchange:"
MAX_BODY_BYTES = 64 * 1024  # a DID-authentication presentation is about 1 KiB

__all__ = [
    "ExchangeError",
    "award_for_token",
    "exchange_domain",
    "exchange_links",
    "exchange_step",
    "exchange_token",
    "exchange_url",
]


class ExchangeError(Exception):
    """A refused exchange request: HTTP ``status``, stable ``code``, translated ``message``, ``details``."""

    def __init__(self, status: int, code: str, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = list(details or [])

    def as_json(self) -> dict:
        data = {"error": self.code, "message": self.message}
        if self.details:
            data["details"] = self.details
        return data


def link_max_age() -> int:
    """Seconds an exchange link (QR code) stays valid."""
    return int(getattr(settings, "EXCHANGE_LINK_MINUTES", 30)) * 60


def challenge_ttl() -> int:
    """Seconds a challenge stays valid (between the wallet's two requests)."""
    return int(getattr(settings, "EXCHANGE_CHALLENGE_MINUTES", 10)) * 60


# --- links ------------------------------------------------------------------------------------------


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=LINK_SALT, algorithm="sha256")


def exchange_token(award: Award) -> str:
    """A signed, expiring token naming one award (``<public id>:<timestamp>:<signature>``)."""
    return _signer().sign(award.public_id)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not an http(s) origin")
    return f"{parts.scheme}://{parts.netloc}"


def exchange_url(award: Award, *, origin: str | None = None) -> str:
    """The VC-API exchange URL of an award under ``origin`` (default: ``BASE_URL``)."""
    base = _origin(origin or settings.BASE_URL)
    return base + reverse("exchange:exchange", kwargs={"token": exchange_token(award)})


def exchange_links(award: Award, *, request_origin: str) -> dict:
    """Everything the wallet page needs to offer "Add to Learner Credential Wallet".

    :param request_origin: the origin the learner's browser is on (``https://host[:port]``, a
        trailing slash or path is ignored); it is the deep link's ``credentialRequestOrigin`` and
        the origin of the exchange URL.
    :returns: ``{"exchange_url", "deep_link", "qr_svg", "expires_at"}``: ``qr_svg`` is an inline
        ``<svg>`` of the deep link (class ``laurel-wallet-qr``), ``expires_at`` an aware datetime.
    """
    origin = _origin(request_origin)
    url = exchange_url(award, origin=origin)
    request = json.dumps({"credentialRequestOrigin": origin, "protocols": {"vcapi": url}}, separators=(",", ":"))
    deep_link = LCW_REQUEST_URL + quote(request, safe="")
    qr_svg = segno.make(deep_link, error="m").svg_inline(
        scale=4, border=2, svgclass="laurel-wallet-qr", title=_("Add to Learner Credential Wallet")
    )
    return {
        "exchange_url": url,
        "deep_link": deep_link,
        "qr_svg": qr_svg,
        "expires_at": timezone.now() + timedelta(seconds=link_max_age()),
    }


def exchange_domain() -> str:
    """The ``domain`` our DID-authentication requests ask for: Laurel's public origin."""
    return _origin(settings.BASE_URL)


# --- the exchange -------------------------------------------------------------------------------------


def _not_found() -> ExchangeError:
    return ExchangeError(404, "exchange_not_found", _("This exchange link is not valid."))


def award_for_token(token: str) -> Award:
    """The award an exchange token names; :class:`ExchangeError` 404 (forged) or 410 (expired)."""
    try:
        public_id = _signer().unsign(token or "", max_age=link_max_age())
    except signing.SignatureExpired as exc:
        raise ExchangeError(
            410,
            "exchange_expired",
            _("This exchange link has expired. Open the credential page again for a new QR code."),
        ) from exc
    except signing.BadSignature as exc:
        raise _not_found() from exc
    award = Award.objects.select_related("achievement__issuer", "key").filter(public_id=public_id).first()
    if award is None:
        raise _not_found()
    return award


def _check_deliverable(award: Award) -> None:
    state = award.effective_state
    if state == Award.State.REVOKED:
        raise ExchangeError(
            403, "credential_revoked", _("This credential has been revoked; it cannot be added to a wallet.")
        )
    if state == Award.State.EXPIRED:
        raise ExchangeError(
            403, "credential_expired", _("This credential has expired; it cannot be added to a wallet.")
        )


def _digest(challenge: str) -> str:
    # the wallet chooses what it sends: hash it into a short, safe cache key
    return hashlib.sha256(challenge.encode("utf-8")).hexdigest()


def _challenge_key(challenge: str) -> str:
    return f"{CACHE_PREFIX}challenge:{_digest(challenge)}"


def _used_key(challenge: str) -> str:
    return f"{CACHE_PREFIX}used:{_digest(challenge)}"


def _request_presentation(award: Award) -> dict:
    challenge = secrets.token_urlsafe(32)
    domain = exchange_domain()
    cache.set(_challenge_key(challenge), {"award": award.public_id, "domain": domain}, timeout=challenge_ttl())
    return {
        "verifiablePresentationRequest": {
            "query": [
                {
                    "type": "DIDAuthentication",
                    "acceptedMethods": [{"method": "key"}],
                    "acceptedCryptosuites": [{"cryptosuite": DID_AUTH_PROOF_TYPE}],
                }
            ],
            "challenge": challenge,
            "domain": domain,
        }
    }


def _proof_challenge(presentation: dict) -> str | None:
    proof = presentation.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    challenge = proof.get("challenge") if isinstance(proof, dict) else None
    return challenge if isinstance(challenge, str) and challenge else None


def _deliver(award: Award, presentation: dict) -> dict:
    challenge = _proof_challenge(presentation)
    if challenge is None:
        raise ExchangeError(
            401,
            "did_auth_failed",
            _("DID authentication failed: the presentation is not signed with the challenge of this exchange."),
        )
    if cache.get(_used_key(challenge)) is not None:
        raise ExchangeError(
            409, "challenge_used", _("This challenge has already been used. Start again from the QR code.")
        )
    issued = cache.get(_challenge_key(challenge))
    if not isinstance(issued, dict) or issued.get("award") != award.public_id:
        raise ExchangeError(
            403,
            "challenge_unknown",
            _(
                "The presentation answers a challenge that this exchange did not issue or that has expired. "
                "Start again from the QR code."
            ),
        )
    result = verify_presentation(presentation, challenge=challenge, domain=issued["domain"])
    if not result.ok:
        wrong_request = bool(result.codes & {"challenge", "domain"})
        raise ExchangeError(
            403 if wrong_request else 401,
            "did_auth_failed",
            _("DID authentication failed: %(reasons)s.") % {"reasons": "; ".join(result.errors)},
            result.errors,
        )
    # single use: the first request to claim the challenge wins, any other gets 409
    if not cache.add(_used_key(challenge), True, timeout=challenge_ttl()):
        raise ExchangeError(
            409, "challenge_used", _("This challenge has already been used. Start again from the QR code.")
        )
    cache.delete(_challenge_key(challenge))

    from credentials.services import award_sign_for_holder

    signed = award_sign_for_holder(award=award, holder_did=result.holder)
    award_record_holder(award=award, holder_did=result.holder)
    return {
        "verifiablePresentation": {
            "@context": [VC_V2_CONTEXT],
            "type": ["VerifiablePresentation"],
            "verifiableCredential": [signed],
        }
    }


def exchange_step(token: str, body: bytes) -> dict:
    """Handle one POST to an exchange URL and return the JSON answer; raises :class:`ExchangeError`.

    An empty body or a JSON object without ``verifiablePresentation`` starts the exchange (the
    answer is a ``verifiablePresentationRequest``); a ``verifiablePresentation`` completes it.
    """
    award = award_for_token(token)
    if len(body) > MAX_BODY_BYTES:
        raise ExchangeError(413, "too_large", _("The request is too large."))
    if body.strip():
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, ValueError) as exc:
            raise ExchangeError(400, "bad_json", _("The request body is not valid JSON.")) from exc
    else:
        payload = {}
    if not isinstance(payload, dict):
        raise ExchangeError(400, "bad_json", _("The request body must be a JSON object."))
    _check_deliverable(award)
    presentation = payload.get("verifiablePresentation")
    if presentation is None:
        return _request_presentation(award)
    if not isinstance(presentation, dict):
        raise ExchangeError(400, "bad_presentation", _("verifiablePresentation must be a JSON object."))
    return _deliver(award, presentation)
