"""A plan laid out as its document reads: priorities, their issues, and each issue's actions.

The plan page and the plan PDF both read through `plan_outline`, in a fixed number of
queries whatever the number of actions.
"""

from collections import defaultdict
from dataclasses import dataclass

from actions.models import Action
from plans.models import Plan, Priority


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
