"""A body of the test partnership with two meetings: one held, published, with its record;
one to come. Their words are the test's own; the seeds are read through their fixtures."""

import datetime

import pytest

from meetings import services
from meetings.models import Body, Meeting

HELD_ON = datetime.date(2015, 12, 14)
NEXT_ON = datetime.date(2016, 2, 22)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded papers kept in a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def body(partnership):
    return services.create_body(
        partnership=partnership,
        name="Community Safety Partnership Working Party",
        kind=Body.Kind.SCRUTINY_WORKING_PARTY,
        chair_label="Chairman",
    )


@pytest.fixture
def meeting(body):
    """Held on 14 December 2015 at 7.00 pm, published, with nothing recorded yet."""
    meeting = services.schedule_meeting(
        body=body,
        date=HELD_ON,
        start_time=datetime.time(19, 0),
        venue="Austen Room, Council Offices",
        status=Meeting.Status.HELD,
        concluded_at=datetime.time(20, 30),
        by=None,
    )
    return services.publish_meeting(meeting=meeting, by=None)


@pytest.fixture
def next_meeting(body):
    """The body's next meeting, 22 February 2016, published."""
    meeting = services.schedule_meeting(body=body, date=NEXT_ON, venue="Council Chamber", by=None)
    return services.publish_meeting(meeting=meeting, by=None)


@pytest.fixture
def person(partnership):
    return services.add_person(partnership=partnership, name="Martyn Cassell")


@pytest.fixture
def seeded_thanet():
    return Meeting.objects.get(body__partnership__slug="thanet", date=HELD_ON)


@pytest.fixture
def kent_october():
    return Meeting.objects.get(body__partnership__slug="kent", date=datetime.date(2015, 10, 14))


@pytest.fixture
def kent_march():
    return Meeting.objects.get(body__partnership__slug="kent", date=datetime.date(2016, 3, 16))
