"""Carry out a preview through the services, in the order the rows need them.

Called inside the one transaction of actions.importing.import_file, after the preview was
computed again and its fingerprint compared, so that what is applied is what was shown.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from actions import services
from actions.importing.preview import NewAgency, Preview
from actions.models import ReportingPeriod
from csp_tracker.editing import UNCHANGED, given
from plans import services as plan_services
from plans.models import Plan


@dataclass
class ImportResult:
    """What an import did."""

    plan: Plan
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    updates: int = 0
    agencies: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """ "2 actions created, 1 updated, 1 progress update recorded", naming only what
        happened."""
        parts = [
            (self.created, f"{_actions(self.created)} created"),
            (self.updated, f"{_actions(self.updated)} updated"),
            (self.unchanged, f"{_actions(self.unchanged)} unchanged"),
            (self.updates, f"{self.updates} progress update{'s' * (self.updates != 1)} recorded"),
            (self.agencies, f"{len(self.agencies)} new {_agencies(len(self.agencies))} added"),
        ]
        said = [text for count, text in parts if count]
        return ", ".join(said) if said else "nothing changed"


def _actions(n: int) -> str:
    return f"{n} action" if n == 1 else f"{n} actions"


def _agencies(n: int) -> str:
    return "agency" if n == 1 else "agencies"


def execute(preview: Preview, *, by, reason: str) -> ImportResult:
    """Create and change what the preview lists; the caller holds the transaction."""
    partnership = preview.partnership
    if partnership is None:
        partnership = plan_services.create_partnership(**preview.new_partnership, by=by)
    made = {}
    for new in preview.new_agencies:
        made[id(new)] = plan_services.create_agency(
            name=new.name, abbreviation=new.abbreviation, by=by
        )
    plan = preview.plan or _create_plan(preview, partnership, by)
    for priority in preview.priorities:
        if priority.priority is None:
            priority.priority = plan_services.add_priority(plan=plan, title=priority.title, by=by)
    for priority in preview.priorities:
        for issue in priority.issues:
            if issue.issue is None:
                issue.issue = plan_services.add_issue(
                    priority=priority.priority, title=issue.title, ref=issue.ref, by=by
                )

    def agency(value):
        return made[id(value)] if isinstance(value, NewAgency) else value

    today = timezone.localdate()
    period = ReportingPeriod.objects.filter(plan=plan).open().current(today)
    if period is not None and not period.contains(today):
        period = None
    result = ImportResult(plan=plan, agencies=[str(a) for a in preview.new_agencies])
    specs = [_new_action(row, agency) for row in preview.actions if row.kind == "created"]
    services.add_actions_from_import(
        specs=specs, by=by, reason=reason, reported_on=None, period=period
    )
    result.created = len(specs)
    changes = [_change(row, agency) for row in preview.actions if row.kind == "updated"]
    services.update_actions_from_import(changes=changes, by=by, reason=reason)
    result.updated = len(changes)
    updates = [
        {
            "action": row.action,
            "based_on": row.update.based_on,
            "status": row.update.status,
            "rag": row.update.rag,
            "narrative": row.update.narrative,
        }
        for row in preview.actions
        if row.kind != "created" and row.update is not None
    ]
    services.record_updates_from_import(
        updates=updates, by=by, reason=reason, reported_on=None, period=period
    )
    result.updates = len(preview.updates)
    result.unchanged = len(preview.unchanged)
    return result


def _change(row, agency) -> dict:
    """What services.update_actions_from_import needs for a row's changed details."""
    values = {
        "issue": row.issue.issue,
        "title": row.title,
        "lead_agency": agency(row.lead) if given(row.lead) else UNCHANGED,
        "support_agencies": [agency(a) for a in row.support] if given(row.support) else UNCHANGED,
        "measures": row.measures,
        "target_date": row.target_date,
    }
    change = {field: values[field] for field in row.changed}
    return {"action": row.action, "version": row.action.version, **change}


def _new_action(row, agency) -> dict:
    """What services.add_actions_from_import needs for a row's new action."""
    update = row.update
    return {
        "issue": row.issue.issue,
        "number": row.number,
        "ref": row.ref,
        "title": row.title,
        "lead_agency": agency(row.lead) if given(row.lead) else None,
        "support_agencies": [agency(a) for a in row.support] if given(row.support) else [],
        "target_date": row.target_date if given(row.target_date) else None,
        "measures": row.measures if given(row.measures) else [],
        "update": (
            {"status": update.status, "rag": update.rag, "narrative": update.narrative}
            if update
            else None
        ),
    }


def _create_plan(preview: Preview, partnership, by) -> Plan:
    days = (preview.period_end - preview.period_start).days
    kind = Plan.Kind.ANNUAL if days <= 366 else Plan.Kind.MULTI_YEAR
    return plan_services.create_plan(
        partnership=partnership,
        slug=preview.plan_slug,
        title=preview.plan_title,
        period_start=preview.period_start,
        period_end=preview.period_end,
        kind=kind,
        source=f"Imported from {preview.filename}"[:300],
        by=by,
    )
