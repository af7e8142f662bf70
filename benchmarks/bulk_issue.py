"""Benchmark: bulk issuance of a 10,000-row CSV end to end, with 2 Celery workers, PostgreSQL and Redis.

    .venv/bin/python benchmarks/bulk_issue.py                 # 10,000 rows, 2 workers
    .venv/bin/python benchmarks/bulk_issue.py --rows 1000 --workers 2
    .venv/bin/python benchmarks/bulk_issue.py --rows 2000 --workers 1 --issue-only   # issuing only
    .venv/bin/python benchmarks/bulk_issue.py --target-only   # stop once the target's scope is done

What is timed, from one clock started before the upload:
  validated      the CSV parsed and checked (dry run) and its rows stored (bulk_job_create, in this process);
  issued         every award signed (Open Badges 3.0) and stored, the job done (bulk_job_run → chunks);
  emails queued  one claim email per award rendered in the recipient's language, in the outbox;
  baked PNGs     both baked images (OB 2.0 and 3.0) of every award in storage;
  END TO END     the last of the four above: the issue's target (validation, awards, signatures, baked
                 images, emails queued), at most 120 s for 10,000 rows with 2 workers;
then, unless --target-only, what the workers do next (lower-priority queues, same 2 workers):
  emails sent    every claim email sent (to Django's in-memory mail backend; mail queue);
  PDFs           every certificate PDF in storage (documents queue).

It creates its own database (`laurel_bench`, dropped at the end), media directory (temporary) and private
Redis queue (deleted at the end), starts the worker processes itself (`celery -A config worker
--concurrency=1` each, consuming the three queues in priority order as in production; settings
`config.settings.local` with DEBUG off) and stops them. Needs PostgreSQL
(user postgres, trust) on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (`python -m tests.services ensure`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATABASE = "laurel_bench"
PG = "postgres://postgres@127.0.0.1:5432"
LANGUAGES = ["en", "fr", "es"]
NAMES = ["Amina Okonkwo", "Léa Martin", "José García", "Jürgen Müller", "Zoë Saldaña", "François Lefèvre"]


def make_csv(rows: int) -> bytes:
    lines = ["email,name,external_id,language,evidence_url"]
    for i in range(rows):
        lines.append(
            f"learner{i:05d}@example.org,{NAMES[i % len(NAMES)]} {i},EXT-{i:05d},{LANGUAGES[i % 3]},"
            f"https://lms.example.org/evidence/{i}"
        )
    return ("\n".join(lines) + "\n").encode()


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def start_worker(env: dict, queue: str, n: int, log_dir: Path) -> subprocess.Popen:
    """One worker process consuming the default queue and its .mail and .documents queues (no -Q: the
    configured CELERY_TASK_QUEUES, named after CELERY_TASK_DEFAULT_QUEUE = `queue`)."""
    with open(log_dir / f"worker-{n}.log", "ab") as log:
        return subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--concurrency=1",
                "--pool=prefork", "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--hostname", f"bench{n}-{queue}@%h",
                "--include", "credentials.bulk.tasks",  # harmless once credentials/tasks.py imports them
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    try:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    except ProcessLookupError:
        pass


def tail(log_dir: Path, lines: int = 30) -> str:
    return "\n".join(
        f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
        for path in sorted(log_dir.glob("*.log"))
    )


def task_times(log_dir: Path) -> dict[str, tuple[int, float]]:
    """Per task name: (count, seconds), from the workers' "Task … succeeded in Xs" log lines."""
    pattern = re.compile(r"Task ([\w.]+)\[[^\]]+\] succeeded in ([\d.]+)s")
    times: dict[str, list[float]] = {}
    for path in log_dir.glob("*.log"):
        for match in pattern.finditer(path.read_text(errors="replace")):
            times.setdefault(match.group(1), []).append(float(match.group(2)))
    return {name: (len(values), sum(values)) for name, values in times.items()}


def clean_up(*, queue: str, redis_url: str, database: str, media: Path) -> None:
    """After a run (workers stopped): the database connections, the run's Redis queues, its database and media."""
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: S110 - Django may not be set up yet
        pass
    try:
        import redis

        names = [queue, f"{queue}.mail", f"{queue}.documents"]
        keys = [k for n in names for k in (n, f"_kombu.binding.{n}", f"_kombu.binding_permanent.{n}")]
        redis.Redis.from_url(redis_url).delete(*keys)
    except Exception as exc:
        print(f"could not delete the Redis queue {queue}: {exc}", file=sys.stderr)
    admin_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    shutil.rmtree(media, ignore_errors=True)


