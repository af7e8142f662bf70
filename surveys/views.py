"""Public survey pages: answer through the signed link (no account), opt out. A used, expired or forged link
gets a page that says which (status 400), never a 500."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from multilingual.text import in_language

from . import services, tokens
from .forms import AnswerForm
from .models import Invitation


def _refused(request, reason: str):
    return render(request, "surveys/refused.html", {"reason": reason}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    try:
        invitation_id = tokens.answer_invitation_id(token)
    except tokens.LinkError as exc:
        return _refused(request, exc.reason)
    invitation = Invitation.objects.select_related("survey__achievement__issuer").filter(pk=invitation_id).first()
    if invitation is None:
        return _refused(request, "forged")
    if invitation.answered_at is not None:
        return render(request, "surveys/thanks.html", {"invitation": invitation, "again": True})
    survey = invitation.survey
    form = AnswerForm(request.POST or None, open_question=survey.open_question)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(invitation=invitation, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "surveys/thanks.html", {"invitation": invitation})
    return render(request, "surveys/answer.html", {"form": form, "invitation": invitation,
                                                   "achievement": in_language(survey.achievement)})  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
def opt_out(request, token: str):
    """GET asks (mail scanners open links), POST opts out."""
    try:
        email_hash = tokens.opt_out_hash(token)
    except tokens.LinkError as exc:
        return _refused(request, exc.reason)
    if request.method == "POST":
        services.survey_opt_out(email_hash_value=email_hash)
        return render(request, "surveys/opted_out.html")
    return render(request, "surveys/opt_out.html")
