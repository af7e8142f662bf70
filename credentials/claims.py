"""Where a claim link leads, and the accept/decline answer, for the claim page here and any app above.

Credentials sit below the learner wallet: they never name its URLs. An app that runs its own claim flow
registers URL builders here from its AppConfig.ready (the wallets app does); without one, claim links lead
to this app's plain accept/decline page.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# (public_id, token) -> path of the claim flow; (award, user) -> path where a signed-in holder continues, or None.
ClaimPath = Callable[[str, str], str]
HolderPath = Callable[[object, object], str | None]

_claim_path: ClaimPath | None = None
_holder_path: HolderPath | None = None


def register_claim_url(func: ClaimPath) -> ClaimPath:
    """Send claim links (and the GET of links sent before) to `func(public_id, token)`, a path. The last one
    registered wins; usable as a decorator."""
    global _claim_path
    _claim_path = func
    return func


def register_holder_url(func: HolderPath) -> HolderPath:
    """After an accept on the plain claim page, send a signed-in recipient to `func(award, user)` when it
    returns a path (their wallet's page of the credential), else to the verification page."""
    global _holder_path
    _holder_path = func
    return func


def claim_path(public_id: str, token: str) -> str | None:
    """The registered claim flow's path for this link, or None when no app registered one."""
    return _claim_path(public_id, token) if _claim_path else None


def holder_path(award, user) -> str | None:
    return _holder_path(award, user) if _holder_path else None


def answer_award(request, answer: str, *, accept: Callable[[], object], decline: Callable[[], object]) -> bool:
    """The accept/decline branch, written once for the claim page and the wallet's answer form: run the
    service for the answer and tell the person what happened. False when nothing was done (no valid answer,
    or the service refused: its message is shown)."""
    try:
        if answer == "accept":
            accept()
            messages.success(request, _("You accepted this credential."))
        elif answer == "decline":
            decline()
            messages.info(request, _("You declined this credential. The issuer has been told."))
        else:
            raise ValidationError(_("Choose accept or decline."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    return True
