"""The nominee's page, reached through the signed link emailed to them (no account): the application and its
evidence, confirm mentoring sessions, approve / ask for changes / decline with a comment. A forged, expired or used
link gets a clear page (400 or 410)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import DecisionForm
from ..tokens import TokenError, review_tokens
from .common import form_errors, serve_file

REASONS = {
    "forged": _("This review link is not valid. Check that you copied the whole address from the email."),
    "malformed": _("This review link is not valid. Check that you copied the whole address from the email."),
    "expired": _("This review link has expired. Ask the applicant or the programme to send a new one."),
    "used": _("This review link was already used: the application was decided or changed since. If the learner "
              "sent changes, a new link was emailed to you."),
}  # fmt: skip


def _refused(request, reason: str):
    status = 400 if reason in ("forged", "malformed") else 410
    return render(request, "applications/review_invalid.html", {"message": REASONS[reason]}, status=status)


def _checked(request, pk: int, token: str):
    application = selectors.for_review(pk)
    if application is None or not application.nominee_email:
        return None, _refused(request, "forged")
    try:
        review_tokens.check_token(application, token)
    except TokenError as exc:
        return None, _refused(request, exc.reason)
    return application, None


def review(request, pk: int, token: str):
    application, refusal = _checked(request, pk, token)
    if refusal:
        return refusal
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        if form.is_valid():
            try:
                services.application_decide(
                    application=application, decision=decision, comment=form.cleaned_data["comment"], token=token
                )
            except TokenError as exc:
                return _refused(request, exc.reason)
            except (ValidationError, PermissionDenied) as exc:
                form_errors(form, exc)
            else:
                return render(request, "applications/review_done.html", {"application": selectors.for_review(pk),
                                                                         "decision": decision})  # fmt: skip
        status = 400
    return render(request, "applications/review.html", _context(application, form, token), status=status)


def _context(application, form, token):
    route = selectors.route_of(application.achievement)
    return {
        "application": application,
        "form": form,
        "token": token,
        "sessions_required": route.sessions_required if route else 0,
        "confirmed": sum(1 for s in application.sessions.all() if s.confirmed_at),
        "is_mentor": application.nominee_role == "mentor",
    }


def review_file(request, pk: int, token: str, file_pk: int):
    application, refusal = _checked(request, pk, token)
    if refusal:
        return refusal
    return serve_file(selectors.file_of(application, file_pk))


@require_POST
def review_session(request, pk: int, token: str, session_pk: int):
    application, refusal = _checked(request, pk, token)
    if refusal:
        return refusal
    session = selectors.session_of(application, session_pk)
    if session is None:
        raise Http404(_("No such session."))
    try:
        services.session_confirm(session=session, token=token)
    except TokenError as exc:
        return _refused(request, exc.reason)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Session confirmed."))
    return redirect("applications:review", pk=pk, token=token)
