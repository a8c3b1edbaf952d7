"""What officers hit first (issue 16): the action page after an in-place save, with and
without JavaScript, and the pages an officer uses at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Action
from plans.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible


def thanet(ref):
    return Action.objects.get(plan__partnership__slug="thanet", plan__slug="2015-16", ref=ref)


def test_every_part_of_the_action_page_follows_an_in_place_save(sign_in, site):
    page = sign_in("thanet-officer-kfrs")
    action = thanet("27")
    page.goto(f"{site}/actions/{action.pk}/")
    status = page.locator("#current-status")
    expect(status).to_contain_text("Not started")

    page.get_by_label("At risk", exact=True).check()
    page.get_by_label("Amber", exact=True).check()
    page.get_by_label("Progress update").fill("Venue for the course withdrawn.")
    page.get_by_role("button", name="Save update").click()

    expect(page.locator("#progress").get_by_role("alert")).to_contain_text(
        "The status is now At risk, RAG amber."
    )
    assert page.url.endswith(f"/actions/{action.pk}/")  # in place, by htmx
    expect(status).to_contain_text("At risk")
    expect(status).to_contain_text("RAG: Amber")
    expect(page.get_by_label("At risk", exact=True)).to_be_checked()
    expect(page.get_by_label("Amber", exact=True)).to_be_checked()
    expect(page.locator(".app-timeline li").first).to_contain_text("Not started → At risk")
    assert_accessible(page)

    # A second update from the form the save returned is not refused as stale.
    page.get_by_label("On track", exact=True).check()
    page.get_by_label("Green", exact=True).check()
    page.get_by_label("Progress update").fill("Another venue found.")
    page.get_by_role("button", name="Save update").click()
    expect(page.locator("#progress").get_by_role("alert")).to_contain_text(
        "The status is now On track, RAG green."
    )
    expect(status).to_contain_text("On track")
    expect(page.locator(".app-timeline li").first).to_contain_text("At risk → On track")


def test_the_latest_reading_follows_an_in_place_save(sign_in, site):
    page = sign_in("thanet-officer-kfrs")
    action = thanet("22")
    page.goto(f"{site}/actions/{action.pk}/")
    row = page.locator("tr", has_text="2 Courses delivered")
    expect(row).to_contain_text("No reading yet")
    page.get_by_label("Reading: 2 Courses delivered").fill("1")
    page.get_by_role("button", name="Save update").click()
    expect(page.locator("#progress").get_by_role("alert")).to_be_visible()
    expect(row).to_contain_text("50% of the way to the target")
    expect(row).not_to_contain_text("No reading yet")


def test_without_javascript_the_saved_page_shows_the_new_state(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/sign-in/")
    page.get_by_label("Username").fill("thanet-officer-kfrs")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    action = thanet("27")
    page.goto(f"{site}/actions/{action.pk}/")
    page.get_by_label("Delayed", exact=True).check()
    page.get_by_label("Red", exact=True).check()
    page.get_by_label("Progress update").fill("No venue this quarter.")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("alert")).to_contain_text("The status is now Delayed, RAG red.")
    expect(page.locator("#current-status")).to_contain_text("Delayed")
    expect(page.get_by_label("Delayed", exact=True)).to_be_checked()
    context.close()


@pytest.mark.parametrize(
    "path",
    ["/my-actions/", "/partnerships/thanet/actions/", "action-22", "action-9"],
)
def test_an_officers_pages_fit_320_px(sign_in, site, path):
    page = sign_in("thanet-officer-kfrs")
    page.set_viewport_size({"width": 320, "height": 800})
    if path.startswith("action-"):
        path = f"/actions/{thanet(path.removeprefix('action-')).pk}/"
    page.goto(f"{site}{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)


@pytest.mark.parametrize("width", [1100, 1280, 1440])
def test_wide_pages_line_up_with_the_header(sign_in, site, width):
    page = sign_in("thanet-officer-kfrs")
    page.set_viewport_size({"width": width, "height": 800})
    for path in ["/my-actions/", "/partnerships/thanet/actions/"]:
        page.goto(f"{site}{path}")
        header, main = page.evaluate(
            """() => [
                document.querySelector('.app-header .govuk-width-container'),
                document.querySelector('#main-content').parentElement,
            ].map(e => Math.round(e.getBoundingClientRect().left))"""
        )
        assert header == main, (path, header, main)
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_my_actions_puts_other_partnerships_apart_and_says_why(sign_in, site):
    page = sign_in("thanet-officer-kfrs")
    page.get_by_role("link", name="My actions").click()
    led = page.get_by_role("heading", name=re.compile("Actions your agency leads"))
    expect(led).to_be_visible()
    ashford = page.get_by_role("heading", name=re.compile("In Ashford .*’s plans"))
    expect(ashford).to_be_visible()
    reasons = page.locator(".app-why-not")
    expect(reasons.first).to_contain_text("You cannot update it.")
    # Ashford's 2013/14 plan is closed: that is the first reason given for its actions.
    expect(page.locator(".app-why-not", has_text="is closed").first).to_be_visible()
