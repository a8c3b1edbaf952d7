"""What each document shows: the plan as published, its progress as at a day, and a meeting's
minutes and agenda pack with the papers attached to its items.

Views and the PDF renderer take these contexts as they are; everything is read here through
the same `visible_to` QuerySets as the pages, in a fixed number of queries whatever the number
of actions, so nothing queries while a template renders. The meeting documents read through
meetings.pages.meeting_record, like the meeting page, so whatever is restricted is absent for
a reader who may not see it, and the pack attaches exactly the papers the page links.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import get_text_list

from actions.models import (
    CLOSED_STATUSES,
    Action,
    ActionUpdate,
    Rag,
    ReportingPeriod,
    Status,
)
from actions.pages import Outline, plan_outline
from csp_tracker.pdfs import merge, page_count
from meetings import pages as meeting_pages
from meetings.models import Meeting
from plans.models import Plan
from plans.templatetags.plan_text import counted
from reports import charts
from reports.pdf import render_pdf


def plan_filename(plan: Plan) -> str:
    """ "thanet-csp-plan-2015-16.pdf"."""
    return f"{plan.partnership.file_stem}-plan-{plan.slug}.pdf"


def _page_layout(outline: Outline) -> bool:
    """Whether the plan's tables need a landscape page: more than three columns."""
    plan = outline.plan
    ticks = max((len(p.other_priorities) for p in outline.priorities), default=0)
    columns = 1 + outline.action_columns + (ticks if plan.shows_impacts else 0)
    return columns > 3


def plan_document(plan: Plan, viewer) -> dict:
    """The plan as the partnership publishes it: cover, contents, sections, tables, appendices.

    The plan is the agreed text, so progress (an action's current status) is left out here;
    it belongs to the progress report.
    """
    actions = list(Action.objects.visible_to(viewer).filter(plan=plan).for_plan_page())
    outline = plan_outline(plan, actions=actions)
    return {
        "plan": plan,
        "partnership": plan.partnership,
        "outline": outline,
        "wide_tables": _page_layout(outline),
        "document_title": f"{plan.partnership.name}: {plan.title}",
        "running_header": _header(plan, plan.title),
        "produced_on": timezone.localdate(),
    }


def _header(plan: Plan, title: str) -> str:
    parts = [plan.partnership.name, title]
    if plan.document_status:
        parts.append(plan.document_status)
    return " · ".join(parts)


@dataclass
class AsAt:
    """The moment a progress report stands at: a day, and the update round it falls in."""

    day: datetime.date
    period: ReportingPeriod | None
    previous: ReportingPeriod | None
    by_period: bool
    recorded_by: datetime.datetime | None = None

    @property
    def slug(self) -> str:
        """What names the file: the round's slug ("q3") or the day ("2015-12-14")."""
        if self.by_period and self.period:
            return self.period.slug
        return self.day.isoformat()

    @property
    def label(self) -> str:
        """ "Q3 2015/16, as at 31 December 2015" or "as at 14 December 2015"."""
        day = f"{self.day:%-d %B %Y}"
        if self.by_period and self.period:
            return f"{self.period.name}, as at {day}"
        return f"as at {day}"

    @property
    def period_start(self) -> datetime.date | None:
        return self.period.start if self.period else None

    @property
    def since(self) -> datetime.date | None:
        """The end of the previous round: what "changed since" compares with."""
        return self.previous.end if self.previous else None

    @property
    def query(self) -> dict:
        """The URL parameters that ask for this report again."""
        params = {"period": self.period.slug} if self.by_period else {"on": self.day.isoformat()}
        if self.recorded_by:
            params["recorded"] = self.recorded_by.isoformat()
        return params


class NoSuchReport(Exception):
    """The report asked for cannot be made: an unknown round, or a day still to come."""


