"""The achievement editor's publishing mode, companions, EQF level and ESCO rows; the Stacking page."""

import pytest

from credentials.models import Achievement, Award
from stacking.models import StackingOutcome

from .conftest import client_for
from .test_console import _design, url

pytestmark = pytest.mark.django_db

ESCO = "http://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80"


def _certificate_design(console, **overrides):
    tier = console.competency.framework.certificatetier_set.get(code="diploma")
    data = _design(console, kind=f"tier:{tier.pk}", hours="300", ects_credits="12", level="",
                   mode="certificate_with_badges", companions=[console.achievement.pk], eqf_level="6")  # fmt: skip
    data.update(overrides)
    return data


def test_the_editor_saves_mode_companions_eqf_and_esco_rows(console):
    client = client_for(console.users["manager"])
    page = client.get(url("achievement_new", console)).content.decode()
    assert 'name="esco_uri_1"' in page and 'name="esco_label_4"' in page and 'name="eqf_level"' in page
    assert "Negotiation Skills" in page  # a badge of the programme offered as a companion
    response = client.post(url("achievement_new", console), _certificate_design(console))
    assert response.status_code == 302, response.content.decode()[:3000]
    achievement = Achievement.objects.get(name="Wound Care")
    assert achievement.mode == "certificate_with_badges" and achievement.eqf_level == 6
    assert list(achievement.companions.all()) == [console.achievement]
    assert achievement.alignments == [{"targetName": "treat wounds", "targetUrl": ESCO, "targetFramework": "ESCO"}]
    page = client.get(url("achievement_edit", console, pk=achievement.pk)).content.decode()
    assert f'value="{ESCO}"' in page and 'value="treat wounds"' in page
    page = client.get(url("achievement", console, pk=achievement.pk)).content.decode()
    assert "Certificate with companion badges: Negotiation Skills" in page and "EQF level" in page


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"esco_uri_1": "https://example.org/skill"}, "esco_uri_1", "is not an ESCO skill URI"),
        ({"esco_label_1": ""}, "esco_label_1", "Give the ESCO skill&#x27;s label"),
        ({"esco_uri_2": "", "esco_label_2": "listening"}, "esco_uri_2", "Give the ESCO URI of"),
        ({"eqf_level": "9"}, "eqf_level", "less than or equal to 8"),
        ({"companions": []}, "companions", "Choose the badges issued with this certificate"),
    ],
)
def test_the_editor_says_what_is_wrong(console, overrides, field, message):
    client = client_for(console.users["manager"])
    response = client.post(url("achievement_new", console), _certificate_design(console, **overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="field-{field}"' in page and message in page
    assert page.index(message) > page.index(f'id="field-{field}"')
    assert not Achievement.objects.filter(name="Wound Care").exists()


def test_a_badge_cannot_take_the_certificate_mode(console):
    client = client_for(console.users["manager"])
    response = client.post(url("achievement_new", console), _design(console, mode="certificate"))
    assert response.status_code == 400 and "Only a certificate tier" in response.content.decode()


def _suggestion(console):
    return StackingOutcome.objects.create(
        identity="email:lea@example.org", rule_slug="pathway", result=console.achievement,
        recipient_email="lea@example.org", recipient_name="Lea Martin", state="suggested",
    )  # fmt: skip


def test_the_stacking_page_lists_suggestions_and_staff_approve(console):
    outcome = _suggestion(console)
    viewer = client_for(console.users["viewer"])
    page = viewer.get(url("stacking", console)).content.decode()
    assert "Lea Martin" in page and "Approve and issue" not in page  # a viewer sees, cannot decide
    assert viewer.post(url("stacking_approve", console, pk=outcome.pk)).status_code == 403
    issuer = client_for(console.users["issuer"])
    assert "Approve and issue" in issuer.get(url("stacking", console)).content.decode()
    response = issuer.post(url("stacking_approve", console, pk=outcome.pk), follow=True)
    assert "Issued “Negotiation Skills” to Lea Martin." in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.state == "issued" and Award.objects.filter(pk=outcome.award_id, recipient_email="lea@example.org")
    again = issuer.post(url("stacking_approve", console, pk=outcome.pk), follow=True).content.decode()
    assert "already decided" in again


def test_dismiss_and_other_programmes_suggestions(console):
    outcome = _suggestion(console)
    other = client_for(console.users["other"])
    assert other.post(url("stacking_dismiss", console, pk=outcome.pk)).status_code == 404  # not their programme
    issuer = client_for(console.users["issuer"])
    assert issuer.post(url("stacking_dismiss", console, pk=outcome.pk)).status_code == 302
    outcome.refresh_from_db()
    assert outcome.state == "dismissed" and outcome.award is None
    assert issuer.post(url("stacking_dismiss", console, pk=99999)).status_code == 404
