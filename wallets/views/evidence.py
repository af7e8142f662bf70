"""Evidence pages: add, show or hide, delete, and the file itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import EvidenceForm
from .common import FILE_POLICY, apply_errors, holder_only, refused
from .wallet import detail_context


@login_required
@require_POST
@holder_only
def evidence_add(request, public_id: str):
    view = selectors.holder_view(request.user, public_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                user=request.user,
                award=view.award,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                narrative=form.cleaned_data["narrative"],
                url=form.cleaned_data["url"],
                upload=form.cleaned_data.get("file"),
                is_public=form.cleaned_data["is_public"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your evidence was added."))
            return redirect(reverse("wallets:detail", kwargs={"public_id": public_id}) + "#evidence-heading")
    context = detail_context(request, view, evidence_form=form)
    context["focus_evidence"] = True
    return render(request, "wallets/detail.html", context, status=400)


@login_required
@require_POST
def evidence_change(request, public_id: str):
    action = request.POST.get("action")
    try:
        if action == "delete":
            services.evidence_delete(user=request.user, public_id=public_id)
            messages.success(request, _("The evidence was deleted."))
        else:
            item = services.evidence_set_visibility(user=request.user, public_id=public_id, is_public=action == "show")
            messages.success(
                request,
                _("The evidence is shown on the verification page.")
                if item.is_public
                else _("The evidence is now visible only to you."),
            )
    except ValidationError as exc:
        return refused(request, " ".join(exc.messages))
    back = request.POST.get("back", "")
    if back.startswith("/wallet/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("wallets:home")


def evidence_file(request, public_id: str):
    try:
        item = selectors.evidence_for_download(request.user, public_id)
    except PermissionError:
        return refused(
            request,
            _("This file is private: only the person who added it can open it."),
            title=_("This evidence is private"),
        )
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=item.content_type == "application/pdf",
        filename=item.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cache-Control"] = "private, no-store"
    return response
