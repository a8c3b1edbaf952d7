"""A plan's lifecycle through plans.services: publishing in one step (agreeing and making it
live on the way, each step in its history with who took it), unpublishing for a reason,
marking as agreed and closing, and the refusals."""

import pytest
from django.core.exceptions import ValidationError

from csp_tracker.editing import StaleEdit
from plans import services
from plans.models import Plan
from tests.factories import make_plan

pytestmark = pytest.mark.django_db

Status = Plan.Status


def _steps(plan) -> list[tuple[str, bool, object, str]]:
    """(status, published, who, reason) of each history record after the first, oldest first."""
    records = plan.history.order_by("history_id").select_related("history_user")[1:]
    return [
        (r.status, r.published_at is not None, r.history_user, r.history_change_reason)
        for r in records
    ]


def test_publishing_a_draft_agrees_it_makes_it_live_and_publishes_it(partnership, coordinator):
    plan = make_plan(partnership=partnership, status=Status.DRAFT)
    published = services.publish_plan(plan=plan, by=coordinator)
    assert (published.status, published.is_published) == (Status.LIVE, True)
    assert _steps(plan) == [
        ("agreed", False, coordinator, "Marked as agreed"),
        ("live", False, coordinator, "Made live"),
        ("live", True, coordinator, "Published"),
    ]


def test_publishing_an_agreed_plan_makes_it_live_first(partnership, coordinator):
    plan = make_plan(partnership=partnership, status=Status.AGREED)
    services.publish_plan(plan=plan, by=coordinator)
    assert _steps(plan) == [
        ("live", False, coordinator, "Made live"),
        ("live", True, coordinator, "Published"),
    ]


def test_publishing_a_live_or_closed_plan_keeps_its_status(partnership, coordinator):
    for status in (Status.LIVE, Status.CLOSED):
        plan = make_plan(partnership=partnership, status=status)
        assert services.publish_plan(plan=plan, by=coordinator).status == status
        assert _steps(plan) == [(status, True, coordinator, "Published")]


def test_a_published_plan_is_not_published_again(published_plan, coordinator):
    with pytest.raises(ValidationError, match="The plan is already published."):
        services.publish_plan(plan=published_plan, by=coordinator)


def test_unpublishing_needs_a_reason_and_keeps_it_with_who(published_plan, coordinator):
    with pytest.raises(ValidationError, match="Say why the plan is being unpublished."):
        services.unpublish_plan(plan=published_plan, by=coordinator, reason=" ")
    assert Plan.objects.get(pk=published_plan.pk).is_published
    plan = services.unpublish_plan(
        plan=published_plan, by=coordinator, reason="The foreword names a victim"
    )
    assert (plan.is_published, plan.status) == (False, Status.LIVE)
    assert _steps(plan)[-1] == ("live", False, coordinator, "The foreword names a victim")
    with pytest.raises(ValidationError, match="The plan is not published."):
        services.unpublish_plan(plan=plan, by=coordinator, reason="Again")


def test_a_reason_longer_than_the_history_holds_is_cut_to_fit(published_plan, coordinator):
    services.unpublish_plan(plan=published_plan, by=coordinator, reason="x" * 150)
    assert len(_steps(published_plan)[-1][3]) == 100


def test_a_step_confirmed_on_a_page_opened_before_a_change_is_refused(plan, coordinator):
    seen = services.plan_state(plan)
    services.advance_plan(plan=plan, to=Status.CLOSED, by=None)
    with pytest.raises(StaleEdit, match="Someone else changed this plan"):
        services.publish_plan(plan=plan, by=coordinator, based_on=seen)
    assert not Plan.objects.get(pk=plan.pk).is_published
    current = services.plan_state(plan)
    assert services.publish_plan(plan=plan, by=coordinator, based_on=current).is_published


def test_marking_as_agreed_and_closing_are_steps_in_the_history(partnership, coordinator):
    plan = make_plan(partnership=partnership, status=Status.DRAFT)
    services.advance_plan(plan=plan, to=Status.AGREED, by=coordinator)
    with pytest.raises(ValidationError, match="cannot become closed"):
        services.advance_plan(plan=plan, to=Status.CLOSED, by=coordinator)
    services.advance_plan(plan=plan, to=Status.LIVE, by=coordinator)
    services.advance_plan(plan=plan, to=Status.CLOSED, by=coordinator)
    assert _steps(plan) == [
        ("agreed", False, coordinator, "Marked as agreed"),
        ("live", False, coordinator, "Made live"),
        ("closed", False, coordinator, "Closed"),
    ]
    with pytest.raises(ValidationError, match="A closed plan cannot become agreed."):
        services.advance_plan(plan=plan, to=Status.AGREED, by=coordinator)


def test_a_refused_step_changes_nothing(plan, coordinator):
    before = plan.history.count()
    with pytest.raises(ValidationError):
        services.advance_plan(plan=plan, to=Status.AGREED, by=coordinator)
    assert (Plan.objects.get(pk=plan.pk).status, plan.history.count()) == (Status.LIVE, before)
