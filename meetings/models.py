"""Meetings of a partnership's bodies: agendas, attendance, minutes, decisions, actions arising.

Restricted (exempt) items stay out of sight of whoever may not see them: every read goes
through a `visible_to(user)` QuerySet method, which asks csp_tracker.permissions.
"""

import calendar
import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from actions.models import Action
from csp_tracker import permissions
from plans.models import Agency, Partnership, Plan, Priority


class BodyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BodyQuerySet":
        """Bodies of the user's partnerships, and any body with a meeting the user may read."""
        readable = Meeting.objects.filter(permissions.readable_meetings(user)).values("body_id")
        return self.filter(
            Q(partnership__in=permissions.member_partnerships(user)) | Q(pk__in=readable)
        )

    def with_next_and_last_meeting(self, user, on: datetime.date) -> "BodyQuerySet":
        """Each body with `next_meeting_id` (its first meeting on or after `on`) and
        `last_meeting_id` (its latest before), among the meetings the user may read."""
        readable = Meeting.objects.visible_to(user).filter(body=OuterRef("pk"))
        return self.annotate(
            next_meeting_id=Subquery(readable.upcoming(on).values("pk")[:1]),
            last_meeting_id=Subquery(readable.past(on).values("pk")[:1]),
        )


class Body(models.Model):
    """A group of the partnership that meets: its executive group, scrutiny working party…"""

    class Kind(models.TextChoices):
        EXECUTIVE_GROUP = "executive_group", "Executive group"
        SCRUTINY_WORKING_PARTY = "scrutiny_working_party", "Scrutiny working party"
        COUNTY_PARTNERSHIP = "county_partnership", "County partnership"
        DELIVERY_GROUP = "delivery_group", "Delivery group"
        COMMUNITY_SAFETY_FORUM = "community_safety_forum", "Community safety forum"
        NEIGHBOURHOOD_ENGAGEMENT = "neighbourhood_engagement", "Neighbourhood engagement meeting"

    partnership = models.ForeignKey(Partnership, models.PROTECT, related_name="bodies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.TextField(blank=True)
    chair_label = models.CharField(
        max_length=40,
        default="Chair",
        help_text='How its minutes name the chair: "Chair", "Chairman".',
    )
    dates_with_weekday = models.BooleanField(
        default=False,
        help_text='Whether its minutes print the day of the week with a date ("Wednesday, '
        '14 October 2015") or not ("14 December 2015").',
    )
    year_starts = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="The month its municipal year starts; minute numbers run through the year.",
    )
    objects = BodyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership__name", "name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="body_name_unique"),
            models.CheckConstraint(
                condition=Q(year_starts__gte=1) & Q(year_starts__lte=12),
                name="body_year_starts_is_a_month",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:body", args=[self.pk])

    def municipal_year(self, day: datetime.date) -> int:
        """The calendar year in which the municipal year holding `day` began."""
        return day.year if day.month >= self.year_starts else day.year - 1

    @property
    def year_starts_month(self) -> str:
        return calendar.month_name[self.year_starts]

    @property
    def vice_chair_label(self) -> str:
        return f"Vice-{self.chair_label}"


def year_label(year: int) -> str:
    """A municipal year as councils write it: 2015/16."""
    return f"{year}/{str(year + 1)[-2:]}"


class MinuteNumbering(models.Model):
    """Where a body's minute numbers start in a municipal year, as its coordinator set it."""

    body = models.ForeignKey(Body, models.PROTECT, related_name="numberings")
    year = models.PositiveSmallIntegerField(help_text="The year the municipal year starts in.")
    first_number = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "year"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="minutenumbering_once_a_year"),
            models.CheckConstraint(
                condition=Q(first_number__gte=1), name="minutenumbering_starts_at_one_or_more"
            ),
        ]

    def __str__(self):
        return f"{self.body}: {year_label(self.year)} starts at {self.first_number}"


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingQuerySet":
        """Published meetings for everyone; every meeting of the user's own partnerships."""
        return self.filter(permissions.readable_meetings(user))

    def for_list(self) -> "MeetingQuerySet":
        """What a list of meetings shows: body and partnership, who approved its minutes."""
        return self.select_related("body__partnership", "minutes_approved_by")

    def upcoming(self, on: datetime.date) -> "MeetingQuerySet":
        return self.filter(date__gte=on).order_by("date", "start_time")

    def past(self, on: datetime.date) -> "MeetingQuerySet":
        return self.filter(date__lt=on).order_by("-date", "-start_time")


