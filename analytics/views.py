"""Staff analytics pages: /staff/analytics/ (every programme the user may see) and /staff/analytics/<programme>/.
Thin: parse the filters, ask the selectors (rollups only), render charts and tables or a CSV."""

import csv
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import access
from programmes.models import Programme
from programmes.roles import roles_of
from surveys import selectors as survey_selectors

from . import charts, selectors
from .services import analytics_catch_up_if_due

TABLES = ("totals", "monthly", "funnel", "achievements", "channels", "surveys")


class FilterForm(forms.Form):
    programme = forms.ChoiceField(label=gettext_lazy("Programme"), required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", _("All my programmes"))] + [(p.slug, p.name) for p in programmes]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError(_("The start date must be on or before the end date."))
        return data


def visible_programmes(user) -> tuple[list[Programme], bool]:
    """The programmes whose analytics the user may read, and whether they may read everything (platform)."""
    if access.allows(user, "programmes.view_analytics"):
        return list(Programme.objects.filter(is_active=True)), True
    ids = [pk for pk in roles_of(user) if access.allows(user, "programmes.view_analytics", obj=Programme(pk=pk))]
    return list(Programme.objects.filter(pk__in=ids, is_active=True)), False


def _scope(request, programmes, everything, fixed: Programme | None):
    today = timezone.localdate()
    form = FilterForm(request.GET or None, programmes=programmes, initial={"programme": fixed.slug if fixed else ""})
    # By default the last twelve months, the current one included.
    start, end, chosen = (today.replace(day=1) - timedelta(days=335)).replace(day=1), today, fixed
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        slug = form.cleaned_data["programme"]
        chosen = next((p for p in programmes if p.slug == slug), fixed) if slug else fixed
    if chosen is not None:
        ids: tuple[int, ...] | None = (chosen.pk,)
    elif everything:
        ids = None  # awards of no programme included
    else:
        ids = tuple(p.pk for p in programmes)
    return form, chosen, selectors.Scope(programme_ids=ids, start=start, end=end)


def _programme(user, slug: str, programmes: list[Programme], everything: bool, perm: str) -> Programme:
    """The programme of the URL, as the staff console resolves it: 404 for one the user cannot see (nobody is told
    which programmes exist), 403 for one they see without `perm`, or when they hold no role at all."""
    if not programmes and not everything:
        raise PermissionDenied(NO_ROLE)
    programme = next((p for p in programmes if p.slug == slug), None)
    if programme is None:
        raise Http404(_("No such programme."))
    access.require(user, perm, obj=programme)
    return programme


NO_ROLE = gettext_lazy("You hold no role in any programme: ask a manager of one to invite you.")


@login_required
def dashboard(request, programme: str | None = None):
    programmes, everything = visible_programmes(request.user)
    fixed = None
    if programme is not None:
        fixed = _programme(request.user, programme, programmes, everything, "programmes.view_analytics")
    elif not programmes and not everything:
        raise PermissionDenied(NO_ROLE)
    if "programme" in request.GET and request.GET["programme"] != (fixed.slug if fixed else ""):
        # The programme filter moves between /staff/analytics/ and /staff/analytics/<programme>/.
        slug = request.GET["programme"]
        if slug == "" or any(p.slug == slug for p in programmes):
            query = request.GET.copy()
            del query["programme"]
            url = redirect("analytics:programme", programme=slug).url if slug else redirect("analytics:dashboard").url
            return redirect(f"{url}?{query.urlencode()}" if query else url)
    if settings.CELERY_TASK_ALWAYS_EAGER:  # no beat in the embedded default: the pages catch up themselves
        analytics_catch_up_if_due()
    form, chosen, scope = _scope(request, programmes, everything, fixed)
    data = selectors.dashboard(scope)
    data["surveys"] = survey_selectors.results(programme_ids=scope.programme_ids, start=scope.start, end=scope.end)
    wanted = request.GET.get("format")
    if wanted == "csv":
        return _csv(request.GET.get("table", "totals"), data, chosen, scope)
    context = {
        "form": form,
        "programme": chosen,
        "programmes": programmes,
        "scope": scope,
        "csv_query": _query_without(request, "format", "table"),
        **data,
        "monthly_chart": charts.monthly_bars(data["monthly"]),
        "funnel_chart": charts.horizontal_bars(data["funnel"], "value", "label"),
        "achievements_chart": charts.horizontal_bars(data["top_achievements"], "issued", "name"),
        "channels_chart": charts.horizontal_bars(data["channels"], "shares", "label"),
        "can_configure_surveys": chosen is not None
        and access.allows(request.user, "credentials.change_achievement", obj=chosen),
    }
    return render(request, "analytics/dashboard.html", context)


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _csv(table: str, data: dict, programme, scope) -> HttpResponse:
    if table not in TABLES:
        return HttpResponse(
            _("Unknown table “%(table)s”: choose one of %(tables)s.")
            % {"table": table[:40], "tables": ", ".join(TABLES)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    name = f"{programme.slug if programme else 'all'}-{table}-{scope.start}-{scope.end}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    if table == "totals":
        writer.writerow(["figure", "value"])
        for key in ("issued", "accepted", "declined", "revoked", "expired", "pending", "claim_rate", "shared_awards",
                    "share_rate", "views", "expiring_30", "email_opens", "link_clicks"):  # fmt: skip
            writer.writerow([key, data["totals"][key] if data["totals"][key] is not None else ""])
    elif table == "monthly":
        writer.writerow(["month", "issued", "claimed", "shared", "verification_views"])
        for row in data["monthly"]:
            writer.writerow(
                [row["month"].strftime("%Y-%m"), row["issued"], row["accepted"], row["shared"], row["views"]]
            )
    elif table == "funnel":
        writer.writerow(["step", "awards", "percent_of_issued"])
        for row in data["funnel"]:
            writer.writerow([row["key"], row["value"], "" if row["rate"] is None else row["rate"]])
    elif table == "achievements":
        writer.writerow(["achievement", "issued", "accepted", "shared", "verification_views", "claim_rate"])
        for row in data["top_achievements"]:
            writer.writerow([row["slug"], row["issued"], row["accepted"], row["shared"], row["views"],
                             "" if row["claim_rate"] is None else row["claim_rate"]])  # fmt: skip
    elif table == "channels":
        writer.writerow(["channel", "shares"])
        for row in data["channels"]:
            writer.writerow([row["channel"], row["shares"]])
    else:
        survey_selectors.write_csv(writer, data["surveys"])
    return response


@login_required
def survey_settings(request, programme: str, achievement: str):
    """Configure the follow-up survey of one of the programme's achievements (credentials.change_achievement)."""
    from credentials.models import Achievement
    from surveys.forms import SurveyForm
    from surveys.services import survey_configure

    programmes, everything = visible_programmes(request.user)
    fixed = _programme(request.user, programme, programmes, everything, "credentials.change_achievement")
    target = get_object_or_404(Achievement.objects.select_related("programme"), slug=achievement, programme=fixed)
    access.require(request.user, "credentials.change_achievement", obj=target)
    survey = getattr(target, "survey", None)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        survey_configure(achievement=target, actor=request.user, **form.cleaned_data)
        from django.contrib import messages

        messages.success(request, _("The follow-up survey of “%(name)s” is saved.") % {"name": target.name})
        if target.programme:
            return redirect("analytics:programme", programme=target.programme.slug)
        return redirect("analytics:dashboard")
    return render(
        request, "analytics/survey_settings.html", {"form": form, "achievement": target, "today": date.today()}
    )
