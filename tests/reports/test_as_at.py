"""An action as it stood on a day: read from the append-only updates, reproducible later."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import services
from actions.models import Action, measures_as_at
from tests.factories import make_action

pytestmark = pytest.mark.django_db

d = datetime.date


def states(plan, day, **kwargs):
    rows = Action.objects.filter(plan=plan).as_at(day, **kwargs)
    return {a.title: a for a in rows}


def test_status_is_that_of_the_latest_update_reported_by_the_day(year):
    at = {day: states(year.plan, day) for day in [d(2015, 5, 1), d(2015, 6, 30), d(2015, 12, 20)]}
    video = "Pilot body worn video"
    assert (at[d(2015, 5, 1)][video].status_as_at, at[d(2015, 5, 1)][video].rag_as_at) == (
        "not_started",
        "",
    )
    assert at[d(2015, 6, 30)][video].status_as_at == "on_track"
    assert at[d(2015, 12, 20)][video].status_as_at == "delayed"
    assert at[d(2015, 12, 20)][video].rag_as_at == "red"
    assert at[d(2015, 12, 20)][video].status_set_on == d(2015, 11, 2)


def test_a_note_is_the_latest_update_but_keeps_the_status(year):
    comms = states(year.plan, d(2015, 12, 20))["Refresh the communications strategy"]
    assert comms.status_as_at == "at_risk"
    assert comms.status_set_on == d(2015, 8, 15)
    assert comms.narrative_as_at == "Draft strategy shared with partners."
    assert comms.reported_on_as_at == d(2015, 12, 1)


def test_an_action_never_updated_has_not_started(year):
    mapping = states(year.plan, d(2015, 12, 20))["Produce a mapping document"]
    assert mapping.status_as_at == "not_started"
    assert mapping.update_id_as_at is None
    assert mapping.narrative_as_at is None


def test_status_since_is_the_status_at_the_end_of_the_previous_period(year):
    at = states(year.plan, d(2015, 12, 20), since=year.q2.end)
    assert at["Pilot body worn video"].status_since == "on_track"
    assert at["Deliver training"].status_since == "completed"
    assert at["Produce a mapping document"].status_since == "not_started"


def test_updated_in_period_counts_notes_and_ignores_earlier_updates(year):
    at = states(year.plan, d(2015, 12, 20), period_start=year.q3.start)
    assert at["Pilot body worn video"].updated_in_period is True
    assert at["Refresh the communications strategy"].updated_in_period is True  # a note
    assert at["Deliver training"].updated_in_period is False


def test_updates_reported_the_same_day_are_ordered_by_entry_then_id(year, officer):
    # Time is frozen, so both rows share created_at: the later id wins, as latest_update says.
    for status, rag in [("at_risk", "amber"), ("on_track", "green")]:
        services.record_update(
            action=year.mapping,
            by=officer,
            status=status,
            rag=rag,
            narrative="Same day.",
            reported_on=d(2015, 12, 18),
        )
    mapping = states(year.plan, d(2015, 12, 20))["Produce a mapping document"]
    year.mapping.refresh_from_db()
    assert mapping.status_as_at == "on_track" == year.mapping.status


def test_as_at_today_agrees_with_the_cached_status(year):
    for action in Action.objects.filter(plan=year.plan).as_at(d(2015, 12, 20)):
        assert (action.status_as_at, action.rag_as_at) == (action.status, action.rag)


def test_a_back_dated_update_entered_later_is_left_out_when_recorded_by_is_given(year, officer):
    printed_at = datetime.datetime(2015, 12, 20, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(datetime.datetime(2016, 1, 5, 9, 0), tick=False):
        services.record_update(
            action=year.mapping,
            by=officer,
            status="completed",
            rag="green",
            narrative="Finished in December, reported late.",
            reported_on=d(2015, 12, 15),
        )
    now = states(year.plan, d(2015, 12, 20))
    then = states(year.plan, d(2015, 12, 20), recorded_by=printed_at)
    assert now["Produce a mapping document"].status_as_at == "completed"
    assert then["Produce a mapping document"].status_as_at == "not_started"


def test_measure_readings_as_at_a_day(year):
    def value(day):
        return measures_as_at(day).get(pk=year.cameras.pk)

    assert value(d(2015, 6, 1)).value_as_at is None
    assert value(d(2015, 9, 30)).value_as_at == Decimal(2)
    latest = value(d(2015, 12, 20))
    assert (latest.value_as_at, latest.read_on_as_at) == (Decimal(4), d(2015, 11, 2))
    assert latest.progress(latest.value_as_at) == 40


def test_as_at_reads_in_one_query_whatever_the_number_of_actions(year):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            list(Action.objects.filter(plan=year.plan).as_at(d(2015, 12, 20), since=d(2015, 9, 30)))
        return len(captured)

    one = queries()
    for _ in range(5):
        make_action(plan=year.plan)
    assert queries() == one == 1
