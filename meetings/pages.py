"""What the meeting pages and documents show, each read in a fixed number of queries (the
views in meetings/views/ add the coordinator's forms).

The meeting page, the minutes PDF and the agenda pack all read through `meeting_record`, so
they show the same things to the same reader, restricted items included or absent alike.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Q
from django.utils.text import get_text_list

from csp_tracker import permissions
from meetings.models import (
    AgendaItem,
    AgendaPaper,
    Attendance,
    Body,
    Declaration,
    Meeting,
    MeetingAction,
    Minute,
    MinuteCorrection,
)
from plans.models import Plan

#: The municipal years a coordinator may set minute numbers for: next year and the last few.
RECENT_YEARS = 3


COUNCILLOR = "Councillor "


def printed_names(rows: list[Attendance], body: Body) -> str:
    """Names as a council's minutes print them, from attendance rows in order.

    The chair and vice-chair are named with their title in brackets, anyone else with the
    description they were recorded with; councillors in a row without either are grouped
    ("Councillors Bambridge, Campbell and Dixon"), and a list with such a group is split by
    semicolons, as Thanet prints it. Otherwise "a, b and c", as Kent prints it.
    """
    segments: list[str] = []
    councillors: list[str] = []

    def end_group():
        if len(councillors) == 1:
            segments.append(COUNCILLOR + councillors[0])
        elif councillors:
            segments.append(f"Councillors {get_text_list(councillors, 'and')}")
        councillors.clear()

    for row in rows:
        name = row.person.name
        if not row.role and not row.description and name.startswith(COUNCILLOR):
            councillors.append(name.removeprefix(COUNCILLOR))
            continue
        end_group()
        notes = [n for n in [_role_label(row, body), row.description] if n]
        segments.append(f"{name} ({', '.join(notes)})" if notes else name)
    end_group()
    if any(s.startswith("Councillors ") for s in segments):
        return "; ".join(segments)
    return get_text_list(segments, "and")


def _role_label(row: Attendance, body: Body) -> str:
    if row.role == Attendance.Role.CHAIR:
        return body.chair_label
    if row.role == Attendance.Role.VICE_CHAIR:
        return body.vice_chair_label
    return ""


@dataclass
class AttendanceGroup:
    kind: str
    label: str
    rows: list[Attendance]
    printed: str


@dataclass
class AgendaSection:
    heading: str
    items: list[AgendaItem] = field(default_factory=list)


@dataclass
class MinutesRecord:
    """A meeting's minutes as one reader may see them: who attended, the numbered minutes and
    the actions arising."""

    meeting: Meeting
    attendance: list[Attendance]
    minutes: list[Minute]
    actions_arising: list[MeetingAction]
    corrections: list[MinuteCorrection]

    @property
    def attendance_groups(self) -> list[AttendanceGroup]:
        """Present, also present, in attendance, apologies: each with its printed line."""
        groups = []
        for kind, label in Attendance.Kind.choices:
            rows = [row for row in self.attendance if row.kind == kind]
            if rows:
                printed = printed_names(rows, self.meeting.body)
                groups.append(AttendanceGroup(kind, label, rows, printed))
        return groups

    @property
    def apologies_minuted(self) -> bool:
        """Whether a numbered item records the apologies ("96. APOLOGIES FOR ABSENCE"), as
        Thanet's minutes do, rather than the heading listing them with who was present."""
        return any(m.title.strip().lower().startswith("apologies") for m in self.minutes)

    @property
    def heading_attendance(self) -> list[AttendanceGroup]:
        """The attendance the minutes print under their heading: all of it, but apologies
        when an item of their own records them."""
        minuted = self.apologies_minuted
        return [g for g in self.attendance_groups if not (minuted and g.kind == "apologies")]


