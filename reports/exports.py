"""A plan's actions with their status and latest update, as CSV or XLSX (django-import-export).

The columns are the import template's (the plans import), written as the template writes
them (actions/plan_export.py: numbered issues, qualified references, ;-separated lists), so
that an export can be read back in; then the date of the latest update and the RAG. The
status, progress and RAG are as at the chosen moment.
Spreadsheets evaluate a cell that starts with = + - @ (or a tab or carriage return) as a
formula, so such text is escaped: in CSV with a leading single quote, in XLSX by storing the
cell as text (marked with Excel's quote prefix), so nobody opening an export runs a formula
that an officer typed.
"""

import io

import tablib
from import_export import fields, resources
from import_export.formats import base_formats
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from actions.importing.columns import FORMULA_STARTS, escape_cell, join_list
from actions.models import Rag, Status
from actions.plan_export import place_cells
from reports.documents import AsAt, actions_as_at

#: The import template's columns, then what an export adds.
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
    "progress_date",
    "rag",
]


class ActionResource(resources.Resource):
    """One row per action, in plan order, as it stood at the moment of the export."""

    partnership = fields.Field(column_name="partnership")
    plan_title = fields.Field(column_name="plan_title")
    period_start = fields.Field(column_name="period_start")
    period_end = fields.Field(column_name="period_end")
    priority = fields.Field(column_name="priority")
    emerging_issue = fields.Field(column_name="emerging_issue")
    action_ref = fields.Field(column_name="action_ref")
    action = fields.Field(attribute="title", column_name="action")
    lead_agency = fields.Field(column_name="lead_agency")
    support_agencies = fields.Field(column_name="support_agencies")
    measures = fields.Field(column_name="measures")
    target_date = fields.Field(column_name="target_date")
    status = fields.Field(column_name="status")
    progress_update = fields.Field(column_name="progress_update")
    progress_date = fields.Field(column_name="progress_date")
    rag = fields.Field(column_name="rag")

    class Meta:
        export_order = COLUMNS

    def __init__(self, places: dict[int, dict]):
        super().__init__()
        self.places = places

    def dehydrate_partnership(self, action):
        return action.plan.partnership.name

    def dehydrate_plan_title(self, action):
        return action.plan.title

    def dehydrate_period_start(self, action):
        return action.plan.period_start.isoformat()

    def dehydrate_period_end(self, action):
        return action.plan.period_end.isoformat()

    def dehydrate_priority(self, action):
        return action.issue.priority.title

    def dehydrate_emerging_issue(self, action):
        return self.places[action.pk]["emerging_issue"]

    def dehydrate_action_ref(self, action):
        return self.places[action.pk]["action_ref"]

    def dehydrate_lead_agency(self, action):
        return str(action.lead_agency) if action.lead_agency else ""

    def dehydrate_support_agencies(self, action):
        return join_list([str(a) for a in action.support_agencies.all()])

    def dehydrate_measures(self, action):
        return join_list([m.text for m in action.measures.all()])

    def dehydrate_target_date(self, action):
        return action.target_date.isoformat() if action.target_date else ""

    def dehydrate_status(self, action):
        return Status(action.status_as_at).label

    def dehydrate_progress_update(self, action):
        return action.narrative_as_at or ""

    def dehydrate_progress_date(self, action):
        return action.reported_on_as_at.isoformat() if action.reported_on_as_at else ""

    def dehydrate_rag(self, action):
        return Rag(action.rag_as_at).label if action.rag_as_at else ""


def csv_safe(value):
    """A CSV cell that no spreadsheet reads as a formula: a leading quote where it would."""
    return escape_cell(value) if isinstance(value, str) else value


class SafeCSV(base_formats.CSV):
    """UTF-8 with a byte order mark (so Excel reads £ and curly quotes), formulae escaped."""

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            safe.append([csv_safe(value) for value in row])
        return "\ufeff" + super().export_data(safe, **kwargs)


class SafeXLSX(base_formats.XLSX):
    """One sheet, header in bold and frozen; every text cell stored as text, never a formula."""

    def export_data(self, dataset, **kwargs):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Actions"
        sheet.append(dataset.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        wrap = Alignment(wrap_text=True, vertical="top")
        for row_number, row in enumerate(dataset, start=2):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                    cell.quotePrefix = value.startswith(FORMULA_STARTS)
                    if "\n" in value or len(value) > 60:
                        cell.alignment = wrap
        for column, width in zip("ABCDEFGHIJKLMNOP", WIDTHS, strict=True):
            sheet.column_dimensions[column].width = width
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()


#: Column widths in the XLSX, in characters: long text columns wide, dates narrow.
WIDTHS = [28, 28, 12, 12, 30, 40, 10, 60, 24, 30, 40, 12, 14, 60, 14, 8]

FORMATS = {"csv": SafeCSV(), "xlsx": SafeXLSX()}


def export_actions(plan, viewer, moment: AsAt, fmt: str) -> bytes:
    """The plan's actions the viewer may read, as a CSV or XLSX file's bytes."""
    actions = sorted(
        actions_as_at(plan, viewer, moment).select_related("plan__partnership"),
        key=lambda a: (a.issue.priority.position, a.issue.number, a.number),
    )
    dataset = ActionResource(place_cells(plan)).export(queryset=actions)
    content = FORMATS[fmt].export_data(dataset)
    return content.encode("utf-8") if isinstance(content, str) else content


def export_filename(plan, moment: AsAt, fmt: str) -> str:
    """ "thanet-csp-actions-2015-16-q3.csv"."""
    return f"{plan.partnership.file_stem}-actions-{plan.slug}-{moment.slug}.{fmt}"
