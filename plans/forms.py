"""Forms for performance indicators and their values, the partnership's people and agencies,
and accepting an invitation; they parse and validate, services save."""

import csv
import datetime
import io
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from csp_tracker.editing import HISTORY_REASON_LENGTH as REASON_LENGTH
from csp_tracker.forms import DateInput, add_refusal
from plans.models import Agency, Indicator, IndicatorValue, Membership, Priority
from plans.services import check_role

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


# People: inviting, changing a member's role, removing a member; accepting an invitation.


class RoleForm(forms.Form):
    """A role in the partnership; an agency for an officer, restricted access for a councillor.

    The page sets the agency under "Agency officer" and restricted access under "Scrutiny
    councillor"; the service keeps each only for its role.
    """

    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Select an agency",
        help_text="For an agency officer: they report progress on the actions it leads.",
    )
    restricted_access = forms.BooleanField(
        label="May see restricted items",
        required=False,
        help_text="For a scrutiny councillor: exempt agenda items and minutes. Coordinators and "
        "board members see them already.",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["agency"].queryset = Agency.objects.for_partnership(partnership).order_by(
            "name"
        )

    def clean(self):
        data = super().clean()
        if "role" in data and "agency" not in self.errors:
            try:
                check_role(
                    partnership=self.partnership, role=data["role"], agency=data.get("agency")
                )
            except ValidationError as invalid:
                add_refusal(self, invalid)
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "role": data["role"],
            "agency": data.get("agency"),
            "restricted_access": data.get("restricted_access", False),
        }


class InviteForm(RoleForm):
    """Whom to invite, by email, and to which role."""

    email = forms.EmailField(
        label="Email address",
        max_length=150,
        help_text="The invitation is sent here; it becomes the address they sign in with.",
        error_messages={
            "required": "Enter the email address of the person to invite",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "The email address must be 150 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ["email", "role", "agency", "restricted_access"]

    def service_arguments(self) -> dict:
        return {"email": self.cleaned_data["email"], **super().service_arguments()}


class MemberForm(RoleForm):
    """A change to a member's role, agency or restricted access."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class RemovalForm(forms.Form):
    """Why a member leaves the partnership: kept in its history."""

    reason = forms.CharField(
        label="Why are they being removed?",
        max_length=REASON_LENGTH,
        help_text="For example, “Left Kent Police in March”. Kept in the partnership's history.",
        error_messages={
            "required": "Say why they are being removed",
            "max_length": f"The reason must be {REASON_LENGTH} characters or fewer",
        },
    )


class NewAccountForm(forms.Form):
    """A new person's name and password, as they accept an invitation."""

    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={"required": "Enter your first name"},
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={"required": "Enter your last name"},
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
    )
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 12 characters. Not a common password, not only numbers and not "
        "like your name or email address.",
        error_messages={"required": "Create a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        error_messages={"required": "Type the password again"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are not the same")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "password": data["password1"],
        }


# The partnership's agencies.


class AgencyAddForm(forms.Form):
    """An agency of the shared list, for the partnership's own."""

    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Select an agency",
        help_text="Agencies on the shared list that are not yet the partnership's.",
        error_messages={
            "required": "Select the agency to add",
            "invalid_choice": "Select an agency from the list",
        },
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.addable_to(partnership).order_by("name")


class AgencyProposeForm(forms.Form):
    """An agency not on the shared list yet."""

    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="In full, as the agency writes it: “Kent Fire and Rescue Service”.",
        error_messages={"required": "Enter the agency's name"},
    )
    abbreviation = forms.CharField(
        label="Abbreviation (optional)",
        max_length=40,
        required=False,
        help_text="What plans print, for example “KFRS”.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
