"""Stacking in the console: the suggestions waiting for approval (rules that suggest rather than issue) and the
latest outcomes; approve (issues the result credential) or dismiss. The services check the permission again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stacking.models import StackingOutcome
from stacking.selectors import outcome_of, outcomes_of
from stacking.services import stacking_suggestion_approve, stacking_suggestion_dismiss

from ..context import console_view
from .common import page

VIEW = "credentials.view_award"
ISSUE = "credentials.add_award"
RECENT = 50


@console_view(VIEW)
def suggestions(request, programme):
    return page(
        request,
        "staff/stacking.html",
        {
            "suggestions": list(outcomes_of(programme, state=StackingOutcome.State.SUGGESTED).order_by("created_at")),
            "recent": list(outcomes_of(programme).exclude(state=StackingOutcome.State.SUGGESTED)[:RECENT]),
            "can_decide": request.console.can(ISSUE),
        },
    )


def _decide(request, programme, pk, service, done: str):
    outcome = outcome_of(programme, pk)
    if outcome is None:
        raise Http404(_("No such stacking suggestion in this programme."))
    try:
        service(outcome=outcome, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"name": outcome.recipient_name, "achievement": outcome.result.name})
    return redirect("staff:stacking", programme=programme.slug)


@console_view(ISSUE)
@require_POST
def suggestion_approve(request, programme, pk):
    return _decide(request, programme, pk, stacking_suggestion_approve, _("Issued “%(achievement)s” to %(name)s."))


@console_view(ISSUE)
@require_POST
def suggestion_dismiss(request, programme, pk):
    return _decide(
        request,
        programme,
        pk,
        stacking_suggestion_dismiss,
        _("Dismissed: %(name)s will not be offered “%(achievement)s” by this rule."),
    )
