"""Communities in a real browser: a learner applies on the community page, a programme manager approves in the
console, the renewal reminder is emailed before expiry, the learner renews from their memberships page.
Screenshots of each step."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from communities.models import Membership
from outbox.models import OutboxEmail
from tests.browser.conftest import screenshot
from tests.communities.conftest import world  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.tools, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_violations = []  # what the Content-Security-Policy blocked: the flow must work without any
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text),
    )
    return page


def test_join_approve_remind_renew(browser, live_server, settings, world):  # noqa: F811
    from communities.renewals import KIND_RENEWAL_REMINDER, renewal_reminders_send

    settings.BASE_URL = live_server.url
    community = world.make(how_to_join="Work as a community health worker in the county.")
    learner = signed_in_page(browser, live_server, world.users["learner"])
    learner.goto(f"{live_server.url}/communities/{community.slug}/")
    learner.get_by_label("A few words about you and why you join").fill("Five years in Kisumu East.")
    screenshot(learner, "community-apply")
    learner.get_by_role("button", name="Send my application").click()
    assert learner.get_by_text("Your application was sent to the community's managers.").is_visible()

    manager = signed_in_page(browser, live_server, world.users["manager"])
    manager.goto(f"{live_server.url}/staff/p/{world.programme.slug}/communities/")
    manager.get_by_role("link", name=community.name).click()
    assert manager.get_by_text("Five years in Kisumu East.").is_visible()
    screenshot(manager, "community-console-queue")
    manager.get_by_role("button", name="Approve").click()
    assert manager.get_by_text("membership credential was issued").is_visible()
    membership = Membership.objects.get()
    assert membership.state == "active" and membership.award is not None

    # eleven months later (the membership is moved forward rather than the clock): the reminder goes out once
    Membership.objects.filter(pk=membership.pk).update(expires_at=timezone.now() + timedelta(days=10))
    assert renewal_reminders_send() == 1 and renewal_reminders_send() == 0
    reminder = OutboxEmail.objects.get(kind=KIND_RENEWAL_REMINDER)
    link = next(word for word in reminder.body_text.split() if word.endswith("/communities/mine/"))

    learner.goto(link)
    screenshot(learner, "community-renewal-due")
    learner.get_by_role("button", name="Renew my membership").click()
    assert learner.get_by_text("Renewed: your new membership credential is in your wallet.").is_visible()
    screenshot(learner, "community-renewed")
    membership.refresh_from_db()
    assert membership.period == 2 and membership.expires_at > timezone.now() + timedelta(days=365)
    for page in (learner, manager):
        assert not page.csp_violations, page.csp_violations
        page.context.close()
