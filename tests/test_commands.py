import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from frameworks.models import BadgeCategory, Framework, GlossaryTerm, StackingRule

pytestmark = pytest.mark.django_db


def test_load_default_framework_is_idempotent(capsys):
    call_command("load_default_framework")
    assert "Published framework version 1" in capsys.readouterr().out
    framework = Framework.objects.get()
    assert framework.is_current
    assert framework.certificatetier_set.count() == 3
    assert BadgeCategory.objects.count() >= 9
    assert GlossaryTerm.objects.count() >= 25
    assert StackingRule.objects.count() >= 1
    counts = (BadgeCategory.objects.count(), GlossaryTerm.objects.count())

    call_command("load_default_framework")
    assert "nothing changed" in capsys.readouterr().out
    assert Framework.objects.count() == 1
    assert (BadgeCategory.objects.count(), GlossaryTerm.objects.count()) == counts


def test_load_default_framework_new_version():
    call_command("load_default_framework")
    call_command("load_default_framework", "--new-version")
    assert list(Framework.objects.values_list("version", "is_current").order_by("version")) == [(1, False), (2, True)]


def test_load_demo_creates_staff_once(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Demo staff login: staff / laurel-demo-staff" in out and "/framework/" in out
    from credentials.models import Award

    learner_awards = Award.objects.filter(recipient_email="learner@example.org")
    # four credentials and the demo community's membership credential (joined, so accepted at once)
    assert learner_awards.count() == 5 and set(learner_awards.values_list("state", flat=True)) == {"accepted"}
    assert "Demo learner login: learner@example.org / laurel-demo-learner" in out
    staff = get_user_model().objects.get(username="staff")
    assert staff.is_staff and staff.check_password("laurel-demo-staff")
    staff.set_password("changed-by-the-operator")
    staff.save()
    call_command("load_demo")
    assert "password changed since first run" in capsys.readouterr().out
    assert Award.objects.filter(recipient_email="learner@example.org").count() == 5  # nothing issued twice
    assert get_user_model().objects.get(username="staff").check_password("changed-by-the-operator")
