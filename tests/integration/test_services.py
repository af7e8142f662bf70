"""PostgreSQL, Redis and a real Celery worker process (pass 2 of tests/run.sh; must run under CI=true)."""

import os
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.core.files.storage import default_storage

from frameworks.models import BadgeCategory
from frameworks.samples import sample_badge_path
from tests.integration.queues import delete_queues

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def test_database_is_postgresql(postgres, db):
    with postgres.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert "PostgreSQL" in cursor.fetchone()[0]


def test_redis_answers(redis_url):
    client = redis.Redis.from_url(redis_url)
    key = f"laurel-test-{uuid.uuid4()}"
    client.set(key, "1", ex=10)
    assert client.get(key) == b"1"


@pytest.mark.django_db
def test_healthz_with_postgresql_and_redis(client, settings, redis_url):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_url
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["database"]["vendor"] == "postgresql" and data["broker"]["kind"] == "redis"


def _start_worker(*, database_name, redis_url, queue, media_root, only_default=True):
    """A worker of the default queue `queue` (-Q), or of its three queues (no -Q) with `only_default=False`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database_name}",
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": media_root,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=INFO",
            "--concurrency=1",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            *(["-Q", queue] if only_default else []),
            "--hostname",
            f"test-{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


@pytest.mark.django_db(transaction=True)
def test_real_worker_consumes_a_real_task_from_redis(settings, redis_url, default_framework, postgres):
    """A worker process takes frameworks.tasks.render_framework_samples from Redis and renders into storage."""
    categories = list(BadgeCategory.objects.filter(framework=default_framework).select_related("framework"))
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)  # publishing rendered them in-process: start empty
    assert not any(default_storage.exists(sample_badge_path(c)) for c in categories)
    queue = f"laurel-test-{uuid.uuid4().hex[:8]}"
    database_name = postgres.settings_dict["NAME"]
    worker = _start_worker(
        database_name=database_name, redis_url=redis_url, queue=queue, media_root=settings.MEDIA_ROOT
    )
    try:
        sender = Celery("laurel-test", broker=redis_url, backend=redis_url)
        result = sender.send_task("frameworks.tasks.render_framework_samples", args=[default_framework.pk], queue=queue)
        rendered = result.get(timeout=120)
        assert rendered == len(categories) >= 9
        for category in categories:
            path = sample_badge_path(category)
            assert default_storage.exists(path), path
            with default_storage.open(path, "rb") as handle:
                assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            output, _ = worker.communicate()
    assert "render_framework_samples" in output and "succeeded" in output, output[-3000:]


@pytest.mark.django_db(transaction=True)
def test_a_worker_takes_the_default_queue_first_then_mail_then_documents(redis_url, postgres, settings):
    """Tasks waiting in the three queues when a worker starts: it runs the default queue's first (issuing,
    images, claim emails), then the mail queue's, then the documents queue's (PDFs), whatever their order of
    arrival (CELERY_TASK_QUEUES with the "priority" order strategy)."""
    queue = f"laurel-test-{uuid.uuid4().hex[:8]}"
    sender = Celery("laurel-test", broker=redis_url, backend=redis_url)
    pdfs = [sender.send_task("credentials.tasks.awards_render_pdfs", args=[[]], queue=f"{queue}.documents")
            for _ in range(3)]  # fmt: skip
    sends = [sender.send_task("credentials.mail_tasks.outbox_send_many", args=[[]], queue=f"{queue}.mail")
             for _ in range(2)]  # fmt: skip
    images = [sender.send_task("credentials.tasks.awards_bake_images", args=[[]], queue=queue) for _ in range(2)]
    worker = _start_worker(
        database_name=postgres.settings_dict["NAME"], redis_url=redis_url, queue=queue,
        media_root=settings.MEDIA_ROOT, only_default=False,
    )  # fmt: skip
    try:
        for result in (*images, *sends, *pdfs):
            result.get(timeout=120)
        done = {name: [r.date_done for r in group] for name, group in (("images", images), ("sends", sends),
                                                                       ("pdfs", pdfs))}  # fmt: skip
        assert max(done["images"]) <= min(done["sends"]), done
        assert max(done["sends"]) <= min(done["pdfs"]), done
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.communicate()
        delete_queues(redis_url, queue)
