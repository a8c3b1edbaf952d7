"""Pages about a partnership's bodies and meetings, the actions arising, search and the feed,
and what every meetings page loads and shows (recording.py re-renders them with a form's
errors).

The coordinator's forms are in meetings/views/recording.py. Every read goes through
`visible_to`, so restricted items are absent for readers who may not see them.
"""

from itertools import groupby

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from csp_tracker import permissions
from csp_tracker.downloads import CALENDAR_TYPE, CSV_TYPE, PDF_TYPE, csv_bytes, download
from meetings import forms, ical
from meetings.models import (
    AgendaItem,
    AgendaPaper,
    Body,
    Meeting,
    MeetingAction,
    Minute,
    MinuteNumbering,
    year_label,
)
from meetings.pages import body_meetings, meeting_record, numbering_years
from plans.models import Partnership

# What every meetings page loads, and the context of the body and meeting pages.


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
        "attendance_form": forms.AttendanceForm(
            meeting=meeting, prefix=PREFIXES["attendance_form"]
        ),
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
        "can_publish": permissions.can_publish_meeting(request.user, meeting.body.partnership_id),
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


# The pages.


@require_GET
def bodies(request, slug):
    """A partnership's bodies, each with its next and latest meeting."""
    partnership = visible_partnership(request, slug)
    body_list = list(
        Body.objects.visible_to(request.user)
        .filter(partnership=partnership)
        .with_next_and_last_meeting(request.user, timezone.localdate())
    )
    shown = Meeting.objects.in_bulk(
        [pk for b in body_list for pk in (b.next_meeting_id, b.last_meeting_id) if pk]
    )
    for body in body_list:
        body.next_meeting = shown.get(body.next_meeting_id)
        body.last_meeting = shown.get(body.last_meeting_id)
    context = {
        "nav": "partnerships",
        "partnership": partnership,
        "bodies": body_list,
        "can_record": permissions.can_record_meetings(request.user, partnership.pk),
        "is_member": permissions.is_member(request.user, partnership.pk),
    }
    return render(request, "meetings/bodies.html", context)


@require_GET
def body(request, pk):
    """A body's meetings: those to come, then past ones; for its coordinator, minute numbers."""
    body = visible_body(request, pk)
    return render(request, "meetings/body.html", body_context(request, body))


@require_GET
def detail(request, pk):
    """A meeting: agenda, attendance, declarations, minutes, actions and matters arising."""
    meeting = visible_meeting(request, pk)
    return render(request, "meetings/detail.html", meeting_context(request, meeting))


def _tracker(request, slug):
    """The partnership, the tracker's filter form and its rows (the page and CSV share them)."""
    partnership = visible_partnership(request, slug)
    body_list = Body.objects.visible_to(request.user).filter(partnership=partnership)
    filters = forms.TrackerForm(request.GET or None, bodies=body_list)
    rows = (
        MeetingAction.objects.visible_to(request.user)
        .filter(meeting__body__partnership=partnership)
        .for_list()
        .order_by("meeting__date", "pk")
    )
    if filters.is_valid():
        status = filters.cleaned_data["status"]
        if status:
            rows = rows.filter(status=status)
        if filters.cleaned_data["body"]:
            rows = rows.filter(meeting__body=filters.cleaned_data["body"])
    return partnership, filters, rows


@require_GET
def tracker(request, slug):
    """Actions arising across the partnership's meetings: open until recorded as done."""
    partnership, filters, rows = _tracker(request, slug)
    context = {
        "nav": "partnerships",
        "partnership": partnership,
        "filters": filters,
        "rows": list(rows),
        "today": timezone.localdate(),
        "can_record": permissions.can_record_meetings(request.user, partnership.pk),
    }
    template = "meetings/tracker.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


CSV_HEADER = [
    "Body",
    "Meeting",
    "Minute",
    "Action arising",
    "Who",
    "Due",
    "Status",
    "Outcome",
    "Done on",
]


@require_GET
def tracker_csv(request, slug):
    """The actions arising tracker as CSV, with the same filters and the same visibility."""
    partnership, _filters, rows = _tracker(request, slug)
    content = csv_bytes(
        CSV_HEADER,
        (
            [
                row.meeting.body.name,
                row.meeting.date.isoformat(),
                row.minute.number if row.minute else "",
                row.description,
                row.owner_display,
                row.due_date.isoformat() if row.due_date else "",
                row.get_status_display(),
                row.outcome,
                row.closed_on.isoformat() if row.closed_on else "",
            ]
            for row in rows
        ),
    )
    return download(content, f"{partnership.file_stem}-actions-arising.csv", CSV_TYPE)


@require_GET
def search(request, slug):
    """Words in the partnership's minutes, agendas and actions arising that the user may read."""
    partnership = visible_partnership(request, slug)
    form = forms.SearchForm(request.GET or None)
    minutes = agenda = arising = []
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        here = Q(meeting__body__partnership=partnership)
        minutes = list(
            Minute.objects.visible_to(request.user)
            .filter(here)
            .filter(
                Q(title__icontains=query)
                | Q(discussion__icontains=query)
                | Q(resolution__icontains=query)
            )
            .select_related("meeting__body")
            .order_by("-meeting__date", "number")
        )
        agenda = list(
            AgendaItem.objects.visible_to(request.user)
            .filter(here)
            .filter(
                Q(title__icontains=query)
                | Q(presenter__icontains=query)
                | Q(notes__icontains=query)
            )
            .select_related("meeting__body")
            .order_by("-meeting__date", "position")
        )
        arising = list(
            MeetingAction.objects.visible_to(request.user)
            .filter(here)
            .filter(Q(description__icontains=query) | Q(outcome__icontains=query))
            .for_list()
            .order_by("-meeting__date", "pk")
        )
    context = {
        "nav": "partnerships",
        "partnership": partnership,
        "form": form,
        "query": query,
        "minutes": minutes,
        "agenda": agenda,
        "arising": arising,
        "count": len(minutes) + len(agenda) + len(arising),
    }
    return render(request, "meetings/search.html", context)


@require_GET
def ical_feed(request, pk):
    """A body's meetings for calendar apps: public content only, whoever asks."""
    body = visible_body(request, pk)
    public = permissions.public_reader()
    meetings = list(
        Meeting.objects.visible_to(public).filter(body=body).order_by("date", "start_time")
    )
    items = AgendaItem.objects.visible_to(public).filter(meeting__in=meetings)
    agendas = {
        pk: list(rows)
        for pk, rows in groupby(items.order_by("meeting_id", "position"), lambda i: i.meeting_id)
    }
    text = ical.calendar(
        body,
        meetings,
        agendas,
        absolute=request.build_absolute_uri,
        host=request.get_host().split(":")[0],
        now=timezone.now(),
    )
    return download(text, f"meetings-{body.pk}.ics", CALENDAR_TYPE, attachment=False)


@require_GET
def paper(request, pk):
    """An uploaded paper, to whoever may read its agenda item (restricted items' papers only
    to those who see restricted items); 404 to anyone else, as if it did not exist."""
    visible = AgendaPaper.objects.visible_to(request.user).filter(kind=AgendaPaper.Kind.UPLOAD)
    found = get_object_or_404(visible, pk=pk)
    with found.file.open("rb") as stored:
        content = stored.read()
    response = download(content, found.filename or "paper.pdf", PDF_TYPE, attachment=False)
    response["Cache-Control"] = "private, no-store"
    return response
