"""Every access rule of CSP Tracker, one function per question.

Pages, exports, feeds and PDFs all ask these functions; nothing else decides who may see or
change what. Reads start from `visible_plans(user)`: what a user may not see is a 404 like
what does not exist. Changes then ask a `can_*` function: 403 when it says no. Rules about
rows of other apps (meetings, restricted items) are given as Q objects over a path to the
row's meeting or partnership, so that this module imports nothing but plans.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

# The models package is read when a rule runs, not when this module loads: its QuerySets'
# visible_to ask the rules here, so each module imports the other at its top.
from plans import models
from plans.models.partnerships import Membership, Partnership

Role = Membership.Role


def memberships(user) -> dict[int, Membership]:
    """The user's memberships by partnership id, loaded once per request and kept on the user."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_csp_memberships", None)
    if cached is None:
        rows = Membership.objects.filter(user=user).select_related("agency", "partnership")
        cached = {m.partnership_id: m for m in rows}
        user._csp_memberships = cached
    return cached


def membership(user, partnership_id: int) -> Membership | None:
    """The user's membership of one partnership, or None."""
    return memberships(user).get(partnership_id)


def visible_plans(user) -> QuerySet:
    """Published plans for everyone; every plan of the partnerships the user belongs to."""
    plans = models.Plan.objects
    published = Q(published_at__isnull=False)
    partnership_ids = list(memberships(user))
    if not partnership_ids:
        return plans.filter(published)
    return plans.filter(published | Q(partnership_id__in=partnership_ids))


def visible_partnerships(user) -> QuerySet[Partnership]:
    """Partnerships with a plan the user may read, and those the user belongs to."""
    ids = set(memberships(user))
    return Partnership.objects.filter(
        Q(pk__in=ids) | Q(pk__in=visible_plans(user).values("partnership_id"))
    )


def is_member(user, partnership_id: int) -> bool:
    """Signed in and belonging to the partnership, in any role."""
    return membership(user, partnership_id) is not None


def sees_restricted(user, partnership_id: int) -> bool:
    """Coordinators and board members see restricted items; others only when granted."""
    m = membership(user, partnership_id)
    if m is None:
        return False
    if m.role in {Role.COORDINATOR, Role.BOARD}:
        return True
    return m.sees_restricted


def can_manage_partnership(user, partnership_id: int) -> bool:
    """Coordinators manage their partnership's plans, agencies, periods and imports."""
    m = membership(user, partnership_id)
    if m is None:
        return False
    return m.role == Role.COORDINATOR


# People and agencies (the coordinator's pages, and the invitation links they send).


def can_manage_people(user, partnership_id: int) -> bool:
    """Coordinators see who belongs to their partnership (with email addresses and pending
    invitations), invite people, change their roles and remove them. Board members and others
    do not see the page: it holds personal details they have no need of."""
    return can_manage_partnership(user, partnership_id)


def can_manage_agencies(user, partnership_id: int) -> bool:
    """Coordinators keep their partnership's list of agencies: add one from the shared list,
    propose a new one, remove one nothing names. Renaming a shared agency is for site
    administrators alone (in the admin)."""
    return can_manage_partnership(user, partnership_id)


def can_accept_invitation(user, invitation) -> bool:
    """The person an invitation was sent to accepts it: someone signed out (with a new account,
    or signing in first), or the signed-in user whose email address or username it names."""
    if not user.is_authenticated:
        return True
    email = invitation.email.lower()
    return email in {user.email.lower(), user.get_username().lower()}


def can_import_plans(user) -> bool:
    """Coordinators import plans into the partnerships they coordinate; a site administrator
    imports the plans of a partnership that is not set up yet (an import may create one)."""
    return is_site_administrator(user) or bool(coordinated_partnership_ids(user))


def can_create_partnership(user) -> bool:
    """Only a site administrator sets up a new partnership (an import may name one)."""
    return is_site_administrator(user)


