"""make run's demo: an open route with a pending application of the demo learner, and a goal, once."""

import pytest
from django.core.management import call_command

from applications.models import Application, ApplicationRoute, LearnerGoal

pytestmark = pytest.mark.django_db


def test_load_demo_opens_routes_with_a_pending_application_and_a_goal(client):
    call_command("load_demo")
    assert ApplicationRoute.objects.filter(is_open=True).count() == 2
    application = Application.objects.get()
    assert application.state == "submitted" and application.email == "learner@example.org"
    assert application.nominee_role == "assessor"
    assert LearnerGoal.objects.get().achievement.slug == "decent-work-diploma"
    assert b"Apply for this credential" in client.get("/achievements/peer-mentor/").content
    client.force_login(application.user)
    goals = client.get("/wallet/goals/")
    assert goals.status_code == 200 and b"Three Certificates of Achievement lead to a Diploma" in goals.content
    assert client.get(f"/wallet/applications/{application.pk}/").status_code == 200
    call_command("load_demo")
    assert Application.objects.count() == 1 and LearnerGoal.objects.count() == 1
