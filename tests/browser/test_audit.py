"""A coordinator reads the partnership's audit trail in a browser and narrows it to one kind
of record; each page is checked with axe and fits a 320 px screen."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


def assert_fits_a_small_screen(page):
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_coordinator_reads_and_filters_the_audit_trail(sign_in, site):
    page = sign_in("thanet-coordinator")
    page.goto(f"{site}/partnerships/thanet/")
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(page.get_by_role("status")).to_contain_text("changes")
    assert_accessible(page)
    assert_fits_a_small_screen(page)

    page.get_by_label("Type of record").select_option(label="Action")
    page.get_by_role("button", name="Apply filters").click()
    assert "record=actions.Action" in page.url
    kinds = page.locator("tbody .govuk-caption-s").all_inner_texts()
    assert kinds and set(kinds) == {"Action"}
    assert_accessible(page)
