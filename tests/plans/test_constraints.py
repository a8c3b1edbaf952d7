"""Every named invariant is enforced by the database itself, whichever way a row is written."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from actions.models import Action, ActionUpdate, Measure, MeasureReading, ReportingPeriod
from plans.models import CategoryTag, EmergingIssue, IssueImpact, Plan, Priority
from tests.factories import (
    make_action,
    make_issue,
    make_measure,
    make_plan,
    make_priority,
)

pytestmark = pytest.mark.django_db


def refused(name, write, *, sqlite_columns=None):
    """The write fails with an IntegrityError naming the constraint.

    SQLite names a failed UNIQUE constraint by its columns; PostgreSQL by its name.
    """
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    message = str(caught.value)
    assert name in message or (sqlite_columns and sqlite_columns in message), message


def test_plan_period_ends_after_start(plan):
    plan.period_end = plan.period_start
    refused("plan_period_ends_after_start", lambda: plan.save())


def test_plan_slug_unique_within_partnership(plan):
    twin = Plan(
        partnership=plan.partnership,
        slug=plan.slug,
        title="Twin",
        period_start=plan.period_start,
        period_end=plan.period_end,
    )
    refused(
        "plan_slug_unique", twin.save, sqlite_columns="plans_plan.partnership_id, plans_plan.slug"
    )


def test_issue_numbers_unique_within_plan(issue):
    twin = EmergingIssue(plan=issue.plan, priority=issue.priority, number=issue.number, title="x")
    refused(
        "emergingissue_number_unique",
        twin.save,
        sqlite_columns="plans_emergingissue.plan_id, plans_emergingissue.number",
    )


def test_issue_priority_must_be_in_its_plan(issue):
    other = make_priority()
    refused(
        "emergingissue_priority_in_plan",
        lambda: EmergingIssue.objects.filter(pk=issue.pk).update(priority=other),
    )


def test_issue_cannot_move_to_another_plan(issue):
    other = make_plan()
    refused(
        "emergingissue_plan_fixed",
        lambda: EmergingIssue.objects.filter(pk=issue.pk).update(plan=other),
    )


def test_issue_impacts_only_other_priorities_of_its_plan(issue):
    foreign = make_priority()
    refused(
        "issueimpact_other_priority_of_plan",
        lambda: IssueImpact.objects.create(issue=issue, priority=foreign),
    )
    refused(
        "issueimpact_other_priority_of_plan",
        lambda: IssueImpact.objects.create(issue=issue, priority=issue.priority),
    )
    sibling = make_priority(plan=issue.plan)
    IssueImpact.objects.create(issue=issue, priority=sibling)  # allowed


def test_issue_cannot_move_under_a_priority_it_impacts(issue):
    sibling = make_priority(plan=issue.plan)
    IssueImpact.objects.create(issue=issue, priority=sibling)
    refused(
        "emergingissue_priority_in_plan",
        lambda: EmergingIssue.objects.filter(pk=issue.pk).update(priority=sibling),
    )


def test_priority_cannot_move_to_another_plan(priority):
    other = make_plan()
    refused(
        "priority_plan_fixed", lambda: Priority.objects.filter(pk=priority.pk).update(plan=other)
    )


def test_category_tag_priority_in_plan(plan):
    from plans.services import get_or_create_category

    category = get_or_create_category("Test category")
    foreign = make_priority()
    refused(
        "categorytag_priority_in_plan",
        lambda: CategoryTag.objects.create(
            plan=plan, category=category, level="named", priority=foreign
        ),
    )


def test_action_numbers_unique_within_plan(action):
    twin = Action(plan=action.plan, issue=action.issue, number=action.number, title="x")
    refused(
        "action_number_unique",
        twin.save,
        sqlite_columns="actions_action.plan_id, actions_action.number",
    )


def test_action_issue_must_be_in_its_plan(action):
    foreign = make_issue()
    refused(
        "action_issue_in_plan", lambda: Action.objects.filter(pk=action.pk).update(issue=foreign)
    )


def test_action_cannot_move_to_another_plan(action):
    elsewhere = make_issue()
    refused(
        "action_plan_fixed",
        lambda: Action.objects.filter(pk=action.pk).update(plan=elsewhere.plan, issue=elsewhere),
    )


def test_completed_action_is_green(action):
    refused(
        "action_completed_is_green",
        lambda: Action.objects.filter(pk=action.pk).update(status="completed", rag="amber"),
    )


def test_measure_numbers_only_when_numeric(action):
    refused(
        "measure_numbers_only_when_numeric",
        lambda: Measure.objects.create(action=action, position=9, text="x", target=5),
    )


def test_measure_cannot_move_to_another_action(action):
    measure = make_measure(action=action)
    other = make_action()
    refused(
        "measure_action_fixed", lambda: Measure.objects.filter(pk=measure.pk).update(action=other)
    )


def test_reporting_period_ends_after_start(plan):
    day = datetime.date(2015, 6, 30)
    refused(
        "reportingperiod_ends_after_start",
        lambda: ReportingPeriod.objects.create(plan=plan, name="Q", slug="q", start=day, end=day),
    )


def _update(action, **fields):
    defaults = {"reported_on": datetime.date(2015, 12, 14), "narrative": "Progress."}
    return ActionUpdate(action=action, **{**defaults, **fields})


def test_update_status_and_rag_come_together(action):
    refused(
        "actionupdate_status_and_rag_together",
        lambda: _update(action, status="on_track").save(),
    )


def test_completed_update_is_green(action):
    refused(
        "actionupdate_completed_is_green",
        lambda: _update(action, status="completed", rag="red").save(),
    )


def test_update_period_belongs_to_the_actions_plan(action):
    foreign = ReportingPeriod.objects.create(
        plan=make_plan(),
        name="Q1",
        slug="q1",
        start=datetime.date(2015, 4, 1),
        end=datetime.date(2015, 6, 30),
    )
    refused("actionupdate_period_of_plan", lambda: _update(action, period=foreign).save())


def test_reading_measure_belongs_to_the_updates_action(action):
    update = _update(action)
    update.save()
    foreign = make_measure(action=make_action(), is_numeric=True, target=5)
    refused(
        "measurereading_measure_of_action",
        lambda: MeasureReading(update=update, measure=foreign, value=1).save(),
    )
    own = make_measure(action=action, is_numeric=True, target=5)
    refused(
        "measurereading_not_negative",
        lambda: MeasureReading(update=update, measure=own, value=-1).save(),
    )


def test_updates_and_readings_are_append_only(action):
    update = _update(action)
    update.save()
    with pytest.raises(TypeError, match="append-only"):
        update.save()
    with pytest.raises(TypeError, match="append-only"):
        update.delete()
    with pytest.raises(TypeError, match="append-only"):
        ActionUpdate.objects.filter(pk=update.pk).update(narrative="rewritten")
    with pytest.raises(TypeError, match="append-only"):
        ActionUpdate.objects.filter(pk=update.pk).delete()
    with pytest.raises(TypeError, match="append-only"):
        MeasureReading.objects.all().delete()


def test_appending_after_a_deletion_takes_the_next_free_position(plan):
    from plans import services

    first = services.add_priority(plan=plan, title="One")
    services.add_priority(plan=plan, title="Two")
    first.delete()
    third = services.add_priority(plan=plan, title="Three")
    assert third.position == 3


def test_a_district_joins_its_county_through_the_service_and_never_itself(partnership):
    from django.core.exceptions import ValidationError

    from plans.models import Partnership
    from plans.services import join_county

    kent = Partnership.objects.get(slug="kent")
    joined = join_county(partnership=partnership, county=kent, by=None)
    assert joined.county == kent
    assert joined.history.first().county_id == kent.pk  # recorded in the history
    with pytest.raises(ValidationError):
        join_county(partnership=kent, county=kent, by=None)
    kent.refresh_from_db()
    assert kent.county_id is None
