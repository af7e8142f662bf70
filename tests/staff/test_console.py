"""The staff console's pages and flows: who sees what, issuing (one, a list, a CSV), the achievement workflow,
awards and their actions, recipients, events, search; bad input answered with messages, never a 500."""

import pytest
from django.urls import reverse

from credentials.models import Achievement, Award, BulkJob
from outbox.models import OutboxEmail

from .conftest import client_for

pytestmark = pytest.mark.django_db


def url(name, console, **kwargs):
    return reverse(f"staff:{name}", kwargs={"programme": console.a.slug, **kwargs})


def test_anonymous_is_sent_to_sign_in(client, console):
    response = client.get("/staff/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_no_role_gets_a_clear_403(console):
    response = client_for(console.users["none"]).get("/staff/")
    assert response.status_code == 403
    assert "holds no role in any programme" in response.content.decode()


def test_a_programme_of_someone_else_is_not_shown(console):
    response = client_for(console.users["other"]).get(url("home", console))
    assert response.status_code == 404


def test_viewer_sees_the_home_without_issue_action(console, django_assert_max_num_queries):
    client = client_for(console.users["viewer"])
    with django_assert_max_num_queries(15):
        response = client.get(url("home", console))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Amina Okonkwo" in page and "a.csv" in page
    assert url("issue", console) not in page
    assert client.get(url("issue", console)).status_code == 403


def test_issuer_home_has_the_issue_action(console):
    page = client_for(console.users["issuer"]).get(url("home", console)).content.decode()
    assert url("issue", console) in page
    assert url("achievement_new", console) not in page  # designing is the manager's


def test_home_query_count_is_bounded_with_more_data(console, django_assert_max_num_queries):
    from credentials.services import Recipient, award_issue_many

    award_issue_many(
        achievement=console.achievement,
        recipients=[Recipient(email=f"p{i}@example.org", name=f"P {i}") for i in range(30)],
    )
    client = client_for(console.users["manager"])
    with django_assert_max_num_queries(15):
        assert client.get(url("home", console)).status_code == 200


def test_index_lists_every_programme_for_an_admin(console):
    page = client_for(console.users["admin"]).get("/staff/").content.decode()
    assert "Nursing" in page and "Logistics" in page


def test_index_goes_straight_to_the_only_programme(console):
    response = client_for(console.users["viewer"]).get("/staff/")
    assert response.status_code == 302 and response["Location"] == url("home", console)


# --- Issuing --------------------------------------------------------------------------------------------


def test_issue_one_recipient_preview_then_confirm(console, settings):
    settings.LANGUAGE_CODE = "en"
    client = client_for(console.users["issuer"])
    assert client.get(url("issue", console)).status_code == 200
    data = {
        "achievement": console.achievement.pk,
        "mode": "one",
        "name": "Zoë Ndlovu",
        "email": "zoe@example.org",
        "language": "fr",
    }
    response = client.post(url("issue", console), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Zoë Ndlovu" in page and "Issue the credential" in page
    assert "vous a décerné" in page or "Bonjour" in page  # the claim email in the recipient's language
    assert not Award.objects.filter(recipient_email="zoe@example.org").exists()
    token = page.split('name="token" value="')[1].split('"')[0]
    confirm = {**data, "token": token}
    response = client.post(url("issue_confirm", console), confirm)
    award = Award.objects.get(recipient_email="zoe@example.org")
    assert response.status_code == 302 and award.public_id in response["Location"]
    assert award.recipient_language == "fr" and award.created_by == console.users["issuer"]
    client.post(url("issue_confirm", console), confirm)  # a second click
    assert Award.objects.filter(recipient_email="zoe@example.org").count() == 1


def test_certificate_preview_and_pdf(console):
    client = client_for(console.users["issuer"])
    query = {"achievement": console.certificate.pk, "name": "Zoë Ndlovu", "language": "en"}
    badge = {**query, "achievement": console.achievement.pk}  # a badge: no certificate to preview
    assert client.get(url("issue_certificate", console), badge).status_code == 404
    assert client.get(url("issue_certificate_pdf", console), badge).status_code == 404
    response = client.get(url("issue_certificate", console), query)
    assert response.status_code == 200 and "Zoë Ndlovu" in response.content.decode()
    assert "sandbox" in response["Content-Security-Policy"]
    pdf = client.get(url("issue_certificate_pdf", console), query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(url("issue_certificate", console), {"achievement": console.other.pk}).status_code == 404


def test_issue_a_pasted_list_runs_a_bulk_job(console, django_capture_on_commit_callbacks):
    client = client_for(console.users["issuer"])
    data = {
        "achievement": console.achievement.pk,
        "mode": "list",
        "recipients": "Lena Park <lena@example.org>\nOmar Haddad, omar@example.org\n\n",
    }
    response = client.post(url("issue", console), data)
    job = BulkJob.objects.exclude(pk=console.job.pk).get()
    assert response.status_code == 302 and response["Location"] == url("job", console, pk=job.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Issue 2 credentials" in page and "Lena Park" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("job_start", console, pk=job.pk)).status_code == 302
    job.refresh_from_db()
    assert job.state == BulkJob.State.DONE and job.created_count == 2  # tasks run eagerly in tests
    page = client.get(url("job", console, pk=job.pk)).content.decode()
    assert "Download the report" in page
    progress = client.get(url("job_progress", console, pk=job.pk)).json()
    assert progress["finished"] and progress["created"] == 2
    report = b"".join(client.get(url("job_report", console, pk=job.pk)).streaming_content).decode()
    assert "lena@example.org" in report and "issued" in report


def test_a_bad_list_keeps_the_text_and_names_the_lines(console):
    client = client_for(console.users["issuer"])
    text = "Lena Park <lena@example.org>\nnot a recipient\nOmar, omar@@example\n"
    response = client.post(
        url("issue", console), {"achievement": console.achievement.pk, "mode": "list", "recipients": text}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Line 2" in page and "Line 3" in page
    assert "not a recipient" in page  # what was typed is still there
    assert BulkJob.objects.count() == 1


def test_a_csv_upload_and_a_broken_one(console):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(console.users["issuer"])
    good = SimpleUploadedFile("people.csv", b"email,name\nmia@example.org,Mia Chen\nli@example.org,Li Wei\n")
    response = client.post(url("issue", console), {"achievement": console.achievement.pk, "mode": "csv", "file": good})
    assert response.status_code == 302
    broken = SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    response = client.post(
        url("issue", console), {"achievement": console.achievement.pk, "mode": "csv", "file": broken}
    )
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    invalid = SimpleUploadedFile("bad.csv", b"email,name\nnot-an-email,Mia\n")
    response = client.post(
        url("issue", console), {"achievement": console.achievement.pk, "mode": "csv", "file": invalid}
    )
    job = BulkJob.objects.get(filename="bad.csv")
    assert job.state == BulkJob.State.INVALID
    page = client.get(response["Location"]).content.decode()
    assert "not-an-email" in page and "nothing was issued" in page


@pytest.mark.parametrize("which", ["draft", "other programme"])
def test_only_published_achievements_of_the_programme_can_be_issued(console, which):
    from credentials.services import Recipient, award_issue

    client = client_for(console.users["issuer"])
    if which == "draft":
        Achievement.objects.filter(pk=console.achievement.pk).update(status=Achievement.Status.DRAFT)
        target = console.achievement
    else:
        target = console.other
    response = client.post(
        url("issue", console), {"achievement": target.pk, "mode": "one", "name": "Zoë", "email": "zoe@example.org"}
    )
    assert response.status_code == 400
    assert "Choose a published achievement of this programme" in response.content.decode()
    if which == "draft":
        target.refresh_from_db()
        with pytest.raises(Exception, match="not published"):
            award_issue(achievement=target, recipient=Recipient(email="zoe@example.org", name="Zoë"))


def test_issue_with_nothing_given(console):
    response = client_for(console.users["issuer"]).post(url("issue", console), {"mode": "one"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the recipient" in page and "Choose" in page


# --- Achievements ---------------------------------------------------------------------------------------


def _design(console, **overrides):
    data = {
        "name": "Wound Care",
        "kind": f"category:{console.competency.pk}",
        "issuer": console.issuer.pk,
        "description": "Cleans and dresses wounds safely.",
        "criteria_narrative": "Dress three wounds under observation.",
        "assessment_method": "Observed practice",
        "evidence_required": "Assessor checklist",
        "hours": "30",
        "ects_credits": "1",
        "level": "1",
        "validity_days": "730",
        "language": "en",
        "esco_uri_1": "http://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80",
        "esco_label_1": "treat wounds",
    }
    data.update(overrides)
    return data


def test_manager_designs_submits_and_publishes(console):
    client = client_for(console.users["manager"])
    assert client.get(url("achievement_new", console)).status_code == 200
    response = client.post(url("achievement_new", console), _design(console))
    achievement = Achievement.objects.get(name="Wound Care")
    assert response.status_code == 302
    assert achievement.status == "draft" and achievement.programme == console.a and achievement.slug == "wound-care"
    assert client.post(url("achievement_step", console, pk=achievement.pk, step="submit")).status_code == 302
    achievement.refresh_from_db()
    assert achievement.status == "submitted"
    assert client.post(url("achievement_step", console, pk=achievement.pk, step="publish")).status_code == 302
    achievement.refresh_from_db()
    assert achievement.status == "published"
    from audit.models import AuditEntry

    entry = AuditEntry.objects.filter(action="achievement.publish").get()
    assert entry.programme_id == console.a.pk
    assert client.get(url("achievement_edit", console, pk=achievement.pk)).status_code == 302  # frozen


def test_content_rules_are_shown_as_form_errors(console):
    client = client_for(console.users["manager"])
    response = client.post(url("achievement_new", console), _design(console, assessment_method="", hours=""))
    assert response.status_code == 400
    assert not Achievement.objects.filter(name="Wound Care").exists()
    page = response.content.decode()
    assert "is required for a" in page and "Wound Care" in page


def test_issuer_cannot_publish(console):
    achievement = console.achievement
    Achievement.objects.filter(pk=achievement.pk).update(status="submitted")
    response = client_for(console.users["issuer"]).post(
        url("achievement_step", console, pk=achievement.pk, step="publish")
    )
    assert response.status_code == 403
    achievement.refresh_from_db()
    assert achievement.status == "submitted"


def test_badge_preview_image(console):
    client = client_for(console.users["manager"])
    response = client.get(
        url("achievement_preview", console),
        {"kind": f"category:{console.competency.pk}", "name": "Wound Care", "level": "1"},
    )
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    assert client.get(url("achievement_preview", console), {"kind": "nope"}).status_code == 404


def test_achievement_list_by_status(console):
    page = client_for(console.users["viewer"]).get(url("achievements", console)).content.decode()
    assert "Negotiation Skills" in page and "Published" in page and "Forklift" not in page


# --- Awards, recipients, events, search ---------------------------------------------------------------


def test_awards_search_filter_export(console, django_assert_max_num_queries):
    client = client_for(console.users["viewer"])
    with django_assert_max_num_queries(12):
        page = client.get(url("awards", console), {"q": "amina"}).content.decode()
    assert "Amina Okonkwo" in page and "Bo Lindqvist" not in page
    page = client.get(url("awards", console), {"q": console.award.public_id}).content.decode()
    assert "Amina Okonkwo" in page
    page = client.get(url("awards", console), {"state": "revoked"}).content.decode()
    assert "Amina Okonkwo" not in page
    page = client.get(url("awards", console), {"since": "not a date", "page": "x"}).content.decode()
    assert "Amina Okonkwo" in page  # a bad filter is ignored, never a 500
    export = b"".join(client.get(url("awards_export", console)).streaming_content).decode()
    assert export.startswith("credential_id,") and console.award.public_id in export and "Bo Lindqvist" not in export


def test_award_detail_resend_revoke_reissue(console):
    client = client_for(console.users["issuer"])
    award = console.award
    assert client.get(url("award", console, public_id=award.public_id)).status_code == 200
    before = OutboxEmail.objects.filter(award=award).count()
    OutboxEmail.objects.filter(award=award).update(created_at="2020-01-01T00:00:00Z")
    client.post(url("award_resend", console, public_id=award.public_id))
    assert OutboxEmail.objects.filter(award=award).count() == before + 1
    client.post(url("award_resend", console, public_id=award.public_id))  # at once again: refused
    assert OutboxEmail.objects.filter(award=award).count() == before + 1
    response = client.post(
        url("award_reissue", console, public_id=award.public_id),
        {
            "reissue-reason": "Name misspelt",
            "reissue-recipient_name": "Amina Okonkwo-Ade",
            "reissue-recipient_email": award.recipient_email,
        },
    )
    award.refresh_from_db()
    new = award.replaced_by
    assert award.state == "revoked" and new.recipient_name == "Amina Okonkwo-Ade"
    assert new.public_id in response["Location"]
    response = client.post(url("award_revoke", console, public_id=new.public_id), {"revoke-reason": ""})
    new.refresh_from_db()
    assert new.state == "issued"  # no reason: refused with a message
    client.post(url("award_revoke", console, public_id=new.public_id), {"revoke-reason": "Left the course"})
    new.refresh_from_db()
    assert new.state == "revoked" and new.revocation_reason == "Left the course"


def test_bulk_revoke_only_touches_this_programme(console):
    from credentials.services import Recipient, award_issue

    second = award_issue(achievement=console.achievement, recipient=Recipient(email="li@example.org", name="Li Wei"))
    client = client_for(console.users["issuer"])
    response = client.post(
        url("awards_revoke", console),
        {"ids": [console.award.pk, second.pk, console.other_award.pk], "reason": "Cancelled course", "back": "q=li"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?q=li")
    states = dict(Award.objects.values_list("pk", "state"))
    assert states[console.award.pk] == states[second.pk] == "revoked"
    assert states[console.other_award.pk] == "issued"


def test_issuer_of_a_cannot_revoke_an_award_of_b(console):
    from django.core.exceptions import PermissionDenied

    from credentials.services import award_revoke

    client = client_for(console.users["issuer"])
    url_b = reverse("staff:award_revoke", kwargs={"programme": "logistics", "public_id": console.other_award.public_id})
    assert client.post(url_b, {"revoke-reason": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        award_revoke(award=console.other_award, reason="x", actor=console.users["issuer"])
    console.other_award.refresh_from_db()
    assert console.other_award.state == "issued"


def test_recipients_and_events_and_search(console, django_assert_max_num_queries):
    client = client_for(console.users["viewer"])
    with django_assert_max_num_queries(12):
        page = client.get(url("recipients", console)).content.decode()
    assert "amina@example.org" in page and "bo@example.org" not in page
    page = client.get(url("recipient", console, email="amina@example.org")).content.decode()
    assert "Negotiation Skills" in page
    assert client.get(url("recipient", console, email="bo@example.org")).status_code == 404
    with django_assert_max_num_queries(12):
        page = client.get(url("events", console)).content.decode()
    assert "Forum" in page and console.event.code in page
    counts = client.get(url("event_counts", console)).json()
    assert counts == {"events": [{"id": console.event.pk, "confirmed": 0, "pending": 0}]}
    page = client.get("/staff/search/", {"q": "Okonkwo"}).content.decode()
    assert "Amina Okonkwo" in page
    page = client.get("/staff/search/", {"q": "Lindqvist"}).content.decode()
    assert "Bo Lindqvist" not in page  # programme B is not the viewer's
    page = client_for(console.users["admin"]).get("/staff/search/", {"q": "Lindqvist"}).content.decode()
    assert "Bo Lindqvist" in page


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("achievements", ""),
        ("awards", ""),
        ("recipients", ""),
        ("events", ""),
        ("issue", ""),
        ("job", "job"),
        ("award", "award"),
    ],
)
def test_query_budget_does_not_grow_with_the_list(console, name, kwargs, django_assert_max_num_queries):
    """Each page reads its list in a fixed number of queries: 60 more awards change nothing."""
    from credentials.services import Recipient, award_issue_many

    award_issue_many(
        achievement=console.achievement,
        recipients=[Recipient(email=f"p{i}@example.org", name=f"P {i}") for i in range(60)],
    )
    kwargs = {"job": {"pk": console.job.pk}, "award": {"public_id": console.award.public_id}}.get(kwargs, {})
    client = client_for(console.users["issuer"])
    with django_assert_max_num_queries(14):
        assert client.get(url(name, console, **kwargs)).status_code == 200


def test_index_query_budget(console, django_assert_max_num_queries):
    client = client_for(console.users["admin"])
    with django_assert_max_num_queries(8):
        assert client.get("/staff/").status_code == 200


def test_organisations_and_what_was_typed_survives_a_refusal(console, default_framework):
    from credentials.models import Achievement as A
    from tests.credentials.conftest import make_achievement

    category = default_framework.badgecategory_set.get(code="organisational_development")
    org_badge = make_achievement(
        console.issuer, category, slug="ward-of-excellence", name="Ward of Excellence", programme=console.a
    )
    client = client_for(console.users["issuer"])
    data = {"achievement": org_badge.pk, "mode": "one", "name": "St Mary's Ward 4", "email": "ward4@example.org"}
    response = client.post(url("issue", console), data)
    assert response.status_code == 400 and "awarded to organisations only" in response.content.decode()
    response = client.post(url("issue", console), {**data, "organisation": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    token = page.split('name="token" value="')[1].split('"')[0]
    confirm = {**data, "language": "en", "organisation": "1", "token": token}
    A.objects.filter(pk=org_badge.pk).update(status="archived")  # withdrawn between preview and confirmation
    response = client.post(url("issue_confirm", console), confirm)
    assert response.status_code == 302 and "name=St+Mary" in response["Location"]  # back to the form, filled in
    assert not Award.objects.filter(recipient_email="ward4@example.org").exists()
    A.objects.filter(pk=org_badge.pk).update(status="published")
    client.post(url("issue_confirm", console), confirm)
    assert Award.objects.get(recipient_email="ward4@example.org").recipient_kind == "organisation"


def test_navigation_and_switcher(console):
    from programmes.models import StaffRole

    manager = console.users["manager"]
    page = client_for(manager).get(url("home", console)).content.decode()
    assert "/staff/p/nursing/team/" in page and "/staff/analytics/nursing/" in page
    viewer_page = client_for(console.users["viewer"]).get(url("home", console)).content.decode()
    assert "/staff/p/nursing/team/" not in viewer_page and "/staff/analytics/" in viewer_page
    StaffRole.objects.create(user=manager, programme=console.b, role="viewer")
    client = client_for(manager)
    page = client.get(url("home", console)).content.decode()
    assert 'id="programme-switch"' in page and "Logistics" in page
    response = client.get("/staff/", {"p": "logistics"})  # the switcher without JavaScript
    assert response.status_code == 302 and response["Location"] == "/staff/p/logistics/"
    assert client.get("/staff/", {"p": "nope"}).status_code == 200  # unknown: the list of programmes


def test_console_frame_on_analytics_and_team_pages(client, console):
    """Pages other apps serve under /staff/ have the console's navigation and switcher too (staff.context.chrome)."""
    client.force_login(console.users["manager"])
    for url in ("/staff/analytics/nursing/", "/staff/p/nursing/team/"):
        page = client.get(url).content.decode()
        assert 'class="console-nav"' in page and "/staff/p/nursing/issue/" in page, url
        assert 'aria-current="page"' in page, url


def test_programme_home_shows_engagement_and_the_last_twelve_months(client, console):
    client.force_login(console.users["viewer"])
    page = client.get("/staff/p/nursing/").content.decode()
    assert "Share rate" in page and "Verification-page views" in page
    assert "Issued, claimed and shared per month" in page and "/staff/analytics/nursing/" in page


def test_manager_creates_and_revokes_an_api_key(console):
    from api.models import ApiKey

    client = client_for(console.users["manager"])
    response = client.post("/staff/p/nursing/api-keys/", {"name": "LMS", "role": "issuer"})
    assert response.status_code == 200
    key = ApiKey.objects.get(programme__slug="nursing", name="LMS")
    token = response.content.decode().split('<code class="secret">')[1].split("</code>")[0]
    assert token.startswith(key.prefix)
    api = client_for(None)
    assert api.get("/api/v1/programmes", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert token not in client.get("/staff/p/nursing/api-keys/").content.decode()  # shown once
    assert client.post("/staff/p/nursing/api-keys/", {"name": "", "role": "king"}).status_code == 400
    assert client.post(f"/staff/p/nursing/api-keys/{key.pk}/revoke/").status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert api.get("/api/v1/programmes", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    issuer = client_for(console.users["issuer"])
    assert issuer.get("/staff/p/nursing/api-keys/").status_code == 403
