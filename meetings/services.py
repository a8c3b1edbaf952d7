"""Every change to bodies, meetings, agendas, attendance, minutes and actions arising."""

import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from csp_tracker import permissions
from csp_tracker.editing import (
    UNCHANGED,
    delete_with_history,
    given,
    locked_at_version,
    next_number,
    save_with_history,
    set_fields,
)
from csp_tracker.pdfs import NotAPdf, page_count
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
    MinuteNumbering,
    Person,
    year_label,
)


@transaction.atomic
def create_body(
    *,
    partnership,
    name,
    kind,
    description="",
    chair_label="Chair",
    year_starts=5,
    dates_with_weekday=False,
    by=None,
) -> Body:
    """Register a group of the partnership that meets."""
    body = Body(
        partnership=partnership,
        name=name,
        kind=kind,
        description=description,
        chair_label=chair_label,
        year_starts=year_starts,
        dates_with_weekday=dates_with_weekday,
    )
    return save_with_history(body, by)


@transaction.atomic
def set_minute_numbering(*, body, year: int, first_number: int, by) -> MinuteNumbering:
    """Set where the body's minute numbers start in a municipal year.

    Refused when a minute of that year already has a lower number: the numbers run on.
    """
    lower = (
        Minute.objects.filter(body=body, municipal_year=year, number__lt=first_number)
        .order_by("number")
        .first()
    )
    if lower is not None:
        raise ValidationError(
            {
                "first_number": f"Minute {lower.number} of {year_label(year)} is already "
                f"numbered; minutes of the year cannot start after it."
            }
        )
    numbering = MinuteNumbering.objects.select_for_update().filter(body=body, year=year).first()
    if numbering is None:
        numbering = MinuteNumbering(body=body, year=year, first_number=first_number)
    else:
        numbering.first_number = first_number
    return save_with_history(numbering, by)


def next_minute_number(body, year: int) -> int:
    """The number the body's next minute of the municipal year takes: one after the last,
    or where the coordinator set the year to start, or 1."""
    last = Minute.objects.filter(body=body, municipal_year=year).aggregate(last=Max("number"))
    if last["last"] is not None:
        return last["last"] + 1
    numbering = MinuteNumbering.objects.filter(body=body, year=year).first()
    return numbering.first_number if numbering else 1


@transaction.atomic
def schedule_meeting(
    *,
    body,
    date: datetime.date,
    by,
    start_time=None,
    venue="",
    status=Meeting.Status.SCHEDULED,
    concluded_at=None,
    record_label="Minutes",
    contact="",
    agenda_notes="",
    source="",
) -> Meeting:
    """Record a meeting of a body (to come, or already held)."""
    meeting = Meeting(
        body=body,
        date=date,
        start_time=start_time,
        venue=venue,
        status=status,
        concluded_at=concluded_at,
        record_label=record_label,
        contact=contact,
        agenda_notes=agenda_notes,
        source=source,
    )
    return save_with_history(meeting, by)


MEETING_FIELDS = (
    "date",
    "start_time",
    "venue",
    "status",
    "concluded_at",
    "record_label",
    "contact",
    "agenda_notes",
)


@transaction.atomic
def edit_meeting(*, meeting, by, version: int, **changes) -> Meeting:
    """Change a meeting's details; refused with StaleEdit if it changed since `version`."""
    locked = locked_at_version(
        Meeting.objects.select_related("body"),
        pk=meeting.pk,
        version=version,
        name="meeting",
        what="the meeting",
        unknown="The meeting was changed.",
    )
    year_before = locked.municipal_year
    set_fields(locked, changes, MEETING_FIELDS)
    if locked.minutes_approved and locked.status != Meeting.Status.HELD:
        raise ValidationError(
            {"status": f"{_approved(locked)}: the meeting was held, and stays recorded as held."}
        )
    if locked.municipal_year != year_before and locked.minutes.exists():
        raise ValidationError(
            {
                "date": "Its minutes are numbered in "
                f"{year_label(year_before)}; a date in another municipal year would break the "
                "numbering."
            }
        )
    locked.version += 1
    return save_with_history(locked, by)


