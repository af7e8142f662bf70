"""A programme's Applications pages in the staff console: the queue (filters), one application (evidence,
sessions, history, decide), and the routes (which achievements take applications, and what evidence they ask).

As elsewhere in the console: signed out → sign-in; no role anywhere → 403; a programme the user cannot see →
404; seen but lacking the permission → 403. The services check again.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

import access
from programmes.console import console_programme

from .. import selectors, services
from ..forms import DecisionForm, RouteForm
from ..models import Application, ApplicationRoute
from .common import form_errors, serve_file


def _guard(request, programme_slug: str, perm: str, *, post_only=False):
    return console_programme(request, programme_slug, perm, post_only=post_only)


def queue(request, programme: str):
    programme, refusal = _guard(request, programme, services.VIEW)
    if refusal:
        return refusal
    state, achievement, q = (request.GET.get(name, "") for name in ("state", "achievement", "q"))
    context = {
        "programme": programme,
        "applications": selectors.queue(programme, state=state, achievement=achievement, q=q),
        "achievements": selectors.evidence_achievements(programme),
        "states": Application.State.choices,
        "state": state,
        "achievement": achievement,
        "q": q,
        "can_route": access.allows(request.user, services.ROUTE, obj=programme),
    }
    return render(request, "applications/staff/queue.html", context)


def _application(programme, pk: int) -> Application:
    application = selectors.application_of_programme(programme, pk)
    if application is None:
        raise Http404(_("No such application."))
    return application


def detail(request, programme: str, pk: int, *, form=None, status=200):
    programme, refusal = _guard(request, programme, services.VIEW)
    if refusal:
        return refusal
    application = _application(programme, pk)
    route = selectors.route_of(application.achievement)
    context = {
        "programme": programme,
        "application": application,
        "form": form or DecisionForm(),
        "can_decide": services.may_review(request.user, application),
        "sessions_required": route.sessions_required if route else 0,
        "confirmed": sum(1 for s in application.sessions.all() if s.confirmed_at),
    }
    return render(request, "applications/staff/detail.html", context, status=status)


def decide(request, programme: str, pk: int):
    programme_obj, refusal = _guard(request, programme, services.DECIDE, post_only=True)
    if refusal:
        return refusal
    application = _application(programme_obj, pk)
    form = DecisionForm(request.POST)
    decision = request.POST.get("decision", "")
    if form.is_valid():
        try:
            services.application_decide(
                application=application, decision=decision, comment=form.cleaned_data["comment"], actor=request.user
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            done = {"approve": _("Approved: the credential was issued to %(name)s."),
                    "changes": _("%(name)s was asked for changes."),
                    "decline": _("Declined: %(name)s was told why.")}[decision]  # fmt: skip
            messages.success(request, done % {"name": application.name})
            return redirect("application_staff:detail", programme=programme, pk=pk)
    return detail(request, programme, pk, form=form, status=400)


def session_confirm(request, programme: str, pk: int, session_pk: int):
    programme_obj, refusal = _guard(request, programme, services.DECIDE, post_only=True)
    if refusal:
        return refusal
    application = _application(programme_obj, pk)
    session = selectors.session_of(application, session_pk)
    if session is None:
        raise Http404(_("No such session."))
    try:
        services.session_confirm(session=session, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Session confirmed."))
    return redirect("application_staff:detail", programme=programme, pk=pk)


def file(request, programme: str, pk: int, file_pk: int):
    programme, refusal = _guard(request, programme, services.VIEW)
    if refusal:
        return refusal
    return serve_file(selectors.file_of(_application(programme, pk), file_pk))


def route(request, programme: str, slug: str):
    programme, refusal = _guard(request, programme, services.ROUTE)
    if refusal:
        return refusal
    achievement = selectors.programme_achievement(programme, slug)
    if achievement is None:
        raise Http404(_("No such achievement."))
    current = selectors.route_of(achievement) or ApplicationRoute(achievement=achievement)
    form = RouteForm(request.POST or None, instance=ApplicationRoute.objects.filter(pk=current.pk).first() or current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in RouteForm.Meta.fields}
            try:
                services.route_save(achievement=achievement, actor=request.user, **fields)
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Applications for “%(name)s” saved.") % {"name": achievement.name})
                return redirect("application_staff:queue", programme=programme.slug)
        status = 400
    context = {"programme": programme, "achievement": achievement, "form": form,
               "evidence_category": services.is_evidence_achievement(achievement)}  # fmt: skip
    return render(request, "applications/staff/route.html", context, status=status)
