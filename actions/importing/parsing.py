"""From a table of cells to a plan in memory: every cell checked, every problem placed.

Nothing here reads the database; matching.py compares the result with what is stored.
"""

import datetime
import re
from dataclasses import dataclass, field

from actions.importing.columns import (
    ACTION_COLUMNS,
    DATE_COLUMNS,
    MAX_ABBREVIATION,
    MAX_AGENCY_NAME,
    MAX_LENGTH,
    MAX_MEASURE,
    REQUIRED_CELLS,
    Problem,
    split_issue_cell,
    split_list,
    status_from_text,
)
from actions.importing.reading import Cell, Table
from actions.models import Status
from plans.models import normalise_name

#: The statuses, as the error message lists them.
STATUS_NAMES = ", ".join(s.label for s in Status)


def title_key(text: str) -> str:
    """Titles match ignoring case and spacing."""
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class AgencyName:
    """An agency as a cell names it; "Kent Fire and Rescue Service (KFRS)" gives both parts."""

    text: str
    name: str
    abbreviation: str = ""


_WITH_ABBREVIATION = re.compile(r"(.*\S)\s*\(([^()]+)\)")


def agency_name(text: str) -> AgencyName:
    """Split "Name (ABBR)" when the bracket holds an abbreviation (no lower-case letters)."""
    match = _WITH_ABBREVIATION.fullmatch(text)
    if match:
        name, abbreviation = match.group(1), match.group(2).strip()
        if abbreviation == abbreviation.upper() and any(ch.isalpha() for ch in abbreviation):
            return AgencyName(text, name, abbreviation)
    return AgencyName(text, text)


@dataclass
class Row:
    """One row of the file: an action, or just a priority (and issue) with no actions yet."""

    number: int
    priority: str
    issue_ref: str = ""
    issue_title: str = ""
    action_ref: str = ""
    action: str = ""
    lead: AgencyName | None = None
    support: list[AgencyName] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    target_date: datetime.date | None = None
    status: str = ""
    progress: str = ""

    @property
    def has_action(self) -> bool:
        return bool(self.action)


@dataclass
class ParsedPlan:
    """The file's plan as read, with its problems; `columns` are those the file has."""

    format: str
    columns: set[str]
    partnership: str = ""
    plan_title: str = ""
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    rows: list[Row] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    #: The row each of partnership, plan_title, period_start and period_end was first read on.
    first_rows: dict[str, int] = field(default_factory=dict)
    differing: set[str] = field(default_factory=set)


def parse_table(table: Table) -> ParsedPlan:
    """Check every cell of the table and build the plan it describes."""
    parsed = ParsedPlan(format=table.format, columns=set(table.columns))
    parsed.warnings.extend(table.warnings)
    for number, cells in table.rows:
        row = _row(number, cells, parsed)
        if row is not None:
            parsed.rows.append(row)
    _check_plan(parsed)
    _check_duplicates(parsed)
    return parsed


def _row(number: int, cells: dict[str, Cell], parsed: ParsedPlan) -> Row | None:
    errors, warnings = parsed.errors, parsed.warnings
    text = {}
    for column, cell in cells.items():
        if cell.error:
            errors.append(
                Problem(
                    f'the cell shows the spreadsheet error "{cell.value}".',
                    row=number,
                    column=column,
                )
            )
            text[column] = ""
            continue
        if cell.formula:
            warnings.append(
                Problem(
                    f'the cell holds the formula "{cell.value}"; it was read as that text, '
                    "not calculated.",
                    row=number,
                    column=column,
                )
            )
        value = cell.value
        text[column] = value.isoformat() if isinstance(value, datetime.date) else value
        limit = MAX_LENGTH.get(column)
        if limit and len(text[column]) > limit:
            errors.append(
                Problem(
                    f"is {len(text[column]):,} characters long; the most it may hold is {limit:,}.",
                    row=number,
                    column=column,
                )
            )
            text[column] = text[column][:limit]
    dates = {}
    for column in DATE_COLUMNS:
        if column in cells:
            dates[column] = _date(cells[column], number, column, errors)
    for column in REQUIRED_CELLS:
        if column in cells and cells[column].value == "":
            errors.append(Problem("is blank.", row=number, column=column))
    _same_on_every_row(parsed, number, text, dates)

    row = Row(number=number, priority=text.get("priority", ""))
    if text.get("emerging_issue"):
        row.issue_ref, row.issue_title = split_issue_cell(text["emerging_issue"])
    row.action_ref = text.get("action_ref", "")
    row.action = text.get("action", "")
    if not row.action:
        filled = [c for c in ACTION_COLUMNS if c != "action" and text.get(c)]
        if filled:
            errors.append(
                Problem(
                    f"is blank, but the row has {_list(filled)}. Write the action, or clear the "
                    "row's other action cells if the row only names a priority.",
                    row=number,
                    column="action",
                )
            )
        return row
    lead = text.get("lead_agency", "")
    if ";" in lead:
        errors.append(
            Problem(
                "names more than one agency. An action has one lead agency: put the others in "
                "support_agencies.",
                row=number,
                column="lead_agency",
            )
        )
    elif lead:
        row.lead = _agency(lead, number, "lead_agency", errors)
    seen = set()
    for name in split_list(text.get("support_agencies", "")):
        agency = _agency(name, number, "support_agencies", errors)
        if agency and normalise_name(agency.name) not in seen:
            seen.add(normalise_name(agency.name))
            row.support.append(agency)
    for measure in split_list(text.get("measures", "")):
        if len(measure) > MAX_MEASURE:
            errors.append(
                Problem(
                    f"a measure is {len(measure):,} characters long; the most is {MAX_MEASURE:,}.",
                    row=number,
                    column="measures",
                )
            )
        row.measures.append(measure)
    row.target_date = dates.get("target_date")
    if text.get("status"):
        status = status_from_text(text["status"])
        if status is None:
            errors.append(
                Problem(
                    f'"{text["status"]}" is not a status the import knows. Use one of: '
                    f"{STATUS_NAMES}.",
                    row=number,
                    column="status",
                )
            )
        else:
            row.status = status
    row.progress = text.get("progress_update", "")
    return row


