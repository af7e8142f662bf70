"""The permission matrix of the staff console: every URL → the permission it needs, and how to try it.

`URLS` is keyed by the admin URL name (the route for Django's unnamed redirects). test_urls.py walks the
admin site's resolver and fails on any URL missing here, so a new staff URL cannot ship without saying who
may open it. `ACTIONS` does the same for admin actions, `PREVIEWS` for the staff previews outside /admin/.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.test import Client
from django.urls import URLResolver, reverse

ANY_STAFF = "any staff"  # every member of staff, no permission needed (the index, their own password)
NOBODY = "nobody"  # refused to every account, superusers included (records that change only through services)
PUBLIC = "public"  # everyone (the login page)
LOGIN = "login"  # what outsiders (anonymous visitors, learners) get: a redirect to the admin login page

ISSUE = "credentials.add_award"
REVOKE = "credentials.revoke_award"
REISSUE = (REVOKE, ISSUE)


@dataclass(frozen=True)
class Case:
    """One way of calling a URL: method, the permission it needs, what `allowed` and `refused` look like."""

    method: str
    perm: str | tuple[str, ...]
    allowed: tuple[int, ...] = (200, 302)
    refused: int = 403
    outsider: int | str = LOGIN
    query: Callable | None = None  # world → GET parameters
    data: Callable | None = None  # world → POST data


def both(perm, **options) -> list[Case]:
    return [Case("GET", perm, **options), Case("POST", perm, **options)]


def model_urls(label: str, *, add=True, change=True, delete=True) -> dict[str, list[Case]]:
    """Django's five views of a ModelAdmin (and its redirect), with what the ModelAdmin allows: False for
    add, change or delete means nobody may (the records change through services only)."""
    app, model = label.split("/")
    name = f"{app}_{model}"
    view = f"{app}.view_{model}"

    def perm(action, possible):
        return f"{app}.{action}_{model}" if possible else NOBODY

    return {
        f"{name}_changelist": both(view),
        f"{name}_add": both(perm("add", add)),
        f"{name}_change": [Case("GET", view), Case("POST", perm("change", change))],
        f"{name}_delete": [
            Case("GET", perm("delete", delete)),
            Case("POST", perm("delete", delete), data=lambda w: {"post": "yes"}),
        ],
        f"{name}_history": both(view),
        f"{app}/{model}/<path:object_id>/": both(ANY_STAFF, allowed=(302,)),  # → the change page
    }


def _issue_data(w):
    return {"achievement": w.achievement.pk, "recipient_name": "Lea Martin", "recipient_email": "lea@example.org",
            "recipient_kind": "person"}  # fmt: skip


def _revoke(mode):
    return {
        "query": lambda w: {"ids": str(w.award.pk), "mode": mode},
        "data": lambda w: {"ids": [w.award.pk], "mode": mode, "reason": "Issued to the wrong person."},
    }


URLS: dict[str, list[Case]] = {
    # Django's own pages
    "index": both(ANY_STAFF, allowed=(200,)),
    "login": both(PUBLIC, allowed=(200, 302), outsider=200),
    "logout": [
        Case("GET", ANY_STAFF, allowed=(405,), outsider=302),
        Case("POST", ANY_STAFF, allowed=(200,), outsider=302),
    ],  # fmt: skip
    "password_change": both(ANY_STAFF, allowed=(200,)),
    "password_change_done": [Case("GET", ANY_STAFF, allowed=(200,)), Case("POST", ANY_STAFF, allowed=(405,))],
    "jsi18n": [Case("GET", ANY_STAFF, allowed=(200,)), Case("POST", ANY_STAFF, allowed=(405,))],
    "autocomplete": [Case("GET", NOBODY), Case("POST", NOBODY, refused=405)],  # no admin declares autocomplete
    "app_list": both("credentials.view_award", allowed=(200,), refused=404),  # tried on /admin/credentials/
    "view_on_site": both("credentials.view_award", allowed=(302,)),  # tried on an award
    "(?P<url>.*)$": both(ANY_STAFF, allowed=(404,)),  # any other address under /admin/
    "auth_user_password_change": both("auth.change_user", allowed=(200,)),
    # ours
    "credentials_award_issue": [
        Case("GET", ISSUE, allowed=(200,)),
        Case("POST", ISSUE, allowed=(302,), data=_issue_data),
    ],  # fmt: skip
    "credentials_award_revoke": [
        Case("GET", REVOKE, allowed=(200,), **_revoke("revoke")),
        Case("POST", REVOKE, allowed=(302,), **_revoke("revoke")),
        Case("GET", REISSUE, allowed=(200,), **_revoke("reissue")),
        Case("POST", REISSUE, allowed=(302,), **_revoke("reissue")),
    ],
    "credentials_bulkjob_template": both("credentials.add_bulkjob", allowed=(200,)),
    "credentials_bulkjob_start": [Case("GET", ISSUE, allowed=(405,)), Case("POST", ISSUE, allowed=(302,))],
    "credentials_bulkjob_progress": both("credentials.view_bulkjob", allowed=(200,)),
    "credentials_bulkjob_report": both("credentials.view_bulkjob", allowed=(200,)),
    **model_urls("account/emailaddress"),
    **model_urls("audit/auditentry", add=False, change=False, delete=False),
    **model_urls("auth/group"),
    **model_urls("auth/user"),
    **model_urls("credentials/achievement"),
    **model_urls("credentials/award", change=False, delete=False),
    **model_urls("credentials/bulkjob", change=False, delete=False),
    **model_urls("credentials/issuer"),
    **model_urls("outbox/outboxemail", add=False, change=False, delete=False),
    **model_urls("stacking/stackingoutcome", add=False, change=False, delete=False),
    **model_urls("credentials/statuslist", add=False, delete=False),
    **model_urls("events/event"),
    **model_urls("frameworks/badgecategory"),
    **model_urls("frameworks/certificatetier"),
    **model_urls("frameworks/framework", delete=False),
    **model_urls("frameworks/glossaryterm"),
    **model_urls("frameworks/stackingrule"),
    **model_urls("programmes/programme", delete=False),  # deactivated, never deleted
    **model_urls("programmes/staffrole"),
    **model_urls("programmes/staffinvite", change=False, delete=False),  # withdrawn and sent again
    **model_urls("wallets/collection", add=False, change=False, delete=False),
    **model_urls("wallets/endorsement", change=False, delete=False),
    **model_urls("wallets/externalcredential", add=False, change=False, delete=False),
    **model_urls("wallets/profile", add=False, change=False, delete=False),
    **model_urls("wallets/shareevent", add=False, change=False, delete=False),
}
URLS["credentials_award_add"] = both(ISSUE, allowed=(302,))  # → the issue form
URLS["auth_user_add"] = both(("auth.add_user", "auth.change_user"))  # Django asks for both
# Deleting the learner would delete wallet records that change only through wallets.services: nobody may.
URLS["auth_user_delete"] = [Case("GET", "auth.delete_user"), Case("POST", NOBODY, data=lambda w: {"post": "yes"})]
# Staff roles and invitations: Django's model permission and managing staff (what programmes.services asks).
STAFF = "programmes.manage_staff"
URLS["programmes_staffrole_add"] = both(("programmes.add_staffrole", STAFF))
URLS["programmes_staffrole_change"] = [
    Case("GET", "programmes.view_staffrole"),
    Case("POST", ("programmes.change_staffrole", STAFF)),
]  # fmt: skip
URLS["programmes_staffrole_delete"] = [
    Case("GET", ("programmes.delete_staffrole", STAFF)),
    Case("POST", ("programmes.delete_staffrole", STAFF), data=lambda w: {"post": "yes"}),
]  # fmt: skip
URLS["programmes_staffinvite_add"] = both(("programmes.add_staffinvite", STAFF))
URLS["credentials_bulkjob_change"] = both("credentials.view_bulkjob", allowed=(200,))  # the job page; a POST shows it

# Admin actions: (app_label.model) → action → the permission(s) it needs besides seeing the list.
ACTIONS: dict[str, dict[str, str | tuple[str, ...]]] = {
    "account.emailaddress": {
        "delete_selected": "account.delete_emailaddress",
        "make_verified": "account.change_emailaddress",
    },  # fmt: skip
    "auth.group": {"delete_selected": "auth.delete_group"},
    "auth.user": {"delete_selected": "auth.delete_user"},
    "credentials.achievement": {"delete_selected": "credentials.delete_achievement"},
    "credentials.award": {"revoke": REVOKE, "reissue": REISSUE},
    "credentials.issuer": {"delete_selected": "credentials.delete_issuer", "rotate_key": "credentials.change_issuer"},
    "outbox.outboxemail": {"retry_failed": "outbox.change_outboxemail"},
    "events.event": {"delete_selected": "events.delete_event"},
    "programmes.staffrole": {"delete_selected": ("programmes.delete_staffrole", "programmes.manage_staff")},
    "programmes.staffinvite": {"withdraw": "programmes.manage_staff"},
    "frameworks.framework": {"publish": "frameworks.change_framework", "new_version": "frameworks.add_framework"},
    **{
        f"frameworks.{model}": {"delete_selected": f"frameworks.delete_{model}"}
        for model in ("badgecategory", "certificatetier", "glossaryterm", "stackingrule")
    },
}

# Staff previews outside /admin/ (drafts of the framework): name → (model label, the permission).
PREVIEWS = {
    "frameworks:sample_badge": ("frameworks/badgecategory", "frameworks.view_badgecategory", 404),
    "frameworks:sample_badge_svg": ("frameworks/badgecategory", "frameworks.view_badgecategory", LOGIN),
    "frameworks:sample_certificate": ("frameworks/certificatetier", "frameworks.view_certificatetier", 404),
}


# --- Walking the resolver, building addresses ----------------------------------------------------------


def admin_routes() -> dict[str, str]:
    """Every URL of the admin site: its name (or route, for unnamed ones) → its route under /admin/."""
    routes = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                route = prefix + str(pattern.pattern)
                routes[pattern.name or route] = route

    walk(admin.site.urls[0])
    return routes


def admin_url(route: str, w) -> str:
    """A real address for a route: the world's object for <object_id>, <pk> and <id>."""
    if route.startswith("^("):  # app_list
        return "/admin/credentials/"
    if route == "(?P<url>.*)$":
        return "/admin/no-such-page/"
    if route.startswith("r/"):
        content_type = ContentType.objects.get_for_model(w.award)
        return f"/admin/r/{content_type.pk}/{w.award.pk}/"
    if "<" not in route:
        return "/admin/" + route
    app, model = route.split("/")[:2]
    return "/admin/" + re.sub(r"<(?:\w+:)?\w+>", lambda m: str(w.pks[f"{app}/{model}"]), route)


