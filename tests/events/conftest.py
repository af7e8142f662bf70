from datetime import timedelta

import pytest
from django.utils import timezone


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
