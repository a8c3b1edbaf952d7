"""Partnerships, the agencies they work with, and the people who belong to them or are
invited to."""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.text import slugify
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from csp_tracker import links


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
    agencies = models.ManyToManyField(
        "Agency", through="PartnershipAgency", blank=True, related_name="partnerships"
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
        """The partnership's page: its plans, and its coordinators' home (served by reports,
        which reads every app)."""
        return reverse("reports:partnership", args=[self.slug])

    @property
    def file_stem(self) -> str:
        """The start of the name of every file the partnership's pages give: "thanet-csp"."""
        return slugify(self.short_name or self.name)


@dataclass(frozen=True)
class AgencyUse:
    """One way a partnership's records name an agency: `path` leads from Agency to the
    partnership (with `conditions` on the same row), `words` say it for a count."""

    key: str
    path: str
    words: tuple[str, str]
    conditions: dict = field(default_factory=dict)

    def describe(self, count: int) -> str:
        return ngettext(*self.words, count) % {"count": count}


#: Where a partnership's records name an agency. Actions and progress updates are the actions
#: app's: plans follows the relations they make to Agency by these names and imports nothing
#: of theirs (tests/plans/test_agencies.py walks each one).
AGENCY_USES = (
    AgencyUse(
        "leads",
        "led_actions__plan__partnership",
        ("leads %(count)d action", "leads %(count)d actions"),
    ),
    AgencyUse(
        "supports",
        "supported_actions__plan__partnership",
        ("supports %(count)d action", "supports %(count)d actions"),
    ),
    AgencyUse(
        "priorities",
        "led_priorities__plan__partnership",
        ("leads %(count)d priority", "leads %(count)d priorities"),
    ),
    AgencyUse(
        "updates",
        "action_updates__action__plan__partnership",
        ("reported %(count)d progress update", "reported %(count)d progress updates"),
    ),
    AgencyUse(
        "members",
        "memberships__partnership",
        ("is the agency of %(count)d member", "is the agency of %(count)d members"),
    ),
    AgencyUse(
        "invitations",
        "invitations__partnership",
        (
            "is named in %(count)d invitation not yet accepted",
            "is named in %(count)d invitations not yet accepted",
        ),
        {"invitations__accepted_at__isnull": True, "invitations__revoked_at__isnull": True},
    ),
)


class AgencyQuerySet(models.QuerySet):
    def for_partnership(self, partnership) -> "AgencyQuerySet":
        """The partnership's agencies, offered wherever its plans and people name one: those
        on its list, and any its plans, updates, members or invitations already name."""
        listed = PartnershipAgency.objects.filter(partnership=partnership).values("agency_id")
        wanted = Q(pk__in=listed)
        for use in AGENCY_USES:
            wanted |= Q(pk__in=self._naming(use, partnership).values("pk"))
        return self.filter(wanted)

    def addable_to(self, partnership) -> "AgencyQuerySet":
        """The shared list's agencies a coordinator may add: approved, not yet the partnership's."""
        mine = Agency.objects.for_partnership(partnership).values("pk")
        return self.filter(approved=True).exclude(pk__in=mine)

    def with_uses(self, partnership) -> "AgencyQuerySet":
        """Each agency with `uses_<key>`: how many of the partnership's records of each
        AGENCY_USES name it, in the one query."""
        counts = {}
        for use in AGENCY_USES:
            rows = self._naming(use, partnership).filter(pk=OuterRef("pk"))
            number = rows.values("pk").annotate(n=Count("pk")).values("n")[:1]
            counts[f"uses_{use.key}"] = Coalesce(Subquery(number), 0)
        return self.annotate(**counts)

    @staticmethod
    def _naming(use: AgencyUse, partnership) -> "AgencyQuerySet":
        return Agency.objects.filter(**{use.path: partnership}, **use.conditions)


class Agency(models.Model):
    """An organisation of the partnership, or a unit of one (TDC CSU is a unit of TDC)."""

    name = models.CharField(max_length=200)
    abbreviation = models.CharField(max_length=40, blank=True)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="units")
    proposed_by = models.ForeignKey(
        Partnership,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_agencies",
        help_text="The partnership whose coordinator proposed it for the shared list.",
    )
    approved = models.BooleanField(
        default=True,
        help_text="On the shared list for every partnership. A proposed agency waits for a site "
        "administrator to approve it or merge it into one already there.",
    )
    objects = AgencyQuerySet.as_manager()
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

    def uses(self) -> list[str]:
        """What names the agency, in words, for an agency read through with_uses()."""
        return [
            use.describe(getattr(self, f"uses_{use.key}"))
            for use in AGENCY_USES
            if getattr(self, f"uses_{use.key}")
        ]


class PartnershipAgency(models.Model):
    """An agency on a partnership's list, added by its coordinator (or found in its records)."""

    partnership = models.ForeignKey(Partnership, models.PROTECT, related_name="agency_links")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="partnership_links")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies_added",
        help_text="Blank where the partnership's records already named the agency.",
    )
    added_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "agency__name"]
        verbose_name = "partnership's agency"
        verbose_name_plural = "partnerships' agencies"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "agency"], name="partnershipagency_once"
            ),
        ]

    def __str__(self):
        return f"{self.agency} in {self.partnership.short_name}"