class Meeting(models.Model):
    """A meeting of a body: when, where, whether it was held, and whether it is published."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    body = models.ForeignKey(Body, models.PROTECT, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    venue = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    concluded_at = models.TimeField(
        null=True, blank=True, help_text='Printed at the end: "Meeting concluded: 8.30 pm".'
    )
    record_label = models.CharField(
        max_length=20, default="Minutes", help_text='What its record is called: "Minutes", "Notes".'
    )
    contact = models.CharField(
        max_length=300, blank=True, help_text="Who to ask about it, as the agenda prints it."
    )
    agenda_notes = models.TextField(
        blank=True, help_text="Printed on the agenda's front page (refreshments, access…)."
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a coordinator made it public: its agenda, attendance and minutes.",
    )
    source = models.CharField(max_length=300, blank=True)
    minutes_approved_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its minutes were approved; after that they change only by a correction.",
    )
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_meetings",
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every edit.")
    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(concluded_at__isnull=True) | Q(status="held"),
                name="meeting_concluded_only_when_held",
            ),
            models.CheckConstraint(
                condition=Q(minutes_approved_at__isnull=True) | Q(status="held"),
                name="meeting_minutes_approved_only_when_held",
            ),
        ]

    def __str__(self):
        return f"{self.body.name}, {self.date:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def municipal_year(self) -> int:
        """The municipal year its minutes are numbered in (follows the body)."""
        return self.body.municipal_year(self.date)

    @property
    def minutes_approved(self) -> bool:
        return self.minutes_approved_at is not None

    #: What a scheduled meeting whose date has passed is called until it is marked held.
    DATE_PASSED = "Date passed: awaiting minutes"

    def status_on(self, on: datetime.date) -> str:
        """Its status in words on the day `on`: a scheduled meeting whose date has passed is
        no longer "Scheduled" but awaits its minutes (and being marked held or cancelled)."""
        if self.status == self.Status.SCHEDULED and self.date < on:
            return self.DATE_PASSED
        return self.get_status_display()

    @property
    def status_today(self) -> str:
        """status_on today."""
        return self.status_on(timezone.localdate())

    @property
    def date_passed(self) -> bool:
        return self.status == self.Status.SCHEDULED and self.date < timezone.localdate()


class Person(models.Model):
    """Someone named in a body's meetings: a councillor or an officer, a user or not."""

    partnership = models.ForeignKey(Partnership, models.PROTECT, related_name="people")
    name = models.CharField(
        max_length=200,
        help_text='As the minutes print it: "Councillor Jeffrey Elenor", "Mr S Peerbux".',
    )
    job_title = models.CharField(max_length=300, blank=True)
    agency = models.ForeignKey(Agency, models.PROTECT, null=True, blank=True, related_name="people")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_people",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="person_name_unique"),
        ]

    def __str__(self):
        return self.name


class Attendance(models.Model):
    """A person at a meeting: present, also present, in attendance, or sending apologies."""

    class Kind(models.TextChoices):
        PRESENT = "present", "Present"
        ALSO_PRESENT = "also_present", "Also present"
        IN_ATTENDANCE = "in_attendance", "In attendance"
        APOLOGIES = "apologies", "Apologies"

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-chair"

    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="attendances")
    person = models.ForeignKey(Person, models.PROTECT, related_name="attendances")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text='Printed in brackets after the name: "Head of Community Safety".',
    )
    position = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once"),
            models.UniqueConstraint(
                fields=["meeting", "role"], condition=~Q(role=""), name="attendance_one_chair"
            ),
            models.CheckConstraint(
                condition=Q(role="") | Q(kind="present"), name="attendance_chair_is_present"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_kind_display()})"


class AgendaItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AgendaItemQuerySet":
        """Items of meetings the user may read; restricted ones only for those who see them."""
        return self.filter(permissions.readable_meetings(user, "meeting__")).filter(
            permissions.readable_restricted(user, "meeting__body__partnership")
        )


class AgendaItem(models.Model):
    """An item of a meeting's agenda: its code (A1, B2…), title, presenter and papers."""

    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    section = models.CharField(
        max_length=200,
        blank=True,
        help_text='The heading it is under: "B. Matters for Discussion".',
    )
    code = models.CharField(max_length=10, blank=True, help_text="A1, B2…")
    title = models.CharField(max_length=500)
    presenter = models.CharField(max_length=300, blank=True)
    pages = models.CharField(
        max_length=60, blank=True, help_text='Where its papers are in the pack: "Pages 3 - 6".'
    )
    notes = models.TextField(blank=True)
    restricted = models.BooleanField(
        default=False,
        help_text="Exempt: not open to the press and public, its papers not for publication.",
    )
    paper_plan = models.ForeignKey(
        Plan,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        help_text="The plan whose progress report is attached as this item's paper.",
    )
    paper_meeting = models.ForeignKey(
        Meeting,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="minutes_papers",
        help_text="The earlier meeting whose minutes are attached as this item's paper.",
    )
    objects = AgendaItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="agendaitem_position_unique"
            ),
            models.UniqueConstraint(
                fields=["meeting", "code"], condition=~Q(code=""), name="agendaitem_code_unique"
            ),
            models.CheckConstraint(
                condition=~Q(paper_meeting=F("meeting")), name="agendaitem_papers_of_another"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}".strip()


