"""Publishing a meeting's public record after a confirmation that says what the public will
see (agenda, attendance, minutes, actions arising) and what stays restricted; withdrawing it
for a reason. A page opened before someone else's change changes nothing (409)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from tests.conftest import count_queries
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(body, person):
    """An unpublished meeting with two agenda items (one restricted), two minutes (one
    restricted), an attendance and an action arising."""
    meeting = services.schedule_meeting(
        body=body, date=datetime.date(2016, 1, 11), status=Meeting.Status.HELD, by=None
    )
    services.add_agenda_item(meeting=meeting, code="A1", title="Apologies", by=None)
    services.add_agenda_item(
        meeting=meeting, code="D2", title="Domestic Homicide Reviews", restricted=True, by=None
    )
    services.record_minute(meeting=meeting, title="PROGRESS UPDATE", by=None)
    services.record_minute(meeting=meeting, title="DHR CASE", restricted=True, by=None)
    services.record_attendance(meeting=meeting, person=person, kind="present", by=None)
    services.add_meeting_action(meeting=meeting, description="Report back", by=None)
    return meeting


def _url(meeting):
    return reverse("meetings:publication", args=[meeting.pk])


def test_the_confirmation_says_what_the_public_will_and_will_not_see(coordinator_client, recorded):
    page = text_of(coordinator_client.get(_url(recorded)))
    assert "Publish the meeting of 11 January 2016" in page
    assert "the agenda: 1 item" in page
    assert "the attendance: 1 person" in page
    assert "the minutes: 1 minute" in page
    assert "the actions arising: 1" in page
    assert (
        "The restricted (exempt) items stay with those allowed to see them: 1 agenda item" in page
    )
    assert "1 minute" in page.split("will not see", 1)[1]
    assert "Domestic Homicide Reviews" not in page and "DHR CASE" not in page


def test_publishing_from_the_confirmation(coordinator_client, recorded, coordinator):
    response = coordinator_client.post(_url(recorded), {"publish": "yes", "version": 1})
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=recorded.pk)
    assert meeting.is_published
    record = meeting.history.order_by("-history_id").first()
    assert (record.history_user, record.history_change_reason) == (coordinator, "Published")
    public = text_of(Client().get(meeting.get_absolute_url()))
    assert "PROGRESS UPDATE" in public and "DHR CASE" not in public


def test_withdrawing_needs_a_reason_and_keeps_it(coordinator_client, recorded, coordinator):
    published = services.publish_meeting(meeting=recorded, by=None)
    page = coordinator_client.get(_url(published))
    assert "Withdraw the meeting of 11 January 2016 from publication" in text_of(page)
    withdraw = {"publish": "no", "version": published.version}
    response = coordinator_client.post(_url(published), withdraw)
    assert response.status_code == 422
    assert "Say why the meeting is being withdrawn" in text_of(response)
    assert Meeting.objects.get(pk=recorded.pk).is_published
    response = coordinator_client.post(
        _url(published), {**withdraw, "reason": "Minute 2 names a family"}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=recorded.pk)
    assert not meeting.is_published
    record = meeting.history.order_by("-history_id").first()
    assert (record.history_user, record.history_change_reason) == (
        coordinator,
        "Minute 2 names a family",
    )


def test_a_confirmation_opened_before_the_meeting_changed_changes_nothing(
    coordinator_client, recorded
):
    seen = recorded.version
    services.edit_meeting(meeting=recorded, by=None, version=seen, venue="Council Chamber")
    response = coordinator_client.post(_url(recorded), {"publish": "yes", "version": seen})
    assert response.status_code == 409
    assert "Nothing was changed: someone else changed the meeting" in text_of(response)
    assert not Meeting.objects.get(pk=recorded.pk).is_published


def test_publishing_a_meeting_someone_published_meanwhile_says_so(coordinator_client, recorded):
    services.publish_meeting(meeting=recorded, by=None)
    data = {"publish": "yes", "version": recorded.version}
    response = coordinator_client.post(_url(recorded), data)
    assert response.status_code == 422
    assert "The meeting is already published." in text_of(response)
    withdrawn = services.withdraw_meeting(meeting=recorded, by=None, reason="Meanwhile")
    data = {"publish": "no", "version": withdrawn.version, "reason": "A second tab"}
    response = coordinator_client.post(_url(recorded), data)
    assert response.status_code == 422
    assert "The meeting is not published." in text_of(response)


def test_a_damaged_form_is_refused_with_a_message(coordinator_client, recorded):
    response = coordinator_client.post(_url(recorded), {})
    assert response.status_code == 422
    assert "The form was damaged" in text_of(response)
    assert not Meeting.objects.get(pk=recorded.pk).is_published


def test_only_the_coordinator_is_offered_the_confirmation(as_role, recorded):
    for role, offered in [("coordinator", True), ("board_member", False), ("officer", False)]:
        html = as_role(role).get(recorded.get_absolute_url()).content.decode()
        assert (f'href="{_url(recorded)}"' in html) is offered, role


def test_the_confirmation_keeps_a_flat_query_count(coordinator_client, recorded, person):
    before = count_queries(coordinator_client, _url(recorded))
    for n in range(10):
        services.add_agenda_item(meeting=recorded, code=f"B{n}", title="Item", by=None)
        services.record_minute(meeting=recorded, title=f"MINUTE {n}", by=None)
    assert count_queries(coordinator_client, _url(recorded)) == before
