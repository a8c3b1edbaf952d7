"""Pages about a plan's actions and the progress reported on them, and the plan import.

The import: a coordinator uploads a spreadsheet, checks the preview, confirms. The file is read
once, on upload; what was read (the checked plan, not the bytes) waits in the user's session
between the preview and the confirmation, compressed and signed (an HMAC checked before it is
unpickled), under a random token the confirmation must bring back; the confirmation also
brings the preview's fingerprint, and the import is refused if the plan changed since.
Nothing is written before the confirmation. Each page compares what was read with the plan
as stored at that moment; the confirmation does so under the import's lock.
"""

import base64
import functools
import pickle
import secrets
import zlib
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import importing, services
from actions.filters import ActionFilter
from actions.forms import (
    NONE_YET,
    ActionDetailsForm,
    ConfirmForm,
    MeasureFormSet,
    PlanStepForm,
    UpdateForm,
    UploadForm,
)
from actions.importing import writing
from actions.importing.columns import COLUMNS, GUIDANCE
from actions.models import Action
from actions.pages import action_page, my_action_lists, plan_lifecycle, plan_outline
from csp_tracker import permissions
from csp_tracker.downloads import download
from csp_tracker.editing import StaleEdit
from csp_tracker.forms import add_refusal, form_status, posted
from csp_tracker.security_log import log_event
from plans.models import Plan

PAGE_SIZE = 50


@require_GET
def plan(request, slug, plan_slug):
    """A plan as its document reads: each priority, its issues, the numbered actions."""
    visible = Plan.objects.visible_to(request.user).select_related("partnership")
    plan = get_object_or_404(visible, partnership__slug=slug, slug=plan_slug)
    user, partnership_id = request.user, plan.partnership_id
    can_publish = permissions.can_publish_plan(user, plan)
    can_change_status = permissions.can_change_plan_status(user, plan)
    context = {
        "nav": "partnerships",
        "plan": plan,
        "outline": plan_outline(plan),
        "membership": permissions.membership(user, partnership_id),
        "can_manage": permissions.can_manage_partnership(user, partnership_id),
        "can_publish": can_publish,
        "can_change_status": can_change_status,
        "can_view_rounds": permissions.can_view_rounds(user, partnership_id),
        "sees_workspace": permissions.sees_plan_workspace(user, plan),
        "step_form": PlanStepForm(plan=plan) if can_change_status else None,
        "lifecycle": plan_lifecycle(plan) if can_publish or can_change_status else [],
    }
    return render(request, "actions/plan.html", context)


@require_GET
def action_list(request, slug):
    """A partnership's actions, filtered and sorted by what is in the URL."""
    partnership = get_object_or_404(permissions.visible_partnerships(request.user), slug=slug)
    plans = Plan.objects.visible_to(request.user).filter(partnership=partnership).for_list()
    today = timezone.localdate()
    actions = Action.objects.filter(plan__in=plans).for_list(today)
    filters = ActionFilter(request.GET, queryset=actions, partnership=partnership, plans=plans)
    results = filters.qs if filters.is_valid() else actions.in_list_order()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav": "actions",
        "partnership": partnership,
        "filter": filters,
        "page": page,
        "actions": list(page.object_list),
        "today": today,
    }
    template = "actions/action_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@login_required
@require_GET
def my_actions(request):
    """The actions the officer's agency leads, then those it supports, in its partnerships'
    open plans; then those of closed plans, and those in other partnerships' plans, each
    under its own heading. Every row that cannot be updated says why."""
    context = {"nav": "my-actions", **my_action_lists(request.user, timezone.localdate())}
    return render(request, "actions/my_actions.html", context)


def _visible_action(request, pk) -> Action:
    visible = Action.objects.visible_to(request.user).select_related("plan__partnership")
    return get_object_or_404(visible, pk=pk)


@require_GET
def detail(request, pk):
    """Everything about one action: agencies, measures, the timeline, its history."""
    action = _visible_action(request, pk)
    context = action_page(action, request.user)
    context["form"] = _update_form(request, action)
    return render(request, "actions/detail.html", context)


