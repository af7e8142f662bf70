"""Organisations in a real browser: two members share their Social Dialogue badge with their organisation from
their wallet's Organisations page; the rule (the organisation holds its institutional programme, two staff
hold Social Dialogue) issues the organisation credential; the organisation's admin sees it in the
organisation's wallet with the rule's progress and the members' shared credentials; the public page lists it
and its verification page verifies it. Screenshots of each step."""

import pytest

from credentials.models import Award
from tests.browser.conftest import screenshot
from tests.browser.test_communities import signed_in_page
from tests.organisations.conftest import issue_to_organisation, world  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.tools, pytest.mark.django_db(transaction=True)]


def test_members_share_and_the_admin_sees_the_organisation_credential(browser, live_server, settings, world):  # noqa: F811
    settings.BASE_URL = live_server.url
    world.rule(minimum=2)
    issue_to_organisation(world.institutional, world.organisation)
    pages = []
    for key in ("m1", "m2"):
        learner = signed_in_page(browser, live_server, world.users[key])
        pages.append(learner)
        learner.goto(f"{live_server.url}/wallet/")
        learner.get_by_role("link", name="Organisations").click()
        assert learner.get_by_role("heading", name="My organisations").is_visible()
        if key == "m1":
            screenshot(learner, "organisation-member-before-sharing")
        learner.get_by_role("button", name="Share Social Dialogue").click()
        assert learner.get_by_text("“Social Dialogue” is shared with Ministry of Labour.").is_visible()
        assert learner.get_by_role("button", name="Stop sharing Social Dialogue").is_visible()
        if key == "m2":
            screenshot(learner, "organisation-member-shared")
    [earned] = Award.objects.filter(achievement=world.result)
    assert earned.recipient_kind == "organisation"

    admin = signed_in_page(browser, live_server, world.users["admin"])
    pages.append(admin)
    admin.goto(f"{live_server.url}/organisations/mine/")
    admin.get_by_role("link", name="Ministry of Labour").click()
    wallet = admin.locator("section", has=admin.get_by_role("heading", name="The organisation's wallet"))
    assert wallet.get_by_role("link", name="Learning Organisation").is_visible()
    assert wallet.get_by_role("link", name="Institutional Programme").is_visible()
    progress = admin.locator(f"#rule-{world.result.organisation_rules.get().pk}")
    assert progress.get_by_text("Earned").is_visible()
    assert progress.get_by_text("2 of 2 staff hold “Social Dialogue”").is_visible()
    members = admin.locator("section", has=admin.get_by_role("heading", name="Members and what they share"))
    assert members.get_by_role("link", name="Social Dialogue").count() == 2
    screenshot(admin, "organisation-admin-wallet")

    admin.get_by_role("link", name="Public page").click()
    assert admin.get_by_role("heading", name="Ministry of Labour").is_visible()
    assert admin.get_by_text("4 members on Laurel").is_visible()
    assert admin.get_by_text("Member m1").count() == 0  # no member data on the public page
    screenshot(admin, "organisation-public-page")
    admin.get_by_role("link", name="Learning Organisation", exact=True).click()
    assert f"/c/{earned.public_id}/" in admin.url
    assert admin.get_by_text("Ministry of Labour").first.is_visible()
    screenshot(admin, "organisation-credential-verified")
    for page in pages:
        assert not page.csp_violations, page.csp_violations
        page.context.close()
