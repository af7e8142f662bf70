"""The learner's profile (edit, public page) and their data (export, delete)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..forms import DeleteAccountForm, ProfileForm
from .common import apply_errors, bound_data


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = services.profile_ensure(user=request.user)
    form = ProfileForm(
        *bound_data(request),
        initial={
            "handle": profile.handle,
            "display_name": profile.display_name,
            "headline": profile.headline,
            "is_public": profile.is_public,
        },
        profile_url=request.build_absolute_uri(profile.get_absolute_url()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("wallets:profile_edit")
    return render(
        request, "wallets/profile_edit.html", {"profile": profile, "form": form}, status=400 if form.errors else 200
    )


def profile(request, handle: str):
    item, cards, public_collections = selectors.profile_public(handle)
    return render(request, "wallets/profile.html", {"profile": item, "cards": cards, "collections": public_collections})


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    form = DeleteAccountForm(*bound_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        from django.contrib.auth import logout

        logout(request)
        messages.success(
            request, _("Your account and wallet were deleted. Credentials stay verifiable by their issuers' links.")
        )
        return redirect("home")
    return render(request, "wallets/data.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def my_data_export(request):
    handle = services.account_export(user=request.user)
    return FileResponse(handle, as_attachment=True, filename="laurel-my-data.zip", content_type="application/zip")
