"""Bulk issuance with a real Redis broker and a real worker process that is killed in the middle of the job.

A 200-row CSV must end as exactly 200 awards, each with its baked PNGs, its PDF and one claim email in the
outbox, although the worker is SIGKILLed (whole process group) while it issues the rows and then started
again. The killed worker's unacknowledged messages (acks_late) come back once the broker's visibility
timeout passes; the test worker sets it to a few seconds (production keeps Celery's hour unless configured).
"""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from unittest import mock

import pytest
from celery import Celery

from credentials.bulk import services
from credentials.models import Achievement, Award, BulkJob, BulkRow
from credentials.services import achievement_save, issuer_create
from outbox.models import OutboxEmail
from tests.integration.queues import broker_and_worker_idle, delete_queues
from tests.support.processes import stop, wait_for

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
ROWS = 200
VISIBILITY_TIMEOUT = 8  # seconds before a killed worker's unacknowledged messages are delivered again

# `celery worker`, with broker transport options that the settings do not expose (no environment variable).
WORKER = """
import os, sys
from config.celery_app import app
app.conf.broker_transport_options = {
    "visibility_timeout": int(os.environ["TEST_VISIBILITY_TIMEOUT"]),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
app.worker_main(sys.argv[1:])
"""


def start_worker(*, database_name, redis_url, queue, media_root, log_path, name):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database_name}",
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # sub-tasks (chunks, images, emails) go to the private queue too, sends and PDFs to <queue>.mail and
        # <queue>.documents; without -Q the worker consumes the three, as `celery -A config worker` does
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": media_root,
        "TEST_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    with open(log_path, "ab") as log:  # a file, not a pipe: a full pipe would block the worker's logging
        return subprocess.Popen(
            [
                sys.executable, "-c", WORKER, "worker", "--loglevel=INFO", "--concurrency=2", "--pool=prefork",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--hostname", f"{name}-{queue}@%h",
                "--include", "credentials.bulk.tasks",  # harmless once credentials/tasks.py imports them
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def streak(check, *, times):
    """A condition that holds once `check` has held `times` times in a row."""
    held = 0

    def condition():
        nonlocal held
        held = held + 1 if check() else 0
        return held >= times

    return condition


def counts(achievement, media: Path) -> dict:
    return {
        "awards": Award.objects.filter(achievement=achievement).count(),
        "png": len(list((media / "baked").glob("*.png"))) if (media / "baked").exists() else 0,
        "pdf": len(list((media / "certificates").glob("*.pdf"))) if (media / "certificates").exists() else 0,
        "emails": OutboxEmail.objects.filter(kind="claim", award__achievement=achievement).count(),
        "sent": OutboxEmail.objects.filter(kind="claim", award__achievement=achievement, state="sent").count(),
    }


@pytest.mark.django_db(transaction=True)
def test_bulk_job_survives_a_killed_worker(settings, redis_url, default_framework, postgres, tmp_path):
    issuer = issuer_create(slug="centre", name="Test Centre", url="https://centre.example.org", email="b@example.org")
    achievement = achievement_save(
        achievement=Achievement(
            issuer=issuer,
            tier=default_framework.certificatetier_set.get(code="achievement"),  # a certificate: it has a PDF
            slug="negotiation",
            name="Negotiation Skills",
            description="Negotiates agreements between parties with different interests.",
            criteria_narrative="Lead a simulated negotiation to an agreement.",
            assessment_method="Observed simulation",
            evidence_required="Assessor report",
            hours=55,
            ects_credits=2,
            level=1,
            alignments=[
                {
                    "targetName": "negotiate",
                    "targetUrl": "http://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80",
                }
            ],
            validity_days=365,
        )
    )
    languages = ["en", "fr", "es"]
    text = "email,name,language\n" + "".join(
        f"learner{i:03d}@example.org,Learner {i:03d} Müller-Zoë,{languages[i % 3]}\n" for i in range(ROWS)
    )
    job = services.bulk_job_create(achievement=achievement, data=text.encode(), filename="cohort.csv")
    assert job.state == BulkJob.State.READY and job.valid_rows == ROWS

    media = Path(settings.MEDIA_ROOT)
    queue = f"laurel-test-{uuid.uuid4().hex[:8]}"
    log_path = tmp_path / "worker.log"
    worker_args = {
        "database_name": postgres.settings_dict["NAME"],
        "redis_url": redis_url,
        "queue": queue,
        "media_root": str(media),
        "log_path": log_path,
    }
    sender = Celery("laurel-test", broker=redis_url)
    worker = start_worker(**worker_args, name="first")
    restarted = None
    try:
        # The test process runs tasks in-process: send the job's run task to the worker's queue instead.
        def enqueue(job_id):
            sender.send_task("credentials.bulk.tasks.bulk_job_run", args=[job_id], queue=queue)

        with mock.patch.object(services, "_enqueue_run", enqueue):
            services.bulk_job_start(job=job)

        # Kill the whole worker (main process and its children) while it issues the rows.
        issued = wait_for(
            lambda: BulkJob.objects.values_list("created_count", flat=True).get(pk=job.pk) >= 40 or None,
            timeout=60,
            interval=0.01,
            what="the worker to start issuing",
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        job.refresh_from_db()
        issued = job.created_count
        assert issued and issued < ROWS, f"the kill should land mid-job, {issued} rows were issued"
        assert job.state == BulkJob.State.RUNNING
        at_kill = counts(achievement, media)
        assert at_kill["awards"] == issued  # batches commit whole: no award without its row marked done

        restarted = start_worker(**worker_args, name="second")
        wait_for(
            lambda: BulkJob.objects.filter(pk=job.pk, state=BulkJob.State.DONE).exists(),
            timeout=60,
            what="the job to finish after the restart",
        )
        wanted = {"awards": ROWS, "png": 3 * ROWS, "pdf": ROWS, "emails": ROWS, "sent": ROWS}  # all, ob3, ob2
        try:
            wait_for(lambda: counts(achievement, media) == wanted, timeout=90, what="every artefact and email")
        except AssertionError:
            got = counts(achievement, media)
            if got["emails"] == 0 and {k: v for k, v in got.items() if k not in ("emails", "sent")} == {
                k: v for k, v in wanted.items() if k not in ("emails", "sent")
            }:
                pytest.fail(f"only the claim emails are missing (is the claim email wired to award_issued?): {got}")
            raise AssertionError(f"{got} != {wanted}") from None
        # Exactly one of each, and nothing more to come: the queues hold no message of ours, waiting or
        # unacknowledged (a redelivery of the killed worker's chunk would be), and the worker runs no task;
        # twice in a row, so that a message between the broker and the worker's pool is not missed.
        wait_for(
            streak(lambda: broker_and_worker_idle(redis_url, queue, sender, f"second-{queue}@"), times=2),
            timeout=60,
            what="the queues and the worker to fall idle",
        )
        assert counts(achievement, media) == wanted
    finally:
        stop(worker, signal.SIGKILL)
        if restarted is not None:
            stop(restarted)
        delete_queues(redis_url, queue)

    job.refresh_from_db()
    assert (job.state, job.created_count, job.skipped_count, job.errors) == (BulkJob.State.DONE, ROWS, 0, [])
    rows = BulkRow.objects.filter(job=job)
    assert rows.filter(done=True).count() == ROWS and rows.values("award").distinct().count() == ROWS
    awards = Award.objects.filter(achievement=achievement)
    assert awards.values("idempotency_key").distinct().count() == ROWS
    assert awards.values("recipient_email").distinct().count() == ROWS
    for award in awards:
        assert (media / "baked" / f"{award.public_id}-ob3.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (media / "baked" / f"{award.public_id}-ob2.png").exists()
        assert (media / "baked" / f"{award.public_id}-all.png").exists()
        assert len(list((media / "certificates").glob(f"{award.public_id}-*.pdf"))) == 1
    emails = OutboxEmail.objects.filter(award__achievement=achievement, kind="claim")
    assert sorted(emails.values_list("dedupe_key", flat=True)) == sorted(f"claim:{a.pk}" for a in awards)
    log = log_path.read_text()
    # the chunk the killed worker held was delivered again to the restarted one (acks_late), which finished it
    assert log.count("Task credentials.bulk.tasks.bulk_job_chunk[") >= 2, log[-3000:]
    assert "bulk_job_chunk" in log.split("second-")[-1] and "succeeded" in log, log[-3000:]
