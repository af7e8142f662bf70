"""Load test (issue 13.4): mixed traffic against gunicorn + PostgreSQL + Redis + 2 Celery workers, headless locust.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/laurel_scale .venv/bin/python benchmarks/load.py
    ... benchmarks/load.py --rates 10,20,40,60,80 --step 30 --confirm 120

The database is one seed_scale filled (its awards, status lists and wallet learner are the traffic's targets).
The script starts gunicorn (`config.wsgi`, --gunicorn-workers sync workers (4), settings `config.settings.local`
with DEBUG off, Redis as cache, broker and analytics buffer) and 2 Celery workers (`celery -A config worker
--concurrency=1`, the default, mail and documents queues under a queue name of its own), then runs locust
headless with this file as the locustfile, one user per request a second (`constant_throughput(1)`):

    verification pages 70%  `/c/<id>/` of random seeded awards
    badge images       15%  `/c/<id>/badge.png` of 500 awards (rendered once before the run: baked images are
                            derived data, stored at the first request)
    status lists        5%  `/status/<n>`
    wallet              5%  `/wallet/` of the seeded learner holding 300 credentials (a session made beforehand)
    API issue           5%  `POST /api/v1/awards` with an API key of the issuer role and an Idempotency-Key

Each rate of --rates runs --step seconds; a rate passes with no error and a p99 of at most 100 ms (all requests
together). The ramp stops at the first rate with an error or whose achieved rate falls short of 90% of the
target (the server no longer keeps up). The highest passing rate (or, when none passes, the highest rate served
without error) is then run for --confirm seconds (the issue's two minutes). Prints a row per run and
`uptime` after each, and the server's CPU time per request (gunicorn, Celery workers, PostgreSQL backends of
this database, read with psutil): what two free cores could serve, whatever the machine's load.
The per-key API limit (API_RATE, 600/min by default) is raised for the run: it measures capacity, not the
abuse limit. Awards issued by the run stay in the database (under @load.example.org).

Run by hand instead (the same thing, for a server started elsewhere): start gunicorn and the workers as
`start_server`/`start_worker` below do, write the data file with `--prepare-only`, then
`LAUREL_LOAD_DATA=<file> locust -f benchmarks/load.py --headless -u 40 -r 40 -t 120s --host http://127.0.0.1:8765`.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import uuid

if __name__ != "__main__":  # imported by locust (which patches the standard library with gevent on import)
    from locust import HttpUser, constant_throughput, task

    _DATA = json.loads(open(os.environ["LAUREL_LOAD_DATA"]).read())  # noqa: SIM115

    class Visitor(HttpUser):
        wait_time = constant_throughput(1)

        @task(70)
        def verification_page(self):
            self.client.get(f"/c/{random.choice(_DATA['awards'])}/", name="/c/<id>/")

        @task(15)
        def badge_image(self):
            self.client.get(f"/c/{random.choice(_DATA['badges'])}/badge.png", name="/c/<id>/badge.png")

        @task(5)
        def status_list(self):
            self.client.get(f"/status/{random.choice(_DATA['lists'])}", name="/status/<n>")

        @task(5)
        def wallet(self):
            self.client.get("/wallet/", name="/wallet/", cookies={_DATA["session_cookie"]: _DATA["session"]})

        @task(5)
        def api_issue(self):
            number = uuid.uuid4().hex[:12]
            with self.client.post(
                "/api/v1/awards",
                name="POST /api/v1/awards",
                json={
                    "achievement": _DATA["achievement"],
                    "recipient": {"email": f"learner.{number}@load.example.org", "name": f"Load Learner {number}"},
                },
                headers={"Authorization": f"Bearer {_DATA['api_key']}", "Idempotency-Key": number},
                catch_response=True,
            ) as response:
                if response.status_code != 201:
                    response.failure(f"{response.status_code}: {response.text[:200]}")


def main() -> int:  # noqa: C901 (a script: set up, ramp, confirm, tear down)
    import argparse
    import signal
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", default="10,20,30,40,60,80,100,130,160,200", help="Requests a second to try.")
    parser.add_argument("--step", type=int, default=30, help="Seconds per rate of the ramp.")
    parser.add_argument("--confirm", type=int, default=120, help="Seconds at the highest passing rate (0: skip).")
    parser.add_argument("--gunicorn-workers", type=int, default=4, help="Sync workers (2 x cores).")
    parser.add_argument("--celery-workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--redis", default=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6"))
    parser.add_argument("--p99", type=float, default=100, help="p99 limit in ms.")
    parser.add_argument("--prepare-only", action="store_true", help="Write the data file and stop.")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name the PostgreSQL database seed_scale filled.")
    work = Path(tempfile.mkdtemp(prefix="laurel-load-"))
    queue = f"laurel-load-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "REDIS_URL": args.redis,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_RESULT_BACKEND": "cache+memory://",
        "EMAIL_URL": "memorymail://",
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(work / "media")),
        "API_RATE": "1000000/min",
        "LOG_LEVEL": "WARNING",
        "DATABASE_CONN_MAX_AGE": "60",
    }
    os.environ.update(env)
    data_file = work / "data.json"
    processes: list[subprocess.Popen] = []

    def start(command: list[str], log: str) -> subprocess.Popen:
        with open(work / log, "ab") as out:
            process = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)  # fmt: skip
        processes.append(process)
        return process

    def stop_all() -> None:
        for process in processes:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=30)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)

    base = f"http://127.0.0.1:{args.port}"
    try:
        prepare(data_file, args)
        print(f"data: {data_file}; logs in {work}")
        if args.prepare_only:
            return 0
        bin_dir = Path(sys.executable).parent
        start([str(bin_dir / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{args.port}",
               "--workers", str(args.gunicorn_workers), "--access-logfile", "-", "--log-level", "warning"],
              "gunicorn.log")  # fmt: skip
        for n in range(args.celery_workers):
            start([sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--concurrency=1",
                   "--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", f"load{n}-{queue}@%h"],
                  f"worker-{n}.log")  # fmt: skip
        _wait_for(base + "/healthz")
        warm(base, json.loads(data_file.read_text()))
        best = steady = None  # best: no error, p99 within the limit; steady: no error and the rate achieved
        for rate in [int(r) for r in args.rates.split(",") if r.strip()]:
            before = server_cpu(processes)
            row = run_locust(rate, args.step, data_file, base, work, env, bin_dir)
            row["cpu"] = _cpu_per_request(before, server_cpu(processes), row["count"])
            steady_here = row["failures"] == 0 and row["rps"] >= 0.9 * rate
            ok = steady_here and row["p99"] <= args.p99
            print(_line(rate, args.step, row, ok), flush=True)
            _breakdown(row)
            os.system("uptime")  # noqa: S605
            if not steady_here:  # errors, or the server no longer keeps up: higher rates say nothing more
                break
            steady = rate
            if ok:
                best = rate
        confirm_rate = best or steady
        if confirm_rate and args.confirm:
            before = server_cpu(processes)
            row = run_locust(confirm_rate, args.confirm, data_file, base, work, env, bin_dir)
            row["cpu"] = _cpu_per_request(before, server_cpu(processes), row["count"])
            ok = row["failures"] == 0 and row["p99"] <= args.p99
            print("confirm: " + _line(confirm_rate, args.confirm, row, ok), flush=True)
            _breakdown(row)
            os.system("uptime")  # noqa: S605
        print(f"highest rate with zero errors and p99 <= {args.p99:.0f} ms: {best or 'none of those tried'} req/s; "
              f"highest rate served without error: {steady or 'none'} req/s")  # fmt: skip
        return 0 if best else 1
    finally:
        stop_all()


def _line(rate: int, seconds: int, row: dict, ok: bool) -> str:
    return (f"target {rate:4} req/s for {seconds:3} s: achieved {row['rps']:6.1f} req/s, {row['count']} requests, "
            f"{row['failures']} failures, p50 {row['p50']:.0f} ms, p95 {row['p95']:.0f} ms, p99 {row['p99']:.0f} ms  "
            f"{'ok' if ok else 'FAILED'}")  # fmt: skip


def server_cpu(processes) -> dict[str, float]:
    """CPU seconds used so far by gunicorn, the Celery workers (with their children) and the PostgreSQL
    backends connected to this database (its name in their title): the server's side of the traffic."""
    import psutil

    def tree(pid: int) -> float:
        try:
            process = psutil.Process(pid)
            members = [process, *process.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0
        total = 0.0
        for member in members:
            try:
                times = member.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    database = os.environ["DATABASE_URL"].rsplit("/", 1)[-1].split("?")[0]
    postgres = 0.0
    for process in psutil.process_iter(["cmdline", "cpu_times"]):
        title = " ".join(process.info["cmdline"] or [])
        if title.startswith("postgres:") and f" {database} " in title and process.info["cpu_times"]:
            postgres += process.info["cpu_times"].user + process.info["cpu_times"].system
    return {"gunicorn": tree(processes[0].pid) if processes else 0.0,
            "celery": sum(tree(p.pid) for p in processes[1:]), "postgres": postgres}  # fmt: skip


def _cpu_per_request(before: dict, after: dict, count: int) -> dict[str, float]:
    """ms of CPU per request, per part (PostgreSQL: backends alive at both ends; a backend that came or went in
    between is counted in part)."""
    return {name: max(0.0, after[name] - before.get(name, 0.0)) * 1000 / max(count, 1) for name in after}


def _breakdown(row: dict) -> None:
    if row.get("cpu"):
        cpu = row["cpu"]
        total = sum(cpu.values())
        print(f"    server CPU per request: {total:.1f} ms (gunicorn {cpu['gunicorn']:.1f}, "
              f"Celery {cpu['celery']:.1f}, PostgreSQL {cpu['postgres']:.1f}): "
              f"two free cores would serve about {2000 / max(total, 0.1):.0f} req/s")  # fmt: skip
    for name, stats in sorted(row["by_name"].items()):
        print(f"    {name:24} {stats['count']:7} requests  {stats['failures']} failures  "
              f"p50 {stats['p50']:5.0f} ms  p99 {stats['p99']:5.0f} ms")  # fmt: skip


def _wait_for(url: str, timeout: float = 60) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own server)
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(1)


