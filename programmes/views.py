"""The Team pages of a programme (managers only) and the page that accepts a staff invitation.

Who may open what: a manager of the programme (or a platform administrator) manages its team; its viewers and
issuers get a 403 page; anyone else gets a 404, which does not tell them the programme exists. The services
check again (`access.require`), so a view that forgot would still be refused.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import access

from . import selectors, services
from .forms import InviteForm, RoleForm
from .models import Programme, StaffInvite, StaffRole


def _managed(request, slug: str) -> Programme:
    """The programme of the URL, if the user manages its staff (403 for its other staff, else 404)."""
    programme = Programme.objects.filter(slug=slug, is_active=True).first()
    user = request.user
    if programme is None:
        raise Http404(_("No such programme."))
    if access.allows(user, "programmes.manage_staff", obj=programme):
        return programme
    if selectors.role_in(user, programme) or access.allows(user, "programmes.view_programme"):
        raise PermissionDenied(_("Only the programme's managers manage its team."))
    raise Http404(_("No such programme."))


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _team_url(programme: Programme) -> str:
    return reverse("programmes:team", kwargs={"programme": programme.slug})


def _team_page(request, programme, *, invite_form=None, status=200):
    language = get_language() or "en"
    context = {
        "programme": programme,
        "staff": selectors.staff_of(programme),
        "invites": selectors.invites_of(programme),
        "invite_form": invite_form or InviteForm(initial={"language": language.split("-")[0]}),
        "role_choices": RoleForm.base_fields["role"].choices,
    }
    return render(request, "programmes/team.html", context, status=status)


@login_required
def team(request, programme: str):
    return _team_page(request, _managed(request, programme))


@login_required
@require_POST
def invite(request, programme: str):
    programme = _managed(request, programme)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            created = services.staff_invite_create(programme=programme, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": created.email})
            return redirect(_team_url(programme))
    return _team_page(request, programme, invite_form=form, status=400)


@login_required
@require_POST
def role_change(request, programme: str, pk: int):
    programme = _managed(request, programme)
    staff_role = get_object_or_404(StaffRole.objects.select_related("user"), pk=pk, programme=programme)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role: manager, issuer or viewer."))
        return redirect(_team_url(programme))
    try:
        services.staff_role_set(
            programme=programme, user=staff_role.user, role=form.cleaned_data["role"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("%(email)s is now %(role)s.")
            % {"email": staff_role.user.email, "role": dict(form.fields["role"].choices)[form.cleaned_data["role"]]},
        )
    return redirect(_team_url(programme))


@login_required
def remove(request, programme: str, pk: int):
    """GET: confirm; POST: remove the person's role in the programme."""
    programme = _managed(request, programme)
    staff_role = get_object_or_404(StaffRole.objects.select_related("user"), pk=pk, programme=programme)
    if request.method != "POST":
        return render(request, "programmes/remove.html", {"programme": programme, "staff_role": staff_role})
    try:
        services.staff_role_remove(staff_role=staff_role, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request, _("%(email)s no longer has a role in the programme.") % {"email": staff_role.user.email}
        )
    return redirect(_team_url(programme))


@login_required
@require_POST
def invite_withdraw(request, programme: str, pk: int):
    programme = _managed(request, programme)
    invitation = get_object_or_404(StaffInvite, pk=pk, programme=programme)
    try:
        services.staff_invite_withdraw(invite=invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
    return redirect(_team_url(programme))


def invite_accept(request, token: str):
    """Anyone with the link sees the invitation; signed in, they accept it with one button. Links that cannot
    be used (forged, expired, accepted, withdrawn) get a page that says so, never an error."""
    try:
        invitation = services.invite_from_token(token)
    except services.InviteInvalid as exc:
        return render(
            request,
            "programmes/invite_invalid.html",
            {"reason": exc.reason, "message": exc.message},
            status=400 if exc.reason == "forged" else 410,
        )
    if request.method == "POST" and request.user.is_authenticated:
        try:
            staff_role = services.staff_invite_accept(token=token, user=request.user)
        except services.InviteInvalid as exc:
            return render(
                request, "programmes/invite_invalid.html", {"reason": exc.reason, "message": exc.message}, status=410
            )
        messages.success(
            request,
            _("You are now %(role)s of %(programme)s.")
            % {"role": staff_role.get_role_display(), "programme": staff_role.programme.name},
        )
        return redirect(_landing(request.user, staff_role.programme))
    return render(request, "programmes/invite.html", {"invite": invitation, "next": request.path})


def _landing(user, programme) -> str:
    """Where a new member of staff goes: the programme's team page for managers, else the console when it exists
    (the site's home page until then)."""
    from django.urls import NoReverseMatch

    if access.allows(user, "programmes.manage_staff", obj=programme):
        return _team_url(programme)
    try:
        return reverse("staff:home", kwargs={"programme": programme.slug})
    except NoReverseMatch:
        return reverse("home")
