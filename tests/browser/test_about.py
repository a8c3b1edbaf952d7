"""The footer's accessibility statement and privacy notice, in a browser: the links work from
any page, the pages are axe-clean and fit a 320 px screen."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


@pytest.mark.parametrize("width", [320, 1280])
def test_the_footer_links_open_the_statement_and_the_notice(page, live_server, db, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    footer = page.locator("footer")
    footer.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accessibility statement for CSP Tracker"
    )
    expect(page.get_by_role("heading", name="Enforcement procedure")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    footer.get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    expect(page.get_by_role("heading", name="How long we keep it")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
