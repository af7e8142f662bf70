"""Applications in a real browser: a learner applies from the credential's page with a file, a link and a
narrative, nominating an assessor; the assessor opens the link from the outbox email (no account) and approves;
the credential is in the learner's wallet. Screenshots of each step."""

import re

import pytest

from applications.models import Application
from outbox.models import OutboxEmail
from tests.applications.conftest import png_bytes, world  # noqa: F401 (the fixture)
from tests.browser import axe
from tests.browser.conftest import screenshot
from tests.browser.test_communities import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.tools, pytest.mark.django_db(transaction=True)]


def accessible(page, name: str) -> None:
    result = axe.run(page)
    axe.save(name, result)
    assert not result["violations"], f"{name}: {axe.describe(result['violations'])}"


def test_apply_nominee_approves_credential_in_wallet(browser, live_server, settings, world, tmp_path):  # noqa: F811
    settings.BASE_URL = live_server.url
    axe.require_axe()
    evidence = tmp_path / "site-visit.png"
    evidence.write_bytes(png_bytes((320, 200)))

    learner = signed_in_page(browser, live_server, world.users["learner"])
    learner.goto(f"{live_server.url}/achievements/{world.application_badge.slug}/")
    learner.get_by_role("link", name="Apply for this credential").click()
    learner.get_by_label("Narrative: what you did, where, and what you learned").fill(
        "I adopted the revised inspection checklist in my unit and trained two colleagues."
    )
    learner.get_by_label("Links to your work (one per line)").fill("https://example.org/checklist-v2")
    learner.get_by_label("Files (PDF, PNG or JPEG)").set_input_files(str(evidence))
    learner.get_by_label("Their name").fill("Grace Assessor")
    learner.get_by_label("Their email").fill("grace@example.net")
    screenshot(learner, "application-apply")
    accessible(learner, "application-apply")
    learner.get_by_role("button", name="Send my application").click()
    assert learner.get_by_text("Grace Assessor was emailed a link to review it.").is_visible()
    screenshot(learner, "application-sent")
    accessible(learner, "application-sent")
    application = Application.objects.get()
    assert application.files.count() == 1 and application.state == "submitted"

    staff = signed_in_page(browser, live_server, world.users["manager"])
    staff.goto(f"{live_server.url}/staff/p/{world.programme.slug}/applications/")
    staff.get_by_role("link", name="Amina Okonkwo").click()
    assert staff.get_by_text("trained two colleagues").is_visible()
    screenshot(staff, "application-console-detail")
    accessible(staff, "application-console-detail")
    staff.context.close()

    email = OutboxEmail.objects.get(kind="application_nominee", to_email="grace@example.net")
    link = re.search(r"https?://\S+/applications/review/\S+/", email.body_text).group(0)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    nominee = context.new_page()
    nominee.set_default_timeout(15_000)
    nominee.goto(link)
    assert nominee.get_by_text("trained two colleagues").is_visible()
    assert nominee.get_by_role("link", name="site-visit.png").is_visible()
    nominee.get_by_label("Comment (the applicant reads it; required to ask for changes or decline)").fill(
        "Clear evidence of the checklist in use."
    )
    screenshot(nominee, "application-nominee-review")
    accessible(nominee, "application-nominee-review")
    nominee.get_by_role("button", name="Approve").click()
    assert nominee.get_by_text("received the credential").is_visible()
    screenshot(nominee, "application-nominee-approved")
    application.refresh_from_db()
    assert application.state == "approved" and application.award.state == "accepted"

    learner.goto(f"{live_server.url}/wallet/goals/")
    learner.get_by_label("Credential you aim at").select_option(world.mentor_badge.slug)
    learner.get_by_role("button", name="Set the goal").click()
    assert learner.get_by_role("heading", name=world.mentor_badge.name).is_visible()
    screenshot(learner, "application-goals")
    accessible(learner, "application-goals")
    learner.goto(f"{live_server.url}/wallet/")
    assert learner.get_by_text(world.application_badge.name).first.is_visible()
    screenshot(learner, "application-wallet")
    learner.goto(f"{live_server.url}/c/{application.award.public_id}/")
    assert learner.get_by_text("site-visit.png").first.is_visible()
    screenshot(learner, "application-credential")
    href = learner.get_by_role("link", name="site-visit.png").first.get_attribute("href")
    file = learner.context.request.get(href)  # the file is evidence in the credential: its URL resolves for anyone
    assert file.ok and file.headers["content-type"] == "image/png"
    assert not learner.csp_violations, learner.csp_violations
    learner.context.close()
    context.close()
