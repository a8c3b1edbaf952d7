"""The coordinator's workspace in a real browser: from the partnership page, open an update
round, see who has not reported, publish the plan through its confirmation and unpublish it
for a reason; publish a meeting after its confirmation. Axe on every new page."""

import re

from playwright.sync_api import expect

from actions import services as action_services
from plans.models import Agency, Plan
from tests.browser.conftest import assert_accessible
from tests.factories import make_action, make_issue, make_priority


def _draft_with_actions() -> Plan:
    """Thanet's provisional 2016/17 plan, given three actions: two led by Kent Police."""
    plan = Plan.objects.get(partnership__slug="thanet", slug="2016-17-provisional")
    issue = make_issue(priority=make_priority(plan=plan, title="Domestic abuse"))
    police = Agency.objects.get(name="Kent Police")
    make_action(issue=issue, title="Run the body worn video pilot", lead_agency=police)
    make_action(issue=issue, title="Train officers in DASH risk checks", lead_agency=police)
    make_action(issue=issue, title="Map the refuge places", lead_agency=None)
    return plan


def test_a_coordinator_opens_a_round_and_publishes_a_plan(sign_in, site):
    plan = _draft_with_actions()
    page = sign_in("thanet-coordinator")
    page.goto(f"{site}/partnerships/thanet/")
    expect(page.get_by_role("heading", name="What needs doing")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=f"Update rounds of {plan.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Update rounds")
    assert_accessible(page)
    page.get_by_role("link", name="Open a round").click()
    page.get_by_label("Name of the round").fill("Q1 2016/17")
    page.get_by_label("First day").fill("2016-04-01")
    page.get_by_label("Last day").fill("2016-06-30")
    page.get_by_label("Updates due by").fill("2016-06-01")
    page.get_by_role("button", name="Open the round").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The due date must be on or after the end of the round, 30 June 2016."
    )
    expect(page.get_by_label("Updates due by")).to_have_accessible_description(
        re.compile("The due date must be on or after the end of the round")
    )
    assert_accessible(page)
    page.get_by_label("Updates due by").fill("2016-07-15")
    page.get_by_role("button", name="Open the round").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Q1 2016/17 is open: officers can report for it now."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Q1 2016/17")
    expect(page.locator("#agency-none")).to_contain_text("Map the refuge places")
    assert_accessible(page)

    # An officer reports on one of Kent Police's actions; the round page moves it across.
    reported = plan.actions.get(title="Run the body worn video pilot")
    period = plan.reporting_periods.get(slug="q1-2016-17")
    action_services.record_update(
        action=reported, by=None, status="on_track", rag="green", period=period
    )
    page.goto(f"{site}/partnerships/thanet/")
    kent_police = page.get_by_role("row", name=re.compile("^Kent Police 1 of 2"))
    expect(kent_police).to_be_visible()
    kent_police.get_by_role("link").click()
    police = page.locator(".app-round-agency", has_text="Missing: 1")
    expect(police.first).to_contain_text("Train officers in DASH risk checks")
    expect(page.locator("body")).to_contain_text("Reported on 1 of 3")

    page.get_by_role("link", name=plan.title).first.click()
    page.get_by_role("link", name="Publish this plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Publish {plan.title}")
    expect(page.locator("main")).to_contain_text("1 priority, 1 emerging issue and 3 actions")
    expect(page.locator("main")).to_contain_text("mark it as agreed, then live")
    assert_accessible(page)
    page.get_by_role("button", name="Publish this plan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "is published: residents can read it now."
    )
    plan.refresh_from_db()
    assert (plan.status, plan.is_published) == (Plan.Status.LIVE, True)

    page.get_by_role("link", name=re.compile("^Unpublish")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Unpublish this plan").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say why the plan is being unpublished"
    )
    page.get_by_label("Why unpublish the plan?").fill("Priorities still provisional")
    page.get_by_role("button", name="Unpublish this plan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is no longer published")
    page.locator("summary", has_text="History of the plan's status and publication").click()
    expect(page.locator(".govuk-details__text")).to_contain_text(
        "Unpublished by Community safety coordinator (demo) – “Priorities still provisional”"
    )
    assert_accessible(page)
    assert "/admin/" not in page.content()
    page.get_by_role("link", name="Close this plan").click()
    expect(page.locator("main")).to_contain_text("A closed plan cannot be opened again.")
    assert_accessible(page)


def test_a_coordinator_publishes_a_meeting_after_its_confirmation(sign_in, site):
    page = sign_in("thanet-coordinator")
    page.goto(f"{site}/partnerships/thanet/meetings/")
    page.get_by_role("link", name="Community Safety Partnership Working Party").click()
    page.get_by_role("link", name=re.compile("14 December 2015")).first.click()
    page.get_by_role("link", name="Withdraw from publication").click()
    assert_accessible(page)
    page.get_by_label("Why withdraw the meeting?").fill("A name to take out of minute 98")
    page.get_by_role("button", name="Withdraw from publication").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("no longer published")
    page.get_by_role("link", name="Publish the meeting").click()
    expect(page.locator("main")).to_contain_text("What the public will see")
    assert_accessible(page)
    page.get_by_role("button", name="Publish the meeting").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("anyone can read it now")
