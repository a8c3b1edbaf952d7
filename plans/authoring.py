"""A coordinator builds and changes a plan in the app: the plan itself, its priorities and
emerging issues (in the plan's own words for them), and the parts of its published document
(narrative sections, glossary, contacts).

Every service here refuses a closed plan, names who acted in the history, takes the `version`
its form was based on (StaleEdit when someone saved since), and removes a row only with a
reason and only when nothing else refers to it (a minute that discussed a priority, the
actions of an issue): the refusal names what holds on to it. Actions and measures are
actions/authoring.py's.

Starting a plan from last year's (copying its structure and carrying over unfinished actions)
is the plan-year issue's: it will sit beside start_plan here.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from csp_tracker.editing import (
    delete_with_history,
    locked_at_version,
    next_number,
    save_with_history,
    set_fields,
    still_attached,
)
from plans import services
from plans.models import Contact, EmergingIssue, GlossaryTerm, Plan, PlanSection, Priority

#: What a coordinator may change on the plan itself.
PLAN_FIELDS = (
    "title",
    "kind",
    "period_start",
    "period_end",
    "document_status",
    "refresh",
    "introduction",
    "priority_label",
    "issue_label",
    "action_label",
    "lead_label",
    "support_label",
    "measures_label",
    "impacts_label",
)
PRIORITY_FIELDS = (
    "title",
    "heading",
    "kind",
    "lead_agency",
    "lead_wording",
    "summary",
    "evidence",
    "aims",
)
ISSUE_FIELDS = ("priority", "ref", "title", "description")
SECTION_FIELDS = ("kind", "number", "title", "body")
TERM_FIELDS = ("term", "definition")
CONTACT_FIELDS = ("name", "phone", "notes")

UP, DOWN = "up", "down"


def check_open(plan) -> None:
    """Refuse any change to a closed plan: it is the record of its year."""
    if plan.status == Plan.Status.CLOSED:
        raise ValidationError("This plan is closed: it can no longer be changed.")


def _open_plan(plan) -> Plan:
    """The plan, locked until the transaction ends (adds and moves number rows under it),
    refused when closed."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    check_open(locked)
    return locked


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why it is being removed."})
    return reason


def _edit(obj, *, by, version, noun, editable, reason="", **changes):
    """Lock `obj` at `version`, give it `changes`, raise its version and save with history.
    `noun` names it in a StaleEdit ("priority")."""
    locked = locked_at_version(
        type(obj).objects, pk=obj.pk, version=version, name=noun, what=f"the {noun}"
    )
    set_fields(locked, changes, editable)
    locked.version += 1
    return save_with_history(locked, by, reason=reason)


#: The relations that go with a row when it is removed: the rest hold on to it.
GOES_WITH = {
    Priority: {"category_tags", "impact_rows", "impacted_by"},
    EmergingIssue: {"impact_rows"},
}


def holding(obj) -> list[str]:
    """What refers to a priority, issue or document part and so keeps it from being removed
    (still_attached's lines): empty when it may go."""
    return still_attached(obj, own=GOES_WITH.get(type(obj), ()))


def refusal(name: str, attached: list[str], advice: str = "Remove or move those first.") -> str:
    """Why a row cannot be removed, in words."""
    return f"This {name} cannot be removed, because it has {'; and '.join(attached)}. {advice}"


def _remove(obj, *, by, reason, name) -> None:
    """Remove `obj` with the reason given, unless something outside it refers to it."""
    reason = _reason(reason)
    attached = holding(obj)
    if attached:
        raise ValidationError(refusal(name, attached))
    delete_with_history(obj, by, reason=reason)


def move_among(obj, siblings, field: str, direction: str, *, by):
    """Swap `obj` with its neighbour among `siblings` (rows ordered by `field`) in the
    direction given; nothing happens at either end. Each change is in the history."""
    if direction not in {UP, DOWN}:
        raise ValidationError("Move a row up or down.")
    mine = getattr(obj, field)
    if direction == UP:
        neighbour = siblings.filter(**{f"{field}__lt": mine}).order_by(f"-{field}").first()
    else:
        neighbour = siblings.filter(**{f"{field}__gt": mine}).order_by(field).first()
    if neighbour is None:
        return obj
    theirs = getattr(neighbour, field)
    # Through a free number, as the order is a unique constraint: a passing state of the
    # transaction, not one the history need keep.
    free = next_number(type(obj).objects.filter(plan_id=obj.plan_id), field)
    type(obj).objects.filter(pk=obj.pk).update(**{field: free})
    reason = f"Moved {direction}"
    setattr(neighbour, field, mine)
    save_with_history(neighbour, by, reason=f"Moved {DOWN if direction == UP else UP}")
    setattr(obj, field, theirs)
    return save_with_history(obj, by, reason=reason)


# The plan itself.


