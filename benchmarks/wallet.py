"""Benchmark: render the learner wallet page (/wallet/) holding N credentials.

    .venv/bin/python benchmarks/wallet.py            # 300 credentials, 30 timed renders
    .venv/bin/python benchmarks/wallet.py -n 1000 -r 20

Builds a throw-away database (in memory, test settings), loads the default framework, issues N awards
through credentials.services.award_issue (signed, ~2 ms each; the artefact and claim-email tasks are not
run) to one learner over 12 achievements, then times full requests through the Django test client
(session, middleware, queries, template). Prints the median, p95, the query count and the page size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
_tmp = tempfile.mkdtemp(prefix="laurel-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["MEDIA_ROOT"] = os.path.join(_tmp, "media")
os.environ["PRIVATE_MEDIA_ROOT"] = os.path.join(_tmp, "private")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def build(n: int):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from credentials.models import Achievement
    from credentials.services import Recipient, achievement_save, award_issue, issuer_create
    from credentials.signals import award_issued
    from frameworks.services import framework_load_defaults

    framework, _created = framework_load_defaults()
    issuer = issuer_create(slug="bench", name="Bench Centre", url="https://bench.example.org", email="b@example.org")
    competency = framework.badgecategory_set.get(code="competency")
    participation = framework.certificatetier_set.get(code="participation")
    achievements = [
        achievement_save(
            achievement=Achievement(
                issuer=issuer, category=competency, slug=f"skill-{i}", name=f"Skill {i}",
                description="Does the thing.", criteria_narrative="Observed.", assessment_method="Observed",
                level=2, alignments=[{"targetName": "x", "targetUrl": "http://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80"}],
            )
        )
        for i in range(11)
    ]  # fmt: skip
    achievements.append(
        achievement_save(
            achievement=Achievement(
                issuer=issuer, tier=participation, slug="course", name="Course", description="A course.",
                criteria_narrative="Attend.", hours=30,
            )
        )
    )  # fmt: skip
    user = get_user_model().objects.create_user("learner", "learner@example.org", "pw")
    EmailAddress.objects.create(user=user, email="learner@example.org", verified=True, primary=True)
    started = time.perf_counter()
    with mock.patch.object(award_issued, "send"):  # no artefacts or claim emails in the benchmark
        for i in range(n):
            award_issue(
                achievement=achievements[i % len(achievements)],
                recipient=Recipient(email="learner@example.org", name="Learner"),
            )
    return user, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="credentials in the wallet (default 300)")
    parser.add_argument("-r", "--runs", type=int, default=30, help="timed renders (default 30)")
    args = parser.parse_args()

    # No setup_test_environment(): it instruments every template render (a signal per include), which a
    # real server does not do. The test client's host is allowed explicitly instead.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        user, issue_seconds = build(args.n)
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        for _warm in range(3):
            response = client.get("/wallet/")
            assert response.status_code == 200, response.status_code
        assert response.content.decode().count('class="wcard') == args.n
        times = []
        for _run in range(args.runs):
            start = time.perf_counter()
            client.get("/wallet/")
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/wallet/")
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"wallet of {args.n} credentials ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})")
        print(f"  issued in {issue_seconds:.1f} s ({issue_seconds / args.n * 1000:.1f} ms per award_issue)")
        print(
            f"  render /wallet/: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
            f"min {times[0]:.1f} ms over {args.runs} requests"
        )
        print(f"  queries per render: {len(queries)}; page size {len(response.content) / 1024:.0f} KB")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