def _meeting_at(meeting, version) -> Meeting:
    """The meeting, locked; StaleEdit if it changed since `version` (UNCHANGED skips)."""
    if not given(version):
        return Meeting.objects.select_for_update().get(pk=meeting.pk)
    return locked_at_version(
        Meeting.objects,
        pk=meeting.pk,
        version=version,
        name="meeting",
        what="the meeting",
        unknown="The meeting was changed.",
    )


@transaction.atomic
def publish_meeting(
    *, meeting, by, when: datetime.datetime | None = None, version=UNCHANGED
) -> Meeting:
    """Make a meeting public: its agenda, attendance, minutes and actions arising (never its
    restricted items). Refused with StaleEdit if its details changed since `version` (the
    version counts edits of the meeting; publishing is not one, so an open edit form stays
    good)."""
    locked = _meeting_at(meeting, version)
    if locked.is_published:
        raise ValidationError("The meeting is already published.")
    locked.published_at = when or timezone.now()
    return save_with_history(locked, by, reason="Published")


@transaction.atomic
def withdraw_meeting(*, meeting, by, reason: str, version=UNCHANGED) -> Meeting:
    """Take a meeting back from the public, for the reason given (kept in its history).
    Refused with StaleEdit if it changed since `version`."""
    locked = _meeting_at(meeting, version)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the meeting is being withdrawn."})
    if not locked.is_published:
        raise ValidationError("The meeting is not published.")
    locked.published_at = None
    return save_with_history(locked, by, reason=reason.strip())


def find_person(partnership, name: str) -> Person | None:
    """The partnership's person of this name (case and spacing ignored)."""
    wanted = " ".join(name.split())
    return Person.objects.filter(partnership=partnership, name__iexact=wanted).first()


@transaction.atomic
def add_person(*, partnership, name, job_title="", agency=None, user=None, by=None) -> Person:
    """Name someone who attends the partnership's meetings (they need not be a user)."""
    person = Person(
        partnership=partnership,
        name=" ".join(name.split()),
        job_title=job_title,
        agency=agency,
        user=user,
    )
    return save_with_history(person, by)


def find_or_add_person(*, partnership, name, job_title="", agency=None, by=None) -> Person:
    """The partnership's person of this name, added on first mention."""
    return find_person(partnership, name) or add_person(
        partnership=partnership, name=name, job_title=job_title, agency=agency, by=by
    )


def _named(meeting, person, name: str, *, by, field: str, missing: str = "") -> Person | None:
    """The person given, or the partnership's person of that name (added on first mention).

    Refused (on `field`) if they are named in another partnership, or if nobody is named and
    `missing` says whom to name; without `missing`, nobody named is None.
    """
    if person is None and name.strip():
        person = find_or_add_person(partnership=meeting.body.partnership, name=name, by=by)
    if person is None and missing:
        raise ValidationError({field: missing})
    if person is not None and person.partnership_id != meeting.body.partnership_id:
        raise ValidationError({field: "That person is named in another partnership."})
    return person


def person_for_member(*, partnership, user, by=None) -> Person:
    """The partnership's person who is this user: the one linked to them, or one of their
    name (then linked), or a new one named as their account names them."""
    person = Person.objects.filter(partnership=partnership, user=user).first()
    if person is not None:
        return person
    name = user.get_full_name() or user.get_username()
    person = find_person(partnership, name)
    if person is not None and person.user_id is None:
        person.user = user
        return save_with_history(person, by, reason="Linked to the member's account")
    if person is not None:
        name = f"{name} ({user.get_username()})"
    membership = permissions.membership(user, partnership.pk)
    agency = membership.agency if membership is not None else None
    return add_person(partnership=partnership, name=name, agency=agency, user=user, by=by)


