"""Every change to partnerships, agencies and plans that matters goes through here."""

import datetime
import logging
import smtplib

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from csp_tracker import links
from csp_tracker.editing import (
    UNCHANGED,
    StaleEdit,
    delete_with_history,
    describe_last_change,
    given,
    locked_at_version,
    next_number,
    save_with_history,
    set_fields,
)
from csp_tracker.security_log import log_event
from plans.models import (
    Agency,
    CategoryCount,
    CategoryTag,
    Contact,
    EmergingIssue,
    GlossaryTerm,
    Indicator,
    IndicatorValue,
    Invitation,
    Membership,
    Partnership,
    PartnershipAgency,
    Plan,
    PlanSection,
    Priority,
    PriorityCategory,
    normalise_name,
)
from plans.models.partnerships import NEEDS_AGENCY

logger = logging.getLogger(__name__)

COORDINATORS_GROUP = "Coordinators"


@transaction.atomic
def create_partnership(*, slug, name, short_name, kind, county=None, by=None) -> Partnership:
    """Register a Community Safety Partnership."""
    return save_with_history(
        Partnership(slug=slug, name=name, short_name=short_name, kind=kind, county=county), by
    )


@transaction.atomic
def join_county(*, partnership, county, by=None) -> Partnership:
    """Make a district partnership a member of its county's: its priorities roll up there.
    Validated as any save (a partnership is never its own county)."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    partnership.county = county
    return save_with_history(partnership, by)


def find_agency(name_or_abbreviation: str) -> Agency | None:
    """The agency whose name or abbreviation matches, ignoring case, spacing and punctuation."""
    key = normalise_name(name_or_abbreviation)
    if not key:
        return None
    for agency in Agency.objects.all():
        if key in {normalise_name(agency.name), normalise_name(agency.abbreviation)}:
            return agency
    return None


@transaction.atomic
def create_agency(*, name, abbreviation="", parent=None, by=None) -> Agency:
    """Add an agency (or a unit of one) to the shared list."""
    return save_with_history(Agency(name=name, abbreviation=abbreviation, parent=parent), by)


@transaction.atomic
def add_membership(
    *, user, partnership, role, agency=None, sees_restricted=False, by=None
) -> Membership:
    """Give a user a role in a partnership (officers report for one agency).

    Coordinators build plans in the admin, so they become staff in the Coordinators group.
    """
    membership = save_with_history(
        Membership(
            user=user,
            partnership=partnership,
            role=role,
            agency=agency,
            sees_restricted=sees_restricted,
        ),
        by,
    )
    if role == Membership.Role.COORDINATOR:
        _keep_admin_access(user)
    return membership


def _keep_admin_access(user) -> None:
    """A coordinator of any partnership is staff in the Coordinators group; someone who no
    longer coordinates anywhere is neither (a site administrator stays staff)."""
    group = Group.objects.get(name=COORDINATORS_GROUP)
    coordinates = user.memberships.filter(role=Membership.Role.COORDINATOR).exists()
    if coordinates:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    staff = coordinates or user.is_superuser
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def create_plan(*, partnership, slug, title, period_start, period_end, by=None, **fields) -> Plan:
    """Start a plan for a period; it begins as a draft unless told otherwise."""
    plan = Plan(
        partnership=partnership,
        slug=slug,
        title=title,
        period_start=period_start,
        period_end=period_end,
        **fields,
    )
    return save_with_history(plan, by)


#: The lifecycle a plan moves through, one step at a time.
NEXT_STATUS = {
    Plan.Status.DRAFT: Plan.Status.AGREED,
    Plan.Status.AGREED: Plan.Status.LIVE,
    Plan.Status.LIVE: Plan.Status.CLOSED,
}


def next_statuses(plan) -> list[str]:
    """The statuses a plan may be given now: its own, or the next step of the lifecycle."""
    return [plan.status, *([NEXT_STATUS[plan.status]] if plan.status in NEXT_STATUS else [])]


def check_status_change(plan, to) -> None:
    """Refuse a move that skips a step or goes back: draft → agreed → live → closed."""
    if to not in next_statuses(plan):
        raise _cannot_become(plan, to)


def _cannot_become(plan, to) -> ValidationError:
    return ValidationError(
        f"A {plan.get_status_display().lower()} plan cannot become {Plan.Status(to).label.lower()}."
    )


def check_publishable(status) -> None:
    """Refuse publishing a draft by hand (the admin's published date): a plan is agreed
    before the public may read it. publish_plan agrees it on the way."""
    if status == Plan.Status.DRAFT:
        raise ValidationError("A draft plan cannot be published; agree it first.")


#: How each step of the lifecycle is named in the plan's history.
STEP_REASONS = {
    Plan.Status.AGREED: "Marked as agreed",
    Plan.Status.LIVE: "Made live",
    Plan.Status.CLOSED: "Closed",
}
PUBLISHED = "Published"


def plan_state(plan) -> int | None:
    """What a page that changes a plan's lifecycle was based on: the plan's latest history
    record (None before it has one). The change is refused if the plan moved on since."""
    return plan.history.order_by("-history_id").values_list("history_id", flat=True).first()


def _locked_plan(plan, based_on) -> Plan:
    """The plan, locked until the transaction ends; StaleEdit if it changed since the page
    the coordinator confirmed on was opened (`based_on`, from plan_state; UNCHANGED skips)."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if given(based_on) and plan_state(locked) != based_on:
        raise StaleEdit(
            "Someone else changed this plan after you opened the page.",
            changes=[describe_last_change(locked, what="the plan", unknown="The plan changed.")],
        )
    return locked


#: The security log's name for each change of a plan's state.
STATE_EVENTS = {
    Plan.Status.AGREED: "plan.agreed",
    Plan.Status.LIVE: "plan.made_live",
    Plan.Status.CLOSED: "plan.closed",
}


def _log_state(event: str, plan, by) -> None:
    """A line in the security log once the change is committed (none if it is rolled back)."""
    transaction.on_commit(
        lambda: log_event(
            event,
            user=by,
            plan=plan.pk,
            partnership=plan.partnership_id,
            status=plan.status,
        )
    )


def _step(plan, to, by) -> Plan:
    if NEXT_STATUS.get(plan.status) != to:
        raise _cannot_become(plan, to)
    plan.status = to
    saved = save_with_history(plan, by, reason=STEP_REASONS[to])
    _log_state(STATE_EVENTS[to], saved, by)
    return saved


@transaction.atomic
def advance_plan(*, plan, to, by, based_on=UNCHANGED) -> Plan:
    """Move a plan on one step: draft → agreed → live → closed."""
    return _step(_locked_plan(plan, based_on), to, by)


def publishing_steps(plan) -> list[str]:
    """The lifecycle steps publishing takes the plan through first: a draft is agreed and
    made live, an agreed plan made live; a live or closed plan stays as it is."""
    if plan.status == Plan.Status.DRAFT:
        return [Plan.Status.AGREED, Plan.Status.LIVE]
    if plan.status == Plan.Status.AGREED:
        return [Plan.Status.LIVE]
    return []


@transaction.atomic
def publish_plan(*, plan, by, when: datetime.datetime | None = None, based_on=UNCHANGED) -> Plan:
    """Make a plan readable by the public, in one step: a draft or agreed plan is moved on to
    live first, each step a record of its history, then published."""
    plan = _locked_plan(plan, based_on)
    if plan.is_published:
        raise ValidationError("The plan is already published.")
    for to in publishing_steps(plan):
        _step(plan, to, by)
    plan.published_at = when or timezone.now()
    saved = save_with_history(plan, by, reason=PUBLISHED)
    _log_state("plan.published", saved, by)
    return saved


@transaction.atomic
def unpublish_plan(*, plan, by, reason: str, based_on=UNCHANGED) -> Plan:
    """Take a plan back from the public, for the reason given (kept in its history). Its
    status stays: a live plan unpublished is still the partnership's working plan."""
    plan = _locked_plan(plan, based_on)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the plan is being unpublished."})
    if not plan.is_published:
        raise ValidationError("The plan is not published.")
    plan.published_at = None
    saved = save_with_history(plan, by, reason=reason.strip())
    _log_state("plan.unpublished", saved, by)
    return saved


def next_issue_number(plan) -> int:
    """The number the plan's next emerging issue takes (issues are numbered through a plan)."""
    return next_number(plan.issues, "number")


@transaction.atomic
def add_section(*, plan, title, body="", kind=PlanSection.Kind.OTHER, number="", by=None):
    """Append a narrative section to the plan document."""
    position = next_number(plan.sections)
    section = PlanSection(
        plan=plan, position=position, kind=kind, number=number, title=title, body=body
    )
    return save_with_history(section, by)


@transaction.atomic
def add_priority(*, plan, title, by=None, **fields) -> Priority:
    """Add a priority or cross-cutting theme at the end of the plan."""
    position = next_number(plan.priorities)
    return save_with_history(Priority(plan=plan, position=position, title=title, **fields), by)


@transaction.atomic
def add_issue(*, priority, title, ref="", description="", impacts=(), by=None) -> EmergingIssue:
    """Add an emerging issue under a priority, numbered next in the plan."""
    plan = priority.plan
    number = next_issue_number(plan)
    issue = save_with_history(
        EmergingIssue(
            plan=plan,
            priority=priority,
            number=number,
            ref=ref,
            title=title,
            description=description,
        ),
        by,
    )
    if impacts:
        set_issue_impacts(issue=issue, priorities=impacts, by=by)
    return issue


@transaction.atomic
def set_issue_impacts(*, issue, priorities, by=None) -> EmergingIssue:
    """Tick the other priorities of the same plan that the issue impacts."""
    for priority in priorities:
        if priority.plan_id != issue.plan_id:
            raise ValidationError(f"{priority} is a priority of another plan.")
        if priority.pk == issue.priority_id:
            raise ValidationError(f"{priority} is the issue's own priority.")
    issue._history_user = by
    issue.impacts.set(priorities)
    return issue


@transaction.atomic
def add_glossary_term(*, plan, term, definition, by=None) -> GlossaryTerm:
    """Append a term to the plan's glossary."""
    position = next_number(plan.glossary)
    return save_with_history(
        GlossaryTerm(plan=plan, position=position, term=term, definition=definition), by
    )


@transaction.atomic
def add_contact(*, plan, name, phone="", notes="", by=None) -> Contact:
    """Append a useful contact to the plan's appendix."""
    position = next_number(plan.contacts)
    return save_with_history(
        Contact(plan=plan, position=position, name=name, phone=phone, notes=notes), by
    )


def get_or_create_category(name: str, *, part_of=None, by=None) -> PriorityCategory:
    """The shared category of this name, added on first use."""
    existing = PriorityCategory.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    return save_with_history(PriorityCategory(name=name, part_of=part_of), by)


@transaction.atomic
def tag_category(*, plan, category, level, priority=None, by=None) -> CategoryTag:
    """Record that a plan takes up a priority category, at a level."""
    return save_with_history(
        CategoryTag(plan=plan, category=category, level=level, priority=priority), by
    )


@transaction.atomic
def record_category_count(
    *, partnership, period_label, category, districts_count, section="main", source="", by=None
) -> CategoryCount:
    """Keep a county matrix's printed number of districts for a category."""
    position = next_number(
        CategoryCount.objects.filter(partnership=partnership, period_label=period_label)
    )
    count = CategoryCount(
        partnership=partnership,
        period_label=period_label,
        position=position,
        category=category,
        section=section,
        districts_count=districts_count,
        source=source,
    )
    return save_with_history(count, by)


INDICATOR_FIELDS = (
    "name",
    "unit",
    "source",
    "direction",
    "target",
    "target_note",
    "priority",
    "description",
)
VALUE_FIELDS = ("period_label", "period_start", "period_end", "value", "source", "note")


@transaction.atomic
def define_indicator(*, partnership, name, by=None, **fields) -> Indicator:
    """Add a performance indicator the partnership will watch."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"Not an indicator field: {', '.join(sorted(unknown))}")
    return save_with_history(Indicator(partnership=partnership, name=name, **fields), by)


@transaction.atomic
def edit_indicator(*, indicator, by, version, **changes) -> Indicator:
    """Change an indicator's definition; refused with StaleEdit if it changed since `version`."""
    locked = locked_at_version(
        Indicator.objects, pk=indicator.pk, version=version, name="indicator"
    )
    set_fields(locked, changes, INDICATOR_FIELDS)
    locked.version += 1
    return save_with_history(locked, by)


@transaction.atomic
def record_indicator_value(*, indicator, period_label, value, by=None, **fields) -> IndicatorValue:
    """Record an indicator's value for a period (dates blank where the source does not say)."""
    unknown = set(fields) - set(VALUE_FIELDS)
    if unknown:
        raise TypeError(f"Not a value field: {', '.join(sorted(unknown))}")
    return save_with_history(
        IndicatorValue(indicator=indicator, period_label=period_label, value=value, **fields), by
    )


@transaction.atomic
def correct_indicator_value(*, recorded, by, version, **changes) -> IndicatorValue:
    """Correct a recorded value; refused with StaleEdit if it changed since `version`.

    `recorded` is the IndicatorValue; `changes` may include its `value`. The history keeps
    what it said before and who corrected it.
    """
    locked = locked_at_version(
        IndicatorValue.objects, pk=recorded.pk, version=version, name="value"
    )
    set_fields(locked, changes, VALUE_FIELDS)
    locked.version += 1
    return save_with_history(locked, by)


@transaction.atomic
def record_indicator_values(*, partnership, rows: list[dict], by) -> list[IndicatorValue]:
    """Record many values at once (a CSV upload): all of them, or none if any row is wrong.

    Each row is a dict with `indicator` (one of the partnership's) and the value fields, plus
    `line` (its line in the file) for the messages. Raises ValidationError listing every
    wrong row, after which nothing is saved.
    """
    saved, errors = [], []
    for row in rows:
        fields = {k: v for k, v in row.items() if k not in {"line", "indicator"}}
        indicator = row["indicator"]
        if indicator.partnership_id != partnership.pk:
            errors.append(f"Line {row['line']}: {indicator} is another partnership's indicator.")
            continue
        value = IndicatorValue(indicator=indicator, **fields)
        try:
            saved.append(save_with_history(value, by))
        except ValidationError as invalid:
            errors.extend(f"Line {row['line']}: {message}" for message in invalid.messages)
    if errors:
        raise ValidationError(errors)
    return saved


# People: invitations by email, members' roles and agencies, removals.


def account_for(email: str):
    """The account an email address signs in to, if there is one: the user whose username or
    email address it is."""
    users = get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
    return users.order_by("pk").first()


def check_role(*, partnership, role, agency) -> None:
    """Refuse an officer without an agency of the partnership's: they report for one (the
    form asks this too, so that it shows every problem at once)."""
    if role != Membership.Role.OFFICER:
        return
    if agency is None:
        raise ValidationError({"agency": NEEDS_AGENCY})
    if not Agency.objects.for_partnership(partnership).filter(pk=agency.pk).exists():
        raise ValidationError({"agency": f"{agency.name} is not one of the partnership's agencies"})


def _for_role(role, agency, restricted_access) -> tuple:
    """What a role keeps of the form: an agency for an officer only, restricted access for a
    councillor only (the form shows both whatever the role chosen)."""
    agency = agency if role == Membership.Role.OFFICER else None
    sees = bool(restricted_access) and role == Membership.Role.COUNCILLOR
    return agency, sees


@transaction.atomic
def invite_member(
    *, partnership, email, role, agency=None, restricted_access=False, by, site
) -> Invitation:
    """Invite a person by email to a role in the partnership (for an officer, an agency).

    The email with the link is sent once the invitation is saved; `site` is the address the
    link starts with ("https://csp.example.org", from the request). An expired invitation to
    the same address is withdrawn by the new one.
    """
    email = email.strip().lower()
    members = Membership.objects.filter(partnership=partnership)
    if members.filter(Q(user__username__iexact=email) | Q(user__email__iexact=email)).exists():
        raise ValidationError({"email": f"{email} is already a member of {partnership.name}"})
    earlier = (
        Invitation.objects.select_for_update()
        .pending()
        .filter(partnership=partnership, email__iexact=email)
        .first()
    )
    if earlier is not None and not earlier.has_expired():
        raise ValidationError(
            {
                "email": f"{email} has already been invited: send the invitation again from "
                "the list of invitations"
            }
        )
    now = timezone.now()
    if earlier is not None:
        earlier.revoked_at, earlier.revoked_by = now, by
        save_with_history(earlier, by, reason="Expired; replaced by a new invitation")
    check_role(partnership=partnership, role=role, agency=agency)
    agency, sees = _for_role(role, agency, restricted_access)
    invitation = Invitation(
        partnership=partnership,
        email=email,
        role=role,
        agency=agency,
        sees_restricted=sees,
        invited_by=by,
        created_at=now,
        expires_at=now + Invitation.LIFETIME,
    )
    save_with_history(invitation, by)
    _send_on_commit(invitation, site)
    return invitation


def _pending(invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ValidationError(f"{locked.email} has already accepted the invitation.")
    if locked.revoked_at is not None:
        raise ValidationError(f"The invitation to {locked.email} has been withdrawn.")
    return locked


@transaction.atomic
def resend_invitation(*, invitation, by, site) -> Invitation:
    """Send an invitation again with a new link that lasts another 14 days; the earlier links
    stop working."""
    locked = _pending(invitation)
    locked.nonce = links.new_nonce()
    locked.expires_at = timezone.now() + Invitation.LIFETIME
    save_with_history(locked, by, reason="Sent again")
    _send_on_commit(locked, site)
    return locked


@transaction.atomic
def revoke_invitation(*, invitation, by) -> Invitation:
    """Withdraw an invitation: its link stops working."""
    locked = _pending(invitation)
    locked.revoked_at, locked.revoked_by = timezone.now(), by
    return save_with_history(locked, by)


def _send_on_commit(invitation, site: str) -> None:
    link = site.rstrip("/") + reverse("plans:invitation-open", args=[invitation.token()])
    transaction.on_commit(lambda: send_invitation_email(invitation, link))


def send_invitation_email(invitation, link: str) -> bool:
    """Email the invited person their link (plain text, and HTML). A mail server that cannot
    be reached is logged, not raised: the invitation stands and can be sent again."""
    inviter = invitation.invited_by
    context = {
        "invitation": invitation,
        "partnership": invitation.partnership,
        "inviter": inviter.get_full_name() or inviter.get_username(),
        "link": link,
    }
    subject = " ".join(render_to_string("plans/email/invitation_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject, render_to_string("plans/email/invitation.txt", context), to=[invitation.email]
    )
    message.attach_alternative(
        render_to_string("plans/email/invitation.html", context), "text/html"
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("The email for invitation %s could not be sent.", invitation.pk)
        return False
    return True


def _usable(token: str) -> Invitation:
    """The invitation a link is for, locked until the transaction ends; Unusable if it may not
    be accepted (raised by Invitation.objects.from_link)."""
    return Invitation.objects.select_for_update(of=("self",)).from_link(token)


@transaction.atomic
def accept_invitation(*, token, user) -> Membership:
    """A signed-in person accepts the invitation sent to their email address: they become a
    member in its role."""
    invitation = _usable(token)
    if Membership.objects.filter(user=user, partnership=invitation.partnership).exists():
        raise ValidationError(f"You are already a member of {invitation.partnership.name}.")
    return _accepted(invitation, user)


@transaction.atomic
def join_by_invitation(*, token, first_name, last_name, password) -> Membership:
    """A new person accepts an invitation: an account whose username is the email address the
    invitation was sent to, with the name they give and the password they choose."""
    invitation = _usable(token)
    if account_for(invitation.email) is not None:
        raise ValidationError(
            "There is already an account for this email address: sign in to accept."
        )
    user = get_user_model()(
        username=invitation.email,
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as invalid:
        raise ValidationError({"password": invalid.messages}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    return _accepted(invitation, user)


def _accepted(invitation, user) -> Membership:
    membership = add_membership(
        user=user,
        partnership=invitation.partnership,
        role=invitation.role,
        agency=invitation.agency,
        sees_restricted=invitation.sees_restricted,
        by=user,
    )
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    save_with_history(invitation, user)
    return membership


def _keeps_a_coordinator(membership, *, leaving: str) -> None:
    """Refuse to leave the partnership without a coordinator: someone must run it."""
    if membership.role != Membership.Role.COORDINATOR:
        return
    others = (
        Membership.objects.select_for_update()
        .filter(partnership_id=membership.partnership_id, role=Membership.Role.COORDINATOR)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        who = membership.user.get_full_name() or membership.user.get_username()
        raise ValidationError(
            {
                leaving: f"{who} is the partnership's only coordinator: make someone else "
                "coordinator first"
            }
        )


def role_of(membership) -> dict:
    """A member's role as change_membership takes it: what the form to change it starts from."""
    return {
        "role": membership.role,
        "agency": membership.agency_id,
        "restricted_access": membership.sees_restricted,
    }


@transaction.atomic
def change_membership(
    *, membership, by, version, role, agency=None, restricted_access=False
) -> Membership:
    """Change a member's role, agency (officers) or restricted access (councillors); refused
    with StaleEdit if someone changed it since `version`, and for the last coordinator."""
    locked = locked_at_version(
        Membership.objects.select_related("user", "partnership"),
        pk=membership.pk,
        version=version,
        name="member",
        what="this member's role",
    )
    check_role(partnership=locked.partnership, role=role, agency=agency)
    if role != locked.role:
        _keeps_a_coordinator(locked, leaving="role")
    locked.role = role
    locked.agency, locked.sees_restricted = _for_role(role, agency, restricted_access)
    locked.version += 1
    save_with_history(locked, by)
    _keep_admin_access(locked.user)
    return locked


@transaction.atomic
def remove_membership(*, membership, by, reason) -> None:
    """Take a member out of the partnership, saying why (kept in the history). Their account
    stays, and so does everything they recorded, under their name."""
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why they are being removed"})
    _keeps_a_coordinator(locked, leaving="reason")
    delete_with_history(locked, by, reason=reason)
    _keep_admin_access(locked.user)


# The partnership's agencies: its own list, drawn from the shared one.


class AgencyExists(ValidationError):
    """A proposed agency that is on the shared list already: `agency` is the one there."""

    def __init__(self, message, *, agency):
        super().__init__(message)
        self.agency = agency


@transaction.atomic
def add_partnership_agency(*, partnership, agency, by) -> PartnershipAgency:
    """Put an agency of the shared list on the partnership's list."""
    if PartnershipAgency.objects.filter(partnership=partnership, agency=agency).exists():
        raise ValidationError(
            {"agency": f"{agency.name} is already one of the partnership's agencies"}
        )
    return save_with_history(
        PartnershipAgency(partnership=partnership, agency=agency, added_by=by), by
    )


@transaction.atomic
def propose_agency(*, partnership, name, abbreviation="", by) -> Agency:
    """Add an agency that is not on the shared list yet: it is the partnership's at once, and
    waits for a site administrator to approve it for everyone (or merge it into another).

    Refused with AgencyExists if its name or abbreviation is already an agency's (ignoring
    case, spacing and punctuation).
    """
    name, abbreviation = name.strip(), abbreviation.strip()
    for field, value in (("name", name), ("abbreviation", abbreviation)):
        existing = find_agency(value)
        if existing is not None:
            raise AgencyExists({field: _already_listed(existing, partnership)}, agency=existing)
    agency = save_with_history(
        Agency(name=name, abbreviation=abbreviation, proposed_by=partnership, approved=False),
        by,
    )
    save_with_history(PartnershipAgency(partnership=partnership, agency=agency, added_by=by), by)
    return agency


def _already_listed(agency, partnership) -> str:
    if Agency.objects.for_partnership(partnership).filter(pk=agency.pk).exists():
        return f"{agency} is already one of the partnership's agencies"
    if not agency.approved:
        return (
            f"{agency} has been proposed by another partnership and waits for a site administrator"
        )
    return f"{agency} is already on the shared list of agencies: add it instead"


@transaction.atomic
def remove_partnership_agency(*, partnership, agency, by) -> None:
    """Take an agency off the partnership's list; refused while anything of the partnership
    names it (the message says what)."""
    link = (
        PartnershipAgency.objects.select_for_update()
        .filter(partnership=partnership, agency=agency)
        .first()
    )
    if link is None:
        raise ValidationError(f"{agency.name} is not on the partnership's list of agencies.")
    uses = Agency.objects.with_uses(partnership).get(pk=agency.pk).uses()
    if uses:
        raise ValidationError(
            f"{agency.name} cannot be removed: it {_and(uses)} in {partnership.name}."
        )
    delete_with_history(link, by)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


# The shared list of agencies: a site administrator approves proposals and merges duplicates.


@transaction.atomic
def approve_agency(*, agency, by) -> Agency:
    """Put a proposed agency on the shared list, for every partnership to add."""
    if agency.approved:
        return agency
    agency.approved = True
    return save_with_history(agency, by, reason="Approved for the shared list")


@transaction.atomic
def merge_agencies(*, keep, duplicate, by) -> Agency:
    """Move everything that names `duplicate` (memberships, partnerships' lists, actions led
    and supported, priorities, updates, invitations, people, units: every relation to Agency,
    whichever app holds it) to `keep`, then delete `duplicate`; all or nothing, each change
    in the history with `by` and the reason. A row that would then repeat one naming `keep`
    (a partnership listing both) is removed instead."""
    keep = Agency.objects.select_for_update().get(pk=keep.pk)
    duplicate = Agency.objects.select_for_update().get(pk=duplicate.pk)
    if keep.pk == duplicate.pk:
        raise ValidationError("An agency cannot be merged into itself.")
    reason = f"Merged {duplicate} into {keep}"
    for relation in agency_relations():
        if relation.many_to_many:
            _merge_many(relation, keep, duplicate, by, reason)
        else:
            _merge_rows(relation, keep, duplicate, by, reason)
    delete_with_history(duplicate, by, reason=reason)
    keep.refresh_from_db()
    return keep


def agency_relations() -> list:
    """Every relation that names an Agency, once: a many-to-many through a model of its own
    (a partnership's agencies) is that model's foreign key, whose rows keep their history."""
    return [
        relation
        for relation in Agency._meta.related_objects
        if not (relation.many_to_many and not relation.through._meta.auto_created)
    ]


def _merge_many(relation, keep, duplicate, by, reason) -> None:
    name = relation.field.name
    for row in relation.related_model._default_manager.filter(**{name: duplicate}):
        chosen = getattr(row, name)
        chosen.remove(duplicate)
        chosen.add(keep)
        _bump_version(row)
        save_with_history(row, by, reason=reason)


def _merge_rows(relation, keep, duplicate, by, reason) -> None:
    model, name = relation.related_model, relation.field.name
    rows = model._base_manager.filter(**{name: duplicate})
    if not hasattr(model, "history"):
        # Rows with no history of their own (append-only progress reports): the same words,
        # now naming the agency kept; the merge's own history rows say when and why.
        QuerySet(model).filter(pk__in=rows.values("pk")).update(**{name: keep})
        return
    for row in rows.select_for_update():
        if row.pk == keep.pk and model is Agency:  # the kept agency was a unit of the other
            row.parent = duplicate.parent if duplicate.parent_id != keep.pk else None
        else:
            setattr(row, name, keep)
        if _repeats_another(row, name):
            row = model._base_manager.get(pk=row.pk)  # the history keeps what was removed
            delete_with_history(row, by, reason=reason)
            continue
        _bump_version(row)
        save_with_history(row, by, reason=reason)


def _repeats_another(row, name) -> bool:
    """Whether another row has the values `row` now has in a unique set naming `name`."""
    opts = row._meta
    sets = [c.fields for c in opts.constraints if getattr(c, "fields", None)]
    sets += [tuple(fields) for fields in opts.unique_together]
    for fields in sets:
        if name in fields:
            same = {f: getattr(row, opts.get_field(f).attname) for f in fields}
            if type(row)._base_manager.filter(**same).exclude(pk=row.pk).exists():
                return True
    return False


def _bump_version(row) -> None:
    """A versioned row (a membership, an action) goes stale for forms opened before."""
    if hasattr(row, "version"):
        row.version += 1
