"""Filters, cursor pagination, query budgets, problem details, throttling, verification, resend."""

from datetime import timedelta

import pytest
from django.utils import timezone

from credentials.models import Award
from credentials.services import award_revoke
from outbox.models import OutboxEmail

from .conftest import client_with, issue, issue_body

pytestmark = pytest.mark.django_db


def issue_many(achievement, count, **extra):
    return [issue(achievement, f"p{i}@example.org", f"P {i}", **extra) for i in range(count)]


def test_issuing_answers_the_issue_credential_json_fields(world):
    response = world.clients["issuer"].post("/api/v1/awards", issue_body(narrative="Well done"), format="json")
    assert response.status_code == 201
    data = response.json()
    for name in (
        "id",
        "verify_url",
        "ob2_assertion_url",
        "ob3_credential_url",
        "baked_png_url",
        "claim_url",
    ):
        assert data[name], name
    assert data["pdf_url"] is None  # a badge (publishing mode) has no certificate
    assert response["Location"] == f"/api/v1/awards/{data['id']}"
    assert data["recipient"] == {
        "email": "amina@example.org",
        "name": "Amina Okonkwo",
        "kind": "person",
        "language": "en",
    }
    award = Award.objects.get(public_id=data["id"])
    assert award.created_by == world.keys["issuer"].account  # the key is named in the award and audit
    from audit.models import AuditEntry

    assert AuditEntry.objects.get(action="award.issue").actor_id == world.keys["issuer"].account_id
    # the verify_url serves the verification page
    from django.test import Client

    assert Client().get(data["verify_url"].replace("http://testserver", "")).status_code == 200


