"""Forms of plan authoring: the plan itself, a priority, an emerging issue, a section, a
glossary entry, a contact; moving a row and removing one. They parse and validate; the
services in plans/authoring.py save. Labels use the plan's own words for its levels."""

from django import forms

from csp_tracker.forms import DateInput, name_hidden_errors, reason_field
from plans.authoring import DOWN, UP
from plans.models import Agency, Contact, GlossaryTerm, Plan, PlanSection, Priority


class VersionedForm(forms.Form):
    """A form that carries the version of the row it edits (absent when it adds one)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        name_hidden_errors(self)
        return data


def _text(label, *, required=False, rows=None, max_length=None, help_text="", missing=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    errors = {"required": missing} if missing else {}
    if max_length:
        errors["max_length"] = f"{label} must be {max_length} characters or fewer"
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=widget,
        help_text=help_text,
        error_messages=errors,
    )


LABEL_HINTS = {
    "priority_label": (
        "What the plan calls a priority",
        'Most plans: "Priority"; Medway: "Theme".',
    ),
    "issue_label": (
        "What the plan calls the level under a priority",
        'Thanet: "Emerging issue"; Ashford: "Aim"; Medway: "Objective".',
    ),
    "action_label": ("What the plan calls an action", 'Usually "Action".'),
    "lead_label": ("Heading of the lead column", "Leave blank if the plan names no lead."),
    "support_label": ("Heading of the support column", 'For example "Support agencies".'),
    "measures_label": (
        "Heading of the measures column",
        "Leave blank if the plan has no measures of success.",
    ),
    "impacts_label": (
        "Question of the “impacts other priorities” ticks",
        "For example “Which of the other current priorities does this impact upon?”. Leave "
        "blank if the plan has no tick columns.",
    ),
}


class PlanForm(VersionedForm):
    """A plan's title, period and its own words for its levels."""

    title = _text("Title", required=True, max_length=300, missing="Enter the plan's title")
    kind = forms.ChoiceField(label="Kind of plan", choices=Plan.Kind.choices)
    period_start = forms.DateField(
        label="Period starts",
        widget=DateInput,
        error_messages={"required": "Enter the day the plan's period starts"},
    )
    period_end = forms.DateField(
        label="Period ends",
        widget=DateInput,
        error_messages={"required": "Enter the day the plan's period ends"},
    )
    priority_label = _text(*LABEL_HINTS["priority_label"][:1], required=True, max_length=60)
    issue_label = _text(*LABEL_HINTS["issue_label"][:1], required=True, max_length=60)
    action_label = _text(*LABEL_HINTS["action_label"][:1], required=True, max_length=60)
    lead_label = _text(LABEL_HINTS["lead_label"][0], max_length=60)
    support_label = _text(LABEL_HINTS["support_label"][0], required=True, max_length=60)
    measures_label = _text(LABEL_HINTS["measures_label"][0], max_length=60)
    impacts_label = _text(LABEL_HINTS["impacts_label"][0], max_length=200)
    document_status = _text(
        "Marking printed on the document",
        max_length=60,
        help_text='For example "Draft". Leave blank for none.',
    )
    refresh = _text("Refresh", max_length=60, help_text='For example "2019 Refresh".')
    introduction = _text("Introduction", rows=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, hint) in LABEL_HINTS.items():
            field = self.fields[name]
            field.help_text = hint
            field.error_messages["required"] = f"Enter {label[0].lower()}{label[1:]}"

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", "The period must end after it starts")
        return data


