"""Pages where a coordinator builds a plan: starting one, its details and words for its
levels, its priorities and emerging issues, and the sections, glossary and contacts of its
document. Each saves through plans/authoring.py and returns to the plan's workspace page
(actions:plan-workspace, which lists the whole plan with its actions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from csp_tracker import permissions
from csp_tracker.editing import StaleEdit
from csp_tracker.forms import add_refusal, form_status, posted
from plans import authoring
from plans.authoring_forms import (
    PART_FORMS,
    IssueForm,
    MoveForm,
    NewPlanForm,
    PlanForm,
    PriorityForm,
    RemovalForm,
)
from plans.models import EmergingIssue, Plan, Priority
from plans.services import next_issue_number

FORM_PAGE = "plans/author_form.html"
REMOVAL_PAGE = "plans/author_removal.html"


def author_plan(request, slug, plan_slug) -> Plan:
    """The plan named in the URL, if the user may read it (else 404) and change it (else 403)."""
    visible = Plan.objects.visible_to(request.user).select_related("partnership")
    plan = get_object_or_404(visible, partnership__slug=slug, slug=plan_slug)
    if not permissions.can_author_plan(request.user, plan):
        raise PermissionDenied
    return plan


def back_to_workspace(request, plan, message: str, anchor: str = ""):
    """Say what was saved (and, for a published plan, that residents see it) and go back."""
    if plan.is_published:
        message += " The plan is published: residents can see this change now."
    messages.success(request, message)
    url = redirect("actions:plan-workspace", plan.partnership.slug, plan.slug).url
    return redirect(f"{url}#{anchor}" if anchor else url)


def attempt(form, act):
    """Run a service: (its result, None); (None, the StaleEdit) when someone saved first;
    (None, None) with the refusal on the form when it said no."""
    try:
        return act(), None
    except StaleEdit as stale:
        return None, stale
    except ValidationError as invalid:
        add_refusal(form, invalid)
        return None, None


def form_page(request, plan, form, *, heading, submit, conflict=None, noun="", **extra):
    context = {
        "nav": "partnerships",
        "plan": plan,
        "form": form,
        "page_heading": heading,
        "submit": submit,
        "conflict": conflict,
        "noun": noun,
        **extra,
    }
    return render(request, FORM_PAGE, context, status=form_status(form, conflict=conflict))


def removal_page(request, plan, form, *, what, heading, attached, **extra):
    context = {
        "nav": "partnerships",
        "plan": plan,
        "form": form,
        "what": what,
        "page_heading": heading,
        "attached": attached,
        **extra,
    }
    return render(request, REMOVAL_PAGE, context, status=form_status(form))


def removal(request, plan, remove, *, removed, attached, anchor="", **page):
    """A row's remove-with-a-reason page: with a reason, `remove(reason)` (the service; its
    refusal goes on the form) and back to the workspace saying `removed`; else the page, with
    what still holds the row (`attached()`, read only when the page is shown)."""
    form = RemovalForm(posted(request))
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        done, _ = attempt(form, lambda: remove(reason) or True)
        if done:
            return back_to_workspace(request, plan, removed, anchor)
    return removal_page(request, plan, form, attached=attached(), **page)


def a(word: str) -> str:
    """A plan's word with its article: "a priority", "an aim", "an objective"."""
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def _values(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


# The plan itself.


@login_required
@require_http_methods(["GET", "POST"])
def plan_start(request, slug):
    """A coordinator starts a new plan for the partnership, in its own words for its levels."""
    partnership = get_object_or_404(permissions.visible_partnerships(request.user), slug=slug)
    if not permissions.can_create_plan(request.user, partnership.pk):
        raise PermissionDenied
    form = NewPlanForm(posted(request))
    if form.is_valid():
        plan, _ = attempt(
            form,
            lambda: authoring.start_plan(partnership=partnership, by=request.user, **_values(form)),
        )
        if plan:
            return back_to_workspace(request, plan, f"“{plan.title}” has been started as a draft.")
    context = {"nav": "partnerships", "partnership": partnership, "form": form}
    return render(request, "plans/plan_start.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, slug, plan_slug):
    """The plan's title, period, markings and words for its levels."""
    plan = author_plan(request, slug, plan_slug)
    initial = {**model_to_dict(plan, fields=authoring.PLAN_FIELDS), "version": plan.version}
    form = PlanForm(posted(request), initial=initial)
    conflict = None
    if form.is_valid():
        version = form.cleaned_data["version"] or 0
        done, conflict = attempt(
            form,
            lambda: authoring.edit_plan(
                plan=plan, by=request.user, version=version, **_values(form)
            ),
        )
        if done:
            return back_to_workspace(request, done, "The plan's details have been saved.")
    return form_page(
        request,
        plan,
        form,
        heading="Change the plan's details",
        submit="Save the plan's details",
        conflict=conflict,
        noun="plan",
    )


# Priorities.


def _priority(request, slug, plan_slug, pk) -> Priority:
    plan = author_plan(request, slug, plan_slug)
    priority = get_object_or_404(plan.priorities, pk=pk)
    priority.plan = plan
    return priority


@login_required
@require_http_methods(["GET", "POST"])
def priority_add(request, slug, plan_slug):
    plan = author_plan(request, slug, plan_slug)
    form = PriorityForm(posted(request), plan=plan)
    if form.is_valid():
        added, _ = attempt(
            form, lambda: authoring.add_priority(plan=plan, by=request.user, **_values(form))
        )
        if added:
            word = plan.priority_label
            return back_to_workspace(
                request, plan, f"{word} “{added.title}” added.", f"priority-{added.pk}"
            )
    word = plan.priority_label.lower()
    return form_page(request, plan, form, heading=f"Add {a(word)}", submit=f"Add the {word}")


@login_required
@require_http_methods(["GET", "POST"])
def priority_edit(request, slug, plan_slug, pk):
    priority = _priority(request, slug, plan_slug, pk)
    plan = priority.plan
    initial = {
        **model_to_dict(priority, fields=authoring.PRIORITY_FIELDS),
        "version": priority.version,
    }
    form = PriorityForm(posted(request), plan=plan, initial=initial)
    conflict = None
    if form.is_valid():
        version = form.cleaned_data["version"] or 0
        done, conflict = attempt(
            form,
            lambda: authoring.edit_priority(
                priority=priority, by=request.user, version=version, **_values(form)
            ),
        )
        if done:
            word = plan.priority_label
            return back_to_workspace(
                request, plan, f"{word} “{done.title}” saved.", f"priority-{done.pk}"
            )
    word = plan.priority_label.lower()
    return form_page(
        request,
        plan,
        form,
        heading=f"Change the {word} “{priority.title}”",
        submit=f"Save the {word}",
        conflict=conflict,
        noun=word,
    )


def _moved(request, plan, form, move, anchor):
    if not form.is_valid():
        messages.error(request, "Choose to move it up or down.")
        return back_to_workspace_quietly(plan)
    try:
        moved = move(form.cleaned_data["direction"])
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
        return back_to_workspace_quietly(plan)
    return back_to_workspace(request, plan, f"“{moved}” moved.", f"{anchor}-{moved.pk}")


def back_to_workspace_quietly(plan):
    return redirect("actions:plan-workspace", plan.partnership.slug, plan.slug)


@login_required
@require_POST
def priority_move(request, slug, plan_slug, pk):
    priority = _priority(request, slug, plan_slug, pk)
    return _moved(
        request,
        priority.plan,
        MoveForm(request.POST),
        lambda d: authoring.move_priority(priority=priority, by=request.user, direction=d),
        "priority",
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_removal(request, slug, plan_slug, pk):
    priority = _priority(request, slug, plan_slug, pk)
    plan = priority.plan
    word = plan.priority_label.lower()
    return removal(
        request,
        plan,
        lambda reason: authoring.remove_priority(priority=priority, by=request.user, reason=reason),
        removed=f"{plan.priority_label} “{priority}” removed.",
        attached=lambda: authoring.holding(priority),
        what=word,
        heading=f"Remove the {word} “{priority.title}”?",
    )


# Emerging issues.


def _issue(request, slug, plan_slug, pk) -> EmergingIssue:
    plan = author_plan(request, slug, plan_slug)
    issue = get_object_or_404(plan.issues.select_related("priority"), pk=pk)
    issue.plan = plan
    return issue


@login_required
@require_http_methods(["GET", "POST"])
def issue_add(request, slug, plan_slug, pk):
    """Add an emerging issue under a priority."""
    priority = _priority(request, slug, plan_slug, pk)
    plan = priority.plan
    initial = {"priority": priority.pk, "ref": str(next_issue_number(plan))}
    form = IssueForm(posted(request), plan=plan, initial=initial)
    del form.fields["priority"]
    if "impacts" in form.fields:
        form.fields["impacts"].queryset = plan.priorities.exclude(pk=priority.pk)
        form.fields["impacts"].help_text = ""
    if form.is_valid():
        data = _values(form)
        impacts = list(data.pop("impacts", []))
        added, _ = attempt(
            form,
            lambda: authoring.add_issue(
                priority=priority, by=request.user, impacts=impacts, **data
            ),
        )
        if added:
            return back_to_workspace(
                request, plan, f"{plan.issue_label} “{added}” added.", f"issue-{added.pk}"
            )
    word = plan.issue_label.lower()
    return form_page(
        request,
        plan,
        form,
        heading=f"Add {a(word)} under “{priority.title}”",
        submit=f"Add the {word}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue_edit(request, slug, plan_slug, pk):
    issue = _issue(request, slug, plan_slug, pk)
    plan = issue.plan
    initial = {
        **model_to_dict(issue, fields=["priority", "ref", "title", "description"]),
        "impacts": list(issue.impacts.values_list("pk", flat=True)),
        "version": issue.version,
    }
    form = IssueForm(posted(request), plan=plan, initial=initial)
    conflict = None
    if form.is_valid():
        data = _values(form)
        version = form.cleaned_data["version"] or 0
        impacts = data.pop("impacts", None)
        done, conflict = attempt(
            form,
            lambda: authoring.edit_issue(
                issue=issue,
                by=request.user,
                version=version,
                impacts=None if impacts is None else list(impacts),
                **data,
            ),
        )
        if done:
            return back_to_workspace(
                request, plan, f"{plan.issue_label} “{done}” saved.", f"issue-{done.pk}"
            )
    word = plan.issue_label.lower()
    return form_page(
        request,
        plan,
        form,
        heading=f"Change the {word} “{issue}”",
        submit=f"Save the {word}",
        conflict=conflict,
        noun=word,
    )


@login_required
@require_POST
def issue_move(request, slug, plan_slug, pk):
    issue = _issue(request, slug, plan_slug, pk)
    return _moved(
        request,
        issue.plan,
        MoveForm(request.POST),
        lambda d: authoring.move_issue(issue=issue, by=request.user, direction=d),
        "issue",
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue_removal(request, slug, plan_slug, pk):
    issue = _issue(request, slug, plan_slug, pk)
    plan = issue.plan
    word = plan.issue_label.lower()
    return removal(
        request,
        plan,
        lambda reason: authoring.remove_issue(issue=issue, by=request.user, reason=reason),
        removed=f"{plan.issue_label} “{issue}” removed.",
        attached=lambda: authoring.holding(issue),
        what=word,
        heading=f"Remove the {word} “{issue}”?",
    )


# The document's sections, glossary and contacts (`model` comes from the URL's pattern).

PART_WORDS = {"PlanSection": "section", "GlossaryTerm": "glossary entry", "Contact": "contact"}
PART_ADD = {
    "PlanSection": authoring.add_section,
    "GlossaryTerm": authoring.add_glossary_term,
    "Contact": authoring.add_contact,
}


def _part(request, slug, plan_slug, pk, model):
    plan = author_plan(request, slug, plan_slug)
    part = get_object_or_404(model.objects.filter(plan=plan), pk=pk)
    part.plan = plan
    return part


@login_required
@require_http_methods(["GET", "POST"])
def part_add(request, slug, plan_slug, model):
    plan = author_plan(request, slug, plan_slug)
    form = PART_FORMS[model](posted(request))
    word = PART_WORDS[model.__name__]
    if form.is_valid():
        add = PART_ADD[model.__name__]
        added, _ = attempt(form, lambda: add(plan=plan, by=request.user, **_values(form)))
        if added:
            return back_to_workspace(request, plan, f"The {word} “{added}” has been added.")
    return form_page(request, plan, form, heading=f"Add {a(word)}", submit=f"Add the {word}")


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request, slug, plan_slug, pk, model):
    part = _part(request, slug, plan_slug, pk, model)
    plan = part.plan
    form_class = PART_FORMS[model]
    fields = [name for name in form_class.base_fields if name != "version"]
    initial = {**model_to_dict(part, fields=fields), "version": part.version}
    form = form_class(posted(request), initial=initial)
    word = PART_WORDS[model.__name__]
    conflict = None
    if form.is_valid():
        version = form.cleaned_data["version"] or 0
        done, conflict = attempt(
            form,
            lambda: authoring.edit_part(
                part=part, by=request.user, version=version, **_values(form)
            ),
        )
        if done:
            return back_to_workspace(request, plan, f"The {word} “{done}” has been saved.")
    return form_page(
        request,
        plan,
        form,
        heading=f"Change the {word} “{part}”",
        submit=f"Save the {word}",
        conflict=conflict,
        noun=word,
    )


@login_required
@require_POST
def part_move(request, slug, plan_slug, pk, model):
    part = _part(request, slug, plan_slug, pk, model)
    return _moved(
        request,
        part.plan,
        MoveForm(request.POST),
        lambda d: authoring.move_part(part=part, by=request.user, direction=d),
        PART_WORDS[model.__name__].split()[0],
    )


@login_required
@require_http_methods(["GET", "POST"])
def part_removal(request, slug, plan_slug, pk, model):
    part = _part(request, slug, plan_slug, pk, model)
    word = PART_WORDS[model.__name__]
    return removal(
        request,
        part.plan,
        lambda reason: authoring.remove_part(part=part, by=request.user, reason=reason),
        removed=f"The {word} “{part}” has been removed.",
        attached=lambda: authoring.holding(part),
        what=word,
        heading=f"Remove the {word} “{part}”?",
    )
