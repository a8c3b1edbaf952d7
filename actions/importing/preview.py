"""What an import would do, as the page, the command and applying.py read it.

matching.py builds a Preview; nothing here reads the database.
"""

import datetime
from dataclasses import dataclass, field

from actions.importing.columns import Problem, issue_cell
from actions.importing.parsing import ParsedPlan, Row
from actions.models import Action, Status
from csp_tracker.editing import UNCHANGED  # a column the file does not have: the value stays
from plans.models import EmergingIssue, Partnership, Plan, Priority


@dataclass(eq=False)
class NewAgency:
    """An agency the file names that is not yet on the shared list."""

    name: str
    abbreviation: str
    rows: list[int] = field(default_factory=list)

    def __str__(self):
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


@dataclass(eq=False)
class PriorityTarget:
    """A priority a row names: one of the plan's, or a new one."""

    title: str
    priority: Priority | None
    rank: int = 0
    issues: list["IssueTarget"] = field(default_factory=list)

    @property
    def new_issues(self) -> list["IssueTarget"]:
        return [i for i in self.issues if i.issue is None]


@dataclass(eq=False)
class IssueTarget:
    """An emerging issue a row names (or the priority's own, when the cell is blank)."""

    title: str
    ref: str
    priority: PriorityTarget
    issue: EmergingIssue | None
    rank: int = 0
    first_row: int = 0

    @property
    def display(self) -> str:
        """As the plan prints it: "1. Scams", "1) Tackling ASB"."""
        return issue_cell(self.ref, self.title)


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class PendingUpdate:
    """The progress report an import records: a status change, or a note."""

    status: str
    rag: str
    narrative: str
    previous_status: str
    based_on: int | None

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status else ""

    @property
    def previous_label(self) -> str:
        return Status(self.previous_status).label


@dataclass(eq=False)
class ActionRow:
    """What the import does with one row's action."""

    row: Row
    kind: str  # "created", "updated" or "unchanged"
    action: Action | None
    issue: IssueTarget
    ref: str
    number: int | None = None
    lead: object = UNCHANGED
    support: object = UNCHANGED
    measures: object = UNCHANGED
    target_date: object = UNCHANGED
    changes: list[Change] = field(default_factory=list)
    #: The details that change: issue, title, lead_agency, support_agencies, measures,
    #: target_date.
    changed: set[str] = field(default_factory=set)
    update: PendingUpdate | None = None

    @property
    def title(self) -> str:
        return self.row.action


@dataclass
class Labels:
    priority: str = "Priority"
    issue: str = "Emerging issue"
    action: str = "Action"


@dataclass
class Preview:
    """Everything an import would do, its warnings and errors, and the fingerprint of the
    stored data it was computed from."""

    parsed: ParsedPlan
    filename: str
    partnership: Partnership | None = None
    partnership_name: str = ""
    new_partnership: dict = field(default_factory=dict)
    plan: Plan | None = None
    plan_title: str = ""
    plan_slug: str = ""
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    labels: Labels = field(default_factory=Labels)
    priorities: list[PriorityTarget] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    new_agencies: list[NewAgency] = field(default_factory=list)
    left_alone: list[Action] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def numbered(self) -> bool:
        """Whether the file gives its actions references (a column for them in the preview)."""
        return any(a.row.action_ref for a in self.actions)

    @property
    def new_priorities(self) -> list[PriorityTarget]:
        return [p for p in self.priorities if p.priority is None]

    @property
    def new_issues(self) -> list[IssueTarget]:
        return [i for p in self.priorities for i in p.issues if i.issue is None]

    @property
    def created(self) -> list[ActionRow]:
        return [a for a in self.actions if a.kind == "created"]

    @property
    def updated(self) -> list[ActionRow]:
        return [a for a in self.actions if a.kind == "updated"]

    @property
    def unchanged(self) -> list[ActionRow]:
        """Actions the file has just as they are, with no new progress either."""
        return [a for a in self.actions if a.kind == "unchanged" and a.update is None]

    @property
    def updates(self) -> list[ActionRow]:
        return [a for a in self.actions if a.update is not None]

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.partnership is None
            or self.plan is None
            or self.new_agencies
            or self.new_priorities
            or self.new_issues
            or self.created
            or self.updated
            or self.updates
        )
