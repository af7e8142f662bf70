"""Two member shares that complete a rule arrive at the same moment: exactly one organisation credential.
Threads with their own database connections, on SQLite (pass 1) and on PostgreSQL (the integration pass:
`DATABASE_URL=$TEST_DATABASE_URL pytest -m integration tests/organisations`)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from credentials.models import Award
from organisations.evaluation import organisation_evaluate
from organisations.models import OrganisationOutcome, SharedCredential
from organisations.services import credential_share

from .conftest import issue_to_organisation

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


def test_two_shares_completing_a_rule_at_once_issue_one_credential(vendor, world, inline_tasks):
    """The organisation holds its programme and one member shared; the last two members share together, each
    evaluation running once its own transaction commits."""
    world.rule()
    issue_to_organisation(world.institutional, world.organisation)
    credential_share(member=world.members["m1"], award=world.held["m1"], user=world.users["m1"])
    assert not Award.objects.filter(achievement=world.result).exists()

    def share(i, barrier):
        key = ("m2", "m3")[i]
        barrier.wait()
        return credential_share(member=world.members[key], award=world.held[key], user=world.users[key]).pk

    assert len(set(_together(share, 2))) == 2
    assert SharedCredential.objects.count() == 3
    assert Award.objects.filter(achievement=world.result).count() == 1
    assert OrganisationOutcome.objects.filter(organisation=world.organisation).count() == 1


def test_evaluations_racing_on_a_complete_rule_issue_one_credential(vendor, world, monkeypatch):
    """Everything is there; many evaluations (redelivered tasks, several announcements) start together."""
    from organisations import tasks

    monkeypatch.setattr(tasks.organisation_evaluate, "delay", lambda pk: None)  # evaluated below, at once
    monkeypatch.setattr(tasks.organisations_evaluate_awards, "delay", lambda ids: None)
    world.rule()
    issue_to_organisation(world.institutional, world.organisation)
    for key in ("m1", "m2", "m3"):
        SharedCredential.objects.create(member=world.members[key], award=world.held[key])

    def evaluate(i, barrier):
        barrier.wait()
        return len(organisation_evaluate(organisation_id=world.organisation.pk))

    assert sum(_together(evaluate, PARALLEL)) == 1
    [award] = Award.objects.filter(achievement=world.result)
    assert OrganisationOutcome.objects.get().award == award