def importable_plans(user) -> QuerySet:
    """The plans a user may import into, listed on the import page: every plan of the
    partnerships they coordinate (a site administrator is not a coordinator of every one)."""
    plans = models.Plan.objects.all()
    return plans.filter(partnership_id__in=coordinated_partnership_ids(user))


def can_import_into(user, partnership) -> bool:
    """An import may write into a partnership the user manages, or create one (None) if the
    user may create partnerships."""
    if partnership is None:
        return can_create_partnership(user)
    return can_manage_partnership(user, partnership.pk)


def can_view_dashboard(user, partnership_id: int) -> bool:
    """The executive board's dashboard is for board members and coordinators."""
    m = membership(user, partnership_id)
    if m is None:
        return False
    return m.role in {Role.COORDINATOR, Role.BOARD}


def can_view_audit(user, partnership_id: int) -> bool:
    """The partnership's audit trail (who changed what, when) is for its coordinators alone:
    a site administrator reads it only through a coordinator's membership."""
    m = membership(user, partnership_id)
    if m is None:
        return False
    return m.role == Role.COORDINATOR


def reads_restricted_history(user, partnership_id: int) -> bool:
    """The audit trail names a restricted record (an agenda item, minute, declaration or action
    arising marked restricted) only to someone who sees restricted items."""
    return sees_restricted(user, partnership_id)


def chooses_any_report_day(user, partnership_id: int) -> bool:
    """Members ask for a progress report as at any day; the public's day is taken back to the
    end of the last round (reports.documents.public_report_day), so that anyone's new date
    cannot make the server lay out a new document."""
    return is_member(user, partnership_id)


def sees_coordinators_jobs(user, partnership_id: int) -> bool:
    """The partnership page lists what needs doing, and links to every coordinator's job, for
    the partnership's coordinators."""
    return can_manage_partnership(user, partnership_id)


def reports_progress(user, partnership_id: int) -> bool:
    """Coordinators and officers report progress on the partnership's actions (officers on
    those their agency leads or supports); other members read it."""
    m = membership(user, partnership_id)
    if m is None:
        return False
    return m.role in {Role.COORDINATOR, Role.OFFICER}


# Update rounds (reporting periods) and a plan's lifecycle.


def can_view_rounds(user, partnership_id: int) -> bool:
    """Coordinators, board members and officers see the update rounds and which actions have
    been reported on; councillors read progress from the plan and its reports."""
    m = membership(user, partnership_id)
    if m is None:
        return False
    return m.role in {Role.COORDINATOR, Role.BOARD, Role.OFFICER}


def can_manage_rounds(user, partnership_id: int) -> bool:
    """Coordinators open, close and reopen their partnership's update rounds."""
    return can_manage_partnership(user, partnership_id)


def can_publish_plan(user, plan) -> bool:
    """Coordinators publish their partnership's plans to the public and unpublish them."""
    return can_manage_partnership(user, plan.partnership_id)


def can_change_plan_status(user, plan) -> bool:
    """Coordinators move their partnership's plans through the lifecycle (agreed, closed)."""
    return can_manage_partnership(user, plan.partnership_id)


def can_create_plan(user, partnership_id: int) -> bool:
    """Coordinators start their partnership's plans."""
    return can_manage_partnership(user, partnership_id)


def can_author_plan(user, plan) -> bool:
    """Coordinators build and change their partnership's plans (priorities, issues, actions,
    measures, glossary, contacts, sections) until the plan is closed: a closed plan is the
    record of its year and reads only."""
    if not can_manage_partnership(user, plan.partnership_id):
        return False
    return plan.status != models.Plan.Status.CLOSED


def sees_plan_workspace(user, plan) -> bool:
    """The "Edit this plan" page is the coordinators': of a closed plan too, which it shows
    read-only."""
    return can_manage_partnership(user, plan.partnership_id)


def plan_takes_updates(plan) -> bool:
    """A closed plan takes no more progress reports or notes: its year is on the record."""
    return plan.status != models.Plan.Status.CLOSED