def _update_form(request, action, data=None):
    """The form this user may use on this action: a full update, a note, or none."""
    if permissions.can_update_action(request.user, action):
        return UpdateForm(data, action=action)
    if permissions.can_add_note(request.user, action):
        return UpdateForm(data, action=action, note_only=True)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def record_update(request, pk):
    """Append a progress report (or, for a supporting agency, a note) to an action."""
    action = _visible_action(request, pk)
    form = _update_form(request, action, posted(request))
    if form is None:
        raise PermissionDenied
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            update = services.record_update(
                action=action,
                by=request.user,
                agency=_reporting_agency(request.user, action),
                **form.service_arguments(),
            )
        except StaleEdit as stale:
            conflict = stale
            form = _rebased(request, action, form)
        except ValidationError as invalid:
            add_refusal(form, invalid)
        else:
            late = update.period if update.period != form.cleaned_data.get("period") else None
            if not request.htmx:
                messages.success(request, _saved_message(update, late))
                return redirect(action)
            # The whole page again, read after the write: summary, measures, the form's
            # defaults, timeline and history all show the new state.
            context = action_page(action, request.user)
            context["form"] = _update_form(request, context["action"])
            context["saved"] = _saved_message(update, late)
            return render(request, "actions/detail.html#page", context)
    # Read after any refusal: the page shows what is there now, the author's words kept.
    context = action_page(action, request.user)
    context.update({"form": form, "conflict": conflict})
    template = "actions/detail.html#page" if request.htmx else "actions/detail.html"
    return render(request, template, context, status=form_status(form, conflict=conflict))


def _saved_message(update, late) -> str:
    """What the success banner says: the update recorded, the status it left, and the round
    a late report counts for."""
    action = update.action
    action.refresh_from_db(fields=["status", "rag"])
    words = f"Your update has been recorded. The status is now {action.get_status_display()}"
    if action.rag:
        words += f", RAG {action.get_rag_display().lower()}"
    words += "."
    if late is not None:
        words += f" It is dated within {late.name}, so it counts for that round (a late report)."
    return words


def _reporting_agency(user, action):
    """The agency an officer reports for (coordinators report for none)."""
    membership = permissions.membership(user, action.plan.partnership_id)
    return membership.agency if membership and membership.agency_id else None


def _rebased(request, action, form):
    """The author's words kept, now based on what is there: a resubmit then goes through."""
    data = request.POST.copy() if isinstance(request.POST, QueryDict) else dict(request.POST)
    action.refresh_from_db()
    latest = action.updates.latest_first().values_list("pk", flat=True).first()
    data["based_on"] = str(latest or NONE_YET)
    data["version"] = str(action.version)
    rebased = UpdateForm(data, action=action, note_only=form.note_only)
    rebased.is_valid()
    return rebased


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """A coordinator changes an action's details and its measures of success."""
    action = _visible_action(request, pk)
    if not permissions.can_edit_action(request.user, action):
        raise PermissionDenied
    measures = list(action.measures.all())
    details = ActionDetailsForm(
        posted(request), initial=_details_initial(action), partnership=action.plan.partnership
    )
    formset = MeasureFormSet(
        posted(request),
        prefix="measures",
        initial=[_measure_initial(m) for m in measures],
    )
    conflict = None
    if request.method == "POST" and details.is_valid() and formset.is_valid():
        specs = [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]
        named = {spec["id"] for spec in specs if spec.get("id")}
        if not permissions.can_edit_measures(request.user, action, named, {m.pk for m in measures}):
            raise PermissionDenied
        data = details.cleaned_data
        try:
            services.edit_action(
                action=action,
                by=request.user,
                version=data["version"],
                title=data["title"],
                lead_agency=data["lead_agency"],
                lead_wording=data["lead_wording"],
                support_agencies=list(data["support_agencies"]),
                support_wording=data["support_wording"],
                target_date=data["target_date"],
                measures=specs,
            )
        except StaleEdit as stale:
            conflict = stale
        except ValidationError as invalid:
            add_refusal(details, invalid)
        else:
            messages.success(request, "The action's details have been saved.")
            return redirect(action)
    context = {
        "nav": "actions",
        "action": action,
        "plan": action.plan,
        "details": details,
        "formset": formset,
        "conflict": conflict,
    }
    status = form_status(details, formset, conflict=conflict)
    return render(request, "actions/edit.html", context, status=status)