def preview_url(name: str, w) -> str:
    return reverse(name, kwargs={"pk": w.pks[PREVIEWS[name][0]]})


# --- Trying a request without keeping what it does ------------------------------------------------------


def _count_query() -> str:
    """One statement counting the rows of every model of the project (cheap enough to run twice a request)."""
    from django.apps import apps
    from django.db import connection

    watched = {"audit", "frameworks", "credentials", "events", "wallets", "auth", "account", "admin", "programmes"}
    tables = sorted(
        {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.app_label in watched}
    )
    quote = connection.ops.quote_name
    return "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)


def snapshot() -> tuple:
    """What a refused request must leave alone: the number of rows of every model of the project, the last
    audit entry, and the states and fields that staff actions change."""
    from django.apps import apps
    from django.db import connection

    from audit.models import AuditEntry
    from credentials.models import Award, BulkJob, SigningKey
    from events.models import Event
    from frameworks.models import Framework
    from outbox.models import OutboxEmail

    with connection.cursor() as cursor:
        cursor.execute(_count_query())
        counts = cursor.fetchone()
    states = (
        AuditEntry.objects.aggregate(last=Max("pk"))["last"],
        tuple(Award.objects.order_by("pk").values_list("pk", "state", "revocation_reason")),
        tuple(SigningKey.objects.order_by("pk").values_list("pk", "is_active")),
        tuple(Framework.objects.order_by("pk").values_list("pk", "status", "is_current", "title")),
        tuple(OutboxEmail.objects.order_by("pk").values_list("pk", "state")),
        tuple(BulkJob.objects.order_by("pk").values_list("pk", "state")),
        tuple(Event.objects.order_by("pk").values_list("pk", "name", "is_active", "closes_at")),
        tuple(apps.get_model("account", "EmailAddress").objects.order_by("pk").values_list("pk", "verified")),
        tuple(apps.get_model("auth", "User").objects.order_by("pk").values_list("pk", "password", "is_staff")),
        tuple(apps.get_model("programmes", "StaffRole").objects.order_by("pk").values_list("pk", "role")),
        tuple(apps.get_model("programmes", "StaffInvite").objects.order_by("pk").values_list("pk", "revoked_at")),
        tuple(apps.get_model("programmes", "Programme").objects.order_by("pk").values_list("pk", "name", "is_active")),
    )
    return counts, states


