"""The choices the report pages offer: which progress report, which dashboard."""

from django import forms

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
