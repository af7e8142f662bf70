"""make run's demo: one organisation with an admin, three members sharing Social Dialogue, its own network
membership and the Learning Organisation credential its rule issued, once."""

import pytest
from django.core.management import call_command

from credentials.models import Award
from organisations.models import Organisation, OrganisationOutcome, SharedCredential

pytestmark = pytest.mark.django_db


def test_load_demo_makes_the_organisation_once(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    organisation = Organisation.objects.get()
    assert f"/organisations/{organisation.slug}/" in out and "orgadmin@example.org" in out
    assert organisation.admins.count() == 1 and SharedCredential.objects.count() == 3
    outcome = OrganisationOutcome.objects.get()
    assert outcome.award.recipient_kind == "organisation" and outcome.result.slug == "learning-organisation"
    call_command("load_demo")
    earned = Award.objects.filter(achievement__slug="learning-organisation", recipient_email=organisation.email)
    assert Organisation.objects.count() == 1 and earned.count() == 1
