"""Meeting documents in the form councils publish: the minutes, and the agenda pack with the
papers attached to its items.

They read through meetings.pages.meeting_record, like the meeting page, so whatever is
restricted is absent for a reader who may not see it, and the pack attaches exactly the papers
the meeting page links; served in the `meetings` namespace
(reports/meeting_urls.py), so that meetings never imports reports.
"""

from dataclasses import dataclass

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from meetings import pages
from meetings.models import Meeting
from plans.models import Plan
from reports import documents
from reports.pdf import render_pdf


def _stem(meeting: Meeting) -> str:
    """ "thanet-csp-2015-12-14": the partnership and the day, for file names."""
    return f"{meeting.body.partnership.file_stem}-{meeting.date:%Y-%m-%d}"


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


def _header(record, what: str, *, restricted: bool = False) -> str:
    """The running header; it says when the document holds restricted items (`restricted`:
    in what it attaches)."""
    meeting = record.meeting
    header = f"{meeting.body.name}: {what}, {meeting.date:%-d %B %Y}"
    if record.has_restricted or restricted:
        header += " – contains restricted items, not for publication"
    return header


def minutes_context(record) -> dict:
    """The minutes as published: heading, attendance, numbered items, when it concluded."""
    meeting = record.meeting
    label = meeting.record_label
    return {
        "record": record,
        "meeting": meeting,
        "body": meeting.body,
        "partnership": meeting.body.partnership,
        "document_title": f"{meeting.body.name}: {label} of {meeting.date:%-d %B %Y}",
        "running_header": _header(record, label),
    }


@require_GET
def minutes_pdf(request, pk):
    """The minutes (or notes) of a meeting as a PDF."""
    meeting = pages.visible_meeting(request, pk)
    record = pages.meeting_record(meeting, request.user)
    pdf = render_pdf("reports/minutes.html", minutes_context(record), request=request)
    return _pdf(pdf, f"{_stem(meeting)}-{meeting.record_label.lower()}.pdf")


@dataclass
class Paper:
    """A paper attached to an agenda item, rendered to HTML from its own template."""

    item: object
    title: str
    html: SafeString
    restricted: bool = False


def minutes_paper(item, minutes: pages.MinutesRecord) -> Paper:
    """The minutes of an earlier meeting, as the reader may see them."""
    earlier = minutes.meeting
    # A pack may attach several minutes: each one's ids are its own.
    context = {"record": minutes, "meeting": earlier, "body": earlier.body}
    context["ids"] = f"paper-{item.pk}-"
    html = render_to_string("reports/_minutes_body.html", context)
    label = earlier.record_label
    restricted = any(row.restricted for row in [*minutes.minutes, *minutes.actions_arising])
    title = f"{label} of the meeting held on {earlier.date:%-d %B %Y}"
    return Paper(item, title, html, restricted)


def progress_paper(item, plan: Plan, user, day) -> Paper:
    """The plan's progress report as at the meeting day, from the scrutiny documents (each
    report reads its plan in its own queries: reports.documents.progress_document)."""
    moment = documents.as_at(plan, day=day)
    context = documents.progress_document(plan, user, moment)
    # A pack may attach several reports: each one's section ids are its own.
    context["ids"] = f"paper-{item.pk}-"
    html = render_to_string("reports/_progress_report.html", context)
    return Paper(item, f"{plan.title}: progress {moment.label}", html)


def attached_papers(record, user) -> list[Paper]:
    """The papers of the agenda's items, in agenda order: those the meeting page links
    (meetings.pages.attach_papers), every earlier meeting's minutes read together."""
    day = min(record.meeting.date, timezone.localdate())
    earlier = [item.minutes_paper for item in record.agenda if item.minutes_paper]
    minutes = pages.minutes_records(earlier, user)
    papers = []
    for item in record.agenda:
        if item.minutes_paper:
            papers.append(minutes_paper(item, minutes[item.minutes_paper.pk]))
        if item.progress_paper:
            papers.append(progress_paper(item, item.progress_paper, user, day))
    return papers


@require_GET
def agenda_pdf(request, pk):
    """The agenda pack: the agenda, then the papers attached to its items."""
    meeting = pages.visible_meeting(request, pk)
    record = pages.meeting_record(meeting, request.user)
    papers = attached_papers(record, request.user)
    restricted = any(paper.restricted for paper in papers)
    context = {
        "record": record,
        "meeting": meeting,
        "body": meeting.body,
        "partnership": meeting.body.partnership,
        "papers": papers,
        "document_title": f"{meeting.body.name}: agenda, {meeting.date:%-d %B %Y}",
        "running_header": _header(record, "agenda", restricted=restricted),
    }
    pdf = render_pdf("reports/agenda_pack.html", context, request=request)
    return _pdf(pdf, f"{_stem(meeting)}-agenda.pdf")
