"""The executive board's dashboard (page and PDF) and the county roll-up.

Both are for the partnership's board members and coordinators (permissions.can_view_dashboard);
what they may not see is a 404, as everywhere.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from csp_tracker import permissions
from plans.models import Partnership, Plan
from reports import dashboard, rollup
from reports.pdf import render_pdf


class DashboardChoiceForm(forms.Form):
    """Which plan, and which of its update rounds."""

    plan = forms.ChoiceField(label="Plan")
    period = forms.ChoiceField(label="Update round", required=False)

    def __init__(self, *args, plans, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(p.slug, f"{p.title} ({p.period_label})") for p in plans]
        self.fields["period"].choices = [(p.slug, p.name) for p in periods]
        if not periods:
            del self.fields["period"]


def _partnership(request, slug) -> Partnership:
    partnership = get_object_or_404(permissions.visible_partnerships(request.user), slug=slug)
    if not permissions.can_view_dashboard(request.user, partnership.pk):
        raise PermissionDenied
    return partnership


def dashboard_context(request, partnership, *, link=str) -> dict:
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
    context = {
        "nav": "dashboard",
        "partnership": partnership,
        "plan": plan,
        "board": board,
        "today": today,
        "choice": DashboardChoiceForm(
            initial={"plan": plan.slug if plan else "", "period": _slug(board)},
            plans=plans,
            periods=board.periods if board else [],
        ),
        "query": _query(plan, board),
    }
    if partnership.kind == Partnership.Kind.COUNTY:
        districts = list(partnership.members.order_by("name"))
        context["delivery"] = rollup.district_delivery(
            districts, viewer=request.user, today=today, link=link
        )
    return context


def _slug(board) -> str:
    return board.period.slug if board and board.period else ""


def _query(plan, board) -> str:
    if plan is None:
        return ""
    query = f"plan={plan.slug}"
    if board and board.period:
        query += f"&period={board.period.slug}"
    return query


@login_required
@require_GET
def dashboard_page(request, slug):
    """The board's view of a plan: statuses, RAG, the update round, agencies, exceptions."""
    partnership = _partnership(request, slug)
    context = dashboard_context(request, partnership)
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def dashboard_pdf(request, slug):
    """The same dashboard as a PDF for the board's papers; its links work from the paper."""
    partnership = _partnership(request, slug)
    context = dashboard_context(request, partnership, link=request.build_absolute_uri)
    context["document_title"] = f"Executive board dashboard – {partnership.name}"
    pdf = render_pdf(
        "reports/dashboard_document.html",
        context,
        request=request,
        stylesheets=["css/print-dashboard.css"],
    )
    name = f"{partnership.file_stem}-dashboard"
    if context["plan"]:
        name += f"-{context['plan'].slug}"
    if context["board"] and context["board"].period:
        name += f"-{context['board'].period.slug}"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.pdf")
    return response


@login_required
@require_GET
def county_rollup(request, slug):
    """A county's districts × priority categories, and how the districts' live plans go."""
    county = get_object_or_404(permissions.visible_partnerships(request.user), slug=slug)
    if county.kind != Partnership.Kind.COUNTY:
        raise Http404("Only a county partnership has a roll-up.")
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
