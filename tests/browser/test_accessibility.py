"""Accessibility (issue 15.5): axe-core on every public, learner and staff page, in English, French and Spanish,
at 1366 px and 390 px: no violation of any impact (WCAG 2.0/2.1 A and AA, and axe's best practices). French and
Spanish pages are checked at 1366 px, and at 390 px too for the pages the issue names (SCREENSHOT_PAGES): a
translation changes the words, not the layout, which English checks at both widths (ADR 13; a third of the
runs and a minute of `make test` less).

One browser, one live server and one data set (tests/browser/site.py) per language: English here, French and
Spanish in test_accessibility_fr.py and test_accessibility_es.py (one file each, so that `make test`'s tools pass
runs the three languages in parallel processes). Each run saves tests/artifacts/axe/<page>-<lang>-<width>.json
(axe's result) and, for the pages the issue names (SCREENSHOT_PAGES; AXE_SCREENSHOTS=all for every page),
tests/artifacts/screenshots/<page>-<lang>-<width>.png. The catalogue of pages is checked against the URL
configuration first: a named URL that is neither a page of the catalogue nor excluded with a reason fails the test.
"""

import os
import time

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import axe
from tests.browser.conftest import screenshot
from tests.browser.site import EXCLUDED, Page, build, pages, unlisted_urls, url_names

pytestmark = [pytest.mark.browser, pytest.mark.tools, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("en", "fr", "es")  # en here; fr and es in their own files
WIDTHS = {1366: 900, 390: 844}
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
# AXE_PAGES=home,wallet runs only these pages (while fixing them); the full run checks every page.
ONLY = {key for key in os.environ.get("AXE_PAGES", "").split(",") if key}
# Screenshots of these pages in every language and width (issue 15's list); AXE_SCREENSHOTS=all: of every page.
SCREENSHOT_PAGES = {"home", "framework", "verification-page", "wallet", "credential-detail", "claim-page",
                    "staff-home", "issue-preview"}  # fmt: skip
ALL_SCREENSHOTS = os.environ.get("AXE_SCREENSHOTS") == "all"


def _session_cookie(user, base_url: str) -> list[dict]:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
             "url": base_url}]  # fmt: skip


def _issue_preview(w) -> Page:
    """The issue wizard's preview (a POST): the form filled from its query string, sent with Enter."""
    query = (
        f"achievement={w.achievement.pk}&mode=one&name=Lea+Martin&email=lea.martin%40example.org&language={{language}}"
    )
    return Page("issue-preview", "staff", f"/staff/p/{w.programme.slug}/issue/?{query}", ())


def _open(tab, base_url: str, page: Page, language: str):
    response = tab.goto(base_url + page.path.replace("{language}", language))
    if page.key == "issue-preview":
        with tab.expect_navigation():
            tab.locator("input[name=email]").press("Enter")
        return 200
    return response.status if response else None


@pytest.fixture
def world(
    default_framework, issuer, competency, django_user_model, django_capture_on_commit_callbacks, live_server, settings
):
    settings.BASE_URL = live_server.url
    return build(
        default_framework=default_framework,
        issuer=issuer,
        competency=competency,
        django_user_model=django_user_model,
        capture_on_commit=django_capture_on_commit_callbacks,
    )


def test_every_url_is_checked_or_excluded_with_a_reason(world):
    missing = unlisted_urls(pages(world))
    assert not missing, f"named URLs neither in tests/browser/site.py's pages nor in its EXCLUDED: {missing}"
    stale = sorted(set(EXCLUDED) - url_names())
    assert not stale, f"EXCLUDED names URLs that no longer exist: {stale}"


