"""Partnerships, their agencies and members, and the community safety plans they agree."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords


def normalise_name(value: str) -> str:
    """A name reduced for matching: case, spacing and punctuation ignored, '&' read as 'and'."""
    value = value.lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9+]+", "", value)


class Partnership(models.Model):
    """A Community Safety Partnership: a district, unitary or county CSP."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "District or borough"
        UNITARY = "unitary", "Unitary authority"
        COUNTY = "county", "County"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    county = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": Kind.COUNTY},
        help_text="The county partnership this partnership belongs to.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(county=F("id")), name="partnership_not_own_county"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:partnership", args=[self.slug])

    @property
    def file_stem(self) -> str:
        """The start of the name of every file the partnership's pages give: "thanet-csp"."""
        return slugify(self.short_name or self.name)


class Agency(models.Model):
    """An organisation of the partnership, or a unit of one (TDC CSU is a unit of TDC)."""

    name = models.CharField(max_length=200)
    abbreviation = models.CharField(max_length=40, blank=True)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="units")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="agency_name_unique"),
            models.UniqueConstraint(
                Lower("abbreviation"),
                condition=~Q(abbreviation=""),
                name="agency_abbreviation_unique",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="agency_not_own_parent"),
        ]

    def __str__(self):
        if self.abbreviation and self.abbreviation != self.name:
            return f"{self.name} ({self.abbreviation})"
        return self.name

    @property
    def short_name(self) -> str:
        """What a plan table prints: the abbreviation where there is one."""
        return self.abbreviation or self.name


class Membership(models.Model):
    """A user's place in a partnership: their role and, for officers, their agency."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "Coordinator"
        OFFICER = "officer", "Agency officer"
        BOARD = "board", "Executive board member"
        COUNCILLOR = "councillor", "Scrutiny councillor"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    sees_restricted = models.BooleanField(
        default=False,
        help_text="Councillors only: granted sight of restricted items in this partnership.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership"], name="membership_one_per_partnership"
            ),
            models.CheckConstraint(
                condition=~Q(role="officer") | Q(agency__isnull=False),
                name="membership_officer_has_agency",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}, {self.partnership.short_name}"


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PlanQuerySet":
        """Plans this user may read: published ones, and all of their partnerships'."""
        from csp_tracker import permissions

        return self.filter(pk__in=permissions.visible_plans(user).values("pk"))

    def for_list(self) -> "PlanQuerySet":
        """What a list of plans shows, partnership included."""
        return self.select_related("partnership").order_by("-period_start", "title")


class Plan(models.Model):
    """A partnership's plan for a period, in its own words for its levels."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "Annual community safety plan"
        TACTICAL = "tactical", "Tactical delivery plan"
        MULTI_YEAR = "multi_year", "Multi-year action plan"
        COUNTY_AGREEMENT = "county_agreement", "County community safety agreement"
        STRATEGIC_ASSESSMENT = "strategic_assessment", "Strategic assessment priorities"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"
        LIVE = "live", "Live"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(Partnership, models.PROTECT, related_name="plans")
    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.ANNUAL)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    document_status = models.CharField(
        max_length=60, blank=True, help_text='A marking printed on the document, e.g. "Draft".'
    )
    refresh = models.CharField(max_length=60, blank=True, help_text='e.g. "2019 Refresh".')
    predecessor = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="successors"
    )
    introduction = models.TextField(blank=True)
    priority_label = models.CharField(max_length=60, default="Priority")
    issue_label = models.CharField(max_length=60, default="Emerging issue")
    action_label = models.CharField(max_length=60, default="Action")
    lead_label = models.CharField(
        max_length=60, blank=True, default="Lead agency", help_text="Blank: no lead column."
    )
    support_label = models.CharField(max_length=60, default="Support agencies")
    measures_label = models.CharField(
        max_length=60,
        blank=True,
        default="Measures of success",
        help_text="Blank: no measures column.",
    )
    evidence_label = models.CharField(max_length=60, blank=True)
    impacts_label = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When a coordinator published it to the public."
    )
    source = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership__name", "-period_start", "title"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="plan_slug_unique"),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")), name="plan_period_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("id")), name="plan_not_own_predecessor"
            ),
        ]

    def __str__(self):
        return f"{self.partnership.short_name}: {self.title}"

    def get_absolute_url(self):
        return reverse("actions:plan", args=[self.partnership.slug, self.slug])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def period_label(self) -> str:
        """The period as plans write it: 2015/16 or 2016–2020."""
        start, end = self.period_start.year, self.period_end.year
        if end - start == 1:
            return f"{start}/{str(end)[-2:]}"
        return f"{start}–{end}"

    @property
    def shows_impacts(self) -> bool:
        """Whether the plan's tables have the "which other priorities" tick columns."""
        return bool(self.impacts_label)

    @property
    def shows_evidence(self) -> bool:
        return bool(self.evidence_label)