def client_of(user) -> Client:
    """A new client logged in as `user` (None: anonymous); one session per user object, made once (a fresh
    client each time: a request that logs out or changes the session leaves the next one alone)."""
    client = Client(raise_request_exception=False)
    if user is not None:
        if not hasattr(user, "session_cookies"):
            login = Client()
            login.force_login(user)
            user.session_cookies = login.cookies
        client.cookies.update(user.session_cookies)
    return client


def attempt(user, method: str, url: str, *, query=None, data=None, watch=True):
    """Send one request as `user` (None: anonymous) inside a savepoint that is rolled back afterwards, so every
    attempt starts from the same world. Returns the response and whether anything changed (with `watch`)."""
    client = client_of(user)
    with transaction.atomic():
        before = snapshot() if watch else None
        if method == "GET":
            response = client.get(url, query or {})
        else:
            response = client.post(url, data or {}, query_params=query or {})
        try:
            changed = watch and snapshot() != before
        except Exception:  # the request broke the transaction: count it as a change
            changed = True
        transaction.set_rollback(True)
    return response, changed


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


# --- The staff console outside /admin/ (/staff/…) ------------------------------------------------------
# Programme pages answer by the actor's role in the programme of the URL: `role` is the least role that may
# (manager > issuer > viewer; platform administrators may everything), or PUBLIC. Below it: `refused` (403);
# signed in without a role there (a learner, the staff of another programme): `stranger` (404, which does not
# tell them the programme exists); anonymous: a redirect to the sign-in page. test_staff_urls.py walks every URL
# under /staff/ and fails on one missing here.


