"""A programme's API keys (issue 12): list, create (the key is shown once), revoke. Managers only; the services
check again (`programmes.manage_staff` on the programme)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api.models import ApiKey
from api.services import api_key_create, api_key_revoke
from programmes.models import Role

from ..context import console_view
from .common import page

MANAGE = "programmes.manage_staff"


@never_cache
@console_view(MANAGE)
def api_keys(request, programme):
    created = None
    status = 200
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        role = request.POST.get("role", "")
        if not name or len(name) > 200 or role not in Role.values:
            messages.error(request, _("Give the key a name (at most 200 characters) and choose a role."))
            status = 400
        else:
            try:
                key, created = api_key_create(programme=programme, role=role, name=name, actor=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                status = 400
    keys = ApiKey.objects.filter(programme=programme).select_related("created_by").order_by("revoked_at", "name")
    return page(
        request,
        "staff/api_keys.html",
        {"keys": keys, "created": created, "roles": Role.choices},
        status=status,
    )


@console_view(MANAGE)
@require_POST
def api_key_revoke_view(request, programme, pk: int):
    key = ApiKey.objects.filter(programme=programme, pk=pk, revoked_at__isnull=True).first()
    if key is None:
        raise Http404(_("No such API key."))
    api_key_revoke(api_key=key, actor=request.user)
    messages.success(request, _("The key is revoked: requests that send it are refused from now on."))
    return redirect("staff:api_keys", programme=programme.slug)