@transaction.atomic
def record_attendance(
    *,
    meeting,
    kind,
    by,
    person=None,
    member=None,
    name="",
    role="",
    description="",
    correction: str = "",
) -> Attendance:
    """Record someone at a meeting: present (perhaps in the chair), in attendance, apologies.

    Give the `person`, a `member` of the partnership (a user), or their `name` as the minutes
    print it. The attendance is part of the minutes: once they are approved, it changes only
    by a correction, with its `correction` reason.
    """
    meeting = Meeting.objects.select_related("body__partnership").get(pk=meeting.pk)
    reason = _correction_reason(meeting, correction)
    partnership = meeting.body.partnership
    if member is not None:
        if member.memberships.filter(partnership=partnership).exists():
            person = person_for_member(partnership=partnership, user=member, by=by)
        else:
            raise ValidationError({"person": "That person is not a member of the partnership."})
    person = _named(meeting, person, name, by=by, field="person", missing="Name the person.")
    if Attendance.objects.filter(meeting=meeting, person=person).exists():
        raise ValidationError({"person": f"{person} is already recorded at this meeting."})
    attendance = Attendance(
        meeting=meeting,
        person=person,
        kind=kind,
        role=role,
        description=description,
        position=next_number(Attendance.objects.filter(meeting=meeting)),
    )
    save_with_history(attendance, by, reason=f"Correction: {reason}" if reason else "")
    if reason:
        change = f"Attendance: {person.name} added ({attendance.get_kind_display().lower()})"
        _record_correction(meeting=meeting, minute=None, change=change, reason=reason, by=by)
    return attendance


@transaction.atomic
def remove_attendance(*, attendance, by, correction: str = "") -> None:
    """Take a person off a meeting's attendance (the history keeps the row); once the minutes
    are approved, only by a correction with its `correction` reason."""
    meeting = Meeting.objects.get(pk=attendance.meeting_id)
    reason = _correction_reason(meeting, correction)
    delete_with_history(attendance, by, reason=f"Correction: {reason}" if reason else "")
    if reason:
        change = f"Attendance: {attendance.person.name} removed"
        _record_correction(meeting=meeting, minute=None, change=change, reason=reason, by=by)


def _check_papers(meeting, paper_plan, paper_meeting) -> None:
    errors = {}
    partnership_id = meeting.body.partnership_id
    if paper_plan is not None and paper_plan.partnership_id != partnership_id:
        errors["paper_plan"] = "The plan belongs to another partnership."
    if paper_meeting is not None and (
        paper_meeting.body_id != meeting.body_id or paper_meeting.date >= meeting.date
    ):
        errors["paper_meeting"] = "Attach the minutes of an earlier meeting of the same body."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_agenda_item(
    *,
    meeting,
    title,
    by,
    code="",
    section="",
    presenter="",
    pages="",
    notes="",
    restricted=False,
    paper_plan=None,
    paper_meeting=None,
) -> AgendaItem:
    """Add an item at the end of a meeting's agenda."""
    _check_papers(meeting, paper_plan, paper_meeting)
    item = AgendaItem(
        meeting=meeting,
        position=next_number(AgendaItem.objects.filter(meeting=meeting)),
        section=section,
        code=code.strip().upper(),
        title=title,
        presenter=presenter,
        pages=pages,
        notes=notes,
        restricted=restricted,
        paper_plan=paper_plan,
        paper_meeting=paper_meeting,
    )
    return save_with_history(item, by)


def _restricted_item(meeting, item_code: str) -> bool:
    """Whether the agenda item of that code is restricted: what is said about it is too."""
    if not item_code:
        return False
    return AgendaItem.objects.filter(
        meeting=meeting, code=item_code.strip().upper(), restricted=True
    ).exists()


def _check_citations(body, priorities, actions, by=None) -> None:
    """A minute cites the plans of its body's partnership (a county's, also its districts')
    that whoever records it may read (permissions.visible_plans)."""
    allowed = {body.partnership_id}
    allowed |= set(body.partnership.members.values_list("pk", flat=True))
    cited = [*priorities, *actions]
    readable = None
    if by is not None and cited:
        plan_ids = {row.plan_id for row in cited}
        readable = set(
            permissions.visible_plans(by).filter(pk__in=plan_ids).values_list("pk", flat=True)
        )
    for field, rows in (("priorities", priorities), ("actions", actions)):
        for row in rows:
            if row.plan.partnership_id not in allowed:
                raise ValidationError({field: f"“{row}” belongs to a plan of another partnership."})
            if readable is not None and row.plan_id not in readable:
                raise ValidationError({field: f"“{row}” belongs to a plan you cannot read."})