@dataclass(frozen=True)
class StaffCase:
    method: str
    role: str
    allowed: tuple[int, ...] = (200, 302)
    refused: int = 403
    stranger: int = 404
    data: Callable | None = None  # world → POST data
    method_not_allowed: bool = False  # a POST-only URL tried with GET: 405 for every signed-in user


def post_only(role, data=None) -> list[StaffCase]:
    return [StaffCase("GET", role, method_not_allowed=True), StaffCase("POST", role, allowed=(302,), data=data)]


STAFF_URLS: dict[str, list[StaffCase]] = {
    "programmes:team": [StaffCase("GET", "manager", allowed=(200,)), StaffCase("POST", "manager", allowed=(200,))],
    "programmes:invite": post_only(
        "manager", data=lambda w: {"email": "new@example.org", "role": "viewer", "language": "en"}
    ),
    "programmes:role_change": post_only("manager", data=lambda w: {"role": "viewer"}),
    "programmes:remove": [StaffCase("GET", "manager", allowed=(200,)), StaffCase("POST", "manager", allowed=(302,))],
    "programmes:invite_withdraw": post_only("manager"),
    # the invitation link: anyone who has it sees it; signed in, a POST accepts it
    "programmes:invite_accept": [StaffCase("GET", PUBLIC, allowed=(200,)), StaffCase("POST", PUBLIC)],
}


def staff_routes() -> dict[str, str]:
    """Every URL of the site under /staff/: "namespace:name" → its route."""
    from django.urls import URLPattern, get_resolver

    routes = {}

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if route.startswith("staff/"):
                    routes[f"{namespace}{pattern.name}" if pattern.name else route] = route

    walk(get_resolver().url_patterns)
    return routes


def staff_url(name: str, w) -> str:
    """A real address: the world's programme, its staff role or invitation, the invitation's link."""
    from programmes.services import invite_token

    values = {
        "programme": w.programme.slug,
        "pk": w.invite.pk if "invite" in name else w.staff_role.pk,
        "token": invite_token(w.invite),
    }
    route = staff_routes()[name]
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
