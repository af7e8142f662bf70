"""Idempotency-Key: a retry returns the first response and never a second award; the same key with another
body is refused (422); a key still being answered is 409; refused requests may be corrected and retried."""

import pytest

from api.models import IdempotentRequest
from credentials.models import Award

from .conftest import issue, issue_body

pytestmark = pytest.mark.django_db


def post(client, path, body, key):
    return client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_returns_the_same_award(world):
    client = world.clients["issuer"]
    first = post(client, "/api/v1/awards", issue_body(), "completion-42-7")
    second = post(client, "/api/v1/awards", issue_body(), "completion-42-7")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Award.objects.count() == 1
    # without a key, the same body is a new award
    assert client.post("/api/v1/awards", issue_body(), format="json").status_code == 201
    assert Award.objects.count() == 2


def test_the_same_key_with_another_body_is_422(world):
    client = world.clients["issuer"]
    assert post(client, "/api/v1/awards", issue_body(), "k1").status_code == 201
    response = post(client, "/api/v1/awards", issue_body(email="other@example.org"), "k1")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert Award.objects.count() == 1


def test_keys_are_kept_per_api_key(world):
    """Another key's client using the same Idempotency-Key value is another request."""
    assert post(world.clients["issuer"], "/api/v1/awards", issue_body(), "same").status_code == 201
    assert post(world.clients["manager"], "/api/v1/awards", issue_body(), "same").status_code == 201
    assert Award.objects.count() == 2


def test_a_key_still_being_answered_is_409(world):
    key = world.keys["issuer"]
    IdempotentRequest.objects.create(owner=f"key:{key.pk}", key="busy", fingerprint="x" * 64)
    response = post(world.clients["issuer"], "/api/v1/awards", issue_body(), "busy")
    assert response.status_code == 422  # another fingerprint
    IdempotentRequest.objects.all().delete()
    # the same fingerprint, unanswered: 409
    first = post(world.clients["issuer"], "/api/v1/awards", issue_body(), "busy")
    row = IdempotentRequest.objects.get(key="busy")
    IdempotentRequest.objects.filter(pk=row.pk).update(status=None, body=None)
    response = post(world.clients["issuer"], "/api/v1/awards", issue_body(), "busy")
    assert first.status_code == 201 and response.status_code == 409
    assert Award.objects.count() == 1


def test_a_lost_response_never_issues_twice(world):
    """Even if the stored response is lost (or two requests race past it), the award's own idempotency key,
    derived from the header and unique in the database, returns the award already issued."""
    client = world.clients["issuer"]
    first = post(client, "/api/v1/awards", issue_body(), "lost")
    IdempotentRequest.objects.all().delete()
    again = post(client, "/api/v1/awards", issue_body(), "lost")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert Award.objects.count() == 1


def test_a_refused_request_can_be_corrected_with_the_same_key(world):
    client = world.clients["issuer"]
    bad = post(client, "/api/v1/awards", issue_body(email="not-an-address"), "fixme")
    assert bad.status_code == 400
    assert not IdempotentRequest.objects.exists()
    assert post(client, "/api/v1/awards", issue_body(), "fixme").status_code == 201


def test_a_batch_retry_issues_nothing_twice(world):
    body = {
        "achievement": "negotiation",
        "awards": [
            {"recipient": {"email": "a@example.org", "name": "A"}},
            {"recipient": {"email": "b@example.org", "name": "B"}},
            {"recipient": {"email": "c@example.org", "name": "C"}, "expires_at": "2001-01-01T00:00:00Z"},
        ],
    }
    client = world.clients["issuer"]
    first = post(client, "/api/v1/awards/batch", body, "batch-1")
    assert first.status_code == 200
    data = first.json()
    assert (data["issued"], data["refused"]) == (2, 1)
    assert "expires_at" in data["results"][2]["errors"]  # refused by the service, item by item
    IdempotentRequest.objects.all().delete()  # even without the stored response
    again = post(client, "/api/v1/awards/batch", body, "batch-1")
    assert [r["award"]["id"] for r in again.json()["results"][:2]] == [r["award"]["id"] for r in data["results"][:2]]
    assert Award.objects.count() == 2


def test_a_revoke_retry_returns_the_first_answer(world):

    award = issue(world.achievement_a, "a@example.org", "A")
    client = world.clients["issuer"]
    path = f"/api/v1/awards/{award.public_id}/revoke"
    first = post(client, path, {"reason": "Typo"}, "rev-1")
    second = post(client, path, {"reason": "Typo"}, "rev-1")
    assert first.status_code == second.status_code == 200 and second.json()["state"] == "revoked"
    # without the key the second revoke is refused: already revoked
    assert client.post(path, {"reason": "Typo"}, format="json").status_code == 400


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "tab\tinside"])
def test_malformed_keys_are_refused(world, key):
    response = post(world.clients["issuer"], "/api/v1/awards", issue_body(), key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert Award.objects.count() == 0


def test_old_answers_are_purged_and_a_late_retry_still_issues_once(world):
    from datetime import timedelta

    from django.utils import timezone

    from api.tasks import idempotent_requests_purge

    client = world.clients["issuer"]
    first = post(client, "/api/v1/awards", issue_body(), "old")
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(days=2))
    post(client, "/api/v1/awards", issue_body(), "fresh")
    assert idempotent_requests_purge() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["fresh"]
    late = post(client, "/api/v1/awards", issue_body(), "old")
    assert late.json()["id"] == first.json()["id"] and "Idempotent-Replayed" not in late
    assert Award.objects.count() == 2
