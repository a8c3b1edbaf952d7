"""The county roll-up: which priority categories its districts chose, and how their plans go.

The matrix is built from the districts' own plans (their CategoryTags for the period) next to
the number of districts the county's paper printed (CategoryCount). The two can differ: the
seeded Kent matrix lost some marks in transcription, so both are shown and the difference is
said in words. Category tags are not restricted content, and the roll-up is the county
board's own paper, so tags of district plans the viewer cannot open still count
(permissions.rollup_plans); the plans themselves are linked only where the viewer may read
them.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count

from actions.models import CLOSED_STATUSES, Action
from csp_tracker import permissions
from plans.models import CategoryCount, CategoryTag, Partnership, Plan, PriorityCategory
from reports import charts
from reports.dashboard import Figure, action_list_url

#: Strongest first: a district that names a category in two plans is counted at the higher level.
LEVELS = [
    CategoryTag.Level.NAMED,
    CategoryTag.Level.SUBSIDIARY,
    CategoryTag.Level.WITHIN_THEME,
]
#: How the Kent paper drew each level, said in words for the key.
LEVEL_MARKS = {
    CategoryTag.Level.NAMED: "N",
    CategoryTag.Level.SUBSIDIARY: "S",
    CategoryTag.Level.WITHIN_THEME: "W",
}


def financial_year(label: str) -> tuple[datetime.date, datetime.date] | None:
    """ "2016/17" → 1 April 2016 to 31 March 2017; None for a label of another form."""
    head = label.split("/")[0]
    if not head.isdigit() or len(head) != 4:
        return None
    first = int(head)
    return datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31)


@dataclass
class MatrixRow:
    category: PriorityCategory
    marks: list[str | None]  # a level per district, in district order
    printed: int | None
    section: str
    is_part: bool

    @property
    def present(self) -> int:
        return sum(1 for m in self.marks if m)

    @property
    def differs(self) -> bool:
        return self.printed is not None and self.printed != self.present

    @property
    def count(self) -> int:
        """What the row is ordered by: the printed number, else the marks present."""
        return self.printed if self.printed is not None else self.present

    @property
    def cells(self) -> list[tuple[str | None, str]]:
        return [(m, CategoryTag.Level(m).label if m else "") for m in self.marks]


@dataclass
class DistrictRow:
    district: Partnership
    plan: Plan
    counts: Counter
    cells: list[Figure | None]
    total: Figure
    overdue: Figure


@dataclass
class Delivery:
    """How the districts' live plans go: a row per plan, and the districts without one."""

    rows: list[DistrictRow]
    without_plan: list[Partnership]
    chart: object
    columns: list[tuple[str, str]]
    totals: list[int]


@dataclass
class RollUp:
    county: Partnership
    period_label: str | None
    period_labels: list[str]
    districts: list[Partnership]
    rows: list[MatrixRow]
    appendix: list[MatrixRow]
    levels: list[tuple[str, str, str]]
    delivery: Delivery

    @property
    def columns(self) -> list[str]:
        """The districts as the paper heads its columns: "Ashford", not "Ashford CSP"."""
        return [d.short_name.removesuffix(" CSP") for d in self.districts]

    @property
    def differing(self) -> list[MatrixRow]:
        """Rows of the main table whose marks do not add up to the printed number."""
        return [r for r in self.rows if r.differs]


def build(county: Partnership, *, viewer, today, period_label: str | None = None, link=str):
    """The roll-up of `county` for a period of its matrix (the latest by default)."""
    districts = list(county.members.order_by("name"))
    counts = list(
        CategoryCount.objects.filter(partnership=county).select_related("category__part_of")
    )
    labels = sorted({c.period_label for c in counts}, reverse=True)
    period_label = period_label if period_label in labels else (labels[0] if labels else None)
    counts = [c for c in counts if c.period_label == period_label]
    tags = _district_tags(permissions.rollup_plans(viewer, county), period_label)
    rows = _matrix(districts, counts, tags)
    delivery = district_delivery(districts, viewer=viewer, today=today, link=link)
    return RollUp(
        county=county,
        period_label=period_label,
        period_labels=labels,
        districts=districts,
        rows=[r for r in rows if r.section != "appendix"],
        appendix=[r for r in rows if r.section == "appendix"],
        levels=[(lv.value, LEVEL_MARKS[lv], lv.label) for lv in LEVELS],
        delivery=delivery,
    )


