"""Benchmark: a 100,000-row bulk job end to end with 2 workers, PostgreSQL and Redis (issue 13.3).

    .venv/bin/python benchmarks/bulk_100k.py                      # 100,000 rows, 2 workers
    .venv/bin/python benchmarks/bulk_100k.py --rows 20000         # the same phases, smaller
    .venv/bin/python benchmarks/bulk_100k.py --pdf-seconds 0      # stop once the emails are sent

Target: END TO END (validation, awards, signatures, baked images, emails queued) at most 450 s for 100,000 rows,
linear from 44 s for 10,000 (benchmarks/bulk_issue.py, docs/benchmarks.md), with flat worker memory.

One clock from the upload, as benchmarks/bulk_issue.py (whose helpers it uses): validated, issued, emails
queued, baked PNGs, END TO END, emails sent. PDFs (documents queue, consumed last) are not waited for: at about
60 ms each, 100,000 take 50 minutes of two workers; the script counts those rendered during --pdf-seconds after
the emails are sent (a rate), then times one certificate rendered on its first download and the same download
again (served from storage). Worker memory: the resident size of each worker (main process and pool child)
every 5 s, first, peak and last. Status lists: how many the job used and how full they are. `uptime` before and
after. Own database (laurel_bench_100k_<pid>), media directory and Redis queue, all removed at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bulk_issue as base  # noqa: E402

ROOT = base.ROOT


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S607


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemorySampler(threading.Thread):
    """RSS of each worker tree (the main process and its prefork child) every `interval` seconds."""

    def __init__(self, pids: list[int], interval: float = 5.0):
        super().__init__(daemon=True)
        self.pids, self.interval = pids, interval
        self.samples: dict[int, list[float]] = {pid: [] for pid in pids}
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            for pid in self.pids:
                self.samples[pid].append(sum(_rss_mb(p) for p in [pid, *_children(pid)]))
            self.stopped.wait(self.interval)

    def report(self) -> list[str]:
        def trend(values):  # the resident size at each tenth of the run: a leak climbs, a plateau stays
            return " ".join(f"{values[min(len(values) - 1, len(values) * i // 10)]:.0f}" for i in range(11))

        return [
            f"worker {n}: first {values[0]:.0f} MB, peak {max(values):.0f} MB, last {values[-1]:.0f} MB "
            f"({len(values)} samples; by tenths of the run: {trend(values)})"
            for n, values in enumerate(self.samples.values())
            if values
        ]


def main() -> int:  # noqa: PLR0915 (one script, read top to bottom)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--timeout", type=int, default=7200)
    parser.add_argument("--pdf-seconds", type=int, default=60, help="count PDFs rendered for this long (0: skip)")
    args = parser.parse_args()

    database = f"laurel_bench_100k_{os.getpid()}"
    queue = f"laurel-bench-{uuid.uuid4().hex[:8]}"
    media = Path(tempfile.mkdtemp(prefix="laurel-bench100k-media-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"{base.PG}/{database}",
        "REDIS_URL": args.redis,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_RESULT_BACKEND": "cache+memory://",
        "EMAIL_URL": "memorymail://",
        "MEDIA_ROOT": str(media),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    print(f"before: {uptime()}")
    base.admin_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    base.admin_sql(f"CREATE DATABASE {database}")
    workers: list[subprocess.Popen] = []
    sampler = None
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        import django

        django.setup()
        from django.db.models import Count

        from credentials.artifacts import pdf
        from credentials.bulk import services
        from credentials.models import Award, BulkJob, StatusList
        from outbox.models import OutboxEmail

        achievement = base.bench_achievement()  # a certificate: its PDFs are the documents phase
        data = base.make_csv(args.rows)
        log_dir = media / "logs"
        log_dir.mkdir()
        workers = [base.start_worker(env, queue, n, log_dir) for n in range(args.workers)]
        time.sleep(3)
        sampler = MemorySampler([worker.pid for worker in workers])
        sampler.start()
        print(f"{args.rows:,} rows ({len(data) / 1024 / 1024:.1f} MB), {args.workers} workers, queue {queue}")

        t0 = time.perf_counter()
        job = services.bulk_job_create(achievement=achievement, data=data, filename="bench.csv")
        assert job.state == BulkJob.State.READY, job.errors[:5]
        services.bulk_job_start(job=job)
        print(f"  {'validated:':14s} {time.perf_counter() - t0:7.1f} s  dry run, rows stored, job started")

        milestones: dict[str, float] = {}

        def reached(name: str, done: bool, note: str) -> None:
            if done and name not in milestones:
                milestones[name] = time.perf_counter() - t0
                print(f"  {name + ':':14s} {milestones[name]:7.1f} s  {note}", flush=True)

        deadline = time.monotonic() + args.timeout
        png_dir = media / "baked"
        while "emails sent" not in milestones:
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out after {args.timeout} s ({milestones}):\n" + base.tail(log_dir))
            if any(worker.poll() is not None for worker in workers):
                raise SystemExit("a worker exited:\n" + base.tail(log_dir))
            reached("issued", BulkJob.objects.filter(pk=job.pk, state=BulkJob.State.DONE).exists(), "job done")
            queued = OutboxEmail.objects.filter(kind="claim").count()
            reached("emails queued", queued >= args.rows, "one claim email per award in the outbox")
            pngs = len(os.listdir(png_dir)) if png_dir.exists() else 0
            reached("baked PNGs", pngs >= 2 * args.rows, "OB 2.0 and 3.0 baked images in storage")
            in_scope = all(name in milestones for name in ("issued", "emails queued", "baked PNGs"))
            reached("END TO END", in_scope, "validation, awards, signatures, baked images, emails queued")
            sent = OutboxEmail.objects.filter(kind="claim", state=OutboxEmail.State.SENT).count()
            reached("emails sent", sent >= args.rows, "claim emails sent")
            time.sleep(1)

        pdf_dir = media / "certificates"
        pdf_count = len(os.listdir(pdf_dir)) if pdf_dir.exists() else 0
        if args.pdf_seconds:
            time.sleep(args.pdf_seconds)
            rendered = (len(os.listdir(pdf_dir)) if pdf_dir.exists() else 0) - pdf_count
            rate = rendered / args.pdf_seconds
            left = args.rows - pdf_count - rendered
            more = f"{left:,} left: about {left / rate / 60:.0f} min more" if rate else "none rendered"
            print(f"  PDFs: {pdf_count:,} when the emails were sent, then {rate:.1f}/s with {args.workers} workers "
                  f"({more})")  # fmt: skip
        cold, warm = Award.objects.filter(achievement=achievement).order_by("-pk")[:2]  # the last ones queued
        timings = []
        for award in (cold, warm, warm):
            started = time.perf_counter()
            pdf.certificate_pdf_file(award)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"  PDF on first download: {timings[0]:.0f} ms (first in this process), {timings[1]:.0f} ms (next); "
              f"downloaded again: {timings[2]:.0f} ms (from storage)")  # fmt: skip

        job.refresh_from_db()
        awards = Award.objects.filter(achievement=achievement).count()
        assert awards == job.created_count == args.rows, (awards, job.created_count)
        end = milestones["END TO END"]
        print(f"END TO END {end:.1f} s for {args.rows:,} rows, {args.workers} workers: {args.rows / end:.0f} rows/s")
        print("  status lists: " + ", ".join(
            f"#{row['status_list']}: {row['n']:,} of {StatusList.objects.get(pk=row['status_list']).size:,}"
            for row in Award.objects.values("status_list").annotate(n=Count("id")).order_by("status_list")
        ))  # fmt: skip
        sampler.stopped.set()
        for line in sampler.report():
            print(f"  {line}")
        print("  worker time by task (sum over workers):")
        for name, (count, total) in sorted(base.task_times(log_dir).items(), key=lambda item: -item[1][1]):
            print(f"    {name:42s} {count:6d} × {total / count * 1000:6.1f} ms = {total:7.1f} s")
        print(f"after: {uptime()}")
        return 0
    finally:
        if sampler is not None:
            sampler.stopped.set()
        for worker in workers:
            base.stop_worker(worker)
        base.clean_up(queue=queue, redis_url=args.redis, database=database, media=media)


if __name__ == "__main__":
    sys.exit(main())
