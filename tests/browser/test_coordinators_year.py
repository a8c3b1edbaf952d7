"""Issue 12's walk-through in one browser session: a coordinator invites an officer, builds a
small plan from nothing (two priorities, three emerging issues, five actions with measures),
opens an update round, records a meeting with an uploaded paper and minutes, and publishes
the plan, never visiting /admin/."""

import re

from django.core import mail
from playwright.sync_api import expect

from actions.models import Measure
from meetings.models import AgendaPaper, Meeting
from plans.models import Invitation, Plan
from tests.browser.conftest import assert_accessible
from tests.browser.test_plan_authoring import add_action, add_issue, add_priority
from tests.meetings.pdfs import blank_pdf

TITLE = "Community Safety Plan 2027/28"


def _open(page, summary):
    page.locator("summary", has_text=summary).click()


def test_a_coordinator_runs_the_year_without_the_admin(sign_in, site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = sign_in("thanet-coordinator")
    visited = []
    page.on("request", lambda request: visited.append(request.url))

    # Invite an officer.
    page.goto(f"{site}/partnerships/thanet/")
    page.get_by_role("link", name="People: members and invitations").click()
    page.get_by_label("Email address").fill("sam.officer@kent.police.uk")
    page.get_by_label("Agency officer").check()
    page.get_by_label("Agency", exact=True).select_option(label="Kent Police")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("sam.officer@kent.police.uk")
    assert Invitation.objects.filter(email="sam.officer@kent.police.uk").exists()
    assert [m.to for m in mail.outbox] == [["sam.officer@kent.police.uk"]]

    # Build a small plan from nothing.
    page.goto(f"{site}/partnerships/thanet/")
    page.get_by_role("link", name="Start a new plan").click()
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Period starts").fill("2027-04-01")
    page.get_by_label("Period ends").fill("2028-03-31")
    page.get_by_label("Question of the “impacts other priorities” ticks").fill(
        "Which of the other current priorities does this impact upon?"
    )
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit this plan")
    add_priority(page, "Domestic abuse")
    add_priority(page, "Anti-social behaviour")
    add_issue(page, "Domestic abuse", "Repeat victims", ticks=["Anti-social behaviour"])
    add_issue(page, "Domestic abuse", "Young people's relationships")
    add_issue(page, "Anti-social behaviour", "Street drinking in Margate")
    add_action(page, "Repeat victims", "Run MARAC fortnightly", "MARAC held")
    add_action(page, "Repeat victims", "Refer victims to IDVA", "Referrals", target="40")
    add_action(page, "Young people's relationships", "Schools programme", "Schools reached")
    add_action(page, "Street drinking in Margate", "Patrols in the town centre", "Patrols")
    add_action(page, "Street drinking in Margate", "Enforce the PSPO", "Fixed penalties")
    plan = Plan.objects.get(partnership__slug="thanet", title=TITLE)
    assert (plan.priorities.count(), plan.issues.count(), plan.actions.count()) == (2, 3, 5)
    assert Measure.objects.filter(action__plan=plan).count() == 5

    # Open an update round on it.
    page.goto(f"{site}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Update rounds").click()
    page.get_by_role("link", name="Open a round").click()
    page.get_by_label("Name of the round").fill("Q1 2027/28")
    page.get_by_label("First day").fill("2027-04-01")
    page.get_by_label("Last day").fill("2027-06-30")
    page.get_by_label("Updates due by").fill("2027-07-15")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Q1 2027/28")
    expect(page.locator("main")).to_contain_text("Run MARAC fortnightly")
    assert plan.reporting_periods.filter(name="Q1 2027/28", closed_at=None).exists()

    # Record a meeting with an uploaded paper and a minute.
    page.goto(f"{site}/partnerships/thanet/meetings/")
    page.get_by_role("link", name="Community Safety Partnership Working Party").click()
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Date").fill("2027-05-10")
    page.get_by_label("Held", exact=True).check()
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("10 May 2027")
    meeting_url = page.url
    _open(page, "Add an agenda item")
    agenda = page.locator("#agenda")
    agenda.get_by_label("Code").fill("A1")
    agenda.get_by_label("Title", exact=True).fill("The new plan")
    page.get_by_role("button", name="Add item").click()
    expect(agenda.get_by_role("status")).to_contain_text("has been added to the agenda")
    agenda.get_by_role("link", name="Add papers").click()
    page.get_by_label("PDF file").set_input_files(
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": blank_pdf(3)}]
    )
    page.get_by_label("Title of the paper").fill("Draft plan 2027/28")
    page.get_by_role("button", name="Upload the paper").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("(3 pages) is attached")
    page.goto(meeting_url)
    page.get_by_role("link", name="Add a minute", exact=True).click()
    page.get_by_label("Title").fill("THE NEW PLAN")
    page.get_by_label("RESOLVED").fill("that the draft plan be agreed.")
    page.get_by_role("button", name="Add the minute").click()
    meeting = Meeting.objects.get(body__partnership__slug="thanet", date="2027-05-10")
    assert AgendaPaper.objects.filter(item__meeting=meeting).count() == 1
    assert meeting.minutes.filter(title="THE NEW PLAN").exists()
    expect(page.locator("main")).to_contain_text("that the draft plan be agreed.")

    # Publish the plan, after the confirmation of what residents will see.
    page.goto(f"{site}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Publish this plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Publish {TITLE}")
    expect(page.locator("main")).to_contain_text("2 priorities, 3 emerging issues and 5 actions")
    assert_accessible(page)
    page.get_by_role("button", name="Publish this plan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is published")
    plan.refresh_from_db()
    assert plan.is_published

    assert not [url for url in visited if re.search(r"//[^/]+/admin/", url)]
