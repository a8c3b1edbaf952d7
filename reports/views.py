"""The reports pages: a plan's documents and exports, the board's dashboard and the county
roll-up, and a meeting's minutes and agenda pack as PDF.

Every document is read through what the user may see (404 otherwise), exactly like the page
it comes from; the documents themselves read only through `visible_to` QuerySets
(reports/documents.py, reports/dashboard.py, reports/rollup.py).
"""

import datetime
import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET

from csp_tracker import permissions, ratelimit
from csp_tracker.downloads import PDF_TYPE, download
from csp_tracker.forms import form_status
from csp_tracker.security_log import log_event
from meetings.models import Meeting
from plans.models import Partnership, Plan
from reports import audit as audit_trail
from reports import dashboard, documents, exports, rollup, workspace
from reports.forms import DashboardChoiceForm, ReportChoiceForm
from reports.pdf import TooLargeToLayOut, render_pdf

# What a PDF may cost: a fresh layout is counted against the reader, and refused past the
# time budget; either refusal is a page in the service's layout, never a 500.


def _layout_charge(request):
    """What a view passes as before_layout: count one fresh layout by this reader."""
    return functools.partial(
        ratelimit.charge_reader,
        request,
        "pdf-layout",
        limit=settings.PDF_LAYOUTS_PER_WINDOW,
        window=settings.PDF_LAYOUT_WINDOW_SECONDS,
    )


def refuses_costly_layouts(view):
    """A PDF view whose layout was refused answers with the reason: 429 for too many fresh
    layouts (with Retry-After), 503 for a document past the time budget."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ratelimit.RateLimited as limited:
            minutes = max(1, -(-limited.retry_after // 60))
            context = {"reason": "rate", "minutes": minutes}
            response = render(request, "reports/layout_refused.html", context, status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        except TooLargeToLayOut:
            context = {"reason": "size"}
            return render(request, "reports/layout_refused.html", context, status=503)

    return wrapped


# The partnership's page: its plans, and for its coordinators what needs doing and their jobs.


@require_GET
def partnership(request, slug):
    """A partnership's plans that the user may read and its member partnerships; for its
    coordinators, the home of their work: what needs doing, and a link to every job."""
    visible = permissions.visible_partnerships(request.user)
    found = get_object_or_404(visible.select_related("county"), slug=slug)
    user = request.user
    plans = list(Plan.objects.visible_to(user).filter(partnership=found).for_list())
    members = list(found.members.order_by("name"))
    visible_ids = set(visible.filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True))
    coordinating = permissions.sees_coordinators_jobs(user, found.pk)
    today = timezone.localdate()
    context = {
        "nav": "partnerships",
        "partnership": found,
        "plans": plans,
        "members": [(m, m.pk in visible_ids) for m in members],
        "membership": permissions.membership(user, found.pk),
        "coordinating": coordinating,
        "to_do": workspace.what_needs_doing(found, plans, user, today) if coordinating else None,
        "today": today,
        "reports_progress": permissions.reports_progress(user, found.pk),
        "is_member": permissions.is_member(user, found.pk),
        "can_view_dashboard": permissions.can_view_dashboard(user, found.pk),
        "can_import": permissions.can_manage_partnership(user, found.pk),
        "can_create_plan": permissions.can_create_plan(user, found.pk),
        "can_manage_people": permissions.can_manage_people(user, found.pk),
        "can_manage_agencies": permissions.can_manage_agencies(user, found.pk),
        "can_view_audit": permissions.can_view_audit(user, found.pk),
    }
    return render(request, "reports/partnership.html", context)


# A plan's documents: the plan and its progress as PDF and web page, and the exports.


def _plan(request, slug, plan_slug) -> Plan:
    visible = Plan.objects.visible_to(request.user).select_related("partnership")
    return get_object_or_404(visible, partnership__slug=slug, slug=plan_slug)


def _moment(request, plan) -> documents.AsAt:
    """The report the URL asks for (?period=q3, ?on=2015-12-14, ?recorded=…); 404 if none."""
    day = None
    if request.GET.get("on"):
        try:
            day = datetime.date.fromisoformat(request.GET["on"])
        except ValueError:
            raise Http404("Not a date.") from None
        if not permissions.chooses_any_report_day(request.user, plan.partnership_id):
            day = documents.public_report_day(plan, day)
    recorded_by = None
    if request.GET.get("recorded"):
        recorded_by = parse_datetime(request.GET["recorded"].replace(" ", "+"))
        if recorded_by is None:
            raise Http404("Not a time.")
        if timezone.is_naive(recorded_by):
            recorded_by = timezone.make_aware(recorded_by)
    try:
        return documents.as_at(
            plan,
            period_slug=request.GET.get("period", "") if day is None else "",
            day=day,
            recorded_by=recorded_by,
        )
    except documents.NoSuchReport as missing:
        raise Http404(str(missing)) from None


@require_GET
def index(request, slug, plan_slug):
    """The plan's documents the user may read, with the choice of reporting period or date."""
    plan = _plan(request, slug, plan_slug)
    today = timezone.localdate()
    form = ReportChoiceForm(request.GET or None, plan=plan, today=today)
    moment = documents.as_at(plan, today=today)
    if form.is_bound and form.is_valid():
        choice = form.cleaned_data
        period_slug = "" if choice["on"] else choice.get("period") or ""
        day = choice["on"]
        if day and not permissions.chooses_any_report_day(request.user, plan.partnership_id):
            day = documents.public_report_day(plan, day)
        moment = documents.as_at(plan, period_slug=period_slug, day=day, today=today)
    elif not form.is_bound and moment.by_period:
        form = ReportChoiceForm(initial={"period": moment.period.slug}, plan=plan, today=today)
    context = {
        "nav": "partnerships",
        "plan": plan,
        "form": form,
        "moment": moment,
        "query": urlencode(moment.query),
        "plan_filename": documents.plan_filename(plan),
        "progress_filename": documents.progress_filename(plan, moment),
        "export_filenames": {f: exports.export_filename(plan, moment, f) for f in exports.FORMATS},
    }
    return render(request, "reports/index.html", context, status=form_status(form))