def as_at(
    plan: Plan,
    *,
    period_slug: str = "",
    day: datetime.date | None = None,
    recorded_by: datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> AsAt:
    """The report asked for: a round of the plan (as at its end, or today while it runs), a day,
    or by default the plan's current round (or today, or the plan's last day, if it has none).
    """
    today = today or timezone.localdate()
    periods = list(plan.reporting_periods.order_by("start"))
    by_period = bool(period_slug) or (day is None and bool(periods))
    if period_slug:
        period = next((p for p in periods if p.slug == period_slug), None)
        if period is None:
            raise NoSuchReport("This plan has no such reporting period.")
        if period.start > today:
            raise NoSuchReport("That reporting period has not started yet.")
        day = min(period.end, today)
    elif day is not None:
        if day > today:
            raise NoSuchReport("A progress report cannot be as at a day still to come.")
        period = ReportingPeriod.current_among(periods, day)
    else:
        period = ReportingPeriod.current_among(periods, today)
        day = min(period.end, today) if period else min(plan.period_end, today)
    previous = None
    if period is not None:
        earlier = [p for p in periods if p.start < period.start]
        previous = earlier[-1] if earlier else None
    return AsAt(day, period, previous, by_period, recorded_by)


def progress_filename(plan: Plan, moment: AsAt) -> str:
    """ "thanet-csp-progress-2015-16-q3.pdf"."""
    return f"{plan.partnership.file_stem}-progress-{plan.slug}-{moment.slug}.pdf"


def actions_as_at(plan: Plan, viewer, moment: AsAt):
    """The plan's actions the viewer may read, as they stood at the moment
    (ActionQuerySet.for_progress_report, given the moment's day and rounds)."""
    return (
        Action.objects.visible_to(viewer)
        .filter(plan=plan)
        .for_progress_report(
            moment.day,
            recorded_by=moment.recorded_by,
            since=moment.since,
            period_start=moment.period_start,
        )
    )


def progress_document(plan: Plan, viewer, moment: AsAt) -> dict:
    """The progress report: summary, a chart per priority, each action as it stood, the
    exceptions and what changed since the previous round."""
    actions = list(actions_as_at(plan, viewer, moment))
    updates = _latest_updates(actions, viewer)
    for action in actions:
        _describe(action, moment, updates)
    outline = plan_outline(plan, actions=actions)
    counts = Counter(a.status_as_at for a in actions)
    rags = Counter(a.rag_as_at for a in actions)
    rows = []
    for priority in outline.priorities:
        own = [a for issue in priority.issues.all() for a in issue.action_list]
        priority.counts = Counter(a.status_as_at for a in own)
        priority.action_total = len(own)
        priority.counts_text = charts.describe_counts(priority.counts)
        priority.chart_id = f"chart-priority-{priority.position}"
        if own:
            priority.chart = charts.status_chart(
                [(priority.title, priority.counts)],
                title=f"{priority.title}: {plan.action_label.lower()} by status",
                draw_labels=False,
            )
            rows.append((priority.title, priority.counts))
    changes = [a for a in actions if moment.since and a.status_since != a.status_as_at]
    return {
        "plan": plan,
        "partnership": plan.partnership,
        "outline": outline,
        "moment": moment,
        "actions": actions,
        "rag_summary": _describe_rags(rags),
        "summary_chart": charts.status_chart(
            rows, title=f"{plan.action_label} by status and {plan.priority_label.lower()}"
        )
        if rows
        else None,
        "opening": _opening(outline, charts.describe_counts(counts)),
        "exceptions": [a for a in actions if a.exception_reasons],
        "exception_groups": _exception_groups(actions, moment),
        "changes": changes,
        "updated_count": sum(1 for a in actions if getattr(a, "updated_in_period", False)),
        "document_title": f"{plan.partnership.name}: {plan.title}: progress {moment.label}",
        "running_header": _header(plan, f"{plan.title}: progress {moment.label}"),
        "produced_at": timezone.now(),
    }


def _latest_updates(actions: list[Action], viewer) -> dict[int, ActionUpdate]:
    """Each action's latest update as at the moment, by id, in one query."""
    ids = [a.update_id_as_at for a in actions if a.update_id_as_at]
    if not ids:
        return {}
    rows = (
        ActionUpdate.objects.visible_to(viewer)
        .filter(pk__in=ids)
        .select_related("author", "agency", "period")
    )
    return {u.pk: u for u in rows}


def _describe(action: Action, moment: AsAt, updates: dict[int, ActionUpdate]) -> None:
    """Give the action what the report prints: labels, its latest update, measures, exceptions."""
    action.short_title = _short(action.title)
    action.status_label = Status(action.status_as_at).label
    action.rag_label = Rag(action.rag_as_at).label if action.rag_as_at else ""
    action.latest = updates.get(action.update_id_as_at)
    action.previous_label = (
        Status(action.status_since).label if getattr(action, "status_since", None) else ""
    )
    action.overdue_as_at = (
        action.target_date is not None
        and action.target_date < moment.day
        and action.status_as_at not in CLOSED_STATUSES
    )
    action.measure_list = list(action.measures.all())
    for measure in action.measure_list:
        measure.progress_as_at = measure.progress(measure.value_as_at)
    action.not_updated_in_period = (
        moment.period is not None
        and action.status_as_at not in CLOSED_STATUSES
        and not action.updated_in_period
    )
    reasons = []
    if action.status_as_at in {Status.DELAYED, Status.AT_RISK}:
        reasons.append(action.status_label)
    if action.overdue_as_at:
        reasons.append(f"Overdue (target date {action.target_date:%-d %B %Y})")
    if action.not_updated_in_period:
        reasons.append(f"No update in {moment.period.name}")
    action.exception_reasons = reasons


@dataclass
class ExceptionGroup:
    title: str
    actions: list[Action]
    detail: bool = False


def _exception_groups(actions: list[Action], moment: AsAt) -> list[ExceptionGroup]:
    """The exceptions by kind, each kind listing its actions in plan order (an action may be
    in more than one)."""
    groups = [
        ExceptionGroup("Delayed", [a for a in actions if a.status_as_at == Status.DELAYED]),
        ExceptionGroup("At risk", [a for a in actions if a.status_as_at == Status.AT_RISK]),
        ExceptionGroup(
            f"Past their target date by {moment.day:%-d %B %Y}",
            [a for a in actions if a.overdue_as_at],
            detail=True,
        ),
    ]
    if moment.period is not None:
        groups.append(
            ExceptionGroup(
                f"No update in {moment.period.name}",
                [a for a in actions if a.not_updated_in_period],
                detail=True,
            )
        )
    return [g for g in groups if g.actions]


def _opening(outline: Outline, status_summary: str) -> str:
    """The sentence a scrutiny report opens with, in the plan's own words: "Of the 4
    priorities, there are 12 emerging issues with 30 proposed actions: 5 on track and …"."""
    plan = outline.plan
    mains, themes = len(outline.main_priorities), len(outline.cross_cutting)
    text = f"Of the {mains} {counted(plan.priority_label, mains)}"
    if themes:
        text += f" and {themes} cross-cutting {'theme' if themes == 1 else 'themes'}"
    if not outline.action_count:
        nothing = f"there are no {counted(plan.action_label, 2)} to report on."
        return f"{text}, {nothing}" if mains or themes else nothing.capitalize()
    issues, actions = outline.issue_count, outline.action_count
    verb = "is" if issues == 1 else "are"
    return (
        f"{text}, there {verb} {issues} {counted(plan.issue_label, issues)} with {actions} "
        f"{counted(plan.action_label, actions)}: {status_summary}."
    )


def _short(title: str, words: int = 16) -> str:
    """An action's title for a list: its first line, at most `words` words, no end stop."""
    line = title.strip().splitlines()[0] if title.strip() else ""
    parts = line.split()
    text = " ".join(parts[:words]).rstrip(".;:,")
    return f"{text} …" if len(parts) > words else text


def _describe_rags(rags: Counter) -> str:
    """ "4 green, 1 amber and 25 not yet rated"."""
    parts = [f"{rags[r]} {r.label.lower()}" for r in Rag if rags.get(r)]
    if rags.get(""):
        parts.append(f"{rags['']} not yet rated")
    return get_text_list(parts, "and")


def plan_pdf(plan: Plan, viewer, *, before_layout=None) -> bytes:
    """The plan document as the viewer may read it, as a PDF (laid out once per content)."""
    context = plan_document(plan, viewer)
    return render_pdf("reports/plan_document.html", context, before_layout=before_layout)


def progress_pdf(plan: Plan, viewer, moment: AsAt, *, before_layout=None) -> bytes:
    """The progress report as at the moment, as the viewer may read it, as a PDF."""
    context = progress_document(plan, viewer, moment)
    return render_pdf("reports/progress_document.html", context, before_layout=before_layout)


# Meeting documents: the minutes, and the agenda pack with its papers.


def meeting_stem(meeting: Meeting) -> str:
    """ "thanet-csp-2015-12-14": the partnership and the day, for file names."""
    return f"{meeting.body.partnership.file_stem}-{meeting.date:%Y-%m-%d}"


def _meeting_header(record, what: str, *, restricted: bool = False) -> str:
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
        "running_header": _meeting_header(record, label),
        "restricted": record.has_restricted,
    }


