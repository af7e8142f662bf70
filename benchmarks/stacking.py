"""Benchmark: what automatic stacking costs after a bulk batch.

    .venv/bin/python benchmarks/stacking.py          # 500 recipients
    .venv/bin/python benchmarks/stacking.py -n 1000

Throw-away database (in memory, test settings), default framework, a rule "both competency badges earn a
certificate". Each of N recipients already holds the first badge; one bulk batch (award_issue_many) issues
them the second. Timed: the stacking task for that batch (stacking_evaluate_awards: N result certificates
issued, signed, audited, one email each), and the same task for a batch of an achievement no rule counts
(what every other bulk batch pays). Artefact and claim-email tasks and the outbox's sending are not run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
_tmp = tempfile.mkdtemp(prefix="laurel-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["MEDIA_ROOT"] = os.path.join(_tmp, "media")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ESCO = "http://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80"


def _achievement(issuer, **fields):
    from credentials.models import Achievement
    from credentials.services import achievement_save

    base = {"description": "Does the thing.", "criteria_narrative": "Observed.", "assessment_method": "Observed"}
    return achievement_save(achievement=Achievement(issuer=issuer, **base, **fields))


def run(n: int) -> None:
    from credentials.services import Recipient, award_issue, award_issue_many, issuer_create
    from credentials.signals import award_issued
    from frameworks.models import StackingRule
    from frameworks.services import framework_load_defaults
    from stacking.services import stacking_evaluate_awards

    framework, _created = framework_load_defaults()
    issuer = issuer_create(slug="bench", name="Bench Centre", url="https://bench.example.org", email="b@example.org")
    competency = framework.badgecategory_set.get(code="competency")
    event = framework.badgecategory_set.get(code="event")
    tier = framework.certificatetier_set.get(code="achievement")
    alignments = [{"targetName": "x", "targetUrl": ESCO}]
    first, second = (
        _achievement(issuer, category=competency, slug=slug, name=slug, level=2, alignments=alignments)
        for slug in ("first", "second")
    )
    _achievement(issuer, tier=tier, slug="result", name="Result", hours=30)
    unrelated = _achievement(issuer, category=event, slug="forum", name="Forum")
    StackingRule.objects.create(framework=framework, slug="pair", name="Pair", result_tier=tier,
                                result_achievement="result", mode="all", components=["first", "second"])  # fmt: skip
    people = [Recipient(email=f"learner{i}@example.org", name=f"Learner {i}") for i in range(n)]
    # the outbox's send task runs in a worker, not in the stacking task: not timed here
    with mock.patch.object(award_issued, "send"), mock.patch("outbox.services.outbox_enqueue"):
        award_issue_many(achievement=first, recipients=people)
        batch = [a.pk for a in award_issue_many(achievement=second, recipients=people)]
        other = [a.pk for a in award_issue_many(achievement=unrelated, recipients=people)]
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            skipped = stacking_evaluate_awards(award_ids=other)
            idle = time.perf_counter() - started
        idle_queries = len(queries)
        started = time.perf_counter()
        made = stacking_evaluate_awards(award_ids=batch)
        busy = time.perf_counter() - started
        started = time.perf_counter()
        for person in people[:20]:  # for comparison: issuing one credential by itself
            award_issue(achievement=unrelated, recipient=person)
        single = (time.perf_counter() - started) / 20
    assert skipped == 0 and made == n, (skipped, made)
    print(f"stacking after a bulk batch of {n} ({connection.vendor})")
    print(f"  batch no rule counts: {idle * 1000:.1f} ms, {idle_queries} queries")
    print(f"  batch completing {n} stacks: {busy:.2f} s ({busy / n * 1000:.1f} ms per result credential issued)")
    print(f"  for comparison, award_issue of one credential: {single * 1000:.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="recipients in the batch (default 500)")
    args = parser.parse_args()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        run(args.n)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
