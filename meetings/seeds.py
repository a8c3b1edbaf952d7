"""Load the seeded meetings (fixtures/seeds/*.json, shape in fixtures/README.md) through the
services, after the plans they cite. Idempotent: a body, person or meeting already there is
reused and left as it is."""

import datetime

from django.db import transaction

from actions.models import Action
from meetings import services
from meetings.models import Body, Meeting
from plans.models import Partnership, Plan, Priority
from plans.seeds import read_seed, seed_date

#: In date order within a body, so that a meeting's papers (earlier minutes) exist first.
SEED_FILES = [
    "thanet-working-party-2015-12-14.json",
    "kent-csp-2015-10-14.json",
    "kent-csp-2016-03-16-agenda.json",
]


@transaction.atomic
def load_all(*, report, by=None) -> None:
    """Load every seeded meeting document; idempotent."""
    for name in SEED_FILES:
        load_document(read_seed(name), report=report, by=by)


def load_document(data: dict, *, report, by=None) -> list[Meeting]:
    """One document: its body, the people it names, and each meeting not yet loaded."""
    partnership = Partnership.objects.get(slug=data["partnership"])
    body = _body(partnership, data["body"], by=by)
    for spec in data.get("people", []):
        services.find_or_add_person(
            partnership=partnership,
            name=spec["name"],
            job_title=spec.get("job_title", ""),
            by=by,
        )
    meetings = []
    for spec in data["meetings"]:
        existing = Meeting.objects.filter(body=body, date=seed_date(spec["date"])).first()
        if existing is not None:
            report.unchanged.append(str(existing))
            meetings.append(existing)
            continue
        meeting = _meeting(body, spec, by=by)
        report.created.append(str(meeting))
        meetings.append(meeting)
    return meetings


def _body(partnership, spec: dict, *, by) -> Body:
    existing = Body.objects.filter(partnership=partnership, name=spec["name"]).first()
    if existing is not None:
        return existing
    return services.create_body(
        partnership=partnership,
        name=spec["name"],
        kind=spec["kind"],
        description=spec.get("description", ""),
        chair_label=spec.get("chair_label", "Chair"),
        dates_with_weekday=spec.get("dates_with_weekday", False),
        year_starts=spec.get("year_starts", 5),
        by=by,
    )


def _time(value):
    return datetime.time.fromisoformat(value) if value else None


def _meeting(body, spec: dict, *, by) -> Meeting:
    partnership = body.partnership
    meeting = services.schedule_meeting(
        body=body,
        date=seed_date(spec["date"]),
        start_time=_time(spec.get("start_time")),
        venue=spec.get("venue", ""),
        status=spec.get("status", Meeting.Status.SCHEDULED),
        concluded_at=_time(spec.get("concluded_at")),
        record_label=spec.get("record_label", "Minutes"),
        contact=spec.get("contact", ""),
        agenda_notes=spec.get("agenda_notes", ""),
        source=spec.get("source", ""),
        by=by,
    )
    people = {p.name: p for p in partnership.people.all()}
    for row in spec.get("attendance", []):
        services.record_attendance(
            meeting=meeting,
            person=people[row["person"]],
            kind=row["kind"],
            role=row.get("role", ""),
            description=row.get("description", ""),
            by=by,
        )
    for item in spec.get("agenda", []):
        services.add_agenda_item(
            meeting=meeting,
            section=item.get("section", ""),
            code=item.get("code", ""),
            title=item["title"],
            presenter=item.get("presenter", ""),
            pages=item.get("pages", ""),
            notes=item.get("notes", ""),
            restricted=item.get("restricted", False),
            paper_plan=_plan(partnership, item.get("paper_plan")),
            paper_meeting=_earlier_meeting(body, item.get("paper_meeting")),
            by=by,
        )
    for declaration in spec.get("declarations", []):
        services.record_declaration(
            meeting=meeting,
            person=people[declaration["person"]],
            kind=declaration["kind"],
            interest=declaration["interest"],
            item_code=declaration.get("item_code", ""),
            by=by,
        )
    minutes = {}
    for m in spec.get("minutes", []):
        priorities, actions = _citations(partnership, m.get("cites"))
        minutes[m["number"]] = services.record_minute(
            meeting=meeting,
            number=m["number"],
            item_code=m.get("item_code", ""),
            title=m["title"],
            discussion=m.get("discussion", ""),
            resolution=m.get("resolution", ""),
            restricted=m.get("restricted", False),
            priorities=priorities,
            actions=actions,
            by=by,
        )
    for a in spec.get("actions_arising", []):
        services.add_meeting_action(
            meeting=meeting,
            minute=minutes.get(a.get("minute")),
            description=a["description"],
            owner=people[a["owner"]] if a.get("owner") else None,
            owner_wording=a.get("owner_wording", ""),
            due_date=seed_date(a.get("due_date")),
            by=by,
        )
    if spec.get("published"):
        services.publish_meeting(meeting=meeting, by=by)
    return meeting


def _plan(partnership, slug):
    return Plan.objects.get(partnership=partnership, slug=slug) if slug else None


def _earlier_meeting(body, day):
    return Meeting.objects.get(body=body, date=seed_date(day)) if day else None


def _citations(partnership, cites) -> tuple[list, list]:
    """The priorities (by title) and actions (by the plan's reference) a minute discussed."""
    if not cites:
        return [], []
    plan = Plan.objects.get(partnership=partnership, slug=cites["plan"])
    priorities = [Priority.objects.get(plan=plan, title=t) for t in cites.get("priorities", [])]
    actions = [Action.objects.get(plan=plan, ref=ref) for ref in cites.get("actions", [])]
    return priorities, actions