@require_GET
@refuses_costly_layouts
def plan_pdf(request, slug, plan_slug):
    """The plan as the partnership publishes it, as a PDF."""
    plan = _plan(request, slug, plan_slug)
    pdf = documents.plan_pdf(plan, request.user, before_layout=_layout_charge(request))
    return download(pdf, documents.plan_filename(plan), PDF_TYPE, attachment=False)


@require_GET
def progress(request, slug, plan_slug):
    """The progress report as an accessible web page."""
    plan = _plan(request, slug, plan_slug)
    moment = _moment(request, plan)
    context = documents.progress_document(plan, request.user, moment)
    exact = {**moment.query, "recorded": context["produced_at"].isoformat()}
    context.update(nav="partnerships", query=urlencode(moment.query), exact=urlencode(exact))
    return render(request, "reports/progress.html", context)


@require_GET
@refuses_costly_layouts
def progress_pdf(request, slug, plan_slug):
    """The progress report as a PDF for the scrutiny papers."""
    plan = _plan(request, slug, plan_slug)
    moment = _moment(request, plan)
    charge = _layout_charge(request)
    pdf = documents.progress_pdf(plan, request.user, moment, before_layout=charge)
    filename = documents.progress_filename(plan, moment)
    return download(pdf, filename, PDF_TYPE, attachment=False)


@require_GET
def export(request, slug, plan_slug, fmt):
    """The plan's actions with their status and latest update, as CSV or XLSX."""
    if fmt not in exports.FORMATS:
        raise Http404("No such format.")
    plan = _plan(request, slug, plan_slug)
    moment = _moment(request, plan)
    content = exports.export_actions(plan, request.user, moment, fmt)
    filename = exports.export_filename(plan, moment, fmt)
    return download(content, filename, exports.CONTENT_TYPES[fmt])


# The executive board's dashboard (page and PDF) and the county roll-up.


def _dashboard_partnership(request, slug) -> Partnership:
    partnership = get_object_or_404(permissions.visible_partnerships(request.user), slug=slug)
    if not permissions.can_view_dashboard(request.user, partnership.pk):
        raise PermissionDenied
    return partnership


def _dashboard_context(request, partnership, *, link=str) -> dict:
    """Everything the dashboard page and its PDF show, for the plan and round in the URL."""
    plans = list(Plan.objects.visible_to(request.user).filter(partnership=partnership).for_list())
    wanted = request.GET.get("plan")
    plan = next((p for p in plans if p.slug == wanted), None) if wanted else None
    if wanted and plan is None:
        raise Http404("No such plan.")
    plan = plan or dashboard.default_plan(plans)
    today = timezone.localdate()
    board = None
    if plan is not None:
        board = dashboard.build(plan, today=today, period_slug=request.GET.get("period"), link=link)
    period_slug = board.period.slug if board and board.period else ""
    context = {
        "nav": "dashboard",
        "partnership": partnership,
        "plan": plan,
        "board": board,
        "today": today,
        "choice": DashboardChoiceForm(
            initial={"plan": plan.slug if plan else "", "period": period_slug},
            plans=plans,
            periods=board.periods if board else [],
        ),
        "query": _dashboard_query(plan, period_slug),
    }
    if partnership.kind == Partnership.Kind.COUNTY:
        districts = list(partnership.members.order_by("name"))
        context["delivery"] = rollup.district_delivery(
            districts, viewer=request.user, today=today, link=link
        )
    return context


