"""The staff console in a real browser: a manager designs and publishes an achievement, an issuer issues it
to a pasted list after seeing the preview, a viewer sees the programme's home without the Issue action.
Screenshots of the home and the issue preview at desktop (1280) and phone (390) widths."""

import pytest
from django.conf import settings
from django.test import Client

from credentials.models import Achievement, Award
from tests.browser.conftest import screenshot, wait_until
from tests.credentials.conftest import make_achievement

pytestmark = [pytest.mark.browser, pytest.mark.tools, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def programme(default_framework):
    from credentials.services import issuer_create
    from programmes.models import Programme

    issuer_create(slug="centre", name="Training Centre", url="https://centre.example.org", email="b@centre.example.org")
    return Programme.objects.create(slug="nursing", name="Nursing", description="Care skills for ward staff.")


def sign_in(page, live_server, django_user_model, username, programme, role):
    from programmes.models import StaffRole

    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw-123456!")
    StaffRole.objects.create(user=user, programme=programme, role=role)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return user


def published(programme, default_framework, *, certificate=False):
    """Wound Care: a Competency badge, or a Certificate of Achievement (a badge has no certificate to preview)."""
    from credentials.models import Issuer

    issuer = Issuer.objects.get()
    if certificate:
        tier = default_framework.certificatetier_set.get(code="achievement")
        return make_achievement(
            issuer, None, tier=tier, programme=programme, slug="wound-care", name="Wound Care", alignments=[]
        )
    category = default_framework.badgecategory_set.get(code="competency")
    return make_achievement(issuer, category, programme=programme, slug="wound-care", name="Wound Care")


def test_manager_designs_and_publishes(page, live_server, django_user_model, programme):
    sign_in(page, live_server, django_user_model, "manager", programme, "manager")
    page.goto(f"{live_server.url}/staff/p/nursing/")
    page.get_by_role("link", name="New achievement").click()
    page.get_by_label("Tier or category").select_option(label="Competency")
    page.get_by_label("Name", exact=True).fill("Wound Care")
    # the live preview follows the typed name (static JS asks the preview view for the PNG)
    wait_until(page, "document.querySelector('[data-badge-image]').src.includes('Wound')")
    wait_until(
        page,
        "document.querySelector('[data-badge-image]').complete && "
        "document.querySelector('[data-badge-image]').naturalWidth > 0",
    )
    assert page.locator("details[data-guidance][open] summary").inner_text() == "Competency"
    page.get_by_label("Description", exact=True).fill("Cleans and dresses wounds safely.")
    page.get_by_label("Criteria", exact=True).fill("Dress three wounds under observation.")
    page.get_by_label("Assessment method", exact=True).fill("Observed practice")
    page.get_by_label("Evidence required", exact=True).fill("Assessor checklist")
    page.get_by_label("Hours").fill("30")
    page.get_by_label("ECTS credits").fill("1")
    page.get_by_label("Level", exact=True).fill("1")
    page.get_by_label("Validity (days)").fill("730")
    page.get_by_label("ESCO skill 1: URI").fill("http://data.europa.eu/esco/skill/0e6a4f6e-3c1b-4b9f-9f3d-2a4c5d6e7f80")
    page.get_by_label("ESCO skill 1: label").fill("treat wounds")
    screenshot(page, "console-achievement-design")
    page.get_by_role("button", name="Save as draft").click()
    assert page.get_by_text("Saved “Wound Care” as a draft.").is_visible()
    page.get_by_role("button", name="Submit for review").click()
    assert page.get_by_text("Submitted for review: a manager can publish it now.").is_visible()
    page.get_by_role("button", name="Publish").click()
    assert page.get_by_text("Published: it can be issued now.").is_visible()
    assert Achievement.objects.get(name="Wound Care").status == "published"


def test_issuer_issues_to_a_pasted_list_with_preview(
    page, live_server, django_user_model, programme, default_framework
):
    achievement = published(programme, default_framework, certificate=True)
    sign_in(page, live_server, django_user_model, "issuer", programme, "issuer")
    page.goto(f"{live_server.url}/staff/p/nursing/")
    page.get_by_role("link", name="Issue", exact=True).first.click()
    page.get_by_label("Achievement", exact=True).select_option(label=achievement.name)
    page.get_by_label("A pasted list").check()
    assert page.get_by_label("Recipient email").is_hidden()  # only the fields of the chosen way show
    page.get_by_label("Recipients, one a line").fill("Lena Park <lena@example.org>\nOmar Haddad, omar@example.org")
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_role("heading", name="Claim email").is_visible()
    assert page.get_by_text("Training Centre awarded you “Wound Care”").is_visible()
    wait_until(
        page,
        "document.querySelector('.preview-badge').complete && "
        "document.querySelector('.preview-badge').naturalWidth > 0",
    )
    frame = page.frame_locator(".preview-certificate")
    assert frame.get_by_text("Lena Park").first.is_visible()
    screenshot(page, "console-issue-preview-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    page.locator(".preview-certificate").scroll_into_view_if_needed()
    wait_until(page, "document.querySelector('.certificate-box').getBoundingClientRect().width < 360")
    frame.get_by_text("Lena Park").first.wait_for()
    screenshot(page, "console-issue-preview-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Issue 2 credentials").click()
    wait_until(page, "!!document.querySelector('.progress-box')")
    assert page.get_by_role("link", name="Download the report (CSV)").is_visible()
    assert set(Award.objects.values_list("recipient_email", flat=True)) == {"lena@example.org", "omar@example.org"}
    screenshot(page, "console-issue-result")
    page.get_by_role("link", name="See the awards").click()
    assert page.get_by_role("link", name="Lena Park").is_visible()
    screenshot(page, "console-awards")
    page.get_by_role("link", name="Omar Haddad").click()
    page.get_by_label("Reason (shown to verifiers)").first.fill("Did not attend")
    page.get_by_role("button", name="Revoke", exact=True).click()
    assert page.get_by_text("Revoked. Verifiers now see it as revoked, with your reason.").is_visible()
    assert Award.objects.get(recipient_email="omar@example.org").state == "revoked"
    screenshot(page, "console-award")


def test_viewer_sees_the_home_but_no_issue_action(page, live_server, django_user_model, programme, default_framework):
    from credentials.services import Recipient, award_issue

    achievement = published(programme, default_framework)
    award_issue(achievement=achievement, recipient=Recipient(email="amina@example.org", name="Amina Okonkwo"))
    sign_in(page, live_server, django_user_model, "viewer", programme, "viewer")
    page.goto(f"{live_server.url}/staff/")  # one programme: straight to its home
    assert page.get_by_role("heading", name="Nursing", level=1).is_visible()
    assert page.get_by_role("link", name="Amina Okonkwo").is_visible()
    assert page.get_by_role("link", name="Issue", exact=True).count() == 0
    assert page.get_by_role("link", name="Awards").first.is_visible()
    page.keyboard.press("Tab")
    assert page.get_by_role("link", name="Skip to content").evaluate("el => el === document.activeElement")
    screenshot(page, "console-home-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "console-home-phone")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Events").first.click()
    assert page.get_by_role("heading", name="Events", level=1).is_visible()
    page.get_by_role("link", name="Awards").first.click()
    page.get_by_label("Search", exact=True).fill("okonkwo")
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_role("link", name="Amina Okonkwo").is_visible()
    assert page.get_by_role("button", name="Revoke selected").count() == 0  # a viewer reads only


def test_viewer_reads_the_analytics(page, live_server, django_user_model, programme, default_framework):
    from django.core.management import call_command

    from credentials.services import Recipient, award_accept, award_issue

    achievement = published(programme, default_framework)
    for number in range(6):
        award = award_issue(
            achievement=achievement, recipient=Recipient(email=f"p{number}@example.org", name=f"P{number}")
        )
        if number % 2:
            award_accept(award=award)
    call_command("analytics_rebuild", verbosity=0)
    sign_in(page, live_server, django_user_model, "viewer", programme, "viewer")
    page.goto(f"{live_server.url}/staff/p/nursing/")
    page.get_by_role("link", name="Analytics").first.click()
    assert page.get_by_role("heading", name="Analytics: Nursing", level=1).is_visible()
    assert page.locator("svg").first.is_visible()
    assert page.get_by_role("link", name="Issue", exact=True).count() == 0
    screenshot(page, "console-analytics-desktop")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # nothing sideways
    screenshot(page, "console-analytics-phone")
    page.set_viewport_size(DESKTOP)