def _approved(meeting) -> str:
    """How the meeting's approved minutes are described in a refusal ("" if not approved)."""
    if not meeting.minutes_approved:
        return ""
    when = timezone.localtime(meeting.minutes_approved_at)
    return f"The {meeting.record_label.lower()} were approved on {when:%-d %B %Y}"


def _correction_reason(meeting, correction: str) -> str:
    """The reason for a change to approved minutes; refused without one. "" if not approved."""
    approved = _approved(meeting)
    if not approved:
        return ""
    reason = correction.strip()
    if not reason:
        raise ValidationError(
            {
                "correction": f"{approved}: they change only by a correction. Say why "
                "this correction is made."
            }
        )
    return reason


def _record_correction(*, meeting, minute, change: str, reason: str, by) -> MinuteCorrection:
    correction = MinuteCorrection(
        meeting=meeting,
        minute=minute,
        change=change[:500],
        reason=reason,
        made_by=by,
        restricted=minute.restricted if minute else False,
    )
    correction.full_clean()
    correction.save()
    return correction


@transaction.atomic
def record_minute(
    *,
    meeting,
    title,
    by,
    number: int | None = None,
    item_code="",
    discussion="",
    resolution="",
    restricted=False,
    priorities=(),
    actions=(),
    correction: str = "",
) -> Minute:
    """Add a minute to a meeting, numbered next in its body's municipal year unless told.

    A minute of a restricted agenda item is restricted too. Once the meeting's minutes are
    approved, a minute is added only as a correction, with its `correction` reason.
    """
    body = Body.objects.select_for_update().get(pk=meeting.body_id)  # one number at a time
    meeting = Meeting.objects.get(pk=meeting.pk)
    reason = _correction_reason(meeting, correction)
    year = body.municipal_year(meeting.date)
    _check_citations(body, list(priorities), list(actions), by)
    minute = Minute(
        meeting=meeting,
        body=body,
        municipal_year=year,
        number=number if number is not None else next_minute_number(body, year),
        item_code=item_code.strip().upper(),
        title=title,
        discussion=discussion,
        resolution=resolution,
        restricted=restricted or _restricted_item(meeting, item_code),
    )
    save_with_history(minute, by, reason=f"Correction: {reason}" if reason else "")
    if priorities or actions:
        minute._history_user = by
        minute.priorities.set(priorities)
        minute.actions.set(actions)
    if reason:
        change = f"Minute {minute.number} added"
        _record_correction(meeting=meeting, minute=minute, change=change, reason=reason, by=by)
    return minute


MINUTE_FIELDS = ("number", "item_code", "title", "discussion", "resolution", "restricted")

#: How a correction names each field of a minute it changed.
MINUTE_FIELD_NAMES = {
    "number": "number",
    "item_code": "agenda item",
    "title": "title",
    "discussion": "discussion",
    "resolution": "RESOLVED",
    "restricted": "restriction",
    "priorities": "priorities discussed",
    "actions": "plan actions discussed",
}


