"""What officers meet first (issue 16): closed plans and other partnerships in My actions, why
an action cannot be updated, plural forms, narrative measures, and the action's history."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from actions import services
from csp_tracker import permissions
from plans.models import Plan
from plans.services import advance_plan
from plans.templatetags.plan_text import counted
from tests.factories import (
    make_action,
    make_issue,
    make_measure,
    make_partnership,
    make_plan,
    make_priority,
)
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def _closed_plan(partnership, coordinator):
    plan = make_plan(
        partnership=partnership,
        title="Tactical Delivery Plan 2013/14",
        period_start=datetime.date(2013, 4, 1),
        period_end=datetime.date(2014, 3, 31),
    )
    plan.status = Plan.Status.CLOSED
    plan.save()
    return plan


def test_my_actions_puts_closed_plans_and_other_partnerships_under_their_own_headings(
    officer_client, officer, coordinator, action, lead_agency, partnership
):
    old_plan = _closed_plan(partnership, coordinator)
    old = make_action(
        issue=make_issue(priority=make_priority(plan=old_plan)),
        lead_agency=lead_agency,
        title="Deliver a youth engagement day",
    )
    elsewhere = make_plan(
        partnership=make_partnership(name="Riverside Community Safety Partnership"),
        published_at=datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC),
    )
    theirs = make_action(
        issue=make_issue(priority=make_priority(plan=elsewhere)),
        lead_agency=lead_agency,
        title="Run a gangs awareness week",
    )
    page = text_of(officer_client.get(reverse("actions:my-actions")))
    led = page.index("Actions your agency leads")
    closed = page.index("In closed plans")
    other = page.index("In Riverside Community Safety Partnership’s plans")
    assert led < page.index(action.title) < closed
    assert closed < page.index(old.title) < other < page.index(theirs.title)
    closed_words = "Tactical Delivery Plan 2013/14 is closed: it takes no more updates."
    assert f"You cannot update it. {closed_words}" in page
    assert "You cannot update it. You are not a member of Riverside Community Safety" in page
    assert not permissions.can_update_action(officer, old)
    assert permissions.why_no_update(officer, action) == ""


def test_a_closed_plan_refuses_updates_and_notes(client, officer, support_officer, action):
    advance_plan(plan=action.plan, to=Plan.Status.CLOSED, by=None)
    action.refresh_from_db()
    for user in (officer, support_officer):
        assert not permissions.can_update_action(user, action)
        assert not permissions.can_add_note(user, action)
        client.force_login(user)
        assert client.get(reverse("actions:record-update", args=[action.pk])).status_code == 403
        page = text_of(client.get(action.get_absolute_url()))
        assert "You cannot update this action." in page
        assert "is closed: it takes no more updates." in page


@pytest.mark.parametrize(
    ("role", "reason"),
    [
        ("support_officer", "Your agency supports it: add notes;"),
        ("other_officer", "Your agency does not lead it:"),
        ("board_member", "You read progress as an executive board member"),
        ("councillor", "You read progress as a scrutiny councillor"),
    ],
)
def test_the_action_page_says_why_it_cannot_be_updated(client, request, action, role, reason):
    client.force_login(request.getfixturevalue(role))
    assert reason in text_of(client.get(action.get_absolute_url()))


def test_a_plural_label_is_made_singular_for_one():
    assert counted("Proposed Actions", 1) == "proposed action"
    assert counted("Proposed Actions", 30) == "proposed actions"
    assert counted("Measures of Success / Outcomes", 1) == "measure of success / outcomes"
    assert counted("Emerging issue", 2) == "emerging issues"
    assert counted("Priority", 3) == "priorities"
    assert counted("Aim", 1) == "aim"


def test_a_narrative_measure_shows_no_target(officer_client, action):
    make_measure(action=action, text="Reduction in re-offending", is_numeric=False)
    page = text_of(officer_client.get(action.get_absolute_url()))
    assert "Not a number" not in page
    assert "None: measured in words" in page


def test_the_history_is_newest_first_and_lists_measure_edits(
    coordinator_client, coordinator, action
):
    measure = make_measure(action=action, text="2 Courses delivered", is_numeric=True, target=2)
    later = datetime.datetime(2015, 12, 21, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(later, tick=False):
        services.edit_action(
            action=action,
            by=coordinator,
            version=action.version,
            title="A clearer title",
            measures=[
                {
                    "id": measure.pk,
                    "text": "2 Courses delivered",
                    "is_numeric": True,
                    "target": Decimal(3),
                    "unit": "",
                    "baseline": None,
                }
            ],
        )
    page = text_of(coordinator_client.get(action.get_absolute_url()))
    history = page[page.index("Changes to this action") :]
    assert "Measure “2 Courses delivered”, target: “2” → “3”" in history
    assert history.index("A clearer title") < history.index("Added")
