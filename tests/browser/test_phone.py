"""Issue 15.3 in a real browser, at 390 px (a phone) and 1366 px: no page wider than the screen, the Menu button
folds the navigation (and without JavaScript the navigation stays open), the wallet's first credential and the
credential's share panel are near the top, native sharing and the visible "Copied". Screenshots of each page go
to tests/artifacts/screenshots/phone-*.png and desktop-*.png."""

import pytest

from credentials.models import Achievement
from credentials.services import Recipient, achievement_save, award_issue
from tests.browser.conftest import screenshot, wait_until
from tests.credentials.conftest import make_achievement
from tests.wallets.conftest import PASSWORD, make_learner

pytestmark = [pytest.mark.browser, pytest.mark.tools, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
EMAIL = "amina.okonkwo@example.org"


@pytest.fixture
def wallet_of_four(issuer, default_framework):
    """Four credentials of four different tiers and categories (the wallet once gave each a row of its own)."""
    categories = list(default_framework.badgecategory_set.order_by("order")[:3])
    awards = []
    for n, category in enumerate(categories):
        achievement = make_achievement(issuer, category, slug=f"badge-{n}", name=f"{category.name} Badge {n}")
        awards.append(award_issue(achievement=achievement, recipient=Recipient(email=EMAIL, name="Amina Okonkwo")))
    tier = default_framework.certificatetier_set.get(code="participation")
    certificate = achievement_save(
        achievement=Achievement(
            issuer=issuer, tier=tier, slug="labour-standards", name="International Labour Standards",
            description="A course on labour standards.", criteria_narrative="Attend 80% of sessions.", hours=30,
        )
    )  # fmt: skip
    awards.append(award_issue(achievement=certificate, recipient=Recipient(email=EMAIL, name="Amina Okonkwo")))
    make_learner(EMAIL)
    return awards


def _context(browser, live_server, settings, viewport, **options):
    settings.BASE_URL = live_server.url
    context = browser.new_context(viewport=viewport, locale="en-GB", **options)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    return context, page, violations


def _sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/wallet/")


def _no_horizontal_scroll(page, name):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{name}: the page is {widths[0]} px wide on a {widths[1]} px screen"


def _top(page, selector) -> float:
    return page.locator(selector).first.bounding_box()["y"] + page.evaluate("window.scrollY")


def test_phone_pages_fit_the_screen_and_the_menu_button_opens_the_navigation(
    browser, live_server, settings, wallet_of_four, issuer
):
    context, page, violations = _context(browser, live_server, settings, PHONE, has_touch=True, is_mobile=True)
    award = wallet_of_four[0]

    page.goto(f"{live_server.url}/")
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Glossary").is_visible()  # folded
    header_height = page.locator(".site-header").bounding_box()["height"]
    assert header_height < 80, header_height  # one row, not three
    _no_horizontal_scroll(page, "home")
    screenshot(page, "phone-home")
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Glossary").is_visible()
    assert page.get_by_role("link", name="Verify", exact=True).is_visible()
    screenshot(page, "phone-menu-open")
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false" and not page.get_by_role("link", name="Glossary").is_visible()

    page.goto(f"{live_server.url}/issuers/{issuer.slug}/")
    assert page.locator("code").first.is_visible()  # the did:key
    _no_horizontal_scroll(page, "issuer page")
    screenshot(page, "phone-issuer")

    _sign_in(page, live_server)
    _no_horizontal_scroll(page, "wallet")
    first_card = _top(page, ".wcard")
    assert first_card < PHONE["height"] - 100, f"the first credential starts at {first_card} px"
    assert page.locator(".wcard").count() == 4
    screenshot(page, "phone-wallet")

    page.goto(f"{live_server.url}/wallet/c/{award.public_id}/")
    screenshot(page, "phone-credential")
    _no_horizontal_scroll(page, "credential page")
    share = _top(page, "#share-heading")
    assert share < PHONE["height"] * 1.25, f"the share panel starts at {share} px"
    assert share < _top(page, "#evidence-heading")
    page.get_by_role("button", name="Copy the link").click()
    feedback = page.locator("#share .copy-feedback").first
    wait_until(page, "document.querySelector('#share .copy-feedback').textContent.includes('Copied')")
    assert feedback.is_visible() and feedback.get_attribute("aria-live") == "polite"
    screenshot(page, "phone-credential")

    page.goto(f"{live_server.url}/c/{award.public_id}/")
    _no_horizontal_scroll(page, "verification page")
    assert page.get_by_role("heading", name="Share your credential").is_visible()
    assert page.get_by_role("heading", name="Downloads").is_visible()
    screenshot(page, "phone-verification")
    context.close()
    assert not violations, "\n".join(violations)


def test_native_share_button_uses_the_phones_share_sheet(browser, live_server, settings, wallet_of_four):
    context, page, violations = _context(browser, live_server, settings, PHONE, has_touch=True, is_mobile=True)
    # A phone's navigator.share, recorded (headless chromium on Linux has none: there the button stays hidden).
    context.add_init_script(
        "navigator.share = function (data) { window.sharedWith = data; return Promise.resolve(); };"
        "navigator.canShare = function () { return true; };"
    )
    award = wallet_of_four[0]
    _sign_in(page, live_server)
    page.goto(f"{live_server.url}/wallet/c/{award.public_id}/")
    button = page.get_by_role("button", name="Share…")
    assert button.is_visible()
    button.click()
    wait_until(page, "window.sharedWith !== undefined")
    shared = page.evaluate("window.sharedWith")
    assert shared["url"] == f"{live_server.url}/c/{award.public_id}/"
    assert award.achievement.name in shared["title"]
    context.close()
    assert not violations, "\n".join(violations)


def test_without_native_share_the_button_stays_hidden(browser, live_server, settings, wallet_of_four):
    context, page, _violations = _context(browser, live_server, settings, DESKTOP)
    page.add_init_script("delete Navigator.prototype.share; delete Navigator.prototype.canShare;")
    _sign_in(page, live_server)
    page.goto(f"{live_server.url}/wallet/c/{wallet_of_four[0].public_id}/")
    assert page.locator("button.share-native").count() == 1
    assert not page.locator("button.share-native").is_visible()
    context.close()


def test_without_javascript_the_navigation_stays_open(browser, live_server, settings, db):
    context, page, _violations = _context(browser, live_server, settings, PHONE, java_script_enabled=False)
    page.goto(f"{live_server.url}/")
    assert not page.locator(".menu-toggle").is_visible()
    assert page.get_by_role("link", name="Glossary").is_visible()
    _no_horizontal_scroll(page, "home without JavaScript")
    context.close()


def test_desktop_wallet_fits_four_credentials_in_one_row(browser, live_server, settings, wallet_of_four):
    context, page, violations = _context(browser, live_server, settings, DESKTOP)
    page.goto(f"{live_server.url}/")
    assert not page.locator(".menu-toggle").is_visible()
    assert page.get_by_role("link", name="Glossary").is_visible()
    screenshot(page, "desktop-home")
    _sign_in(page, live_server)
    tops = {round(box["y"]) for box in (card.bounding_box() for card in page.locator(".wcard").all())}
    assert len(tops) == 1, f"cards on {len(tops)} rows"
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 1400, f"the wallet of four is {height} px tall"
    _no_horizontal_scroll(page, "desktop wallet")
    screenshot(page, "desktop-wallet")
    page.goto(f"{live_server.url}/wallet/c/{wallet_of_four[0].public_id}/")
    screenshot(page, "desktop-credential")
    assert _top(page, "#share-heading") < DESKTOP["height"] * 1.25  # below the pending credential's answer
    assert _top(page, "#share-heading") < _top(page, "#evidence-heading")
    context.close()
    assert not violations, "\n".join(violations)


def test_claim_page_fields_line_up_and_the_error_pages_fit_a_phone(browser, live_server, settings, achievement):
    from credentials.links import claim_url

    context, page, violations = _context(browser, live_server, settings, PHONE, has_touch=True, is_mobile=True)
    award = award_issue(achievement=achievement, recipient=Recipient(email="new.learner@example.org", name="Nia"))
    page.goto(claim_url(award))
    boxes = [
        page.get_by_label(label).bounding_box() for label in ("Your name", "Choose a password", "Repeat the password")
    ]
    assert len({round(b["x"]) for b in boxes}) == 1 and len({round(b["width"]) for b in boxes}) == 1, boxes
    _no_horizontal_scroll(page, "claim page")
    screenshot(page, "phone-claim")

    for path, name in ((f"/c/{award.public_id}x/", "phone-404"), ("/framework/", "phone-framework")):
        page.goto(f"{live_server.url}{path}")
        _no_horizontal_scroll(page, path)
        screenshot(page, name)
    assert page.get_by_role("navigation", name="On this page").is_visible()
    context.close()
    assert not violations, "\n".join(violations)
