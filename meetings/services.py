"""Every change to bodies, meetings, agendas, attendance, minutes and actions arising."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from csp_tracker.editing import (
    UNCHANGED,
    delete_with_history,
    given,
    locked_at_version,
    next_number,
    save_with_history,
    set_fields,
)
from meetings.models import (
    AgendaItem,
    Attendance,
    Body,
    Declaration,
    Meeting,
    MeetingAction,
    Minute,
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


@transaction.atomic
def record_attendance(
    *, meeting, kind, by, person=None, name="", role="", description=""
) -> Attendance:
    """Record someone at a meeting: present (perhaps in the chair), in attendance, apologies.

    Give the `person`, or their `name` as the minutes print it.
    """
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
    return save_with_history(attendance, by)


@transaction.atomic
def remove_attendance(*, attendance, by) -> None:
    """Take a person off a meeting's attendance (the history keeps the row)."""
    delete_with_history(attendance, by)


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


def _check_citations(body, priorities, actions) -> None:
    """A minute cites the plans of its body's partnership (a county's, also its districts')."""
    allowed = {body.partnership_id}
    allowed |= set(body.partnership.members.values_list("pk", flat=True))
    for cited in [*priorities, *actions]:
        if cited.plan.partnership_id not in allowed:
            raise ValidationError(
                {"actions": f"“{cited}” belongs to a plan of another partnership."}
            )


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
) -> Minute:
    """Add a minute to a meeting, numbered next in its body's municipal year unless told.

    A minute of a restricted agenda item is restricted too.
    """
    body = Body.objects.select_for_update().get(pk=meeting.body_id)  # one number at a time
    year = body.municipal_year(meeting.date)
    _check_citations(body, priorities, actions)
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
    save_with_history(minute, by)
    if priorities or actions:
        minute._history_user = by
        minute.priorities.set(priorities)
        minute.actions.set(actions)
    return minute


MINUTE_FIELDS = ("number", "item_code", "title", "discussion", "resolution", "restricted")


@transaction.atomic
def edit_minute(*, minute, by, version: int, priorities=None, actions=None, **changes) -> Minute:
    """Change a minute (and what it cites); refused with StaleEdit if it changed since
    `version`."""
    locked = locked_at_version(
        Minute.objects.select_related("meeting"),
        pk=minute.pk,
        version=version,
        name="minute",
        what="the minute",
        unknown="The minute was changed.",
    )
    set_fields(locked, changes, MINUTE_FIELDS)
    locked.item_code = locked.item_code.strip().upper()
    locked.restricted = locked.restricted or _restricted_item(locked.meeting, locked.item_code)
    _check_citations(locked.body, priorities or (), actions or ())
    locked.version += 1
    save_with_history(locked, by)
    locked._history_user = by
    if priorities is not None:
        locked.priorities.set(priorities)
    if actions is not None:
        locked.actions.set(actions)
    return locked


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
