"""Follow-up surveys: configured by who may change the achievement, sent once N days after the award in the
recipient's language, answered through a signed link without an account, opt-out honoured."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from outbox.models import OutboxEmail
from programmes.models import Programme, Role, StaffRole
from surveys.models import Invitation, OptOut
from surveys.services import survey_configure, surveys_send_due


@pytest.fixture
def programme(db):
    return Programme.objects.create(slug="sp", name="Social Protection")


@pytest.fixture
def surveyed(achievement, programme):
    from credentials.services import Recipient, award_issue

    achievement.programme = programme
    achievement.save(update_fields=["programme"])
    survey_configure(achievement=achievement, actor=None, is_active=True, delay_days=90)
    old = timezone.now() - timedelta(days=95)
    awards = [
        award_issue(achievement=achievement, recipient=Recipient(email=f"p{n}@example.org", name=f"P {n}",
                                                                 language=language, issued_at=old))
        for n, language in enumerate(["fr", "es", "en"])
    ]  # fmt: skip
    award_issue(achievement=achievement, recipient=Recipient(email="new@example.org", name="New"))  # not yet due
    return awards


def links(email) -> tuple[str, str]:
    answer, opt_out = re.findall(r"http://127\.0\.0\.1:8000(/survey/[^\s\"<]+)", email.body_text)
    return answer, opt_out


def test_configuring_needs_change_achievement(achievement, programme, django_user_model):
    achievement.programme = programme
    achievement.save(update_fields=["programme"])
    viewer = django_user_model.objects.create_user("v", "v@example.org", "pw")
    StaffRole.objects.create(user=viewer, programme=programme, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        survey_configure(achievement=achievement, actor=viewer, is_active=True, delay_days=90)
    manager = django_user_model.objects.create_user("m", "m@example.org", "pw")
    StaffRole.objects.create(user=manager, programme=programme, role=Role.MANAGER)
    survey = survey_configure(achievement=achievement, actor=manager, is_active=True, delay_days=30)
    assert survey.delay_days == 30
    client = Client()
    client.force_login(viewer)
    assert client.get(f"/staff/analytics/sp/surveys/{achievement.slug}/").status_code == 403
    client.force_login(manager)
    response = client.post(f"/staff/analytics/sp/surveys/{achievement.slug}/", {"is_active": "on", "delay_days": "0"})
    assert response.status_code == 200 and "between 1 and 3650" in response.content.decode()


def test_sent_once_when_due_in_the_recipients_language(surveyed):
    assert surveys_send_due() == 3
    assert surveys_send_due() == 0
    emails = {e.to_email: e for e in OutboxEmail.objects.filter(kind="survey")}
    assert set(emails) == {"p0@example.org", "p1@example.org", "p2@example.org"}
    assert emails["p0@example.org"].language == "fr" and emails["p1@example.org"].language == "es"
    assert "/survey/no-more/" in emails["p2@example.org"].body_text


def test_answer_without_an_account_once(surveyed):
    surveys_send_due()
    answer_url, _opt_out = links(OutboxEmail.objects.get(to_email="p2@example.org"))
    client = Client()
    assert client.get(answer_url).status_code == 200
    bad = client.post(answer_url, {"applied": "maybe"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    done = client.post(
        answer_url, {"applied": "yes", "frequency": "weekly", "impact": "4", "comment": "Better meetings"}
    )
    assert done.status_code == 200
    invitation = Invitation.objects.get(award=surveyed[2])
    assert (invitation.applied, invitation.frequency, invitation.impact) == ("yes", "weekly", 4)
    again = client.post(answer_url, {"applied": "no", "frequency": "never", "impact": "1"})
    assert "already been answered" in again.content.decode()
    assert Invitation.objects.get(award=surveyed[2]).applied == "yes"


def test_forged_and_expired_links_get_a_clear_page(surveyed, settings):
    surveys_send_due()
    answer_url, opt_out_url = links(OutboxEmail.objects.get(to_email="p2@example.org"))
    client = Client()
    forged = client.get(answer_url[:-4] + "abc/")
    assert forged.status_code == 400 and "not valid" in forged.content.decode()
    assert client.get(opt_out_url[:-4] + "abc/").status_code == 400
    settings.SURVEY_LINK_DAYS = -1
    expired = client.get(answer_url)
    assert expired.status_code == 400 and "expired" in expired.content.decode()


def test_opt_out_stops_surveys(surveyed, achievement):
    from credentials.services import Recipient, award_issue

    surveys_send_due()
    _answer, opt_out_url = links(OutboxEmail.objects.get(to_email="p2@example.org"))
    client = Client()
    assert client.get(opt_out_url).status_code == 200 and not OptOut.objects.exists()  # a GET only asks
    assert client.post(opt_out_url).status_code == 200
    again = Recipient(email="P2@example.org", name="P 2 again", issued_at=timezone.now() - timedelta(days=91))
    award_issue(achievement=achievement, recipient=again)
    assert surveys_send_due() == 0


def test_results_on_the_analytics_page_and_csv(surveyed, staff_client):
    surveys_send_due()
    invitation = Invitation.objects.get(award=surveyed[0])
    from surveys.services import survey_answer

    survey_answer(invitation=invitation, applied="partly", frequency="daily", impact=5)
    page = staff_client.get("/staff/analytics/?start=2000-01-01")
    assert "Follow-up surveys" in page.content.decode()
    response = staff_client.get("/staff/analytics/?start=2000-01-01&format=csv&table=surveys")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("achievement,programme,invited,answered")
    assert lines[1].startswith("negotiation,sp,3,1,33.3,0,1,0,1,")


def test_the_invitation_and_the_page_name_the_achievement_in_the_recipient_s_language(surveyed, client):
    """Issue 15.2: a translated name where there is one (French), the original elsewhere (Spanish)."""
    achievement = surveyed[0].achievement
    achievement.translations = {"fr": {"name": "Techniques de négociation"}}
    achievement.save(update_fields=["translations"])
    surveys_send_due()
    emails = {e.to_email: e for e in OutboxEmail.objects.filter(kind="survey")}
    assert "Techniques de négociation" in emails["p0@example.org"].subject
    assert achievement.name in emails["p1@example.org"].subject
    answer_url, _opt_out = links(emails["p0@example.org"])
    page = client.get(answer_url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Techniques de négociation" in page