def minutes_filename(meeting: Meeting) -> str:
    """ "thanet-csp-2015-12-14-minutes.pdf"."""
    return f"{meeting_stem(meeting)}-{meeting.record_label.lower()}.pdf"


def minutes_pdf(meeting: Meeting, viewer, *, before_layout=None, on_restricted=None) -> bytes:
    """The minutes (or notes) of a meeting as the viewer may read them, as a PDF;
    `on_restricted()` is called when what the viewer gets holds restricted items."""
    record = meeting_pages.meeting_record(meeting, viewer)
    context = minutes_context(record)
    content = render_pdf("reports/minutes.html", context, before_layout=before_layout)
    if context["restricted"] and on_restricted is not None:
        on_restricted()
    return content


@dataclass
class Paper:
    """A paper attached to an agenda item: rendered to HTML from its own template, or an
    uploaded PDF (`pdf`, its own pages as they are)."""

    item: object
    title: str
    html: SafeString | None = None
    restricted: bool = False
    pdf: bytes | None = None
    first_page: int = 0
    last_page: int = 0


def minutes_paper(item, minutes: meeting_pages.MinutesRecord) -> Paper:
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


def progress_paper(item, plan: Plan, viewer, day, *, ids: str = "", title: str = "") -> Paper:
    """The plan's progress report as at the day, from the scrutiny documents (each report
    reads its plan in its own queries: progress_document)."""
    moment = as_at(plan, day=day)
    context = progress_document(plan, viewer, moment)
    # A pack may attach several reports: each one's section ids are its own.
    context["ids"] = ids or f"paper-{item.pk}-"
    html = render_to_string("reports/_progress_report.html", context)
    return Paper(item, title or f"{plan.title}: progress {moment.label}", html)


