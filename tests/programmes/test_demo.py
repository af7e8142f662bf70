"""make run's demo: the nine programmes, the demo achievements in them, one manager, issuer and viewer."""

import pytest
from django.core.management import call_command

import access
from credentials.models import Achievement
from demo import data
from programmes.models import Programme, StaffRole

pytestmark = pytest.mark.django_db


def test_load_demo_makes_programmes_and_their_staff_once(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert Programme.objects.count() == 9
    assert not Achievement.objects.filter(programme__isnull=True).exists()
    for role, email, password in data.PROGRAMME_STAFF:
        assert f"Demo programme {role}: {email} / {password}" in out
        member = StaffRole.objects.select_related("user").get(user__email=email)
        assert member.role == role and member.programme.slug == data.STAFF_PROGRAMME
        assert member.user.is_staff and not member.user.is_superuser and member.user.check_password(password)
    manager = StaffRole.objects.get(role="manager").user
    theirs = Achievement.objects.get(slug="social-dialogue-competency")
    other = Achievement.objects.get(slug="green-jobs-course")
    assert access.allows(manager, "credentials.publish_achievement", obj=theirs)
    assert not access.allows(manager, "credentials.view_achievement", obj=other)
    call_command("load_demo")
    assert Programme.objects.count() == 9 and StaffRole.objects.count() == 3
