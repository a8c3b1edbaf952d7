"""A plan in the import template's format (CSV or Excel), and the blank template itself.

Exporting a plan and importing the file into an empty database gives the same plan, in
everything the template's columns hold. References stay unique within the plan: where the
plan restarts its lettering under each issue (Medway's aims a, b, c under every objective,
its objectives 1), 2), 3) under every theme), each reference is qualified by the places of
its priority and issue in the plan, "2.1.a", which the importer reads back as aim "a" of the
first issue of the second priority. Cells a spreadsheet would run as a formula are written
as text: with a leading ' in CSV, as quote-prefixed text cells in Excel.
"""

import datetime
import io
from collections import Counter

from django.db.models import Prefetch

from actions.importing.columns import (
    COLUMNS,
    GUIDANCE,
    issue_cell,
    join_list,
    qualified_ref,
)
from actions.models import Action, Status, latest_update
from csp_tracker import downloads
from csp_tracker.downloads import CSV_TYPE, FORMULA_STARTS, XLSX_TYPE
from plans.models import EmergingIssue, Plan

FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}


def plan_rows(plan: Plan) -> list[dict]:
    """The plan as template rows: one per action, and one per priority or issue without any.

    Reads in a fixed number of queries whatever the number of actions.
    """
    issues = EmergingIssue.objects.order_by("number")
    priorities = list(
        plan.priorities.order_by("position").prefetch_related(Prefetch("issues", queryset=issues))
    )
    actions = list(
        Action.objects.filter(plan=plan)
        .for_plan_page()
        .annotate(latest_narrative=latest_update("narrative"))
    )
    places = place_cells(plan)
    by_issue = {}
    for action in actions:
        by_issue.setdefault(action.issue_id, []).append(action)
    common = {
        "partnership": plan.partnership.name,
        "plan_title": plan.title,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
    }
    rows = []
    for priority in priorities:
        issues = list(priority.issues.all())
        if not issues:
            rows.append({**common, "priority": priority.title})
        for issue in issues:
            place = {**common, "priority": priority.title, "emerging_issue": issue_column(issue)}
            if issue.pk not in by_issue:
                rows.append(place)
            for action in by_issue.get(issue.pk, []):
                rows.append({**place, **_action_cells(action, places[action.pk]["action_ref"])})
    return rows


def issue_column(issue: EmergingIssue) -> str:
    """The emerging_issue cell: blank where the plan has no level between priority and action
    (the importer then files the action under an issue named as its priority)."""
    own = issue.ref or issue.title != issue.priority.title
    return issue_cell(issue.ref, issue.title) if own else ""


def place_cells(plan: Plan) -> dict[int, dict]:
    """Each action of the plan → its emerging_issue and action_ref cells as plan_rows writes
    them, for other exports that share the template's columns. Three queries."""
    priority_ranks = {
        pk: rank
        for rank, pk in enumerate(
            plan.priorities.order_by("position").values_list("pk", flat=True), start=1
        )
    }
    issues = EmergingIssue.objects.filter(plan=plan).select_related("priority")
    ranks, issue_ranks = {}, Counter()
    for issue in issues.order_by("priority__position", "number"):
        issue_ranks[issue.priority_id] += 1
        ranks[issue.pk] = (priority_ranks[issue.priority_id], issue_ranks[issue.priority_id], issue)
    actions = list(Action.objects.filter(plan=plan).values_list("pk", "issue_id", "ref"))
    refs = [ref for _, _, ref in actions if ref]
    qualify = len(refs) != len(set(refs))
    cells = {}
    for pk, issue_id, ref in actions:
        priority_rank, issue_rank, issue = ranks[issue_id]
        if ref and qualify:
            ref = qualified_ref(priority_rank, issue_rank, ref)
        cells[pk] = {"emerging_issue": issue_column(issue), "action_ref": ref}
    return cells


def _action_cells(action: Action, ref: str) -> dict:
    return {
        "action_ref": ref,
        "action": action.title,
        "lead_agency": str(action.lead_agency) if action.lead_agency else "",
        "support_agencies": join_list([str(a) for a in action.support_agencies.all()]),
        "measures": join_list([m.text for m in action.measures.all()]),
        "target_date": action.target_date,
        "status": Status(action.status).label,
        "progress_update": action.latest_narrative or "",
    }


def export_filename(plan: Plan, fmt: str) -> str:
    """ "thanet-csp-plan-2015-16.xlsx": the plan as a spreadsheet (its PDF ends .pdf)."""
    return f"{plan.partnership.file_stem}-plan-{plan.slug}.{fmt}"


def export_plan(plan: Plan, fmt: str) -> bytes:
    """The plan in the template format, as CSV or Excel bytes."""
    return write(plan_rows(plan), fmt)


def blank_template(fmt: str) -> bytes:
    """The template with its header row only (and, in Excel, the guidance sheet)."""
    return write([], fmt)


def write(rows: list[dict], fmt: str) -> bytes:
    if fmt == "csv":
        return _csv(rows)
    if fmt == "xlsx":
        return _xlsx(rows)
    raise ValueError(f"No such format: {fmt}")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def rows_csv(columns: list[str], rows: list[dict]) -> bytes:
    """A CSV of the columns of dict rows, formula-safe, with a byte-order mark (the template
    is filled in in Excel and read back). Also writes the progress export (reports)."""
    cells = ([_text(row.get(c)) for c in columns] for row in rows)
    return downloads.csv_bytes(columns, cells, byte_order_mark=True)


def _csv(rows: list[dict]) -> bytes:
    return rows_csv(COLUMNS, rows)


WIDTHS = {
    "partnership": 24,
    "plan_title": 24,
    "period_start": 13,
    "period_end": 13,
    "priority": 24,
    "emerging_issue": 36,
    "action_ref": 10,
    "action": 60,
    "lead_agency": 28,
    "support_agencies": 36,
    "measures": 48,
    "target_date": 13,
    "status": 14,
    "progress_update": 48,
}


def actions_workbook(columns: list[str], rows: list[dict], widths: dict[str, int]):
    """An openpyxl workbook with one "Actions" sheet: the header in bold and frozen, dates as
    dates, text wrapped, and text that a spreadsheet would run as a formula stored as text.
    Also writes the progress export (reports)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Actions"
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            value = row.get(column)
            if value in (None, ""):
                continue
            cell = sheet.cell(row=number, column=index)
            if isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
                continue
            cell.value = value
            cell.alignment = wrap
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text, never a formula
                cell.quotePrefix = True
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths[column]
    return book


def _xlsx(rows: list[dict]) -> bytes:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = actions_workbook(COLUMNS, rows, WIDTHS)
    sheet = book.active
    statuses = ",".join(s.label for s in Status)
    check = DataValidation(type="list", formula1=f'"{statuses}"', allow_blank=True)
    check.error = "Choose one of the statuses in the list."
    status_column = get_column_letter(COLUMNS.index("status") + 1)
    check.add(f"{status_column}2:{status_column}5001")
    sheet.add_data_validation(check)
    guide = book.create_sheet("Guidance")
    guide.append(["Column", "Required", "What it holds"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    required = {"partnership", "plan_title", "period_start", "period_end", "priority", "action"}
    for column in COLUMNS:
        guide.append([column, "Yes" if column in required else "", GUIDANCE[column]])
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
