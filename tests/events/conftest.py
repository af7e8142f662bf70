from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def issuer(db):
    from credentials.services import issuer_create

    return issuer_create(
        slug="test-centre",
        name="Test Centre",
        url="https://centre.example.org",
        email="badges@centre.example.org",
        description="A training centre.",
    )


@pytest.fixture
def competency(default_framework):
    return default_framework.badgecategory_set.get(code="competency")


@pytest.fixture
def achievement(issuer, competency):
    from tests.credentials.conftest import make_achievement

    return make_achievement(issuer, competency)


@pytest.fixture
def make_event(achievement):
    from events.services import event_create

    def _make(**fields):
        now = timezone.now()
        values = {
            "achievement": achievement,
            "name": "Future of Work Forum",
            "description": "Two days on the future of work, Turin.",
            "opens_at": now - timedelta(hours=1),
            "closes_at": now + timedelta(days=2),
        }
        values.update(fields)
        return event_create(**values)

    return _make


@pytest.fixture
def event(make_event):
    return make_event()
