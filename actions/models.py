"""Actions of a plan, their measures of success and the progress reported on them."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from csp_tracker import permissions
from plans.models import Agency, EmergingIssue, Plan


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    DELAYED = "delayed", "Delayed"
    COMPLETED = "completed", "Completed"
    CARRIED_OVER = "carried_over", "Carried over"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


#: Statuses that end an action: it no longer counts as overdue or awaiting an update.
CLOSED_STATUSES = {Status.COMPLETED, Status.CARRIED_OVER, Status.WITHDRAWN}
#: Statuses an officer must explain in words.
NEEDS_NARRATIVE = {Status.DELAYED, Status.AT_RISK, Status.WITHDRAWN}


def expected_in_round(action) -> bool:
    """Whether an update round asks about the action: it is still being delivered, or it was
    reported on in the round all the same (finished in it). Reads the action's status and its
    `updated_in_period` annotation."""
    return action.status not in CLOSED_STATUSES or action.updated_in_period


class ReportingPeriodQuerySet(models.QuerySet):
    def open(self) -> "ReportingPeriodQuerySet":
        """Rounds still taking updates: not closed by a coordinator."""
        return self.filter(closed_at__isnull=True)

    def current(self, on: datetime.date) -> "ReportingPeriod | None":
        """The round officers report on now: the latest that has started by `on`.

        For a plan whose year is over that is its last round; before the first round starts
        there is none.
        """
        return self.filter(start__lte=on).order_by("-start").first()


class ReportingPeriod(models.Model):
    """An update round (e.g. Q3 2015/16): what officers are asked to report on by its due date."""

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="reporting_periods")
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=30)
    start = models.DateField()
    end = models.DateField()
    due = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a coordinator closed it: it takes no more updates."
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_reporting_periods",
    )
    objects = ReportingPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "start"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="reportingperiod_slug_unique"),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="reportingperiod_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(due__isnull=True) | Q(due__gte=F("end")),
                name="reportingperiod_due_after_end",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=False) | Q(closed_by__isnull=True),
                name="reportingperiod_closed_by_only_when_closed",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The round's page (follows the plan and its partnership)."""
        plan = self.plan
        return reverse("actions:round", args=[plan.partnership.slug, plan.slug, self.slug])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @staticmethod
    def current_among(
        periods: "Iterable[ReportingPeriod]", on: datetime.date
    ) -> "ReportingPeriod | None":
        """The round current on `on` among rounds already loaded: the latest that has started
        by then (what ReportingPeriodQuerySet.current reads from the database)."""
        started = [p for p in periods if p.start <= on]
        return max(started, key=lambda p: (p.start, p.pk), default=None)


