"""Forms for performance indicators and their values; they parse and validate, services save."""

import csv
import datetime
import io
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from csp_tracker.forms import DateInput
from plans.models import Indicator, IndicatorValue, Priority

#: An upload larger than this is refused before it is read.
UPLOAD_LIMIT_BYTES = 1_000_000
UPLOAD_LIMIT_ROWS = 5000
#: The columns of an upload, in the order of the template; the first three must have a value.
CSV_COLUMNS = ["indicator", "period", "period_start", "period_end", "value", "source", "note"]
REQUIRED_COLUMNS = {"indicator", "period", "value"}
#: At most this many row errors are listed; the count says how many there were.
ERRORS_SHOWN = 30


def parse_number(text: str) -> Decimal:
    """A figure as people type it: "6,160", "9.79%", "£40,000" (ValueError if it is none)."""
    cleaned = re.sub(r"[,\s£%]", "", text or "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


def parse_date(text: str) -> datetime.date | None:
    """A date as 2015-04-01 or 01/04/2015 (UK order); None when blank; ValueError otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


class PriorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.plan.title})"


class IndicatorForm(forms.ModelForm):
    """What an indicator is: its name, unit, source, direction, target and priority."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "source",
            "direction",
            "target",
            "target_note",
            "priority",
            "description",
        ]
        labels = {
            "name": "Name",
            "unit": "Unit",
            "source": "Source of the figures",
            "direction": "Which way is better",
            "target": "Target (optional)",
            "target_note": "About the target (optional)",
            "priority": "Priority it evidences (optional)",
            "description": "Description (optional)",
        }
        error_messages = {
            "name": {"required": "Enter the indicator's name"},
            "direction": {"required": "Select which way is better, or neither"},
        }
        help_texts = {
            "unit": 'What is counted: "incidents", "%", "£".',
            "source": 'Who supplies the figures, e.g. "Kent Police".',
            "target_note": 'Whose target and for when, e.g. "Force target for 2012/13".',
        }
        field_classes = {"priority": PriorityChoiceField}
        widgets = {
            "direction": forms.RadioSelect,
            "target": forms.TextInput(
                attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = (
            Priority.objects.filter(plan__partnership=partnership)
            .select_related("plan")
            .order_by("-plan__period_start", "position")
        )
        self.fields["priority"].empty_label = "None"
        self.fields["direction"].choices = Indicator.Direction.choices
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
            self.initial.setdefault("version", self.instance.version)

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class IndicatorValueForm(forms.ModelForm):
    """One value of an indicator for a period; the dates only where the source gives them."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = IndicatorValue
        fields = ["period_label", "period_start", "period_end", "value", "source", "note"]
        labels = {
            "period_label": "Period",
            "period_start": "First day of the period",
            "period_end": "Last day of the period",
            "value": "Value",
            "source": "Source (optional)",
            "note": "The source's words about the figure (optional)",
        }
        help_texts = {
            "period_label": 'As the source writes it, e.g. "2012/13" or "Oct – Sept 11/12".',
            "period_start": "Leave both days blank if the source does not say.",
            "period_end": "The same day a year earlier gives the change on last year.",
        }
        error_messages = {
            "period_label": {"required": "Enter the period the value is for"},
            "value": {"required": "Enter the value"},
        }
        widgets = {
            "period_start": DateInput,
            "period_end": DateInput,
            "value": forms.TextInput(
                attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}
            ),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator.unit:
            self.fields["value"].help_text = f"In {indicator.unit}."
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True
            self.initial.setdefault("version", self.instance.version)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if (start is None) != (end is None) and not self.has_error("period_start"):
            missing = "period_end" if end is None else "period_start"
            self.add_error(missing, "Give both days of the period, or neither.")
        elif start and end and end < start:
            self.add_error("period_end", "The period cannot end before it starts.")
        return data

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class IndicatorUploadForm(forms.Form):
    """A CSV file of values for the partnership's indicators, checked row by row.

    After `is_valid()`, `rows` holds what `services.record_indicator_values` takes.
    """

    file = forms.FileField(
        error_messages={"required": "Select a CSV file of values"},
        label="CSV file",
        help_text="Columns: indicator, period, period_start, period_end, value, source, note. "
        "Dates as 2015-04-01 or 01/04/2015; leave both blank if the source gives none.",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.rows: list[dict] = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_LIMIT_BYTES:
            raise ValidationError("The file is larger than 1 MB; split it into smaller files.")
        text = _decode(upload.read())
        reader = csv.DictReader(io.StringIO(text))
        columns = {(name or "").strip().lower() for name in reader.fieldnames or []}
        missing = sorted(REQUIRED_COLUMNS - columns)
        if missing:
            raise ValidationError(
                f"The first line must name the columns; missing: {', '.join(missing)}."
            )
        indicators = {
            i.name.casefold(): i for i in Indicator.objects.filter(partnership=self.partnership)
        }
        errors = []
        for line, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            if not any(row.values()):
                continue
            if len(self.rows) >= UPLOAD_LIMIT_ROWS:
                raise ValidationError(f"The file has more than {UPLOAD_LIMIT_ROWS} rows.")
            parsed, problems = _parse_row(row, indicators)
            errors.extend(f"Line {line}: {problem}" for problem in problems)
            if not problems:
                self.rows.append({"line": line, **parsed})
        if not errors and not self.rows:
            raise ValidationError("The file has no rows of values.")
        if errors:
            shown = errors[:ERRORS_SHOWN]
            if len(errors) > ERRORS_SHOWN:
                shown.append(f"… and {len(errors) - ERRORS_SHOWN} more problems.")
            self.rows = []
            raise ValidationError(shown)
        return upload


def _decode(data: bytes) -> str:
    """CSV from a spreadsheet: UTF-8 (with or without Excel's mark), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _parse_row(row: dict, indicators: dict) -> tuple[dict, list[str]]:
    problems = []
    indicator = indicators.get(row.get("indicator", "").casefold())
    if not row.get("indicator"):
        problems.append("name the indicator.")
    elif indicator is None:
        problems.append(f"there is no indicator called “{row['indicator']}”.")
    if not row.get("period"):
        problems.append("give the period, as the source writes it.")
    value = None
    try:
        value = parse_number(row.get("value", ""))
    except ValueError:
        problems.append(f"the value “{row.get('value', '')}” is not a number.")
    dates = {}
    for column in ("period_start", "period_end"):
        try:
            dates[column] = parse_date(row.get(column, ""))
        except ValueError:
            problems.append(f"{column} “{row[column]}” is not a date like 2015-04-01.")
    if len(dates) == 2:
        if (dates["period_start"] is None) != (dates["period_end"] is None):
            problems.append("give both period_start and period_end, or neither.")
        elif dates["period_start"] and dates["period_end"] < dates["period_start"]:
            problems.append("the period ends before it starts.")
    parsed = {
        "indicator": indicator,
        "period_label": row.get("period", ""),
        "value": value,
        "source": row.get("source", ""),
        "note": row.get("note", ""),
        **dates,
    }
    return parsed, problems
