"""Accessibility in French: every page of the catalogue, as test_accessibility.py does in English (a file per
language, so that the tools pass runs the languages in parallel processes)."""

import pytest

from tests.browser.test_accessibility import check_every_page, world  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.tools, pytest.mark.django_db(transaction=True)]


def test_every_page_has_no_axe_violation_in_french(browser, live_server, world, settings):  # noqa: F811
    check_every_page(browser, live_server, world, settings, "fr")
