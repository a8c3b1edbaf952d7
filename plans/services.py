"""Every change to partnerships, agencies and plans that matters goes through here."""

import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from csp_tracker.editing import locked_at_version, next_number, save_with_history, set_fields
from plans.models import (
    Agency,
    CategoryCount,
    CategoryTag,
    Contact,
    EmergingIssue,
    GlossaryTerm,
    Indicator,
    IndicatorValue,
    Membership,
    Partnership,
    Plan,
    PlanSection,
    Priority,
    PriorityCategory,
    normalise_name,
)

COORDINATORS_GROUP = "Coordinators"


@transaction.atomic
def create_partnership(*, slug, name, short_name, kind, county=None, by=None) -> Partnership:
    """Register a Community Safety Partnership."""
    return save_with_history(
        Partnership(slug=slug, name=name, short_name=short_name, kind=kind, county=county), by
    )


@transaction.atomic
def join_county(*, partnership, county, by=None) -> Partnership:
    """Make a district partnership a member of its county's: its priorities roll up there.
    Validated as any save (a partnership is never its own county)."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    partnership.county = county
    return save_with_history(partnership, by)


def find_agency(name_or_abbreviation: str) -> Agency | None:
    """The agency whose name or abbreviation matches, ignoring case, spacing and punctuation."""
    key = normalise_name(name_or_abbreviation)
    if not key:
        return None
    for agency in Agency.objects.all():
        if key in {normalise_name(agency.name), normalise_name(agency.abbreviation)}:
            return agency
    return None


@transaction.atomic
def create_agency(*, name, abbreviation="", parent=None, by=None) -> Agency:
    """Add an agency (or a unit of one) to the shared list."""
    return save_with_history(Agency(name=name, abbreviation=abbreviation, parent=parent), by)


@transaction.atomic
def add_membership(
    *, user, partnership, role, agency=None, sees_restricted=False, by=None
) -> Membership:
    """Give a user a role in a partnership (officers report for one agency).

    Coordinators build plans in the admin, so they become staff in the Coordinators group.
    """
    membership = save_with_history(
        Membership(
            user=user,
            partnership=partnership,
            role=role,
            agency=agency,
            sees_restricted=sees_restricted,
        ),
        by,
    )
    if role == Membership.Role.COORDINATOR:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    return membership


@transaction.atomic
def create_plan(*, partnership, slug, title, period_start, period_end, by=None, **fields) -> Plan:
    """Start a plan for a period; it begins as a draft unless told otherwise."""
    plan = Plan(
        partnership=partnership,
        slug=slug,
        title=title,
        period_start=period_start,
        period_end=period_end,
        **fields,
    )
    return save_with_history(plan, by)


#: The lifecycle a plan moves through, one step at a time.
NEXT_STATUS = {
    Plan.Status.DRAFT: Plan.Status.AGREED,
    Plan.Status.AGREED: Plan.Status.LIVE,
    Plan.Status.LIVE: Plan.Status.CLOSED,
}


def next_statuses(plan) -> list[str]:
    """The statuses a plan may be given now: its own, or the next step of the lifecycle."""
    return [plan.status, *([NEXT_STATUS[plan.status]] if plan.status in NEXT_STATUS else [])]


def check_status_change(plan, to) -> None:
    """Refuse a move that skips a step or goes back: draft → agreed → live → closed."""
    if to not in next_statuses(plan):
        raise _cannot_become(plan, to)


def _cannot_become(plan, to) -> ValidationError:
    return ValidationError(
        f"A {plan.get_status_display().lower()} plan cannot become {Plan.Status(to).label.lower()}."
    )


def check_publishable(status) -> None:
    """Refuse publishing a draft: a plan is agreed before the public may read it."""
    if status == Plan.Status.DRAFT:
        raise ValidationError("A draft plan cannot be published; agree it first.")


@transaction.atomic
def advance_plan(*, plan, to, by) -> Plan:
    """Move a plan on: draft → agreed → live → closed."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if NEXT_STATUS.get(plan.status) != to:
        raise _cannot_become(plan, to)
    plan.status = to
    return save_with_history(plan, by)


@transaction.atomic
def publish_plan(*, plan, by, when: datetime.datetime | None = None) -> Plan:
    """Make a plan readable by the public."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    check_publishable(plan.status)
    plan.published_at = when or timezone.now()
    return save_with_history(plan, by)


def next_issue_number(plan) -> int:
    """The number the plan's next emerging issue takes (issues are numbered through a plan)."""
    return next_number(plan.issues, "number")


@transaction.atomic
def add_section(*, plan, title, body="", kind=PlanSection.Kind.OTHER, number="", by=None):
    """Append a narrative section to the plan document."""
    position = next_number(plan.sections)
    section = PlanSection(
        plan=plan, position=position, kind=kind, number=number, title=title, body=body
    )
    return save_with_history(section, by)


@transaction.atomic
def add_priority(*, plan, title, by=None, **fields) -> Priority:
    """Add a priority or cross-cutting theme at the end of the plan."""
    position = next_number(plan.priorities)
    return save_with_history(Priority(plan=plan, position=position, title=title, **fields), by)


