"""Partnerships, the agencies they work with, and the people who belong to them."""

import re

from django.conf import settings
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