def test_filters(world):
    awards = issue_many(world.achievement_a, 3)
    award_revoke(award=awards[0], reason="Typo")
    old = issue(world.achievement_a, "old@example.org", "Old", issued_at=timezone.now() - timedelta(days=400))
    client = world.clients["viewer"]

    def ids(query):
        response = client.get("/api/v1/awards", query)
        assert response.status_code == 200, response.content
        return {a["id"] for a in response.json()["results"]}

    assert ids({"state": "revoked"}) == {awards[0].public_id}
    assert ids({"state": "expired"}) == {old.public_id}
    assert ids({"state": "issued"}) == {awards[1].public_id, awards[2].public_id}
    assert ids({"recipient": "P1@Example.org"}) == {awards[1].public_id}
    assert ids({"achievement": "negotiation"}) == {a.public_id for a in awards} | {old.public_id}
    assert ids({"achievement": "mediation"}) == set()
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids({"issued_after": since}) == {a.public_id for a in awards}
    assert ids({"issued_before": since}) == {old.public_id}
    response = client.get("/api/v1/awards", {"state": "lost", "issued_after": "yesterday"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"state", "issued_after"}


def test_cursor_pagination_walks_every_award_once(world):
    issue_many(world.achievement_a, 5)
    client = world.clients["viewer"]
    seen, url = [], "/api/v1/awards?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [a["id"] for a in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 5
    assert client.get("/api/v1/awards?cursor=garbage").json()["errors"] == {
        "cursor": ["This cursor is not valid: use a `next` link."]
    }


@pytest.mark.parametrize(
    "path", ["/api/v1/awards", "/api/v1/achievements", "/api/v1/events", "/api/v1/bulk-jobs", "/api/v1/programmes"]
)
def test_list_query_budgets(world, path, django_assert_max_num_queries):
    from credentials.bulk.services import bulk_job_create
    from events.services import event_create

    issue_many(world.achievement_a, 20)
    now = timezone.now()
    for i in range(5):
        event_create(achievement=world.achievement_a, name=f"E{i}", opens_at=now, closes_at=now + timedelta(days=1))
        bulk_job_create(
            achievement=world.achievement_a, data=f"email,name\nx{i}@example.org,X\n".encode(), filename="a.csv"
        )
    client = world.clients["viewer"]
    client.get("/api/v1/programmes")  # last_used_at written once
    with django_assert_max_num_queries(3):  # the key, the page (and a join or two done in one query)
        response = client.get(path)
    assert response.status_code == 200 and response.json()["results"]


def test_unknown_urls_and_objects_are_problems(world):
    client = world.clients["viewer"]
    for path in ["/api/v1/nothing-here", "/api/v1/awards/nope", "/api/v1/events/99999", "/api/v1/bulk-jobs/9999"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["type"] == "urn:laurel:problem:not-found"


def test_invalid_input_names_each_field(world):
    response = world.clients["issuer"].post(
        "/api/v1/awards", {"achievement": "negotiation", "recipient": {"email": "nope"}}, format="json"
    )
    assert response.status_code == 400
    problem = response.json()
    assert set(problem["errors"]) == {"recipient.email", "recipient.name"}
    assert (
        world.clients["issuer"].post("/api/v1/awards", "not json", content_type="application/json").status_code == 400
    )
    unknown = world.clients["issuer"].post("/api/v1/awards", issue_body("no-such"), format="json")
    assert unknown.status_code == 404


def test_throttled_per_key_with_a_problem(world, settings):
    settings.API_RATE = "3/min"
    client = world.clients["viewer"]
    statuses = [client.get("/api/v1/programmes").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/programmes")
    assert response["Content-Type"] == "application/problem+json" and int(response["Retry-After"]) > 0
    # another key has its own budget
    assert world.clients["issuer"].get("/api/v1/programmes").status_code == 200


def test_verify_is_public_and_uses_the_verifier(world, client):
    award = issue(world.achievement_a, "a@example.org", "A")
    response = client.post(
        "/api/v1/verify", {"credential": award.credential, "email": "a@example.org"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["valid"] is True
    tampered = dict(award.credential, name="Forged")
    assert (
        client.post("/api/v1/verify", {"credential": tampered}, content_type="application/json").json()["valid"]
        is False
    )
    garbage = client.post("/api/v1/verify", {"credential": "{not json"}, content_type="application/json").json()
    assert garbage["valid"] is False and garbage["problem"]
    assert client.post("/api/v1/verify", {}, content_type="application/json").status_code == 400


def test_resend_claim_is_limited_and_audited(world):
    """Through the console's service (credentials.workflow.award_resend_claim): one email queued, not twice in a
    short while, not for a revoked award; audited with the key's account."""
    from audit.models import AuditEntry

    award = issue(world.achievement_a, "a@example.org", "A")
    client = world.clients["issuer"]
    path = f"/api/v1/awards/{award.public_id}/resend-claim"
    first = client.post(path)
    assert first.status_code == 202 and first.json()["queued"] is True
    assert OutboxEmail.objects.filter(award=award, to_email="a@example.org").count() == 1
    too_soon = client.post(path)
    assert too_soon.status_code == 400 and "minutes" in too_soon.json()["detail"]
    assert OutboxEmail.objects.filter(award=award).count() == 1
    entry = AuditEntry.objects.get(action="award.resend_claim")
    assert entry.actor_id == world.keys["issuer"].account_id and entry.programme_id == world.a.pk
    other = issue(world.achievement_a, "b@example.org", "B")
    award_revoke(award=other, reason="x")
    refused = client.post(f"/api/v1/awards/{other.public_id}/resend-claim")
    assert refused.status_code == 400 and "revoked" in refused.json()["detail"]


def test_bulk_job_dry_run_report_start_and_progress(world, django_capture_on_commit_callbacks):
    import io

    client = world.clients["issuer"]
    bad = io.BytesIO(b"email,name\nnot-an-address,X\n")
    bad.name = "bad.csv"
    report = client.post("/api/v1/bulk-jobs", {"achievement": "negotiation", "file": bad}, format="multipart").json()
    assert report["state"] == "invalid" and report["errors"][0]["line"] == 2
    assert client.post(f"/api/v1/bulk-jobs/{report['id']}/start").status_code == 400
    good = io.BytesIO(b"email,name\na@example.org,A\nb@example.org,B\n")
    good.name = "good.csv"
    job = client.post("/api/v1/bulk-jobs", {"achievement": "negotiation", "file": good}, format="multipart").json()
    assert job["state"] == "ready" and job["valid_rows"] == 2
    with django_capture_on_commit_callbacks(execute=True):  # the workers run after commit
        assert client.post(f"/api/v1/bulk-jobs/{job['id']}/start").status_code == 202
    progress = client.get(f"/api/v1/bulk-jobs/{job['id']}/progress").json()
    assert progress["finished"] and progress["created"] == 2
    assert Award.objects.filter(recipient_email__in=["a@example.org", "b@example.org"]).count() == 2
    not_csv = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 50)
    not_csv.name = "x.png"
    response = client.post("/api/v1/bulk-jobs", {"achievement": "negotiation", "file": not_csv}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()["errors"]


def test_reissue_links_the_new_award(world):
    award = issue(world.achievement_a, "a@example.org", "Lea")
    response = world.clients["issuer"].post(
        f"/api/v1/awards/{award.public_id}/reissue", {"reason": "Name", "recipient_name": "Léa"}, format="json"
    )
    assert response.status_code == 201
    data = response.json()
    assert data["replaces"] == award.public_id and data["recipient"]["name"] == "Léa"
    assert client_with(world.tokens["viewer"]).get(f"/api/v1/awards/{award.public_id}").json()["state"] == "revoked"
