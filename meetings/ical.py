"""A body's meetings as an iCalendar feed (RFC 5545), for calendar apps to subscribe to.

Calendar apps fetch it without signing in, so it carries only public content: the view passes
published meetings and their unrestricted agenda items, read as the public reads them.
"""

import datetime
import zoneinfo

from django.conf import settings

from meetings.models import Meeting

PRODUCT = "-//CSP Tracker//Meetings//EN"
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value escaped: backslash, semicolon, comma and line breaks (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a character (RFC 5545 3.1)."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not pieces else MAX_OCTETS - 1  # continuations start with a space
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc(day: datetime.date, time: datetime.time) -> str:
    local = datetime.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(meeting: Meeting, agenda: list, *, summary, url: str, host: str, stamp: str):
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{host}",
        f"DTSTAMP:{stamp}",
    ]
    if meeting.start_time is None:
        lines.append(f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}")
    else:
        lines.append(f"DTSTART:{_utc(meeting.date, meeting.start_time)}")
        if meeting.concluded_at is not None and meeting.concluded_at > meeting.start_time:
            lines.append(f"DTEND:{_utc(meeting.date, meeting.concluded_at)}")
    lines.append(f"SUMMARY:{escape_text(summary)}")
    if meeting.venue:
        lines.append(f"LOCATION:{escape_text(meeting.venue)}")
    if agenda:
        text = "Agenda:\n" + "\n".join(str(item) for item in agenda)
        lines.append(f"DESCRIPTION:{escape_text(text)}")
    lines.append(f"URL:{url}")
    status = "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"
    lines.append(f"STATUS:{status}")
    lines.append("END:VEVENT")
    return lines


def calendar(body, meetings: list[Meeting], agendas: dict[int, list], *, absolute, host, now):
    """The feed's text: one event per meeting; `absolute(path)` makes a link absolute."""
    stamp = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(f'{body.name} ({body.partnership.short_name})')}",
    ]
    for meeting in meetings:
        lines += _event(
            meeting,
            agendas.get(meeting.pk, []),
            summary=body.name,
            url=absolute(meeting.get_absolute_url()),
            host=host,
            stamp=stamp,
        )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
