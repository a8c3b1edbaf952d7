"""A plan's lifecycle in the app: publishing it in one step (after a page that says what
residents will see), unpublishing it for a reason, marking it as agreed and closing it.

In the actions app because the confirmation counts the plan's actions and their progress
reports; the changes are plans.services' (advance_plan, publish_plan, unpublish_plan), each
a record of the plan's history naming who took the step. Every form carries the plan as the
page showed it (plans.services.plan_state): a change made meanwhile is refused (409).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from actions.forms import PlanStepForm, UnpublishForm
from actions.pages import publication_preview
from csp_tracker import permissions
from csp_tracker.editing import StaleEdit
from csp_tracker.forms import add_refusal, form_status, posted
from plans import services
from plans.models import Plan


def _plan(request, slug, plan_slug, may) -> Plan:
    """The plan, if the user may read it (404) and `may` change it so (403)."""
    visible = Plan.objects.visible_to(request.user).select_related("partnership")
    plan = get_object_or_404(visible, partnership__slug=slug, slug=plan_slug)
    if not may(request.user, plan):
        raise PermissionDenied
    return plan


def _step_form(request, plan, form_class=PlanStepForm):
    return form_class(posted(request), plan=plan)


def _take(form, step, **arguments):
    """Take the step with what the form confirmed; a refusal becomes the form's errors, a
    change made meanwhile the conflict shown (the form then based on the plan as it is)."""
    try:
        return step(based_on=form.cleaned_data["based_on"], **arguments), None
    except StaleEdit as stale:
        return None, stale
    except ValidationError as invalid:
        add_refusal(form, invalid)
        return None, None


def _page(request, template, plan, form, conflict, **extra):
    if conflict is not None:
        plan.refresh_from_db()
        form = type(form)(plan=plan)
    context = {"nav": "partnerships", "plan": plan, "form": form, "conflict": conflict, **extra}
    return render(request, template, context, status=form_status(form, conflict=conflict))


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, slug, plan_slug):
    """What publishing the plan shows residents, and the button that does it."""
    plan = _plan(request, slug, plan_slug, permissions.can_publish_plan)
    form = _step_form(request, plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        published, conflict = _take(form, services.publish_plan, plan=plan, by=request.user)
        if published:
            messages.success(request, f"{plan.title} is published: residents can read it now.")
            return redirect(published)
    preview = publication_preview(plan)
    return _page(request, "actions/plan_publish.html", plan, form, conflict, preview=preview)


@login_required
@require_http_methods(["GET", "POST"])
def unpublish(request, slug, plan_slug):
    """Take the plan back from the public, saying why."""
    plan = _plan(request, slug, plan_slug, permissions.can_publish_plan)
    form = _step_form(request, plan, UnpublishForm)
    conflict = None
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        done, conflict = _take(
            form, services.unpublish_plan, plan=plan, by=request.user, reason=reason
        )
        if done:
            messages.success(request, f"{plan.title} is no longer published.")
            return redirect(done)
    return _page(request, "actions/plan_unpublish.html", plan, form, conflict)


def _advance(request, slug, plan_slug, to, done: str):
    plan = _plan(request, slug, plan_slug, permissions.can_change_plan_status)
    form = _step_form(request, plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        moved, conflict = _take(form, services.advance_plan, plan=plan, by=request.user, to=to)
        if moved:
            messages.success(request, f"{plan.title} {done}.")
            return redirect(moved)
    possible = services.NEXT_STATUS.get(plan.status) == to
    return _page(
        request, "actions/plan_step.html", plan, form, conflict, step=to, possible=possible
    )


@login_required
@require_http_methods(["GET", "POST"])
def agree(request, slug, plan_slug):
    """Mark a draft plan as agreed (the partnership has signed it off); it stays unpublished.
    The plan page posts here directly; the page itself shows a refusal."""
    return _advance(request, slug, plan_slug, Plan.Status.AGREED, "is marked as agreed")


@login_required
@require_http_methods(["GET", "POST"])
def close(request, slug, plan_slug):
    """Close a live plan at the end of its period, after a confirmation."""
    return _advance(request, slug, plan_slug, Plan.Status.CLOSED, "is closed")
