"""seed_scale (issue 13.2): signed awards in bulk over the nine programmes, on PostgreSQL (refused elsewhere:
tests/test_seed_scale.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count, Sum

from analytics.models import AwardDayCount, DailyRollup
from credentials.models import Award, StatusList
from credentials.openbadges.status_list import StatusList as Bits
from credentials.verification import verify_award
from demo.scale import DOMAIN, WALLET_EMAIL
from multilingual.text import translated
from programmes.models import Programme
from wallets.models import ShareEvent

ROOT = Path(__file__).resolve().parents[2]


def seed_scale(*args: str, cache_dir: Path) -> None:
    """`manage.py seed_scale` as an operator runs it: its own process on the test database. (In this process, the
    fork of its signing pool would inherit the Celery connections earlier tests opened, and kombu's after-fork
    clean-up of those can block the forked worker.)"""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "ANALYTICS_CACHE_DIR": str(cache_dir),
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run([sys.executable, "manage.py", "seed_scale", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


def _seeded():
    return Award.objects.filter(recipient_email__endswith="@" + DOMAIN)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_seed_scale_signs_spreads_and_adds(postgres, settings, tmp_path):
    settings.ANALYTICS_CACHE_DIR = str(tmp_path / "analytics")
    seed_scale("--awards", "200", "--recipients", "60", "--workers", "2", cache_dir=tmp_path / "analytics")
    seeded = _seeded()
    assert seeded.count() == 200
    # the nine programmes, every one of them issuing
    assert Programme.objects.filter(is_active=True).count() == 9
    assert seeded.values("achievement__programme").distinct().count() == 9
    # the wallet learner (a tenth of a small run, 300 at most) and the pool of recipients, each one used
    assert seeded.filter(recipient_email=WALLET_EMAIL).count() == 20
    assert seeded.exclude(recipient_email=WALLET_EMAIL).values("recipient_email").distinct().count() == 60
    states = dict(seeded.values_list("state").annotate(n=Count("id")))
    assert states.get(Award.State.ACCEPTED, 0) > 50 and states.get(Award.State.ISSUED, 0) > 10
    # status indexes: one award per (list, index); seeded lists are closed to issuing
    assert seeded.values("status_list", "status_index").distinct().count() == 200
    lists = StatusList.objects.filter(awards__in=seeded).distinct()
    assert all(status_list.used == status_list.size for status_list in lists)
    # a sampled credential verifies with our own verifier; a revoked one's bit is set and says so
    accepted = seeded.filter(state=Award.State.ACCEPTED).select_related("status_list").order_by("?").first()
    report = verify_award(accepted)
    assert report.valid, [check for check in report.checks if not check.ok]
    # signed in the recipient's language when the achievement is translated into it (multilingual content)
    signed = accepted.credential["credentialSubject"]["achievement"]
    assert signed["name"] == translated(accepted.achievement, "name", signed.get("inLanguage", ""))
    for revoked in seeded.filter(state=Award.State.REVOKED).select_related("status_list"):
        assert Bits(data=bytes(revoked.status_list.bits)).get(revoked.status_index)
        assert not verify_award(revoked).valid
    # claims, shares, views and rollups
    assert ShareEvent.objects.filter(award__in=seeded).exists()
    assert AwardDayCount.objects.filter(award__in=seeded, kind="view").exists()
    assert DailyRollup.objects.aggregate(n=Sum("issued"))["n"] == Award.objects.count()

    # additive by design: a second run adds awards to the same recipients, at fresh indexes
    seed_scale("--awards", "50", "--recipients", "60", "--workers", "1", cache_dir=tmp_path / "analytics")
    assert seeded.count() == 250
    assert seeded.filter(recipient_email=WALLET_EMAIL).count() == 20  # the wallet is made once
    assert seeded.exclude(recipient_email=WALLET_EMAIL).values("recipient_email").distinct().count() == 60
    assert seeded.values("status_list", "status_index").distinct().count() == 250
