"""The learner's pages: apply from the achievement's page, My applications (resubmit, withdraw, sessions), the
evidence files, and goals. Thin: the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from multilingual.text import in_language
from wallets.selectors.membership import verified_emails

from .. import selectors, services
from ..forms import ApplyForm, EvidenceForm, GoalForm, SessionForm
from ..models import Application
from .common import form_errors, serve_file


def apply(request, slug: str):
    achievement = selectors.achievement_for_apply(slug)
    if achievement is None:
        raise Http404(_("No such credential."))
    route = selectors.open_route_of(achievement)
    context = {"achievement": in_language(achievement), "route": route}
    if route is None:
        return render(request, "applications/closed.html", context, status=404)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    latest = selectors.latest_of(request.user, achievement)
    if latest is not None and latest.state in (*Application.OPEN_STATES, Application.State.APPROVED):
        messages.info(request, _("You already applied for this credential."))
        return redirect("applications:detail", pk=latest.pk)
    emails = verified_emails(request.user)
    language = (get_language() or "en").split("-")[0]
    form = ApplyForm(
        request.POST or None, request.FILES or None, emails=emails, route=route,
        initial={"nominee_language": language, "email": emails[0] if emails else ""},
    )  # fmt: skip
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = services.application_submit(
                    achievement=achievement, user=request.user, narrative=data["narrative"], links=form.link_list(),
                    uploads=request.FILES.getlist("files"), email=data["email"],
                    nominee_email=data.get("nominee_email", ""), nominee_name=data.get("nominee_name", ""),
                    nominee_language=data.get("nominee_language", ""),
                )  # fmt: skip
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                if application.nominee_email:
                    messages.success(
                        request,
                        _("Your application was sent. %(name)s was emailed a link to review it.")
                        % {"name": application.nominee_name},
                    )
                else:
                    messages.success(request, _("Your application was sent to the programme's reviewers."))
                return redirect("applications:detail", pk=application.pk)
        status = 400
    context.update(form=form, emails=emails)
    return render(request, "applications/apply.html", context, status=status)


@login_required
def mine(request):
    return render(request, "applications/mine.html", {"applications": selectors.applications_of(request.user)})


def _own(request, pk: int) -> Application:
    application = selectors.own_application(request.user, pk)
    if application is None:
        raise Http404(_("No such application."))
    return application


@login_required
def detail(request, pk: int, *, form=None, session_form=None, status=200):
    application = _own(request, pk)
    route = selectors.route_of(application.achievement)
    if form is None and application.state == Application.State.CHANGES:
        form = EvidenceForm(initial={
            "narrative": application.narrative, "links": "\n".join(link["url"] for link in application.links),
        })  # fmt: skip
    sessions_required = route.sessions_required if route else 0
    if session_form is None and sessions_required and application.is_open:
        session_form = SessionForm()
    context = {
        "application": application,
        "route": route,
        "form": form,
        "session_form": session_form,
        "sessions_required": sessions_required,
        "confirmed": sum(1 for s in application.sessions.all() if s.confirmed_at),
    }
    return render(request, "applications/detail.html", context, status=status)


@login_required
@require_POST
def resubmit(request, pk: int):
    application = _own(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.application_resubmit(
                application=application, user=request.user, narrative=form.cleaned_data["narrative"],
                links=form.link_list(), uploads=request.FILES.getlist("files"),
                remove_files=request.POST.getlist("remove"),
            )  # fmt: skip
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Your changes were sent for review."))
            return redirect("applications:detail", pk=pk)
    return detail(request, pk, form=form, status=400)


@login_required
@require_POST
def withdraw(request, pk: int):
    application = _own(request, pk)
    try:
        services.application_withdraw(application=application, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your application was withdrawn."))
    return redirect("applications:detail", pk=pk)


@login_required
@require_POST
def session_add(request, pk: int):
    application = _own(request, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_record(application=application, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Session recorded: your mentor confirms it."))
            return redirect("applications:detail", pk=pk)
    return detail(request, pk, session_form=form, status=400)


@login_required
def file(request, pk: int, file_pk: int):
    return serve_file(selectors.file_of(_own(request, pk), file_pk))


def public_file(request, key: str, filename: str):
    """An approved application's file: evidence in its credential, public at an unguessable address."""
    item = selectors.public_file(key)
    if item is None or item.filename != filename:
        raise Http404(_("No such file."))
    return serve_file(item, public=True)


# --- Goals ---------------------------------------------------------------------------------------------------


@login_required
def goals(request):
    choices = selectors.goal_choices()
    form = GoalForm(request.POST or None, achievements=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            achievement = next((a for a in choices if a.slug == form.cleaned_data["achievement"]), None)
            try:
                if achievement is None:
                    raise ValidationError({"achievement": _("Choose a published credential.")})
                services.goal_set(user=request.user, achievement=achievement, note=form.cleaned_data["note"])
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Goal set: “%(name)s”.") % {"name": achievement.name})
                return redirect("applications:goals")
        status = 400
    return render(request, "applications/goals.html", {"goals": selectors.goals_of(request.user), "form": form},
                  status=status)  # fmt: skip


@login_required
@require_POST
def goal_remove(request, pk: int):
    try:
        services.goal_remove(user=request.user, pk=pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Goal removed."))
    return redirect("applications:goals")
