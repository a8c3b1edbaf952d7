"""Import test tools: files built from rows, an empty database, the state of the database,
and what "the same plan" means in the template's terms."""

from django.apps import apps
from django.db import connection

#: Apps whose rows an "empty database" has none of (users stay: someone must import).
DATA_APPS = ["plans", "actions", "meetings", "reports"]


def empty_database() -> None:
    """Delete every row of the data apps, inside the test's transaction (rolled back after).

    Foreign keys are checked when a transaction commits, so the order does not matter;
    append-only rows are removed with SQL, as nothing in the code may remove them.
    """
    existing = set(connection.introspection.table_names())
    tables = set()
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    tables &= existing
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def _agency(agency) -> tuple | None:
    return (agency.name, agency.abbreviation) if agency else None


def plan_in_template_terms(plan) -> dict:
    """Everything of a plan that the template's columns carry, in the plan's own order."""
    from actions.models import Action, ActionUpdate

    actions = (
        Action.objects.filter(plan=plan)
        .select_related("issue__priority", "lead_agency")
        .prefetch_related("support_agencies", "measures")
        .order_by("number")
    )
    latest = {}
    for update in ActionUpdate.objects.filter(action__plan=plan).latest_first():
        latest.setdefault(update.action_id, update)
    return {
        "partnership": plan.partnership.name,
        "title": plan.title,
        "period": (plan.period_start, plan.period_end),
        "priorities": [p.title for p in plan.priorities.order_by("position")],
        "issues": [
            (i.priority.title, i.ref, i.title)
            for i in plan.issues.select_related("priority").order_by("number")
        ],
        "actions": [
            {
                "number": a.number,
                "ref": a.ref,
                "issue": (a.issue.priority.title, a.issue.ref, a.issue.title),
                "title": a.title,
                "lead": _agency(a.lead_agency),
                "support": sorted(_agency(s) for s in a.support_agencies.all()),
                "measures": [m.text for m in a.measures.all()],
                "target_date": a.target_date,
                "status": a.status,
                "rag": a.rag,
                "progress": latest[a.pk].narrative if a.pk in latest else "",
            }
            for a in actions
        ],
    }


def database_state() -> dict:
    """How many rows each table of the data apps holds, and its highest id: any write shows."""
    state = {}
    for label in [*DATA_APPS, "auth"]:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.db_table not in connection.introspection.table_names():
                continue
            rows = model._base_manager.order_by("-pk").values_list("pk", flat=True)
            state[model._meta.label] = (rows.count(), rows.first())
    return state


THANET = "Thanet Community Safety Partnership"
PLAN = "Community Safety Plan 2015/2016"
HEADER = [
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


def row(**cells) -> dict:
    """A template row for a new plan of Thanet's, with only what a test states."""
    base = {
        "partnership": THANET,
        "plan_title": "Imported Plan 2016/17",
        "period_start": "2016-04-01",
        "period_end": "2017-03-31",
        "priority": "Safeguarding",
    }
    return {**base, **cells}


def csv_bytes(rows: list[dict], header: list[str] = HEADER, encoding: str = "utf-8") -> bytes:
    """The rows as a CSV file in the template's columns."""
    import csv
    import io

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for cells in rows:
        writer.writerow([cells.get(column, "") for column in header])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict], header: list[str] = HEADER, *, build=None) -> bytes:
    """The rows as an Excel workbook; `build(book, sheet)` may change it before saving."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Actions"
    sheet.append(header)
    for cells in rows:
        sheet.append([cells.get(column) for column in header])
    if build is not None:
        build(book, sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
