"""Laurel on two machines: two gunicorn processes on two ports and two Celery workers, one PostgreSQL database,
one Redis (and S3). Issue on A, verify on B; revoke on A: the next request to either says revoked. Both answer
/metrics (request latency by route, queue depths, outbox backlog, cache reads, and the task durations their
machine's worker wrote into the shared multiprocess directory); so do the workers' own listeners."""

import re
import uuid

import pytest
import requests

from tests.integration.cluster import issue, wait_for

pytestmark = pytest.mark.integration


def state(base: str, public_id: str) -> str:
    response = requests.get(f"{base}/c/{public_id}/", timeout=120)
    assert response.status_code == 200, response.text[:2000]
    found = re.search(r'class="status status-(\w+)"', response.text)
    assert found, response.text[:2000]
    return found.group(1)


def sample(text: str, name: str, **labels) -> float:
    """The sum of the samples of `name` whose labels include `labels`."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{key}="{value}"' in line for key, value in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


@pytest.mark.django_db(transaction=True)
def test_issue_on_one_verify_on_the_other_revoke_and_both_say_revoked(cluster, issuing):
    a, b = cluster.web
    public_id = issue(issuing, base=a, request_id=f"two-{uuid.uuid4().hex}")

    assert state(b, public_id) == "valid"
    assert state(a, public_id) == "valid"
    assert state(b, public_id) == "valid"  # asked twice: a page cache on B now holds it, if there is one

    revoked = requests.post(
        f"{a}/api/v1/awards/{public_id}/revoke", json={"reason": "Issued in error"}, headers=issuing.headers, timeout=60
    )
    assert revoked.status_code == 200, revoked.text[:2000]
    assert state(b, public_id) == "revoked"
    assert state(a, public_id) == "revoked"
    page = requests.get(f"{b}/c/{public_id}/", timeout=60).text
    assert "Issued in error" in page

    # Metrics, per machine: each /metrics adds up the processes of its own machine.
    for base in (a, b):
        assert requests.get(f"{base}/metrics", timeout=30).status_code == 404  # no token: no such page
        text = cluster.metrics(base)
        assert sample(text, "laurel_http_request_duration_seconds_count", route="c/<str:public_id>/") >= 2
        assert f'laurel_queue_depth{{queue="{cluster.queue}"}}' in text
        assert 'laurel_outbox_emails{state="queued"}' in text
        assert "laurel_cache_gets_total" in text
    tasks = wait_for(
        lambda: sum(
            sample(
                cluster.metrics(base), "laurel_task_duration_seconds_count", task="credentials.tasks.awards_bake_images"
            )
            for base in (a, b)
        ),
        timeout=120,
        interval=1,
        what="the workers' task durations in the web processes' metrics",
    )
    assert tasks >= 1
    # The workers' own listeners (for machines without a web process) report the same task durations.
    for base in cluster.worker_metrics:
        assert requests.get(f"{base}/metrics", timeout=30).status_code == 404
    from_workers = sum(
        sample(cluster.metrics(base), "laurel_task_duration_seconds_count", task="credentials.tasks.awards_bake_images")
        for base in cluster.worker_metrics
    )
    assert from_workers >= 1
