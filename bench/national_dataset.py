"""A national-scale dataset for benchmarks: ~300 partnerships × 60 actions × 4 updates.

    from bench.national_dataset import build_national_dataset
    dataset = build_national_dataset(partnerships=300, actions=60, updates=4)

Builds into whatever database Django is connected to (use a scratch one). For speed it writes
with bulk_create, not through the services, so it leaves no history rows (django-simple-
history only records saves) and skips full_clean; it still obeys every constraint and
trigger of the models, which the database checks on each row: numbers unique within a plan,
issues and actions in their own plan's priorities, status and RAG together (completed is
green), notes with words, readings of the action's own numeric measures, and each action's
cached status, RAG and last update equal to its latest update, as services.record_update
keeps them. Benchmark numbers from it are about reading, which is what they measure.

The shape, per partnership: a live plan for the financial year containing `today`, its four
quarters as reporting periods, 4 priorities × 3 issues, `actions` actions with a lead agency
(one in ten has none), two supporting agencies and a measure (every other one numeric with a
target), `updates` updates per action spread from the start of the year to `today` (the
last one in the current quarter for two actions in three; every fourth a note), a reading
on each update of a numeric measure, and 5 indicators with 4 yearly values. Partnerships
come in counties of ten (a county and nine districts), each district plan tagged with
priority categories and each county with the printed counts, so roll-ups can be timed too.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

STATUS_STEPS = [
    ("not_started", ""),
    ("on_track", "green"),
    ("on_track", "amber"),
    ("at_risk", "amber"),
    ("delayed", "red"),
    ("completed", "green"),
]
CATEGORIES = [
    "Domestic Abuse",
    "Safeguarding",
    "Substance Misuse",
    "Road Safety",
    "Prevent",
    "Acquisitive Crime",
    "Violent Crime",
    "ASB/Environmental",
]
LEVELS = ["named", "subsidiary", "within_theme"]


@dataclass
class Dataset:
    partnerships: int
    plans: int
    actions: int
    updates: int
    readings: int
    indicator_values: int
    prefix: str

    def slug(self, n: int) -> str:
        """The slug of the n-th partnership (0-based)."""
        return f"{self.prefix}-{n:03d}"


def financial_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = today.year if today.month >= 4 else today.year - 1
    return datetime.date(first, 4, 1), datetime.date(first + 1, 3, 31)


def quarters(start: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """The four quarters of the financial year starting `start`."""
    bounds = [start.replace(month=m) for m in (4, 7, 10)] + [
        datetime.date(start.year + 1, 1, 1),
        datetime.date(start.year + 1, 4, 1),
    ]
    return [(f"Q{i + 1}", bounds[i], bounds[i + 1] - datetime.timedelta(days=1)) for i in range(4)]


@transaction.atomic
def build_national_dataset(
    *,
    partnerships: int = 300,
    actions: int = 60,
    updates: int = 4,
    prefix: str = "bench",
    today: datetime.date | None = None,
    seed: int = 2016,
) -> Dataset:
    """Build the dataset into the current database in one transaction; returns its sizes."""
    from actions.models import Action, ActionUpdate, Measure, MeasureReading, ReportingPeriod
    from plans.models import (
        Agency,
        CategoryCount,
        CategoryTag,
        EmergingIssue,
        Indicator,
        IndicatorValue,
        Partnership,
        Plan,
        Priority,
        PriorityCategory,
    )

    rng = random.Random(seed)
    today = today or timezone.localdate()
    year_start, year_end = financial_year(today)
    year_label = f"{year_start.year}/{str(year_end.year)[-2:]}"
    elapsed = max((today - year_start).days, 1)

    agencies = Agency.objects.bulk_create(
        Agency(name=f"{prefix} agency {n}", abbreviation=f"{prefix.upper()}{n}") for n in range(60)
    )
    categories = [PriorityCategory.objects.get_or_create(name=name)[0] for name in CATEGORIES]

    counties = []
    rows = []
    for n in range(partnerships):
        kind = "county" if n % 10 == 0 else "district"
        rows.append(
            Partnership(
                slug=f"{prefix}-{n:03d}",
                name=f"Bench {n:03d} Community Safety Partnership ({prefix})",
                short_name=f"Bench {n:03d} CSP",
                kind=kind,
            )
        )
    made = Partnership.objects.bulk_create(rows)
    for partnership in made:
        if partnership.kind == "county":
            counties.append(partnership)
        else:
            partnership.county = counties[-1]
    Partnership.objects.bulk_update([p for p in made if p.county_id], ["county"])

    plans = Plan.objects.bulk_create(
        Plan(
            partnership=p,
            slug=f"{year_start.year}-{str(year_end.year)[-2:]}",
            title=f"Community Safety Plan {year_label}",
            period_start=year_start,
            period_end=year_end,
            status=Plan.Status.LIVE,
            published_at=timezone.now(),
        )
        for p in made
    )
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            plan=plan,
            name=f"{name} {year_label}",
            slug=name.lower(),
            start=start,
            end=end,
            due=end + datetime.timedelta(days=15),
        )
        for plan in plans
        for name, start, end in quarters(year_start)
    )
    periods_of = {plan.pk: periods[i * 4 : i * 4 + 4] for i, plan in enumerate(plans)}
    priorities = Priority.objects.bulk_create(
        Priority(plan=plan, position=i + 1, title=f"Priority {i + 1}")
        for plan in plans
        for i in range(4)
    )
    issues = EmergingIssue.objects.bulk_create(
        EmergingIssue(
            plan_id=priority.plan_id,
            priority=priority,
            number=(priority.position - 1) * 3 + j + 1,
            ref=str((priority.position - 1) * 3 + j + 1),
            title=f"Emerging issue {(priority.position - 1) * 3 + j + 1}",
        )
        for priority in priorities
        for j in range(3)
    )
    issues_of = {}
    for issue in issues:
        issues_of.setdefault(issue.plan_id, []).append(issue)

    # Each action's updates are decided first, so its cached status can be written with it.
    action_rows, histories = [], []
    for plan in plans:
        local = rng.sample(agencies, 10)
        for number in range(1, actions + 1):
            issue = issues_of[plan.pk][(number - 1) % len(issues_of[plan.pk])]
            lead = None if number % 10 == 0 else local[number % len(local)]
            history = _history(rng, updates, year_start, elapsed, periods_of[plan.pk])
            latest_status = next((h for h in reversed(history) if h["status"]), None)
            action_rows.append(
                Action(
                    plan=plan,
                    issue=issue,
                    number=number,
                    ref=str(number),
                    title=f"Action {number} of {plan.partnership.short_name}",
                    lead_agency=lead,
                    lead_wording="" if lead else "ALL partners",
                    target_date=year_start + datetime.timedelta(days=rng.randrange(60, 365)),
                    status=latest_status["status"] if latest_status else "not_started",
                    rag=latest_status["rag"] if latest_status else "",
                )
            )
            histories.append((local, history))
    made_actions = Action.objects.bulk_create(action_rows, batch_size=2000)

    Support = Action.support_agencies.through
    Support.objects.bulk_create(
        (
            Support(action_id=action.pk, agency_id=agency.pk)
            for action, (local, _) in zip(made_actions, histories, strict=True)
            for agency in {local[(action.number + 1) % 10], local[(action.number + 2) % 10]}
            if agency.pk != action.lead_agency_id
        ),
        batch_size=5000,
    )
    measures = Measure.objects.bulk_create(
        (
            Measure(
                action=action,
                position=1,
                text=f"{10 + action.number} sessions delivered"
                if action.number % 2
                else "Qualitative feedback",
                is_numeric=bool(action.number % 2),
                target=Decimal(10 + action.number) if action.number % 2 else None,
                unit="sessions" if action.number % 2 else "",
            )
            for action in made_actions
        ),
        batch_size=5000,
    )
    update_rows, reading_plan = [], []
    for action, measure, (_, history) in zip(made_actions, measures, histories, strict=True):
        for step, h in enumerate(history):
            update_rows.append(
                ActionUpdate(
                    action=action,
                    period=h["period"],
                    reported_on=h["day"],
                    status=h["status"],
                    rag=h["rag"],
                    narrative=h["narrative"],
                    reported_by="Bench officer",
                )
            )
            reading_plan.append(
                Decimal(step * 3 + action.number % 5) if measure.is_numeric else None
            )
    made_updates = ActionUpdate.objects.bulk_create(update_rows, batch_size=5000)
    readings = MeasureReading.objects.bulk_create(
        (
            MeasureReading(update=update, measure=measures_by_action, value=value)
            for update, value, measures_by_action in zip(
                made_updates,
                reading_plan,
                (m for m, (_, h) in zip(measures, histories, strict=True) for _ in h),
                strict=True,
            )
            if value is not None
        ),
        batch_size=5000,
    )
    # The cache of the last update's time, as services.record_update writes it.
    last = {}
    for update in made_updates:
        key = update.action_id
        if key not in last or (update.reported_on, update.created_at, update.pk) > last[key][0]:
            last[key] = ((update.reported_on, update.created_at, update.pk), update.created_at)
    for action in made_actions:
        action.last_update_at = last[action.pk][1] if action.pk in last else None
    Action.objects.bulk_update(made_actions, ["last_update_at"], batch_size=2000)

    indicators = Indicator.objects.bulk_create(
        Indicator(
            partnership=p,
            name=f"Indicator {i + 1}",
            unit="incidents",
            direction="lower" if i % 2 == 0 else "higher",
            target=Decimal(500) if i < 3 else None,
        )
        for p in made
        for i in range(5)
    )
    values = IndicatorValue.objects.bulk_create(
        (
            IndicatorValue(
                indicator=indicator,
                period_label=f"{year_start.year - k}/{str(year_start.year - k + 1)[-2:]}",
                period_start=datetime.date(year_start.year - k, 4, 1),
                period_end=datetime.date(year_start.year - k + 1, 3, 31),
                value=Decimal(rng.randrange(300, 700)),
            )
            for indicator in indicators
            for k in range(1, 5)
        ),
        batch_size=5000,
    )
    plan_of = {plan.partnership_id: plan for plan in plans}
    CategoryTag.objects.bulk_create(
        CategoryTag(plan=plan_of[p.pk], category=category, level=rng.choice(LEVELS))
        for p in made
        if p.kind == "district"
        for category in rng.sample(categories, 4)
    )
    CategoryCount.objects.bulk_create(
        CategoryCount(
            partnership=county,
            period_label=year_label,
            position=i + 1,
            category=category,
            districts_count=rng.randrange(1, 10),
        )
        for county in counties
        for i, category in enumerate(categories)
    )
    return Dataset(
        partnerships=len(made),
        plans=len(plans),
        actions=len(made_actions),
        updates=len(made_updates),
        readings=len(readings),
        indicator_values=len(values),
        prefix=prefix,
    )


def _history(rng, count, year_start, elapsed, periods) -> list[dict]:
    """`count` updates from the start of the year to today, oldest first."""
    history = []
    step = 0
    for k in range(count):
        # The last update lands in the last tenth of the elapsed year for two actions in three.
        share = (k + 1) / (count + 1) if k < count - 1 or rng.random() < 1 / 3 else 0.95
        day = year_start + datetime.timedelta(days=int(elapsed * share))
        period = next((p for p in periods if p.start <= day <= p.end), periods[-1])
        if k % 4 == 3:
            history.append(
                {"day": day, "period": period, "status": "", "rag": "", "narrative": "A note."}
            )
            continue
        step = min(step + rng.choice([0, 1, 1, 2]), len(STATUS_STEPS) - 1)
        status, rag = STATUS_STEPS[max(step, 1)]
        history.append(
            {
                "day": day,
                "period": period,
                "status": status,
                "rag": rag,
                "narrative": "Progress reported."
                if status not in {"delayed", "at_risk"}
                else "Short of staff this quarter.",
            }
        )
    return history
