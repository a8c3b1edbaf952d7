"""What the actions app's pages show, each read in a fixed number of queries whatever the
number of actions: a plan laid out as its document reads (the plan page, and the plan PDF in
reports), everything about one action (the action page), a plan's update rounds and who has
reported in each, and a plan's lifecycle.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from actions.filters import NO_LEAD_LABEL
from actions.models import (
    CLOSED_STATUSES,
    Action,
    ActionUpdate,
    Measure,
    MeasureReading,
    ReportingPeriod,
    Status,
    expected_in_round,
)
from actions.services import HISTORY_FIELDS, show_value
from csp_tracker import permissions
from plans.models import (
    Agency,
    Contact,
    EmergingIssue,
    GlossaryTerm,
    Plan,
    PlanSection,
    Priority,
)
from plans.services import PUBLISHED, STEP_REASONS, publishing_steps

# A plan as its document reads: priorities, their issues, and each issue's actions.

#: Sections that mark where the plan prints its tables, contacts and glossary.
PLACED_KINDS = {PlanSection.Kind.ACTIONS, PlanSection.Kind.CONTACTS, PlanSection.Kind.GLOSSARY}


@dataclass
class Outline:
    plan: Plan
    priorities: list[Priority]
    sections_before: list
    sections_after: list
    glossary: list
    contacts: list
    action_count: int
    issue_count: int
    shows_lead: bool
    shows_support: bool
    #: Where the plan prints its tables of actions, contacts and glossary (PlanSections of
    #: those kinds), or None: then the tables follow each priority's narrative, and the
    #: contacts and glossary come last under headings of their own.
    actions_section: PlanSection | None = None
    contacts_section: PlanSection | None = None
    glossary_section: PlanSection | None = None
    #: The section the priorities' narratives follow when the tables stand apart (the last
    #: introduction to the priorities), or None: then they come just before the tables.
    narratives_after: PlanSection | None = None

    @property
    def tables_apart(self) -> bool:
        """Whether the plan prints its narratives first and its tables in a section of
        their own (Thanet's "6. Actions"), rather than each table after its narrative."""
        return self.actions_section is not None

    @property
    def first_appendix(self) -> PlanSection | None:
        """The first section printed as an appendix, which "Appendices" comes before."""
        kinds = {"structure", "appendix", "contacts", "glossary"}
        return next((s for s in self.sections_after if s.kind in kinds and s.title), None)

    @property
    def narratives(self) -> list[Priority]:
        """Priorities with something to say besides their table, in the plan's narrative
        order (`narrative_position`, else the tables' order)."""
        said = [p for p in self.priorities if p.summary or p.evidence or p.aims]
        return sorted(said, key=lambda p: (p.narrative_position or p.position, p.position))

    @property
    def detailed_priorities(self) -> list[Priority]:
        """Priorities the plan says something about: each gets its own section."""
        return [p for p in self.priorities if p.has_body]

    @property
    def main_priorities(self) -> list[Priority]:
        return [p for p in self.priorities if p.kind == Priority.Kind.MAIN]

    @property
    def cross_cutting(self) -> list[Priority]:
        return [p for p in self.priorities if p.kind == Priority.Kind.CROSS_CUTTING]

    #: One empty row for an issue with no actions yet.
    no_actions: tuple = (None,)

    @property
    def action_columns(self) -> int:
        """How many columns the action, lead, measures and evidence take."""
        plan = self.plan
        return 1 + self.shows_lead + bool(plan.measures_label) + bool(plan.evidence_label)


def plan_outline(plan: Plan, actions=None) -> Outline:
    """Everything a plan document shows. `actions` may narrow (or annotate) the actions read.

    Each priority gets `other_priorities` (the tick columns) and each issue `action_list`
    and `ticks` [(priority, ticked)].
    """
    priorities = list(plan.priorities.for_document())
    if actions is None:
        actions = Action.objects.filter(plan=plan).for_plan_page()
    by_issue = defaultdict(list)
    action_list = list(actions)
    for action in action_list:
        by_issue[action.issue_id].append(action)
    issue_count = 0
    for priority in priorities:
        priority.other_priorities = [p for p in priorities if p.pk != priority.pk]
        for issue in priority.issues.all():
            issue_count += 1
            ticked = {row.priority_id for row in issue.impact_rows.all()}
            issue.ticks = [(p, p.pk in ticked) for p in priority.other_priorities]
            issue.action_list = by_issue.get(issue.pk, [])
    sections = list(plan.sections.all())
    placed = {kind: s for s in sections if (kind := s.kind) in PLACED_KINDS}
    actions_section = placed.get(PlanSection.Kind.ACTIONS)
    if actions_section is not None:
        before = [s for s in sections if s.position < actions_section.position]
        after = [s for s in sections if s.position > actions_section.position]
    else:
        late = {"structure", "appendix", "other", "contacts", "glossary"}
        before = [s for s in sections if s.kind not in late]
        after = [s for s in sections if s.kind in late]
    intros = [s for s in before if s.kind == PlanSection.Kind.PRIORITIES_INTRO]
    previous = None
    for section in sections:
        # Monitoring runs on from the narratives, in their part of the plan (Thanet's "5."),
        # and is no entry of the contents; a section after an untitled lead-in shares its page.
        monitoring = actions_section is not None and section.kind == "monitoring"
        section.in_contents = bool(section.title) and not monitoring
        section.runs_on = monitoring or (previous is not None and not previous.title)
        previous = section
    return Outline(
        plan=plan,
        priorities=priorities,
        sections_before=before,
        sections_after=after,
        actions_section=actions_section,
        contacts_section=placed.get(PlanSection.Kind.CONTACTS),
        glossary_section=placed.get(PlanSection.Kind.GLOSSARY),
        narratives_after=intros[-1] if intros and actions_section is not None else None,
        glossary=list(plan.glossary.all()),
        contacts=list(plan.contacts.all()),
        action_count=len(action_list),
        issue_count=issue_count,
        shows_lead=bool(plan.lead_label),
        shows_support=any(a.support_display for a in action_list),
    )


# My actions: what an officer's agency leads and supports, grouped by whether it can be updated.


@dataclass
class PartnershipActions:
    """An agency's actions in another partnership's plans (read, not updated)."""

    partnership: object
    actions: list[Action]


def my_action_lists(user, today: datetime.date) -> dict:
    """The lists of My actions, in a fixed number of queries: the actions the user's agencies
    lead, then those they support, in their partnerships' open plans; those of closed plans;
    and those in other partnerships' plans, by partnership. Each action has `why_no_update`."""
    mine = permissions.memberships(user)
    agency_ids = {m.agency_id for m in mine.values() if m.agency_id}
    visible = Action.objects.visible_to(user).for_list(today)
    actions = list(
        visible.filter(Q(lead_agency_id__in=agency_ids) | Q(support_agencies__in=agency_ids))
        .distinct()
        .in_list_order()
    )
    led, supported, closed = [], [], []
    others: dict[int, PartnershipActions] = {}
    for action in actions:
        action.why_no_update = permissions.why_no_update(user, action)
        leads = action.lead_agency_id in agency_ids
        partnership = action.plan.partnership
        if partnership.pk not in mine:
            others.setdefault(partnership.pk, PartnershipActions(partnership, [])).actions.append(
                action
            )
        elif not permissions.plan_takes_updates(action.plan):
            closed.append(action)
        else:
            (led if leads else supported).append(action)
    return {
        "led": led,
        "supported": supported,
        "closed": closed,
        "others": sorted(others.values(), key=lambda group: group.partnership.name),
        "agencies": sorted({m.agency.name for m in mine.values() if m.agency_id}),
        "partnerships": [m.partnership for m in mine.values()],
        "today": today,
    }


# One action: its measures, its timeline of updates and the history of its details.


@dataclass
class Change:
    when: object
    who: str
    what: list[tuple[str, str, str]]


def action_page(action: Action, user) -> dict:
    """Context for the action page: the action, its measures, timeline and history."""
    action = (
        Action.objects.select_related(
            "plan__partnership",
            "issue__priority",
            "lead_agency",
            "carried_over_from__plan__partnership",
        )
        .prefetch_related(
            "support_agencies",
            Prefetch(
                "carried_over_into",
                queryset=Action.objects.select_related("plan__partnership"),
            ),
        )
        .get(pk=action.pk)
    )
    updates = list(
        ActionUpdate.objects.filter(action=action)
        .select_related("author", "agency", "period")
        .prefetch_related(
            Prefetch("readings", queryset=MeasureReading.objects.select_related("measure"))
        )
        .order_by("reported_on", "created_at", "pk")
    )
    _mark_status_changes(updates)
    measures = list(action.measures.all())
    latest = {}
    for update in updates:  # oldest first, so the last reading seen is the latest
        for reading in update.readings.all():
            latest[reading.measure_id] = (reading, update)
    for measure in measures:
        reading, update = latest.get(measure.pk, (None, None))
        measure.latest_reading = reading
        measure.latest_update = update
        measure.progress_percent = measure.progress(reading.value if reading else None)
    support_ids = {a.pk for a in action.support_agencies.all()}
    return {
        "nav": "actions",
        "action": action,
        "plan": action.plan,
        "measures": measures,
        "updates": list(reversed(updates)),
        "history": action_history(action),
        "can_update": permissions.can_update_action(user, action),
        "can_note": permissions.can_add_note(user, action, support_ids),
        "can_edit": permissions.can_edit_action(user, action),
        "why_no_update": (
            permissions.why_no_update(user, action, support_ids) if user.is_authenticated else ""
        ),
        "overdue": action.is_overdue(timezone.localdate()),
        "discussed_at": discussed_at(action, user),
    }


def discussed_at(action: Action, user) -> list:
    """The minutes that cite the action and that the user may read, oldest first.

    They come through the meetings app's reverse relation `minutes` (actions never imports
    meetings), filtered by that model's own `visible_to`: minutes of unpublished meetings
    stay with the partnership, restricted ones with those who see restricted items.
    """
    minutes = action._meta.get_field("minutes").related_model.objects.visible_to(user)
    return list(
        minutes.filter(actions=action)
        .select_related("meeting__body")
        .order_by("meeting__date", "number")
    )


def _mark_status_changes(updates) -> None:
    """Give each update `previous_status`: the status it changed from (oldest first)."""
    status = Status.NOT_STARTED
    for update in updates:
        update.previous_status = Status(status).label
        if update.status:
            status = update.status


#: Fields of a measure whose changes the action's history lists.
MEASURE_HISTORY_FIELDS = {
    "text": "wording",
    "is_numeric": "measured by a number",
    "target": "target",
    "unit": "unit",
    "baseline": "baseline",
    "evidence": "evidence",
}


def action_history(action) -> list[Change]:
    """Changes to the action's own details and to its measures, newest first, with who made
    them (from their history, in three queries)."""
    records = list(
        action.history.select_related("history_user").order_by("history_date", "history_id")
    )
    agency_ids = {r.lead_agency_id for r in records if r.lead_agency_id}
    agencies = {a.pk: a.short_name for a in Agency.objects.filter(pk__in=agency_ids)}
    changes = []
    if records:
        first = records[0]
        changes.append(Change(first.history_date, _who(first), [("Added", "", "")]))
    for before, after in zip(records, records[1:], strict=False):
        what = []
        for field, label in HISTORY_FIELDS.items():
            old, new = getattr(before, field), getattr(after, field)
            if old != new:
                if field == "lead_agency_id":
                    old, new = agencies.get(old, "none"), agencies.get(new, "none")
                what.append((label, show_value(old), show_value(new)))
        if what:
            changes.append(Change(after.history_date, _who(after), what))
    added = records[0].history_date if records else None
    changes += _measure_changes(action, added)
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes


def _measure_changes(action, added) -> list[Change]:
    """What happened to the action's measures after the action was added (those it was added
    with are part of "Added")."""
    model = action.measures.model
    records = list(
        model.history.filter(action_id=action.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    changes, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        late = added is None or record.history_date - added > datetime.timedelta(minutes=1)
        if record.history_type == "+":
            if late:
                changes.append(_measure_change(record, f"Measure added: “{record.text}”"))
        elif record.history_type == "-":
            changes.append(_measure_change(record, f"Measure removed: “{record.text}”"))
        elif before is not None:
            what = [
                (f"Measure “{before.text}”, {label}", show_value(old), show_value(new))
                for field, label in MEASURE_HISTORY_FIELDS.items()
                if (old := getattr(before, field)) != (new := getattr(record, field))
            ]
            if what:
                changes.append(Change(record.history_date, _who(record), what))
    return changes


def _measure_change(record, label: str) -> Change:
    return Change(record.history_date, _who(record), [(label, "", "")])


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "Seed data or system"
    return user.get_full_name() or user.get_username()


# A plan's update rounds: who has reported in each, by the agency that leads the action.


@dataclass
class AgencyProgress:
    """One lead agency's actions in a round: those reported on, and those still missing."""

    agency: Agency | None
    updated: list[Action] = dataclass_field(default_factory=list)
    missing: list[Action] = dataclass_field(default_factory=list)

    @property
    def name(self) -> str:
        return self.agency.name if self.agency else NO_LEAD_LABEL

    @property
    def anchor(self) -> str:
        """The id of the agency's part of the round page."""
        return f"agency-{self.agency.pk if self.agency else 'none'}"

    @property
    def expected(self) -> int:
        return len(self.updated) + len(self.missing)


@dataclass
class RoundProgress:
    """Which of a plan's actions were reported on in a round, by lead agency (agencies in
    name order, actions without a lead last). Finished actions not reported on are not
    asked about."""

    period: ReportingPeriod
    agencies: list[AgencyProgress]
    not_expected: int

    @property
    def updated(self) -> int:
        return sum(len(a.updated) for a in self.agencies)

    @property
    def missing(self) -> int:
        return sum(len(a.missing) for a in self.agencies)

    @property
    def expected(self) -> int:
        return self.updated + self.missing

    @property
    def agencies_missing(self) -> list[AgencyProgress]:
        return [a for a in self.agencies if a.missing]


def rounds_progress(periods: list[ReportingPeriod]) -> dict[int, RoundProgress]:
    """Each round's progress (one round per plan at most), by round id, in one query
    however many actions and plans: an update for one of these rounds is for its own plan's."""
    if not periods:
        return {}
    ids = [p.pk for p in periods]
    reported = ActionUpdate.objects.filter(action=OuterRef("pk"), period_id__in=ids)
    actions = (
        Action.objects.filter(plan_id__in={p.plan_id for p in periods})
        .annotate(updated_in_period=Exists(reported))
        .select_related("lead_agency")
        .order_by("number")
    )
    by_plan = defaultdict(list)
    for action in actions:
        by_plan[action.plan_id].append(action)
    return {period.pk: _progress(period, by_plan[period.plan_id]) for period in periods}


def round_progress(period: ReportingPeriod) -> RoundProgress:
    """One round's progress (rounds_progress for one)."""
    return rounds_progress([period])[period.pk]


def _progress(period, actions) -> RoundProgress:
    by_agency: dict[int | None, AgencyProgress] = {}
    not_expected = 0
    for action in actions:
        if not expected_in_round(action):
            not_expected += 1
            continue
        row = by_agency.setdefault(action.lead_agency_id, AgencyProgress(action.lead_agency))
        (row.updated if action.updated_in_period else row.missing).append(action)
    agencies = sorted(
        by_agency.values(), key=lambda a: (a.agency is None, a.name.lower() if a.agency else "")
    )
    return RoundProgress(period=period, agencies=agencies, not_expected=not_expected)


@dataclass
class RoundRow:
    """A round in the list of a plan's rounds, with how many actions were reported on."""

    period: ReportingPeriod
    expected: int
    updated: int
    is_current: bool

    @property
    def missing(self) -> int:
        return self.expected - self.updated


def plan_rounds(plan: Plan, today: datetime.date) -> list[RoundRow]:
    """The plan's rounds in date order, each with its count of actions reported on and of
    those asked about, in three queries however many rounds and actions."""
    periods = list(plan.reporting_periods.select_related("closed_by").order_by("start"))
    statuses = dict(Action.objects.filter(plan=plan).values_list("pk", "status"))
    pairs = set(
        ActionUpdate.objects.filter(action__plan=plan, period__isnull=False)
        .values_list("period_id", "action_id")
        .distinct()
    )
    updated = Counter(period_id for period_id, _ in pairs)
    still_open = sum(1 for status in statuses.values() if status not in CLOSED_STATUSES)
    finished_and_reported = Counter(
        period_id for period_id, action_id in pairs if statuses[action_id] in CLOSED_STATUSES
    )
    current = ReportingPeriod.current_among(periods, today)
    return [
        RoundRow(
            period=period,
            expected=still_open + finished_and_reported[period.pk],
            updated=updated[period.pk],
            is_current=current is not None and period.pk == current.pk,
        )
        for period in periods
    ]


def open_round(periods: list[ReportingPeriod], today: datetime.date) -> ReportingPeriod | None:
    """The round officers are reporting on now: the latest open round that has started."""
    return ReportingPeriod.current_among([p for p in periods if p.is_open], today)


# A plan's lifecycle: its steps and publication, from its history.


@dataclass
class LifecycleEvent:
    when: datetime.datetime
    who: str
    what: str
    reason: str


def plan_lifecycle(plan: Plan) -> list[LifecycleEvent]:
    """The plan's steps through its lifecycle and its publication, newest first, with who
    took each and why (an unpublished plan's reason), from its history in one query."""
    records = list(
        plan.history.select_related("history_user").order_by("history_date", "history_id")
    )
    events = []
    for before, after in zip([None, *records], records, strict=False):
        what = _lifecycle_change(before, after)
        if what:
            reason = after.history_change_reason or ""
            if reason in {PUBLISHED, *STEP_REASONS.values()}:
                reason = ""
            events.append(LifecycleEvent(after.history_date, _who(after), what, reason))
    return list(reversed(events))


def _lifecycle_change(before, after) -> str:
    if before is None:
        return f"Added as {Plan.Status(after.status).label.lower()}"
    if before.published_at is None and after.published_at is not None:
        return "Published"
    if before.published_at is not None and after.published_at is None:
        return "Unpublished"
    if before.status != after.status:
        return STEP_REASONS.get(after.status) or f"Became {after.status}"
    return ""


@dataclass
class PublicationPreview:
    """What publishing a plan shows residents, counted in the plan's own words, and the
    partnership's other plans that stay out of their sight."""

    plan: Plan
    priorities: int
    issues: int
    actions: int
    updates: int
    steps: list[str]
    unpublished_others: list[Plan]


def publication_preview(plan: Plan) -> PublicationPreview:
    """Counts of what the plan holds, in four queries, and its partnership's other plans that
    are not published (one more)."""
    others = Plan.objects.filter(partnership_id=plan.partnership_id).exclude(pk=plan.pk)
    return PublicationPreview(
        plan=plan,
        priorities=plan.priorities.count(),
        issues=plan.issues.count(),
        actions=plan.actions.count(),
        updates=ActionUpdate.objects.filter(action__plan=plan).count(),
        steps=[Plan.Status(step).label.lower() for step in publishing_steps(plan)],
        unpublished_others=[p for p in others.for_list() if not p.is_published],
    )


@dataclass
class PlanWorkspace:
    """The whole plan as its coordinator builds it: priorities, their issues with their
    ticks, each issue's actions with agencies and measures, and the document's parts."""

    priorities: list
    sections: list
    glossary: list
    contacts: list
    changes: list

    @property
    def action_count(self) -> int:
        return sum(len(i.actions.all()) for p in self.priorities for i in p.issues.all())


def plan_workspace(plan: Plan) -> PlanWorkspace:
    """Everything the plan's workspace page lists, in a fixed number of queries."""
    measures = Prefetch("measures", queryset=Measure.objects.order_by("position"))
    actions = (
        Action.objects.select_related("lead_agency")
        .prefetch_related("support_agencies", measures)
        .order_by("number")
    )
    issues = EmergingIssue.objects.order_by("number").prefetch_related(
        "impacts", Prefetch("actions", queryset=actions)
    )
    priorities = (
        Priority.objects.filter(plan=plan)
        .select_related("lead_agency")
        .prefetch_related(Prefetch("issues", queryset=issues))
        .order_by("position")
    )
    return PlanWorkspace(
        priorities=list(priorities),
        sections=list(plan.sections.order_by("position")),
        glossary=list(plan.glossary.order_by("position")),
        contacts=list(plan.contacts.order_by("position")),
        changes=recent_changes(plan),
    )


@dataclass
class Edit:
    """One change to a plan or a part of it, from its history."""

    when: datetime.datetime
    who: str
    what: str
    reason: str


#: The rows of a plan whose history the workspace shows, with how each is named.
AUTHORED = [
    (Plan, "id", "The plan"),
    (Priority, "plan_id", "Priority"),
    (EmergingIssue, "plan_id", "Issue"),
    (Action, "plan_id", "Action"),
    (Measure, "action__plan_id", "Measure"),
    (PlanSection, "plan_id", "Section"),
    (GlossaryTerm, "plan_id", "Glossary entry"),
    (Contact, "plan_id", "Contact"),
]
HOW = {"+": "added", "~": "changed", "-": "removed"}


def recent_changes(plan: Plan, count: int = 12) -> list[Edit]:
    """The latest changes to the plan and everything in it: who, when, what, why (one query
    per kind of row). Measures are found through their actions as they are now."""
    records = []
    for model, key, word in AUTHORED:
        history = model.history.select_related("history_user").order_by("-history_date")
        if key == "action__plan_id":
            history = history.filter(action_id__in=Action.objects.filter(plan=plan).values("pk"))
        else:
            history = history.filter(**{key: plan.pk})
        for record in history[:count]:
            label = plan_label(plan, model) or word
            records.append(
                Edit(
                    when=record.history_date,
                    who=_who(record),
                    what=f"{label} “{_short(record)}” {HOW[record.history_type]}",
                    reason=record.history_change_reason or "",
                )
            )
    records.sort(key=lambda edit: edit.when, reverse=True)
    return records[:count]


def plan_label(plan: Plan, model) -> str:
    """The plan's own word for a row of `model`, where it has one."""
    return {
        Priority: plan.priority_label,
        EmergingIssue: plan.issue_label,
        Action: plan.action_label,
    }.get(model, "")


def _short(record) -> str:
    text = str(getattr(record, "title", "") or getattr(record, "term", "") or "")
    text = text or str(getattr(record, "name", "") or getattr(record, "text", "") or "")
    text = text.strip().splitlines()[0] if text.strip() else ""
    return text if len(text) <= 60 else f"{text[:57]}…"
