"""What the executive board's dashboard shows, read in a fixed number of queries.

Every count is worked out from the actions' current status and RAG (the cache the action list
filters on), so each figure links to the action list filtered to exactly the actions it
counts.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from actions.filters import NO_LEAD, NO_LEAD_LABEL, NO_RAG
from actions.models import (
    CLOSED_STATUSES,
    ActionUpdate,
    Rag,
    ReportingPeriod,
    Status,
    measures_as_at,
)
from plans.models import Indicator, Plan
from reports import charts

#: Statuses of actions still being delivered: what an update round asks about.
OPEN_STATUSES = [s for s in charts.STATUS_ORDER if s not in CLOSED_STATUSES]
#: How many of the latest updates the dashboard lists.
RECENT_UPDATES = 10
#: How many actions each exception lists; its figure links to all of them.
EXCEPTIONS_LISTED = 10


@dataclass
class Figure:
    """A number on the dashboard and the action list that shows the actions it counts."""

    count: int
    url: str = ""


@dataclass
class AgencyRow:
    name: str
    led: Figure
    completed: Figure
    delayed: Figure
    overdue: Figure
    awaiting: Figure
    last_update: datetime.date | None


@dataclass
class UpdateRound:
    period: ReportingPeriod
    is_current: bool
    expected: int
    updated: Figure
    awaiting: Figure
    percent: int
    agencies_awaiting: list[tuple[str, Figure]]
    chart: charts.ProgressBar


@dataclass
class IndicatorRow:
    indicator: Indicator
    url: str
    latest: object
    on_previous: object
    on_last_year: object
    meets_target: bool | None
    better: bool | None
    chart: charts.Sparkline


@dataclass
class Dashboard:
    plan: Plan
    today: datetime.date
    period: ReportingPeriod | None
    periods: list[ReportingPeriod]
    current_period: ReportingPeriod | None
    total: Figure
    by_status: list[tuple[Status, Figure]]
    overdue: Figure
    status_chart: object
    priority_rows: list[dict]
    status_columns: list[Status]
    rag: list[tuple[str, str, Figure]]
    rag_chart: charts.RagChart
    update_round: UpdateRound | None
    agencies: list[AgencyRow]
    measures: list[dict]
    exceptions: list[dict]
    recent: list[ActionUpdate]
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def has_actions(self) -> bool:
        return self.total.count > 0


def number(value) -> str:
    """A decimal as people write it: 2, 24.6 (no trailing zeros)."""
    return "" if value is None else f"{value.normalize():f}"


def action_list_url(plan: Plan, link=str, *, base: str | None = None, **params) -> str:
    """The partnership's action list filtered to the plan and `params` (lists repeat a key).

    `base` is the list's path, when the caller has already reversed it.
    """
    query = {"plan": plan.pk}
    query.update({k: v for k, v in params.items() if v not in (None, "", [])})
    base = base or reverse("actions:list", args=[plan.partnership.slug])
    return link(base + "?" + urlencode(query, True))


def default_plan(plans: list[Plan]) -> Plan | None:
    """The plan a dashboard opens on: the live one that started last, else the latest."""
    live = [p for p in plans if p.status == Plan.Status.LIVE]
    pool = live or [p for p in plans if p.status != Plan.Status.DRAFT] or plans
    return max(pool, key=lambda p: (p.period_start, p.pk), default=None)


def build(
    plan: Plan, *, today: datetime.date, period_slug: str | None = None, link=str
) -> Dashboard:
    """Everything the dashboard of `plan` shows on the day `today`.

    `period_slug` picks the update round (the current one by default); `link` turns a path
    into the URL to print (absolute in a PDF).
    """
    periods = list(plan.reporting_periods.order_by("start"))
    current = ReportingPeriod.current_among(periods, today)
    period = next((p for p in periods if p.slug == period_slug), None) or current
    actions = list(plan.actions.for_dashboard(today, period=period))
    priorities = list(plan.priorities.order_by("position"))
    base = reverse("actions:list", args=[plan.partnership.slug])

    def url(**params):
        return action_list_url(plan, link, base=base, **params)

    statuses = Counter(a.status for a in actions)
    by_status = [
        (s, Figure(statuses[s], url(status=s.value))) for s in charts.STATUS_ORDER if statuses[s]
    ]
    columns = [s for s in charts.STATUS_ORDER if statuses[s]]
    rows = _priority_rows(priorities, actions, columns, url)
    chart = charts.status_chart(
        [(row["priority"].title, row["counts"]) for row in rows if row["total"].count],
        title=f"{plan.action_label} by status for each {plan.priority_label.lower()}",
    )
    rag, rag_chart = _rag(actions, url)
    return Dashboard(
        plan=plan,
        today=today,
        period=period,
        periods=periods,
        current_period=current,
        total=Figure(len(actions), url()),
        by_status=by_status,
        overdue=Figure(sum(a.overdue for a in actions), url(overdue="on")),
        status_chart=chart,
        priority_rows=rows,
        status_columns=columns,
        rag=rag,
        rag_chart=rag_chart,
        update_round=_update_round(actions, period, current, url),
        agencies=_agencies(actions, current, url),
        measures=_measures(plan, link),
        exceptions=_exceptions(actions, current, url, link),
        recent=_recent(plan, link),
        indicators=indicator_rows(plan.partnership, link),
    )


def _recent(plan, link) -> list[ActionUpdate]:
    updates = list(
        ActionUpdate.objects.filter(action__plan=plan)
        .select_related("action", "author", "agency")
        .latest_first()[:RECENT_UPDATES]
    )
    for update in updates:
        update.action.url = link(update.action.get_absolute_url())
    return updates


def _priority_rows(priorities, actions, columns, url) -> list[dict]:
    by_priority = defaultdict(Counter)
    for action in actions:
        by_priority[action.issue.priority_id][action.status] += 1
    rows = []
    for priority in priorities:
        counts = by_priority.get(priority.pk, Counter())
        cells = [
            Figure(counts[s], url(priority=priority.pk, status=s.value)) if counts[s] else None
            for s in columns
        ]
        rows.append(
            {
                "priority": priority,
                "counts": counts,
                "cells": cells,
                "total": Figure(sum(counts.values()), url(priority=priority.pk)),
            }
        )
    return rows


RAG_ORDER = [(Rag.GREEN, "Green"), (Rag.AMBER, "Amber"), (Rag.RED, "Red")]


def _rag(actions, url):
    counts = Counter(a.rag for a in actions)
    rows = [
        (value.value, label, Figure(counts[value], url(rag=value.value)))
        for value, label in RAG_ORDER
    ]
    rows.append(("none", "No rating yet", Figure(counts[""], url(rag=NO_RAG))))
    chart = charts.rag_chart([(key, label, f.count) for key, label, f in rows])
    return rows, chart


def _update_round(actions, period, current, url) -> UpdateRound | None:
    if period is None:
        return None
    is_current = current is not None and period.pk == current.pk
    expected = [a for a in actions if a.status not in CLOSED_STATUSES or a.updated_in_period]
    updated = [a for a in expected if a.updated_in_period]
    awaiting = [a for a in expected if not a.updated_in_period]
    open_statuses = [s.value for s in OPEN_STATUSES]
    # The list judges "updated" against the round named in the URL, so the links hold for
    # a past round as for the current one.
    in_round = {"period": period.slug}

    def awaiting_figure(items, **params):
        return Figure(len(items), url(no_update="on", status=open_statuses, **in_round, **params))

    by_agency = defaultdict(list)
    for action in awaiting:
        by_agency[action.lead_agency].append(action)
    agencies = [
        (
            agency.name if agency else NO_LEAD_LABEL,
            awaiting_figure(items, lead_agency=agency.pk if agency else NO_LEAD),
        )
        for agency, items in sorted(by_agency.items(), key=lambda kv: _agency_key(kv[0]))
    ]
    percent = round(100 * len(updated) / len(expected)) if expected else 0
    return UpdateRound(
        period=period,
        is_current=is_current,
        expected=len(expected),
        updated=Figure(len(updated), url(updated="on", **in_round)),
        awaiting=awaiting_figure(awaiting),
        percent=percent,
        agencies_awaiting=agencies,
        chart=charts.progress_bar(len(updated), len(expected)),
    )


def _agency_key(agency):
    return (agency is None, agency.name.lower() if agency else "")


def _agencies(actions, current, url) -> list[AgencyRow]:
    by_agency = defaultdict(list)
    for action in actions:
        by_agency[action.lead_agency].append(action)
    open_statuses = [s.value for s in OPEN_STATUSES]
    rows = []
    for agency, items in sorted(by_agency.items(), key=lambda kv: _agency_key(kv[0])):
        counts = Counter(a.status for a in items)
        awaiting = [
            a for a in items if a.status not in CLOSED_STATUSES and not a.updated_this_period
        ]
        dates = [a.last_reported_on for a in items if a.last_reported_on]
        lead = agency.pk if agency else NO_LEAD
        rows.append(
            AgencyRow(
                name=agency.name if agency else NO_LEAD_LABEL,
                led=Figure(len(items), url(lead_agency=lead)),
                completed=Figure(
                    counts[Status.COMPLETED], url(lead_agency=lead, status=Status.COMPLETED.value)
                ),
                delayed=Figure(
                    counts[Status.DELAYED], url(lead_agency=lead, status=Status.DELAYED.value)
                ),
                overdue=Figure(sum(a.overdue for a in items), url(lead_agency=lead, overdue="on")),
                # Without a current round there is no list of actions missing from it.
                awaiting=Figure(
                    len(awaiting),
                    url(lead_agency=lead, no_update="on", status=open_statuses) if current else "",
                ),
                last_update=max(dates, default=None),
            )
        )
    return rows


def _measures(plan, link) -> list[dict]:
    """The plan's measures with a numeric target, each with its latest reading."""
    measures = (
        measures_as_at(None)
        .filter(action__plan=plan, is_numeric=True, target__isnull=False)
        .select_related("action")
        .order_by("action__number", "position")
    )
    rows = []
    for measure in measures:
        value = measure.value_as_at
        rows.append(
            {
                "measure": measure,
                "action": measure.action,
                "url": link(measure.action.get_absolute_url()),
                "value": value,
                "value_shown": number(value),
                "target": number(measure.target),
                "baseline": number(measure.baseline),
                "read_on": measure.read_on_as_at,
                "progress": measure.progress(value),
                "chart": charts.target_bar(measure.baseline, measure.target, value),
            }
        )
    return rows


