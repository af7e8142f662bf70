"""Every Team page URL under /staff/ (the rest of the console: test_staff_urls.py; both tables must cover
/staff/) × anonymous, learner, viewer, issuer and manager of the URL's programme, the
manager of another programme, a platform administrator: the expected status, and nothing changed by a refused
request (matrix.py STAFF_URLS holds the table)."""

import pytest

from programmes.models import Programme, StaffRole

from .matrix import PUBLIC, STAFF_URLS, attempt, staff_url

RANK = {"viewer": 1, "issuer": 2, "manager": 3}
ACTORS = ["anonymous", "learner", "viewer", "issuer", "manager", "manager of another programme", "platform admin"]


def _actors(w, django_user_model) -> dict:
    people = {"anonymous": None, "learner": w.learner}
    for role in ("viewer", "issuer", "manager"):
        people[role] = django_user_model.objects.create_user(role, f"{role}@example.org", "pw", is_staff=True)
        StaffRole.objects.create(user=people[role], programme=w.programme, role=role)
    other = Programme.objects.create(slug="green-jobs", name="Green Jobs")
    people["manager of another programme"] = django_user_model.objects.create_user("other-manager", is_staff=True)
    StaffRole.objects.create(user=people["manager of another programme"], programme=other, role="manager")
    people["platform admin"] = django_user_model.objects.create_user("root", is_staff=True, is_superuser=True)
    return people


def expectation(actor: str, case) -> str | int:
    """ "allowed", "login", or the status a refusal answers with."""
    if actor == "anonymous":
        return "allowed" if case.role == PUBLIC else "login"
    if case.method_not_allowed:
        return 405
    if case.role == PUBLIC or actor == "platform admin":
        return "allowed"
    if actor in RANK:
        return "allowed" if RANK[actor] >= RANK[case.role] else case.refused
    return case.stranger


@pytest.mark.django_db
def test_staff_urls(world, django_user_model):
    people = _actors(world, django_user_model)
    problems = []
    for name in sorted(STAFF_URLS):
        url = staff_url(name, world)
        for case in STAFF_URLS[name]:
            for actor in ACTORS:
                want = expectation(actor, case)
                response, changed = attempt(
                    people[actor],
                    case.method,
                    url,
                    data=case.data(world) if case.data else None,
                    watch=want != "allowed",
                )
                status = response.status_code
                if want == "allowed":
                    ok = status in case.allowed and "/accounts/login/" not in response.get("Location", "")
                elif want == "login":
                    ok = status == 302 and response["Location"].startswith("/accounts/login/") and not changed
                else:
                    ok = status == want and not changed
                if not ok:
                    problems.append(
                        f"{case.method} {url} as {actor}: {status}{', CHANGED' if changed else ''}; expected {want}"
                    )
    assert not problems, "\n".join(problems)