def _uploaded_paper(item, paper) -> Paper:
    """An uploaded PDF, read from the storage it was kept in."""
    with paper.file.open("rb") as stored:
        content = stored.read()
    return Paper(item, paper.title, pdf=content)


def attached_papers(record, viewer) -> list[Paper]:
    """The papers of the agenda's items, in agenda order: those the meeting page links
    (meetings.pages.attach_papers), every earlier meeting's minutes read together."""
    day = min(record.meeting.date, timezone.localdate())
    earlier = [item.minutes_paper for item in record.agenda if item.minutes_paper]
    minutes = meeting_pages.minutes_records(earlier, viewer)
    papers = []
    for item in record.agenda:
        if item.minutes_paper:
            papers.append(minutes_paper(item, minutes[item.minutes_paper.pk]))
        if item.progress_paper:
            papers.append(progress_paper(item, item.progress_paper, viewer, day))
        for paper in item.paper_list:
            if paper.is_upload:
                papers.append(_uploaded_paper(item, paper))
            else:
                ids = f"paper-{item.pk}-{paper.pk}-"
                papers.append(
                    progress_paper(
                        item, paper.plan, viewer, paper.as_at, ids=ids, title=paper.title
                    )
                )
    return papers


def agenda_context(meeting: Meeting, viewer) -> dict:
    """The agenda pack's front: the agenda, with the papers it is followed by."""
    record = meeting_pages.meeting_record(meeting, viewer)
    papers = attached_papers(record, viewer)
    restricted = any(paper.restricted for paper in papers)
    return {
        "record": record,
        "meeting": meeting,
        "body": meeting.body,
        "partnership": meeting.body.partnership,
        "papers": papers,
        "document_title": f"{meeting.body.name}: agenda, {meeting.date:%-d %B %Y}",
        "running_header": _meeting_header(record, "agenda", restricted=restricted),
        "restricted": record.has_restricted or restricted,
    }