def _dashboard_query(plan, period_slug: str) -> str:
    """The URL parameters that ask for the same dashboard again (for its PDF)."""
    if plan is None:
        return ""
    return urlencode({"plan": plan.slug, **({"period": period_slug} if period_slug else {})})


@login_required
@require_GET
def dashboard_page(request, slug):
    """The board's view of a plan: statuses, RAG, the update round, agencies, exceptions."""
    partnership = _dashboard_partnership(request, slug)
    context = _dashboard_context(request, partnership)
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
@refuses_costly_layouts
def dashboard_pdf(request, slug):
    """The same dashboard as a PDF for the board's papers; its links work from the paper."""
    partnership = _dashboard_partnership(request, slug)
    context = _dashboard_context(request, partnership, link=request.build_absolute_uri)
    context["document_title"] = f"Executive board dashboard – {partnership.name}"
    pdf = render_pdf(
        "reports/dashboard_document.html",
        context,
        request=request,
        stylesheets=["css/print-dashboard.css"],
        before_layout=_layout_charge(request),
    )
    name = f"{partnership.file_stem}-dashboard"
    if context["plan"]:
        name += f"-{context['plan'].slug}"
    if context["board"] and context["board"].period:
        name += f"-{context['board'].period.slug}"
    return download(pdf, f"{name}.pdf", PDF_TYPE)


@login_required
@require_GET
def county_rollup(request, slug):
    """A county's districts × priority categories, and how the districts' live plans go."""
    county = get_object_or_404(permissions.visible_counties(request.user), slug=slug)
    if not permissions.can_view_county_rollup(request.user, county):
        raise PermissionDenied
    context = {
        "nav": "dashboard",
        "partnership": county,
        "rollup": rollup.build(
            county,
            viewer=request.user,
            today=timezone.localdate(),
            period_label=request.GET.get("period"),
        ),
    }
    return render(request, "reports/rollup.html", context)


# The coordinator's audit page.


@login_required
@require_GET
def audit(request, slug):
    """Who changed what in the partnership, and when: newest first, filtered by the URL."""
    partnership = get_object_or_404(permissions.visible_partnerships(request.user), slug=slug)
    if not permissions.can_view_audit(request.user, partnership.pk):
        raise PermissionDenied
    filters = audit_trail.AuditFilter(request.GET or None, partnership=partnership)
    page = audit_trail.audit_page(partnership, request.user, filters, request.GET.get("page"))
    context = {
        "nav": "partnerships",
        "partnership": partnership,
        "filter": filters,
        "page": page,
        "entries": page.object_list,
    }
    status = 422 if filters.is_bound and filters.errors else 200
    return render(request, "reports/audit.html", context, status=status)


# A meeting's documents, in the form councils publish them.


def _restricted_download(request, document: str, meeting):
    """What a meeting document's view passes as on_restricted: a line in the security log."""
    return functools.partial(
        log_event,
        "download.restricted",
        user=request.user,
        request=request,
        document=document,
        meeting=meeting.pk,
        partnership=meeting.body.partnership_id,
    )


def _meeting(request, pk) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(request.user).for_list(), pk=pk)


@require_GET
@refuses_costly_layouts
def minutes_pdf(request, pk):
    """The minutes (or notes) of a meeting as a PDF."""
    meeting = _meeting(request, pk)
    pdf = documents.minutes_pdf(
        meeting,
        request.user,
        before_layout=_layout_charge(request),
        on_restricted=_restricted_download(request, "minutes", meeting),
    )
    return download(pdf, documents.minutes_filename(meeting), PDF_TYPE, attachment=False)


@require_GET
@refuses_costly_layouts
def agenda_pdf(request, pk):
    """The agenda pack: the agenda, then the papers attached to its items."""
    meeting = _meeting(request, pk)
    pdf = documents.agenda_pdf(
        meeting,
        request.user,
        before_layout=_layout_charge(request),
        on_restricted=_restricted_download(request, "agenda_pack", meeting),
    )
    return download(pdf, documents.agenda_filename(meeting), PDF_TYPE, attachment=False)