def _district_tags(plans, period_label) -> dict[tuple[int, int], str]:
    """The strongest level each district gives each category in its plans for the period."""
    tags = CategoryTag.objects.filter(plan__in=plans)
    span = financial_year(period_label) if period_label else None
    if span:
        tags = tags.filter(plan__period_start__lte=span[1], plan__period_end__gte=span[0])
    strongest: dict[tuple[int, int], str] = {}
    for partnership_id, category_id, level in tags.values_list(
        "plan__partnership_id", "category_id", "level"
    ):
        key = (partnership_id, category_id)
        if key not in strongest or LEVELS.index(level) < LEVELS.index(strongest[key]):
            strongest[key] = level
    return strongest


def _matrix(districts, counts, tags) -> list[MatrixRow]:
    printed = {c.category_id: c for c in counts}
    categories = {c.category_id: c.category for c in counts}
    tagged_ids = {category_id for _, category_id in tags} - set(categories)
    for category in PriorityCategory.objects.filter(pk__in=tagged_ids).select_related("part_of"):
        categories[category.pk] = category
    rows = {}
    for category_id, category in categories.items():
        count = printed.get(category_id)
        rows[category_id] = MatrixRow(
            category=category,
            marks=[tags.get((d.pk, category_id)) for d in districts],
            printed=count.districts_count if count else None,
            section=count.section if count else "main",
            is_part=category.part_of_id in categories,
        )
    position = {c.category_id: c.position for c in counts}

    def order(row):
        return (-row.count, position.get(row.category.pk, 10_000), row.category.name.lower())

    # Ordered by the number of districts, as the paper is; a part follows its broader category.
    top = sorted((r for r in rows.values() if not r.is_part), key=order)
    parts = defaultdict(list)
    for row in sorted((r for r in rows.values() if r.is_part), key=order):
        parts[row.category.part_of_id].append(row)
    ordered = []
    for row in top:
        ordered.append(row)
        ordered.extend(parts.get(row.category.pk, []))
    return ordered


def district_delivery(districts, *, viewer, today, link=str) -> Delivery:
    """Action statuses of the districts' live plans the viewer may read, counted per plan.

    Three queries whatever the number of districts and actions: the plans, the counts by
    status, the overdue counts.
    """
    plans = list(
        Plan.objects.visible_to(viewer)
        .filter(partnership__in=districts, status=Plan.Status.LIVE)
        .select_related("partnership")
        .order_by("partnership__name", "-period_start")
    )
    by_plan = defaultdict(Counter)
    for plan_id, status, n in (
        Action.objects.filter(plan__in=plans)
        .values_list("plan_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_plan[plan_id][status] = n
    overdue = dict(
        Action.objects.filter(plan__in=plans, target_date__lt=today)
        .exclude(status__in=CLOSED_STATUSES)
        .values_list("plan_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    used = set().union(*by_plan.values()) if by_plan else set()
    statuses = [s for s in charts.STATUS_ORDER if s in used]
    rows = []
    plans_of = defaultdict(list)
    for plan in plans:
        plans_of[plan.partnership_id].append(plan)
    for district in districts:
        for plan in plans_of.get(district.pk, []):
            counts = by_plan[plan.pk]
            rows.append(
                DistrictRow(
                    district=district,
                    plan=plan,
                    counts=counts,
                    cells=[
                        Figure(counts[s], action_list_url(plan, link, status=s.value))
                        if counts[s]
                        else None
                        for s in statuses
                    ],
                    total=Figure(sum(counts.values()), action_list_url(plan, link)),
                    overdue=Figure(
                        overdue.get(plan.pk, 0), action_list_url(plan, link, overdue="on")
                    ),
                )
            )
    chart = None
    if any(r.total.count for r in rows):
        chart = charts.status_chart(
            [(f"{r.district.short_name}: {r.plan.title}", r.counts) for r in rows],
            title="Action statuses of the districts' live plans",
        )
    totals = [sum(r.counts[s] for r in rows) for s in statuses]
    totals += [sum(r.total.count for r in rows), sum(r.overdue.count for r in rows)]
    return Delivery(
        rows=rows,
        without_plan=[d for d in districts if d.pk not in plans_of],
        chart=chart,
        columns=[(s.value, s.label) for s in statuses],
        totals=totals,
    )
