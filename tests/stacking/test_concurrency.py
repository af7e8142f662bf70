"""The last two credentials of a stack arrive at the same moment: exactly one result credential. Threads with
their own database connections, on SQLite (pass 1) and on PostgreSQL (the integration pass:
`DATABASE_URL=$TEST_DATABASE_URL pytest -m integration tests/stacking`)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from credentials.models import Award
from stacking.models import StackingOutcome
from stacking.services import stacking_evaluate

from .conftest import EMAIL, give

PARALLEL = 8


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
            connections.close_all()  # this thread's connection

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_two_credentials_completing_a_stack_at_once_issue_one_result(vendor, rule, parts, result, inline_tasks):
    """Each thread issues one of the two credentials; each evaluation runs once its transaction commits."""

    def issue(i, barrier):
        barrier.wait()
        return give(parts[i]).pk

    assert len(set(_together(issue, 2))) == 2
    assert Award.objects.filter(achievement=result).count() == 1
    assert StackingOutcome.objects.filter(result=result).count() == 1


def test_evaluations_racing_on_a_complete_stack_issue_one_result(vendor, rule, parts, result, monkeypatch):
    """Both credentials are there; many evaluations (redelivered tasks, two announcements) start together."""
    from stacking import tasks

    monkeypatch.setattr(tasks.stacking_evaluate_awards, "delay", lambda ids: None)  # evaluated below, at once
    give(parts[0])
    give(parts[1])

    def evaluate(i, barrier):
        barrier.wait()
        return len(stacking_evaluate(email=EMAIL))

    assert sum(_together(evaluate, PARALLEL)) == 1
    [award] = Award.objects.filter(achievement=result)
    assert StackingOutcome.objects.get().award == award
