"""A coordinator imports a plan from a spreadsheet: upload, check the preview, confirm.

The uploaded bytes wait in the user's session (compressed, at most 5 MB before) between the
preview and the confirmation, under a random token the confirmation must bring back; the
confirmation also brings the preview's fingerprint, and the import is refused if the plan
changed since. Nothing is written before the confirmation.

Each page reads the file again from those bytes: what it would do depends on the plan as
stored at that moment, and the confirmation must compare it under the import's lock.
"""

import base64
import functools
import secrets
import zlib
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import importing, plan_export
from actions.import_forms import ConfirmForm, UploadForm
from actions.importing.columns import COLUMNS, GUIDANCE
from csp_tracker import permissions
from plans.models import Plan
from plans.services import StaleEdit

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
        data = upload.read()
        preview = importing.preview_file(data, upload.name, may_use=_may_use(request.user))
        if preview.ok:
            request.session[SESSION_KEY] = {
                "token": secrets.token_urlsafe(16),
                "name": upload.name,
                "data": base64.b64encode(zlib.compress(data)).decode("ascii"),
            }
            return redirect("plans:import-preview")
        count = len(preview.errors)
        form.add_error(
            "file",
            f"The file has {count} {'problem' if count == 1 else 'problems'}: nothing was "
            "imported. Correct the file and upload it again.",
        )
    context = _page_context(request, form=form, preview=preview)
    return render(request, "actions/import.html", context, status=422 if form.errors else 200)


def _page_context(request, **extra) -> dict:
    plans = Plan.objects.all()
    ids = permissions.admin_partnership_ids(request.user)
    if ids is not None:
        plans = plans.filter(partnership_id__in=ids)
    plans = plans.for_list()
    return {
        "nav": "partnerships",
        "plans": list(plans),
        "guidance": [(c, GUIDANCE[c]) for c in COLUMNS],
        "shown_problems": SHOWN_PROBLEMS,
        **extra,
    }


def _pending(request) -> dict | None:
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or not {"token", "name", "data"} <= set(pending):
        return None
    return pending


def _pending_bytes(pending: dict) -> bytes:
    return zlib.decompress(base64.b64decode(pending["data"]))


@login_required
@require_GET
def preview(request):
    """What the uploaded file would create, change and leave alone, with its warnings."""
    _require_coordinator(request.user)
    pending = _pending(request)
    if pending is None:
        messages.info(request, "Upload the plan's file to see what it would import.")
        return redirect("plans:import")
    data = _pending_bytes(pending)
    result = importing.preview_file(data, pending["name"], may_use=_may_use(request.user))
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
    if pending is None or request.POST.get("token") != pending["token"]:
        messages.info(request, "That preview is no longer current: upload the file again.")
        return redirect("plans:import")
    data, name = _pending_bytes(pending), pending["name"]
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
        # computed before the rollback is out of date, so the file is read again to show.
        current = importing.preview_file(data, name, may_use=may_use)
        return _preview_page(request, current, pending, conflict=stale, status=409)
    except importing.NotConfirmed as unconfirmed:
        return _preview_page(request, unconfirmed.preview, pending, form=form)
    except importing.ImportRefused as refused:
        return _preview_page(request, refused.preview, pending)
    del request.session[SESSION_KEY]
    messages.success(request, f"{name} was imported: {result.summary}.")
    return redirect(result.plan)


def _download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=plan_export.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _format(fmt: str) -> str:
    if fmt not in plan_export.FORMATS:
        raise Http404("No such format.")
    return fmt


@login_required
@require_GET
def template(request, fmt):
    """The blank template: the header row (and, in Excel, a sheet explaining the columns)."""
    _require_coordinator(request.user)
    fmt = _format(fmt)
    return _download(plan_export.blank_template(fmt), f"plan-import-template.{fmt}", fmt)


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
    content = plan_export.export_plan(plan, fmt)
    return _download(content, plan_export.export_filename(plan, fmt), fmt)