def _list(columns: list[str]) -> str:
    return ", ".join(columns[:-1]) + (" and " if len(columns) > 1 else "") + columns[-1]


def _agency(text: str, number: int, column: str, errors: list[Problem]) -> AgencyName | None:
    agency = agency_name(text)
    if len(agency.name) > MAX_AGENCY_NAME or len(agency.abbreviation) > MAX_ABBREVIATION:
        errors.append(
            Problem(
                f'"{text[:60]}…" is too long for an agency\'s name (the most is '
                f"{MAX_AGENCY_NAME} characters).",
                row=number,
                column=column,
            )
        )
        return None
    if not normalise_name(agency.name):
        errors.append(Problem(f'"{text}" is not an agency\'s name.', row=number, column=column))
        return None
    return agency


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date(value) -> datetime.date | None:
    """A date from ISO (2016-03-31) or UK (31/03/2016) text, or a spreadsheet's date cell."""
    if isinstance(value, datetime.date):
        return value
    text = value.strip()
    for pattern, order in ((_ISO, (0, 1, 2)), (_UK, (2, 1, 0))):
        match = pattern.fullmatch(text)
        if match:
            parts = match.groups()
            year, month, day = (int(parts[i]) for i in order)
            if not 1900 <= year <= 2200:
                return None
            try:
                return datetime.date(year, month, day)
            except ValueError:
                return None
    return None


def _date(cell: Cell, number: int, column: str, errors: list[Problem]) -> datetime.date | None:
    if cell.value == "" or cell.error:
        return None
    day = parse_date(cell.value)
    if day is None:
        errors.append(Problem(f'"{cell.value}" is not a date.', row=number, column=column))
    return day


def _same_on_every_row(parsed: ParsedPlan, number: int, text: dict, dates: dict) -> None:
    """A file holds one plan: its partnership, title and period are the same on every row."""
    checks = [
        ("partnership", text.get("partnership", ""), normalise_name),
        ("plan_title", text.get("plan_title", ""), title_key),
        ("period_start", dates.get("period_start"), None),
        ("period_end", dates.get("period_end"), None),
    ]
    for column, value, key in checks:
        if not value:
            continue
        current = getattr(parsed, column)
        if not current:
            setattr(parsed, column, value)
            parsed.first_rows[column] = number
            continue
        same = key(current) == key(value) if key else current == value
        if not same and column not in parsed.differing:
            first = parsed.first_rows[column]
            shown = current.strftime("%d/%m/%Y") if key is None else current
            parsed.errors.append(
                Problem(
                    f'differs from row {first} ("{shown}"). A file holds one plan: the '
                    "partnership, plan title and period are the same on every row.",
                    row=number,
                    column=column,
                )
            )
            parsed.differing.add(column)


def _check_plan(parsed: ParsedPlan) -> None:
    start, end = parsed.period_start, parsed.period_end
    if start and end and end <= start:
        parsed.errors.append(
            Problem(
                f"the plan ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y}).",
                row=parsed.first_rows["period_end"],
                column="period_end",
            )
        )
    if not any(row.has_action for row in parsed.rows) and not parsed.errors:
        parsed.warnings.append(Problem("The file names priorities but no actions."))


def _check_duplicates(parsed: ParsedPlan) -> None:
    refs: dict[str, int] = {}
    texts: dict[tuple[str, str], int] = {}
    issues: dict[str, tuple[str, int]] = {}
    for row in parsed.rows:
        if row.issue_title:
            key = title_key(row.issue_title)
            priority, first = issues.setdefault(key, (row.priority, row.number))
            if title_key(priority) != title_key(row.priority):
                parsed.errors.append(
                    Problem(
                        f'"{row.issue_title}" is under the priority "{priority}" on row '
                        f"{first}. An emerging issue belongs to one priority.",
                        row=row.number,
                        column="emerging_issue",
                    )
                )
        if not row.has_action:
            continue
        if row.action_ref:
            first = refs.setdefault(row.action_ref, row.number)
            if first != row.number:
                parsed.errors.append(
                    Problem(
                        f'"{row.action_ref}" is also the reference on row {first}. Each '
                        "action_ref is used once in a file.",
                        row=row.number,
                        column="action_ref",
                    )
                )
        else:
            key = (title_key(row.priority), title_key(row.action))
            first = texts.setdefault(key, row.number)
            if first != row.number:
                parsed.errors.append(
                    Problem(
                        f"the same action is on row {first} under the same priority. Give the "
                        "actions an action_ref, or remove the repeat.",
                        row=row.number,
                        column="action",
                    )
                )