def _exceptions(actions, current, url, link) -> list[dict]:
    """Actions that need the board's attention, each group with the list that shows it."""
    open_statuses = [s.value for s in OPEN_STATUSES]
    groups = [
        (
            "Delayed",
            [a for a in actions if a.status == Status.DELAYED],
            url(status=Status.DELAYED.value),
        ),
        (
            "At risk",
            [a for a in actions if a.status == Status.AT_RISK],
            url(status=Status.AT_RISK.value),
        ),
        ("Overdue", [a for a in actions if a.overdue], url(overdue="on")),
    ]
    if current is not None:
        groups.append(
            (
                f"No update in {current.name}",
                [
                    a
                    for a in actions
                    if a.status not in CLOSED_STATUSES and not a.updated_this_period
                ],
                url(no_update="on", status=open_statuses),
            )
        )
    for _title, items, _url in groups:
        for action in items[:EXCEPTIONS_LISTED]:
            action.url = link(action.get_absolute_url())
    return [
        {
            "title": title,
            "actions": items[:EXCEPTIONS_LISTED],
            "more": len(items) > EXCEPTIONS_LISTED,
            "figure": Figure(len(items), list_url),
        }
        for title, items, list_url in groups
    ]


def indicator_rows(partnership, link=str) -> list[IndicatorRow]:
    """The partnership's indicators: latest value, its changes and a trend against the target."""
    rows = []
    for indicator in Indicator.objects.filter(partnership=partnership).with_values():
        values = indicator.values_with_changes()
        latest = values[-1] if values else None
        on_previous = latest.on_previous if latest else None
        on_last_year = latest.on_last_year if latest else None
        change = on_last_year or on_previous
        rows.append(
            IndicatorRow(
                indicator=indicator,
                url=link(indicator.get_absolute_url()),
                latest=latest.value if latest else None,
                on_previous=on_previous,
                on_last_year=on_last_year,
                meets_target=latest.meets_target if latest else None,
                better=indicator.is_better(change.difference) if change else None,
                chart=charts.sparkline([v.value for v in indicator.series], indicator.target),
            )
        )
    return rows
