"""The plan-authoring pages as a coordinator uses them: bad input is said on the form and
changes nothing; a form opened before someone else saved is refused with what they changed
and keeps what was typed; a published plan's pages say residents will see the change; a
closed plan's workspace reads only; a removal that is refused says why before it is tried.
The workspace's query count does not grow with the plan's actions."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Action
from actions.services import record_update
from plans import authoring
from plans.models import Plan, Priority
from plans.services import publish_plan
from tests.conftest import count_queries
from tests.factories import (
    make_action,
    make_agency,
    make_issue,
    make_measure,
    make_plan,
    make_priority,
    make_user,
)

pytestmark = pytest.mark.django_db


def url(name, plan, *args):
    return reverse(name, args=[plan.partnership.slug, plan.slug, *args])


def test_a_coordinator_starts_a_plan_and_lands_on_its_workspace(partnership, coordinator_client):
    response = coordinator_client.post(
        reverse("plans:plan-start", args=[partnership.slug]),
        {
            "title": "Action Plan 2027-2031",
            "kind": Plan.Kind.MULTI_YEAR,
            "period_start": "2027-04-01",
            "period_end": "2031-03-31",
            "priority_label": "Theme",
            "issue_label": "Objective",
            "action_label": "Aim",
            "support_label": "Partners",
        },
    )
    plan = Plan.objects.get(partnership=partnership, title="Action Plan 2027-2031")
    assert response.url == url("actions:plan-workspace", plan)
    page = coordinator_client.get(response.url).content.decode()
    assert "Add theme" in page
    assert "No themes yet." in page


def test_a_plan_without_a_title_or_with_its_period_backwards_is_refused(
    partnership, coordinator_client
):
    response = coordinator_client.post(
        reverse("plans:plan-start", args=[partnership.slug]),
        {"title": "", "period_start": "2027-04-01", "period_end": "2026-04-01"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter the plan&#x27;s title" in page
    assert "The period must end after it starts" in page
    assert not Plan.objects.filter(period_start=datetime.date(2027, 4, 1)).exists()


def test_the_plan_page_links_its_coordinators_to_the_workspace(
    plan, client, coordinator, board_member
):
    client.force_login(coordinator)
    assert "Edit this plan" in client.get(plan.get_absolute_url()).content.decode()
    client.force_login(board_member)
    assert "Edit this plan" not in client.get(plan.get_absolute_url()).content.decode()


def test_the_partnership_page_offers_coordinators_a_new_plan(
    partnership, client, coordinator, councillor
):
    client.force_login(coordinator)
    start = reverse("plans:plan-start", args=[partnership.slug])
    assert start in client.get(partnership.get_absolute_url()).content.decode()
    client.force_login(councillor)
    assert start not in client.get(partnership.get_absolute_url()).content.decode()


def test_an_issue_form_speaks_the_plans_words(plan, priority, coordinator_client):
    plan.issue_label = "Aim"
    plan.save()
    page = coordinator_client.get(url("plans:issue-add", plan, priority.pk)).content.decode()
    assert "Add an aim under" in page
    assert "Aim title" in page


def test_an_empty_priority_is_refused_and_nothing_is_added(plan, coordinator_client):
    before = plan.priorities.count()
    response = coordinator_client.post(url("plans:priority-add", plan), {"kind": "main"})
    assert response.status_code == 422
    assert "Enter the priority&#x27;s title" in response.content.decode()
    assert plan.priorities.count() == before


def test_a_second_priority_of_the_same_title_is_refused(plan, priority, coordinator_client):
    response = coordinator_client.post(
        url("plans:priority-add", plan), {"title": priority.title, "kind": "main"}
    )
    assert response.status_code == 422
    assert plan.priorities.filter(title=priority.title).count() == 1


def test_a_stale_priority_form_is_refused_keeping_what_was_typed(
    plan, priority, coordinator_client
):
    other = make_user(first_name="Alex", last_name="Other")
    authoring.edit_priority(priority=priority, by=other, version=priority.version, title="Theirs")
    response = coordinator_client.post(
        url("plans:priority-edit", plan, priority.pk),
        {"title": "My typed title", "kind": "main", "version": 1},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "someone else changed this priority" in page
    assert "Alex Other changed the priority" in page
    assert 'value="My typed title"' in page
    priority.refresh_from_db()
    assert priority.title == "Theirs"


def test_a_published_plans_pages_say_residents_see_the_change(
    partnership, coordinator, coordinator_client
):
    plan = publish_plan(plan=make_plan(partnership=partnership), by=coordinator)
    page = coordinator_client.get(url("plans:priority-add", plan)).content.decode()
    assert "residents will see what you save here" in page
    response = coordinator_client.post(
        url("plans:priority-add", plan), {"title": "Road safety", "kind": "main"}, follow=True
    )
    assert "residents can see this change now" in response.content.decode()


def test_a_closed_plans_workspace_reads_only(partnership, coordinator_client):
    closed = make_plan(partnership=partnership, status=Plan.Status.CLOSED)
    action = make_action(plan=closed, title="Finished work")
    page = coordinator_client.get(url("actions:plan-workspace", closed)).content.decode()
    assert "This plan is closed" in page
    assert "Finished work" in page
    assert url("plans:priority-add", closed) not in page
    assert url("actions:action-removal", closed, action.pk) not in page


def test_a_removal_that_would_be_refused_says_why_before_it_is_tried(
    action, officer, coordinator_client
):
    record_update(
        action=action,
        by=officer,
        status="on_track",
        rag="green",
        narrative="Started",
        reported_on=datetime.date(2015, 7, 1),
    )
    removal = url("actions:action-removal", action.plan, action.pk)
    page = coordinator_client.get(removal).content.decode()
    assert "1 July 2015 by" in page
    assert "Remove the action</button>" not in page
    response = coordinator_client.post(removal, {"reason": "Try anyway"})
    assert response.status_code == 422
    assert Action.objects.filter(pk=action.pk).exists()


def test_a_removal_with_a_reason_goes_back_to_the_workspace(plan, coordinator_client):
    priority = make_priority(plan=plan, title="Spare")
    response = coordinator_client.post(
        url("plans:priority-removal", plan, priority.pk), {"reason": "Added by mistake"}
    )
    assert response.url == url("actions:plan-workspace", plan)
    assert not Priority.objects.filter(pk=priority.pk).exists()
    page = coordinator_client.get(response.url).content.decode()
    assert "Priority “Spare” removed by" in page
    assert "Added by mistake" in page


def test_an_action_is_added_from_the_workspace_with_a_measure(
    issue, partnership, coordinator_client
):
    agency = make_agency(name="Kent Police (t)")
    from plans.services import add_partnership_agency

    add_partnership_agency(partnership=partnership, agency=agency, by=None)
    response = coordinator_client.post(
        url("actions:action-add", issue.plan, issue.pk),
        {
            "ref": "9",
            "title": "Patrols",
            "lead_agency": agency.pk,
            "measures-TOTAL_FORMS": 1,
            "measures-INITIAL_FORMS": 0,
            "measures-0-text": "Arrests",
            "measures-0-is_numeric": "on",
            "measures-0-target": "12",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action = issue.actions.get(title="Patrols")
    assert (action.ref, action.lead_agency, action.measures.get().target) == ("9", agency, 12)


def test_an_action_with_an_agency_of_another_partnership_is_refused(issue, coordinator_client):
    stranger = make_agency(name="Stranger (t)")
    response = coordinator_client.post(
        url("actions:action-add", issue.plan, issue.pk),
        {
            "title": "X",
            "lead_agency": stranger.pk,
            "measures-TOTAL_FORMS": 0,
            "measures-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 422
    assert "Select the lead agency from the partnership" in response.content.decode()
    assert not issue.actions.exists()


def test_the_workspace_query_count_does_not_grow_with_actions(
    plan, coordinator, coordinator_client
):
    workspace = url("actions:plan-workspace", plan)

    def grow_to(count):
        while plan.actions.count() < count:
            n = plan.actions.count()
            if n % 10 == 0:
                issue = make_issue(priority=make_priority(plan=plan))
            action = make_action(issue=issue, support_agencies=[make_agency()])
            make_measure(action=action)

    grow_to(10)
    authoring.add_glossary_term(plan=plan, by=coordinator, term="ASB", definition="x")
    few = count_queries(coordinator_client, workspace)
    grow_to(300)
    authoring.add_contact(plan=plan, by=coordinator, name="Police")
    assert count_queries(coordinator_client, workspace) == few
