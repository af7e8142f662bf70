"""A programme's Organisations pages in the staff console (/staff/p/<slug>/organisations/): the organisations
with their members and admins, the rules and their outcomes; create an organisation (and invite its first
admin), define a rule, activate or deactivate one.

As elsewhere in the console: signed out → sign-in; no role anywhere → 403; a programme the user cannot see →
404; seen but lacking the permission → 403. The services check again.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

import access
from programmes.console import console_programme
from wallets.views.common import apply_errors

from . import rules, selectors, services
from .forms import MEMBER_ROWS, OrganisationForm, RuleForm
from .models import OrganisationRule


def _guard(request, programme_slug: str, perm: str, *, post_only=False):
    """(programme, refusal or None); raises 403/404 as the console does."""
    return console_programme(request, programme_slug, perm, post_only=post_only)


def organisations(request, programme: str):
    programme, refusal = _guard(request, programme, services.VIEW)
    if refusal:
        return refusal
    context = {
        "programme": programme,
        "organisations": selectors.organisations_of_programme(programme),
        "rules": selectors.rules_of_programme(programme),
        "outcomes": selectors.outcomes_of_programme(programme),
        "can_add": access.allows(request.user, services.ADD, obj=programme),
        "can_change": access.allows(request.user, services.CHANGE, obj=programme),
    }
    return render(request, "organisations/staff/organisations.html", context)


def organisation_new(request, programme: str):
    programme, refusal = _guard(request, programme, services.ADD)
    if refusal:
        return refusal
    language = (get_language() or "en").split("-")[0]
    form = OrganisationForm(request.POST or None, initial={"language": language})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = ("slug", "name", "country", "sector", "website", "email", "description")
        try:
            with transaction.atomic():
                created = services.organisation_create(
                    programme=programme, actor=request.user, **{name: data[name] for name in fields}
                )
                if data.get("admin_email"):
                    services.invitation_send(
                        organisation=created, email=data["admin_email"], role="admin", language=data["language"],
                        actor=request.user,
                    )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Organisation “%(name)s” created.") % {"name": created.name})
            return redirect("organisation_staff:organisations", programme=programme.slug)
    status = 400 if request.method == "POST" else 200
    context = {"programme": programme, "form": form}
    return render(request, "organisations/staff/organisation_form.html", context, status=status)


def organisation_rule_new(request, programme: str):
    programme, refusal = _guard(request, programme, services.CHANGE)
    if refusal:
        return refusal
    form = RuleForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rules.rule_create(
                programme=programme,
                name=data["name"],
                result=data["result"],
                required_achievements=list(data["required_achievements"]),
                requirements=form.requirements(),
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Rule “%(name)s” created.") % {"name": data["name"]})
            return redirect("organisation_staff:organisations", programme=programme.slug)
    status = 400 if request.method == "POST" else 200
    rows = [(form[f"member_{i}"], form[f"minimum_{i}"]) for i in range(1, MEMBER_ROWS + 1)]
    context = {"programme": programme, "form": form, "member_rows": rows}
    return render(request, "organisations/staff/rule_form.html", context, status=status)


def organisation_rule_active(request, programme: str, pk: int):
    programme, refusal = _guard(request, programme, services.CHANGE, post_only=True)
    if refusal:
        return refusal
    rule = get_object_or_404(OrganisationRule, pk=pk, programme=programme)
    active = request.POST.get("active") == "1"
    rules.rule_set_active(rule=rule, is_active=active, actor=request.user)
    if active:
        messages.success(request, _("Rule “%(name)s” is active.") % {"name": rule.name})
    else:
        messages.success(request, _("Rule “%(name)s” is inactive.") % {"name": rule.name})
    return redirect("organisation_staff:organisations", programme=programme.slug)