@dataclass
class MeetingRecord(MinutesRecord):
    """A meeting as one reader may see it: its minutes, and its agenda, declarations, matters
    arising and neighbours."""

    agenda: list[AgendaItem]
    declarations: list[Declaration]
    matters_arising: list[MeetingAction]
    previous: Meeting | None
    next: Meeting | None

    @property
    def agenda_sections(self) -> list[AgendaSection]:
        """Agenda items under their headings, in order (a heading with no item the reader may
        see is not shown)."""
        return [
            AgendaSection(heading, list(items))
            for heading, items in groupby(self.agenda, key=lambda item: item.section)
        ]

    @property
    def has_restricted(self) -> bool:
        """Whether anything shown is restricted (only ever true for readers who may see it)."""
        return any(
            x.restricted
            for x in [*self.agenda, *self.minutes, *self.declarations, *self.actions_arising]
        )


def _by_meeting(rows) -> defaultdict[int, list]:
    """Rows in the order read, grouped by their meeting's id."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.meeting_id].append(row)
    return grouped


def _by_item(rows) -> defaultdict[int, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.item_id].append(row)
    return grouped


def minutes_records(meetings: list[Meeting], user) -> dict[int, MinutesRecord]:
    """The minutes of meetings `user` may read (as Meeting.objects.visible_to gives them, with
    their bodies), by meeting id, in a fixed number of queries however many meetings."""
    ids = [meeting.pk for meeting in meetings]
    attendance = _by_meeting(
        Attendance.objects.filter(meeting__in=ids).select_related("person").order_by("position")
    )
    minutes = _by_meeting(
        Minute.objects.visible_to(user).filter(meeting__in=ids).for_document(user)
    )
    arising = _by_meeting(
        MeetingAction.objects.visible_to(user).filter(meeting__in=ids).for_list().order_by("pk")
    )
    corrections = _by_meeting(
        MinuteCorrection.objects.visible_to(user)
        .filter(meeting__in=ids)
        .select_related("made_by")
        .order_by("made_at", "pk")
    )
    return {
        meeting.pk: MinutesRecord(
            meeting=meeting,
            attendance=attendance[meeting.pk],
            minutes=minutes[meeting.pk],
            actions_arising=arising[meeting.pk],
            corrections=corrections[meeting.pk],
        )
        for meeting in meetings
    }


def attach_papers(agenda: list[AgendaItem], user) -> None:
    """Give each agenda item the papers `user` may read, else None: `minutes_paper` (the earlier
    meeting, with its body), `progress_paper` (the plan, with its partnership), and
    `paper_list` (its uploaded papers and progress reports as at a day, in order).

    Read through the same visible_to as every page, one query each however many items: the
    meeting page links, and the agenda pack prints, exactly these.
    """
    papers = _by_item(
        AgendaPaper.objects.visible_to(user)
        .filter(item__in=[item.pk for item in agenda])
        .select_related("plan__partnership")
        .order_by("item_id", "position")
    )
    for item in agenda:
        item.paper_list = papers[item.pk]
    meeting_ids = {item.paper_meeting_id for item in agenda if item.paper_meeting_id}
    plan_ids = {item.paper_plan_id for item in agenda if item.paper_plan_id}
    meetings = Meeting.objects.visible_to(user).for_list().in_bulk(meeting_ids)
    plans = Plan.objects.visible_to(user).select_related("partnership").in_bulk(plan_ids)
    for item in agenda:
        item.minutes_paper = meetings.get(item.paper_meeting_id)
        item.progress_paper = plans.get(item.paper_plan_id)


def meeting_record(meeting: Meeting, user) -> MeetingRecord:
    """Everything recorded about a meeting that `user` may see, in a fixed number of queries."""
    agenda = list(AgendaItem.objects.visible_to(user).filter(meeting=meeting).order_by("position"))
    attach_papers(agenda, user)
    own = minutes_records([meeting], user)[meeting.pk]
    declarations = list(
        Declaration.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("person")
        .order_by("pk")
    )
    others = Meeting.objects.filter(body_id=meeting.body_id).exclude(pk=meeting.pk)
    previous_held = (
        others.filter(date__lt=meeting.date)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    matters = list(
        MeetingAction.objects.visible_to(user)
        .arising_before(meeting, previous_held)
        .for_list()
        .order_by("meeting__date", "pk")
    )
    readable = others.visible_to(user)
    return MeetingRecord(
        meeting=meeting,
        attendance=own.attendance,
        minutes=own.minutes,
        actions_arising=own.actions_arising,
        corrections=own.corrections,
        agenda=agenda,
        declarations=declarations,
        matters_arising=matters,
        previous=readable.filter(date__lt=meeting.date).order_by("-date").first(),
        next=readable.filter(date__gt=meeting.date).order_by("date").first(),
    )


@dataclass
class BodyMeetings:
    upcoming: list[Meeting]
    past: list[Meeting]


def body_meetings(body: Body, user, today: datetime.date) -> BodyMeetings:
    """A body's meetings the user may read: those to come (soonest first), then past ones."""
    meetings = Meeting.objects.visible_to(user).filter(body=body)
    return BodyMeetings(
        upcoming=list(meetings.upcoming(today)),
        past=list(meetings.past(today)),
    )


