"""A coordinator records meetings through the pages: plain forms that work without JavaScript,
the same forms answered in place for htmx, errors kept with what was typed, stale edits
refused."""

import datetime

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import AgendaItem, Attendance, Meeting, MeetingAction, Minute
from tests.factories import make_action
from tests.helpers import text_of

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def test_a_coordinator_records_a_meeting_of_a_body(coordinator_client, body, coordinator):
    response = coordinator_client.post(
        reverse("meetings:create", args=[body.pk]),
        {
            "date": "2016-02-22",
            "start_time": "19:00",
            "venue": "Council Chamber",
            "status": "scheduled",
            "record_label": "Minutes",
        },
    )
    meeting = Meeting.objects.get(body=body, date=datetime.date(2016, 2, 22))
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert meeting.start_time == datetime.time(19, 0)
    assert meeting.history.get().history_user == coordinator


def test_a_meeting_form_with_errors_is_shown_again(coordinator_client, body):
    response = coordinator_client.post(
        reverse("meetings:create", args=[body.pk]),
        {"date": "", "status": "scheduled", "concluded_at": "20:30", "record_label": "Minutes"},
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "There is a problem" in page
    assert "Only a meeting that was held has concluded." in page


def test_changing_a_meeting_after_someone_else_did_is_refused(coordinator_client, meeting):
    services.edit_meeting(meeting=meeting, by=None, version=1, venue="Council Chamber")
    response = coordinator_client.post(
        reverse("meetings:edit", args=[meeting.pk]),
        {
            "date": "2015-12-14",
            "status": "held",
            "venue": "Austen Room",
            "record_label": "Minutes",
            "version": "1",
        },
    )
    assert response.status_code == 409
    assert "someone else changed this meeting" in text_of(response)
    meeting.refresh_from_db()
    assert meeting.venue == "Council Chamber"


def test_attendance_is_added_in_place_with_htmx(coordinator_client, meeting):
    url = reverse("meetings:attendance", args=[meeting.pk])
    data = {
        "attendance-name": "Councillor Jeffrey Elenor",
        "attendance-kind": "present",
        "attendance-role": "chair",
    }
    response = coordinator_client.post(url, data, headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="attendance"')
    assert "Councillor Jeffrey Elenor (Chairman)" in body
    assert "has been added to the attendance" in body


def test_attendance_without_javascript_goes_back_to_the_meeting(coordinator_client, meeting):
    url = reverse("meetings:attendance", args=[meeting.pk])
    data = {"attendance-name": "Councillor Curran", "attendance-kind": "apologies"}
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    assert response.url == f"{meeting.get_absolute_url()}#attendance"
    page = text_of(coordinator_client.get(response.url))
    assert "Apologies Councillor Curran" in page
    assert "Councillor Curran has been added to the attendance." in page


def test_attendance_errors_are_shown_in_place_and_on_the_page(coordinator_client, meeting):
    url = reverse("meetings:attendance", args=[meeting.pk])
    data = {"attendance-name": "Councillor Curran", "attendance-kind": "apologies"}
    data["attendance-role"] = "chair"
    response = coordinator_client.post(url, data, headers=HTMX)
    assert response.status_code == 422
    assert "Only someone present can take the chair." in text_of(response)
    response = coordinator_client.post(url, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Error: " in page.split("</title>")[0]
    assert 'value="Councillor Curran"' in page


def test_the_same_person_twice_is_refused_on_the_name(coordinator_client, meeting):
    url = reverse("meetings:attendance", args=[meeting.pk])
    data = {"attendance-name": "Councillor Falcon", "attendance-kind": "present"}
    coordinator_client.post(url, data)
    response = coordinator_client.post(url, data, headers=HTMX)
    assert response.status_code == 422
    assert "already recorded at this meeting" in text_of(response)


def test_someone_is_removed_from_the_attendance(coordinator_client, meeting, person):
    row = services.record_attendance(meeting=meeting, person=person, kind="present", by=None)
    url = reverse("meetings:attendance-removal", args=[meeting.pk, row.pk])
    response = coordinator_client.post(url, headers=HTMX)
    assert response.status_code == 200
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_agenda_items_are_added_with_their_papers(coordinator_client, meeting, next_meeting, plan):
    url = reverse("meetings:agenda", args=[next_meeting.pk])
    data = {
        "agenda-section": "A. Committee Business",
        "agenda-code": "a3",
        "agenda-title": "Minutes of the previous meeting",
        "agenda-paper_meeting": meeting.pk,
        "agenda-paper_plan": plan.pk,
        "agenda-restricted": "on",
    }
    response = coordinator_client.post(url, data, headers=HTMX)
    assert response.status_code == 200
    item = AgendaItem.objects.get(meeting=next_meeting)
    assert (item.code, item.paper_meeting, item.paper_plan, item.restricted) == (
        "A3",
        meeting,
        plan,
        True,
    )
    assert "Restricted" in text_of(response)


def test_a_declaration_is_recorded(coordinator_client, meeting):
    url = reverse("meetings:declarations", args=[meeting.pk])
    data = {
        "declaration-name": "Councillor Dixon",
        "declaration-kind": "voluntary",
        "declaration-item_code": "B1",
        "declaration-interest": "Volunteers with the Community Pastors",
    }
    response = coordinator_client.post(url, data, headers=HTMX)
    assert "Councillor Dixon, item B1: Volunteers with the Community Pastors" in text_of(response)


def test_an_empty_declaration_says_what_each_field_needs(coordinator_client, meeting):
    """The error summary names each missing answer, not "This field is required." three times."""
    url = reverse("meetings:declarations", args=[meeting.pk])
    response = coordinator_client.post(url, {"declaration-item_code": "B1"}, headers=HTMX)
    assert response.status_code == 422
    page = text_of(response)
    for message in [
        "Enter who declared the interest",
        "Select the kind of interest",
        "Enter the interest declared",
    ]:
        assert page.count(message) == 2, message  # in the summary and at the field
    assert "This field is required." not in page
    assert not meeting.declarations.exists()


def test_a_minute_is_numbered_next_and_cites_the_plan(coordinator_client, meeting, plan):
    services.set_minute_numbering(body=meeting.body, year=2015, first_number=96, by=None)
    action = make_action(plan=plan)
    url = reverse("meetings:minute-create", args=[meeting.pk])
    assert "Leave blank for the next number, 96." in text_of(coordinator_client.get(url))
    response = coordinator_client.post(
        url,
        {
            "title": "THANET COMMUNITY SAFETY PLAN UPDATE",
            "discussion": "Members noted the report.",
            "resolution": "that the report be noted.",
            "actions": [action.pk],
        },
    )
    minute = Minute.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert response.url == f"{meeting.get_absolute_url()}#minute-96"
    assert minute.number == 96
    assert list(minute.actions.all()) == [action]


def test_a_minute_edit_based_on_an_old_version_is_refused(coordinator_client, meeting):
    minute = services.record_minute(meeting=meeting, title="UPDATE", by=None)
    url = reverse("meetings:minute-edit", args=[minute.pk])
    form = {"number": "1", "title": "UPDATE", "discussion": "Mine", "version": "1"}
    services.edit_minute(minute=minute, by=None, version=1, discussion="Theirs")
    response = coordinator_client.post(url, form)
    assert response.status_code == 409
    assert "Mine" in response.content.decode()  # what the coordinator typed is kept
    minute.refresh_from_db()
    assert minute.discussion == "Theirs"


def test_an_action_arising_is_recorded_and_closed_at_the_next_meeting(
    coordinator_client, meeting, next_meeting
):
    minute = services.record_minute(meeting=meeting, title="PLAN UPDATE", by=None)
    response = coordinator_client.post(
        reverse("meetings:actions-arising", args=[meeting.pk]),
        {
            "arising-description": "Find out and advise Members",
            "arising-minute": minute.pk,
            "arising-owner": "Martyn Cassell",
            "arising-due_date": "2016-02-01",
        },
        headers=HTMX,
    )
    assert "Find out and advise Members" in text_of(response)
    arising = MeetingAction.objects.get(meeting=meeting)
    assert arising.owner.name == "Martyn Cassell"

    page = text_of(coordinator_client.get(next_meeting.get_absolute_url()))
    assert "Find out and advise Members" in page[page.index("Matters arising") :]
    response = coordinator_client.post(
        reverse("meetings:action-done", args=[arising.pk]),
        {
            f"done-{arising.pk}-outcome": "Members were advised by email.",
            f"done-{arising.pk}-version": arising.version,
            f"done-{arising.pk}-at_meeting": next_meeting.pk,
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="matters-arising"')
    arising.refresh_from_db()
    assert arising.status == MeetingAction.Status.DONE
    assert arising.closed_at_meeting == next_meeting
    assert "Recorded at the meeting of 22 February 2016" in text_of(response)


def test_closing_an_action_arising_without_javascript(coordinator_client, meeting, next_meeting):
    arising = services.add_meeting_action(meeting=meeting, description="Report back", by=None)
    url = reverse("meetings:action-done", args=[arising.pk])
    empty = {f"done-{arising.pk}-version": 1, f"done-{arising.pk}-at_meeting": next_meeting.pk}
    response = coordinator_client.post(url, empty)
    assert response.status_code == 422
    assert "Enter what was done" in text_of(response)
    response = coordinator_client.post(url, {**empty, f"done-{arising.pk}-outcome": "Done"})
    assert response.status_code == 302
    assert response.url == f"{next_meeting.get_absolute_url()}#matters-arising"


def test_an_action_arising_is_closed_from_the_tracker(coordinator_client, meeting):
    arising = services.add_meeting_action(meeting=meeting, description="Report back", by=None)
    url = reverse("meetings:action-done", args=[arising.pk])
    assert "Record an action arising as done" in text_of(coordinator_client.get(url))
    response = coordinator_client.post(url, {"outcome": "Reported", "version": 1})
    assert response.status_code == 302
    assert response.url == reverse("meetings:tracker", args=[meeting.body.partnership.slug])
    arising.refresh_from_db()
    assert arising.closed_at_meeting is None and arising.status == "done"


def test_the_starting_number_is_set_on_the_bodys_page(coordinator_client, body):
    url = reverse("meetings:numbering", args=[body.pk])
    this_year = body.municipal_year(datetime.date.today())
    response = coordinator_client.post(url, {"year": this_year, "first_number": "96"})
    assert response.status_code == 302
    page = text_of(coordinator_client.get(body.get_absolute_url()))
    assert f"{this_year}/{str(this_year + 1)[-2:]}: from 96" in page
    response = coordinator_client.post(url, {"year": this_year, "first_number": "0"})
    assert response.status_code == 422


def test_publishing_a_meeting_opens_it_to_the_public(coordinator_client, client, body):
    meeting = services.schedule_meeting(body=body, date=datetime.date(2016, 1, 11), by=None)
    url = reverse("meetings:publication", args=[meeting.pk])
    coordinator_client.post(url, {"publish": "yes", "version": meeting.version})
    assert Meeting.objects.get(pk=meeting.pk).is_published
    withdraw = {"publish": "no", "version": meeting.version, "reason": "A name to remove"}
    coordinator_client.post(url, withdraw)
    assert not Meeting.objects.get(pk=meeting.pk).is_published
