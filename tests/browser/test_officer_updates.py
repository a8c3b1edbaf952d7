"""An officer's daily job in a real browser: find my actions, report progress, meet a conflict."""

import re

from playwright.sync_api import expect

from actions.models import Action
from tests.browser.conftest import assert_accessible, sign_in_on


def kfrs_action():
    return Action.objects.get(plan__partnership__slug="thanet", ref="22")


def test_kfrs_officer_records_an_update_with_a_reading(sign_in, site):
    page = sign_in("thanet-officer-kfrs")
    page.get_by_role("link", name="My actions").click()
    expect(
        page.get_by_role("heading", name=re.compile("Actions your agency leads"))
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^22\. Utilise public services")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("22. Utilise public services")
    assert_accessible(page)

    page.get_by_label("On track", exact=True).check()
    page.get_by_label("Green", exact=True).check()
    page.get_by_label("Progress update").fill(
        "First diversionary course delivered with the cadets."
    )
    page.get_by_label("Reading: 2 Courses delivered").fill("1")
    page.get_by_role("button", name="Save update").click()

    banner = page.locator("#progress").get_by_role("alert")
    expect(banner).to_contain_text("Your update has been recorded")
    timeline = page.locator(".app-timeline")
    expect(timeline.locator("li").first).to_contain_text(
        "First diversionary course delivered with the cadets."
    )
    expect(timeline.locator("li").first).to_contain_text("2 Courses delivered: 1")
    assert page.url.endswith(f"/actions/{kfrs_action().pk}/")  # updated in place by htmx
    assert_accessible(page)

    page.get_by_role("link", name="My actions").click()
    row = page.locator(f"#action-row-{kfrs_action().pk}")
    expect(row).to_contain_text("On track")


def test_errors_are_shown_announced_and_the_text_kept(sign_in, site):
    page = sign_in("thanet-officer-kfrs")
    page.goto(f"{site}/actions/{kfrs_action().pk}/")
    page.get_by_label("Delayed", exact=True).check()
    page.get_by_label("Red", exact=True).check()
    page.get_by_label("Reading: 2 Courses delivered").fill("-3")
    page.get_by_role("button", name="Save update").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Explain why the action is delayed.")
    expect(summary).to_contain_text("cannot be negative")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Reading: 2 Courses delivered")).to_have_value("-3")
    assert_accessible(page)


def test_an_officer_of_another_agency_cannot_update(sign_in, site):
    page = sign_in("thanet-officer-police")
    page.goto(f"{site}/actions/{kfrs_action().pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("22.")
    expect(page.get_by_role("button", name="Save update")).to_have_count(0)
    expect(page.get_by_role("button", name="Add note")).to_have_count(0)
    response = page.goto(f"{site}/actions/{kfrs_action().pk}/updates/")
    assert response.status == 403


def test_the_stale_edit_conflict_as_an_officer_meets_it(sign_in, site, browser):
    page = sign_in("thanet-officer-kfrs")
    page.goto(f"{site}/actions/{kfrs_action().pk}/")
    page.get_by_label("Progress update").fill("My report, written slowly.")

    # Meanwhile the coordinator reports on the same action in another browser.
    other = browser.new_context().new_page()
    sign_in_on(other, site, "thanet-coordinator")
    other.goto(f"{site}/actions/{kfrs_action().pk}/")
    other.get_by_label("At risk", exact=True).check()
    other.get_by_label("Amber", exact=True).check()
    other.get_by_label("Progress update").fill("Venue withdrawn; looking for another.")
    other.get_by_role("button", name="Save update").click()
    expect(other.locator("#progress")).to_contain_text("Your update has been recorded")

    page.get_by_role("button", name="Save update").click()
    conflict = page.locator(".govuk-error-summary")
    expect(conflict).to_contain_text("someone else changed this action")
    expect(conflict).to_contain_text("Venue withdrawn; looking for another.")
    expect(page.get_by_label("Progress update")).to_have_value("My report, written slowly.")
    assert_accessible(page)

    page.get_by_role("button", name="Save update").click()  # read it, send again
    expect(page.locator("#progress")).to_contain_text("Your update has been recorded")
    expect(page.locator(".app-timeline li").first).to_contain_text("My report, written slowly.")


def test_filters_update_the_list_in_place_and_stay_in_the_url(sign_in, site):
    page = sign_in("thanet-coordinator")
    page.goto(f"{site}/partnerships/thanet/actions/")
    expect(page.get_by_role("status")).to_contain_text("30 actions")
    assert_accessible(page)
    page.get_by_label("On track", exact=True).check()
    expect(page.get_by_role("status")).to_contain_text("9 actions match your filters")
    expect(page).to_have_url(re.compile(r"status=on_track"))
    page.reload()
    expect(page.get_by_role("status")).to_contain_text("9 actions match your filters")
    expect(page.get_by_label("On track", exact=True)).to_be_checked()


def test_filters_work_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/partnerships/thanet/actions/")
    page.get_by_label("Search").fill("Body Worn Video")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_contain_text("1 action matches your filters")
    expect(page).to_have_url(re.compile(r"q=Body\+Worn\+Video"))


def test_an_update_can_be_made_with_the_keyboard_alone(sign_in, site):
    page = sign_in("thanet-officer-kfrs")
    page.goto(f"{site}/actions/{kfrs_action().pk}/")
    page.locator("body").focus()

    def tab_to(selector, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("input[name=status]")
    page.keyboard.press("ArrowDown")  # the next status after the current one
    tab_to("input[name=rag]")
    tab_to("textarea[name=narrative]")
    page.keyboard.type("Typed without a mouse.")
    tab_to("button[type=submit].govuk-button")
    page.keyboard.press("Enter")
    expect(page.locator(".app-timeline li").first).to_contain_text("Typed without a mouse.")
