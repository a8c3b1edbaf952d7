"""What the meeting pages and documents show, each read in a fixed number of queries.

The meeting page, the minutes PDF and the agenda pack all read through `meeting_record`, so
they show the same things to the same reader, restricted items included or absent alike.
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from csp_tracker import permissions
from meetings import forms
from meetings.models import (
    AgendaItem,
    Attendance,
    Body,
    Declaration,
    Meeting,
    MeetingAction,
    Minute,
    MinuteNumbering,
    year_label,
)
from plans.models import Partnership

#: The municipal years a coordinator may set minute numbers for: next year and the last few.
RECENT_YEARS = 3


def join_and(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


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
            segments.append(f"Councillors {join_and(councillors)}")
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
    return join_and(segments)


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
class MeetingRecord:
    """A meeting as one reader may see it."""

    meeting: Meeting
    agenda: list[AgendaItem]
    attendance: list[Attendance]
    declarations: list[Declaration]
    minutes: list[Minute]
    actions_arising: list[MeetingAction]
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
    def has_restricted(self) -> bool:
        """Whether anything shown is restricted (only ever true for readers who may see it)."""
        return any(
            x.restricted
            for x in [*self.agenda, *self.minutes, *self.declarations, *self.actions_arising]
        )


def meeting_record(meeting: Meeting, user) -> MeetingRecord:
    """Everything recorded about a meeting that `user` may see, in a fixed number of queries."""
    agenda = list(
        AgendaItem.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("paper_plan__partnership", "paper_meeting")
        .order_by("position")
    )
    member = permissions.is_member(user, meeting.body.partnership_id)
    for item in agenda:
        # Papers the reader may open: published ones, or any of their own partnership.
        paper_meeting, paper_plan = item.paper_meeting, item.paper_plan
        item.minutes_paper = (
            paper_meeting if paper_meeting and (member or paper_meeting.is_published) else None
        )
        item.progress_paper = (
            paper_plan if paper_plan and (member or paper_plan.is_published) else None
        )
    attendance = list(
        Attendance.objects.filter(meeting=meeting).select_related("person").order_by("position")
    )
    declarations = list(
        Declaration.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("person")
        .order_by("pk")
    )
    minutes = list(Minute.objects.visible_to(user).filter(meeting=meeting).for_document(user))
    arising = list(
        MeetingAction.objects.visible_to(user).filter(meeting=meeting).for_list().order_by("pk")
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
        agenda=agenda,
        attendance=attendance,
        declarations=declarations,
        minutes=minutes,
        actions_arising=arising,
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


# What each page's view renders.


def visible_partnership(request, slug) -> Partnership:
    """A partnership the user may read something of (its plans, or a published meeting)."""
    user = request.user
    readable = Q(pk__in=permissions.visible_partnerships(user).values("pk")) | Q(
        pk__in=Body.objects.visible_to(user).values("partnership_id")
    )
    return get_object_or_404(Partnership.objects.filter(readable), slug=slug)


def visible_body(request, pk) -> Body:
    """The body, if the user may read it; else 404."""
    visible = Body.objects.visible_to(request.user).select_related("partnership")
    return get_object_or_404(visible, pk=pk)


def visible_meeting(request, pk) -> Meeting:
    """The meeting, if the user may read it; else 404."""
    visible = Meeting.objects.visible_to(request.user).for_list()
    return get_object_or_404(visible, pk=pk)


def numbering_years(body, today: datetime.date) -> list[int]:
    """The municipal years a coordinator may set minute numbers for, latest first: next year,
    this year and the last few, and every year the body has met in."""
    this_year = body.municipal_year(today)
    years = set(range(this_year + 1, this_year - RECENT_YEARS, -1))
    years |= {body.municipal_year(day) for day in body.meetings.values_list("date", flat=True)}
    return sorted(years, reverse=True)


def body_context(request, body, numbering_form=None) -> dict:
    """The body page: its meetings and, for its coordinator, the minute numbering form."""
    today = timezone.localdate()
    can_record = permissions.can_record_meetings(request.user, body.partnership_id)
    context = {
        "nav": "partnerships",
        "body": body,
        "partnership": body.partnership,
        "meetings": body_meetings(body, request.user, today),
        "can_record": can_record,
        "is_member": permissions.is_member(request.user, body.partnership_id),
    }
    if can_record:
        this_year = body.municipal_year(today)
        context["numberings"] = [
            (year_label(n.year), n.first_number)
            for n in MinuteNumbering.objects.filter(body=body).order_by("-year")
        ]
        context["numbering_form"] = numbering_form or forms.NumberingForm(
            years=numbering_years(body, today), initial={"year": this_year}
        )
    return context


#: Prefixes keep the ids of the meeting page's several forms apart.
PREFIXES = {
    "attendance_form": "attendance",
    "agenda_form": "agenda",
    "declaration_form": "declaration",
    "action_form": "arising",
}


def blank_forms(meeting) -> dict:
    """The coordinator's forms on the meeting page, empty."""
    return {
        "attendance_form": forms.AttendanceForm(prefix=PREFIXES["attendance_form"]),
        "agenda_form": forms.AgendaItemForm(meeting=meeting, prefix=PREFIXES["agenda_form"]),
        "declaration_form": forms.DeclarationForm(prefix=PREFIXES["declaration_form"]),
        "action_form": forms.MeetingActionForm(meeting=meeting, prefix=PREFIXES["action_form"]),
    }


def done_form(action, meeting, data=None) -> forms.ActionDoneForm:
    """The form that records an action arising as done at `meeting` (its matters arising)."""
    return forms.ActionDoneForm(
        data,
        prefix=f"done-{action.pk}",
        initial={"version": action.version, "at_meeting": meeting.pk},
    )


def meeting_context(request, meeting, *, bound=None, bound_done=None) -> dict:
    """The meeting page: what the user may see of it and, for its coordinator, the forms.

    `bound` replaces a blank form with the one just sent (to show its errors); `bound_done` is
    (action id, form) for the matters-arising form just sent.
    """
    record = meeting_record(meeting, request.user)
    can_record = permissions.can_record_meetings(request.user, meeting.body.partnership_id)
    context = {
        "nav": "partnerships",
        "meeting": meeting,
        "body": meeting.body,
        "partnership": meeting.body.partnership,
        "record": record,
        "can_record": can_record,
        "today": timezone.localdate(),
    }
    if can_record:
        context.update(blank_forms(meeting))
        context.update(bound or {})
        for action in record.matters_arising:
            if action.status == MeetingAction.Status.OPEN:
                if bound_done and bound_done[0] == action.pk:
                    action.done_form = bound_done[1]
                else:
                    action.done_form = done_form(action, meeting)
    return context
