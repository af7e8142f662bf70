"""Achievements of a programme: list by status, create and edit (drafts), the workflow steps, and the live
badge preview the form's script asks for while staff type."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from credentials import workflow
from credentials.models import Achievement
from credentials.services import achievement_save
from frameworks.models import BadgeCategory, CertificateTier, Framework
from frameworks.requirements import REQUIREMENTS
from frameworks.svg import UnsafeSVG
from multilingual.text import available_languages, is_complete_in, original_language

from .. import previews
from ..context import console_view
from ..forms import AchievementForm, kind_of
from ..selectors import achievements_by_status, achievements_of
from .common import page

EDITABLE = (Achievement.Status.DRAFT, Achievement.Status.SUBMITTED)


def _achievement(programme, pk) -> Achievement:
    achievement = achievements_of(programme).filter(pk=pk).first()
    if achievement is None:
        raise Http404(_("No such achievement in this programme."))
    return achievement


def guidance():
    """What each tier and category of the current framework asks of an achievement's content."""
    framework = Framework.objects.filter(is_current=True).first()
    if framework is None:
        return []
    items = []
    for tier in CertificateTier.objects.filter(framework=framework):
        needs = [_("Criteria")]
        if tier.summative_assessment_required:
            needs.append(_("Assessment method (a summative assessment)"))
        if tier.min_hours:
            needs.append(_("At least %(hours)s hours") % {"hours": tier.min_hours.normalize()})
        if tier.min_ects:
            needs.append(_("At least %(ects)s ECTS credits") % {"ects": tier.min_ects.normalize()})
        items.append({"value": f"tier:{tier.pk}", "name": tier.name, "description": tier.description, "needs": needs})
    for category in BadgeCategory.objects.filter(framework=framework):
        level = _("Level from 1 to %(max)d") % {"max": category.max_level} if category.max_level else None
        needs = [
            level if name == "level" and level else str(REQUIREMENTS[name].label)
            for name in category.required_fields or []
            if name in REQUIREMENTS
        ]
        if level and level not in needs:
            needs.append(level)
        items.append(
            {
                "value": f"category:{category.pk}",
                "name": category.name,
                "description": category.purpose or category.description,
                "needs": needs,
            }
        )
    return items


@console_view("credentials.view_achievement")
def achievements(request, programme):
    return page(request, "staff/achievements.html", {"groups": achievements_by_status(programme)})


def _edit(request, programme, achievement: Achievement | None):
    instance = achievement or Achievement(programme=programme, status=Achievement.Status.DRAFT)
    form = AchievementForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        candidate = form.apply()
        candidate.programme = programme
        try:
            achievement_save(
                achievement=candidate, actor=request.user, companions=list(form.cleaned_data["companions"])
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = {"tier": "kind", "category": "kind", "alignments": "esco_uri_1"}.get(field, field)
                form.add_error(target if target in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Saved “%(name)s” as a draft.") % {"name": candidate.name}
                if candidate.status == Achievement.Status.DRAFT
                else _("Saved."),
            )
            return redirect("staff:achievement", programme=programme.slug, pk=candidate.pk)
    status = 400 if request.method == "POST" else 200
    return page(
        request,
        "staff/achievement_form.html",
        {"form": form, "achievement": achievement, "guidance": guidance()},
        status=status,
    )


@console_view("credentials.add_achievement")
def achievement_new(request, programme):
    return _edit(request, programme, None)


@console_view("credentials.change_achievement")
def achievement_edit(request, programme, pk):
    achievement = _achievement(programme, pk)
    if achievement.status not in EDITABLE:
        messages.error(
            request,
            _(
                "A published or archived achievement cannot be changed: its credentials "
                "say what it was when they were issued."
            ),
        )
        return redirect("staff:achievement", programme=programme.slug, pk=pk)
    return _edit(request, programme, achievement)


@console_view("credentials.view_achievement")
def achievement_detail(request, programme, pk):
    achievement = _achievement(programme, pk)
    console = request.console
    return page(
        request,
        "staff/achievement.html",
        {
            "achievement": achievement,
            "editable": achievement.status in EDITABLE and console.can("credentials.change_achievement"),
            "can_publish": console.can("credentials.publish_achievement"),
            "can_change": console.can("credentials.change_achievement"),
            "award_count": achievement.awards.count(),
            "content_languages": _content_languages(achievement),
        },
    )


def _content_languages(achievement) -> list[dict]:
    """The achievement's languages: its own, then each translation, complete (credentials are signed in it) or
    partial (shown field by field on pages; credentials are signed in the original)."""
    names = dict(settings.LANGUAGES)
    original = original_language(achievement)
    return [
        {"name": names[code], "original": code == original, "complete": is_complete_in(achievement, code)}
        for code in available_languages(achievement)
    ]


STEPS = {
    "submit": (workflow.achievement_submit, "credentials.change_achievement"),
    "return": (workflow.achievement_return_to_draft, "credentials.change_achievement"),
    "publish": (workflow.achievement_publish, "credentials.publish_achievement"),
    "archive": (workflow.achievement_archive, "credentials.publish_achievement"),
}
DONE = {
    "submit": gettext_lazy("Submitted for review: a manager can publish it now."),
    "return": gettext_lazy("Sent back to draft."),
    "publish": gettext_lazy("Published: it can be issued now."),
    "archive": gettext_lazy("Archived: nothing more will be issued."),
}


@console_view("credentials.view_achievement")
@require_POST
def achievement_step(request, programme, pk, step):
    if step not in STEPS:
        raise Http404
    service, _perm = STEPS[step]
    achievement = _achievement(programme, pk)
    try:
        service(achievement=achievement, actor=request.user)  # refuses (403) what the role does not allow
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(DONE[step]))
    return redirect("staff:achievement", programme=programme.slug, pk=pk)


@console_view("credentials.view_achievement")
def badge_preview(request, programme):
    """The design of the chosen tier or category filled with the typed name and level (PNG)."""
    kind = kind_of(request.GET.get("kind", ""))
    if kind is None or not kind.svg_template:
        raise Http404(_("Choose a tier or category with a design."))
    level = request.GET.get("level", "")
    level = int(level) if level.isdigit() and int(level) <= 5 else None
    from credentials.models import Issuer

    issuer = Issuer.objects.filter(
        pk=request.GET.get("issuer") if str(request.GET.get("issuer", "")).isdigit() else None
    ).first()
    name = request.GET.get("name", "")[:200] or kind.name
    try:
        png = previews.badge_png(kind, name=name, level=level, issuer=issuer.name if issuer else "")
    except UnsafeSVG:
        return HttpResponse(_("This name cannot be drawn safely."), status=400, content_type="text/plain")
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response