def can_update_action(user, action) -> bool:
    """Coordinators may update any action of an open plan; officers only those their agency
    leads."""
    if not plan_takes_updates(action.plan):
        return False
    m = membership(user, action.plan.partnership_id)
    if m is None:
        return False
    if m.role == Role.COORDINATOR:
        return True
    if m.role == Role.OFFICER:
        return action.lead_agency_id is not None and action.lead_agency_id == m.agency_id
    return False


def can_add_note(user, action, support_agency_ids=None) -> bool:
    """Officers may add a note (no status change) to actions their agency leads or supports.

    `support_agency_ids` saves a query when the caller already holds the action's supporters;
    otherwise this follows the action's support_agencies relation.
    """
    if can_update_action(user, action):
        return True
    if not plan_takes_updates(action.plan):
        return False
    m = membership(user, action.plan.partnership_id)
    if m is None or m.role != Role.OFFICER:
        return False
    if support_agency_ids is None:
        support_agency_ids = {a.pk for a in action.support_agencies.all()}
    return m.agency_id in support_agency_ids


def why_no_update(user, action, support_agency_ids=None) -> str:
    """Why the user may not report progress on the action, in a sentence ("" when they may).
    Follows the action's plan, partnership, lead agency and (unless `support_agency_ids` is
    given) its support agencies, so lists load them first."""
    plan = action.plan
    if not plan_takes_updates(plan):
        return f"{plan.title} is closed: it takes no more updates."
    if can_update_action(user, action):
        return ""
    m = membership(user, plan.partnership_id)
    if m is None:
        return f"You are not a member of {plan.partnership.name}: its own officers report on it."
    if m.role != Role.OFFICER:
        role = m.get_role_display().lower()
        article = "an" if role[0] in "aeiou" else "a"
        return f"You read progress as {article} {role}: officers of the lead agency report it."
    if m.agency_id is None:
        return "You do not report for an agency."
    lead = action.lead_agency.short_name if action.lead_agency_id else "no agency"
    if support_agency_ids is None:
        support_agency_ids = {a.pk for a in action.support_agencies.all()}
    if m.agency_id in support_agency_ids:
        return f"Your agency supports it: add notes; {lead} leads it and reports its status."
    return f"Your agency does not lead it: {lead} does, and reports its progress."


def can_edit_action(user, action) -> bool:
    """Only coordinators edit an action's details (title, agencies, target date, measures)."""
    return can_manage_partnership(user, action.plan.partnership_id)


def can_edit_measures(user, action, measure_ids: set[int], own_ids: set[int]) -> bool:
    """An action's editor changes that action's own measures (`own_ids`), never another's:
    every measure named in the form (`measure_ids`) must be one of them."""
    if not can_edit_action(user, action):
        return False
    return measure_ids <= own_ids


# Accounts: who must pass a second factor, who resets someone else's.