class NewPlanForm(PlanForm):
    """Starting a plan: the same fields, with the labels most plans use filled in."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "kind": Plan.Kind.ANNUAL,
                "priority_label": "Priority",
                "issue_label": "Emerging issue",
                "action_label": "Action",
                "lead_label": "Lead agency",
                "support_label": "Support agencies",
                "measures_label": "Measures of success",
                "document_status": "Draft",
            },
        )
        super().__init__(*args, **kwargs)


class PriorityForm(VersionedForm):
    """A priority (or cross-cutting theme): named in the plan's word for it."""

    title = _text("Title", required=True, max_length=300)
    heading = _text("Heading as printed", max_length=300, help_text="Only where it differs.")
    kind = forms.ChoiceField(label="Kind", choices=Priority.Kind.choices)
    lead_agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="No lead agency",
        error_messages={"invalid_choice": "Select the lead from the partnership's agencies"},
    )
    lead_wording = _text(
        "Lead as printed in the plan",
        max_length=300,
        help_text="Only where the plan prints more than the agency's name.",
    )
    summary = _text("Summary", rows=3)
    evidence = _text("Evidence", rows=5, help_text="Why this is a priority: the figures behind it.")
    aims = _text("Aims", rows=4, help_text="One aim per line.")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        word = plan.priority_label
        self.fields["title"].error_messages["required"] = f"Enter the {word.lower()}'s title"
        self.fields["title"].label = f"{word} title"
        agencies = Agency.objects.for_partnership(plan.partnership).order_by("name")
        self.fields["lead_agency"].queryset = agencies
        if plan.evidence_label:
            self.fields["evidence"].label = plan.evidence_label


class IssueForm(VersionedForm):
    """An emerging issue (an aim, an objective): its number as printed, its words, and the
    other priorities it impacts."""

    priority = forms.ModelChoiceField(
        queryset=Priority.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the plan's priorities"},
    )
    ref = _text(
        "Number as printed",
        max_length=20,
        help_text="For example 3 or 3a. Leave blank to print none.",
    )
    title = _text("Title", required=True, rows=3, max_length=2000)
    description = _text("Description", rows=4)
    impacts = forms.ModelMultipleChoiceField(
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Tick only the plan's other priorities"},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        priorities = plan.priorities.order_by("position")
        word = plan.issue_label
        self.fields["priority"].queryset = priorities
        self.fields["priority"].label = plan.priority_label
        self.fields["title"].label = f"{word} title"
        self.fields["title"].error_messages["required"] = f"Enter the {word.lower()}"
        self.fields["impacts"].queryset = priorities
        self.fields["impacts"].label = (
            plan.impacts_label
            or f"Which other {plan.priority_label.lower()} does this impact upon?"
        )
        self.fields["impacts"].help_text = "Leave its own unticked."
        if not plan.shows_impacts:  # the plan prints no tick columns
            del self.fields["impacts"]

    def clean(self):
        data = super().clean()
        own = data.get("priority")
        if own and own in (data.get("impacts") or []):
            self.add_error("impacts", f"Leave “{own}” unticked: it is the one this is under")
        return data


class SectionForm(VersionedForm):
    """A narrative section of the published document."""

    kind = forms.ChoiceField(label="Kind of section", choices=PlanSection.Kind.choices)
    number = _text("Number as printed", max_length=10, help_text="For example 2.1. Optional.")
    title = _text("Heading", required=True, max_length=300, missing="Enter the section's heading")
    body = _text(
        "Text",
        rows=12,
        help_text="Leave a blank line between paragraphs; start a line with “- ” for a list.",
    )


class GlossaryForm(VersionedForm):
    term = _text("Term", required=True, max_length=200, missing="Enter the term")
    definition = _text("What it means", required=True, rows=3, missing="Enter what it means")


class ContactForm(VersionedForm):
    name = _text("Name", required=True, max_length=200, missing="Enter the contact's name")
    phone = _text("Phone number or address", max_length=100)
    notes = _text("Notes", rows=3)


#: Each document part's form.
PART_FORMS = {PlanSection: SectionForm, GlossaryTerm: GlossaryForm, Contact: ContactForm}


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[(UP, "Up"), (DOWN, "Down")])


class RemovalForm(forms.Form):
    reason = reason_field(
        "Why is it being removed?",
        "For example “Duplicate of another entry”.",
        "Say why it is being removed",
    )
