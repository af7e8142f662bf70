"""Who may use the console, and for which programme: resolved once per request by `console_view`.

As in pretix's control panel, the programme in the URL is resolved with the user's rights in it before the
view runs: a programme the user may not see answers 404 (the console does not tell who else exists), a page
of a programme they see but may not use answers 403 with the permission it needs. The services check again.

Platform administrators (superusers, or accounts holding `programmes.view_programme` globally) see every
programme; programme staff see the programmes they hold a role in (programmes.roles).
"""

from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import access
from multilingual.text import translated
from programmes.models import Programme
from programmes.roles import roles_of

VIEW = "programmes.view_programme"


def is_platform_admin(user) -> bool:
    return access.allows(user, VIEW)


def programmes_for(user):
    """The active programmes this user may see in the console (a queryset, ordered by name)."""
    programmes = Programme.objects.filter(is_active=True).order_by("name")
    if is_platform_admin(user):
        return programmes
    return programmes.filter(pk__in=list(roles_of(user)))


def may_use_console(user) -> bool:
    return is_platform_admin(user) or bool(roles_of(user))


NO_CONSOLE = gettext_lazy(
    "The staff console is for the staff of a programme. Your account holds no role in any programme: ask a "
    "manager of your programme to invite you, or an administrator."
)


@dataclass
class Console:
    """The request's programme and what the user may do in it (asked of `access`, as the services do)."""

    user: object
    programme: Programme | None = None
    _answers: dict = field(default_factory=dict)

    def can(self, perm: str) -> bool:
        if perm not in self._answers:
            self._answers[perm] = access.allows(self.user, perm, obj=self.programme)
        return self._answers[perm]

    @property
    def role(self) -> str | None:
        return roles_of(self.user).get(self.programme.pk) if self.programme else None

    @property
    def role_label(self) -> str:
        from programmes.models import Role

        if self.role:
            return str(Role(self.role).label)
        return str(_("Administrator")) if is_platform_admin(self.user) else ""


def console_view(perm: str = VIEW):
    """Decorate a console view: sign-in, a role somewhere, the programme of the URL (`programme` kwarg, a
    slug) visible to the user, and `perm` in it. Sets `request.console` and passes the Programme on."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may_use_console(user):
                raise PermissionDenied(NO_CONSOLE)
            console = Console(user=user)
            slug = kwargs.get("programme")
            if slug is not None:
                programme = Programme.objects.filter(slug=slug, is_active=True).first()
                if programme is None or not access.allows(user, VIEW, obj=programme):
                    raise Http404(_("No such programme."))
                console.programme = programme
                kwargs["programme"] = programme
                if not console.can(perm):
                    raise PermissionDenied(
                        _("Your role in %(programme)s does not allow this (it needs the permission “%(perm)s”).")
                        % {"programme": programme.name, "perm": perm}
                    )
            request.console = console
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def nav(request) -> list[dict]:
    """The console's navigation: plain entries {label, url, active}, each shown only when allowed.
    Analytics (`/staff/analytics/`) and the team pages (`/staff/p/<slug>/team/`) belong to other apps: linked
    by path."""
    console = getattr(request, "console", None)
    if console is None:
        return []
    current = request.resolver_match.url_name if request.resolver_match else ""
    entries = [{"label": _("Home"), "url": reverse("staff:index"), "active": current == "index"}]
    programme = console.programme
    if programme is not None:
        slug = {"programme": programme.slug}
        entries = [{"label": _("Home"), "url": reverse("staff:home", kwargs=slug), "active": current == "home"}]
        items = [
            ("Issue", "staff:issue", "credentials.add_award", ("issue", "job")),
            ("Achievements", "staff:achievements", "credentials.view_achievement", ("achievement",)),
            ("Awards", "staff:awards", "credentials.view_award", ("award",)),
            ("Recipients", "staff:recipients", "credentials.view_award", ("recipient",)),
            ("Stacking", "staff:stacking", "credentials.view_award", ("stacking",)),
            ("Events", "staff:events", "events.view_event", ("event",)),
            ("Communities", "community_staff:communities", "communities.view_community", ("communit",)),
            ("Organisations", "organisation_staff:organisations", "organisations.view_organisation", ("organisation",)),
            ("Applications", "application_staff:queue", "applications.view_application", ()),
        ]
        for label, name, perm, prefixes in items:
            if console.can(perm):
                entries.append(
                    {
                        "label": LABELS[label],
                        "url": reverse(name, kwargs=slug),
                        # an app's own pages (no url-name prefixes): active under its path
                        "active": current.startswith(prefixes)
                        if prefixes
                        else request.path.startswith(reverse(name, kwargs=slug)),
                    }
                )
        if console.can("programmes.view_analytics"):
            entries.append(
                {
                    "label": LABELS["Analytics"],
                    "url": reverse("analytics:programme", kwargs=slug),
                    "active": request.path.startswith("/staff/analytics/"),
                }
            )
        if console.can("programmes.manage_staff"):
            entries.append(
                {
                    "label": LABELS["Team"],
                    "url": reverse("programmes:team", kwargs=slug),
                    "active": request.path.startswith(f"/staff/p/{programme.slug}/team/"),
                }
            )
            entries.append(
                {
                    "label": LABELS["Webhooks"],
                    "url": reverse("webhooks:list", kwargs=slug),
                    "active": request.path.startswith(f"/staff/p/{programme.slug}/webhooks/"),
                }
            )
        if console.can("programmes.manage_staff"):
            entries.append(
                {
                    "label": LABELS["API keys"],
                    "url": reverse("staff:api_keys", kwargs=slug),
                    "active": current.startswith("api_key"),
                }
            )
    else:
        entries.append(
            {
                "label": LABELS["Analytics"],
                "url": reverse("analytics:dashboard"),
                "active": request.path.startswith("/staff/analytics/"),
            }
        )
    return entries


def chrome(request) -> dict:
    """Context processor: the console's navigation and programme switcher on the pages under /staff/ that other
    apps serve (analytics, the Team pages), so that every console page has the same frame. The console's own
    views set `request.console` (and pass the same keys themselves)."""
    if not request.path.startswith("/staff/") or not request.user.is_authenticated:
        return {}
    if getattr(request, "console", None) is None:
        if not may_use_console(request.user):
            return {}
        console = Console(user=request.user)
        slug = request.resolver_match.kwargs.get("programme") if request.resolver_match else None
        if isinstance(slug, str):
            programme = Programme.objects.filter(slug=slug, is_active=True).first()
            if programme is not None and access.allows(request.user, VIEW, obj=programme):
                console.programme = programme
        request.console = console
    return {
        "console": request.console,
        "nav": nav(request),
        "switcher": _switcher(request.user),
    }


def _switcher(user) -> list[dict]:
    """The programmes the user may switch to, named in the active language when translated."""
    programmes = programmes_for(user).only("slug", "name", "translations")
    return [{"slug": programme.slug, "name": translated(programme, "name")} for programme in programmes]


LABELS = {
    "Issue": gettext_lazy("Issue"),
    "Achievements": gettext_lazy("Achievements"),
    "Awards": gettext_lazy("Awards"),
    "Recipients": gettext_lazy("Recipients"),
    "Stacking": gettext_lazy("Stacking"),
    "Events": gettext_lazy("Events"),
    "Communities": gettext_lazy("Communities"),
    "Organisations": gettext_lazy("Organisations"),
    "Applications": gettext_lazy("Applications"),
    "Analytics": gettext_lazy("Analytics"),
    "Team": gettext_lazy("Team"),
    "Webhooks": gettext_lazy("Webhooks"),
    "API keys": gettext_lazy("API keys"),
}
