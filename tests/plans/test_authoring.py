"""Plan authoring services: a plan, its priorities, issues and document parts are added,
changed, ordered and removed with who and why in the history; a stale form is refused with
StaleEdit; a closed plan refuses every change; a row something else refers to is not removed,
and the refusal names what refers to it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from csp_tracker.editing import StaleEdit
from meetings import services as meeting_services
from meetings.models import Body
from plans import authoring
from plans.models import Contact, GlossaryTerm, Plan, PlanSection, Priority
from tests.factories import make_action, make_agency, make_plan, make_priority, make_user

pytestmark = pytest.mark.django_db

START, END = datetime.date(2027, 4, 1), datetime.date(2028, 3, 31)


def last_history(obj_or_model, pk=None):
    model = obj_or_model if pk is not None else type(obj_or_model)
    pk = pk if pk is not None else obj_or_model.pk
    return model.history.filter(id=pk).order_by("-history_id").first()


def test_a_plan_is_started_as_a_draft_in_its_own_words(partnership, coordinator):
    plan = authoring.start_plan(
        partnership=partnership,
        by=coordinator,
        title="Community Safety Plan 2027/28",
        period_start=START,
        period_end=END,
        issue_label="Aim",
    )
    assert (plan.status, plan.issue_label, plan.slug) == (
        Plan.Status.DRAFT,
        "Aim",
        "community-safety-plan-2027-28",
    )
    assert last_history(plan).history_user == coordinator
    again = authoring.start_plan(
        partnership=partnership,
        by=coordinator,
        title=plan.title,
        period_start=START,
        period_end=END,
    )
    assert again.slug == "community-safety-plan-2027-28-2"


def test_a_plan_whose_period_ends_first_is_refused(partnership, coordinator):
    with pytest.raises(ValidationError):
        authoring.start_plan(
            partnership=partnership,
            by=coordinator,
            title="Back",
            period_start=END,
            period_end=START,
        )
    assert not Plan.objects.filter(title="Back").exists()


def test_a_stale_edit_is_refused_and_names_who_changed_it(plan, coordinator):
    other = make_user(first_name="Sam", last_name="Other")
    authoring.edit_plan(plan=plan, by=other, version=plan.version, title="Their title")
    with pytest.raises(StaleEdit) as refused:
        authoring.edit_plan(plan=plan, by=coordinator, version=plan.version, title="Mine")
    assert "Sam Other changed the plan" in refused.value.changes[0]
    plan.refresh_from_db()
    assert (plan.title, plan.version) == ("Their title", 2)


def test_a_closed_plan_refuses_every_change(partnership, coordinator):
    closed = make_plan(partnership=partnership, status=Plan.Status.CLOSED)
    priority = make_priority(plan=closed)
    attempts = [
        lambda: authoring.add_priority(plan=closed, by=coordinator, title="New"),
        lambda: authoring.edit_priority(
            priority=priority, by=coordinator, version=priority.version, title="Changed"
        ),
        lambda: authoring.remove_priority(priority=priority, by=coordinator, reason="Test"),
        lambda: authoring.add_glossary_term(plan=closed, by=coordinator, term="A", definition="B"),
        lambda: authoring.edit_plan(plan=closed, by=coordinator, version=1, title="X"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="closed"):
            attempt()
    assert list(closed.priorities.values_list("title", flat=True)) == [priority.title]


def test_priorities_move_up_and_down_with_the_move_in_their_history(plan, coordinator):
    first = make_priority(plan=plan, title="First")
    second = make_priority(plan=plan, title="Second")
    authoring.move_priority(priority=second, by=coordinator, direction="up")
    titles = list(plan.priorities.order_by("position").values_list("title", flat=True))
    assert titles.index("Second") < titles.index("First")
    assert last_history(second).history_change_reason == "Moved up"
    assert last_history(first).history_change_reason == "Moved down"
    assert Priority.history.filter(id=second.pk, history_change_reason="Moved up").count() == 1
    top = plan.priorities.order_by("position").first()
    authoring.move_priority(priority=top, by=coordinator, direction="up")  # at the top: stays
    assert plan.priorities.order_by("position").first() == top


def test_a_priority_with_issues_is_not_removed_and_the_issues_are_named(issue, coordinator):
    with pytest.raises(ValidationError) as refused:
        authoring.remove_priority(priority=issue.priority, by=coordinator, reason="Merged")
    assert f"1 emerging issue: {issue}" in refused.value.messages[0]
    assert Priority.objects.filter(pk=issue.priority_id).exists()


def test_a_priority_a_minute_discussed_is_not_removed(plan, partnership, coordinator):
    priority = make_priority(plan=plan, title="Street drinking")
    body = meeting_services.create_body(
        partnership=partnership, name="Working Party", kind=Body.Kind.SCRUTINY_WORKING_PARTY
    )
    meeting = meeting_services.schedule_meeting(
        body=body, date=datetime.date(2015, 12, 14), by=None
    )
    minute = meeting_services.record_minute(
        meeting=meeting, title="Plan update", by=None, priorities=[priority]
    )
    with pytest.raises(ValidationError) as refused:
        authoring.remove_priority(priority=priority, by=coordinator, reason="Not needed")
    assert f"1 minute: {minute}" in refused.value.messages[0]


def test_a_removal_needs_a_reason_and_keeps_it_in_the_history(plan, coordinator):
    priority = make_priority(plan=plan, title="Going")
    with pytest.raises(ValidationError, match="Say why"):
        authoring.remove_priority(priority=priority, by=coordinator, reason="  ")
    pk = priority.pk
    authoring.remove_priority(priority=priority, by=coordinator, reason="Merged with another")
    assert not Priority.objects.filter(pk=pk).exists()
    record = last_history(Priority, pk)
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "-",
        coordinator,
        "Merged with another",
    )


def test_an_issue_ticks_only_the_plans_other_priorities(plan, priority, coordinator):
    other = make_priority(plan=plan, title="Other")
    elsewhere = make_priority(plan=make_plan(), title="Elsewhere")
    issue = authoring.add_issue(priority=priority, by=coordinator, title="New", impacts=[other])
    assert list(issue.impacts.all()) == [other]
    for wrong in (priority, elsewhere):
        with pytest.raises(ValidationError):
            authoring.edit_issue(
                issue=issue, by=coordinator, version=issue.version, impacts=[wrong]
            )
    assert list(issue.impacts.all()) == [other]


def test_an_issue_moves_to_another_priority_and_its_ticks_change(plan, priority, coordinator):
    other = make_priority(plan=plan, title="Other")
    issue = authoring.add_issue(priority=priority, by=coordinator, title="New", impacts=[other])
    moved = authoring.edit_issue(
        issue=issue, by=coordinator, version=issue.version, priority=other, impacts=[priority]
    )
    assert (moved.priority, list(moved.impacts.all()), moved.version) == (other, [priority], 2)


def test_an_issue_with_actions_is_not_removed_and_they_are_named(issue, coordinator):
    action = make_action(issue=issue, title="Patrols")
    with pytest.raises(ValidationError) as refused:
        authoring.remove_issue(issue=issue, by=coordinator, reason="Wrong")
    assert f"1 action: {action}" in refused.value.messages[0]


@pytest.mark.parametrize(
    "add, fields, model",
    [
        (authoring.add_section, {"title": "Foreword", "body": "Text"}, PlanSection),
        (authoring.add_glossary_term, {"term": "ASB", "definition": "Anti-social"}, GlossaryTerm),
        (authoring.add_contact, {"name": "Police", "phone": "101"}, Contact),
    ],
)
def test_document_parts_are_added_changed_moved_and_removed(plan, coordinator, add, fields, model):
    one = add(plan=plan, by=coordinator, **fields)
    two = add(plan=plan, by=coordinator, **fields)
    assert (one.position, two.position) == (1, 2)
    first_field = next(iter(fields))
    changed = authoring.edit_part(
        part=one, by=coordinator, version=one.version, **{first_field: "Changed"}
    )
    assert (getattr(changed, first_field), changed.version) == ("Changed", 2)
    with pytest.raises(StaleEdit):
        authoring.edit_part(part=one, by=coordinator, version=1, **{first_field: "Again"})
    authoring.move_part(part=two, by=coordinator, direction="up")
    assert list(model.objects.filter(plan=plan).order_by("position")) == [two, one]
    pk = one.pk
    authoring.remove_part(part=one, by=coordinator, reason="Duplicate")
    assert list(model.objects.filter(plan=plan)) == [two]
    assert last_history(model, pk).history_change_reason == "Duplicate"


def test_a_priority_lead_is_one_of_the_partnerships_agencies_or_none(plan, coordinator):
    priority = authoring.add_priority(
        plan=plan, by=coordinator, title="Roads", lead_agency=make_agency(), lead_wording="KCC"
    )
    assert priority.lead_display == "KCC"