class MembershipQuerySet(models.QuerySet):
    def for_people_page(self) -> "MembershipQuerySet":
        """What the people page shows of each member, by role in the order Role lists them
        (coordinators first), then by name."""
        order = Case(
            *(When(role=value, then=n) for n, value in enumerate(Membership.Role.values)),
            default=len(Membership.Role.values),
        )
        return self.select_related("user", "agency").order_by(
            order, "user__first_name", "user__last_name", "user__username"
        )


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
    joined_at = models.DateTimeField(default=timezone.now, help_text="Member since.")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every edit.")
    objects = MembershipQuerySet.as_manager()
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

    def clean(self):
        if self.role == self.Role.OFFICER and self.agency_id is None:
            raise ValidationError({"agency": NEEDS_AGENCY})

    @property
    def role_in_words(self) -> str:
        """The role as a sentence says it; follows the agency relation."""
        return role_in_words(self.get_role_display(), self.agency)


NEEDS_AGENCY = "Select the agency the officer reports for"


def role_in_words(role_label: str, agency) -> str:
    """ "an agency officer for Kent Police", "a scrutiny councillor"."""
    role = role_label.lower()
    article = "an" if role[:1] in set("aeiou") else "a"
    return f"{article} {role} for {agency.name}" if agency else f"{article} {role}"


class Unusable(Exception):
    """An invitation link that cannot be accepted, and why (`reason`, one of the values
    below); `invitation` is the one it was for, where the link could say."""

    MISSING = "missing"  # no link was opened in this browser
    DAMAGED = "damaged"
    REPLACED = "replaced"
    EXPIRED = "expired"
    ACCEPTED = "accepted"
    REVOKED = "revoked"

    def __init__(self, reason: str, invitation: "Invitation | None" = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        """Invitations neither accepted nor withdrawn (expired ones included: they are sent
        again or withdrawn)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def for_people_page(self) -> "InvitationQuerySet":
        """What the people page shows of each invitation not yet accepted, newest first."""
        return self.pending().select_related("agency", "invited_by").order_by("-created_at", "-pk")

    def from_link(self, token: str, *, now: datetime.datetime | None = None) -> "Invitation":
        """The invitation a link is for, while it may be accepted; otherwise raises Unusable
        saying why (used, withdrawn, sent again since, expired or damaged)."""
        try:
            pk, nonce = links.read_token(
                Invitation.LINK_PURPOSE, token, max_age=Invitation.LIFETIME
            )
            too_old = False
        except links.ExpiredLink as old:
            pk, nonce, too_old = old.pk, old.nonce, True
        except links.BadLink:
            raise Unusable(Unusable.DAMAGED) from None
        related = ("partnership", "agency", "invited_by")
        invitation = self.select_related(*related).filter(pk=pk).first()
        if invitation is None:
            raise Unusable(Unusable.DAMAGED)
        if invitation.accepted_at is not None:
            raise Unusable(Unusable.ACCEPTED, invitation)
        if invitation.revoked_at is not None:
            raise Unusable(Unusable.REVOKED, invitation)
        if not constant_time_compare(invitation.nonce, nonce):
            raise Unusable(Unusable.REPLACED, invitation)
        if too_old or invitation.has_expired(now):
            raise Unusable(Unusable.EXPIRED, invitation)
        return invitation


class Invitation(models.Model):
    """An invitation to join the partnership in a role, sent by email as a single-use link
    that expires; the person sets their own password when they accept."""

    LIFETIME = datetime.timedelta(days=14)
    LINK_PURPOSE = "invitation"

    partnership = models.ForeignKey(Partnership, models.PROTECT, related_name="invitations")
    email = models.EmailField(help_text="Where the link is sent; the account's username.")
    role = models.CharField(max_length=20, choices=Membership.Role.choices)
    agency = models.ForeignKey(
        Agency, models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    sees_restricted = models.BooleanField(
        default=False,
        help_text="Councillors only: granted sight of restricted items in this partnership.",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations_revoked",
    )
    # Changed when the link is sent again, so that every earlier link stops working. Not in
    # the history: a link cannot be made from it without SECRET_KEY, but it has no reader.
    nonce = models.CharField(max_length=64, default=links.new_nonce)
    objects = InvitationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["nonce"])

    class Meta:
        ordering = ["partnership", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "partnership",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_email",
                violation_error_message="This person has already been invited.",
            ),
            models.CheckConstraint(
                condition=~Q(role="officer") | Q(agency__isnull=False),
                name="invitation_officer_has_agency",
            ),
            models.CheckConstraint(
                condition=Q(role="officer") | Q(agency__isnull=True),
                name="invitation_agency_only_for_officers",
            ),
            models.CheckConstraint(
                condition=Q(role="councillor") | Q(sees_restricted=False),
                name="invitation_restricted_only_for_councillors",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked_not_both",
            ),
        ]

    def __str__(self):
        return f"{self.email} — {self.get_role_display()}, {self.partnership.short_name}"

    def clean(self):
        problems = {}
        if self.role == Membership.Role.OFFICER and self.agency_id is None:
            problems["agency"] = NEEDS_AGENCY
        if self.role != Membership.Role.OFFICER and self.agency_id is not None:
            problems["agency"] = "Only an agency officer reports for an agency"
        if self.role != Membership.Role.COUNCILLOR and self.sees_restricted:
            problems["sees_restricted"] = (
                "Only a scrutiny councillor is granted restricted items: coordinators and "
                "board members see them already"
            )
        if problems:
            raise ValidationError(problems)

    @property
    def role_in_words(self) -> str:
        """The role as a sentence says it; follows the agency relation."""
        return role_in_words(self.get_role_display(), self.agency)

    def has_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    def token(self) -> str:
        """The token of the invitation's link as it stands (a new one after each resend)."""
        return links.make_token(self.LINK_PURPOSE, pk=self.pk, nonce=self.nonce)
