"""Benchmark: the verification page served by gunicorn, beside a do-nothing view of the same processes.

    .venv/bin/python benchmarks/verification.py            # wrk -t2 -c8 -d10s per URL, gunicorn -w 2
    .venv/bin/python benchmarks/verification.py -d 5 --no-uncached

Production settings (`config.settings.production`: DEBUG off, every middleware, manifest static files), PostgreSQL
with DATABASE_CONN_MAX_AGE=60, Redis (cache, page cache, analytics buffer), `gunicorn -w 2` (sync workers), and
`wrk -t2 -c8 -d10s --latency` against, in one run:
  1. /bench/noop       a view that returns "ok" behind every middleware (BENCHMARK_VIEWS=true);
  2. /c/<id>/          the verification page of one award, from the page cache (warmed by one request);
  3. /c/<id>/          the same page rendered at every request (a second gunicorn with PAGE_CACHE_ENABLED=false),
                       and the do-nothing view of that second server (skip with --no-uncached).
Requests look like a browser's (User-Agent, Accept: text/html, Accept-Language: en) and like the proxy's
(X-Forwarded-Proto: https), so views are counted in the analytics buffer as in production. The load average of
the machine (os.getloadavg) is printed before and after each run.

It creates its own database (`<TEST_DATABASE_URL's name>_bench`, or `laurel_bench_pages`; dropped at the end),
media and static directories (temporary), uses the Redis database of TEST_REDIS_URL (default 15; its keys are
flushed at start and end), and starts and stops gunicorn itself. Needs `wrk` (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
HEADERS = {
    "User-Agent": BROWSER,
    "Accept": "text/html,application/xhtml+xml",
    "Accept-Language": "en",
    "X-Forwarded-Proto": "https",
}
SEED = """
from credentials.models import Achievement
from credentials.services import Recipient, achievement_save, award_issue, issuer_create
from frameworks.services import framework_load_defaults

framework, _ = framework_load_defaults()
issuer = issuer_create(slug="bench-centre", name="Bench Centre", url="https://centre.example.org",
                       email="badges@centre.example.org", description="A training centre.")
achievement = achievement_save(achievement=Achievement(
    issuer=issuer, category=framework.badgecategory_set.get(code="competency"), slug="negotiation",
    name="Negotiation Skills", description="Negotiates agreements between parties with different interests.",
    criteria_narrative="Lead a simulated negotiation to an agreement, observed by two assessors.",
    assessment_method="Observed simulation", evidence_required="Assessor report", hours=55, ects_credits=2,
    level=1, alignments=[{"targetName": "negotiate", "targetUrl": "http://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80"}],
    validity_days=365))
award = award_issue(achievement=achievement, recipient=Recipient(
    email="amina@example.org", name="Amina Okonkwo", narrative="Led the final simulation.",
    evidence=[{"url": "https://example.org/report.pdf", "name": "Assessor report"}]))
