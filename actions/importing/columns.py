"""The import template: its columns, limits and the words it accepts.

Shared by the importer (reading a file) and actions/importing/writing.py (writing one), so that
what the export writes is exactly what the import reads back.
"""

import re

from django.utils.text import get_text_list

from actions.models import Rag, Status

#: The template's columns, in the order the blank template and the export write them.
COLUMNS = [
    "partnership",
    "plan_title",
    "period_start",
    "period_end",
    "priority",
    "emerging_issue",
    "action_ref",
    "action",
    "lead_agency",
    "support_agencies",
    "measures",
    "target_date",
    "status",
    "progress_update",
]
#: Columns the header must name. The others must be present too but their cells may be blank.
REQUIRED_CELLS = ["partnership", "plan_title", "period_start", "period_end", "priority"]
#: Columns that describe an action: when all are blank the row names only a priority or issue.
ACTION_COLUMNS = [
    "action_ref",
    "action",
    "lead_agency",
    "support_agencies",
    "measures",
    "target_date",
    "status",
    "progress_update",
]
DATE_COLUMNS = ["period_start", "period_end", "target_date"]

#: What each column holds, for the template's guidance sheet and the import page.
GUIDANCE = {
    "partnership": "The partnership's name, the same on every row.",
    "plan_title": "The plan's title, the same on every row.",
    "period_start": "The day the plan starts: 2015-04-01 or 01/04/2015.",
    "period_end": "The day the plan ends: 2016-03-31 or 31/03/2016.",
    "priority": "The priority (or theme) the action belongs to.",
    "emerging_issue": "The emerging issue (or aim, or objective) under the priority; may be "
    'blank. A number the plan prints goes first: "1. Vulnerable young people…" or '
    '"1) Tackling ASB".',
    "action_ref": "The action's number in the plan; blank where the plan does not number its "
    "actions. Each number is used once in the file.",
    "action": "What will be done.",
    "lead_agency": "The one agency that leads it; may be blank. Its name or abbreviation.",
    "support_agencies": "Agencies that support it, separated by ;",
    "measures": "Measures of success, separated by ; (write ;; for a ; inside a measure).",
    "target_date": "When it should be done, if the plan says: 2016-03-31 or 31/03/2016.",
    "status": "Not started, On track, At risk, Delayed, Completed, Carried over or Withdrawn.",
    "progress_update": "The latest progress, if any; recorded as an update to the action.",
}

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
#: An .xlsx is a zip: refuse one that unpacks to more than this (a "zip bomb").
MAX_UNPACKED_BYTES = 60 * 1024 * 1024

#: The longest text each column may hold (from the models' fields, or a generous cap).
MAX_LENGTH = {
    "partnership": 200,
    "plan_title": 300,
    "priority": 300,
    "emerging_issue": 2000,
    "action_ref": 20,
    "action": 5000,
    "lead_agency": 200,
    "support_agencies": 5000,
    "measures": 10000,
    "status": 40,
    "progress_update": 5000,
}
MAX_AGENCY_NAME = 200
MAX_ABBREVIATION = 40
MAX_MEASURE = 2000


def _key(text: str) -> str:
    return re.sub(r"[^a-z]+", "", text.lower())


#: Status names and the synonyms plans use, reduced to letters only ("on-going" = "ongoing").
STATUS_WORDS = {
    **{_key(s.label): s.value for s in Status},
    **{_key(s.value): s.value for s in Status},
    "notyetstarted": Status.NOT_STARTED,
    "notstartedyet": Status.NOT_STARTED,
    "planned": Status.NOT_STARTED,
    "ongoing": Status.ON_TRACK,
    "inprogress": Status.ON_TRACK,
    "underway": Status.ON_TRACK,
    "started": Status.ON_TRACK,
    "green": Status.ON_TRACK,
    "amber": Status.AT_RISK,
    "red": Status.DELAYED,
    "behind": Status.DELAYED,
    "behindschedule": Status.DELAYED,
    "overdue": Status.DELAYED,
    "complete": Status.COMPLETED,
    "done": Status.COMPLETED,
    "achieved": Status.COMPLETED,
    "finished": Status.COMPLETED,
    "closed": Status.COMPLETED,
    "carriedforward": Status.CARRIED_OVER,
    "carryforward": Status.CARRIED_OVER,
    "carryover": Status.CARRIED_OVER,
    "cf": Status.CARRIED_OVER,
    "rolledover": Status.CARRIED_OVER,
    "rolledforward": Status.CARRIED_OVER,
    "cancelled": Status.WITHDRAWN,
    "canceled": Status.WITHDRAWN,
    "dropped": Status.WITHDRAWN,
    "stopped": Status.WITHDRAWN,
    "nolongerrequired": Status.WITHDRAWN,
}

