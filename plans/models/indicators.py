"""The performance indicators a partnership watches, and their values by period."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from csp_tracker import permissions
from plans.models.partnerships import Partnership
from plans.models.plan import Priority


def year_earlier(day: datetime.date) -> datetime.date:
    """The same day a year before (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IndicatorQuerySet":
        """Indicators of the partnerships this user may see."""
        return self.filter(partnership__in=permissions.visible_partnerships(user))

    def with_values(self) -> "IndicatorQuerySet":
        """Indicators with their priority and every value in period order, in two queries."""
        return self.select_related("priority").prefetch_related(
            models.Prefetch("values", queryset=IndicatorValue.objects.in_period_order())
        )

    def for_page(self) -> "IndicatorQuerySet":
        """Everything an indicator's page shows: its partnership, the priority it evidences
        with that priority's plan (and the plan's link), and every value in period order, in
        two queries."""
        return self.with_values().select_related("partnership", "priority__plan__partnership")


class Indicator(models.Model):
    """A performance indicator the partnership watches, such as ASB incidents."""

    class Direction(models.TextChoices):
        LOWER = "lower", "Lower is better"
        HIGHER = "higher", "Higher is better"
        NEUTRAL = "neutral", "Neither"

    partnership = models.ForeignKey(Partnership, models.PROTECT, related_name="indicators")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=300, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.LOWER)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target_note = models.CharField(
        max_length=200, blank=True, help_text='Whose target and for when: "Force target 2012/13".'
    )
    priority = models.ForeignKey(
        Priority, models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every edit.")
    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="indicator_name_unique",
                violation_error_message="The partnership already has an indicator of this name.",
            ),
            # Triggers (migration 0005) add indicator_priority_of_partnership.
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:indicator", args=[self.pk])

    def clean(self):
        if (
            self.priority_id
            and self.partnership_id
            and self.priority.plan.partnership_id != self.partnership_id
        ):
            raise ValidationError({"priority": "The priority belongs to another partnership."})

    @property
    def series(self) -> list["IndicatorValue"]:
        """The values in period order (follows the values relation: prefetch it)."""
        return list(self.values.all())

    @property
    def latest(self) -> "IndicatorValue | None":
        """The latest value (follows the values relation)."""
        series = self.series
        return series[-1] if series else None

    def previous(self, value: "IndicatorValue") -> "IndicatorValue | None":
        """The value before this one in period order (follows the values relation)."""
        series = self.series
        index = next(i for i, v in enumerate(series) if v.pk == value.pk)
        return series[index - 1] if index else None

    def same_period_last_year(self, value: "IndicatorValue") -> "IndicatorValue | None":
        """The value for exactly the same dates a year earlier (follows the values relation)."""
        dates = value.dates_a_year_before
        if dates is None:
            return None
        return next((v for v in self.series if v.dates == dates), None)

    def values_with_changes(self) -> list["ValueWithChanges"]:
        """Each value in period order with its change on the previous value and on the same
        period a year before, and whether it meets the target, in one pass over the values
        (follows the values relation)."""
        series = self.series
        by_dates = {v.dates: v for v in series if v.is_dated}
        rows = []
        for previous, value in zip([None, *series], series, strict=False):
            last_year = by_dates.get(value.dates_a_year_before)
            rows.append(
                ValueWithChanges(
                    value=value,
                    on_previous=value.change_from(previous) if previous else None,
                    on_last_year=value.change_from(last_year) if last_year else None,
                    meets_target=self.meets_target(value.value),
                )
            )
        return rows

    def meets_target(self, value: Decimal | None) -> bool | None:
        """Whether a value is on the right side of the target (None: no target or direction)."""
        if value is None or self.target is None or self.direction == self.Direction.NEUTRAL:
            return None
        if self.direction == self.Direction.LOWER:
            return value <= self.target
        return value >= self.target

    def show(self, value: Decimal | None) -> str:
        """A value as documents write it, with the unit: "6,160 incidents", "9.79%", "£40,000"."""
        if value is None:
            return ""
        number = f"{value.normalize():,f}"
        if self.unit == "%":
            return f"{number}%"
        if self.unit == "£":
            return f"£{number}"
        return f"{number} {self.unit}".strip()

    @property
    def target_shown(self) -> str:
        return self.show(self.target)

    def is_better(self, change: Decimal) -> bool | None:
        """Whether a change of this sign is an improvement (None when neither is better)."""
        if change == 0 or self.direction == self.Direction.NEUTRAL:
            return None
        return (change < 0) == (self.direction == self.Direction.LOWER)