def _reported_in_current_period() -> Exists:
    """Whether the action has an update for the round in its current_period_id annotation."""
    return Exists(
        ActionUpdate.objects.filter(action=OuterRef("pk"), period_id=OuterRef("current_period_id"))
    )


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ActionQuerySet":
        """Actions of the plans this user may read."""

        return self.filter(plan__in=permissions.visible_plans(user))

    def for_plan_page(self) -> "ActionQuerySet":
        """Everything a plan table row shows, in a fixed number of queries."""
        return (
            self.select_related("lead_agency")
            .prefetch_related("support_agencies", "measures")
            .order_by("number")
        )

    def with_progress(self, on: datetime.date) -> "ActionQuerySet":
        """Annotate what lists filter and sort on, as it stands on the day `on`.

        last_reported_on: the date of the latest update; current_period_id: the plan's
        current round (ReportingPeriodQuerySet.current); updated_this_period: whether an
        update was recorded for that round; overdue: past its target date and not finished.
        """
        current = (
            ReportingPeriod.objects.filter(plan=OuterRef("plan"), start__lte=on)
            .order_by("-start")
            .values("pk")[:1]
        )
        return self.annotate(
            last_reported_on=latest_update("reported_on"),
            current_period_id=Subquery(current),
            updated_this_period=_reported_in_current_period(),
            overdue=Case(
                When(Q(target_date__lt=on) & ~Q(status__in=CLOSED_STATUSES), then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
        )

    def in_round(self, slug: str) -> "ActionQuerySet":
        """with_progress's current_period_id and updated_this_period for the round named
        `slug` in each action's plan ("q3") instead of the current one; NULL and False where
        a plan has no such round. Call after with_progress."""
        chosen = ReportingPeriod.objects.filter(plan=OuterRef("plan"), slug=slug).values("pk")
        return self.annotate(
            current_period_id=Subquery(chosen[:1]),
            updated_this_period=_reported_in_current_period(),
        )

    def for_dashboard(
        self, on: datetime.date, *, period: "ReportingPeriod | None"
    ) -> "ActionQuerySet":
        """Everything the board's dashboard counts, as it stands on the day `on`, in one query.

        with_progress's annotations (overdue, last_reported_on and updated_this_period for the
        current round, as the action list reads them), and updated_in_period: whether an update
        was recorded for `period`, the round the dashboard shows (False without one).
        """
        in_period = (
            Exists(ActionUpdate.objects.filter(action=OuterRef("pk"), period=period))
            if period
            else Value(False)
        )
        return (
            self.with_progress(on)
            .annotate(updated_in_period=in_period)
            .select_related("issue__priority", "lead_agency")
            .order_by("number")
        )

    def in_list_order(self) -> "ActionQuerySet":
        """The order of action lists: the newest plan first, then each plan's numbering."""
        return self.order_by("-plan__period_start", "plan_id", "number")

    def for_list(self, on: datetime.date) -> "ActionQuerySet":
        """Everything an action list row shows, in a fixed number of queries."""
        return (
            self.with_progress(on)
            .select_related("plan__partnership", "issue__priority", "lead_agency")
            .prefetch_related("support_agencies")
        )

    def as_at(
        self,
        day: datetime.date,
        *,
        recorded_by: datetime.datetime | None = None,
        since: datetime.date | None = None,
        period_start: datetime.date | None = None,
    ) -> "ActionQuerySet":
        """Annotate each action as it stood at the end of `day`, from its updates reported by then.

        status_as_at, rag_as_at, status_set_on: from the latest update that set a status
        ("not_started" and no RAG before there was one); update_id_as_at, reported_on_as_at,
        narrative_as_at: the latest update of any kind, a note included. With `since` (the end
        of the previous period) also status_since, the status as it stood then; with
        `period_start` also updated_in_period: whether an update was reported from that day to
        `day`. `recorded_by` leaves out updates entered later, even back-dated ones, so that a
        document can be reproduced exactly.
        Ties are broken as `latest_update` breaks them: created_at, then pk.
        """
        reported = updates_as_at(day, recorded_by=recorded_by).filter(action=OuterRef("pk"))
        statuses = reported.exclude(status="")
        annotations = {
            "status_as_at": Coalesce(
                Subquery(statuses.values("status")[:1]), Value(Status.NOT_STARTED.value)
            ),
            "rag_as_at": Coalesce(Subquery(statuses.values("rag")[:1]), Value("")),
            "status_set_on": Subquery(statuses.values("reported_on")[:1]),
            "update_id_as_at": Subquery(reported.values("pk")[:1]),
            "reported_on_as_at": Subquery(reported.values("reported_on")[:1]),
            "narrative_as_at": Subquery(reported.values("narrative")[:1]),
        }
        if since is not None:
            before = statuses.filter(reported_on__lte=since)
            annotations["status_since"] = Coalesce(
                Subquery(before.values("status")[:1]), Value(Status.NOT_STARTED.value)
            )
        if period_start is not None:
            in_period = reported.filter(reported_on__gte=period_start)
            annotations["updated_in_period"] = Exists(in_period)
        return self.annotate(**annotations)

    def for_progress_report(
        self,
        day: datetime.date,
        *,
        recorded_by: datetime.datetime | None = None,
        since: datetime.date | None = None,
        period_start: datetime.date | None = None,
    ) -> "ActionQuerySet":
        """Every action of a progress report as it stood at the end of `day` (as_at), with its
        lead, issue, priority, support agencies and measures as at that day, in plan order."""
        measures = measures_as_at(day, recorded_by=recorded_by)
        return (
            self.as_at(day, recorded_by=recorded_by, since=since, period_start=period_start)
            .select_related("lead_agency", "issue__priority")
            .prefetch_related("support_agencies", models.Prefetch("measures", queryset=measures))
            .order_by("number")
        )


class Action(models.Model):
    """A numbered action of a plan under one of its issues, led by one agency."""

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="actions")
    issue = models.ForeignKey(EmergingIssue, models.PROTECT, related_name="actions")
    number = models.PositiveSmallIntegerField(help_text="Order within the plan.")
    ref = models.CharField(
        max_length=20, blank=True, help_text='The plan\'s own reference: "19", "a", or blank.'
    )
    title = models.TextField()
    lead_agency = models.ForeignKey(
        Agency, models.PROTECT, null=True, blank=True, related_name="led_actions"
    )
    lead_wording = models.CharField(
        max_length=300, blank=True, help_text='The lead as printed, e.g. "Kent Police & ABC …".'
    )
    support_agencies = models.ManyToManyField(Agency, blank=True, related_name="supported_actions")
    support_wording = models.CharField(
        max_length=300, blank=True, help_text='Support the plan names that is no agency: "ALL".'
    )
    target_date = models.DateField(null=True, blank=True)
    # The latest update's status and RAG, cached by services.record_update in the same
    # transaction so that lists can filter on them; tests prove the cache agrees.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    last_update_at = models.DateTimeField(null=True, blank=True)
    carried_over_from = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="carried_over_into"
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every edit.")
    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[support_agencies], excluded_fields=["last_update_at"])

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="action_number_unique"),
            models.UniqueConstraint(
                fields=["issue", "ref"], condition=~Q(ref=""), name="action_ref_unique_in_issue"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.COMPLETED) | Q(rag=Rag.GREEN),
                name="action_completed_is_green",
            ),
            models.CheckConstraint(
                condition=~Q(carried_over_from=F("id")), name="action_not_carried_from_itself"
            ),
            # Triggers (migration 0002) add action_issue_in_plan.
        ]

    def __str__(self):
        return f"{self.ref_display} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("actions:detail", args=[self.pk])

    @property
    def ref_display(self) -> str:
        """The reference as the plan prints it: "19." (Thanet), "a)" (Medway)."""
        if not self.ref:
            return ""
        if self.ref.isalpha():
            return f"{self.ref})"
        return f"{self.ref}."

    @property
    def lead_display(self) -> str:
        """The lead cell as the plan prints it."""
        if self.lead_wording:
            return self.lead_wording
        return self.lead_agency.short_name if self.lead_agency else ""

    @property
    def support_display(self) -> list[str]:
        """The support cell as the plan prints it (follows the prefetched support_agencies).

        Agencies already named in a composite lead ("Kent Police & ABC Licensing") are not
        repeated.
        """
        if self.support_wording:
            return [self.support_wording]
        lead = self.lead_wording.lower()
        return [
            a.short_name
            for a in self.support_agencies.all()
            if not (lead and (a.short_name.lower() in lead or a.name.lower() in lead))
        ]

    def is_overdue(self, on: datetime.date) -> bool:
        """Past its target date and not finished."""
        return (
            self.target_date is not None
            and self.target_date < on
            and self.status not in CLOSED_STATUSES
        )

    def clean(self):
        if self.issue_id and self.plan_id and self.issue.plan_id != self.plan_id:
            raise ValidationError({"issue": "The issue belongs to another plan."})
        if self.carried_over_from_id and self.carried_over_from.plan_id == self.plan_id:
            raise ValidationError(
                {"carried_over_from": "An action is carried over from another plan."}
            )


