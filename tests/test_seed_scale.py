"""seed_scale refuses what it cannot do (the seeding itself: tests/integration/test_seed_scale.py)."""

import pytest
from django.core.management import CommandError, call_command

from credentials.models import Award
from demo.scale import DOMAIN


def _seeded():
    return Award.objects.filter(recipient_email__endswith="@" + DOMAIN)


@pytest.mark.django_db
def test_refused_on_sqlite():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_scale", "--awards", "10")
    assert not _seeded().exists()


@pytest.mark.django_db
def test_bad_numbers_are_refused():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("seed_scale", "--awards", "0")