def agenda_filename(meeting: Meeting) -> str:
    """ "thanet-csp-2015-12-14-agenda.pdf"."""
    return f"{meeting_stem(meeting)}-agenda.pdf"


def _pages(first: int, last: int) -> str:
    return f"Page {first}" if first == last else f"Pages {first} - {last}"


def _number_pack(context: dict, agenda_pages: int, counts: list[int]) -> None:
    """Give each paper the pages it takes in the pack after an agenda of `agenda_pages`, and
    each agenda item with papers `pack_pages`, from its first paper's first page to its last
    paper's last ("Pages 7 - 10")."""
    page = agenda_pages + 1
    for paper, count in zip(context["papers"], counts, strict=True):
        paper.first_page, paper.last_page = page, page + count - 1
        page += count
    spans: dict[int, tuple[int, int]] = {}
    for paper in context["papers"]:
        first, last = spans.get(paper.item.pk, (paper.first_page, paper.last_page))
        spans[paper.item.pk] = (min(first, paper.first_page), max(last, paper.last_page))
    for item in context["record"].agenda:
        item.pack_pages = _pages(*spans[item.pk]) if item.pk in spans else ""


def _paper_pdf(paper: Paper, context: dict, first_page: int, before_layout=None) -> bytes:
    if paper.pdf is not None:
        return paper.pdf
    paper_context = {**context, "paper": paper, "first_page": first_page}
    paper_context["document_title"] = f"{paper.title} – {context['document_title']}"
    return render_pdf("reports/agenda_paper.html", paper_context, before_layout=before_layout)


#: How many times the agenda is laid out again when the real page ranges change its length.
AGENDA_LAYOUTS = 4


def agenda_pdf(meeting: Meeting, viewer, *, before_layout=None, on_restricted=None) -> bytes:
    """The agenda pack as the viewer may read it, as one PDF: the agenda, then each paper's
    pages (an uploaded PDF's as they are, the others numbered as pages of the pack), and the
    agenda prints the pages each item's papers really take. Papers of restricted items, and
    papers the viewer may not read, are not in it. Each fresh layout is one `before_layout()`
    (the rate limit) and is checked against the time budget; `on_restricted()` is called
    when what the viewer gets holds restricted items."""
    context = agenda_context(meeting, viewer)
    papers = context["papers"]
    agenda_pages = 1
    parts: list[bytes] = []
    for _ in range(AGENDA_LAYOUTS):
        # Laid out from the agenda's length: each generated paper numbers its pages from
        # where it starts in the pack.
        parts, counts = [], []
        page = agenda_pages + 1
        for paper in papers:
            content = _paper_pdf(paper, context, page, before_layout)
            parts.append(content)
            counts.append(page_count(content))
            page += counts[-1]
        _number_pack(context, agenda_pages, counts)
        agenda = render_pdf("reports/agenda_pack.html", context, before_layout=before_layout)
        laid_out = page_count(agenda)
        if laid_out == agenda_pages:
            break
        agenda_pages = laid_out
    if context["restricted"] and on_restricted is not None:
        on_restricted()
    return merge([agenda, *parts]) if parts else agenda


def public_report_day(plan: Plan, day: datetime.date) -> datetime.date:
    """The day a public reader's progress report stands at when they ask for `day`: the end
    of the latest round that had ended by then, else the first of that month. A reader who
    is not a member thus meets a handful of documents a year, each laid out once, however
    many dates are asked for."""
    ended = [p.end for p in plan.reporting_periods.all() if p.end <= day]
    return max(ended) if ended else day.replace(day=1)
