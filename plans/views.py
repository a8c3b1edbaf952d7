"""Pages about partnerships and the plans they may show; the coordinator's pages of the
partnership's people and agencies; accepting an invitation."""

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csp_tracker import permissions
from csp_tracker.downloads import CSV_TYPE, csv_bytes, download
from csp_tracker.editing import StaleEdit
from csp_tracker.forms import add_refusal, form_status, posted
from plans import services
from plans.forms import (
    CSV_COLUMNS,
    AgencyAddForm,
    AgencyProposeForm,
    IndicatorForm,
    IndicatorUploadForm,
    IndicatorValueForm,
    InviteForm,
    MemberForm,
    NewAccountForm,
    RemovalForm,
)
from plans.models import (
    Agency,
    Indicator,
    IndicatorValue,
    Invitation,
    Membership,
    PartnershipAgency,
    Plan,
    Unusable,
)


@require_GET
def home(request):
    """The partnerships the user belongs to, and every partnership with a published plan."""
    visible = Plan.objects.visible_to(request.user).for_list()
    partnerships = list(
        permissions.visible_partnerships(request.user)
        .select_related("county")
        .prefetch_related(Prefetch("plans", queryset=visible, to_attr="visible_plans"))
        .order_by("name")
    )
    mine = permissions.memberships(request.user)
    context = {
        "nav": "partnerships",
        "my_partnerships": [p for p in partnerships if p.pk in mine],
        "other_partnerships": [p for p in partnerships if p.pk not in mine],
        "memberships": mine,
    }
    return render(request, "plans/home.html", context)


# Performance indicators: members read them, coordinators define them and record values.


def _visible_partnership(request, slug):
    return get_object_or_404(permissions.visible_partnerships(request.user), slug=slug)


def _visible_indicator(request, pk) -> Indicator:
    visible = Indicator.objects.visible_to(request.user)
    return get_object_or_404(visible.select_related("partnership", "priority__plan"), pk=pk)


def _saved(form, call, **arguments):
    """Call a service with the form's data; its refusals become the form's errors."""
    try:
        return call(**arguments, **form.service_arguments()), None
    except StaleEdit as stale:
        return None, stale
    except ValidationError as invalid:
        add_refusal(form, invalid)
        return None, None


@login_required
@require_GET
def indicators(request, slug):
    """The partnership's indicators with their latest values."""
    partnership = _visible_partnership(request, slug)
    if not permissions.can_view_indicators(request.user, partnership.pk):
        raise PermissionDenied
    context = {
        "nav": "partnerships",
        "partnership": partnership,
        "indicators": list(Indicator.objects.filter(partnership=partnership).with_values()),
        "can_manage": permissions.can_manage_indicators(request.user, partnership.pk),
    }
    return render(request, "plans/indicators.html", context)


