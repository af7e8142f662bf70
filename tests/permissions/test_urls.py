"""Every staff URL × anonymous, learner, staff without permission, staff with exactly the permission it needs:
the expected status, and nothing changed by a refused request (matrix.py holds the table)."""

import pytest

from tests.conftest import make_staff

from .matrix import (
    ANY_STAFF,
    LOGIN,
    NOBODY,
    PREVIEWS,
    PUBLIC,
    URLS,
    admin_routes,
    admin_url,
    attempt,
    is_login_redirect,  # fmt: skip
    preview_url,
)

ACTORS = ["anonymous", "learner", "staff without permission", "staff with the permission"]


def test_every_admin_url_is_in_the_table():
    routes = admin_routes()
    missing = sorted(set(routes) - set(URLS))
    assert not missing, f"staff URLs without an entry in tests/permissions/matrix.py URLS: {missing}"
    stale = sorted(set(URLS) - set(routes))
    assert not stale, f"entries in URLS for URLs that no longer exist: {stale}"


class Users:
    """The accounts of one actor kind; staff "with the permission" are made per permission set."""

    def __init__(self, django_user_model, w):
        self.model = django_user_model
        self.learner = w.learner
        self.no_rights = make_staff(django_user_model, "no-rights")
        self.superuser = make_staff(django_user_model, "root", is_superuser=True)
        self.holders = {}

    def holding(self, perm):
        perms = (perm,) if isinstance(perm, str) else tuple(perm)
        if perms not in self.holders:
            self.holders[perms] = make_staff(self.model, f"holder-{len(self.holders)}", *perms)
        return self.holders[perms]

    def expectation(self, actor: str, case):
        """(user, True if the request is allowed / False if refused / the outsider's status)."""
        if actor == "anonymous":
            return None, True if case.perm == PUBLIC else case.outsider
        if actor == "learner":
            return self.learner, True if case.perm == PUBLIC else case.outsider
        if actor == "staff without permission":
            return self.no_rights, case.perm in (ANY_STAFF, PUBLIC)
        if case.perm == NOBODY:
            return self.superuser, False
        if case.perm in (ANY_STAFF, PUBLIC):
            return self.no_rights, True
        return self.holding(case.perm), True


def check(user, expected, case, url, w) -> str | None:
    """None when the response is what the matrix says, else the problem in words."""
    response, changed = attempt(
        user,
        case.method,
        url,
        query=case.query(w) if case.query else None,
        data=case.data(w) if case.data else None,
        watch=expected is not True,
    )
    status = response.status_code
    if expected is True:
        ok = status in case.allowed and not is_login_redirect(response)
        want = f"one of {case.allowed}"
    elif expected is False:
        ok, want = status == case.refused and not changed, f"{case.refused}, nothing changed"
    elif expected == LOGIN:
        ok, want = is_login_redirect(response) and not changed, "a redirect to the admin login, nothing changed"
    else:
        ok, want = status == expected and not changed, f"{expected}, nothing changed"
    if ok:
        return None
    where = f" → {response['Location']}" if status in (301, 302) else ""
    return f"{case.method} {url} {case.perm}: {status}{where}{', CHANGED' if changed else ''}; expected {want}"


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_admin_urls(actor, world, django_user_model):
    users = Users(django_user_model, world)
    problems = []
    for name, route in sorted(admin_routes().items()):
        for case in URLS[name]:
            user, expected = users.expectation(actor, case)
            problem = check(user, expected, case, admin_url(route, world), world)
            if problem:
                problems.append(f"{name}: {problem}")
    assert not problems, f"as {actor}:\n" + "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_draft_previews(actor, world, django_user_model):
    """Framework previews outside /admin/: a draft's images and pages only for staff who may see the part."""
    from .matrix import Case

    users = Users(django_user_model, world)
    problems = []
    for name, (_label, perm, outsider) in PREVIEWS.items():
        case = Case("GET", perm, allowed=(200,), refused=404 if outsider == 404 else 403, outsider=outsider)
        user, expected = users.expectation(actor, case)
        problem = check(user, expected, case, preview_url(name, world), world)
        if problem:
            problems.append(f"{name}: {problem}")
    assert not problems, f"as {actor}:\n" + "\n".join(problems)