@transaction.atomic
def edit_minute(
    *, minute, by, version: int, priorities=None, actions=None, correction: str = "", **changes
) -> Minute:
    """Change a minute (and what it cites); refused with StaleEdit if it changed since
    `version`. Once the meeting's minutes are approved, a change is a correction: refused
    without its `correction` reason, and recorded with who made it and when."""
    locked = locked_at_version(
        Minute.objects.select_related("meeting", "body__partnership"),
        pk=minute.pk,
        version=version,
        name="minute",
        what="the minute",
        unknown="The minute was changed.",
    )
    reason = _correction_reason(locked.meeting, correction)
    before = {name: getattr(locked, name) for name in MINUTE_FIELDS}
    cited_before = {
        "priorities": set(locked.priorities.values_list("pk", flat=True)),
        "actions": set(locked.actions.values_list("pk", flat=True)),
    }
    set_fields(locked, changes, MINUTE_FIELDS)
    locked.item_code = locked.item_code.strip().upper()
    locked.restricted = locked.restricted or _restricted_item(locked.meeting, locked.item_code)
    _check_citations(locked.body, list(priorities or ()), list(actions or ()), by)
    changed = [name for name in MINUTE_FIELDS if getattr(locked, name) != before[name]]
    for name, given_rows in (("priorities", priorities), ("actions", actions)):
        if given_rows is not None and {row.pk for row in given_rows} != cited_before[name]:
            changed.append(name)
    if reason and not changed:
        raise ValidationError({"correction": "Nothing was changed: there is nothing to correct."})
    locked.version += 1
    save_with_history(locked, by, reason=f"Correction: {reason}" if reason else "")
    locked._history_user = by
    if priorities is not None:
        locked.priorities.set(priorities)
    if actions is not None:
        locked.actions.set(actions)
    if reason:
        what = ", ".join(MINUTE_FIELD_NAMES[name] for name in changed)
        change = f"Minute {locked.number}: {what} corrected"
        _record_correction(
            meeting=locked.meeting, minute=locked, change=change, reason=reason, by=by
        )
    return locked


@transaction.atomic
def approve_minutes(
    *, meeting, by, when: datetime.datetime | None = None, version=UNCHANGED
) -> Meeting:
    """Approve a meeting's minutes as a true record, naming who approved them and when; from
    then on they change only by a recorded correction. Refused with StaleEdit if the meeting
    changed since `version`."""
    locked = _meeting_at(meeting, version)
    if locked.minutes_approved:
        raise ValidationError(f"{_approved(locked)}.")
    if locked.status != Meeting.Status.HELD:
        raise ValidationError(
            f"Only the {locked.record_label.lower()} of a meeting that was held can be approved."
        )
    if not locked.minutes.exists():
        raise ValidationError(
            f"There are no {locked.record_label.lower()} to approve: add a minute first."
        )
    locked.minutes_approved_at = when or timezone.now()
    locked.minutes_approved_by = by
    return save_with_history(locked, by, reason=f"{locked.record_label} approved")


# Papers: what an agenda item attaches, in the pack after the agenda.


def max_paper_bytes() -> int:
    return settings.MEETING_PAPER_MAX_MB * 1024 * 1024


def _paper_title(title: str, filename: str) -> str:
    return " ".join(title.split()) or PurePath(filename).stem.replace("_", " ")[:300] or "Paper"


@transaction.atomic
def upload_paper(*, item, by, upload, title: str = "") -> AgendaPaper:
    """Attach an uploaded PDF to an agenda item: refused unless its bytes are a readable PDF
    within the size limit. Kept through the default storage under a name of its own."""
    limit = max_paper_bytes()
    if upload.size > limit:
        size = upload.size / (1024 * 1024)
        raise ValidationError(
            {
                "file": f"The file is {size:.1f} MB: a paper must be smaller than "
                f"{settings.MEETING_PAPER_MAX_MB} MB."
            }
        )
    content = b"".join(upload.chunks())
    try:
        pages = page_count(content)
    except NotAPdf as refused:
        raise ValidationError({"file": f"{refused} Choose a PDF file."}) from None
    filename = PurePath(upload.name or "paper.pdf").name[:200]
    if not filename.lower().endswith(".pdf"):
        filename = f"{PurePath(filename).stem or 'paper'}.pdf"
    paper = AgendaPaper(
        item=item,
        position=next_number(AgendaPaper.objects.filter(item=item)),
        kind=AgendaPaper.Kind.UPLOAD,
        title=_paper_title(title, filename),
        filename=filename,
        page_count=pages,
        size=len(content),
    )
    paper.file.save(filename, ContentFile(content), save=False)
    try:
        return save_with_history(paper, by)
    except Exception:
        paper.file.delete(save=False)
        raise


def progress_plans(meeting, user):
    """The plans whose progress report a meeting's paper may be: the body's partnership's (a
    county's, also its districts'), that the user may read."""
    partnership = meeting.body.partnership
    ids = [partnership.pk, *partnership.members.values_list("pk", flat=True)]
    return permissions.visible_plans(user).filter(partnership_id__in=ids)


