"""Laurel as it runs on more than one machine, on this one: an S3-compatible server (moto in server mode), two
gunicorn processes on two ports and two Celery workers, sharing one PostgreSQL database (the test's) and one
Redis. "Machine" 1 is gunicorn A and worker 1, machine 2 gunicorn B and worker 2: each pair shares a Prometheus
multiprocess directory (as processes of one machine would) and nothing else but the database, Redis and S3.
Every file goes to the bucket; the local MEDIA_ROOT and PRIVATE_MEDIA_ROOT the processes are given must stay
empty (asserted by the tests).
"""

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import requests

from tests.integration.queues import delete_queues
from tests.support.processes import free_port, stop, wait_for

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "laurel-files"
METRICS_TOKEN = "metrics-token-for-the-integration-test"
EMAIL = "amina.okonkwo@example.org"


@dataclass
class Cluster:
    s3_url: str
    web: list[str]  # base URLs of gunicorn A and B
    worker_metrics: list[str]  # base URLs of the workers' own /metrics listeners (WORKER_METRICS_PORT)
    queue: str
    tmp: Path
    processes: list = field(default_factory=list)

    def s3(self):
        return boto3.client(
            "s3", endpoint_url=self.s3_url, aws_access_key_id="test", aws_secret_access_key="test",
            region_name="us-east-1",
        )  # fmt: skip

    def objects(self, prefix: str = "") -> dict[str, bytes]:
        client = self.s3()
        listing = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
        return {o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listing}

    def local_files(self) -> list[Path]:
        """Files the processes wrote to their local media directories (there must be none)."""
        return [p for name in ("media", "private") for p in (self.tmp / name).rglob("*") if p.is_file()]

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def metrics(self, base: str) -> str:
        response = requests.get(f"{base}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=30)
        assert response.status_code == 200, response.text[:500]
        return response.text


def issue(issuing, *, base: str, request_id: str) -> str:
    """POST /api/v1/awards on `base` with the `issuing` fixture's key; the new award's public id."""
    response = requests.post(
        f"{base}/api/v1/awards",
        json={"achievement": issuing.achievement.slug, "recipient": {"email": EMAIL, "name": "Amina Okonkwo"}},
        headers={**issuing.headers, "X-Request-ID": request_id},
        timeout=120,
    )
    assert response.status_code == 201, response.text[:2000]
    assert response.headers["X-Request-ID"] == request_id
    return response.json()["id"]


def _spawn(args, *, env, log_path):
    with open(log_path, "ab") as log:  # a file, not a pipe: a full pipe would block the process
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def start(*, database_name: str, redis_url: str, tmp: Path) -> Cluster:
    """Start everything and wait until both web processes answer /healthz; stop it with `shutdown`."""
    s3_port, port_a, port_b, metrics_1, metrics_2 = (free_port() for _ in range(5))
    cluster = Cluster(
        s3_url=f"http://127.0.0.1:{s3_port}",
        web=[f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"],
        worker_metrics=[f"http://127.0.0.1:{metrics_1}", f"http://127.0.0.1:{metrics_2}"],
        queue=f"laurel-test-{uuid.uuid4().hex[:8]}",
        tmp=tmp,
    )
    try:
        moto = [sys.executable, "-c", "import sys; from moto.server import main; sys.exit(main())"]
        cluster.processes.append(
            _spawn([*moto, "-H", "127.0.0.1", "-p", str(s3_port)], env=dict(os.environ), log_path=tmp / "s3.log")
        )
        wait_for(lambda: _answers(cluster.s3_url), timeout=60, what="the S3 server")
        cluster.s3().create_bucket(Bucket=BUCKET)

        base_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database_name}",
            "REDIS_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": cluster.queue,
            "BASE_URL": cluster.web[0],
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": cluster.s3_url,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "MEDIA_ROOT": str(tmp / "media"),
            "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
            "LOG_FORMAT": "json",
            "REQUEST_ID_FROM_PROXY": "true",
            "METRICS_TOKEN": METRICS_TOKEN,
            "API_RATE": "10000/min",
        }
        for n, port, worker_port in ((1, port_a, metrics_1), (2, port_b, metrics_2)):
            multiproc = tmp / f"prometheus-{n}"
            multiproc.mkdir()
            env = {**base_env, "PROMETHEUS_MULTIPROC_DIR": str(multiproc)}
            cluster.processes.append(
                _spawn(
                    [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application",
                     "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2", "--timeout", "120"],
                    env=env, log_path=tmp / f"web-{n}.log",
                )
            )  # fmt: skip
            cluster.processes.append(
                _spawn(
                    [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--concurrency=1",
                     "--pool=prefork", "--without-gossip", "--without-mingle", "--without-heartbeat",
                     "--hostname", f"worker{n}-{cluster.queue}@%h"],
                    env={**env, "WORKER_METRICS_PORT": str(worker_port)}, log_path=tmp / f"worker-{n}.log",
                )
            )  # fmt: skip
        for n, base in enumerate(cluster.web, start=1):
            wait_for(lambda base=base: _answers(f"{base}/healthz"), timeout=120, what=f"gunicorn {n}")
    except BaseException:
        shutdown(cluster, redis_url)
        raise
    return cluster


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code < 500
    except requests.RequestException:
        return False


def shutdown(cluster: Cluster, redis_url: str) -> None:
    for process in reversed(cluster.processes):
        stop(process)
    delete_queues(redis_url, cluster.queue)
