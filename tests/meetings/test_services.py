"""The meetings services: numbering through the municipal year, restricted items, actions
arising followed up at the next meeting, stale edits, and a history row for every change."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from csp_tracker.editing import StaleEdit
from meetings import services
from meetings.models import Attendance, Meeting, MeetingAction, Minute, Person
from meetings.pages import meeting_record, printed_names
from tests.factories import make_action, make_partnership, make_plan, make_priority
from tests.meetings.conftest import HELD_ON

pytestmark = pytest.mark.django_db


def test_minutes_are_numbered_on_through_the_municipal_year(body, meeting, next_meeting):
    first = services.record_minute(meeting=meeting, title="APOLOGIES FOR ABSENCE", by=None)
    second = services.record_minute(meeting=meeting, title="DECLARATION OF INTERESTS", by=None)
    later = services.record_minute(meeting=next_meeting, title="MINUTES", by=None)
    assert [first.number, second.number, later.number] == [1, 2, 3]
    assert first.municipal_year == later.municipal_year == 2015


def test_a_new_municipal_year_starts_again_where_the_coordinator_set_it(body, meeting, coordinator):
    services.record_minute(meeting=meeting, title="Last of 2015/16", by=None)
    may = services.schedule_meeting(body=body, date=datetime.date(2016, 6, 1), by=None)
    assert services.next_minute_number(body, 2016) == 1
    services.set_minute_numbering(body=body, year=2016, first_number=1, by=coordinator)
    numbering = services.set_minute_numbering(body=body, year=2016, first_number=40, by=coordinator)
    minute = services.record_minute(meeting=may, title="First of 2016/17", by=coordinator)
    assert minute.number == 40
    assert numbering.history.count() == 2
    assert numbering.history.first().history_user == coordinator


def test_the_starting_number_cannot_pass_a_minute_already_numbered(body, meeting, coordinator):
    services.set_minute_numbering(body=body, year=2015, first_number=96, by=coordinator)
    services.record_minute(meeting=meeting, title="APOLOGIES FOR ABSENCE", by=coordinator)
    with pytest.raises(ValidationError, match="Minute 96 of 2015/16 is already numbered"):
        services.set_minute_numbering(body=body, year=2015, first_number=100, by=coordinator)


def test_the_municipal_year_follows_the_bodys_first_month(body):
    assert body.municipal_year(datetime.date(2016, 4, 30)) == 2015
    assert body.municipal_year(datetime.date(2016, 5, 1)) == 2016


def test_a_minute_number_is_used_once_in_a_year(meeting):
    services.record_minute(meeting=meeting, number=99, title="PLAN UPDATE", by=None)
    with pytest.raises(ValidationError):
        services.record_minute(meeting=meeting, number=99, title="Again", by=None)
    assert services.record_minute(meeting=meeting, title="Next", by=None).number == 100


def test_a_meeting_with_minutes_cannot_move_to_another_municipal_year(meeting, coordinator):
    services.record_minute(meeting=meeting, title="A minute", by=None)
    with pytest.raises(ValidationError, match="another municipal year"):
        services.edit_meeting(
            meeting=meeting, by=coordinator, version=1, date=datetime.date(2016, 7, 1)
        )
    moved = services.edit_meeting(
        meeting=meeting, by=coordinator, version=1, date=datetime.date(2016, 1, 11)
    )
    assert moved.version == 2
    assert moved.history.first().history_user == coordinator


def test_a_meeting_edit_based_on_an_old_version_is_refused(meeting, coordinator):
    services.edit_meeting(meeting=meeting, by=coordinator, version=1, venue="Council Chamber")
    with pytest.raises(StaleEdit) as stale:
        services.edit_meeting(meeting=meeting, by=coordinator, version=1, venue="Austen Room")
    assert "changed the meeting" in stale.value.changes[0]
    meeting.refresh_from_db()
    assert meeting.venue == "Council Chamber"


def test_only_a_held_meeting_has_concluded(body):
    with pytest.raises(ValidationError):
        services.schedule_meeting(
            body=body, date=HELD_ON, concluded_at=datetime.time(20, 30), by=None
        )


def test_a_minute_of_a_restricted_item_is_restricted_and_so_is_what_arises(meeting, person):
    services.add_agenda_item(meeting=meeting, code="d2", title="DHRs", restricted=True, by=None)
    minute = services.record_minute(meeting=meeting, item_code="D2", title="DHRs", by=None)
    declaration = services.record_declaration(
        meeting=meeting, person=person, item_code="D2", interest="Chairs a review", by=None
    )
    arising = services.add_meeting_action(
        meeting=meeting, minute=minute, description="Circulate the review", by=None
    )
    assert minute.restricted and declaration.restricted and arising.restricted


def test_a_minute_cites_only_plans_of_its_partnership(meeting, plan):
    own = make_action(plan=plan)
    services.record_minute(meeting=meeting, title="Update", actions=[own], by=None)
    elsewhere = make_action(plan=make_plan(partnership=make_partnership()))
    with pytest.raises(ValidationError, match="another partnership"):
        services.record_minute(meeting=meeting, title="Update", actions=[elsewhere], by=None)


def test_citations_are_kept_in_the_minutes_history(meeting, plan, coordinator):
    priority = make_priority(plan=plan)
    action = make_action(plan=plan)
    minute = services.record_minute(
        meeting=meeting, title="Update", priorities=[priority], by=coordinator
    )
    minute = services.edit_minute(
        minute=minute, by=coordinator, version=1, actions=[action], title="PLAN UPDATE"
    )
    assert list(action.minutes.all()) == [minute]
    assert minute.version == 2
    latest = minute.history.first()
    assert latest.history_user == coordinator
    assert latest.title == "PLAN UPDATE"


def test_an_action_arising_stays_open_until_done_and_comes_back_at_the_next_meeting(
    meeting, next_meeting, person, coordinator
):
    arising = services.add_meeting_action(
        meeting=meeting, description="Find out and advise Members", owner=person, by=coordinator
    )
    assert arising.status == MeetingAction.Status.OPEN
    assert meeting_record(next_meeting, coordinator).matters_arising == [arising]

    done = services.record_action_done(
        action=arising,
        by=coordinator,
        outcome="The guide was sent to the Crown Court.",
        version=arising.version,
        at_meeting=next_meeting,
    )
    assert done.status == MeetingAction.Status.DONE
    assert done.closed_on == next_meeting.date
    assert done.history.first().history_user == coordinator
    # It is reported as done at that meeting, and no longer after it.
    assert meeting_record(next_meeting, coordinator).matters_arising == [done]
    after = services.schedule_meeting(
        body=meeting.body, date=datetime.date(2016, 4, 18), by=coordinator
    )
    assert meeting_record(after, coordinator).matters_arising == []


def test_an_open_action_arising_comes_back_at_every_later_meeting(meeting, next_meeting):
    arising = services.add_meeting_action(meeting=meeting, description="Report back", by=None)
    after = services.schedule_meeting(body=meeting.body, date=datetime.date(2016, 4, 18), by=None)
    assert meeting_record(next_meeting, AnonymousUser()).matters_arising == [arising]
    assert meeting_record(after, AnonymousUser()).matters_arising == [arising]


def test_an_action_arising_is_done_once_and_at_a_later_meeting(meeting, next_meeting):
    arising = services.add_meeting_action(meeting=meeting, description="Report back", by=None)
    with pytest.raises(ValidationError, match="later meeting"):
        services.record_action_done(
            action=arising, by=None, outcome="Done", version=1, at_meeting=meeting
        )
    services.record_action_done(action=arising, by=None, outcome="Done", version=1)
    with pytest.raises(StaleEdit):
        services.record_action_done(action=arising, by=None, outcome="Again", version=1)
    with pytest.raises(ValidationError, match="already recorded as done"):
        services.record_action_done(action=arising, by=None, outcome="Again", version=2)


def test_attendance_names_a_person_once_and_one_chair(meeting, partnership):
    chair = services.add_person(partnership=partnership, name="Councillor Jeffrey Elenor")
    other = services.add_person(partnership=partnership, name="Councillor Falcon")
    services.record_attendance(meeting=meeting, person=chair, kind="present", role="chair", by=None)
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_attendance(meeting=meeting, person=chair, kind="apologies", by=None)
    with pytest.raises(ValidationError):
        services.record_attendance(
            meeting=meeting, person=other, kind="present", role="chair", by=None
        )
    with pytest.raises(ValidationError):
        services.record_attendance(
            meeting=meeting, person=other, kind="apologies", role="vice_chair", by=None
        )


def test_removing_attendance_leaves_a_history_row(meeting, person, coordinator):
    row = services.record_attendance(meeting=meeting, person=person, kind="present", by=None)
    pk = row.pk
    services.remove_attendance(attendance=row, by=coordinator)
    assert not Attendance.objects.filter(pk=pk).exists()
    removal = Attendance.history.filter(id=pk).first()
    assert removal.history_type == "-"
    assert removal.history_user == coordinator


def test_people_are_found_by_name_whatever_the_spacing_and_case(partnership):
    first = services.find_or_add_person(partnership=partnership, name="Inspector  Pearson")
    again = services.find_or_add_person(partnership=partnership, name="inspector pearson")
    assert first == again
    assert first.name == "Inspector Pearson"


def _rows(meeting, specs):
    rows = []
    for name, role, description in specs:
        person = services.find_or_add_person(partnership=meeting.body.partnership, name=name)
        kind = Attendance.Kind.PRESENT
        rows.append(
            services.record_attendance(
                meeting=meeting,
                person=person,
                kind=kind,
                role=role,
                description=description,
                by=None,
            )
        )
    return rows


def test_names_print_as_thanets_minutes_print_them(meeting):
    rows = _rows(
        meeting,
        [
            ("Councillor Jeffrey Elenor", "chair", ""),
            ("Councillor Bambridge", "", ""),
            ("Councillor Campbell", "", ""),
            ("Councillor Falcon", "", ""),
        ],
    )
    assert printed_names(rows, meeting.body) == (
        "Councillor Jeffrey Elenor (Chairman); Councillors Bambridge, Campbell and Falcon"
    )


def test_names_print_as_kents_notes_print_them(meeting):
    rows = _rows(
        meeting,
        [
            ("Mr P M Hill, OBE", "chair", ""),
            ("Mr Rivers", "vice_chair", ""),
            ("Mr S Peerbux", "", "Head of Community Safety"),
            ("Cllr B Luker", "", ""),
        ],
    )
    assert printed_names(rows, meeting.body) == (
        "Mr P M Hill, OBE (Chairman), Mr Rivers (Vice-Chairman), "
        "Mr S Peerbux (Head of Community Safety) and Cllr B Luker"
    )


def test_a_minute_keeps_its_meetings_body_and_year(meeting):
    minute = services.record_minute(meeting=meeting, title="A minute", by=None)
    assert Minute.objects.filter(body=meeting.body, municipal_year=2015).get() == minute


def test_publishing_and_withdrawing_are_in_the_history(body, coordinator):
    meeting = services.schedule_meeting(body=body, date=HELD_ON, by=coordinator)
    services.publish_meeting(meeting=meeting, by=coordinator)
    assert Meeting.objects.get(pk=meeting.pk).is_published
    services.withdraw_meeting(meeting=meeting, by=coordinator, reason="Minutes to correct")
    assert not Meeting.objects.get(pk=meeting.pk).is_published
    assert [h.history_user for h in meeting.history.all()] == [coordinator] * 3
    reasons = [h.history_change_reason for h in meeting.history.order_by("history_id")]
    assert reasons == [None, "Published", "Minutes to correct"]


def test_someone_named_in_a_refused_change_is_not_added_to_the_people(meeting, partnership):
    with pytest.raises(ValidationError):
        services.record_attendance(
            meeting=meeting, name="Councillor Newcomer", kind="apologies", role="chair", by=None
        )
    assert not Person.objects.filter(partnership=partnership, name="Councillor Newcomer").exists()
    row = services.record_attendance(
        meeting=meeting, name="Councillor Newcomer", kind="apologies", by=None
    )
    assert row.person.partnership == partnership


NAMING = {
    "attendance": lambda meeting, **who: services.record_attendance(
        meeting=meeting, kind="present", by=None, **who
    ),
    "declaration": lambda meeting, **who: services.record_declaration(
        meeting=meeting, interest="A school governor", by=None, **who
    ),
}


@pytest.mark.parametrize("what", NAMING)
def test_attendance_and_declarations_need_someone_of_the_partnership(meeting, what):
    record = NAMING[what]
    with pytest.raises(ValidationError) as nobody:
        record(meeting, name="  ")
    assert list(nobody.value.message_dict) == ["person"]
    stranger = services.add_person(partnership=make_partnership(), name="Someone Elsewhere")
    with pytest.raises(ValidationError) as elsewhere:
        record(meeting, person=stranger)
    assert elsewhere.value.message_dict == {
        "person": ["That person is named in another partnership."]
    }


def test_an_action_arising_needs_no_owner_but_not_one_of_another_partnership(meeting):
    words = services.add_meeting_action(
        meeting=meeting, description="Report back", owner_wording="All partners", by=None
    )
    assert words.owner is None
    stranger = services.add_person(partnership=make_partnership(), name="Someone Elsewhere")
    with pytest.raises(ValidationError) as elsewhere:
        services.add_meeting_action(
            meeting=meeting, description="Report back", owner=stranger, by=None
        )
    assert elsewhere.value.message_dict == {
        "owner": ["That person is named in another partnership."]
    }