@transaction.atomic
def attach_progress_report(*, item, by, plan, as_at: datetime.date, title="") -> AgendaPaper:
    """Attach the plan's progress report as at a day to an agenda item."""
    errors = {}
    if not progress_plans(item.meeting, by).filter(pk=plan.pk).exists():
        errors["plan"] = "Choose a plan of this partnership."
    if as_at > timezone.localdate():
        errors["as_at"] = "A progress report cannot be as at a day still to come."
    elif as_at < plan.period_start:
        errors["as_at"] = f"The plan starts on {plan.period_start:%-d %B %Y}: choose a day after."
    if errors:
        raise ValidationError(errors)
    paper = AgendaPaper(
        item=item,
        position=next_number(AgendaPaper.objects.filter(item=item)),
        kind=AgendaPaper.Kind.PROGRESS_REPORT,
        title=" ".join(title.split()) or f"{plan.title}: progress as at {as_at:%-d %B %Y}",
        plan=plan,
        as_at=as_at,
    )
    return save_with_history(paper, by)


@transaction.atomic
def remove_paper(*, paper, by) -> None:
    """Take a paper off its agenda item (the history keeps the row, the storage its file)."""
    delete_with_history(paper, by)


@transaction.atomic
def record_declaration(
    *,
    meeting,
    interest,
    by,
    person=None,
    name="",
    kind=Declaration.Kind.VOLUNTARY,
    item_code="",
    restricted=False,
) -> Declaration:
    """Record a declaration of interest (by the `person`, or by `name`); one about a
    restricted item is restricted too."""
    person = _named(meeting, person, name, by=by, field="person", missing="Name who declared it.")
    declaration = Declaration(
        meeting=meeting,
        person=person,
        kind=kind,
        interest=interest,
        item_code=item_code.strip().upper(),
        restricted=restricted or _restricted_item(meeting, item_code),
    )
    return save_with_history(declaration, by)


@transaction.atomic
def add_meeting_action(
    *,
    meeting,
    description,
    by,
    minute=None,
    owner=None,
    owner_name="",
    owner_wording="",
    due_date=None,
    restricted=False,
) -> MeetingAction:
    """Record an action arising from a meeting; it stays open until recorded as done.

    Its owner is a person (`owner`, or `owner_name`) or words (`owner_wording`). An action
    arising from a restricted minute is restricted too.
    """
    if minute is not None and minute.meeting_id != meeting.pk:
        raise ValidationError({"minute": "The minute belongs to another meeting."})
    owner = _named(meeting, owner, owner_name, by=by, field="owner")
    action = MeetingAction(
        meeting=meeting,
        minute=minute,
        description=description,
        owner=owner,
        owner_wording=owner_wording,
        due_date=due_date,
        restricted=restricted or bool(minute and minute.restricted),
    )
    return save_with_history(action, by)


@transaction.atomic
def record_action_done(
    *,
    action,
    by,
    outcome: str,
    version: int,
    at_meeting=None,
    on: datetime.date | None = None,
) -> MeetingAction:
    """Record an action arising as done: at a later meeting of its body (matters arising), or
    on a day in between. Refused with StaleEdit if it changed since `version`."""
    locked = locked_at_version(
        MeetingAction.objects.select_related("meeting"),
        pk=action.pk,
        version=version,
        name="action arising",
        what="the action arising",
        unknown="The action arising was changed.",
    )
    errors = {}
    if locked.status == MeetingAction.Status.DONE:
        errors["outcome"] = "This action arising is already recorded as done."
    if not outcome.strip():
        errors["outcome"] = "Say what was done."
    if at_meeting is not None and (
        at_meeting.body_id != locked.meeting.body_id or at_meeting.date <= locked.meeting.date
    ):
        errors["at_meeting"] = "Record it at a later meeting of the same body."
    if errors:
        raise ValidationError(errors)
    locked.status = MeetingAction.Status.DONE
    locked.outcome = outcome.strip()
    locked.closed_at_meeting = at_meeting
    locked.closed_on = at_meeting.date if at_meeting else (on or timezone.localdate())
    locked.version += 1
    return save_with_history(locked, by)
