"""Importing Open Badges from elsewhere, and their pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import selectors, services, uploads
from ..forms import ImportForm
from .common import FILE_POLICY, apply_errors, bound_data, refused


@login_required
@require_http_methods(["GET", "POST"])
def import_credential(request):
    form = ImportForm(*bound_data(request), files=request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("file"):
                raw = uploads.read_limited(data["file"], uploads.MAX_IMPORT_BYTES)
                item = services.external_credential_import(user=request.user, data=raw, source="file")
            elif data.get("url"):
                url = data["url"].strip()
                item = services.external_credential_import(user=request.user, data=url, source="url", source_url=url)
            else:
                item = services.external_credential_import(user=request.user, data=data["text"], source="text")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("“%(name)s” was verified and added to your wallet.") % {"name": item.name})
            return redirect(item.get_absolute_url())
    return render(request, "wallets/import.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def external(request, public_id: str):
    try:
        item = selectors.external_for_owner(request.user, public_id)
    except selectors.NotInWallet:
        return refused(request, _("This imported credential is not in your wallet."))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "delete":
            services.external_credential_delete(user=request.user, item=item)
            messages.success(request, _("The imported credential was removed from your wallet."))
            return redirect("wallets:home")
        services.external_credential_update(user=request.user, item=item, is_public=action == "public")
        messages.success(request, _("Saved."))
        return redirect(item.get_absolute_url())
    return render(
        request,
        "wallets/external.html",
        {"item": item, "collections": selectors.collections_of(request.user)},
    )


def external_image(request, public_id: str):
    item = selectors.external_or_none(public_id)
    if item is None or not item.image:
        raise Http404("No image")
    if not (item.is_public or (request.user.is_authenticated and item.user_id == request.user.pk)):
        return refused(request, _("This image belongs to a private credential."))
    response = FileResponse(item.image.open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    return response
