"""The plan's workspace ("Edit this plan": the whole plan with a change, move and remove for
each row) and the pages that add, order and remove actions and measures. An action's details
and measures are changed on its edit page (views.edit)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import authoring
from actions.forms import ActionAddForm, MeasureFormSet
from actions.models import Action, Measure
from actions.pages import plan_workspace
from csp_tracker import permissions
from csp_tracker.forms import form_status, posted
from plans.authoring_forms import MoveForm, RemovalForm
from plans.authoring_views import (
    attempt,
    author_plan,
    back_to_workspace,
    removal,
    removal_page,
)
from plans.models import Plan


@login_required
@require_GET
def workspace(request, slug, plan_slug):
    """Edit this plan: its details, priorities, issues, actions and measures, and the parts
    of its document, each with links to change, move or remove it; read-only once closed."""
    visible = Plan.objects.visible_to(request.user).select_related("partnership")
    plan = get_object_or_404(visible, partnership__slug=slug, slug=plan_slug)
    if not permissions.sees_plan_workspace(request.user, plan):
        raise PermissionDenied
    context = {
        "nav": "partnerships",
        "plan": plan,
        "workspace": plan_workspace(plan),
        "can_author": permissions.can_author_plan(request.user, plan),
        "move_up": "up",
        "move_down": "down",
    }
    return render(request, "actions/plan_workspace.html", context)


def _issue(request, slug, plan_slug, pk):
    plan = author_plan(request, slug, plan_slug)
    issue = get_object_or_404(plan.issues.select_related("priority"), pk=pk)
    issue.plan = plan
    return issue


def _action(request, slug, plan_slug, pk) -> Action:
    plan = author_plan(request, slug, plan_slug)
    action = get_object_or_404(plan.actions, pk=pk)
    action.plan = plan
    return action


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request, slug, plan_slug, pk):
    """Add an action under an issue, with its measures of success."""
    issue = _issue(request, slug, plan_slug, pk)
    plan = issue.plan
    initial = {"ref": str(plan.actions.count() + 1)}
    details = ActionAddForm(posted(request), plan=plan, initial=initial)
    formset = MeasureFormSet(posted(request), prefix="measures")
    if request.method == "POST" and details.is_valid() and formset.is_valid():
        data = dict(details.cleaned_data)
        measures = [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]
        added, _ = attempt(
            details,
            lambda: authoring.add_action(
                issue=issue,
                by=request.user,
                measures=measures,
                support_agencies=list(data.pop("support_agencies")),
                **data,
            ),
        )
        if added:
            message = f"{plan.action_label} {added.ref_display} “{added.title}” added."
            return back_to_workspace(request, plan, message, f"action-{added.pk}")
    context = {
        "nav": "partnerships",
        "plan": plan,
        "issue": issue,
        "details": details,
        "formset": formset,
    }
    return render(request, "actions/action_add.html", context, status=form_status(details, formset))


@login_required
@require_POST
def action_move(request, slug, plan_slug, pk):
    action = _action(request, slug, plan_slug, pk)
    form = MoveForm(request.POST)
    plan = action.plan
    if form.is_valid():
        direction = form.cleaned_data["direction"]
        moved = authoring.move_action(action=action, by=request.user, direction=direction)
        return back_to_workspace(request, plan, f"“{moved}” moved.", f"action-{moved.pk}")
    return back_to_workspace(request, plan, "Nothing was moved.")


@login_required
@require_http_methods(["GET", "POST"])
def action_removal(request, slug, plan_slug, pk):
    action = _action(request, slug, plan_slug, pk)
    plan = action.plan
    word = plan.action_label.lower()
    return removal(
        request,
        plan,
        lambda reason: authoring.remove_action(action=action, by=request.user, reason=reason),
        removed=f"{plan.action_label} “{action}” removed.",
        attached=lambda: authoring.holding_action(action),
        what=word,
        heading=f"Remove the {word} “{action}”?",
        goes_with=[f"Its measure “{m}”" for m in action.measures.all()],
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_removal(request, slug, plan_slug, pk):
    plan = author_plan(request, slug, plan_slug)
    measure = get_object_or_404(
        Measure.objects.filter(action__plan=plan).select_related("action"), pk=pk
    )
    return removal(
        request,
        plan,
        lambda reason: authoring.remove_measure(measure=measure, by=request.user, reason=reason),
        removed=f"The measure “{measure}” removed.",
        anchor=f"action-{measure.action_id}",
        attached=lambda: authoring.holding_measure(measure),
        what="measure",
        heading=f"Remove the measure “{measure}” of {measure.action.ref_display}?",
    )
    form = RemovalForm(posted(request))
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        done, _ = attempt(
            form,
            lambda: (
                authoring.remove_measure(measure=measure, by=request.user, reason=reason) or True
            ),
        )
        if done:
            return back_to_workspace(
                request, plan, f"The measure “{measure}” removed.", f"action-{measure.action_id}"
            )
    return removal_page(
        request,
        plan,
        form,
        what="measure",
        heading=f"Remove the measure “{measure}” of {measure.action.ref_display}?",
        attached=authoring.holding_measure(measure),
    )
