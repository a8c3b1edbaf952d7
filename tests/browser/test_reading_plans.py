"""A reader and a member in a real browser: sign in, find the plan, read it; axe finds nothing."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


def test_public_reader_opens_the_thanet_plan(page, site):
    page.goto(site + "/")
    assert_accessible(page)
    page.get_by_role("link", name="Community Safety Plan 2015/2016").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Community Safety Plan 2015/2016")
    expect(page.locator("tbody.app-issue")).to_have_count(12)
    expect(page.get_by_text("Impacts Engagement").first).to_be_attached()
    assert_accessible(page)


def test_sign_in_page_is_accessible_and_reports_errors(page, site):
    page.goto(site + "/sign-in/")
    assert_accessible(page)
    page.get_by_label("Username").fill("thanet-board")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    assert_accessible(page)


def test_coordinator_signs_in_and_sees_their_partnership(sign_in, site):
    page = sign_in("thanet-coordinator")
    expect(page.get_by_role("heading", name="Your partnerships")).to_be_visible()
    page.get_by_role("link", name="Thanet Community Safety Partnership").first.click()
    expect(page).to_have_url(re.compile(r"/partnerships/thanet/$"))
    expect(page.get_by_text("You are coordinator in this partnership.")).to_be_visible()
    assert_accessible(page)


def test_ashford_and_medway_plans_are_accessible(page, site):
    for path in ["/partnerships/ashford/plans/2013-14/", "/partnerships/medway/plans/2016-2020/"]:
        page.goto(site + path)
        assert_accessible(page)
