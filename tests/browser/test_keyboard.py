"""Keyboard only (issue 15.5): claim a credential from the claim link, share one from the wallet (make it
public, copy its link), issue one in the staff console through the preview — with Tab, Shift+Tab, arrows,
typing and Enter/Space, never a click. Every control reached shows a visible focus ring.

`reach()` presses Tab until the wanted control has the focus (so the tests do not depend on the order of a
page's controls, only on their accessible names), and checks the focus ring of each control it passes.
"""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from credentials.models import Award
from credentials.services import Recipient, award_issue
from tests.browser.conftest import screenshot, wait_until
from tests.credentials.conftest import make_achievement
from wallets.models import ShareEvent

pytestmark = [pytest.mark.browser, pytest.mark.tools, pytest.mark.django_db(transaction=True)]

# Laurel's focus ring (static/css/laurel.css): a 3 px amber outline around a dark 2 px ring.
FOCUS_RING = """(() => {
  const style = getComputedStyle(document.activeElement);
  return style.outlineStyle === 'solid' && parseFloat(style.outlineWidth) >= 3 && style.boxShadow.includes('2px');
})()"""


def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def reach(page, locator, *, limit: int = 150) -> None:
    """Tab forward until `locator` has the focus; every control passed on the way must show its focus."""
    locator.wait_for()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement !== document.body"):
            described = page.evaluate("document.activeElement.outerHTML.slice(0, 160)")
            assert page.evaluate(FOCUS_RING), f"no visible focus on {described}"
        if is_focused(locator):
            return
    raise AssertionError(f"Tab never reached {locator}")


def choose(page, select, label: str) -> None:
    """A focused <select>: arrow down until the option `label` is chosen."""
    for _ in range(50):
        if select.evaluate("s => s.options[s.selectedIndex].text") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {label!r}")


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


@pytest.fixture
def programme_achievement(issuer, competency):
    from programmes.services import programme_create

    programme = programme_create(slug="nursing", name="Nursing", description="Care skills for ward staff.")
    return make_achievement(issuer, competency, programme=programme, slug="wound-care", name="Wound Care")


def test_claim_by_keyboard(page, live_server, settings, programme_achievement):
    settings.BASE_URL = live_server.url
    mail.outbox.clear()
    award = award_issue(
        achievement=programme_achievement, recipient=Recipient(email="amina@example.org", name="Amina Okonkwo")
    )
    body = next(m for m in mail.outbox if m.to == ["amina@example.org"]).body
    page.goto(re.search(re.escape(live_server.url) + r"/wallet/claim/[^\s]+/", body).group(0))

    page.keyboard.press("Tab")  # the first stop is the skip link, which moves the focus into the page
    assert is_focused(page.get_by_role("link", name="Skip to content"))
    page.keyboard.press("Enter")
    reach(page, page.get_by_label("Your name"))
    page.keyboard.type("Amina Okonkwo")
    reach(page, page.get_by_label("Choose a password"))
    page.keyboard.type("a-long-learner-passphrase-7")
    reach(page, page.get_by_label("Repeat the password"))
    page.keyboard.type("a-long-learner-passphrase-7")
    reach(page, page.get_by_role("button", name="Accept and create my wallet"))
    screenshot(page, "keyboard-claim-focus")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/wallet/c/{award.public_id}/"))
    award.refresh_from_db()
    assert award.state == "accepted"


def test_share_from_the_wallet_by_keyboard(page, live_server, settings, programme_achievement, django_user_model):
    from allauth.account.models import EmailAddress

    from wallets.services import claim_accept

    settings.BASE_URL = live_server.url
    learner = django_user_model.objects.create_user("amina", "amina@example.org", "a-long-learner-passphrase-7")
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    award = award_issue(
        achievement=programme_achievement, recipient=Recipient(email="amina@example.org", name="Amina Okonkwo")
    )
    claim_accept(award=award, user=learner)
    sign_in(page, live_server, learner)

    page.goto(f"{live_server.url}/wallet/")
    reach(page, page.get_by_role("link", name="Wound Care").first)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/wallet/c/{award.public_id}/")

    reach(page, page.get_by_role("button", name="Make public"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Make private").is_visible()
    from wallets.models import WalletEntry

    assert WalletEntry.objects.get(user=learner, award=award).is_public

    reach(page, page.get_by_role("button", name="Copy the link"))
    screenshot(page, "keyboard-share-focus")
    page.keyboard.press("Enter")
    wait_until(page, "navigator.clipboard.readText().then(t => t.length > 0)")
    assert page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/c/{award.public_id}/"
    wait_until(  # announced to screen readers
        page, "[...document.querySelectorAll('[role=status]')].some(e => e.textContent.includes('Copied'))"
    )
    for _ in range(50):  # the copy button records the share with a beacon
        if ShareEvent.objects.filter(award=award, channel="link").exists():
            break
        page.wait_for_timeout(100)
    assert ShareEvent.objects.filter(award=award, channel="link").exists()


def test_issue_through_the_preview_by_keyboard(page, live_server, settings, programme_achievement, django_user_model):
    from programmes.models import StaffRole

    settings.BASE_URL = live_server.url
    issuer = django_user_model.objects.create_user("issuer", "issuer@example.org", "pw-123456!", is_staff=True)
    StaffRole.objects.create(user=issuer, programme=programme_achievement.programme, role="issuer")
    sign_in(page, live_server, issuer)

    page.goto(f"{live_server.url}/staff/p/nursing/")
    reach(page, page.get_by_role("link", name="Issue", exact=True).first)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    achievement = page.get_by_label("Achievement", exact=True)
    reach(page, achievement)
    choose(page, achievement, "Wound Care")
    reach(page, page.get_by_label("One recipient"))
    page.keyboard.press("Space")  # the radio button of the way of giving recipients
    reach(page, page.get_by_label("Recipient name"))
    page.keyboard.type("Lena Park")
    reach(page, page.get_by_label("Recipient email"))
    page.keyboard.type("lena@example.org")
    reach(page, page.get_by_role("button", name="Preview"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Claim email").is_visible()
    assert Award.objects.count() == 0  # a preview issues nothing

    reach(page, page.get_by_role("button", name="Issue the credential"))
    screenshot(page, "keyboard-issue-focus")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    award = Award.objects.get()
    assert (award.recipient_email, award.recipient_name, award.achievement_id) == (
        "lena@example.org",
        "Lena Park",
        programme_achievement.pk,
    )


def test_switch_the_language_by_keyboard_on_a_cached_verification_page(page, live_server, settings, achievement):
    """The header's language links: reached by Tab with a visible focus, followed with Enter, back on the same
    page in the new language with that language marked current (aria-current) for screen readers."""
    settings.PAGE_CACHE_ENABLED = True
    award = award_issue(achievement=achievement, recipient=Recipient(email="lea@example.org", name="Léa Martin"))
    url = f"{live_server.url}{award.get_absolute_url()}"
    page.goto(url)
    page.goto(url)  # the second visit comes from the page cache
    languages = page.get_by_role("navigation", name="Language")
    assert languages.locator("[aria-current='true']").inner_text() == "English"
    french = languages.get_by_role("link", name="français")
    reach(page, french)
    with page.expect_navigation(url=url):
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "fr"
    languages = page.get_by_role("navigation", name="Langue")
    assert languages.locator("[aria-current='true']").inner_text() == "français"
    screenshot(page, "language-links-fr")
