"""The demo speaks French and Spanish (issue 15.2): framework, programmes, achievements and the event."""

import pytest
from django.core.management import call_command

from credentials.models import Achievement
from credentials.services import Recipient, award_issue
from events.models import Event
from frameworks.models import Framework
from multilingual.text import is_complete_in
from programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_load_demo_translates_everything_and_signs_french_credentials_in_french():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Framework.objects.get(is_current=True).translated("title", "fr").startswith("Cadre double")
    programmes = Programme.objects.all()
    assert len(programmes) == 9
    assert all(
        p.translations.get("fr", {}).get("name") and p.translations.get("es", {}).get("name") for p in programmes
    )
    assert Programme.objects.get(slug="turin-school").translated("name", "es") == "Escuela de Desarrollo de Turín"
    achievements = Achievement.objects.all()
    assert achievements and all(is_complete_in(a, "fr") and is_complete_in(a, "es") for a in achievements)
    assert Event.objects.get().translated("name", "fr") == "Forum sur l’avenir du travail 2026"

    award = award_issue(achievement=Achievement.objects.get(slug="peer-mentor"),
                        recipient=Recipient(email="lea@example.org", name="Léa", language="fr"))  # fmt: skip
    assert award.credential["credentialSubject"]["achievement"]["inLanguage"] == "fr"
    assert award.credential["name"] == "Pair mentor"


def test_load_demo_translates_what_an_earlier_run_left_untranslated():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    Programme.objects.update(translations={})
    Achievement.objects.update(translations={})
    Event.objects.update(translations={})
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Programme.objects.filter(translations={}).exists()
    assert not Achievement.objects.filter(translations={}).exists()
    assert not Event.objects.filter(translations={}).exists()
