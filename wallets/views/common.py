"""What the wallet pages share: refusal pages, the holder-only guard, form error handling."""

from functools import wraps

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from credentials.models import Award

from .. import selectors

# Content-Security-Policy of learners' files (evidence, imported badge images): nothing loads or runs, sandboxed.
FILE_POLICY = "default-src 'none'; sandbox"


def refused(request, message: str, *, status: int = 403, title: str = "", link=None):
    return render(
        request,
        "wallets/refused.html",
        {"message": message, "title": title or _("You cannot see this"), "link": link},
        status=status,
    )


def not_in_wallet(request, public_id: str):
    return refused(
        request,
        _(
            "This credential is not in your wallet. Credentials sent to an address you have not verified do not "
            "appear here: add and verify the address under “Email addresses”."
        ),
        link=(
            reverse("credentials:verify_page", kwargs={"public_id": public_id}),
            _("See the credential's public verification page"),
        ),
    )


def holder_only(view):
    """A view of one credential of the signed-in learner's wallet: anyone else gets the clear refusal page."""

    @wraps(view)
    def wrapper(request, public_id: str, *args, **kwargs):
        try:
            return view(request, public_id, *args, **kwargs)
        except selectors.NotInWallet:
            return not_in_wallet(request, public_id)

    return wrapper


def bound_data(request) -> tuple:
    """Form data for a POST (even an empty one, so that it is validated), nothing for a GET."""
    return (request.POST,) if request.method == "POST" else (None,)


def error_dict(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def apply_errors(form, exc: ValidationError) -> None:
    for field, errors in error_dict(exc).items():
        form.add_error(None if field == "__all__" or field not in form.fields else field, errors)


def owned_award(request, public_id: str) -> Award:
    return selectors.award_owned_by(request.user, public_id)