def bench_achievement():
    """The benchmarks' achievement: a certificate (it has a PDF, unlike a badge), of a fresh benchmark issuer.
    Call after django.setup()."""
    from credentials.models import Achievement
    from credentials.services import achievement_save, issuer_create
    from frameworks.services import framework_load_defaults

    framework, _created = framework_load_defaults()
    issuer = issuer_create(slug="bench", name="Benchmark Centre", url="https://bench.example.org",
                           email="badges@bench.example.org")  # fmt: skip
    return achievement_save(
        achievement=Achievement(
            issuer=issuer, tier=framework.certificatetier_set.get(code="achievement"), slug="negotiation",
            name="Negotiation Skills", description="Negotiates agreements between parties.",
            criteria_narrative="Lead a simulated negotiation.", assessment_method="Observed simulation",
            evidence_required="Assessor report", hours=55, ects_credits=2, level=1,
            alignments=[{"targetName": "negotiate", "targetUrl": "http://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80"}],
            validity_days=365,
        )
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes, one task at a time each")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--timeout", type=int, default=3600, help="give up after this many seconds")
    parser.add_argument(
        "--issue-only", action="store_true", help="stop when the job is done (do not wait for artefacts and emails)"
    )
    parser.add_argument(
        "--target-only", action="store_true", help="stop at END TO END (do not wait for emails sent and PDFs)"
    )
    args = parser.parse_args()

    queue = f"laurel-bench-{uuid.uuid4().hex[:8]}"
    media = Path(tempfile.mkdtemp(prefix="laurel-bench-media-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"{PG}/{DATABASE}",
        "REDIS_URL": args.redis,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_RESULT_BACKEND": "cache+memory://",  # results are not read: leave nothing behind in Redis
        "EMAIL_URL": "memorymail://",
        "MEDIA_ROOT": str(media),
        "LOG_LEVEL": "WARNING",  # this process; workers log task timings at INFO (read for the breakdown)
    }
    os.environ.update(env)  # this process uses the same settings as the workers

    admin_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    admin_sql(f"CREATE DATABASE {DATABASE}")
    workers: list[subprocess.Popen] = []
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        import django

        django.setup()
        from django.core.files.storage import default_storage  # noqa: F401

        from credentials.bulk import services
        from credentials.models import Award, BulkJob
        from outbox.models import OutboxEmail

        achievement = bench_achievement()
        data = make_csv(args.rows)

        log_dir = media / "logs"
        log_dir.mkdir()
        workers = [start_worker(env, queue, n, log_dir) for n in range(args.workers)]
        time.sleep(3)  # let them connect (not timed)
        print(f"{args.rows:,} rows ({len(data) / 1024:.0f} KiB), {args.workers} workers, queue {queue}")

        t0 = time.perf_counter()
        job = services.bulk_job_create(achievement=achievement, data=data, filename="bench.csv")
        assert job.state == BulkJob.State.READY, job.errors[:5]
        t_valid = time.perf_counter() - t0
        services.bulk_job_start(job=job)
        print(f"  {'validated:':14s} {t_valid:7.1f} s  dry run, rows stored")

        deadline = time.monotonic() + args.timeout
        pdf_dir, png_dir = media / "certificates", media / "baked"
        milestones: dict[str, float] = {}

        def reached(name: str, done: bool, note: str) -> None:
            if done and name not in milestones:
                milestones[name] = time.perf_counter() - t0
                print(f"  {name + ':':14s} {milestones[name]:7.1f} s  {note}", flush=True)

        while time.monotonic() < deadline:
            if any(w.poll() is not None for w in workers):
                raise SystemExit("a worker exited:\n" + tail(log_dir))
            job_done = BulkJob.objects.filter(pk=job.pk, state=BulkJob.State.DONE).exists()
            reached("issued", job_done, "every award signed and stored, job done")
            if job_done and args.issue_only:
                break
            pngs = len(os.listdir(png_dir)) if png_dir.exists() else 0
            pdfs = len(os.listdir(pdf_dir)) if pdf_dir.exists() else 0
            queued = OutboxEmail.objects.filter(kind="claim").count()
            sent = OutboxEmail.objects.filter(kind="claim", state=OutboxEmail.State.SENT).count()
            reached("emails queued", queued >= args.rows, "one claim email per award in the outbox")
            reached("baked PNGs", pngs >= 2 * args.rows, "OB 2.0 and 3.0 baked images in storage")
            in_scope = ("issued", "emails queued", "baked PNGs")
            reached("END TO END", all(name in milestones for name in in_scope), "the target's scope: all of the above")
            if args.target_only and "END TO END" in milestones:
                break
            reached("emails sent", sent >= args.rows, "claim emails sent")
            reached("PDFs", pdfs >= args.rows, "certificate PDFs in storage")
            if len(milestones) == 6:
                break
            time.sleep(0.25)
        else:
            raise SystemExit(f"timed out after {args.timeout} s ({milestones}):\n" + tail(log_dir))
        t_drained = time.perf_counter() - t0
        job.refresh_from_db()
        if args.issue_only:
            assert job.created_count == args.rows, job.created_count
            print(f"issued {args.rows:,} rows with {args.workers} workers in {milestones['issued']:.1f} s: "
                  f"{args.rows / milestones['issued']:.0f} rows/s")  # fmt: skip
            return 0
        awards = Award.objects.filter(achievement=achievement).count()
        assert awards == job.created_count == args.rows, (awards, job.created_count)
        end = milestones["END TO END"]
        print(
            f"END TO END {end:.1f} s for {args.rows:,} rows with {args.workers} workers: "
            f"{args.rows / end:.0f} rows/s (validation, awards, signatures, baked images, emails queued)"
        )
        print(f"  issuing alone: {milestones['issued']:.1f} s, {args.rows / milestones['issued']:.0f} rows/s")
        if not args.target_only:
            print(f"  everything drained (emails sent, PDFs): {t_drained:.1f} s")
        print(f"  counts: {awards} awards, {queued} claim emails queued, {pngs} baked PNGs, {pdfs} PDFs, {sent} sent")
        print("  worker time by task (sum over workers):")
        for name, (count, total) in sorted(task_times(log_dir).items(), key=lambda item: -item[1][1]):
            print(f"    {name:42s} {count:6d} × {total / count * 1000:6.1f} ms = {total:7.1f} s")
        return 0
    finally:
        for worker in workers:
            stop_worker(worker)
        clean_up(queue=queue, redis_url=args.redis, database=DATABASE, media=media)


if __name__ == "__main__":
    sys.exit(main())