#: The template has no RAG column: an imported status brings the RAG it usually means.
RAG_FOR_STATUS = {
    Status.NOT_STARTED: Rag.AMBER,
    Status.ON_TRACK: Rag.GREEN,
    Status.AT_RISK: Rag.AMBER,
    Status.DELAYED: Rag.RED,
    Status.COMPLETED: Rag.GREEN,
    Status.CARRIED_OVER: Rag.AMBER,
    Status.WITHDRAWN: Rag.RED,
}


def status_from_text(text: str) -> str | None:
    """Our status for a word a plan uses ("complete", "on-going", "carried forward")."""
    return STATUS_WORDS.get(_key(text))


def join_list(items: list[str]) -> str:
    """Several values in one cell, separated by ; (a ; inside a value is written ;;)."""
    return "; ".join(item.replace(";", ";;") for item in items)


def split_list(text: str) -> list[str]:
    """The values of a ;-separated cell: blanks dropped, ;; read as a ; inside a value."""
    values, current, i = [], [], 0
    while i < len(text):
        if text.startswith(";;", i):
            current.append(";")
            i += 2
        elif text[i] == ";":
            values.append("".join(current))
            current = []
            i += 1
        else:
            current.append(text[i])
            i += 1
    values.append("".join(current))
    return [value.strip() for value in values if value.strip()]


#: A number the plan prints before an issue's title: "1. Title" (ref "1"), "1) Title" (ref "1)").
ISSUE_REF = re.compile(r"(\d{1,3}[a-z]?)([.)])\s+(\S.*)", re.S)


def issue_cell(ref: str, title: str) -> str:
    """An emerging_issue cell: the issue's printed number, then its title."""
    if not ref:
        return title
    return f"{ref if not ref[-1].isalnum() else ref + '.'} {title}"


def split_issue_cell(text: str) -> tuple[str, str]:
    """(ref, title) from an emerging_issue cell; the inverse of issue_cell."""
    match = ISSUE_REF.fullmatch(text)
    if not match:
        return "", text
    number, mark, title = match.groups()
    return (number if mark == "." else number + mark), title


#: A reference that stays unique in a plan whose actions restart their lettering under each
#: issue (Medway: aim "a" of objective 1 of theme 2 is "2.1.a").
QUALIFIED_REF = re.compile(r"(\d+)\.(\d+)\.([^\s.]+)")


def qualified_ref(priority_rank: int, issue_rank: int, ref: str) -> str:
    """The action's reference qualified by its priority's and issue's places in the plan."""
    return f"{priority_rank}.{issue_rank}.{ref}"


class Problem:
    """An error or warning about the file, placed by row (or rows) and column where it can be."""

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        rows: list[int] | None = None,
    ):
        self.message = message
        self.rows = rows or ([row] if row else [])
        self.column = column

    @property
    def row(self) -> int | None:
        return self.rows[0] if self.rows else None

    @property
    def place(self) -> str:
        """ "Row 14, target_date", "Rows 2 to 9 and 12, lead_agency", or ""."""
        where = ""
        if len(self.rows) == 1:
            where = f"Row {self.rows[0]}"
        elif self.rows:
            where = f"Rows {_spans(self.rows)}"
        if self.column:
            return f"{where}, {self.column}" if where else f"Column {self.column}"
        return where

    def __str__(self):
        return f"{self.place}: {self.message}" if self.place else self.message

    def __repr__(self):
        return f"Problem({str(self)!r})"


def _spans(rows: list[int]) -> str:
    """2, 3, 4, 5, 9 → "2 to 5 and 9"."""
    spans, start, previous = [], rows[0], rows[0]
    for row in [*rows[1:], None]:
        if row is not None and row == previous + 1:
            previous = row
            continue
        spans.append(str(start) if start == previous else f"{start} to {previous}")
        if row is not None:
            start = previous = row
    return get_text_list(spans, "and")


class UnreadableFile(Exception):
    """The file cannot be read as the template at all; `problems` say why."""

    def __init__(self, *problems: Problem):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)
