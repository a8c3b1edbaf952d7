"""Forms for progress reports, action details and plan imports; they parse and validate,
services save."""

import copy
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions import services
from actions.importing.columns import MAX_BYTES
from actions.models import Action, Measure, Rag, ReportingPeriod, Status
from csp_tracker.forms import DAMAGED, DateInput, add_refusal, name_hidden_errors, reason_field
from plans.models import Agency
from plans.services import plan_state

NARRATIVE_LIMIT = 5000
NONE_YET = "none"


def number(value: Decimal) -> str:
    """A decimal as people write it: 2, 24.6."""
    return f"{value.normalize():f}"


class UpdateForm(forms.Form):
    """A progress report: new status and RAG, what happened, readings of numeric measures.

    With `note_only` (an officer of a supporting agency) it is just a note. `based_on` and
    `version` carry what the author saw, so a report made meanwhile is never overwritten.
    """

    status = forms.ChoiceField(
        error_messages={"required": "Select the action's status"},
        label="New status",
        choices=Status.choices,
        widget=forms.RadioSelect,
    )
    rag = forms.ChoiceField(
        error_messages={"required": "Select a RAG rating: green, amber or red"},
        label="RAG rating",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        help_text="A completed action is rated green.",
    )
    narrative = forms.CharField(
        label="Progress update",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=NARRATIVE_LIMIT,
        help_text="What has happened since the last update. Needed when an action is delayed, "
        "at risk or withdrawn.",
    )
    period = forms.ModelChoiceField(
        label="Reporting period",
        queryset=ReportingPeriod.objects.none(),
        required=False,
        empty_label="No reporting period",
        error_messages={
            "invalid_choice": "Choose an open reporting period: the one chosen has been closed."
        },
    )
    reported_on = forms.DateField(
        error_messages={"required": "Enter the date of this update"},
        label="Date of this update",
        widget=DateInput,
    )
    based_on = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action: Action, note_only: bool = False, today=None, **kwargs):
        self.action = action
        self.note_only = note_only
        today = today or timezone.localdate()
        periods = ReportingPeriod.objects.filter(plan_id=action.plan_id).open()
        latest = action.updates.latest_first().values_list("pk", flat=True).first()
        current = periods.current(today)
        self.counted = None
        kwargs.setdefault(
            "initial",
            {
                "status": action.status,
                "rag": action.rag,
                "period": current,
                "reported_on": services.latest_report_date(action.plan, current, today),
                "based_on": latest or NONE_YET,
                "version": action.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        plan = action.plan
        self.fields["reported_on"].help_text = (
            f"Within the plan's period, {services.day(plan.period_start)} to "
            f"{services.day(plan.period_end)}, and not after today. An update dated within an "
            "earlier round's dates counts for that round (a late report)."
        )
        self.numeric_measures = []
        if note_only:
            for name in ("status", "rag", "period"):
                del self.fields[name]
            self.fields["narrative"].label = "Note"
            self.fields["narrative"].required = True
            self.fields["narrative"].error_messages["required"] = "Write the note."
            self.fields["narrative"].help_text = (
                "Your agency supports this action: add what it has done. "
                "Only the lead agency changes the status."
            )
            return
        for measure in action.measures.all():
            if not measure.is_numeric:
                continue
            self.numeric_measures.append(measure)
            hint = (
                f"Target {number(measure.target)}" if measure.target is not None else "Target TBC"
            )
            if measure.unit:
                hint += f" ({measure.unit})"
            self.fields[f"reading_{measure.pk}"] = forms.DecimalField(
                label=f"Reading: {measure.text}",
                required=False,
                min_value=Decimal(0),
                max_digits=12,
                decimal_places=2,
                help_text=hint + ". Leave blank if there is nothing new to report.",
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}
                ),
                error_messages={
                    "invalid": f"Enter the reading for “{measure.text}” as a number.",
                    "min_value": f"The reading for “{measure.text}” cannot be negative.",
                },
            )

    def clean_based_on(self):
        value = self.cleaned_data["based_on"]
        if value == NONE_YET:
            return None
        try:
            return int(value)
        except ValueError:
            raise ValidationError("The form was damaged; open the action again.") from None

    def clean(self):
        """The rules of services.check_update_rules, on what could be read.

        A field that could not be read already says why: it stands in as blank (the date as
        today) and gets no second error. A status that could not be read (a damaged form)
        leaves the rules for the next try, as most of them turn on it.
        """
        data = super().clean()
        if "status" in self.fields and "status" not in data:
            return data
        try:
            self.counted = services.check_update_rules(
                action=self.action,
                status=data.get("status", ""),
                rag=data.get("rag", ""),
                narrative=data.get("narrative", ""),
                reported_on=data.get("reported_on") or timezone.localdate(),
                readings=self.readings(),
                period=data.get("period"),
            )
        except ValidationError as invalid:
            add_refusal(self, invalid)
        return data

    def readings(self) -> dict[Measure, Decimal]:
        """The readings entered that could be read."""
        return {
            m: self.cleaned_data[f"reading_{m.pk}"]
            for m in self.numeric_measures
            if self.cleaned_data.get(f"reading_{m.pk}") is not None
        }

    def service_arguments(self) -> dict:
        """What services.record_update takes from this form."""
        data = self.cleaned_data
        return {
            "status": data.get("status", ""),
            "rag": data.get("rag", ""),
            "narrative": data["narrative"].strip(),
            "period": data.get("period"),
            "reported_on": data["reported_on"],
            "readings": self.readings(),
            "based_on": data["based_on"],
            "version": data["version"],
        }


