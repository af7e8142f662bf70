"""Benchmark: the staff analytics dashboard on the demo history (issue 11: at most 15 queries, fast at scale).

    .venv/bin/python benchmarks/dashboard.py                 # a fresh SQLite database: load_demo + demo_history
    .venv/bin/python benchmarks/dashboard.py --awards 20000  # more history (demo_history --force --awards)
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/dashboard.py --keep   # an existing database

Prints the time to build the history, then for the overall page (/staff/analytics/, every programme, two years)
and one programme's page, and the console's homes (/staff/?all=1, /staff/p/<slug>/): the median and worst of --runs requests through Django's test client (rendering
included, as a platform administrator) and the number of queries of one request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--awards", type=int, default=0, help="Add this many more history awards first.")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="Use DATABASE_URL as it is (no fresh database).")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="laurel-dashboard-"))
    if not args.keep:
        os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.setdefault("ANALYTICS_CACHE_DIR", str(work / "cache"))
    os.environ.setdefault("MEDIA_ROOT", str(work / "media"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from analytics.selectors import Scope, dashboard
    from analytics.services import analytics_catch_up
    from credentials.models import Award
    from programmes.models import Programme

    settings.ALLOWED_HOSTS = ["*"]
    started = time.monotonic()
    if not args.keep:
        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 (runs demo_history)
        print(f"load_demo with demo_history: {time.monotonic() - started:.1f} s")
    if args.awards:
        started = time.monotonic()
        call_command("demo_history", "--force", "--awards", str(args.awards), stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"demo_history --awards {args.awards}: {time.monotonic() - started:.1f} s")
    analytics_catch_up()
    user, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True,
                                                                                       "is_staff": True})  # fmt: skip
    client = Client()
    client.force_login(user)
    programme = Programme.objects.order_by("pk").first()
    print(f"awards: {Award.objects.count()}, programmes: {Programme.objects.count()}")
    first_day = Award.objects.order_by("issued_at").values_list("issued_at", flat=True).first().date()
    start = f"?start={first_day.isoformat()}"
    for label, url in (("all programmes", "/staff/analytics/" + start),
                       (f"programme {programme.slug}", f"/staff/analytics/{programme.slug}/" + start),
                       ("console home, every programme", "/staff/?all=1"),
                       (f"console home, {programme.slug}", f"/staff/p/{programme.slug}/")):  # fmt: skip
        client.get(url)  # warm up (templates, the embedded default's catch-up)
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        if not label.startswith("console"):
            scope = Scope(programme_ids=None if label == "all programmes" else (programme.pk,), start=first_day)
            selector_times = []
            for _ in range(args.runs):
                began = time.perf_counter()
                dashboard(scope)
                selector_times.append((time.perf_counter() - began) * 1000)
            print(f"{label:40} selectors median {statistics.median(selector_times):7.1f} ms")
        print(f"{label:40} page median {statistics.median(times):7.1f} ms   worst {max(times):7.1f} ms   "
              f"{len(queries)} queries")  # fmt: skip


if __name__ == "__main__":
    main()