def paper_path(paper, filename: str) -> str:
    """Where an uploaded paper is stored: a name of its own, never the uploader's."""
    return f"papers/{uuid.uuid4().hex}.pdf"


class AgendaPaperQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AgendaPaperQuerySet":
        """Papers of the agenda items the user may read (a restricted item's papers only for
        those who see restricted items); a progress report only of a plan the user may read."""
        return self.filter(item__in=AgendaItem.objects.visible_to(user)).filter(
            Q(plan__isnull=True) | Q(plan__in=permissions.visible_plans(user))
        )


class AgendaPaper(models.Model):
    """A paper of an agenda item, in the pack after the agenda: an uploaded PDF, or the
    plan's progress report as at a day."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", "Uploaded PDF"
        PROGRESS_REPORT = "progress_report", "Progress report"

    item = models.ForeignKey(AgendaItem, models.PROTECT, related_name="papers")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=paper_path, max_length=200, blank=True)
    filename = models.CharField(
        max_length=200, blank=True, help_text="The uploaded file's name, for its download."
    )
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True, help_text="In bytes.")
    plan = models.ForeignKey(
        Plan, models.PROTECT, null=True, blank=True, related_name="agenda_papers"
    )
    as_at = models.DateField(null=True, blank=True, help_text="The day the report is as at.")
    added_at = models.DateTimeField(default=timezone.now)
    objects = AgendaPaperQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"], name="agendapaper_position_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="upload") & ~Q(file="") & Q(plan__isnull=True) & Q(as_at__isnull=True)
                )
                | (
                    Q(kind="progress_report")
                    & Q(file="")
                    & Q(plan__isnull=False)
                    & Q(as_at__isnull=False)
                ),
                name="agendapaper_upload_or_progress_report",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The paper itself: the stored PDF, or the plan's progress report as at its day
        (follows the plan and its partnership)."""
        if self.is_upload:
            return reverse("meetings:paper", args=[self.pk])
        plan = self.plan
        url = reverse("reports:progress-pdf", args=[plan.partnership.slug, plan.slug])
        return f"{url}?on={self.as_at.isoformat()}"

    @property
    def is_upload(self) -> bool:
        return self.kind == self.Kind.UPLOAD


class MinuteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MinuteQuerySet":
        """Minutes of meetings the user may read; restricted ones only for those who see them."""
        return self.filter(permissions.readable_meetings(user, "meeting__")).filter(
            permissions.readable_restricted(user, "body__partnership")
        )

    def for_document(self, user) -> "MinuteQuerySet":
        """Minutes in number order, with the priorities and actions they cite that the user
        may read (those of unpublished plans stay out of sight of the public)."""

        plans = permissions.visible_plans(user)
        priorities = Priority.objects.filter(plan__in=plans).select_related("plan__partnership")
        actions = Action.objects.filter(plan__in=plans).select_related("plan")
        return self.prefetch_related(
            models.Prefetch("priorities", queryset=priorities.order_by("plan", "position")),
            models.Prefetch("actions", queryset=actions.order_by("plan", "number")),
        ).order_by("number")


class Minute(models.Model):
    """A numbered minute: what was discussed and RESOLVED; numbers run through the year."""

    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="minutes")
    body = models.ForeignKey(
        Body, models.PROTECT, related_name="minutes", help_text="The meeting's body (derived)."
    )
    municipal_year = models.PositiveSmallIntegerField(help_text="The meeting's (derived).")
    number = models.PositiveIntegerField()
    item_code = models.CharField(
        max_length=10, blank=True, help_text='The agenda item it records, as printed: "A3".'
    )
    title = models.CharField(max_length=500)
    discussion = models.TextField(blank=True)
    resolution = models.TextField(
        blank=True,
        help_text='The decision printed after "RESOLVED": "that the KCSP note the update."',
    )
    restricted = models.BooleanField(
        default=False, help_text="Exempt: not for publication; absent for those who may not see it."
    )
    priorities = models.ManyToManyField(Priority, blank=True, related_name="minutes")
    actions = models.ManyToManyField(Action, blank=True, related_name="minutes")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every edit.")
    objects = MinuteQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[priorities, actions])

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "municipal_year", "number"], name="minute_number_unique_in_year"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def save(self, *args, **kwargs):
        self.body_id = self.meeting.body_id
        self.municipal_year = self.meeting.municipal_year
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#minute-{self.number}"


class MinuteCorrectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MinuteCorrectionQuerySet":
        """Corrections of minutes the user may read; of a restricted minute only for those who
        see restricted items."""
        return self.filter(permissions.readable_meetings(user, "meeting__")).filter(
            permissions.readable_restricted(user, "meeting__body__partnership")
        )


class MinuteCorrection(models.Model):
    """A correction to approved minutes: what changed, why, who made it and when. Kept for
    good: a correction is never edited or removed."""

    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="corrections")
    minute = models.ForeignKey(
        Minute, models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    change = models.CharField(max_length=500, help_text='What changed: "Minute 98: RESOLVED".')
    reason = models.TextField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="minute_corrections"
    )
    made_at = models.DateTimeField(default=timezone.now)
    restricted = models.BooleanField(default=False, help_text="As the minute it corrects.")
    objects = MinuteCorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "made_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="minutecorrection_has_a_reason"),
        ]

    def __str__(self):
        return f"{self.change}: {self.reason}"


class DeclarationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DeclarationQuerySet":
        """Declarations at meetings the user may read; restricted ones only for those who may."""
        return self.filter(permissions.readable_meetings(user, "meeting__")).filter(
            permissions.readable_restricted(user, "meeting__body__partnership")
        )


class Declaration(models.Model):
    """A declaration of interest made at a meeting."""

    class Kind(models.TextChoices):
        PECUNIARY = "pecuniary", "Disclosable pecuniary interest"
        SIGNIFICANT = "significant", "Other significant interest"
        VOLUNTARY = "voluntary", "Voluntary announcement of other interests"

    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="declarations")
    person = models.ForeignKey(Person, models.PROTECT, related_name="declarations")
    item_code = models.CharField(max_length=10, blank=True, help_text="The agenda item.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.VOLUNTARY)
    interest = models.TextField(help_text="The interest declared, in the words recorded.")
    restricted = models.BooleanField(default=False)
    objects = DeclarationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self):
        return f"{self.person}: {self.interest}"


class MeetingActionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingActionQuerySet":
        """Actions arising at meetings the user may read; restricted ones only for those who may."""
        return self.filter(permissions.readable_meetings(user, "meeting__")).filter(
            permissions.readable_restricted(user, "meeting__body__partnership")
        )

    def for_list(self) -> "MeetingActionQuerySet":
        """What a row of actions arising shows: meeting, body, minute, owner, where it closed."""
        return self.select_related(
            "meeting__body__partnership", "minute", "owner", "closed_at_meeting"
        )

    def arising_before(self, meeting: Meeting, previous_date) -> "MeetingActionQuerySet":
        """Matters arising at `meeting`: earlier actions of its body still open after the
        previous meeting (`previous_date`), including those done since."""
        still_open = Q(status=MeetingAction.Status.OPEN)
        if previous_date is not None:
            still_open |= Q(closed_on__gt=previous_date)
        return self.filter(meeting__body_id=meeting.body_id, meeting__date__lt=meeting.date).filter(
            still_open
        )


class MeetingAction(models.Model):
    """An action arising from a meeting: who does what by when; open until recorded done."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="actions_arising")
    minute = models.ForeignKey(
        Minute, models.PROTECT, null=True, blank=True, related_name="actions_arising"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="meeting_actions"
    )
    owner_wording = models.CharField(
        max_length=300,
        blank=True,
        help_text='Who it falls to where that is no one person: "The Partnership", "Kent Police".',
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closed_at_meeting = models.ForeignKey(
        Meeting, models.PROTECT, null=True, blank=True, related_name="actions_closed"
    )
    restricted = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every edit.")
    objects = MeetingActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = "action arising"
        verbose_name_plural = "actions arising"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status="open") & Q(closed_on__isnull=True) & Q(closed_at_meeting__isnull=True)
                )
                | (Q(status="done") & Q(closed_on__isnull=False)),
                name="meetingaction_closed_only_when_done",
            ),
            models.CheckConstraint(
                condition=~Q(closed_at_meeting=F("meeting")),
                name="meetingaction_closed_at_a_later_meeting",
            ),
        ]

    def __str__(self):
        return self.description

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#action-arising-{self.pk}"

    @property
    def owner_display(self) -> str:
        """Who the action falls to, as the minutes put it (follows the owner relation)."""
        if self.owner_id:
            return self.owner.name
        return self.owner_wording
