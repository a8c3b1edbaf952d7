"""A coordinator's meetings in a real browser: record a meeting and an action arising, close it
at the next meeting as a matter arising; the same forms without JavaScript; axe on the pages."""

import re

from playwright.sync_api import expect

from meetings.models import Meeting, MeetingAction
from tests.browser.conftest import assert_accessible, sign_in_on


def _thanet_body_page(page, site):
    page.goto(f"{site}/partnerships/thanet/meetings/")
    page.get_by_role("link", name="Community Safety Partnership Working Party").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Community Safety Partnership Working Party"
    )


def _record_meeting(page, day, status):
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Date").fill(day)
    page.get_by_label("Start time").fill("19:00")
    page.get_by_label("Venue").fill("Austen Room, Council Offices, Cecil Street, Margate, Kent")
    page.get_by_label(status, exact=True).check()
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been recorded")


def _open(page, summary):
    page.locator("summary", has_text=summary).click()


def test_a_coordinator_records_a_meeting_and_closes_its_action_at_the_next(sign_in, site):
    page = sign_in("thanet-coordinator")
    _thanet_body_page(page, site)
    assert_accessible(page)
    _record_meeting(page, "2016-02-22", "Held")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Monday 22 February 2016")
    meeting_url = page.url

    _open(page, "Add someone to the attendance")
    page.get_by_label("Or someone not on the list").fill("Councillor Jeffrey Elenor")
    page.locator("#attendance").get_by_label("Present", exact=True).check()
    page.locator("#attendance").get_by_label("Chair", exact=True).check()
    page.get_by_role("button", name="Add to the attendance").click()
    attendance = page.locator("#attendance")
    expect(attendance.get_by_role("status")).to_contain_text("has been added to the attendance")
    expect(attendance).to_contain_text("Councillor Jeffrey Elenor (Chairman)")
    assert page.url == meeting_url  # saved in place by htmx

    page.get_by_role("link", name="Add a minute").click()
    expect(page.get_by_label("Number")).to_have_accessible_description(
        re.compile("Leave blank for the next number, 102.")
    )
    page.get_by_label("Title").fill("THANET COMMUNITY SAFETY PLAN UPDATE")
    page.get_by_label("Discussion").fill("Members asked for the Crown Court guide.")
    page.get_by_label("RESOLVED").fill("that the report be noted.")
    page.get_by_label(re.compile(r"^7\. Produce e-learning package")).check()
    page.get_by_role("button", name="Add the minute").click()
    expect(page.locator("#minute-102")).to_contain_text("102. THANET COMMUNITY SAFETY PLAN UPDATE")
    expect(page.locator("#minute-102")).to_contain_text("RESOLVED that the report be noted.")

    _open(page, "Record an action arising")
    arising = page.locator("#actions-arising")
    arising.get_by_label("Action arising").fill("Send the guide to the Crown Court")
    arising.get_by_label("From minute").select_option(
        label="102. THANET COMMUNITY SAFETY PLAN UPDATE"
    )
    arising.get_by_label("Who will do it").fill("Martyn Cassell")
    page.get_by_role("button", name="Record the action").click()
    expect(arising.get_by_role("status")).to_contain_text("The action arising has been recorded")
    expect(arising.locator("tbody tr")).to_contain_text("Send the guide to the Crown Court")
    expect(arising.locator("tbody tr")).to_contain_text("Open")
    assert_accessible(page)

    # The next meeting: the action comes back as a matter arising, and is closed there.
    _thanet_body_page(page, site)
    _record_meeting(page, "2016-04-18", "Scheduled")
    matters = page.locator("#matters-arising")
    row = matters.locator("tbody tr", has_text="Send the guide to the Crown Court")
    expect(row).to_contain_text("Martyn Cassell")
    expect(row).to_contain_text("minute 102")
    row.locator("summary").click()
    row.get_by_label("What was done").fill("Sent on 1 March; the court will use it.")
    row.get_by_role("button", name="Record as done").click()
    expect(matters.get_by_role("status")).to_contain_text("recorded as done")
    done = matters.locator("tbody tr", has_text="Send the guide to the Crown Court")
    expect(done).to_contain_text("Done")
    expect(done).to_contain_text("Sent on 1 March; the court will use it.")
    expect(done).to_contain_text("Recorded at the meeting of 18 April 2016")
    assert_accessible(page)

    action = MeetingAction.objects.get(description="Send the guide to the Crown Court")
    assert action.status == MeetingAction.Status.DONE
    assert action.closed_at_meeting.date.isoformat() == "2016-04-18"

    page.goto(f"{site}/partnerships/thanet/actions-arising/?status=done")
    expect(page.locator("#results")).to_contain_text("Send the guide to the Crown Court")
    assert_accessible(page)


def test_errors_in_a_form_on_the_meeting_page_are_announced(sign_in, site):
    page = sign_in("thanet-coordinator")
    meeting = Meeting.objects.get(body__partnership__slug="thanet", date="2015-12-14")
    page.goto(f"{site}{meeting.get_absolute_url()}")
    _open(page, "Add someone to the attendance")
    page.locator("#attendance").get_by_label("Apologies", exact=True).check()
    page.get_by_role("button", name="Add to the attendance").click()
    summary = page.locator("#attendance .govuk-error-summary")
    expect(summary).to_contain_text("Choose who attended, or enter the name of someone else")
    expect(summary).to_be_focused()
    assert_accessible(page)


def test_the_forms_work_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in_on(page, site, "thanet-coordinator")
    meeting = Meeting.objects.get(body__partnership__slug="thanet", date="2015-12-14")
    page.goto(f"{site}{meeting.get_absolute_url()}")
    _open(page, "Record a declaration of interest")
    declarations = page.locator("#declarations")
    declarations.get_by_label("Who declared it").fill("Councillor Dixon")
    declarations.get_by_label("Voluntary announcement of other interests").check()
    declarations.get_by_label("The interest").fill("Volunteers with the Community Pastors")
    page.get_by_role("button", name="Record the declaration").click()
    expect(page).to_have_url(re.compile(r"#declarations$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("declaration")
    expect(page.locator("#declarations")).to_contain_text(
        "Councillor Dixon: Volunteers with the Community Pastors"
    )


def test_the_meeting_pages_are_accessible(sign_in, site):
    kent_march = Meeting.objects.get(body__partnership__slug="kent", date="2016-03-16")
    thanet = Meeting.objects.get(body__partnership__slug="thanet", date="2015-12-14")
    page = sign_in("thanet-coordinator")
    for path in [
        thanet.get_absolute_url(),
        f"/meetings/{thanet.pk}/minutes/new/",
        f"/meetings/{thanet.pk}/edit/",
        "/partnerships/thanet/meetings/search/?q=domestic",
    ]:
        page.goto(f"{site}{path}")
        for details in page.locator("details").all():
            details.evaluate("element => { element.open = true; }")
        assert_accessible(page)
    public = page.context.browser.new_context().new_page()
    public.goto(f"{site}{kent_march.get_absolute_url()}")
    expect(public.locator("#agenda")).to_contain_text("B8 Crime Stoppers Update Presentation")
    expect(public.locator("main")).not_to_contain_text("Domestic Homicide Reviews (DHRs)")
    assert_accessible(public)
    public.goto(f"{site}{kent_march.body.get_absolute_url()}")
    assert_accessible(public)