class ActionDetailsForm(forms.Form):
    """A coordinator's change to an action's details; the agencies offered are the
    partnership's (its list, and any its records name: the action's own among them)."""

    title = forms.CharField(
        error_messages={"required": "Enter the action"},
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    lead_agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="No lead agency",
        error_messages={"invalid_choice": "Select the lead agency from the partnership's agencies"},
    )
    lead_wording = forms.CharField(
        label="Lead as printed in the plan",
        required=False,
        max_length=300,
        help_text="Only where the plan prints more than the agency's name, e.g. \"Kent Police & "
        'ABC Licensing".',
    )
    support_agencies = forms.ModelMultipleChoiceField(
        label="Support agencies",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (or Cmd) to choose several.",
        error_messages={
            "invalid_choice": "Select support agencies from the partnership's agencies"
        },
    )
    support_wording = forms.CharField(
        label="Support as printed in the plan",
        required=False,
        max_length=300,
        help_text='Support the plan names that is no agency, such as "ALL".',
    )
    target_date = forms.DateField(label="Target date", required=False, widget=DateInput)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.for_partnership(partnership).order_by("name")
        self.fields["lead_agency"].queryset = agencies
        self.fields["support_agencies"].queryset = agencies


class MeasureForm(forms.Form):
    """One measure of success: its words and, where it is a number, target and baseline."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        error_messages={"required": "Enter the measure of success"},
        label="Measure of success",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    is_numeric = forms.BooleanField(label="Measured by a number", required=False)
    target = forms.DecimalField(
        label="Target",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="Leave blank while the target is TBC.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )
    unit = forms.CharField(label="Unit", required=False, max_length=200)
    baseline = forms.DecimalField(
        label="Baseline",
        required=False,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("is_numeric") and (
            data.get("target") is not None or data.get("baseline") is not None
        ):
            self.add_error(
                "is_numeric", "A target or baseline needs the measure to be measured by a number."
            )
        return data


class ActionAddForm(ActionDetailsForm):
    """A new action: its number as printed and its details, in the plan's own words."""

    ref = forms.CharField(
        label="Number as printed",
        required=False,
        max_length=20,
        help_text="For example 12 or 3a. Leave blank to print none.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    field_order = ["ref", "title"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, partnership=plan.partnership, **kwargs)
        del self.fields["version"]
        self.fields["title"].label = plan.action_label
        self.fields["title"].error_messages["required"] = f"Enter the {plan.action_label.lower()}"
        if plan.lead_label:
            self.fields["lead_agency"].label = plan.lead_label
        self.fields["support_agencies"].label = plan.support_label


MeasureFormSet = forms.formset_factory(MeasureForm, extra=1, max_num=30, validate_max=True)


# Update rounds, and the steps of a plan's lifecycle.


class RoundForm(forms.Form):
    """A coordinator opens an update round; services.check_reporting_period has the rules."""

    name = forms.CharField(
        label="Name of the round",
        max_length=60,
        help_text="As the partnership calls it, for example “Q3 2015/16”.",
        error_messages={"required": "Enter the name of the round"},
    )
    slug = forms.SlugField(
        label="Short name for web addresses (optional)",
        required=False,
        max_length=30,
        help_text="Letters, numbers and hyphens. Leave it blank to make one from the name: "
        "“Q3 2015/16” becomes “q3-2015-16”.",
        error_messages={
            "invalid": "The short name may use only letters, numbers, hyphens and underscores",
            "max_length": "The short name must be 30 characters or fewer",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    start = forms.DateField(
        label="First day",
        widget=DateInput,
        error_messages={
            "required": "Enter the first day of the round",
            "invalid": "Enter the first day as a date",
        },
    )
    end = forms.DateField(
        label="Last day",
        widget=DateInput,
        error_messages={
            "required": "Enter the last day of the round",
            "invalid": "Enter the last day as a date",
        },
    )
    due = forms.DateField(
        label="Updates due by",
        widget=DateInput,
        help_text="The day officers are asked to report by: on or after the last day.",
        error_messages={
            "required": "Enter the day updates are due",
            "invalid": "Enter the due day as a date",
        },
    )


class ReopenRoundForm(forms.Form):
    """Reopening a closed round, for a reason."""

    reason = reason_field(
        "Why reopen the round?",
        "For example, an agency's update arrived late.",
        "Say why the round is being reopened",
    )


class PlanStepForm(forms.Form):
    """Confirming a step of a plan's lifecycle: carries the plan as the page showed it
    (plans.services.plan_state), so that a change made meanwhile is not confirmed unseen."""

    based_on = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, plan=None, **kwargs):
        if plan is not None:
            state = plan_state(plan)
            kwargs.setdefault("initial", {"based_on": NONE_YET if state is None else state})
        super().__init__(*args, **kwargs)

    def clean_based_on(self):
        value = self.cleaned_data["based_on"]
        if value == NONE_YET:
            return None
        try:
            return int(value)
        except ValueError:
            raise ValidationError(DAMAGED) from None

    def clean(self):
        data = super().clean()
        name_hidden_errors(self)
        return data


class UnpublishForm(PlanStepForm):
    """Taking a plan back from the public, for a reason."""

    reason = reason_field(
        "Why unpublish the plan?",
        "For example, a correction is needed before residents read it again.",
        "Say why the plan is being unpublished",
    )


# The import pages: the upload, and the confirmation of a previewed import.
class UploadForm(forms.Form):
    """The plan spreadsheet a coordinator uploads."""

    file = forms.FileField(
        label="Upload the plan",
        help_text="The template filled in, as Excel (.xlsx) or CSV, up to 5 MB.",
        error_messages={
            "required": "Select a CSV or Excel file to import",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV or Excel file to import",
        },
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB")
        return upload


class ConfirmForm(forms.Form):
    """Confirming a previewed import; new agencies are confirmed with a tick."""

    token = forms.CharField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput)
    add_agencies = forms.BooleanField(
        label="Add these agencies to the list of agencies",
        required=False,
        help_text="Check each name: an agency that is already on the list under another name "
        "would be added twice. Correct the file and upload it again if one is.",
        error_messages={"required": "Confirm that the new agencies should be added"},
    )

    def __init__(self, *args, new_agencies: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self._ask_about_agencies(new_agencies)

    def confirms(self, preview) -> bool:
        """Whether the posted form confirms the preview being applied (its new agencies ticked).

        importing.import_file asks, inside its transaction, once the preview is known to be
        the one the coordinator saw; the form's errors then say what is missing.
        """
        self._ask_about_agencies(len(preview.new_agencies))
        return self.is_valid()

    def _ask_about_agencies(self, count: int) -> None:
        """The tick is shown, and required, only when the import adds agencies."""
        if not count:
            self.fields.pop("add_agencies", None)
            return
        field = self.fields["add_agencies"] = copy.deepcopy(self.base_fields["add_agencies"])
        field.required = True
        field.label = (
            "Add this agency to the list of agencies"
            if count == 1
            else f"Add these {count} agencies to the list of agencies"
        )
