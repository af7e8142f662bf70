"""Every endpoint × every kind of caller: viewer, issuer and manager keys of programme A, a manager key of
programme B ("other"), a revoked key, no key, a bad key. The objects acted on belong to programme A."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from credentials.models import Award

from .conftest import issue, issue_body

pytestmark = pytest.mark.django_db

CALLERS = ["viewer", "issuer", "manager", "other", "revoked", "none", "bad"]
UNAUTH = {"revoked": 401, "none": 401, "bad": 401}
READ = {"viewer": 200, "issuer": 200, "manager": 200, "other": 200, **UNAUTH}
READ_A = {"viewer": 200, "issuer": 200, "manager": 200, "other": 403, **UNAUTH}
HIDDEN_A = {"viewer": 200, "issuer": 200, "manager": 200, "other": 404, **UNAUTH}


def write(ok: int) -> dict:
    return {"viewer": 403, "issuer": ok, "manager": ok, "other": 403, **UNAUTH}


@pytest.fixture
def objects(world):
    from credentials.bulk.services import bulk_job_create
    from events.services import event_create

    now = timezone.now()
    return {
        "award": issue(world.achievement_a, "lea@example.org", "Léa"),
        "job": bulk_job_create(
            achievement=world.achievement_a, data=b"email,name\nz@example.org,Zoe\n", filename="a.csv"
        ),
        "event": event_create(
            achievement=world.achievement_a,
            name="Forum",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
        ),
    }


def csv_upload():
    upload = io.BytesIO(b"email,name\nnew@example.org,New Person\n")
    upload.name = "people.csv"
    return upload


ENDPOINTS = {
    "programmes": ("get", lambda o: "/api/v1/programmes", None, READ),
    "programme": ("get", lambda o: "/api/v1/programmes/prog-a", None, HIDDEN_A),
    "framework": ("get", lambda o: "/api/v1/framework", None, READ),
    "achievements": ("get", lambda o: "/api/v1/achievements", None, READ),
    "achievement": ("get", lambda o: "/api/v1/achievements/negotiation", None, HIDDEN_A),
    "awards": ("get", lambda o: "/api/v1/awards", None, READ),
    "award": ("get", lambda o: f"/api/v1/awards/{o['award'].public_id}", None, READ_A),
    "issue": ("post", lambda o: "/api/v1/awards", lambda o: issue_body(), write(201)),
    "batch": (
        "post",
        lambda o: "/api/v1/awards/batch",
        lambda o: {"achievement": "negotiation", "awards": [{"recipient": {"email": "x@example.org", "name": "X"}}]},
        write(200),
    ),
    "revoke": (
        "post",
        lambda o: f"/api/v1/awards/{o['award'].public_id}/revoke",
        lambda o: {"reason": "Typo"},
        write(200),
    ),
    "reissue": (
        "post",
        lambda o: f"/api/v1/awards/{o['award'].public_id}/reissue",
        lambda o: {"reason": "Name misspelt", "recipient_name": "Léa Martin"},
        write(201),
    ),
    "resend": ("post", lambda o: f"/api/v1/awards/{o['award'].public_id}/resend-claim", lambda o: None, write(202)),
    "bulk_jobs": ("get", lambda o: "/api/v1/bulk-jobs", None, READ),
    "bulk_upload": (
        "multipart",
        lambda o: "/api/v1/bulk-jobs",
        lambda o: {"achievement": "negotiation", "file": csv_upload()},
        write(201),
    ),
    "bulk_job": ("get", lambda o: f"/api/v1/bulk-jobs/{o['job'].pk}", None, READ_A),
    "bulk_progress": ("get", lambda o: f"/api/v1/bulk-jobs/{o['job'].pk}/progress", None, READ_A),
    "bulk_start": ("post", lambda o: f"/api/v1/bulk-jobs/{o['job'].pk}/start", lambda o: None, write(202)),
    "events": ("get", lambda o: "/api/v1/events", None, READ),
    "event": ("get", lambda o: f"/api/v1/events/{o['event'].pk}", None, READ_A),
    "analytics": ("get", lambda o: "/api/v1/analytics", None, READ),
    "analytics_a": ("get", lambda o: "/api/v1/analytics?programme=prog-a", None, HIDDEN_A),
    "verify": (
        "post",
        lambda o: "/api/v1/verify",
        lambda o: {"credential": o["award"].credential},
        dict.fromkeys(CALLERS, 200),
    ),
}


def call(client, method, path, body):
    if method == "get":
        return client.get(path)
    if method == "multipart":
        return client.post(path, body, format="multipart")
    return client.post(path, body, format="json")


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_endpoint_by_caller(world, objects, endpoint, caller):
    method, path, body, expected = ENDPOINTS[endpoint]
    response = call(world.clients[caller], method, path(objects), body(objects) if body else None)
    assert response.status_code == expected[caller], response.content[:500]
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert (
            problem["status"] == response.status_code
            and problem["title"]
            and problem["type"].startswith("urn:laurel:problem:")
        )
    else:
        assert response["Content-Type"].startswith("application/json")


def test_a_key_of_programme_a_cannot_issue_programme_bs_achievement(world):
    """MUST SHOW: 403, nothing issued, nothing audited."""
    from audit.models import AuditEntry

    before = Award.objects.count()
    for path, body in [
        ("/api/v1/awards", issue_body("mediation")),
        (
            "/api/v1/awards/batch",
            {"achievement": "mediation", "awards": [{"recipient": {"email": "b@example.org", "name": "B"}}]},
        ),
    ]:
        response = world.clients["manager"].post(path, body, format="json")
        assert response.status_code == 403
        assert "credentials.add_award" in response.json()["detail"]
    assert Award.objects.count() == before
    assert not Award.objects.filter(achievement=world.achievement_b).exists()
    assert not AuditEntry.objects.filter(action="award.issue").exists()
    # and programme B's own key may
    assert world.clients["other"].post("/api/v1/awards", issue_body("mediation"), format="json").status_code == 201


def test_lists_show_only_the_callers_programme(world, objects):

    award_b = issue(world.achievement_b, "b@example.org", "B")
    for caller, programme, achievement, award in [
        ("viewer", "prog-a", "negotiation", objects["award"].public_id),
        ("other", "prog-b", "mediation", award_b.public_id),
    ]:
        client = world.clients[caller]
        assert [p["slug"] for p in client.get("/api/v1/programmes").json()["results"]] == [programme]
        assert [a["slug"] for a in client.get("/api/v1/achievements").json()["results"]] == [achievement]
        assert [a["id"] for a in client.get("/api/v1/awards").json()["results"]] == [award]
    assert world.clients["other"].get("/api/v1/events").json()["results"] == []
    assert world.clients["other"].get("/api/v1/bulk-jobs").json()["results"] == []


def test_drafts_are_listed_for_managers_only(world):
    from credentials.models import Achievement

    Achievement.objects.filter(pk=world.achievement_a.pk).update(status=Achievement.Status.DRAFT)
    for caller, expected in [("viewer", []), ("issuer", []), ("manager", ["negotiation"])]:
        assert [a["slug"] for a in world.clients[caller].get("/api/v1/achievements").json()["results"]] == expected
    assert world.clients["viewer"].get("/api/v1/achievements/negotiation").status_code == 404
    assert world.clients["manager"].get("/api/v1/achievements/negotiation").json()["status"] == "draft"


def test_claim_url_only_for_callers_who_may_issue(world, objects):
    path = f"/api/v1/awards/{objects['award'].public_id}"
    assert world.clients["viewer"].get(path).json()["claim_url"] is None
    assert "/claim/" in world.clients["issuer"].get(path).json()["claim_url"]


def test_the_console_session_is_accepted_with_csrf(world, django_user_model):
    from rest_framework.test import APIClient

    from programmes.models import StaffRole

    user = django_user_model.objects.create_user("ines", "ines@example.org", "pw")
    StaffRole.objects.create(user=user, programme=world.a, role="issuer")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/awards").status_code == 200
    response = client.post("/api/v1/awards", issue_body(), format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    client.get("/api/v1/awards")  # no cookie set by the API; take it from the session machinery
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.post("/api/v1/awards", issue_body(), format="json", HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret))
    assert response.status_code == 201
    assert Award.objects.get(public_id=response.json()["id"]).created_by == user


def test_programmes_and_achievements_carry_their_translations(world):
    """Issue 15.2: integrators read the translated texts (read-only) with the originals."""
    from credentials.models import Achievement

    Achievement.objects.filter(pk=world.achievement_a.pk).update(translations={"fr": {"name": "Négociation"}})
    client = world.clients["viewer"]
    [achievement] = client.get("/api/v1/achievements").json()["results"]
    assert achievement["translations"] == {"fr": {"name": "Négociation"}}
    [programme] = client.get("/api/v1/programmes").json()["results"]
    assert programme["translations"] == {}
