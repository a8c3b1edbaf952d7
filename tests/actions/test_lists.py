"""Finding actions: filters in the URL, my actions, and flat query counts as plans grow."""

import datetime

import pytest
from django.urls import reverse

from actions import services
from tests.conftest import count_queries
from tests.factories import (
    make_action,
    make_agency,
    make_issue,
    make_measure,
    make_priority,
)
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(plan, issue, lead_agency, support_agency, officer, q3):
    """Four actions that differ in one way each."""
    other_issue = make_issue(priority=make_priority(plan=plan, title="Engagement"))
    led = make_action(issue=issue, title="Pilot body worn video", lead_agency=lead_agency)
    supported = make_action(
        issue=other_issue,
        title="Refresh the communications strategy",
        support_agencies=[lead_agency],
    )
    overdue = make_action(
        issue=issue, title="Produce a mapping document", target_date=datetime.date(2015, 11, 1)
    )
    done = make_action(
        issue=issue, title="Deliver training", target_date=datetime.date(2015, 11, 1)
    )
    services.record_update(
        action=done, by=officer, status="completed", rag="green", period=q3, narrative="Delivered."
    )
    services.record_update(
        action=led,
        by=officer,
        status="at_risk",
        rag="amber",
        narrative="Kit delayed.",
        reported_on=datetime.date(2015, 9, 1),
    )
    return {
        "led": led,
        "supported": supported,
        "overdue": overdue,
        "done": done,
        "other_issue": other_issue,
    }


def titles(response):
    page = text_of(response)
    return {
        t
        for t in [
            "Pilot body worn video",
            "Refresh the communications strategy",
            "Produce a mapping document",
            "Deliver training",
        ]
        if t in page
    }


def list_url(the_plan, **params):
    from urllib.parse import urlencode

    url = reverse("actions:list", args=[the_plan.partnership.slug])
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


ALL = {
    "Pilot body worn video",
    "Refresh the communications strategy",
    "Produce a mapping document",
    "Deliver training",
}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL),
        ({"status": ["completed"]}, {"Deliver training"}),
        ({"status": ["at_risk", "completed"]}, {"Pilot body worn video", "Deliver training"}),
        ({"rag": ["amber"]}, {"Pilot body worn video"}),
        ({"overdue": "on"}, {"Produce a mapping document"}),
        ({"no_update": "on"}, ALL - {"Deliver training"}),
        ({"q": "mapping"}, {"Produce a mapping document"}),
        ({"q": "BODY video"}, {"Pilot body worn video"}),
    ],
)
def test_filters(coordinator_client, plan, cast, params, expected):
    assert titles(coordinator_client.get(list_url(plan, **params))) == expected


def test_filter_by_agency_priority_issue_and_plan(coordinator_client, plan, cast, lead_agency):
    assert titles(coordinator_client.get(list_url(plan, lead_agency=lead_agency.pk))) == {
        "Pilot body worn video"
    }
    assert titles(coordinator_client.get(list_url(plan, support_agency=lead_agency.pk))) == {
        "Refresh the communications strategy"
    }
    issue = cast["other_issue"]
    assert titles(coordinator_client.get(list_url(plan, issue=issue.pk))) == {
        "Refresh the communications strategy"
    }
    assert titles(coordinator_client.get(list_url(plan, priority=issue.priority_id))) == {
        "Refresh the communications strategy"
    }
    assert titles(coordinator_client.get(list_url(plan, plan=plan.pk))) == ALL


def test_sorting_by_target_date_and_last_update(coordinator_client, plan, cast):
    page = text_of(coordinator_client.get(list_url(plan, sort="-last")))
    assert page.index("Deliver training") < page.index("Pilot body worn video")
    page = text_of(coordinator_client.get(list_url(plan, sort="target_date")))
    assert page.index("Produce a mapping document") < page.index("Pilot body worn video")


def test_bad_filter_values_are_explained_not_a_server_error(coordinator_client, plan, cast):
    response = coordinator_client.get(list_url(plan, plan="999999", status=["nonsense"]))
    assert response.status_code == 200
    page = text_of(response)
    assert "There is a problem" in page
    assert "Select a valid choice" in page