def _details_initial(action):
    return {
        "title": action.title,
        "lead_agency": action.lead_agency_id,
        "lead_wording": action.lead_wording,
        "support_agencies": list(action.support_agencies.values_list("pk", flat=True)),
        "support_wording": action.support_wording,
        "target_date": action.target_date,
        "version": action.version,
    }


def _measure_initial(measure):
    return {
        "id": measure.pk,
        "text": measure.text,
        "is_numeric": measure.is_numeric,
        "target": measure.target,
        "unit": measure.unit,
        "baseline": measure.baseline,
    }


# The plan import.

SESSION_KEY = "plan_import"
EXAMPLES = Path(settings.BASE_DIR) / "fixtures" / "import"
#: Problems listed on a page; the rest are counted.
SHOWN_PROBLEMS = 200


def _require_coordinator(user) -> None:
    if not permissions.can_import_plans(user):
        raise PermissionDenied


def _may_use(user):
    """May the user import into a partnership (None: one the file would create)?"""
    return functools.partial(permissions.can_import_into, user)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    """The upload form; a file with errors comes back with every problem listed."""
    _require_coordinator(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        read = importing.read_file(upload.read(), upload.name)
        preview = importing.preview_file(read, upload.name, may_use=_may_use(request.user))
        if preview.ok:
            request.session[SESSION_KEY] = {
                "token": secrets.token_urlsafe(16),
                "name": upload.name,
                **_kept(read),
            }
            return redirect("actions:import-preview")
        count = len(preview.errors)
        log_event("import.refused", user=request.user, request=request, problems=count)
        form.add_error(
            "file",
            f"The file has {count} {'problem' if count == 1 else 'problems'}: nothing was "
            "imported. Correct the file and upload it again.",
        )
    context = _page_context(request, form=form, preview=preview)
    return render(request, "actions/import.html", context, status=form_status(form))


def _page_context(request, **extra) -> dict:
    return {
        "nav": "partnerships",
        "plans": list(permissions.importable_plans(request.user).for_list()),
        "guidance": [(c, GUIDANCE[c]) for c in COLUMNS],
        "shown_problems": SHOWN_PROBLEMS,
        **extra,
    }


_KEPT_SALT = "actions.views.import-read"


def _kept(read: importing.ReadFile) -> dict:
    """What was read, for the session: compressed, with an HMAC of exactly those bytes."""
    payload = zlib.compress(pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL))
    return {
        "read": base64.b64encode(payload).decode("ascii"),
        "mac": salted_hmac(_KEPT_SALT, payload, algorithm="sha256").hexdigest(),
    }


def _pending(request) -> dict | None:
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or not {"token", "name", "read", "mac"} <= set(pending):
        return None
    return pending


def _pending_read(pending: dict) -> importing.ReadFile | None:
    """What the upload read, unless the kept bytes are not the ones this server signed."""
    try:
        payload = base64.b64decode(pending["read"], validate=True)
    except ValueError:
        return None
    mac = salted_hmac(_KEPT_SALT, payload, algorithm="sha256").hexdigest()
    if not constant_time_compare(mac, pending["mac"]):
        return None
    return pickle.loads(zlib.decompress(payload))  # noqa: S301 (signed by this server)


@login_required
@require_GET
def preview(request):
    """What the uploaded file would create, change and leave alone, with its warnings."""
    _require_coordinator(request.user)
    pending = _pending(request)
    read = _pending_read(pending) if pending is not None else None
    if read is None:
        messages.info(request, "Upload the plan's file to see what it would import.")
        return redirect("actions:import")
    result = importing.preview_file(read, pending["name"], may_use=_may_use(request.user))
    return _preview_page(request, result, pending)


