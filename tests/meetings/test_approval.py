"""Approving a meeting's minutes (who and when, after a confirmation page), and changing them
after that only by a recorded correction, shown on the meeting page and in the minutes PDF."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, MinuteCorrection
from tests.helpers import text_of
from tests.meetings.test_documents import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def minute(meeting):
    return services.record_minute(
        meeting=meeting,
        title="Community Safety Plan update",
        resolution="that the update be noted.",
        by=None,
    )


def _minute_post(minute, **changes):
    data = {
        "number": minute.number,
        "item_code": minute.item_code,
        "title": minute.title,
        "discussion": minute.discussion,
        "resolution": minute.resolution,
        "version": minute.version,
    }
    data.update(changes)
    return data


def test_approving_asks_first_then_records_who_and_when(coordinator_client, coordinator, minute):
    meeting = minute.meeting
    url = reverse("meetings:approval", args=[meeting.pk])
    page = text_of(coordinator_client.get(url))
    assert "Approve the minutes of 14 December 2015" in page
    assert "change only by a recorded correction" in page
    assert not Meeting.objects.get(pk=meeting.pk).minutes_approved
    response = coordinator_client.post(url, {"version": meeting.version})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_approved_by == coordinator
    assert meeting.minutes_approved_at is not None
    assert meeting.history.first().history_change_reason == "Minutes approved"
    shown = text_of(coordinator_client.get(meeting.get_absolute_url()))
    assert f"Approved as a true record by {coordinator.get_full_name()}" in shown


def test_minutes_are_approved_once_and_only_when_there_are_some(coordinator, meeting, body):
    with pytest.raises(ValidationError, match="no minutes to approve"):
        services.approve_minutes(meeting=meeting, by=coordinator)
    to_come = services.schedule_meeting(body=body, date=datetime.date(2016, 6, 1), by=None)
    services.record_minute(meeting=to_come, title="Apologies", by=None)
    with pytest.raises(ValidationError, match="meeting that was held"):
        services.approve_minutes(meeting=to_come, by=coordinator)
    services.record_minute(meeting=meeting, title="Apologies", by=None)
    services.approve_minutes(meeting=meeting, by=coordinator)
    with pytest.raises(ValidationError, match="were approved on"):
        services.approve_minutes(meeting=meeting, by=coordinator)


def test_approving_a_meeting_changed_meanwhile_is_refused(coordinator_client, minute):
    meeting = minute.meeting
    services.edit_meeting(meeting=meeting, by=None, version=meeting.version, venue="Chamber")
    response = coordinator_client.post(
        reverse("meetings:approval", args=[meeting.pk]), {"version": 1}
    )
    assert response.status_code == 409
    assert not Meeting.objects.get(pk=meeting.pk).minutes_approved


def test_after_approval_a_plain_edit_is_refused_with_a_message(
    coordinator_client, coordinator, minute
):
    services.approve_minutes(meeting=minute.meeting, by=coordinator)
    url = reverse("meetings:minute-edit", args=[minute.pk])
    assert "Why is this correction made?" in text_of(coordinator_client.get(url))
    response = coordinator_client.post(url, _minute_post(minute, resolution="that it be agreed."))
    assert response.status_code == 422
    assert "Say why this correction is made" in text_of(response)
    minute.refresh_from_db()
    assert minute.resolution == "that the update be noted."
    with pytest.raises(ValidationError, match="change only by a correction"):
        services.edit_minute(
            minute=minute, by=coordinator, version=minute.version, resolution="agreed."
        )


def test_a_correction_is_recorded_and_shown_on_the_page_and_in_the_pdf(
    client, coordinator_client, coordinator, minute
):
    meeting = minute.meeting
    services.approve_minutes(meeting=meeting, by=coordinator)
    response = coordinator_client.post(
        reverse("meetings:minute-edit", args=[minute.pk]),
        _minute_post(
            minute,
            resolution="that the update be noted and circulated.",
            correction="The clerk's note of the decision left out the circulation.",
        ),
    )
    assert response.status_code == 302
    minute.refresh_from_db()
    assert minute.resolution == "that the update be noted and circulated."
    correction = MinuteCorrection.objects.get()
    assert correction.made_by == coordinator
    assert correction.change == f"Minute {minute.number}: RESOLVED corrected"
    note = f"Minute {minute.number}: RESOLVED corrected, by {coordinator.get_full_name()} on "
    page = text_of(client.get(meeting.get_absolute_url()))
    assert "Corrections since approval" in page
    assert note in page
    assert "The clerk's note of the decision left out the circulation." in page
    text = pdf_text(client.get(reverse("reports:minutes-pdf", args=[meeting.pk])))
    assert "Corrections since approval" in text
    assert "left out the circulation" in text


def test_a_correction_that_changes_nothing_is_refused(coordinator, minute):
    services.approve_minutes(meeting=minute.meeting, by=coordinator)
    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.edit_minute(
            minute=minute, by=coordinator, version=minute.version, correction="Typo."
        )
    assert not MinuteCorrection.objects.exists()


def test_after_approval_a_minute_is_added_only_as_a_correction(coordinator, minute):
    meeting = minute.meeting
    services.approve_minutes(meeting=meeting, by=coordinator)
    with pytest.raises(ValidationError, match="change only by a correction"):
        services.record_minute(meeting=meeting, title="Any other business", by=coordinator)
    added = services.record_minute(
        meeting=meeting,
        title="Any other business",
        by=coordinator,
        correction="Left out of the draft.",
    )
    assert MinuteCorrection.objects.get().change == f"Minute {added.number} added"


def test_a_restricted_minutes_correction_is_not_shown_to_the_public(client, coordinator, meeting):
    secret = services.record_minute(
        meeting=meeting, title="Case review", restricted=True, discussion="Names.", by=None
    )
    services.approve_minutes(meeting=meeting, by=coordinator)
    services.edit_minute(
        minute=secret,
        by=coordinator,
        version=secret.version,
        discussion="Initials only.",
        correction="Secret reason naming a family.",
    )
    page = text_of(client.get(meeting.get_absolute_url()))
    assert "Secret reason naming a family." not in page
    text = pdf_text(client.get(reverse("reports:minutes-pdf", args=[meeting.pk])))
    assert "Secret reason naming a family." not in text


def test_after_approval_the_attendance_changes_only_by_a_correction(
    coordinator_client, coordinator, minute, person
):
    meeting = minute.meeting
    row = services.record_attendance(meeting=meeting, person=person, kind="present", by=None)
    services.approve_minutes(meeting=meeting, by=coordinator)
    add = reverse("meetings:attendance", args=[meeting.pk])
    data = {"attendance-name": "Councillor Falcon", "attendance-kind": "apologies"}
    refused = coordinator_client.post(add, data)
    assert refused.status_code == 422
    assert "Say why this correction is made" in text_of(refused)
    data["attendance-correction"] = "Councillor Falcon's apologies were left out."
    assert coordinator_client.post(add, data).status_code == 302
    remove = reverse("meetings:attendance-removal", args=[meeting.pk, row.pk])
    refused = coordinator_client.post(remove, {})
    assert refused.status_code == 422
    assert meeting.attendances.filter(pk=row.pk).exists()
    reason = {f"remove-{row.pk}-correction": "Mr Cassell was not there."}
    assert coordinator_client.post(remove, reason).status_code == 302
    changes = list(
        MinuteCorrection.objects.filter(meeting=meeting).values_list("change", flat=True)
    )
    assert changes == [
        "Attendance: Councillor Falcon added (apologies)",
        "Attendance: Martyn Cassell removed",
    ]


def test_a_meeting_with_approved_minutes_stays_held(coordinator, minute):
    meeting = minute.meeting
    services.approve_minutes(meeting=meeting, by=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.edit_meeting(
            meeting=meeting, by=coordinator, version=meeting.version, status="scheduled"
        )
    assert "stays recorded as held" in refused.value.message_dict["status"][0]
