"""The console's answer to "may this user open this programme's page?", shared by the apps that serve console
pages of their own (applications, organisations, webhooks; communities adds its named managers on top).

Signed out → the sign-in redirect (returned); no role anywhere → 403; a programme the user cannot see (or no such
programme) → 404; seen but lacking `perm` → 403 with `refusal`; a GET of a POST-only action → 405 (returned),
once the user may know of the page. The services check the permission again.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext as _

import access

from .models import Programme
from .roles import roles_of

VIEW_PROGRAMME = "programmes.view_programme"


def console_programme(request, programme_slug: str, perm: str, *, post_only: bool = False, refusal: str = ""):
    """(programme, None) when the user may open the page, else (programme or None, the response to send);
    raises PermissionDenied or Http404 as above."""
    user = request.user
    if not user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    if not (access.allows(user, VIEW_PROGRAMME) or roles_of(user)):
        raise PermissionDenied(_("The staff console is for the staff of a programme."))
    programme = Programme.objects.filter(slug=programme_slug, is_active=True).first()
    if programme is None or not access.allows(user, VIEW_PROGRAMME, obj=programme):
        raise Http404(_("No such programme."))
    if not access.allows(user, perm, obj=programme):
        raise PermissionDenied(refusal or _("Your role in this programme does not allow this."))
    if post_only and request.method != "POST":
        return programme, HttpResponseNotAllowed(["POST"])
    return programme, None