class PlanSection(models.Model):
    """A narrative part of the plan (foreword, background, appendices) in document order."""

    class Kind(models.TextChoices):
        FOREWORD = "foreword", "Foreword"
        BACKGROUND = "background", "Background and context"
        ACHIEVEMENTS = "achievements", "Last year's achievements"
        HOW_IT_WORKS = "how_it_works", "How it works"
        PRIORITIES_INTRO = "priorities_intro", "Introduction to the priorities"
        MONITORING = "monitoring", "Monitoring the plan"
        STRUCTURE = "structure", "Partnership structure"
        APPENDIX = "appendix", "Appendix"
        OTHER = "other", "Other"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    number = models.CharField(max_length=10, blank=True)
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"], name="plansection_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}".strip()


class PriorityCategory(models.Model):
    """A shared category of priority (Domestic Abuse, Safeguarding, Prevent…) for roll-ups."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    part_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text="A broader category this one is consolidated into in a roll-up.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "priority categories"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="prioritycategory_name_unique"),
        ]

    def __str__(self):
        return self.name


class PriorityQuerySet(models.QuerySet):
    def for_document(self) -> "PriorityQuerySet":
        """Priorities with their lead and issues (and each issue's impact ticks), in order."""
        issues = EmergingIssue.objects.order_by("number").prefetch_related("impact_rows")
        return (
            self.select_related("lead_agency")
            .prefetch_related(models.Prefetch("issues", queryset=issues))
            .order_by("position")
        )


class Priority(models.Model):
    """A priority (or cross-cutting theme) of a plan, with the evidence behind it."""

    class Kind(models.TextChoices):
        MAIN = "main", "Priority"
        CROSS_CUTTING = "cross_cutting", "Cross-cutting theme"

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="priorities")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    heading = models.CharField(
        max_length=300, blank=True, help_text="The heading as printed, where it differs."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MAIN)
    lead_agency = models.ForeignKey(
        Agency, models.PROTECT, null=True, blank=True, related_name="led_priorities"
    )
    lead_wording = models.CharField(
        max_length=300, blank=True, help_text="The lead as the plan prints it, if not the name."
    )
    summary = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    aims = models.TextField(blank=True, help_text="One aim per line.")
    notes = models.TextField(blank=True)
    categories = models.ManyToManyField(
        PriorityCategory, through="CategoryTag", blank=True, related_name="priorities"
    )
    objects = PriorityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="priority_position_unique"),
            models.UniqueConstraint(fields=["plan", "title"], name="priority_title_unique"),
        ]

    def __str__(self):
        return self.title

    @property
    def display_heading(self) -> str:
        return self.heading or self.title

    @property
    def has_body(self) -> bool:
        """Whether the plan says more about it than its title (follows the issues relation)."""
        return any([self.summary, self.evidence, self.aims, self.notes]) or bool(self.issues.all())

    @property
    def aim_list(self) -> list[str]:
        return [line.strip() for line in self.aims.splitlines() if line.strip()]

    @property
    def lead_display(self) -> str:
        """The lead as the plan prints it."""
        if self.lead_wording:
            return self.lead_wording
        return self.lead_agency.short_name if self.lead_agency else ""


