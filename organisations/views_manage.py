"""An organisation's own management pages at /organisations/<slug>/manage/, for its admins (and the staff of its
programme who may change organisations): the profile, invitations, admins and members with the credentials
members shared, and each rule's progress. Anyone else: signed out → sign-in, signed in → 403. The services
check again."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import evaluation, selectors, services
from .forms import InviteForm, ProfileForm
from .models import OrganisationAdmin, OrganisationInvite, OrganisationMember


def _guard(request, slug: str, *, post_only=False):
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    item = selectors.organisation_any(slug)
    if item is None:
        raise Http404(_("No such organisation."))
    if not services.is_admin(request.user, item):
        raise PermissionDenied(_("Only the organisation's admins may open this page."))
    if post_only and request.method != "POST":
        return item, HttpResponseNotAllowed(["POST"])
    return item, None


def _form_errors(form, exc: ValidationError) -> None:
    for name, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(name if name in form.fields else ("logo_upload" if name == "logo" else None), errors)


def _page(request, item, *, profile_form=None, invite_form=None, status=200):
    language = (get_language() or "en").split("-")[0]
    context = {
        "organisation": item,
        "profile_form": profile_form or ProfileForm(instance=item),
        "invite_form": invite_form or InviteForm(initial={"language": language, "role": "member"}),
        "admins": selectors.admins_of(item),
        "members": selectors.members_with_shares(item),
        "invites": selectors.invites_of(item),
        "progress": evaluation.progress(item),
        "wallet": selectors.wallet(item),
    }
    return render(request, "organisations/manage.html", context, status=status)


def manage(request, slug: str):
    """GET: the page. POST: save the profile (and logo)."""
    item, refusal = _guard(request, slug)
    if refusal:
        return refusal
    if request.method != "POST":
        return _page(request, item)
    form = ProfileForm(request.POST, request.FILES, instance=selectors.organisation_any(slug))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.organisation_update(
                organisation=item,
                actor=request.user,
                logo=data.get("logo_upload"),
                remove_logo=data.get("remove_logo", False),
                **{name: data[name] for name in services.PROFILE_FIELDS},
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("organisations:manage", slug=item.slug)
    return _page(request, item, profile_form=form, status=400)


def invite(request, slug: str):
    item, refusal = _guard(request, slug, post_only=True)
    if refusal:
        return refusal
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            created = services.invitation_send(organisation=item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": created.email})
            return redirect("organisations:manage", slug=item.slug)
    return _page(request, item, invite_form=form, status=400)


def remove(request, slug: str, kind: str, pk: int):
    """Remove an admin (`kind=admin`) or a member (`kind=member`), or cancel an invitation (`kind=invite`)."""
    item, refusal = _guard(request, slug, post_only=True)
    if refusal:
        return refusal
    try:
        if kind == "admin":
            row = get_object_or_404(OrganisationAdmin, pk=pk, organisation=item)
            services.admin_remove(admin=row, actor=request.user)
            messages.success(request, _("The admin was removed."))
        elif kind == "member":
            row = get_object_or_404(OrganisationMember, pk=pk, organisation=item)
            services.member_remove(member=row, actor=request.user)
            messages.success(request, _("%(name)s is no longer a member.") % {"name": row.name})
        elif kind == "invite":
            row = get_object_or_404(OrganisationInvite, pk=pk, organisation=item)
            services.invitation_cancel(invite=row, actor=request.user)
            messages.success(request, _("The invitation was cancelled."))
        else:
            raise Http404(_("Nothing to remove here."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("organisations:manage", slug=item.slug)
