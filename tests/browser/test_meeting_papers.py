"""A coordinator runs a meeting end to end in a real browser: records it, attaches an uploaded
paper and the plan's progress report to an agenda item, picks who attended, minutes it with a
RESOLVED, approves the minutes and then corrects one with a reason; the pack holds the papers.
Each new page is checked with axe and must fit a 320 px screen."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from meetings.models import AgendaPaper, Meeting, MinuteCorrection
from tests.browser.conftest import assert_accessible
from tests.meetings.pdfs import blank_pdf


def assert_fits_a_small_screen(page):
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})


def _open(page, summary):
    page.locator("summary", has_text=summary).click()


def test_a_coordinator_records_a_meeting_with_papers_and_approves_and_corrects_it(
    sign_in, site, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = sign_in("thanet-coordinator")
    page.goto(f"{site}/partnerships/thanet/meetings/")
    page.get_by_role("link", name="Community Safety Partnership Working Party").click()
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Date").fill("2016-01-25")
    page.get_by_label("Held", exact=True).check()
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Monday 25 January 2016")
    meeting_url = page.url

    # An agenda item, then its papers: an uploaded PDF and the plan's progress report.
    _open(page, "Add an agenda item")
    agenda = page.locator("#agenda")
    agenda.get_by_label("Code").fill("B1")
    agenda.get_by_label("Title", exact=True).fill("Community Safety Plan progress")
    page.get_by_role("button", name="Add item").click()
    expect(agenda.get_by_role("status")).to_contain_text("has been added to the agenda")
    agenda.get_by_role("link", name="Add papers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Papers for item B1: Community Safety Plan progress"
    )
    assert_accessible(page)
    assert_fits_a_small_screen(page)

    page.get_by_role("button", name="Upload the paper").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a PDF file to upload")
    page.get_by_label("PDF file").set_input_files(
        files=[{"name": "notes.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}]
    )
    page.get_by_role("button", name="Upload the paper").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The file is not a PDF.")
    assert_accessible(page)
    page.get_by_label("PDF file").set_input_files(
        files=[{"name": "crime.pdf", "mimeType": "application/pdf", "buffer": blank_pdf(2)}]
    )
    page.get_by_label("Title of the paper").fill("Serious and organised crime")
    page.get_by_role("button", name="Upload the paper").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "“Serious and organised crime” (2 pages) is attached."
    )
    plan_choice = page.get_by_label("Plan", exact=True)
    plan_2015 = plan_choice.locator("option", has_text="2015").first.get_attribute("value")
    plan_choice.select_option(value=plan_2015)
    page.get_by_label("Progress as at").fill("2016-01-20")
    page.get_by_role("button", name="Attach the progress report").click()
    expect(page.locator("main")).to_contain_text("progress as at 20 January 2016")
    assert AgendaPaper.objects.count() == 2
    page.get_by_role("link", name="Back to the meeting").click()
    expect(page.locator("#agenda")).to_contain_text("Serious and organised crime (PDF, 2 pages)")

    # Attendance by picking a person, no names or numbers to type.
    _open(page, "Add someone to the attendance")
    attendance = page.locator("#attendance")
    attendance.get_by_label("Who", exact=True).select_option(index=1)
    chosen = attendance.get_by_label("Who", exact=True).locator("option:checked").inner_text()
    attendance.get_by_label("Present", exact=True).check()
    page.get_by_role("button", name="Add to the attendance").click()
    expect(attendance.get_by_role("status")).to_contain_text("has been added to the attendance")
    expect(attendance).to_contain_text(chosen.split(" (")[0])

    # A minute with its decision, then the approval.
    page.get_by_role("link", name="Add a minute", exact=True).click()
    page.get_by_label("Title").fill("COMMUNITY SAFETY PLAN PROGRESS")
    page.get_by_label("RESOLVED").fill("that the report be noted.")
    page.get_by_role("button", name="Add the minute").click()
    expect(page.locator("#minutes")).to_contain_text("RESOLVED that the report be noted.")
    page.get_by_role("link", name="Approve the minutes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Approve the minutes of 25 January 2016"
    )
    assert_accessible(page)
    assert_fits_a_small_screen(page)
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.locator("#minutes")).to_contain_text("Approved as a true record by")

    # A plain edit is refused; a correction with its reason is kept and shown.
    page.get_by_role("link", name=re.compile(r"^Correct minute \d+")).click()
    page.get_by_label("RESOLVED").fill("that the report be noted and sent to Cabinet.")
    page.get_by_role("button", name="Save the minute").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why this correction is made")
    assert_accessible(page)
    assert_fits_a_small_screen(page)
    page.get_by_label("Why is this correction made?").fill("The decision to send it on was missed.")
    page.get_by_role("button", name="Save the minute").click()
    minutes = page.locator("#minutes")
    expect(minutes).to_contain_text("Corrections since approval")
    expect(minutes).to_contain_text("RESOLVED corrected")
    expect(minutes).to_contain_text("The decision to send it on was missed.")
    assert MinuteCorrection.objects.count() == 1
    assert page.url.startswith(meeting_url)
    assert_accessible(page)

    # The pack: the agenda, then the two-page upload and the progress report.
    meeting = Meeting.objects.get(body__partnership__slug="thanet", date="2016-01-25")
    pack = page.request.get(f"{site}/meetings/{meeting.pk}/agenda.pdf")
    assert pack.ok
    assert len(PdfReader(io.BytesIO(pack.body())).pages) >= 1 + 2 + 1
