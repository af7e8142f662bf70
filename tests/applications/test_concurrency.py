"""Two reviewers approve the same application at the same moment (a member of staff in the console and the
nominee through the link, or two staff): exactly one credential. Threads with their own database connections, on
SQLite (pass 1) and on PostgreSQL (the integration pass: `DATABASE_URL=$TEST_DATABASE_URL pytest -m integration
tests/applications`), where the application's row lock decides."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from applications.models import Application, ApplicationReview
from applications.services import application_decide
from applications.tokens import TokenError, review_tokens
from credentials.models import Award


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.integration),
    ]
)
def vendor(request, transactional_db):
    if connection.vendor != request.param:
        pytest.skip(f"runs in the pass on {request.param}; this one is on {connection.vendor}")
    return request.param


def _together(work, count):
    barrier = threading.Barrier(count, timeout=60)

    def run(i):
        try:
            return work(i, barrier)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_parallel_approvals_issue_one_credential(vendor, world, submitted):
    token = review_tokens.make_token(submitted)
    staff = [world.users["issuer"], world.users["manager"]]

    def approve(i, barrier):
        application = Application.objects.get(pk=submitted.pk)
        barrier.wait()
        try:
            if i == 0:
                application_decide(application=application, decision="approve", token=token)
            else:
                application_decide(application=application, decision="approve", actor=staff[i % 2])
        except (ValidationError, TokenError):
            return "refused"
        except Exception as exc:  # SQLite may refuse the second writer outright ("database is locked")
            if vendor == "sqlite" and "locked" in str(exc):
                return "refused"
            raise
        return "approved"

    results = _together(approve, 4)
    assert results.count("approved") == 1, results
    assert Award.objects.filter(achievement=world.application_badge).count() == 1
    assert ApplicationReview.objects.count() == 1
    assert Application.objects.get().state == "approved"