class IndicatorValueQuerySet(models.QuerySet):
    def in_period_order(self) -> "IndicatorValueQuerySet":
        """Oldest first: by the end of the period, then the start; undated values in the order
        they were recorded (the documents give them earlier figure first)."""
        return self.order_by(
            F("period_end").asc(nulls_first=True), F("period_start").asc(nulls_first=True), "pk"
        )


class IndicatorValue(models.Model):
    """An indicator's value for a period, as reported."""

    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="values")
    period_label = models.CharField(
        max_length=100, help_text='The period as the source writes it: "2012/13", "Sep 2014".'
    )
    period_start = models.DateField(null=True, blank=True, help_text="Blank when not stated.")
    period_end = models.DateField(null=True, blank=True, help_text="Blank when not stated.")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    source = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True, help_text="The source's own words about the figure.")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every edit.")
    objects = IndicatorValueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = [
            "indicator",
            F("period_end").asc(nulls_first=True),
            F("period_start").asc(nulls_first=True),
            "pk",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"],
                name="indicatorvalue_once",
                violation_error_message="The indicator already has a value for these dates.",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_label"],
                name="indicatorvalue_label_once",
                violation_error_message="The indicator already has a value for this period.",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True, period_end__isnull=True)
                | Q(period_start__isnull=False, period_end__isnull=False),
                name="indicatorvalue_dates_together",
                violation_error_message="Give both the start and the end of the period, or "
                "neither when the source does not say.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="indicatorvalue_period_in_order",
                violation_error_message="The period cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.period_label})"

    @property
    def is_dated(self) -> bool:
        return self.period_start is not None

    @property
    def dates(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The first and last days of the period: (None, None) when the source does not say."""
        return (self.period_start, self.period_end)

    @property
    def dates_a_year_before(self) -> tuple[datetime.date, datetime.date] | None:
        """The first and last days of the same period a year earlier (None when not dated)."""
        if not self.is_dated:
            return None
        return (year_earlier(self.period_start), year_earlier(self.period_end))

    @property
    def shown(self) -> str:
        """The value with its unit (follows the indicator relation)."""
        return self.indicator.show(self.value)

    def change_from(self, earlier: "IndicatorValue") -> "Change":
        """The difference from an earlier value, and as a percentage of it where it is not 0."""
        difference = self.value - earlier.value
        percent = None
        if earlier.value:
            percent = (difference / earlier.value * 100).quantize(Decimal("0.1"))
        return Change(earlier=earlier, difference=difference, percent=percent)


@dataclass(frozen=True)
class Change:
    """How a value differs from an earlier one."""

    earlier: IndicatorValue
    difference: Decimal
    percent: Decimal | None

    @property
    def shown(self) -> str:
        """ "−222 (−6.1%)": signed, as the documents compare figures."""
        sign = "+" if self.difference > 0 else "−" if self.difference < 0 else ""
        text = f"{sign}{abs(self.difference).normalize():,f}"
        if self.percent is not None:
            psign = "+" if self.percent > 0 else "−" if self.percent < 0 else ""
            text += f" ({psign}{abs(self.percent)}%)"
        return text


@dataclass(frozen=True)
class ValueWithChanges:
    """A value of an indicator and how it compares: with the previous value, with the same
    period a year before, and with the target."""

    value: IndicatorValue
    on_previous: Change | None
    on_last_year: Change | None
    meets_target: bool | None