def numbering_years(body, today: datetime.date) -> list[int]:
    """The municipal years a coordinator may set minute numbers for, latest first: next year,
    this year and the last few, and every year the body has met in."""
    this_year = body.municipal_year(today)
    years = set(range(this_year + 1, this_year - RECENT_YEARS, -1))
    years |= {body.municipal_year(day) for day in body.meetings.values_list("date", flat=True)}
    return sorted(years, reverse=True)


@dataclass
class Shared:
    """How many of a meeting's rows of one kind the public will read, and how many stay
    restricted."""

    public: int
    withheld: int


@dataclass
class PublicRecord:
    """What publishing a meeting shows the public: counts of its agenda, attendance,
    minutes, declarations and actions arising, restricted rows apart."""

    agenda: Shared
    attendance: int
    minutes: Shared
    declarations: Shared
    actions_arising: Shared
    papers: Shared

    @property
    def withheld(self) -> int:
        parts = [self.agenda, self.minutes, self.declarations, self.actions_arising, self.papers]
        return sum(part.withheld for part in parts)


def _shared(rows, partnership_path: str) -> Shared:
    counts = rows.aggregate(
        total=Count("pk"), public=Count("pk", filter=permissions.public_rows(partnership_path))
    )
    return Shared(public=counts["public"], withheld=counts["total"] - counts["public"])


def _shared_papers(meeting: Meeting) -> Shared:
    """The meeting's uploaded papers: public where their item is (permissions.public_rows)."""
    public_items = AgendaItem.objects.filter(meeting=meeting).filter(
        permissions.public_rows("meeting__body__partnership")
    )
    counts = AgendaPaper.objects.filter(
        item__meeting=meeting, kind=AgendaPaper.Kind.UPLOAD
    ).aggregate(total=Count("pk"), public=Count("pk", filter=Q(item__in=public_items)))
    return Shared(public=counts["public"], withheld=counts["total"] - counts["public"])


def public_record(meeting: Meeting) -> PublicRecord:
    """What the public will read of the meeting once it is published, by the rule its pages
    read with (permissions.public_rows), in six queries."""
    return PublicRecord(
        papers=_shared_papers(meeting),
        agenda=_shared(AgendaItem.objects.filter(meeting=meeting), "meeting__body__partnership"),
        attendance=Attendance.objects.filter(meeting=meeting).count(),
        minutes=_shared(Minute.objects.filter(meeting=meeting), "body__partnership"),
        declarations=_shared(
            Declaration.objects.filter(meeting=meeting), "meeting__body__partnership"
        ),
        actions_arising=_shared(
            MeetingAction.objects.filter(meeting=meeting), "meeting__body__partnership"
        ),
    )
