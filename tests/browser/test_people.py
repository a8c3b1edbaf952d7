"""A coordinator invites an officer in a real browser; the officer opens the emailed link,
chooses a password and lands on the partnership's page. Each page is checked with axe and
must fit a 320 px screen."""

import re

from django.core import mail
from playwright.sync_api import expect

from plans.models import Membership
from tests.browser.conftest import assert_accessible

LINK = re.compile(r"(http://[^/\s]+/invitations/[^/\s]+/)")


def assert_fits_a_small_screen(page):
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_coordinator_invites_an_officer_who_joins_from_the_email(sign_in, site, browser):
    page = sign_in("thanet-coordinator")
    page.goto(f"{site}/partnerships/thanet/")
    page.get_by_role("link", name="People: members and invitations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert_accessible(page)
    assert_fits_a_small_screen(page)

    page.get_by_label("Email address").fill("pat.officer@kent.police.uk")
    page.get_by_label("Agency officer").check()
    page.get_by_label("Agency", exact=True).select_option(label="Kent Police")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "An invitation has been sent to pat.officer@kent.police.uk."
    )
    expect(page.locator("#invitations-caption")).to_have_text("1 invitation")
    assert_accessible(page)

    (message,) = mail.outbox
    assert message.to == ["pat.officer@kent.police.uk"]
    (link,) = set(LINK.findall(message.body))
    assert link.startswith(site)

    officer = browser.new_context().new_page()
    officer.goto(link)
    expect(officer.get_by_role("heading", level=1)).to_have_text(
        "Join Thanet Community Safety Partnership"
    )
    assert "/invitations/accept/" in officer.url  # the token left the address bar
    assert_accessible(officer)
    assert_fits_a_small_screen(officer)
    officer.get_by_label("First name").fill("Pat")
    officer.get_by_label("Last name").fill("Officer")
    officer.get_by_label("Create a password").fill("short")
    officer.get_by_label("Type the password again").fill("short")
    officer.get_by_role("button", name="Create the account and join").click()
    summary = officer.locator(".govuk-error-summary")
    expect(summary).to_contain_text("at least 12 characters")
    expect(summary).to_be_focused()
    assert_accessible(officer)

    officer.get_by_label("Create a password").fill("correct horse battery")
    officer.get_by_label("Type the password again").fill("correct horse battery")
    officer.get_by_role("button", name="Create the account and join").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text(
        "Thanet Community Safety Partnership"
    )
    expect(officer.get_by_role("alert")).to_contain_text(
        "You have joined Thanet Community Safety Partnership as an agency officer for Kent Police."
    )
    expect(officer.get_by_text("Signed in as Pat Officer.")).to_be_visible()
    member = Membership.objects.get(user__username="pat.officer@kent.police.uk")
    assert (member.partnership.slug, member.role, member.agency.name) == (
        "thanet",
        Membership.Role.OFFICER,
        "Kent Police",
    )

    again = browser.new_context().new_page()
    response = again.goto(link)
    assert response.status == 410
    expect(again.get_by_role("heading", level=1)).to_have_text("This invitation has been used")
    assert_accessible(again)


def test_the_agencies_page_offers_the_agency_already_listed(sign_in, site):
    page = sign_in("thanet-coordinator")
    page.goto(f"{site}/partnerships/thanet/agencies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agencies")
    assert_accessible(page)
    assert_fits_a_small_screen(page)
    page.get_by_label("Name", exact=True).fill("kent police")
    page.get_by_role("button", name="Propose the agency").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Kent Police is already one of the partnership's agencies")
    expect(summary).to_be_focused()
    assert_accessible(page)


def test_a_members_role_and_removal_pages(sign_in, site):
    page = sign_in("thanet-coordinator")
    page.goto(f"{site}/partnerships/thanet/people/")
    page.get_by_role("link", name="Change role of Scrutiny councillor (demo)").click()
    expect(page.get_by_label("May see restricted items")).to_be_visible()  # councillor's own
    assert_accessible(page)
    assert_fits_a_small_screen(page)
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Remove Scrutiny councillor (demo)").click()
    page.get_by_role("button", name="Remove from the partnership").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why they are being removed")
    assert_accessible(page)
    assert_fits_a_small_screen(page)
