"""Staff analytics pages: who may see them, what they show, their CSV, and at most 15 queries."""

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone

from analytics.services import analytics_catch_up
from programmes.models import Role, StaffRole
from tests.conftest import logged_in, make_staff


@pytest.fixture
def caught_up(history):
    analytics_catch_up()
    return history


def member(django_user_model, programme, role, name):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw")
    StaffRole.objects.create(user=user, programme=programme, role=role)
    return logged_in(user)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ISSUER, Role.MANAGER])
def test_programme_staff_see_their_programme_only(caught_up, django_user_model, role):
    ours, theirs = caught_up["programmes"]
    client = member(django_user_model, ours, role, f"u-{role}")
    page = client.get(f"/staff/analytics/{ours.slug}/")
    assert page.status_code == 200
    assert "SP One" in page.content.decode() and "GJ One" not in page.content.decode()
    assert client.get(f"/staff/analytics/{theirs.slug}/").status_code == 404  # as the console: not told it exists
    overall = client.get("/staff/analytics/?start=2000-01-01")
    assert overall.status_code == 200 and "GJ One" not in overall.content.decode()


def test_others_are_refused(caught_up, django_user_model):
    ours = caught_up["programmes"][0]
    nobody = logged_in(django_user_model.objects.create_user("nobody", "n@example.org", "pw"))
    assert nobody.get("/staff/analytics/").status_code == 403
    assert nobody.get(f"/staff/analytics/{ours.slug}/").status_code == 403
    assert Client().get("/staff/analytics/").status_code == 302  # to sign in
    assert nobody.get("/staff/analytics/no-such-programme/").status_code == 403  # no role anywhere: 403 everywhere
    viewer = member(django_user_model, ours, Role.VIEWER, "v-elsewhere")
    assert viewer.get("/staff/analytics/no-such-programme/").status_code == 404


def test_platform_admins_see_everything(caught_up, staff_client, django_user_model):
    page = staff_client.get("/staff/analytics/?start=2000-01-01")
    assert page.status_code == 200
    text = page.content.decode()
    assert "SP One" in text and "GJ One" in text and "<svg" in text
    holder = logged_in(make_staff(django_user_model, "analyst", "programmes.view_analytics"))
    assert holder.get(f"/staff/analytics/{caught_up['programmes'][1].slug}/").status_code == 200


def test_dashboard_in_at_most_15_queries(
    caught_up, staff_client, django_assert_max_num_queries, issuer, competency, django_user_model
):
    from credentials.services import Recipient, award_issue_many
    from programmes.models import Programme
    from tests.credentials.conftest import make_achievement

    for n in range(3):  # more programmes, achievements and awards: the count must not grow with them
        programme = Programme.objects.create(slug=f"extra-{n}", name=f"Extra {n}")
        achievement = make_achievement(issuer, competency, slug=f"extra-{n}", programme=programme)
        award_issue_many(achievement=achievement, recipients=[
            Recipient(email=f"x{n}-{i}@example.org", name=f"X {i}") for i in range(4)])  # fmt: skip
    analytics_catch_up()
    staff_client.get("/staff/analytics/")  # the catch-up of the embedded default runs here, not below
    with django_assert_max_num_queries(15):
        page = staff_client.get("/staff/analytics/?start=2000-01-01")
    assert page.status_code == 200 and "Extra 2" in page.content.decode()
    with django_assert_max_num_queries(15):
        assert staff_client.get("/staff/analytics/extra-1/").status_code == 200
    viewer = member(django_user_model, programme, Role.VIEWER, "counted-viewer")  # roles read, permissions asked
    StaffRole.objects.create(user=viewer.user, programme=caught_up["programmes"][0], role=Role.VIEWER)
    with django_assert_max_num_queries(15):
        page = viewer.get("/staff/analytics/?start=2000-01-01")
    assert page.status_code == 200 and "SP One" in page.content.decode() and "GJ One" not in page.content.decode()


@pytest.mark.parametrize("table", ["totals", "monthly", "funnel", "achievements", "channels", "surveys"])
def test_every_table_downloads_as_csv(caught_up, staff_client, table):
    response = staff_client.get(f"/staff/analytics/?start=2000-01-01&format=csv&table={table}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows and rows[0]
    if table == "totals":
        assert dict(rows[1:])["issued"] == "19"
    if table == "channels":
        assert dict(rows[1:]) == {"linkedin_profile": "7", "email": "7"}


def test_bad_filters_get_a_message_not_a_500(caught_up, staff_client):
    page = staff_client.get("/staff/analytics/?start=someday&end=2020-01-01")
    assert page.status_code == 200 and "Enter a valid date" in page.content.decode()
    page = staff_client.get("/staff/analytics/?start=2024-05-01&end=2024-01-01")
    assert "start date must be on or before" in page.content.decode()
    assert staff_client.get("/staff/analytics/?format=csv&table=secrets").status_code == 400


def test_programme_filter_goes_to_the_programme_page(caught_up, staff_client):
    response = staff_client.get("/staff/analytics/?programme=green-jobs&start=2000-01-01")
    assert response.status_code == 302 and response.url == "/staff/analytics/green-jobs/?start=2000-01-01"


def test_pages_have_the_policy_and_nothing_inline(caught_up, staff_client):
    """Charts are SVG drawn with classes from static/css/analytics.css: no inline style or script (CSP)."""
    from surveys.models import Invitation, Survey
    from surveys.tokens import answer_token, opt_out_token
    from tests.security.test_csp import check_pages

    achievement = caught_up["achievements"][0]
    survey = Survey.objects.create(achievement=achievement)
    invitation = Invitation.objects.create(survey=survey, award=caught_up["awards"][0], sent_at=timezone.now())
    anonymous = Client()
    pages = {
        "overall": (staff_client, "/staff/analytics/?start=2000-01-01"),
        "programme": (staff_client, f"/staff/analytics/{caught_up['programmes'][0].slug}/?start=2000-01-01"),
        "bad filters": (staff_client, "/staff/analytics/?start=never"),
        "survey settings": (staff_client, f"/staff/analytics/{achievement.programme.slug}/surveys/{achievement.slug}/"),
        "survey": (anonymous, f"/survey/{answer_token(invitation.pk)}/"),
        "survey forged": (anonymous, "/survey/forged/"),
        "opt out": (anonymous, f"/survey/no-more/{opt_out_token('0' * 64)}/"),
    }
    failures = check_pages(pages)
    assert not failures, "\n".join(failures)


def test_choosing_all_programmes_on_a_programme_page_goes_back(caught_up, staff_client):
    response = staff_client.get("/staff/analytics/green-jobs/?programme=&end=2030-01-01")
    assert response.status_code == 302 and response.url == "/staff/analytics/?end=2030-01-01"
    page = staff_client.get("/staff/analytics/green-jobs/")
    assert '<option value="green-jobs" selected>' in page.content.decode()
    assert staff_client.get("/staff/analytics/green-jobs/?programme=green-jobs").status_code == 200