@transaction.atomic
def add_issue(*, priority, title, ref="", description="", impacts=(), by=None) -> EmergingIssue:
    """Add an emerging issue under a priority, numbered next in the plan."""
    plan = priority.plan
    number = next_issue_number(plan)
    issue = save_with_history(
        EmergingIssue(
            plan=plan,
            priority=priority,
            number=number,
            ref=ref,
            title=title,
            description=description,
        ),
        by,
    )
    if impacts:
        set_issue_impacts(issue=issue, priorities=impacts, by=by)
    return issue


@transaction.atomic
def set_issue_impacts(*, issue, priorities, by=None) -> EmergingIssue:
    """Tick the other priorities of the same plan that the issue impacts."""
    for priority in priorities:
        if priority.plan_id != issue.plan_id:
            raise ValidationError(f"{priority} is a priority of another plan.")
        if priority.pk == issue.priority_id:
            raise ValidationError(f"{priority} is the issue's own priority.")
    issue._history_user = by
    issue.impacts.set(priorities)
    return issue


@transaction.atomic
def add_glossary_term(*, plan, term, definition, by=None) -> GlossaryTerm:
    """Append a term to the plan's glossary."""
    position = next_number(plan.glossary)
    return save_with_history(
        GlossaryTerm(plan=plan, position=position, term=term, definition=definition), by
    )


@transaction.atomic
def add_contact(*, plan, name, phone="", notes="", by=None) -> Contact:
    """Append a useful contact to the plan's appendix."""
    position = next_number(plan.contacts)
    return save_with_history(
        Contact(plan=plan, position=position, name=name, phone=phone, notes=notes), by
    )


def get_or_create_category(name: str, *, part_of=None, by=None) -> PriorityCategory:
    """The shared category of this name, added on first use."""
    existing = PriorityCategory.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    return save_with_history(PriorityCategory(name=name, part_of=part_of), by)


@transaction.atomic
def tag_category(*, plan, category, level, priority=None, by=None) -> CategoryTag:
    """Record that a plan takes up a priority category, at a level."""
    return save_with_history(
        CategoryTag(plan=plan, category=category, level=level, priority=priority), by
    )


@transaction.atomic
def record_category_count(
    *, partnership, period_label, category, districts_count, section="main", source="", by=None
) -> CategoryCount:
    """Keep a county matrix's printed number of districts for a category."""
    position = next_number(
        CategoryCount.objects.filter(partnership=partnership, period_label=period_label)
    )
    count = CategoryCount(
        partnership=partnership,
        period_label=period_label,
        position=position,
        category=category,
        section=section,
        districts_count=districts_count,
        source=source,
    )
    return save_with_history(count, by)


INDICATOR_FIELDS = (
    "name",
    "unit",
    "source",
    "direction",
    "target",
    "target_note",
    "priority",
    "description",
)
VALUE_FIELDS = ("period_label", "period_start", "period_end", "value", "source", "note")


@transaction.atomic
def define_indicator(*, partnership, name, by=None, **fields) -> Indicator:
    """Add a performance indicator the partnership will watch."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"Not an indicator field: {', '.join(sorted(unknown))}")
    return save_with_history(Indicator(partnership=partnership, name=name, **fields), by)


@transaction.atomic
def edit_indicator(*, indicator, by, version, **changes) -> Indicator:
    """Change an indicator's definition; refused with StaleEdit if it changed since `version`."""
    locked = locked_at_version(
        Indicator.objects, pk=indicator.pk, version=version, name="indicator"
    )
    set_fields(locked, changes, INDICATOR_FIELDS)
    locked.version += 1
    return save_with_history(locked, by)


@transaction.atomic
def record_indicator_value(*, indicator, period_label, value, by=None, **fields) -> IndicatorValue:
    """Record an indicator's value for a period (dates blank where the source does not say)."""
    unknown = set(fields) - set(VALUE_FIELDS)
    if unknown:
        raise TypeError(f"Not a value field: {', '.join(sorted(unknown))}")
    return save_with_history(
        IndicatorValue(indicator=indicator, period_label=period_label, value=value, **fields), by
    )


@transaction.atomic
def correct_indicator_value(*, recorded, by, version, **changes) -> IndicatorValue:
    """Correct a recorded value; refused with StaleEdit if it changed since `version`.

    `recorded` is the IndicatorValue; `changes` may include its `value`. The history keeps
    what it said before and who corrected it.
    """
    locked = locked_at_version(
        IndicatorValue.objects, pk=recorded.pk, version=version, name="value"
    )
    set_fields(locked, changes, VALUE_FIELDS)
    locked.version += 1
    return save_with_history(locked, by)


@transaction.atomic
def record_indicator_values(*, partnership, rows: list[dict], by) -> list[IndicatorValue]:
    """Record many values at once (a CSV upload): all of them, or none if any row is wrong.

    Each row is a dict with `indicator` (one of the partnership's) and the value fields, plus
    `line` (its line in the file) for the messages. Raises ValidationError listing every
    wrong row, after which nothing is saved.
    """
    saved, errors = [], []
    for row in rows:
        fields = {k: v for k, v in row.items() if k not in {"line", "indicator"}}
        indicator = row["indicator"]
        if indicator.partnership_id != partnership.pk:
            errors.append(f"Line {row['line']}: {indicator} is another partnership's indicator.")
            continue
        value = IndicatorValue(indicator=indicator, **fields)
        try:
            saved.append(save_with_history(value, by))
        except ValidationError as invalid:
            errors.extend(f"Line {row['line']}: {message}" for message in invalid.messages)
    if errors:
        raise ValidationError(errors)
    return saved
