"""Pages about partnerships and the plans they may show."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from csp_tracker import permissions
from csp_tracker.downloads import CSV_TYPE, csv_bytes, download
from csp_tracker.editing import StaleEdit
from csp_tracker.forms import add_refusal, form_status, posted
from plans import services
from plans.forms import CSV_COLUMNS, IndicatorForm, IndicatorUploadForm, IndicatorValueForm
from plans.models import Indicator, IndicatorValue, Plan


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


@require_GET
def partnership(request, slug):
    """A partnership's plans that the user may read, and its member partnerships."""
    visible = permissions.visible_partnerships(request.user)
    partnership = get_object_or_404(visible.select_related("county"), slug=slug)
    plans = list(Plan.objects.visible_to(request.user).filter(partnership=partnership).for_list())
    members = list(partnership.members.order_by("name"))
    visible_ids = set(visible.filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True))
    context = {
        "nav": "partnerships",
        "partnership": partnership,
        "plans": plans,
        "members": [(m, m.pk in visible_ids) for m in members],
        "membership": permissions.membership(request.user, partnership.pk),
    }
    return render(request, "plans/partnership.html", context)


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