def test_htmx_filtering_returns_only_the_results(coordinator_client, plan, cast):
    response = coordinator_client.get(list_url(plan, rag=["amber"]), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "Pilot body worn video" in html and "Deliver training" not in html


def test_filters_are_in_the_url_and_work_without_javascript(coordinator_client, plan, cast):
    html = coordinator_client.get(list_url(plan)).content.decode()
    assert f'<form method="get" action="{list_url(plan)}"' in html
    assert 'hx-push-url="true"' in html


def test_my_actions_lists_led_then_supported(officer_client, cast):
    page = text_of(officer_client.get(reverse("actions:my-actions")))
    led = page.index("Actions your agency leads")
    supported = page.index("Actions your agency supports")
    assert led < page.index("Pilot body worn video") < supported
    assert page.index("Refresh the communications strategy") > supported
    assert "Produce a mapping document" not in page


def test_my_actions_for_a_coordinator_points_to_the_list(coordinator_client, plan):
    page = text_of(coordinator_client.get(reverse("actions:my-actions")))
    assert "You do not report for an agency" in page
    assert f"All actions of {plan.partnership.name}" in page


def _grow(plan, issue, lead_agency, officer, q3, count):
    for n in range(count):
        action = make_action(
            issue=issue,
            lead_agency=lead_agency,
            support_agencies=[make_agency()] if n % 10 == 0 else [],
        )
        if n % 10 == 0:
            make_measure(action=action, is_numeric=True, target=10)
        for status, rag in [("on_track", "green"), ("at_risk", "amber"), ("on_track", "green")]:
            services.record_update(
                action=action, by=officer, status=status, rag=rag, narrative="Progress.", period=q3
            )


def test_pages_keep_a_flat_query_count_from_10_to_300_actions(
    client, officer, plan, issue, lead_agency, q3
):
    client.force_login(officer)
    _grow(plan, issue, lead_agency, officer, q3, 10)
    first = plan.actions.order_by("number").first()
    urls = [
        list_url(plan),
        list_url(plan, sort="-last", no_update="on"),
        reverse("actions:my-actions"),
        plan.get_absolute_url(),
        first.get_absolute_url(),
    ]
    at_10 = [count_queries(client, url) for url in urls]
    _grow(plan, issue, lead_agency, officer, q3, 290)
    for _ in range(5):
        services.record_update(action=first, by=officer, narrative="More news.")
    at_300 = [count_queries(client, url) for url in urls]
    assert at_300 == at_10, dict(zip(urls, zip(at_10, at_300, strict=True), strict=True))


def test_action_list_query_budget(officer_client, plan, cast, django_assert_num_queries):
    # session, user, demo-account check, memberships, partnership, plans, count, page of
    # actions, their supporters, then the filter's choices: plans, priorities, issues, lead
    # agencies, support agencies, reporting periods.
    with django_assert_num_queries(15):
        officer_client.get(list_url(plan))


def test_unrated_actions_and_joint_leads_can_be_listed(coordinator_client, plan, cast):
    unrated = titles(coordinator_client.get(list_url(plan, rag=["none"])))
    assert unrated == {"Refresh the communications strategy", "Produce a mapping document"}
    both = titles(coordinator_client.get(list_url(plan, rag=["none", "amber"])))
    assert both == unrated | {"Pilot body worn video"}


def test_no_single_lead_agency_is_a_choice(coordinator_client, plan, issue):
    make_action(issue=issue, title="Review meeting structures", lead_agency=None)
    listed = text_of(coordinator_client.get(list_url(plan, lead_agency="null")))
    assert "Review meeting structures" in listed
    assert "Pilot body worn video" not in listed


def test_updated_and_not_updated_in_a_named_round(coordinator_client, plan, cast, officer):
    q2 = plan.reporting_periods.get(slug="q2")
    services.record_update(action=cast["overdue"], by=officer, narrative="Noted in Q2.", period=q2)
    in_q2 = titles(coordinator_client.get(list_url(plan, period="q2", updated="on")))
    assert in_q2 == {"Produce a mapping document"}
    in_q3 = titles(coordinator_client.get(list_url(plan, updated="on")))
    assert in_q3 == {"Deliver training"}
    missing_q2 = titles(coordinator_client.get(list_url(plan, period="q2", no_update="on")))
    assert missing_q2 == ALL - {"Produce a mapping document"}


def test_the_reporting_period_is_chosen_from_the_plans_rounds(coordinator_client, plan, cast):
    page = coordinator_client.get(list_url(plan))
    choices = page.context["filter"].form.fields["period"].choices
    assert [label for _, label in choices] == [
        "The current one",
        "Q2 2015/16",
        "Q3 2015/16",
    ]
    wrong = coordinator_client.get(list_url(plan, period="q9", updated="on"))
    assert "Select a valid choice" in text_of(wrong)
