"""make run's demo: two communities of two programmes, the demo learner a member of the open one, once."""

import pytest
from django.core.management import call_command

from communities.models import Community, Membership
from demo import data

pytestmark = pytest.mark.django_db


def test_load_demo_makes_the_communities_once(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert Community.objects.count() == len(data.COMMUNITIES) == 2
    assert len({community.programme_id for community in Community.objects.all()}) == 2
    membership = Membership.objects.get()
    assert membership.community.slug == "turin-alumni" and membership.state == "active"
    assert membership.award.recipient_email == "learner@example.org"
    assert "/communities/turin-alumni/" in out
    call_command("load_demo")
    assert Community.objects.count() == 2 and Membership.objects.count() == 1
