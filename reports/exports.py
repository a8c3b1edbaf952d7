"""A plan's actions with their status and latest update, as CSV or XLSX (django-import-export).

The columns are the import template's (the plans import), written as the template writes
them (actions/importing/writing.py: numbered issues, qualified references, ;-separated lists), so
that an export can be read back in; then the date of the latest update and the RAG, the
measures' latest readings, and the lead and support as the plan prints them ("Oasis / TDAF",
"ALL partners senior management"). The status, progress, RAG and readings are as at the
chosen moment. Dates are dates: date cells in XLSX, ISO 8601 (2015-12-14) in CSV.
Spreadsheets evaluate a cell that starts with = + - @ (or a tab or carriage return) as a
formula, so such text is escaped: in CSV with a leading single quote, in XLSX by storing the
cell as text (marked with Excel's quote prefix), so nobody opening an export runs a formula
that an officer typed.
"""

import io

from import_export import fields, resources
from import_export.formats import base_formats

from actions.forms import number
from actions.importing import writing
from actions.importing.columns import COLUMNS as TEMPLATE_COLUMNS
from actions.importing.columns import join_list
from actions.importing.writing import actions_workbook, place_cells, rows_csv
from actions.models import Rag, Status
from reports.documents import AsAt, actions_as_at

#: The import template's columns, then what an export adds.
COLUMNS = [
    *TEMPLATE_COLUMNS,
    "progress_date",
    "rag",
    "measure_readings",
    "lead_as_printed",
    "support_as_printed",
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
    measure_readings = fields.Field(column_name="measure_readings")
    lead_as_printed = fields.Field(column_name="lead_as_printed")
    support_as_printed = fields.Field(column_name="support_as_printed")

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
        return action.plan.period_start

    def dehydrate_period_end(self, action):
        return action.plan.period_end

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
        return action.target_date

    def dehydrate_status(self, action):
        return Status(action.status_as_at).label

    def dehydrate_progress_update(self, action):
        return action.narrative_as_at or ""

    def dehydrate_progress_date(self, action):
        return action.reported_on_as_at

    def dehydrate_rag(self, action):
        return Rag(action.rag_as_at).label if action.rag_as_at else ""

    def dehydrate_measure_readings(self, action):
        """ "2 Courses delivered: 1 (2015-12-14)" for each measure read by the moment."""
        return join_list(
            [
                f"{m.text}: {number(m.value_as_at)} ({m.read_on_as_at.isoformat()})"
                for m in action.measures.all()
                if m.value_as_at is not None
            ]
        )

    def dehydrate_lead_as_printed(self, action):
        return action.lead_display

    def dehydrate_support_as_printed(self, action):
        return join_list(action.support_display)


def _rows(dataset) -> list[dict]:
    return [dict(zip(dataset.headers, row, strict=True)) for row in dataset]


class SafeCSV(base_formats.CSV):
    """The Resource's rows written as the plan spreadsheet writes its CSV: UTF-8 with a byte
    order mark (so Excel reads £ and curly quotes), formulae escaped."""

    def export_data(self, dataset, **kwargs):
        return rows_csv(list(dataset.headers), _rows(dataset))


class SafeXLSX(base_formats.XLSX):
    """The Resource's rows written as the plan spreadsheet writes its sheet: header in bold
    and frozen, every text cell stored as text, never a formula."""

    def export_data(self, dataset, **kwargs):
        book = actions_workbook(list(dataset.headers), _rows(dataset), WIDTHS)
        output = io.BytesIO()
        book.save(output)
        return output.getvalue()


#: Column widths in the XLSX, in characters: the template's, then what an export adds.
WIDTHS = {
    **writing.WIDTHS,
    "progress_date": 14,
    "rag": 8,
    "measure_readings": 40,
    "lead_as_printed": 28,
    "support_as_printed": 36,
}

#: Each format's writer; the content types are the plan spreadsheet's.
FORMATS = {"csv": SafeCSV(), "xlsx": SafeXLSX()}
CONTENT_TYPES = writing.FORMATS


def export_actions(plan, viewer, moment: AsAt, fmt: str) -> bytes:
    """The plan's actions the viewer may read, as a CSV or XLSX file's bytes."""
    actions = sorted(
        actions_as_at(plan, viewer, moment).select_related("plan__partnership"),
        key=lambda a: (a.issue.priority.position, a.issue.number, a.number),
    )
    dataset = ActionResource(place_cells(plan)).export(queryset=actions)
    return FORMATS[fmt].export_data(dataset)


def export_filename(plan, moment: AsAt, fmt: str) -> str:
    """ "thanet-csp-actions-2015-16-q3.csv"."""
    return f"{plan.partnership.file_stem}-actions-{plan.slug}-{moment.slug}.{fmt}"
