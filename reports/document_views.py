"""The councillors' downloads: a plan's documents as PDF and web page, and its exports.

Every document is read through the plans the user may see (404 otherwise), exactly like the
plan page; the documents themselves read only through `visible_to` QuerySets.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from plans.models import Plan
from reports import documents, exports

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"]


class ReportChoiceForm(forms.Form):
    """Which progress report: a reporting period of the plan, or as at a date."""

    period = forms.ChoiceField(label="Reporting period", required=False, widget=forms.RadioSelect)
    on = forms.DateField(
        label="Or as at a date",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"class": "govuk-input--width-10"}),
        help_text="For example, 14/12/2015. A date replaces the reporting period.",
    )

    def __init__(self, *args, plan, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        periods = [p for p in plan.reporting_periods.order_by("start") if p.start <= today]
        self.fields["period"].choices = [
            (p.slug, f"{p.name} ({p.start:%-d %B %Y} to {p.end:%-d %B %Y})") for p in periods
        ]
        if not periods:
            del self.fields["period"]
            self.fields["on"].label = "As at a date"
            self.fields["on"].help_text = "For example, 14/12/2015."

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day and day > self.today:
            raise forms.ValidationError("The date must be today or in the past.")
        return day


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
        moment = documents.as_at(plan, period_slug=period_slug, day=choice["on"], today=today)
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
    return render(request, "reports/index.html", context, status=422 if form.errors else 200)


def _document(content: bytes, filename: str, content_type: str, *, attachment: bool):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    return response


@require_GET
def plan_pdf(request, slug, plan_slug):
    """The plan as the partnership publishes it, as a PDF."""
    plan = _plan(request, slug, plan_slug)
    pdf = documents.plan_pdf(plan, request.user)
    return _document(pdf, documents.plan_filename(plan), "application/pdf", attachment=False)


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
def progress_pdf(request, slug, plan_slug):
    """The progress report as a PDF for the scrutiny papers."""
    plan = _plan(request, slug, plan_slug)
    moment = _moment(request, plan)
    pdf = documents.progress_pdf(plan, request.user, moment)
    filename = documents.progress_filename(plan, moment)
    return _document(pdf, filename, "application/pdf", attachment=False)


@require_GET
def export(request, slug, plan_slug, fmt):
    """The plan's actions with their status and latest update, as CSV or XLSX."""
    if fmt not in exports.FORMATS:
        raise Http404("No such format.")
    plan = _plan(request, slug, plan_slug)
    moment = _moment(request, plan)
    content = exports.export_actions(plan, request.user, moment, fmt)
    filename = exports.export_filename(plan, moment, fmt)
    return _document(content, filename, exports.CONTENT_TYPES[fmt], attachment=True)
