"""/api/docs/ in headless chromium: Swagger UI renders every group of operations from our own static files,
under the site's Content-Security-Policy (the `page` fixture fails the test on any CSP violation)."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.tools, pytest.mark.django_db(transaction=True)]


def test_the_docs_render_offline_under_the_csp(page, live_server):
    outside = []
    page.on("request", lambda request: not request.url.startswith(live_server.url) and outside.append(request.url))
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".opblock-tag").first.wait_for()
    tags = {
        page.locator(".opblock-tag").nth(i).inner_text().split("\n")[0]
        for i in range(page.locator(".opblock-tag").count())
    }
    assert {"awards", "achievements", "bulk", "events", "programmes", "verification"} <= tags
    page.locator(".opblock-tag", has_text="awards").first.wait_for()
    assert page.get_by_text("/api/v1/awards/batch").first.is_visible()
    screenshot(page, "api-docs")
    assert outside == [], outside  # no CDN, no validator badge
