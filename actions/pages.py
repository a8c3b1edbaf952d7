"""What the actions app's pages show, each read in a fixed number of queries whatever the
number of actions: a plan laid out as its document reads (the plan page, and the plan PDF in
reports), and everything about one action (the action page).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from actions.models import Action, ActionUpdate, MeasureReading, Status
from csp_tracker import permissions
from plans.models import Agency, Plan, Priority

# A plan as its document reads: priorities, their issues, and each issue's actions.


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
    late = {"structure", "appendix", "other"}
    return Outline(
        plan=plan,
        priorities=priorities,
        sections_before=[s for s in sections if s.kind not in late],
        sections_after=[s for s in sections if s.kind in late],
        glossary=list(plan.glossary.all()),
        contacts=list(plan.contacts.all()),
        action_count=len(action_list),
        issue_count=issue_count,
        shows_lead=bool(plan.lead_label),
        shows_support=any(a.support_display for a in action_list),
    )


# One action: its measures, its timeline of updates and the history of its details.

#: Fields of an action whose changes the page lists (status and RAG show in the timeline).
HISTORY_FIELDS = {
    "title": "Action",
    "lead_agency_id": "Lead agency",
    "lead_wording": "Lead as printed",
    "support_wording": "Support as printed",
    "target_date": "Target date",
    "issue_id": "Issue",
    "ref": "Reference",
}


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


def action_history(action) -> list[Change]:
    """Changes to the action's own details, newest first, with who made them."""
    records = list(
        action.history.select_related("history_user").order_by("history_date", "history_id")
    )
    agency_ids = {r.lead_agency_id for r in records if r.lead_agency_id}
    agencies = {a.pk: a.short_name for a in Agency.objects.filter(pk__in=agency_ids)}
    changes = []
    for before, after in zip(records, records[1:], strict=False):
        what = []
        for field, label in HISTORY_FIELDS.items():
            old, new = getattr(before, field), getattr(after, field)
            if old != new:
                if field == "lead_agency_id":
                    old, new = agencies.get(old, "none"), agencies.get(new, "none")
                what.append((label, _show(old), _show(new)))
        if what:
            changes.append(Change(after.history_date, _who(after), what))
    if records:
        first = records[0]
        changes.append(Change(first.history_date, _who(first), [("Added", "", "")]))
    return list(reversed(changes))


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "Seed data or system"
    return user.get_full_name() or user.get_username()


def _show(value) -> str:
    if value in (None, ""):
        return "none"
    return f"{value:%-d %B %Y}" if hasattr(value, "strftime") else str(value)
