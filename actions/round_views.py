"""The update rounds of a plan: the list, opening one, a round's page (which lead agencies
have reported on which of their actions, and which are missing), closing and reopening.

Members who may (permissions.can_view_rounds) read the pages; coordinators
(permissions.can_manage_rounds) open, close and reopen rounds through actions.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import services
from actions.forms import ReopenRoundForm, RoundForm
from actions.models import ReportingPeriod
from actions.pages import plan_rounds, round_progress
from csp_tracker import permissions
from csp_tracker.editing import StaleEdit
from csp_tracker.forms import add_refusal, form_status, posted
from plans.models import Plan


def _plan(request, slug, plan_slug) -> Plan:
    """The plan, if the user may read it (404) and see its rounds (403)."""
    visible = Plan.objects.visible_to(request.user).select_related("partnership")
    plan = get_object_or_404(visible, partnership__slug=slug, slug=plan_slug)
    if not permissions.can_view_rounds(request.user, plan.partnership_id):
        raise PermissionDenied
    return plan


def _managed_plan(request, slug, plan_slug) -> Plan:
    plan = _plan(request, slug, plan_slug)
    if not permissions.can_manage_rounds(request.user, plan.partnership_id):
        raise PermissionDenied
    return plan


def _round(plan, round_slug) -> ReportingPeriod:
    periods = ReportingPeriod.objects.select_related("closed_by")
    period = get_object_or_404(periods, plan=plan, slug=round_slug)
    period.plan = plan
    return period


@login_required
@require_GET
def rounds(request, slug, plan_slug):
    """The plan's update rounds, each with how many actions have been reported on."""
    plan = _plan(request, slug, plan_slug)
    context = {
        "nav": "partnerships",
        "plan": plan,
        "rounds": plan_rounds(plan, timezone.localdate()),
        "can_manage": permissions.can_manage_rounds(request.user, plan.partnership_id),
    }
    return render(request, "actions/rounds.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request, slug, plan_slug):
    """A coordinator opens an update round of the plan."""
    plan = _managed_plan(request, slug, plan_slug)
    form = RoundForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            period = services.add_reporting_period(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            messages.success(request, f"{period.name} is open: officers can report for it now.")
            return redirect(period)
    context = {"nav": "partnerships", "plan": plan, "form": form}
    return render(request, "actions/round_open.html", context, status=form_status(form))


def _round_page(request, plan, period, *, reopen_form=None, conflict=None):
    can_manage = permissions.can_manage_rounds(request.user, plan.partnership_id)
    context = {
        "nav": "partnerships",
        "plan": plan,
        "period": period,
        "progress": round_progress(period),
        "can_manage": can_manage,
        "reopen_form": reopen_form or (ReopenRoundForm() if can_manage else None),
        "conflict": conflict,
    }
    status = form_status(*([reopen_form] if reopen_form else []), conflict=conflict)
    return render(request, "actions/round.html", context, status=status)


@login_required
@require_GET
def round_page(request, slug, plan_slug, round_slug):
    """A round: per lead agency, which of the actions it leads are reported on and which are
    missing."""
    plan = _plan(request, slug, plan_slug)
    return _round_page(request, plan, _round(plan, round_slug))


@login_required
@require_POST
def round_close(request, slug, plan_slug, round_slug):
    """A coordinator closes a round: officers can no longer report for it."""
    plan = _managed_plan(request, slug, plan_slug)
    period = _round(plan, round_slug)
    try:
        services.close_reporting_period(period=period, by=request.user)
    except StaleEdit as stale:
        return _round_page(request, plan, _round(plan, round_slug), conflict=stale)
    messages.success(request, f"{period.name} is closed: it takes no more updates.")
    return redirect(period)


@login_required
@require_POST
def round_reopen(request, slug, plan_slug, round_slug):
    """A coordinator reopens a closed round, saying why."""
    plan = _managed_plan(request, slug, plan_slug)
    period = _round(plan, round_slug)
    form = ReopenRoundForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_reporting_period(
                period=period, by=request.user, reason=form.cleaned_data["reason"]
            )
        except StaleEdit as stale:
            return _round_page(request, plan, _round(plan, round_slug), conflict=stale)
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            messages.success(request, f"{period.name} is open again: officers can report for it.")
            return redirect(period)
    return _round_page(request, plan, period, reopen_form=form)
