"""Every staff console URL (Team pages: test_team_urls.py) ×
anonymous, no role, viewer / issuer / manager of programme A, a manager of
programme B only, a platform administrator: the expected status, and nothing changed by a refused request."""

import pytest
from django.db import transaction
from django.urls import reverse

from programmes.roles import PRESETS
from tests.staff.conftest import client_for, console  # noqa: F401 (the fixture)

from .matrix import STAFF_URLS as TEAM_URLS
from .matrix import snapshot
from .staff_matrix import CONSOLE, STAFF_URLS, staff_routes

ACTORS = ["anonymous", "none", "viewer", "issuer", "manager", "other", "admin"]


def test_every_staff_url_is_in_the_table():
    routes = staff_routes()
    tables = set(STAFF_URLS) | set(TEAM_URLS)  # the console's (staff_matrix.py), the Team pages' (matrix.py)
    missing = sorted(set(routes) - tables)
    assert not missing, f"URLs under /staff/ without an entry in staff_matrix.py or matrix.py STAFF_URLS: {missing}"
    stale = sorted(tables - set(routes))
    assert not stale, f"entries in STAFF_URLS for URLs that no longer exist: {stale}"


def expected(actor: str, case) -> int | str | bool:
    """True (allowed), "login", or the refusal's status."""
    if actor == "anonymous":
        return "login"
    if actor == "none":
        return 403
    if actor == "admin":
        return True
    if case.perm == CONSOLE:
        return True
    if actor == "other":
        return 404 if case.programme else True
    perms = {case.perm} if isinstance(case.perm, str) else set(case.perm)
    return True if perms <= PRESETS[actor] else 403


def _state():
    from credentials.models import Achievement

    return snapshot(), tuple(Achievement.objects.order_by("pk").values_list("pk", "status", "name"))


def attempt(user, case, url, w):
    client = client_for(user)
    with transaction.atomic():
        before = _state()
        query = case.query(w) if case.query else {}
        if case.method == "GET":
            response = client.get(url, query)
        else:
            response = client.post(url, case.data(w) if case.data else {}, query_params=query)
        try:
            changed = _state() != before
        except Exception:
            changed = True
        transaction.set_rollback(True)
    return response, changed


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_staff_urls(actor, console):  # noqa: F811
    w = console
    user = None if actor == "anonymous" else w.users[actor]
    problems = []
    for name in sorted(STAFF_URLS):
        for case in STAFF_URLS[name]:
            kwargs = {"programme": w.a.slug, **case.kwargs(w)} if case.programme else {}
            url = reverse(name, kwargs=kwargs)
            want = expected(actor, case)
            response, changed = attempt(user, case, url, w)
            status = response.status_code
            if want is True:
                ok = status in case.allowed and "/accounts/login/" not in response.get("Location", "")
            elif want == "login":
                ok = status == 302 and "/accounts/login/" in response["Location"] and not changed
            else:
                ok = status == want and not changed
            if not ok:
                problems.append(
                    f"{case.method} {url} ({case.perm}): {status}{', CHANGED' if changed else ''}; expected {want}"
                )
    assert not problems, f"as {actor}:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_staff_urls_of_another_programme_are_404_for_programme_a_staff(console):  # noqa: F811
    """An issuer of A on programme B's pages: 404 everywhere, B's award untouched."""
    w = console
    client = client_for(w.users["issuer"])
    for path in (f"/staff/p/{w.b.slug}/", f"/staff/p/{w.b.slug}/awards/{w.other_award.public_id}/"):
        assert client.get(path).status_code == 404
    response = client.post(f"/staff/p/{w.b.slug}/awards/{w.other_award.public_id}/revoke/", {"revoke-reason": "x"})
    assert response.status_code == 404
    w.other_award.refresh_from_db()
    assert w.other_award.state == "issued"
    # and A's URL with B's objects in it: not found either
    response = client.post(f"/staff/p/{w.a.slug}/awards/{w.other_award.public_id}/revoke/", {"revoke-reason": "x"})
    assert response.status_code == 404
