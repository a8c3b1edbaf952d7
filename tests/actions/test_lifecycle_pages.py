"""Publishing a plan from its page: the confirmation says, in the plan's own words, what
residents will see and what they will not; unpublishing asks why; marking as agreed and
closing are steps with a confirmation. Refusals change nothing (422), a page opened before
someone else's change is refused (409)."""

import pytest
from django.urls import reverse

from actions import services as action_services
from plans import services
from plans.models import Plan
from tests.conftest import count_queries
from tests.factories import make_action, make_issue, make_plan, make_priority
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

Status = Plan.Status


def _url(plan, name):
    return reverse(name, args=[plan.partnership.slug, plan.slug])


@pytest.fixture
def draft(partnership):
    """A draft in Ashford's words: two priorities, three aims, two actions, one report."""
    plan = make_plan(
        partnership=partnership,
        title="Tactical Delivery Plan 2016/17",
        status=Status.DRAFT,
        priority_label="Priority",
        issue_label="Aim",
        action_label="Action",
    )
    first, second = make_priority(plan=plan), make_priority(plan=plan)
    aims = [make_issue(priority=first), make_issue(priority=first), make_issue(priority=second)]
    action = make_action(issue=aims[0])
    make_action(issue=aims[2])
    action_services.record_update(action=action, by=None, status="on_track", rag="green")
    return plan


def test_the_confirmation_says_what_residents_will_see_in_the_plans_words(
    coordinator_client, draft, partnership
):
    make_plan(partnership=partnership, title="Local priorities (provisional)", status="draft")
    page = text_of(coordinator_client.get(_url(draft, "actions:plan-publish")))
    assert "the plan document, “Tactical Delivery Plan 2016/17”, on the web and as a PDF" in page
    assert "its 2 priorities, 3 aims and 2 actions" in page
    assert "the 1 progress report on those actions" in page
    assert "anything restricted" in page
    assert "Local priorities (provisional) (draft)" in page
    assert "Publishing it will also mark it as agreed, then live" in page


def test_publishing_from_the_confirmation_makes_the_draft_live_and_public(
    coordinator_client, client, draft, coordinator
):
    confirm = coordinator_client.get(_url(draft, "actions:plan-publish"))
    based_on = confirm.context["form"].initial["based_on"]
    response = coordinator_client.post(_url(draft, "actions:plan-publish"), {"based_on": based_on})
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    plan = Plan.objects.get(pk=draft.pk)
    assert (plan.status, plan.is_published) == (Status.LIVE, True)
    assert [r.history_user for r in plan.history.order_by("history_id")][1:] == [coordinator] * 3
    page = text_of(coordinator_client.get(draft.get_absolute_url()))
    assert "Tactical Delivery Plan 2016/17 is published: residents can read it now." in page
    assert "Published by Person" in page and "Marked as agreed by Person" in page
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_page_opened_before_someone_elses_change_publishes_nothing(coordinator_client, draft):
    seen = services.plan_state(draft)
    services.advance_plan(plan=draft, to=Status.AGREED, by=None)
    response = coordinator_client.post(_url(draft, "actions:plan-publish"), {"based_on": seen})
    assert response.status_code == 409
    page = text_of(response)
    assert "The plan was not published: someone else changed it" in page
    assert "Publishing it will also mark it as live" in page  # the plan as it is now
    assert not Plan.objects.get(pk=draft.pk).is_published
    fresh = response.context["form"].initial["based_on"]
    assert fresh == services.plan_state(draft)


def test_a_damaged_confirmation_is_refused_with_a_message(coordinator_client, draft):
    for data in ({}, {"based_on": "not a number"}):
        response = coordinator_client.post(_url(draft, "actions:plan-publish"), data)
        assert response.status_code == 422
        assert "The form was damaged: open the page again" in text_of(response)
    assert not Plan.objects.get(pk=draft.pk).is_published


def test_unpublishing_asks_why_and_keeps_the_reason(
    coordinator_client, published_plan, coordinator
):
    url = _url(published_plan, "actions:plan-unpublish")
    page = coordinator_client.get(url)
    based_on = page.context["form"].initial["based_on"]
    response = coordinator_client.post(url, {"based_on": based_on, "reason": ""})
    assert response.status_code == 422
    assert "Say why the plan is being unpublished" in text_of(response)
    assert Plan.objects.get(pk=published_plan.pk).is_published
    response = coordinator_client.post(
        url, {"based_on": based_on, "reason": "A correction to the foreword"}
    )
    assert response.status_code == 302
    plan = Plan.objects.get(pk=published_plan.pk)
    assert not plan.is_published
    record = plan.history.order_by("-history_id").first()
    assert (record.history_user, record.history_change_reason) == (
        coordinator,
        "A correction to the foreword",
    )
    page = text_of(coordinator_client.get(plan.get_absolute_url()))
    assert "Unpublished by Person" in page and "“A correction to the foreword”" in page


def test_marking_as_agreed_from_the_plan_page(coordinator_client, draft):
    page = coordinator_client.get(draft.get_absolute_url())
    form = page.context["step_form"]
    assert "Mark as agreed" in text_of(page)
    response = coordinator_client.post(
        _url(draft, "actions:plan-agree"), {"based_on": form.initial["based_on"]}
    )
    assert response.status_code == 302
    assert Plan.objects.get(pk=draft.pk).status == Status.AGREED
    # The same button posted again (a second tab): the plan has moved on.
    response = coordinator_client.post(
        _url(draft, "actions:plan-agree"), {"based_on": form.initial["based_on"]}
    )
    assert response.status_code == 409


def test_a_step_the_plan_cannot_take_is_refused(coordinator_client, plan):
    page = text_of(coordinator_client.get(_url(plan, "actions:plan-agree")))
    assert "The plan is live: only a draft plan is marked as agreed." in page
    based_on = services.plan_state(plan)
    response = coordinator_client.post(_url(plan, "actions:plan-agree"), {"based_on": based_on})
    assert response.status_code == 422
    assert "A live plan cannot become agreed." in text_of(response)
    assert Plan.objects.get(pk=plan.pk).status == Status.LIVE


def test_closing_a_plan_after_the_confirmation(coordinator_client, plan):
    url = _url(plan, "actions:plan-close")
    page = text_of(coordinator_client.get(url))
    assert "A closed plan cannot be opened again." in page
    response = coordinator_client.post(url, {"based_on": services.plan_state(plan)})
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == Status.CLOSED


def test_the_plan_page_offers_each_role_only_its_controls(client, plan, as_role):
    for role, sees in [
        ("coordinator", {"Publish this plan", "Close this plan", "Update rounds"}),
        ("officer", {"Update rounds"}),
        ("board_member", {"Update rounds"}),
        ("councillor", set()),
    ]:
        page = text_of(as_role(role).get(plan.get_absolute_url()))
        controls = {"Publish this plan", "Close this plan", "Mark as agreed", "Update rounds"}
        assert {c for c in controls if c in page} == sees, role


def test_the_confirmation_keeps_a_flat_query_count(coordinator_client, draft):
    url = _url(draft, "actions:plan-publish")
    before = count_queries(coordinator_client, url)
    issue = draft.issues.first()
    for _ in range(20):
        action = make_action(issue=issue)
        action_services.record_update(action=action, by=None, status="on_track", rag="green")
    assert count_queries(coordinator_client, url) == before