def free_slug(partnership, title: str, period_start) -> str:
    """A web address for a new plan of the partnership, from its title and first year."""
    base = slugify(title.replace("/", "-"))[:45].strip("-") or "plan"
    if str(period_start.year) not in base:
        base = f"{base}-{period_start.year}"
    taken = set(Plan.objects.filter(partnership=partnership).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def start_plan(*, partnership, by, title, period_start, period_end, **fields) -> Plan:
    """Start a new draft plan for the partnership, with its own words for its levels."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Not a plan's field: {', '.join(sorted(unknown))}")
    return services.create_plan(
        partnership=partnership,
        slug=free_slug(partnership, title, period_start),
        title=title,
        period_start=period_start,
        period_end=period_end,
        status=Plan.Status.DRAFT,
        by=by,
        **fields,
    )


@transaction.atomic
def edit_plan(*, plan, by, version, **changes) -> Plan:
    """Change a plan's title, period, markings, introduction or its words for its levels."""
    check_open(plan)
    return _edit(plan, by=by, version=version, noun="plan", editable=PLAN_FIELDS, **changes)


# Priorities.


@transaction.atomic
def add_priority(*, plan, by, title, **fields) -> Priority:
    """Add a priority (or cross-cutting theme) at the end of the plan."""
    plan = _open_plan(plan)
    set_fields(Priority(), fields, PRIORITY_FIELDS)
    return services.add_priority(plan=plan, title=title, by=by, **fields)


@transaction.atomic
def edit_priority(*, priority, by, version, **changes) -> Priority:
    check_open(priority.plan)
    name = priority.plan.priority_label.lower()
    return _edit(priority, by=by, version=version, noun=name, editable=PRIORITY_FIELDS, **changes)


@transaction.atomic
def move_priority(*, priority, by, direction) -> Priority:
    plan = _open_plan(priority.plan)
    priority = Priority.objects.get(pk=priority.pk)
    return move_among(priority, plan.priorities.all(), "position", direction, by=by)


@transaction.atomic
def remove_priority(*, priority, by, reason) -> None:
    """Remove a priority with no issues under it and no minutes that discussed it; the
    other issues' ticks for it and its roll-up categories go with it."""
    plan = _open_plan(priority.plan)
    _remove(priority, by=by, reason=reason, name=plan.priority_label.lower())


# Emerging issues (Ashford's aims, Medway's objectives).


def _check_impacts(issue_priority, impacts) -> None:
    for priority in impacts:
        if priority.plan_id != issue_priority.plan_id:
            raise ValidationError({"impacts": f"{priority} is a priority of another plan."})
        if priority.pk == issue_priority.pk:
            raise ValidationError(
                {"impacts": f"{priority} is its own priority: tick only the others."}
            )


@transaction.atomic
def add_issue(*, priority, by, title, ref="", description="", impacts=()) -> EmergingIssue:
    """Add an emerging issue under a priority, numbered next in the plan, with the other
    priorities it impacts ticked."""
    _open_plan(priority.plan)
    _check_impacts(priority, impacts)
    return services.add_issue(
        priority=priority, title=title, ref=ref, description=description, impacts=impacts, by=by
    )


@transaction.atomic
def edit_issue(*, issue, by, version, impacts=None, **changes) -> EmergingIssue:
    """Change an issue's words, its priority (within the plan) or its ticks."""
    plan = issue.plan
    check_open(plan)
    new_priority = changes.get("priority", issue.priority)
    if new_priority.plan_id != plan.pk:
        raise ValidationError({"priority": "Choose a priority of this plan."})
    if impacts is not None:
        _check_impacts(new_priority, impacts)
    name = plan.issue_label.lower()
    if new_priority.pk != issue.priority_id:
        # An issue never ticks its own priority: not the one it moves under either.
        issue._history_user = by
        issue.impacts.remove(new_priority)
    locked = _edit(issue, by=by, version=version, noun=name, editable=ISSUE_FIELDS, **changes)
    if impacts is not None and {p.pk for p in impacts} != set(
        locked.impacts.values_list("pk", flat=True)
    ):
        locked._history_user = by
        locked.impacts.set(impacts)
    return locked


@transaction.atomic
def move_issue(*, issue, by, direction) -> EmergingIssue:
    """Move an issue up or down among its priority's issues."""
    _open_plan(issue.plan)
    issue = EmergingIssue.objects.get(pk=issue.pk)
    siblings = EmergingIssue.objects.filter(priority_id=issue.priority_id)
    return move_among(issue, siblings, "number", direction, by=by)


@transaction.atomic
def remove_issue(*, issue, by, reason) -> None:
    """Remove an issue that has no actions; its ticks go with it."""
    plan = _open_plan(issue.plan)
    _remove(issue, by=by, reason=reason, name=plan.issue_label.lower())


# The published document's narrative sections, glossary and contacts.


def _add_row(model, plan, by, **fields):
    plan = _open_plan(plan)
    row = model(plan=plan, position=next_number(model.objects.filter(plan=plan)), **fields)
    return save_with_history(row, by)


@transaction.atomic
def add_section(*, plan, by, **fields) -> PlanSection:
    set_fields(PlanSection(), fields, SECTION_FIELDS)
    return _add_row(PlanSection, plan, by, **fields)


@transaction.atomic
def add_glossary_term(*, plan, by, **fields) -> GlossaryTerm:
    set_fields(GlossaryTerm(), fields, TERM_FIELDS)
    return _add_row(GlossaryTerm, plan, by, **fields)


@transaction.atomic
def add_contact(*, plan, by, **fields) -> Contact:
    set_fields(Contact(), fields, CONTACT_FIELDS)
    return _add_row(Contact, plan, by, **fields)


#: Each document part: its fields and the word its messages use.
PARTS = {
    PlanSection: (SECTION_FIELDS, "section"),
    GlossaryTerm: (TERM_FIELDS, "glossary entry"),
    Contact: (CONTACT_FIELDS, "contact"),
}


@transaction.atomic
def edit_part(*, part, by, version, **changes):
    """Change a section, a glossary entry or a contact."""
    check_open(part.plan)
    editable, name = PARTS[type(part)]
    return _edit(part, by=by, version=version, noun=name, editable=editable, **changes)


@transaction.atomic
def move_part(*, part, by, direction):
    plan = _open_plan(part.plan)
    part = type(part).objects.get(pk=part.pk)
    return move_among(part, type(part).objects.filter(plan=plan), "position", direction, by=by)


@transaction.atomic
def remove_part(*, part, by, reason) -> None:
    _open_plan(part.plan)
    _remove(part, by=by, reason=reason, name=PARTS[type(part)][1])