class _Tabs:
    """The browser tabs of one visitor in one language: one context, and one with `bypass_csp` made only for the
    pages whose own policy is `sandbox` (the certificate previews), where Chromium runs no script at all, axe
    included (their policy is checked in tests/security/test_csp.py)."""

    def __init__(self, browser, language, cookies):
        self.browser, self.language, self.cookies = browser, language, cookies
        self.blocked: list[str] = []
        self.contexts: dict[bool, object] = {}
        self.tabs: dict[bool, object] = {}

    def tab(self, sandboxed: bool):
        if sandboxed not in self.tabs:
            context = self.browser.new_context(locale=self.language, bypass_csp=sandboxed)
            if self.cookies:
                context.add_cookies(self.cookies)
            tab = context.new_page()
            tab.set_default_timeout(15_000)
            tab.on("console", lambda m: "Content Security Policy" in m.text and self.blocked.append(m.text))
            self.contexts[sandboxed], self.tabs[sandboxed] = context, tab
        return self.tabs[sandboxed]

    def close(self):
        for context in self.contexts.values():
            context.close()


def check_every_page(browser, live_server, world, settings, language: str) -> None:
    """Every page of the catalogue in `language`, at both widths: no axe violation, the right status and
    <html lang>, nothing blocked by the CSP."""
    axe.require_axe()
    settings.BASE_URL = live_server.url
    catalogue = [page for page in pages(world) + [_issue_preview(world)] if not ONLY or page.key in ONLY]
    users = {"anonymous": None, "learner": world.learner, "staff": world.manager}
    failures, runs, started = [], 0, time.monotonic()
    spent = {"load": 0.0, "axe": 0.0, "screenshot": 0.0}
    for language in (language,):
        for who, user in users.items():
            tabs = _Tabs(browser, language, _session_cookie(user, live_server.url) if user else None)
            mine = [p for p in catalogue if p.who == who]
            for page in mine:
                tab = tabs.tab(page.sandboxed)
                for width, height in widths(page, language).items():
                    name = f"{page.key}-{language}-{width}"
                    tab.set_viewport_size({"width": width, "height": height})
                    clock = time.monotonic()
                    status = _open(tab, live_server.url, page, language)
                    spent["load"] += time.monotonic() - clock
                    if status != page.status:
                        failures.append(f"{name} {page.path}: HTTP {status}, expected {page.status}")
                        continue
                    lang = tab.evaluate("document.documentElement.lang")
                    if lang != language:
                        failures.append(f"{name} {page.path}: <html lang={lang!r}>, expected {language!r}")
                    clock = time.monotonic()
                    result = axe.run(tab)
                    spent["axe"] += time.monotonic() - clock
                    result["page"], result["language"], result["width"] = page.key, language, width
                    axe.save(name, result)
                    if ALL_SCREENSHOTS or page.key in SCREENSHOT_PAGES:
                        clock = time.monotonic()
                        screenshot(tab, name)
                        spent["screenshot"] += time.monotonic() - clock
                    runs += 1
                    if result["violations"]:
                        failures.append(f"{name} {page.path}: {axe.describe(result['violations'])}")
                    if tabs.blocked:
                        failures.append(f"{name} {page.path}: CSP blocked {tabs.blocked[:2]}")
                        tabs.blocked.clear()
            tabs.close()
    elapsed = time.monotonic() - started
    detail = ", ".join(f"{key} {value:.0f} s" for key, value in spent.items())
    print(f"axe ({language}): {runs} runs of {len(catalogue)} pages in {elapsed:.0f} s ({detail})")
    assert not failures, f"{len(failures)} of {runs} runs failed:\n" + "\n".join(failures)
    assert runs == sum(len(widths(page, language)) for page in catalogue)


def widths(page: Page, language: str) -> dict[int, int]:
    """English at both widths; French and Spanish at the desktop width, and the phone's for SCREENSHOT_PAGES."""
    if language == "en" or page.key in SCREENSHOT_PAGES:
        return WIDTHS
    return {1366: WIDTHS[1366]}


def test_every_page_has_no_axe_violation(browser, live_server, world, settings):
    check_every_page(browser, live_server, world, settings, "en")
