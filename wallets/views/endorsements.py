"""Endorsements: the learner's requests, the endorser's page (signed link, no account), the public JSON."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from credentials.tokens import TokenError

from .. import selectors, services
from ..forms import EndorseForm, EndorsementRequestForm
from ..tokens import endorsement_tokens
from .common import apply_errors, holder_only, refused
from .wallet import detail_context


@login_required
@require_POST
@holder_only
def endorsement_request(request, public_id: str):
    view = selectors.holder_view(request.user, public_id)
    form = EndorsementRequestForm(request.POST)
    if form.is_valid():
        try:
            services.endorsement_request(
                user=request.user, award=view.award, language=request.LANGUAGE_CODE, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("We emailed %(name)s a link to endorse this credential.")
                % {"name": form.cleaned_data["endorser_name"]},
            )
            return redirect(reverse("wallets:detail", kwargs={"public_id": public_id}) + "#endorsements-heading")
    context = detail_context(request, view, endorsement_form=form)
    context["focus_endorsement"] = True
    return render(request, "wallets/detail.html", context, status=400)


@login_required
@require_POST
def endorsement_visibility(request, public_id: str):
    try:
        item = services.endorsement_set_hidden(
            user=request.user, public_id=public_id, hidden=request.POST.get("action") == "hide"
        )
    except ValidationError as exc:
        return refused(request, " ".join(exc.messages))
    messages.success(request, _("The endorsement is hidden.") if item.is_hidden else _("The endorsement is shown."))
    return redirect(reverse("wallets:detail", kwargs={"public_id": item.award.public_id}) + "#endorsements-heading")


def _endorse_refused(request, reason: str, endorsement=None):
    return render(request, "wallets/endorse_refused.html", {"reason": reason, "endorsement": endorsement}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def endorse(request, public_id: str, token: str):
    """The endorser's page (no account): a signed, expiring, single-use link from the request email."""
    endorsement = selectors.endorsement_for_token(public_id)
    if endorsement is None:
        return _endorse_refused(request, "forged")
    try:
        endorsement_tokens.check_token(endorsement, token)
    except TokenError as exc:
        return _endorse_refused(request, exc.reason, endorsement)
    if endorsement.award.is_revoked:
        return _endorse_refused(request, "revoked", endorsement)
    form = EndorseForm(initial={"endorser_name": endorsement.endorser_name})
    if request.method == "POST":
        try:
            if request.POST.get("answer") == "decline":
                services.endorsement_decline(endorsement=endorsement)
                return render(request, "wallets/endorse_done.html", {"endorsement": endorsement, "declined": True})
            form = EndorseForm(request.POST)
            if form.is_valid():
                services.endorsement_give(endorsement=endorsement, **form.cleaned_data)
                return render(request, "wallets/endorse_done.html", {"endorsement": endorsement, "declined": False})
        except ValidationError as exc:
            apply_errors(form, exc)
    award = endorsement.award
    return render(
        request,
        "wallets/endorse.html",
        {"endorsement": endorsement, "award": award, "achievement": award.achievement, "form": form},
        status=400 if form.errors else 200,
    )


def _endorsement_json(data: dict, content_type: str) -> HttpResponse:
    import json

    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def endorsement_ob3(request, public_id: str):
    return _endorsement_json(selectors.endorsement_public(public_id).credential, "application/vc+ld+json")


def endorsement_ob2(request, public_id: str):
    from ..documents import endorsement_ob2 as build

    return _endorsement_json(build(selectors.endorsement_public(public_id)), "application/ld+json")
