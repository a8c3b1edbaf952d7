"""What every app's forms and form views share: the GOV.UK form renderer, the date and time
inputs, and the one way a view turns what a service refused into the form's errors and the
page's status."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

from csp_tracker.editing import HISTORY_REASON_LENGTH


class GovukFormRenderer(TemplatesSetting):
    """Render fields with GOV.UK Design System markup (label, hint, error message)."""

    field_template_name = "forms/field.html"
    form_template_name = "forms/form.html"


class DateInput(forms.DateInput):
    """A date picker that sends ISO dates, at the GOV.UK width for a date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d"
        )


class TimeInput(forms.TimeInput):
    """A time picker (hours and minutes)."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input--width-5", **(attrs or {})}, format="%H:%M")


def reason_field(label: str, hint: str, missing: str, *, required: bool = True) -> forms.CharField:
    """Why someone takes something back (unpublishes, withdraws, reopens): the change reason
    of its history record, so no longer than that column."""
    return forms.CharField(
        label=label,
        required=required,
        help_text=f"{hint} Up to {HISTORY_REASON_LENGTH} characters; it is kept in the history.",
        max_length=HISTORY_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": missing,
            "max_length": f"The reason must be {HISTORY_REASON_LENGTH} characters or fewer",
        },
    )


#: What a form says when a hidden field did not come back as the page sent it.
DAMAGED = "The form was damaged: open the page again and try once more."


def name_hidden_errors(form) -> None:
    """A hidden field that came back wrong (a damaged or hand-made form) is said above the
    form, where the error summary shows it, rather than on a field nobody can see."""
    for name in [n for n in form.errors if n in form.fields and form.fields[n].widget.is_hidden]:
        del form.errors[name]
        form.add_error(None, DAMAGED)


def posted(request):
    """The submitted data, or None for a GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def add_refusal(form, refusal: ValidationError, *, fields: dict[str, str] | None = None) -> None:
    """A service's refusal shown on the form: each message on the field it names, where the
    form has that field (`fields` renames a service's argument to the form's field, e.g.
    {"person": "name"}), the others above the form. A field that already says what is wrong
    with it keeps its own message only."""
    if not hasattr(refusal, "error_dict"):
        form.add_error(None, refusal.messages)
        return
    for name, messages in refusal.message_dict.items():
        name = (fields or {}).get(name, name)
        if name not in form.fields:
            form.add_error(None, messages)
        elif name not in form.errors:
            form.add_error(name, messages)


def form_status(*forms_shown, conflict=None) -> int:
    """The status of a page that shows forms: 409 when someone else saved first, 422 when a
    form has errors (a formset's included), else 200."""
    if conflict is not None:
        return 409
    if any(_has_errors(form) for form in forms_shown):
        return 422
    return 200


def _has_errors(form) -> bool:
    if hasattr(form, "total_error_count"):
        return form.total_error_count() > 0
    return bool(form.errors)
