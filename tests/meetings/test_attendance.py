"""Attendance by picking people: the partnership's members and the people named at its
meetings, no position numbers; and a minute's citations limited to plans the coordinator may
read."""

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Attendance, Person
from plans.models import Membership, Partnership
from tests.factories import make_action, make_membership, make_partnership, make_plan, make_user
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def _post(client, meeting, **fields):
    data = {f"attendance-{name}": value for name, value in fields.items()}
    return client.post(reverse("meetings:attendance", args=[meeting.pk]), data)


def test_the_form_offers_the_partnerships_people_and_members(
    coordinator_client, meeting, person, partnership
):
    member = make_user(first_name="Ruth", last_name="Porter")
    make_membership(user=member, partnership=partnership, role=Membership.Role.COUNCILLOR)
    stranger = make_user(first_name="Somebody", last_name="Elsewhere")
    make_membership(user=stranger, partnership=make_partnership(), role=Membership.Role.BOARD)
    page = text_of(coordinator_client.get(meeting.get_absolute_url()))
    assert "Martyn Cassell" in page
    assert "Ruth Porter (Scrutiny councillor)" in page
    assert "Somebody Elsewhere" not in page
    assert "position" not in page.lower()


def test_picking_a_member_records_them_as_a_person_of_the_partnership(
    coordinator_client, meeting, partnership
):
    member = make_user(first_name="Ruth", last_name="Porter")
    make_membership(user=member, partnership=partnership, role=Membership.Role.COUNCILLOR)
    response = _post(coordinator_client, meeting, person=f"member-{member.pk}", kind="apologies")
    assert response.status_code == 302
    row = Attendance.objects.get(meeting=meeting)
    assert row.kind == "apologies"
    assert row.person.user == member
    assert row.person.name == "Ruth Porter"
    # Next time they are one of the people named, not a second person.
    later = text_of(coordinator_client.get(meeting.get_absolute_url()))
    assert later.count("Ruth Porter") >= 1
    assert Person.objects.filter(user=member).count() == 1


def test_picking_a_person_records_them_in_order(coordinator_client, meeting, person, partnership):
    other = services.add_person(partnership=partnership, name="Councillor Falcon")
    assert _post(coordinator_client, meeting, person=f"person-{person.pk}", kind="present")
    _post(coordinator_client, meeting, person=f"person-{other.pk}", kind="in_attendance")
    rows = list(Attendance.objects.filter(meeting=meeting).order_by("position"))
    assert [(r.person, r.kind, r.position) for r in rows] == [
        (person, "present", 1),
        (other, "in_attendance", 2),
    ]


def test_someone_not_on_the_list_is_named(coordinator_client, meeting):
    response = _post(coordinator_client, meeting, name="Mr S Peerbux", kind="in_attendance")
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=meeting).person.name == "Mr S Peerbux"


def test_nobody_chosen_or_a_stranger_is_refused_with_a_message(coordinator_client, meeting):
    response = _post(coordinator_client, meeting, kind="present")
    assert response.status_code == 422
    assert "Choose who attended, or enter the name of someone else" in text_of(response)
    stranger = make_user()
    make_membership(user=stranger, partnership=make_partnership(), role=Membership.Role.BOARD)
    response = _post(coordinator_client, meeting, person=f"member-{stranger.pk}", kind="present")
    assert response.status_code == 422
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_someone_already_recorded_is_refused(coordinator_client, meeting, person):
    _post(coordinator_client, meeting, person=f"person-{person.pk}", kind="present")
    response = _post(coordinator_client, meeting, name="Martyn Cassell", kind="apologies")
    assert response.status_code == 422
    assert "Martyn Cassell is already recorded at this meeting." in text_of(response)
    assert Attendance.objects.filter(meeting=meeting).count() == 1


# Citations: a county coordinator never sees a district's draft plan in the minute form.


def test_a_minute_cites_only_plans_the_coordinator_may_read(client, media):
    from meetings.models import Body

    county = make_partnership(kind=Partnership.Kind.COUNTY)
    district = make_partnership(county=county)
    draft = make_plan(partnership=district, title="District draft plan")
    secret = make_action(plan=draft, title="Draft action nobody outside may read")
    coordinator = make_user()
    make_membership(user=coordinator, partnership=county, role=Membership.Role.COORDINATOR)
    body = services.create_body(
        partnership=county, name="County partnership", kind=Body.Kind.COUNTY_PARTNERSHIP
    )
    meeting = services.schedule_meeting(body=body, date=draft.period_start, by=None)
    client.force_login(coordinator)
    url = reverse("meetings:minute-create", args=[meeting.pk])
    assert "Draft action nobody outside may read" not in text_of(client.get(url))
    response = client.post(url, {"title": "Update", "actions": [secret.pk]})
    assert response.status_code == 422
    assert not meeting.minutes.exists()