def prepare(data_file, args) -> None:
    """The targets: random seeded awards, 500 for badge images, status lists, the wallet's session, an API key."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from api.services import api_key_create
    from credentials.models import Achievement, Award, StatusList
    from demo.scale import WALLET_EMAIL

    rng = random.Random(5)
    max_id = Award.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids = [rng.randrange(1, max_id + 1) for _ in range(20_000)]
    awards = list(Award.objects.filter(pk__in=ids).values_list("public_id", flat=True))
    lists = list(StatusList.objects.values_list("pk", flat=True))
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(get_user_model().objects.get(email=WALLET_EMAIL),
                       backend="allauth.account.auth_backends.AuthenticationBackend")  # fmt: skip
    achievement = (
        Achievement.objects.filter(is_active=True, status="published", programme__isnull=False, tier__isnull=False)
        .select_related("programme")
        .first()
    )
    _key, secret = api_key_create(programme=achievement.programme, role="issuer", name="load test")
    data_file.write_text(json.dumps({
        "awards": awards, "badges": awards[:500], "lists": lists, "achievement": achievement.slug,
        "session_cookie": settings.SESSION_COOKIE_NAME, "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "api_key": secret,
    }))  # fmt: skip


def warm(base: str, data: dict) -> None:
    """Badge images are rendered and stored at their first request: do those before measuring."""
    import urllib.request

    for public_id in data["badges"]:
        with urllib.request.urlopen(f"{base}/c/{public_id}/badge.png", timeout=60) as response:  # noqa: S310
            response.read()
    for status_list in data["lists"]:
        with urllib.request.urlopen(f"{base}/status/{status_list}", timeout=60) as response:  # noqa: S310
            response.read()


def run_locust(rate: int, seconds: int, data_file, base: str, work, env: dict, bin_dir) -> dict:
    import csv
    import subprocess

    prefix = work / f"rate-{rate}-{seconds}"
    subprocess.run(
        [str(bin_dir / "locust"), "-f", __file__, "--headless", "--users", str(rate), "--spawn-rate", str(rate),
         "--run-time", f"{seconds}s", "--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR",
         "--stop-timeout", "10"],
        env={**env, "LAUREL_LOAD_DATA": str(data_file)}, check=False, stdout=subprocess.DEVNULL,
        stderr=open(work / "locust.log", "ab"),  # noqa: SIM115
    )  # fmt: skip
    with open(f"{prefix}_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    by_name = {
        row["Name"]: {"count": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                      "p50": float(row["50%"] or 0), "p99": float(row["99%"] or 0)}
        for row in rows if row["Name"] != "Aggregated"
    }  # fmt: skip
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return {
        "count": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"] or 0),
        "p95": float(total["95%"] or 0),
        "p99": float(total["99%"] or 0),
        "by_name": by_name,
    }


if __name__ == "__main__":
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main())
