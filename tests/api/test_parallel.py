"""Parallel duplicates: the same POST with the same Idempotency-Key sent at once from several threads makes one
award (the unique constraints of the stored response and of the award's idempotency key), on PostgreSQL."""

import threading

import pytest
from django.db import connection

from credentials.models import Award

from .conftest import client_with, issue_body

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_parallel_duplicates_make_one_award(world):
    token = world.tokens["issuer"]
    barrier = threading.Barrier(4)
    answers = []

    def send():
        client = client_with(token)
        barrier.wait()
        try:
            response = client.post("/api/v1/awards", issue_body(), format="json", HTTP_IDEMPOTENCY_KEY="race-1")
            answers.append((response.status_code, response.json().get("id")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Award.objects.count() == 1
    award = Award.objects.get()
    assert all(status in (201, 409) for status, _id in answers), answers
    assert {award_id for status, award_id in answers if status == 201} == {award.public_id}