class Measure(models.Model):
    """A measure of success of an action; where it is a number, its target and baseline."""

    action = models.ForeignKey(Action, models.PROTECT, related_name="measures")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(help_text='As written in the plan; "TBC" is allowed.')
    evidence = models.TextField(blank=True)
    is_numeric = models.BooleanField(default=False)
    target = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Blank while TBC."
    )
    unit = models.CharField(max_length=200, blank=True)
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "position"]
        constraints = [
            models.UniqueConstraint(fields=["action", "position"], name="measure_position_unique"),
            models.CheckConstraint(
                condition=Q(is_numeric=True) | (Q(target__isnull=True) & Q(baseline__isnull=True)),
                name="measure_numbers_only_when_numeric",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0),
                name="measure_target_not_negative",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_tbc(self) -> bool:
        return self.text.strip().upper() == "TBC" or (self.is_numeric and self.target is None)

    def progress(self, value: Decimal | None) -> int | None:
        """Percentage of the way from baseline to target that a reading reaches (0–100)."""
        if value is None or self.target is None:
            return None
        start = self.baseline or Decimal(0)
        if self.target == start:
            return 100 if value == self.target else 0
        share = (value - start) / (self.target - start)
        return max(0, min(100, round(share * 100)))


class AppendOnlyQuerySet(models.QuerySet):
    """Rows that are never changed or removed once written."""

    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} rows are append-only.")

    def delete(self):
        raise TypeError(f"{self.model.__name__} rows are append-only.")


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are append-only.")


class ActionUpdateQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user) -> "ActionUpdateQuerySet":
        """Updates on actions of the plans this user may read."""

        return self.filter(action__plan__in=permissions.visible_plans(user))

    def latest_first(self) -> "ActionUpdateQuerySet":
        return self.order_by("-reported_on", "-created_at", "-pk")


class ActionUpdate(AppendOnlyModel):
    """A progress report on an action: who, when, for which period, what it set and said."""

    action = models.ForeignKey(Action, models.PROTECT, related_name="updates")
    period = models.ForeignKey(
        ReportingPeriod, models.PROTECT, null=True, blank=True, related_name="updates"
    )
    reported_on = models.DateField(help_text="The day the progress was reported.")
    created_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="action_updates",
    )
    reported_by = models.CharField(
        max_length=200, blank=True, help_text="Who reported it, where that was not a user."
    )
    agency = models.ForeignKey(
        Agency, models.PROTECT, null=True, blank=True, related_name="action_updates"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, blank=True, help_text="Blank for a note."
    )
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    narrative = models.TextField(blank=True, max_length=5000)
    source = models.CharField(max_length=300, blank=True)
    objects = ActionUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["action", "reported_on", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="") & Q(rag="")) | (~Q(status="") & ~Q(rag="")),
                name="actionupdate_status_and_rag_together",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.COMPLETED) | Q(rag=Rag.GREEN),
                name="actionupdate_completed_is_green",
            ),
            models.CheckConstraint(
                condition=~Q(status="") | ~Q(narrative=""), name="actionupdate_note_has_text"
            ),
        ]

    def __str__(self):
        return f"Update on {self.action_id} ({self.reported_on})"

    @property
    def is_note(self) -> bool:
        return not self.status

    @property
    def who(self) -> str:
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        return self.reported_by


def updates_as_at(
    day: datetime.date, *, recorded_by: datetime.datetime | None = None
) -> ActionUpdateQuerySet:
    """Updates reported on or before `day` (and entered by `recorded_by`), latest first."""
    updates = ActionUpdate.objects.filter(reported_on__lte=day)
    if recorded_by is not None:
        updates = updates.filter(created_at__lte=recorded_by)
    return updates.order_by("-reported_on", "-created_at", "-pk")


def measures_as_at(
    day: datetime.date | None, *, recorded_by: datetime.datetime | None = None
) -> models.QuerySet:
    """Measures with value_as_at and read_on_as_at: their latest reading reported by `day`
    (with `day` None, their latest reading of all)."""
    readings = MeasureReading.objects.filter(measure=OuterRef("pk")).order_by(
        "-update__reported_on", "-update__created_at", "-update__pk"
    )
    if day is not None:
        readings = readings.filter(update__reported_on__lte=day)
    if recorded_by is not None:
        readings = readings.filter(update__created_at__lte=recorded_by)
    return Measure.objects.annotate(
        value_as_at=Subquery(readings.values("value")[:1]),
        read_on_as_at=Subquery(readings.values("update__reported_on")[:1]),
    ).order_by("position")


def latest_update(field: str = "pk"):
    """A Subquery for one field of each action's latest update (used by list QuerySets)."""
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by(
        "-reported_on", "-created_at", "-pk"
    )
    return Subquery(latest.values(field)[:1])


class MeasureReading(AppendOnlyModel):
    """A value of a numeric measure recorded by an update."""

    update = models.ForeignKey(ActionUpdate, models.PROTECT, related_name="readings")
    measure = models.ForeignKey(Measure, models.PROTECT, related_name="readings")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["update", "measure__position"]
        constraints = [
            models.UniqueConstraint(fields=["update", "measure"], name="measurereading_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="measurereading_not_negative"),
            # Triggers (migration 0002) add measurereading_measure_of_action.
        ]

    def __str__(self):
        return f"{self.measure}: {self.value}"