class CategoryTag(models.Model):
    """A plan's use of a priority category, at a level: what a county roll-up counts."""

    class Level(models.TextChoices):
        NAMED = "named", "Named priority"
        SUBSIDIARY = "subsidiary", "Subsidiary priority or cross-cutting theme"
        WITHIN_THEME = "within_theme", "Issue within a broader theme"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="category_tags")
    category = models.ForeignKey(PriorityCategory, models.PROTECT, related_name="tags")
    level = models.CharField(max_length=20, choices=Level.choices)
    priority = models.ForeignKey(
        Priority,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="category_tags",
        help_text="The priority of this plan that names the category, where there is one.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "category__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "category"], name="categorytag_once_per_plan"),
        ]

    def __str__(self):
        return f"{self.category} ({self.get_level_display()})"


class CategoryCount(models.Model):
    """A county matrix's printed "No. of districts" for a category, kept as published."""

    partnership = models.ForeignKey(Partnership, models.PROTECT, related_name="category_counts")
    period_label = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField()
    category = models.ForeignKey(PriorityCategory, models.PROTECT, related_name="counts")
    section = models.CharField(max_length=20, default="main")
    districts_count = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "period_label", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period_label", "category"], name="categorycount_unique"
            ),
        ]

    def __str__(self):
        return f"{self.category}: {self.districts_count}"


class IssueImpact(models.Model):
    """A tick: the issue impacts another priority of the same plan."""

    issue = models.ForeignKey("EmergingIssue", models.CASCADE, related_name="impact_rows")
    priority = models.ForeignKey(Priority, models.CASCADE, related_name="impact_rows")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "priority"], name="issueimpact_once"),
            # Triggers (migration 0002) add issueimpact_other_priority_of_plan.
        ]

    def __str__(self):
        return f"{self.issue_id} → {self.priority}"


class EmergingIssue(models.Model):
    """An emerging issue (Ashford: aim; Medway: objective) under one priority of the plan."""

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="issues")
    priority = models.ForeignKey(Priority, models.PROTECT, related_name="issues")
    number = models.PositiveSmallIntegerField(help_text="Order within the plan.")
    ref = models.CharField(max_length=20, blank=True, help_text='The number as printed: "1", "2)".')
    title = models.TextField()
    description = models.TextField(blank=True)
    impacts = models.ManyToManyField(
        Priority, through=IssueImpact, blank=True, related_name="impacted_by"
    )
    history = HistoricalRecords(m2m_fields=[impacts])

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="emergingissue_number_unique"),
            # Triggers (migration 0002) add emergingissue_priority_in_plan.
        ]

    def __str__(self):
        return f"{self.ref}. {self.title}" if self.ref else self.title

    @property
    def ref_display(self) -> str:
        """The reference as the plan prints it in a table ("1." for Thanet, "1)" for Medway)."""
        if not self.ref:
            return ""
        return self.ref if not self.ref[-1].isalnum() else f"{self.ref}."


class GlossaryTerm(models.Model):
    """A term of the plan's glossary."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="glossary")
    position = models.PositiveSmallIntegerField()
    term = models.CharField(max_length=200)
    definition = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"], name="glossaryterm_position_unique"
            ),
        ]

    def __str__(self):
        return self.term


class Contact(models.Model):
    """A useful phone number or contact printed in the plan."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="contacts")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="contact_position_unique"),
        ]

    def __str__(self):
        return self.name


def year_earlier(day: datetime.date) -> datetime.date:
    """The same day a year before (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IndicatorQuerySet":
        """Indicators of the partnerships this user may see."""
        from csp_tracker import permissions

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