def _preview_page(request, result, pending, *, form=None, conflict=None, status=None):
    if form is None:
        form = ConfirmForm(
            initial={"token": pending["token"], "fingerprint": result.fingerprint},
            new_agencies=len(result.new_agencies),
        )
    context = {
        "nav": "partnerships",
        "preview": result,
        "form": form,
        "conflict": conflict,
        "shown_problems": SHOWN_PROBLEMS,
    }
    if status is None:
        status = 422 if (result.errors or form.errors) else 200
    return render(request, "actions/import_preview.html", context, status=status)


@login_required
@require_POST
def confirm(request):
    """Apply the previewed file, unless the plan changed since the preview."""
    _require_coordinator(request.user)
    pending = _pending(request)
    read = _pending_read(pending) if pending is not None else None
    if read is None or not constant_time_compare(request.POST.get("token", ""), pending["token"]):
        messages.info(request, "That preview is no longer current: upload the file again.")
        return redirect("actions:import")
    data, name = read, pending["name"]
    may_use = _may_use(request.user)
    # The file is read and compared with the plan once, inside the import's transaction; a
    # refusal brings back that preview to show. The form is checked against it there, after
    # the fingerprint: it confirms what was shown only if the plan has not changed since.
    form = ConfirmForm(request.POST)
    try:
        result = importing.import_file(
            data,
            name,
            by=request.user,
            # Never None: a confirmation without a fingerprint is refused, not applied unchecked.
            fingerprint=request.POST.get("fingerprint", ""),
            may_use=may_use,
            confirmed=form.confirms,
        )
    except importing.PlanChanged as stale:
        return _preview_page(request, stale.preview, pending, conflict=stale, status=409)
    except StaleEdit as stale:
        # Someone reported on an action while the import was being applied: what was
        # computed before the rollback is out of date, so it is compared again to show.
        current = importing.preview_file(data, name, may_use=may_use)
        return _preview_page(request, current, pending, conflict=stale, status=409)
    except importing.NotConfirmed as unconfirmed:
        return _preview_page(request, unconfirmed.preview, pending, form=form)
    except importing.ImportRefused as refused:
        return _preview_page(request, refused.preview, pending)
    del request.session[SESSION_KEY]
    log_event(
        "import.applied",
        user=request.user,
        request=request,
        plan=result.plan.pk,
        partnership=result.plan.partnership_id,
        file_sha256=read.digest,
    )
    messages.success(request, f"{name} was imported: {result.summary}.")
    return redirect(result.plan)


def _download(content: bytes, filename: str, fmt: str):
    return download(content, filename, writing.FORMATS[fmt])


def _format(fmt: str) -> str:
    if fmt not in writing.FORMATS:
        raise Http404("No such format.")
    return fmt


@login_required
@require_GET
def template(request, fmt):
    """The blank template: the header row (and, in Excel, a sheet explaining the columns)."""
    _require_coordinator(request.user)
    fmt = _format(fmt)
    return _download(writing.blank_template(fmt), f"plan-import-template.{fmt}", fmt)


@login_required
@require_GET
def example(request, fmt):
    """The template filled in with the Thanet plan 2015/16, as published."""
    _require_coordinator(request.user)
    fmt = _format(fmt)
    name = f"thanet-example.{fmt}"
    return _download((EXAMPLES / name).read_bytes(), name, fmt)


@login_required
@require_GET
def plan_spreadsheet(request, slug, plan_slug, fmt):
    """A plan in the template's format, to correct in a spreadsheet and import again."""
    visible = Plan.objects.visible_to(request.user).select_related("partnership")
    plan = get_object_or_404(visible, partnership__slug=slug, slug=plan_slug)
    if not permissions.can_manage_partnership(request.user, plan.partnership_id):
        raise PermissionDenied
    fmt = _format(fmt)
    content = writing.export_plan(plan, fmt)
    return _download(content, writing.export_filename(plan, fmt), fmt)
