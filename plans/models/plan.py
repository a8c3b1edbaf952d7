"""A partnership's plans and what they hold: sections, priorities and their categories, the
emerging issues, glossary and contacts."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from csp_tracker import permissions
from plans.models.partnerships import Agency, Partnership


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PlanQuerySet":
        """Plans this user may read: published ones, and all of their partnerships'."""
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
    version = models.PositiveIntegerField(default=1, help_text="Raised on every edit.")
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
        ACTIONS = "actions", "The tables of actions (each priority's table goes here)"
        CONTACTS = "contacts", "Useful contacts (the contacts table goes here)"
        GLOSSARY = "glossary", "Glossary (the glossary goes here)"
        STRUCTURE = "structure", "Partnership structure"
        APPENDIX = "appendix", "Appendix"
        OTHER = "other", "Other"

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    number = models.CharField(max_length=10, blank=True)
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every edit.")
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
    narrative_position = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Where its narrative comes among the priorities' narratives, when the plan "
        "prints them in another order than its tables; blank for the tables' order.",
    )
    notes = models.TextField(blank=True)
    categories = models.ManyToManyField(
        PriorityCategory, through="CategoryTag", blank=True, related_name="priorities"
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every edit.")
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
        """Whether the plan says more about it than its title: text, a heading that adds to
        the title ("… – the Gang Strategy is added as Appendix 1."), or a table of issues
        (follows the issues relation)."""
        said = any([self.summary, self.evidence, self.aims, self.notes])
        heading_adds = bool(self.heading) and self.heading.lower() != self.title.lower()
        return said or heading_adds or bool(self.issues.all())

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
    version = models.PositiveIntegerField(default=1, help_text="Raised on every edit.")
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
    version = models.PositiveIntegerField(default=1, help_text="Raised on every edit.")
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
    version = models.PositiveIntegerField(default=1, help_text="Raised on every edit.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="contact_position_unique"),
        ]

    def __str__(self):
        return self.name