@login_required
@require_GET
def indicator(request, pk):
    """One indicator: what it measures, its target and every value recorded, newest first."""
    found = get_object_or_404(Indicator.objects.visible_to(request.user).for_page(), pk=pk)
    if not permissions.can_view_indicators(request.user, found.partnership_id):
        raise PermissionDenied
    context = {
        "nav": "partnerships",
        "indicator": found,
        "partnership": found.partnership,
        "rows": found.values_with_changes()[::-1],
        "can_manage": permissions.can_manage_indicators(request.user, found.partnership_id),
    }
    return render(request, "plans/indicator.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_add(request, slug):
    """A coordinator defines a new indicator for the partnership."""
    partnership = _visible_partnership(request, slug)
    if not permissions.can_manage_indicators(request.user, partnership.pk):
        raise PermissionDenied
    form = IndicatorForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        created, _ = _saved(
            form, services.define_indicator, partnership=partnership, by=request.user
        )
        if created:
            messages.success(request, f"The indicator “{created.name}” has been added.")
            return redirect(created)
    context = {"nav": "partnerships", "partnership": partnership, "form": form}
    return render(request, "plans/indicator_form.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    """A coordinator changes what an indicator is; a change made meanwhile is not overwritten."""
    found = _visible_indicator(request, pk)
    if not permissions.can_manage_indicators(request.user, found.partnership_id):
        raise PermissionDenied
    form = IndicatorForm(posted(request), partnership=found.partnership, instance=found)
    conflict = None
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        saved, conflict = _saved(
            form, services.edit_indicator, indicator=found, by=request.user, version=version
        )
        if saved:
            messages.success(request, "The indicator has been saved.")
            return redirect(saved)
    context = {
        "nav": "partnerships",
        "partnership": found.partnership,
        "indicator": found,
        "form": form,
        "conflict": conflict,
    }
    status = form_status(form, conflict=conflict)
    return render(request, "plans/indicator_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_value_add(request, pk):
    """A coordinator records an indicator's value for a period."""
    found = _visible_indicator(request, pk)
    if not permissions.can_manage_indicators(request.user, found.partnership_id):
        raise PermissionDenied
    form = IndicatorValueForm(posted(request), indicator=found)
    if request.method == "POST" and form.is_valid():
        saved, _ = _saved(form, services.record_indicator_value, indicator=found, by=request.user)
        if saved:
            messages.success(request, f"The value for {saved.period_label} has been recorded.")
            return redirect(found)
    context = {"nav": "partnerships", "indicator": found, "form": form}
    return render(request, "plans/indicator_value_form.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_value_edit(request, pk, value_pk):
    """A coordinator corrects a recorded value; the history keeps what it said before."""
    found = _visible_indicator(request, pk)
    if not permissions.can_manage_indicators(request.user, found.partnership_id):
        raise PermissionDenied
    value = get_object_or_404(IndicatorValue, pk=value_pk, indicator=found)
    form = IndicatorValueForm(posted(request), indicator=found, instance=value)
    conflict = None
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        saved, conflict = _saved(
            form,
            services.correct_indicator_value,
            recorded=value,
            by=request.user,
            version=version,
        )
        if saved:
            messages.success(request, f"The value for {saved.period_label} has been corrected.")
            return redirect(found)
    context = {
        "nav": "partnerships",
        "indicator": found,
        "value": value,
        "form": form,
        "conflict": conflict,
    }
    status = form_status(form, conflict=conflict)
    return render(request, "plans/indicator_value_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_upload(request, slug):
    """A coordinator uploads values as CSV: every row is checked, and all are saved or none."""
    partnership = _visible_partnership(request, slug)
    if not permissions.can_manage_indicators(request.user, partnership.pk):
        raise PermissionDenied
    files = request.FILES if request.method == "POST" else None
    form = IndicatorUploadForm(posted(request), files, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.record_indicator_values(
                partnership=partnership, rows=form.rows, by=request.user
            )
        except ValidationError as invalid:
            form.add_error("file", invalid.messages)
        else:
            messages.success(
                request,
                f"{len(saved)} value{'s' if len(saved) != 1 else ''} recorded from the file.",
            )
            return redirect("plans:indicators", partnership.slug)
    context = {
        "nav": "partnerships",
        "partnership": partnership,
        "form": form,
        "columns": CSV_COLUMNS,
        "indicator_names": list(
            Indicator.objects.filter(partnership=partnership).values_list("name", flat=True)
        ),
    }
    return render(request, "plans/indicator_upload.html", context, status=form_status(form))


@login_required
@require_GET
def indicator_template(request, slug):
    """A CSV to fill in: the columns, and a row for each of the partnership's indicators."""
    partnership = _visible_partnership(request, slug)
    if not permissions.can_manage_indicators(request.user, partnership.pk):
        raise PermissionDenied
    names = Indicator.objects.filter(partnership=partnership).values_list("name", flat=True)
    blanks = [""] * (len(CSV_COLUMNS) - 1)
    content = csv_bytes(CSV_COLUMNS, ([name, *blanks] for name in names))
    return download(content, f"{partnership.file_stem}-indicators.csv", CSV_TYPE)


# People: the coordinator's page of members and invitations.


def _people_partnership(request, slug):
    partnership = _visible_partnership(request, slug)
    if not permissions.can_manage_people(request.user, partnership.pk):
        raise PermissionDenied
    return partnership


def _site(request) -> str:
    """Where the links in emails start: this site's address as the request reached it."""
    return request.build_absolute_uri("/")


def _people_page(request, partnership, *, invite_form=None, refusal=None, status=200):
    context = {
        "nav": "partnerships",
        "partnership": partnership,
        "members": list(Membership.objects.filter(partnership=partnership).for_people_page()),
        "invitations": list(Invitation.objects.filter(partnership=partnership).for_people_page()),
        "form": invite_form or InviteForm(partnership=partnership),
        "refusal": refusal,
    }
    return render(request, "plans/people.html", context, status=status)


@login_required
@require_GET
def people(request, slug):
    """The partnership's members and invitations not yet accepted; the invitation form."""
    return _people_page(request, _people_partnership(request, slug))


@login_required
@require_POST
def invite(request, slug):
    """A coordinator invites a person by email to a role; the email goes once it is saved."""
    partnership = _people_partnership(request, slug)
    form = InviteForm(request.POST, partnership=partnership)
    if form.is_valid():
        try:
            invitation = services.invite_member(
                partnership=partnership,
                by=request.user,
                site=_site(request),
                **form.service_arguments(),
            )
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            messages.success(request, f"An invitation has been sent to {invitation.email}.")
            return redirect("plans:people", partnership.slug)
    return _people_page(request, partnership, invite_form=form, status=form_status(form))


def _invitation(request, slug, pk) -> tuple:
    partnership = _people_partnership(request, slug)
    return partnership, get_object_or_404(Invitation, pk=pk, partnership=partnership)


@login_required
@require_POST
def invitation_resend(request, slug, pk):
    """Send an invitation again with a new link lasting 14 more days; earlier links stop."""
    partnership, invitation = _invitation(request, slug, pk)
    try:
        services.resend_invitation(invitation=invitation, by=request.user, site=_site(request))
    except ValidationError as invalid:
        return _people_page(request, partnership, refusal=invalid, status=422)
    messages.success(request, f"The invitation has been sent to {invitation.email} again.")
    return redirect("plans:people", partnership.slug)


@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    """Withdraw an invitation: its link stops working."""
    partnership, invitation = _invitation(request, slug, pk)
    try:
        services.revoke_invitation(invitation=invitation, by=request.user)
    except ValidationError as invalid:
        return _people_page(request, partnership, refusal=invalid, status=422)
    messages.success(request, f"The invitation to {invitation.email} has been withdrawn.")
    return redirect("plans:people", partnership.slug)


def _member(request, slug, pk) -> Membership:
    partnership = _people_partnership(request, slug)
    members = Membership.objects.select_related("user", "agency", "partnership")
    return get_object_or_404(members, pk=pk, partnership=partnership)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, slug, pk):
    """A coordinator changes a member's role, agency or restricted access."""
    member = _member(request, slug, pk)
    initial = {**services.role_of(member), "version": member.version}
    form = MemberForm(posted(request), partnership=member.partnership, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.change_membership(
                membership=member,
                by=request.user,
                version=form.cleaned_data["version"],
                **form.service_arguments(),
            )
        except StaleEdit as stale:
            conflict = stale
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            member.refresh_from_db()
            messages.success(request, f"{_name(member.user)} is now {member.role_in_words}.")
            return redirect("plans:people", member.partnership.slug)
    context = {
        "nav": "partnerships",
        "partnership": member.partnership,
        "member": member,
        "form": form,
        "conflict": conflict,
    }
    status = form_status(form, conflict=conflict)
    return render(request, "plans/member_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def member_removal(request, slug, pk):
    """A coordinator takes a member out of the partnership, saying why."""
    member = _member(request, slug, pk)
    form = RemovalForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_membership(
                membership=member, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            messages.success(
                request, f"{_name(member.user)} is no longer a member of the partnership."
            )
            return redirect("plans:people", member.partnership.slug)
    context = {
        "nav": "partnerships",
        "partnership": member.partnership,
        "member": member,
        "form": form,
    }
    return render(request, "plans/member_removal.html", context, status=form_status(form))


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


# The partnership's agencies.


def _agencies_partnership(request, slug):
    partnership = _visible_partnership(request, slug)
    if not permissions.can_manage_agencies(request.user, partnership.pk):
        raise PermissionDenied
    return partnership


def _agencies_page(request, partnership, *, add=None, propose=None, existing=None, refusal=None):
    agencies = (
        Agency.objects.for_partnership(partnership)
        .with_uses(partnership)
        .prefetch_related(_links_of(partnership))
        .order_by("name")
    )
    add = add or AgencyAddForm(partnership=partnership)
    propose = propose or AgencyProposeForm()
    context = {
        "nav": "partnerships",
        "partnership": partnership,
        "agencies": list(agencies),
        "add_form": add,
        "propose_form": propose,
        "existing": existing,
        "existing_addable": existing is not None
        and add.fields["agency"].queryset.filter(pk=existing.pk).exists(),
        "refusal": refusal,
    }
    status = 422 if refusal else form_status(add, propose)
    return render(request, "plans/agencies.html", context, status=status)


def _links_of(partnership) -> Prefetch:
    links = PartnershipAgency.objects.filter(partnership=partnership).select_related("added_by")
    return Prefetch("partnership_links", queryset=links, to_attr="links_here")


@login_required
@require_GET
def agencies(request, slug):
    """The partnership's agencies, what names each, and the forms to add or propose one."""
    return _agencies_page(request, _agencies_partnership(request, slug))


@login_required
@require_POST
def agency_add(request, slug):
    """A coordinator adds an agency of the shared list to the partnership's."""
    partnership = _agencies_partnership(request, slug)
    form = AgencyAddForm(request.POST, partnership=partnership)
    if form.is_valid():
        agency = form.cleaned_data["agency"]
        try:
            services.add_partnership_agency(partnership=partnership, agency=agency, by=request.user)
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            messages.success(request, f"{agency.name} is now one of the partnership's agencies.")
            return redirect("plans:agencies", partnership.slug)
    return _agencies_page(request, partnership, add=form)


@login_required
@require_POST
def agency_propose(request, slug):
    """A coordinator proposes an agency the shared list lacks; one it has is offered instead."""
    partnership = _agencies_partnership(request, slug)
    form = AgencyProposeForm(request.POST)
    existing = None
    if form.is_valid():
        try:
            agency = services.propose_agency(
                partnership=partnership, by=request.user, **form.cleaned_data
            )
        except services.AgencyExists as duplicate:
            existing = duplicate.agency
            add_refusal(form, duplicate)
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            messages.success(
                request,
                f"{agency.name} has been added to the partnership's agencies. A site "
                "administrator will check it before other partnerships can choose it.",
            )
            return redirect("plans:agencies", partnership.slug)
    return _agencies_page(request, partnership, propose=form, existing=existing)


@login_required
@require_POST
def agency_removal(request, slug, pk):
    """A coordinator takes an agency nothing of the partnership names off its list."""
    partnership = _agencies_partnership(request, slug)
    agency = get_object_or_404(Agency.objects.for_partnership(partnership), pk=pk)
    try:
        services.remove_partnership_agency(partnership=partnership, agency=agency, by=request.user)
    except ValidationError as invalid:
        return _agencies_page(request, partnership, refusal=invalid)
    messages.success(request, f"{agency.name} is no longer one of the partnership's agencies.")
    return redirect("plans:agencies", partnership.slug)


# Accepting an invitation: the link from the email, then the page that accepts it.

#: Where the session keeps the link's token between the link and the acceptance page, so that
#: the token leaves the address bar (and never reaches a Referer header or a sign-in URL).
INVITATION_TOKEN = "invitation_token"


def _unusable(request, unusable: Unusable):
    request.session.pop(INVITATION_TOKEN, None)
    invitation = unusable.invitation
    context = {
        "reason": unusable.reason,
        "invitation": invitation,
        "inviter": _name(invitation.invited_by) if invitation else "",
    }
    status = 404 if invitation is None else 410
    return render(request, "plans/invitation_unusable.html", context, status=status)


@never_cache
@require_GET
def invitation_open(request, token):
    """The link in an invitation email: kept in the session, then the invitation page."""
    try:
        Invitation.objects.from_link(token)
    except Unusable as unusable:
        return _unusable(request, unusable)
    request.session[INVITATION_TOKEN] = token
    return redirect("plans:invitation")


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request):
    """The invitation opened in this browser: a new person sets a name and password, someone
    with an account signs in first and accepts; they land on the partnership's page."""
    token = request.session.get(INVITATION_TOKEN)
    if token is None:
        return _unusable(request, Unusable(Unusable.MISSING))
    try:
        invitation = Invitation.objects.from_link(token)
    except Unusable as unusable:
        return _unusable(request, unusable)
    if not permissions.can_accept_invitation(request.user, invitation):
        context = {"invitation": invitation, "inviter": _name(invitation.invited_by)}
        return render(request, "plans/invitation_not_yours.html", context, status=403)
    context = {"invitation": invitation, "inviter": _name(invitation.invited_by)}
    if request.user.is_authenticated:
        return _accept_signed_in(request, token, context)
    if services.account_for(invitation.email) is not None:
        return render(request, "plans/invitation.html", {**context, "sign_in_first": True})
    form = NewAccountForm(posted(request))
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            membership = services.join_by_invitation(token=token, **arguments)
        except Unusable as unusable:
            return _unusable(request, unusable)
        except ValidationError as invalid:
            add_refusal(form, invalid, fields={"password": "password1"})
        else:
            user = authenticate(
                request, username=membership.user.username, password=arguments["password"]
            )
            if user is not None:
                login(request, user)
            return _welcome(request, membership)
    context["form"] = form
    return render(request, "plans/invitation.html", context, status=form_status(form))


def _accept_signed_in(request, token, context):
    refusal = None
    if request.method == "POST":
        try:
            membership = services.accept_invitation(token=token, user=request.user)
        except Unusable as unusable:
            return _unusable(request, unusable)
        except ValidationError as invalid:
            refusal = invalid
        else:
            return _welcome(request, membership)
    context["refusal"] = refusal
    return render(request, "plans/invitation.html", context, status=422 if refusal else 200)


def _welcome(request, membership):
    request.session.pop(INVITATION_TOKEN, None)
    messages.success(
        request, f"You have joined {membership.partnership.name} as {membership.role_in_words}."
    )
    return redirect(membership.partnership)