def needs_second_factor(user) -> bool:
    """Everyone who can see restricted content signs in with a second factor: site
    administrators and staff (the admin), coordinators, board members and councillors
    granted restricted access, in any partnership. Others are offered it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return any(
        m.role in {Role.COORDINATOR, Role.BOARD} or m.sees_restricted
        for m in memberships(user).values()
    )


def can_reset_second_factors(user) -> bool:
    """Only a site administrator resets someone else's second factor (a lost phone and
    lost recovery codes); a partnership role is not enough."""
    return is_site_administrator(user)


def coordinated_partnership_ids(user) -> set[int]:
    """The partnerships this user coordinates."""
    return {pid for pid, m in memberships(user).items() if m.role == Role.COORDINATOR}


# The Django admin: the site administrators' tool, never a partnership role.


def is_site_administrator(user) -> bool:
    """A site administrator is an active superuser (`manage.py createsuperuser` makes the
    first). Not a partnership role: it shows no partnership's drafts or restricted items and
    makes no one a coordinator; those still need a membership."""
    return user.is_authenticated and user.is_active and user.is_superuser


def can_use_admin(user) -> bool:
    """Only site administrators reach the Django admin; coordinators work in the app."""
    return is_site_administrator(user)


def can_change_shared_lists(user) -> bool:
    """Partnerships, memberships, people's accounts and the shared lists (agencies, priority
    categories) are set up and changed by site administrators, in the admin."""
    return is_site_administrator(user)


def can_merge_agencies(user) -> bool:
    """A site administrator merges a duplicate agency into the one kept, and approves
    proposed agencies for the shared list."""
    return is_site_administrator(user)


def admin_changeable_partnerships(user) -> set[int]:
    """The partnerships whose records (plans, meetings…) an admin user may change in the
    admin: only those they coordinate, as in the app. Elsewhere the admin shows no more than
    the app would, read-only."""
    if not can_use_admin(user):
        return set()
    return coordinated_partnership_ids(user)


# Meetings (the meetings app reads through these; restricted items are exempt papers and minutes).


def readable_meetings(user, meeting_path: str = "") -> Q:
    """Rows of published meetings, for everyone, and of every meeting of the user's own
    partnerships (`meeting_path` leads from the row to its meeting: "meeting__")."""
    return Q(**{f"{meeting_path}published_at__isnull": False}) | Q(
        **{f"{meeting_path}body__partnership__in": member_partnerships(user)}
    )


def readable_restricted(user, partnership_path: str) -> Q:
    """Unrestricted rows for everyone; restricted ones only where the user sees restricted
    items (`partnership_path` leads from the row to its partnership)."""
    return Q(restricted=False) | Q(**{f"{partnership_path}__in": restricted_partnerships(user)})


def public_reader() -> AnonymousUser:
    """Whom a calendar feed is read as, whoever asks, and whom documents are laid out for
    ahead of their readers: the public. Calendar apps fetch a feed without a session and pass
    it on, so it carries only published, unrestricted content."""
    return AnonymousUser()


def member_partnerships(user) -> QuerySet[Partnership]:
    """The partnerships whose unpublished meetings, agendas and draft minutes the user reads:
    their own, in any role."""
    return Partnership.objects.filter(pk__in=list(memberships(user)))


def restricted_partnerships(user) -> QuerySet[Partnership]:
    """The partnerships whose restricted (exempt) items the user sees: sees_restricted there."""
    ids = [pid for pid in memberships(user) if sees_restricted(user, pid)]
    return Partnership.objects.filter(pk__in=ids)


def can_record_meetings(user, partnership_id: int) -> bool:
    """Coordinators record their partnership's meetings: agenda, attendance, minutes, actions."""
    return can_manage_partnership(user, partnership_id)


def can_publish_meeting(user, partnership_id: int) -> bool:
    """Coordinators publish a meeting's public record (agenda, attendance, minutes, actions
    arising; never restricted items) and withdraw it."""
    return can_manage_partnership(user, partnership_id)


def public_rows(partnership_path: str) -> Q:
    """The rows of a meeting the public will read once it is published: readable_restricted
    for the public reader (`partnership_path` leads from the row to its partnership)."""
    return readable_restricted(public_reader(), partnership_path)


# Dashboards and performance indicators (plans views and the reports dashboards read these).


def can_view_indicators(user, partnership_id: int) -> bool:
    """Every member of the partnership reads its performance indicators."""
    return is_member(user, partnership_id)


def can_manage_indicators(user, partnership_id: int) -> bool:
    """Only coordinators define indicators and record or correct their values."""
    return can_manage_partnership(user, partnership_id)


def visible_counties(user) -> QuerySet:
    """County partnerships the user may read something of: only a county has a roll-up."""
    return visible_partnerships(user).filter(kind=Partnership.Kind.COUNTY)


def rollup_plans(user, county) -> QuerySet:
    """The plans whose priority categories a county's roll-up counts: every plan of its
    districts, drafts included. Categories are not restricted content and the roll-up is the
    county board's own paper; a plan itself is linked only where visible_plans allows."""
    return models.Plan.objects.filter(partnership__county=county)


def can_view_county_rollup(user, county) -> bool:
    """The county partnership's board members and coordinators see its districts' roll-up."""
    if county.kind != Partnership.Kind.COUNTY:
        return False
    return can_view_dashboard(user, county.pk)
