"""The iCalendar feed of a body's meetings: RFC 5545 text, escaped and folded, public only."""

import datetime

import pytest
from django.urls import reverse

from meetings import services
from meetings.ical import escape_text, fold
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def _unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_text_is_escaped_as_rfc_5545_asks():
    assert (
        escape_text("Room 1, Hall; back\\slash\nnext") == "Room 1\\, Hall\\; back\\\\slash\\nnext"
    )


def test_long_lines_fold_at_75_octets_without_splitting_a_character():
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert _unfold(folded) == line


def test_the_feed_lists_the_bodys_published_meetings(client, kent_march):
    response = client.get(reverse("meetings:ical", args=[kent_march.body.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    feed = _unfold(text)
    assert feed.count("BEGIN:VEVENT") == 3
    assert "DTSTART:20160316T100000Z" in feed  # 10.00 am, GMT in March
    assert "DTSTART:20161013T090000Z" in feed  # 10am in October is BST
    assert "DTSTART;VALUE=DATE:20151014" in feed  # the notes give no time
    assert "LOCATION:Darent Room\\, Sessions House\\, County Hall\\, Maidstone" in feed
    assert "SUMMARY:Kent Community Safety Partnership" in feed
    assert "B8 Crime Stoppers Update Presentation" in feed
    assert "Domestic Homicide Reviews (DHRs) - update" not in feed  # D2 is restricted
    assert f"URL:http://testserver{kent_march.get_absolute_url()}" in feed


def test_the_feed_shows_public_content_whoever_asks(as_role, kent_march):
    board = as_role("board_member")
    feed = board.get(reverse("meetings:ical", args=[kent_march.body.pk])).content.decode()
    assert "Domestic Homicide Reviews (DHRs) - update" not in _unfold(feed)


def test_a_held_meeting_ends_when_it_concluded_and_a_cancelled_one_says_so(client, body):
    held = services.schedule_meeting(
        body=body,
        date=datetime.date(2015, 12, 14),
        start_time=datetime.time(19, 0),
        status=Meeting.Status.HELD,
        concluded_at=datetime.time(20, 30),
        by=None,
    )
    cancelled = services.schedule_meeting(
        body=body, date=datetime.date(2016, 1, 11), status=Meeting.Status.CANCELLED, by=None
    )
    for meeting in [held, cancelled]:
        services.publish_meeting(meeting=meeting, by=None)
    feed = _unfold(client.get(reverse("meetings:ical", args=[body.pk])).content.decode())
    assert "DTSTART:20151214T190000Z\r\nDTEND:20151214T203000Z" in feed
    assert "STATUS:CANCELLED" in feed
    assert f"UID:meeting-{held.pk}@testserver" in feed