print("PUBLIC_ID", award.public_id)
"""


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def wrk(url: str, seconds: int, connections: int) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    before = load()
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    after = load()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)

    def ms(match) -> float:
        value, unit = float(match[1]), match[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {
        "command": " ".join(f"'{part}'" if " " in part else part for part in [*command, url]),
        "rate": rate,
        "p50": ms(p50),
        "p99": ms(p99),
        "bad": int(non2xx[1]) if non2xx else 0,
        "errors": errors[1] if errors else "",
        "load": f"{before} → {after}",
    }


def wait_until_up(base: str, proc: subprocess.Popen) -> None:
    for _ in range(150):
        if proc.poll() is not None:
            raise SystemExit("gunicorn stopped; see its log")
        try:
            request = urllib.request.Request(f"{base}/bench/noop", headers=HEADERS)
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 (our own local server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


def get(url: str) -> tuple[int, str, float, str]:
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers=HEADERS), timeout=10) as response:  # noqa: S310
        body = response.read().decode()
    return response.status, body, (time.perf_counter() - started) * 1000, response.headers.get("X-Page-Cache", "-")


def serve(env: dict, port: int, log: Path, workers: int) -> subprocess.Popen:
    with open(log, "ab") as handle:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-w", str(workers), "-b",
             f"127.0.0.1:{port}", "--access-logfile", "-", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=handle, start_new_session=True,
        )  # fmt: skip


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-d", "--seconds", type=int, default=10)
    parser.add_argument("-c", "--connections", type=int, default=8)
    parser.add_argument("-w", "--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--no-uncached", action="store_true", help="skip the server without the page cache")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    test_db = urlsplit(os.environ.get("TEST_DATABASE_URL", "")).path.lstrip("/")
    database = f"{test_db}_bench" if test_db else "laurel_bench_pages"
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    work = Path(tempfile.mkdtemp(prefix="laurel-bench-pages-"))
    base = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"{PG}/{database}",
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "DJANGO_SECRET_KEY": "benchmark-only-not-secret-4c1f0a",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_URL": "consolemail://",
        "BASE_URL": base,
        "MEDIA_ROOT": str(work / "media"),
        "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "STATIC_ROOT": str(work / "static"),
        "BENCHMARK_VIEWS": "true",
    }
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    admin_sql(f'DROP DATABASE IF EXISTS "{database}"')
    admin_sql(f'CREATE DATABASE "{database}"')
    servers: list[subprocess.Popen] = []
    try:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        seeded = subprocess.run([*manage, "shell", "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True,
                                text=True).stdout  # fmt: skip
        public_id = re.search(r"PUBLIC_ID (\S+)", seeded)[1]
        page = f"/c/{public_id}/"
        results = []
        for label, extra in (("page cache on", {}), ("page cache off", {"PAGE_CACHE_ENABLED": "false"})):
            if extra and args.no_uncached:
                continue
            server = serve({**env, **extra}, args.port, work / "gunicorn.log", args.workers)
            servers.append(server)
            wait_until_up(base, server)
            misses = []
            for _ in range(4):
                status, body, took, state = get(f"{base}{page}")
                assert status == 200 and "Amina Okonkwo" in body, status
                misses.append(f"{took:.1f} ms ({state})")
            print(f"[{label}] first requests of the page: {', '.join(misses)}", flush=True)
            for path in ("/bench/noop", page):  # one connection, one request at a time
                took = sorted(get(f"{base}{path}")[2] for _ in range(200))
                print(f"[{label}] {path} alone: median {took[100]:.2f} ms, p99 {took[198]:.2f} ms", flush=True)
            for name, path in (("do-nothing view", "/bench/noop"), ("verification page", page)):
                result = wrk(f"{base}{path}", args.seconds, args.connections)
                results.append((label, name, result))
                errors = f", socket errors {result['errors']}" if result["errors"] else ""
                print(f"[{label}] {name}: {result['rate']:.0f} req/s, p50 {result['p50']:.2f} ms, p99 "
                      f"{result['p99']:.2f} ms, non-2xx {result['bad']}{errors}; load {result['load']}\n"
                      f"    {result['command']}", flush=True)  # fmt: skip
            stop(server)
        print("\n| server | URL | req/s | p50 | p99 | load average before → after |")
        print("| --- | --- | --- | --- | --- | --- |")
        for label, name, r in results:
            print(f"| {label} | {name} | {r['rate']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {r['load']} |")
        on = {name: r for label, name, r in results if label == "page cache on"}
        ratio = on["verification page"]["rate"] / on["do-nothing view"]["rate"]
        print(
            f"\nverification page (cache hit) / do-nothing view: {ratio:.2f}× (target ≥ 0.5×); "
            f"p99 {on['verification page']['p99']:.2f} ms (target ≤ 20 ms)"
        )
    finally:
        for server in servers:
            stop(server)
        redis.Redis.from_url(redis_url).flushdb()
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
