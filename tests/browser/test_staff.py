"""Staff flows in a real browser: read the framework, issue a credential from the console, revoke it."""

import re

import pytest

from credentials.models import Award
from tests.browser.conftest import screenshot, wait_until
from tests.credentials.conftest import make_achievement

pytestmark = [pytest.mark.browser, pytest.mark.tools, pytest.mark.django_db(transaction=True)]


def test_framework_page_by_keyboard(page, live_server, default_framework):
    page.goto(f"{live_server.url}/framework/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    assert page.get_by_role("heading", name="Certificates: three tiers").is_visible()
    images = page.locator(".badge-grid img")
    assert images.count() >= 9
    for index in range(images.count()):  # lazy images load when scrolled to
        images.nth(index).scroll_into_view_if_needed()
    # every sample badge was rendered and decoded by the browser
    wait_until(
        page, "[...document.querySelectorAll('.badge-grid img')].every(i => i.complete && i.naturalWidth == 400)"
    )
    screenshot(page, "framework")


def test_staff_issues_and_revokes_from_the_console(page, live_server, django_user_model, default_framework):
    from credentials.services import issuer_create

    issuer = issuer_create(slug="centre", name="Centre", url="https://centre.example.org", email="b@centre.example.org")
    achievement = make_achievement(issuer, default_framework.badgecategory_set.get(code="competency"))
    django_user_model.objects.create_user("boss", "boss@example.org", "pw-123456!", is_staff=True, is_superuser=True)

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill("pw-123456!")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/credentials/award/issue/")
    page.get_by_label("Achievement").select_option(label=achievement.name)
    page.get_by_label("Recipient name").fill("Zoë Ndlovu")
    page.get_by_label("Recipient email").fill("zoe@example.org")
    page.get_by_role("button", name="Issue").click()
    page.wait_for_url(re.compile(r"/admin/credentials/award/\d+/change/"))
    award = Award.objects.get(recipient_email="zoe@example.org")

    page.goto(f"{live_server.url}/c/{award.public_id}/")
    assert page.get_by_text("Verified").first.is_visible()
    screenshot(page, "verification-page")

    page.goto(f"{live_server.url}/admin/credentials/award/")
    page.locator(f"input[name='_selected_action'][value='{award.pk}']").check()
    page.get_by_label("Action:").select_option(label="Revoke the selected credentials…")
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Reason (shown to verifiers)").fill("Issued to the wrong person")
    page.get_by_role("button", name="Revoke").click()
    page.goto(f"{live_server.url}/c/{award.public_id}/")
    assert page.get_by_role("status").filter(has_text="Issued to the wrong person").is_visible()
    award.refresh_from_db()
    assert award.state == "revoked"
