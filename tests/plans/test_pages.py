"""The pages a reader sees: partnerships, and each plan in its own words."""

import pytest
from django.urls import reverse

from plans.models import Plan
from plans.services import publish_plan
from tests.conftest import count_queries
from tests.factories import make_action, make_agency, make_issue, make_measure, make_priority
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def test_public_home_lists_published_plans_only(client):
    response = client.get(reverse("plans:home"))
    page = text_of(response)
    assert "Community Safety Plan 2015/2016" in page
    assert "2013/14 Tactical Delivery Plan" in page
    assert "Local priorities 2016/17 (provisional)" not in page


def test_member_home_lists_their_partnership_first(coordinator_client, partnership, plan):
    page = text_of(coordinator_client.get(reverse("plans:home")))
    assert page.index("Your partnerships") < page.index(partnership.name)
    assert plan.title in page  # unpublished, but theirs


def test_thanet_plan_page_shows_all_issues_ticks_actions_agencies_measures(client, thanet_plan):
    response = client.get(thanet_plan.get_absolute_url())
    assert response.status_code == 200
    page = text_of(response)
    html = response.content.decode()
    for issue in thanet_plan.issues.all():
        assert issue.title.split("\n")[0][:60] in page, issue
    for action in thanet_plan.actions.prefetch_related("support_agencies", "measures"):
        assert f"{action.ref}. {action.title.splitlines()[0][:50]}" in page, action
        assert action.lead_display in page
        for measure in action.measures.all():
            assert measure.text in page
    assert page.count("Impacts ") == sum(i.impacts.count() for i in thanet_plan.issues.all())
    assert "Which of the other current priorities does this impact upon?" in page
    assert "Proposed Actions" in page and "Measures of Success / Outcomes" in page
    assert 'scope="rowgroup"' in html
    assert "Through this plan we aim to:" in page
    assert "Improve support to vulnerable people of all ages" in page
    assert "Kent Fire and Rescue Service 01622 692121" in page
    assert "4 priorities, 12 emerging issues and 30 proposed actions" in page


def test_thanet_support_agencies_are_shown_as_printed(client, thanet_plan):
    page = text_of(client.get(thanet_plan.get_absolute_url()))
    assert "KCC Early Help Children's Social Services Kent Police – Missing Persons Officer" in page
    assert "TDC Communications TDC CSU ALL" in page  # action 25, as printed


def test_ashford_plan_page_speaks_of_aims_main_partners_targets_and_evidence(client, ashford_plan):
    page = text_of(client.get(ashford_plan.get_absolute_url()))
    for label in ["Aim", "Action", "Main Partner", "Targets", "Evidence"]:
        assert f" {label} " in page
    assert "Emerging issue" not in page
    assert "Priority: Domestic Abuse" in page
    assert "Kent Police & ABC Licensing" in page
    assert "Attend all repeat victim ASB calls" in page
    assert "6 priorities, 13 aims and 58 actions" in page


def test_medway_plan_page_speaks_of_objectives_and_lettered_aims(client, medway_plan):
    page = text_of(client.get(medway_plan.get_absolute_url()))
    assert "Objective" in page and "Emerging issue" not in page
    assert "(2019 Refresh)" in page
    assert "4) Tackling Illicit Tobacco" in page
    assert "c) Number of intelligence reports received (target 25)" in page
    assert "20 objectives and 62 aims" in page
    # Medway's tables have two columns: objective and aim.
    assert " Objective Aim 1) Tackling ASB " in page
    assert "Lead" not in page.split("Strengthening Communities", 2)[2][:300]


def test_kent_agreement_page_lists_priorities_and_cross_cutting_themes(client, kent_plan):
    page = text_of(client.get(kent_plan.get_absolute_url()))
    assert "Priorities Anti-Social Behaviour Domestic Abuse" in page
    assert "Cross-cutting themes Early intervention, prevention & education" in page
    assert "Safeguarding Children & Young People Cross-cutting theme However following" in page
    assert "Local Strategic Assessments (provisional)" in page


def test_partnership_page_links_member_districts_the_reader_may_see(client, kent_plan):
    page = client.get(reverse("reports:partnership", args=["kent"])).content.decode()
    assert 'href="/partnerships/thanet/"' in page
    assert 'href="/partnerships/dover/"' not in page  # Dover has nothing published
    assert "Dover Community Safety Partnership" in page


def test_plan_page_query_count_does_not_grow_with_actions(board_client, plan):
    issue = make_issue(priority=make_priority(plan=plan))
    make_action(issue=issue)
    one = count_queries(board_client, plan.get_absolute_url())
    for _ in range(10):
        action = make_action(issue=issue, support_agencies=[make_agency(), make_agency()])
        make_measure(action=action)
        make_measure(action=action, is_numeric=True, target=5)
    for _ in range(3):
        make_issue(priority=make_priority(plan=plan))
    assert count_queries(board_client, plan.get_absolute_url()) == one


def test_unpublished_plan_is_404_for_the_public_and_outsiders(client, outsider_client, plan):
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert outsider_client.get(plan.get_absolute_url()).status_code == 404


def test_published_plan_is_readable_by_anyone(client, plan, coordinator):
    publish_plan(plan=plan, by=coordinator)
    assert client.get(plan.get_absolute_url()).status_code == 200


def test_plan_page_escapes_entered_text(coordinator_client, plan):
    issue = make_issue(priority=make_priority(plan=plan), title="<script>alert(1)</script>")
    make_action(issue=issue, title="<b>bold</b>")
    html = coordinator_client.get(plan.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_pages_send_a_strict_content_security_policy(client, thanet_plan):
    response = client.get(thanet_plan.get_absolute_url())
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_draft_plans_stay_unpublished(plan):
    assert Plan.objects.get(pk=plan.pk).published_at is None


def test_coordinators_get_the_plan_as_an_import_spreadsheet_from_its_page(
    client, coordinator, board_member, plan
):
    spreadsheet = reverse(
        "actions:plan-spreadsheet", args=[plan.partnership.slug, plan.slug, "xlsx"]
    )
    client.force_login(coordinator)
    assert f'href="{spreadsheet}"' in client.get(plan.get_absolute_url()).content.decode()
    assert client.get(spreadsheet).status_code == 200
    client.force_login(board_member)
    assert spreadsheet not in client.get(plan.get_absolute_url()).content.decode()
