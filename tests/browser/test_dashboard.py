"""The board's dashboard, the county roll-up and the indicator pages in a real browser: they
render under the strict CSP (no blocked styles), axe finds nothing, figures link to lists."""

import re

from playwright.sync_api import expect

from plans.models import Membership
from tests.browser.conftest import assert_accessible, sign_in_on


def _no_csp_violations(page):
    """Collect console errors; a blocked style or script under the CSP reports one."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_board_member_reads_the_dashboard_and_follows_a_figure(sign_in, site):
    page = sign_in("thanet-board")
    errors = _no_csp_violations(page)
    page.goto(site + "/partnerships/thanet/dashboard/?plan=2015-16&period=q3")
    expect(page.get_by_role("heading", level=1)).to_have_text("Executive board dashboard")
    expect(page.get_by_text("11 of 30")).to_be_visible()
    expect(page.locator("svg").first).to_be_visible()
    assert_accessible(page)
    assert errors == []
    page.locator(".app-dashboard-figures__item--on_track a").click()
    expect(page).to_have_url(re.compile(r"/partnerships/thanet/actions/\?.*status=on_track"))
    expect(page.get_by_text("9 actions match your filters.")).to_be_visible()


def test_the_dashboard_choice_works_without_javascript(browser, site, seeded):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in_on(page, site, "thanet-coordinator")
    page.goto(site + "/partnerships/thanet/dashboard/")
    page.get_by_label("Update round", exact=True).select_option("q3")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Update round: Q3 2015/16")).to_be_visible()
    context.close()


def test_county_dashboard_and_roll_up_are_accessible(sign_in, site):
    # The demo board member also sits on Kent's board (plans/demo.py).
    assert Membership.objects.filter(
        user__username="thanet-board", partnership__slug="kent", role="board"
    ).exists()
    page = sign_in("thanet-board")
    errors = _no_csp_violations(page)
    page.goto(site + "/partnerships/kent/dashboard/")
    expect(page.get_by_role("heading", name="Delivery in the districts")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="District priorities roll-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("District priorities 2016/17")
    expect(page.get_by_role("table", name="Priority categories by district")).to_be_visible()
    assert_accessible(page)
    assert errors == []


def test_indicator_pages_are_accessible_for_a_coordinator(sign_in, site):
    page = sign_in("thanet-coordinator")
    page.goto(site + "/partnerships/thanet/indicators/")
    assert_accessible(page)
    page.get_by_role("link", name="Violent crime incidents").click()
    expect(page.get_by_text("October 2013 to September 2014").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record a value").click()
    page.get_by_role("button", name="Record the value").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)
    page.goto(site + "/partnerships/thanet/indicators/upload/")
    assert_accessible(page)


def test_the_dashboard_pdf_downloads(sign_in, site):
    page = sign_in("thanet-board")
    page.goto(site + "/partnerships/thanet/dashboard/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this dashboard as a PDF").click()
    assert download.value.suggested_filename.startswith("thanet-csp-dashboard-2015-16")
