"""Action and measure authoring services: an action is added with its measures and agencies
from the partnership; actions move within their issue; an action or measure is removed with
a reason, unless progress, minutes or a carry-over refer to it, and the refusal says which."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from actions import authoring
from actions.models import Action, Measure, Rag, Status
from actions.services import edit_action, record_update
from meetings import services as meeting_services
from meetings.models import Body
from plans.models import Plan
from plans.services import add_partnership_agency
from tests.factories import make_action, make_agency, make_measure, make_plan

pytestmark = pytest.mark.django_db


def test_an_action_is_added_with_its_measures_and_the_partnerships_agencies(
    issue, partnership, coordinator
):
    police, fire = make_agency(name="Police (t)"), make_agency(name="Fire (t)")
    for agency in (police, fire):
        add_partnership_agency(partnership=partnership, agency=agency, by=coordinator)
    action = authoring.add_action(
        issue=issue,
        by=coordinator,
        ref="7",
        title="Patrols",
        lead_agency=police,
        lead_wording="Kent Police & ABC Licensing",
        support_agencies=[fire],
        target_date=datetime.date(2016, 3, 31),
        measures=[
            {"text": "Fewer calls"},
            {"text": "Referrals", "is_numeric": True, "target": Decimal(40), "unit": "referrals"},
        ],
    )
    assert (action.number, action.ref, action.lead_display) == (
        1,
        "7",
        "Kent Police & ABC Licensing",
    )
    assert list(action.support_agencies.all()) == [fire]
    assert [(m.text, m.target) for m in action.measures.order_by("position")] == [
        ("Fewer calls", None),
        ("Referrals", Decimal(40)),
    ]
    assert action.history.first().history_user == coordinator
    assert Measure.history.filter(action_id=action.pk, history_user=coordinator).count() == 2


def test_an_agency_the_partnership_does_not_work_with_is_refused(issue, coordinator):
    stranger = make_agency(name="Unknown agency (t)")
    with pytest.raises(ValidationError, match="partnership's list"):
        authoring.add_action(issue=issue, by=coordinator, title="X", lead_agency=stranger)
    assert not Action.objects.filter(title="X").exists()


def test_an_action_on_a_closed_plan_is_neither_added_nor_changed(partnership, coordinator):
    closed = make_plan(partnership=partnership, status=Plan.Status.CLOSED)
    action = make_action(plan=closed)
    with pytest.raises(ValidationError, match="closed"):
        authoring.add_action(issue=action.issue, by=coordinator, title="Late")
    with pytest.raises(ValidationError, match="closed"):
        edit_action(action=action, by=coordinator, version=action.version, title="Changed")


def test_actions_move_within_their_issue(issue, coordinator):
    first, second = make_action(issue=issue), make_action(issue=issue)
    authoring.move_action(action=first, by=coordinator, direction="down")
    assert list(issue.actions.order_by("number")) == [second, first]
    assert first.history.first().history_change_reason == "Moved down"


def test_an_action_with_progress_is_not_removed_and_the_updates_are_named(
    action, coordinator, officer
):
    record_update(
        action=action,
        by=officer,
        status=Status.ON_TRACK,
        rag=Rag.GREEN,
        narrative="Going well",
        reported_on=datetime.date(2015, 6, 30),
    )
    with pytest.raises(ValidationError) as refused:
        authoring.remove_action(action=action, by=coordinator, reason="Not needed")
    message = refused.value.messages[0]
    assert f"30 June 2015 by {officer.get_full_name()}" in message
    assert "withdrawn" in message
    assert Action.objects.filter(pk=action.pk).exists()


def test_an_action_a_minute_discussed_is_not_removed(action, partnership, coordinator):
    body = meeting_services.create_body(
        partnership=partnership, name="Board", kind=Body.Kind.EXECUTIVE_GROUP
    )
    meeting = meeting_services.schedule_meeting(body=body, date=datetime.date(2015, 9, 1), by=None)
    minute = meeting_services.record_minute(
        meeting=meeting, title="Progress", by=None, actions=[action]
    )
    with pytest.raises(ValidationError) as refused:
        authoring.remove_action(action=action, by=coordinator, reason="Not needed")
    assert f"1 minute: {minute}" in refused.value.messages[0]


def test_a_carried_over_action_is_not_removed_from_either_plan(action, partnership, coordinator):
    later_plan = make_plan(partnership=partnership, status=Plan.Status.DRAFT)
    later = make_action(plan=later_plan, carried_over_from=action)
    with pytest.raises(ValidationError, match="carry-over into"):
        authoring.remove_action(action=action, by=coordinator, reason="Old")
    with pytest.raises(ValidationError, match="carry-over from"):
        authoring.remove_action(action=later, by=coordinator, reason="New")


def test_an_action_goes_with_its_measures_and_the_reason(action, coordinator):
    measure = make_measure(action=action)
    pk, measure_pk = action.pk, measure.pk
    with pytest.raises(ValidationError, match="Say why"):
        authoring.remove_action(action=action, by=coordinator, reason="")
    authoring.remove_action(action=action, by=coordinator, reason="Duplicate of 12")
    assert not Action.objects.filter(pk=pk).exists()
    assert not Measure.objects.filter(pk=measure_pk).exists()
    gone = Action.history.filter(id=pk).order_by("-history_id").first()
    assert (gone.history_type, gone.history_user, gone.history_change_reason) == (
        "-",
        coordinator,
        "Duplicate of 12",
    )
    assert Measure.history.filter(id=measure_pk, history_type="-").get().history_user == coordinator


def test_a_measure_with_readings_is_not_removed(action, coordinator, officer):
    measure = make_measure(action=action, is_numeric=True, target=Decimal(10))
    spare = make_measure(action=action, text="Spare")
    record_update(
        action=action,
        by=officer,
        status=Status.ON_TRACK,
        rag=Rag.GREEN,
        narrative="Counted",
        reported_on=datetime.date(2015, 9, 30),
        readings={measure: Decimal(4)},
    )
    with pytest.raises(ValidationError) as refused:
        authoring.remove_measure(measure=measure, by=coordinator, reason="Wrong")
    assert "4 reported on 30 September 2015" in refused.value.messages[0]
    authoring.remove_measure(measure=spare, by=coordinator, reason="Not measurable")
    assert list(action.measures.all()) == [measure]
