"""Forms a coordinator records meetings with; they parse and validate, services save."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from actions.models import Action
from csp_tracker import permissions
from csp_tracker.forms import DateInput, TimeInput, name_hidden_errors, reason_field
from meetings.models import Attendance, Body, Declaration, Meeting, Minute, Person, year_label
from plans.models import Membership, Plan, Priority


class MeetingForm(forms.Form):
    """When and where a meeting is, whether it was held, and when it finished."""

    date = forms.DateField(
        error_messages={"required": "Enter the date of the meeting"}, widget=DateInput
    )
    start_time = forms.TimeField(label="Start time", required=False, widget=TimeInput)
    venue = forms.CharField(
        max_length=300,
        required=False,
        help_text="For example, Austen Room, Council Offices, Cecil Street, Margate.",
    )
    status = forms.ChoiceField(
        error_messages={"required": "Select whether the meeting is scheduled, held or cancelled"},
        choices=Meeting.Status.choices,
        widget=forms.RadioSelect,
    )
    concluded_at = forms.TimeField(
        label="Meeting concluded",
        required=False,
        widget=TimeInput,
        help_text="The time printed at the end of the minutes, once the meeting was held.",
    )
    record_label = forms.CharField(
        error_messages={"required": "Enter what its record is called, such as Minutes or Notes"},
        label="Its record is called",
        max_length=20,
        initial="Minutes",
        help_text='"Minutes", or "Notes" as the Kent partnership calls them.',
    )
    contact = forms.CharField(label="Contact", max_length=300, required=False)
    agenda_notes = forms.CharField(
        label="Notes on the agenda's front page",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("concluded_at") and data.get("status") != Meeting.Status.HELD:
            self.add_error("concluded_at", "Only a meeting that was held has concluded.")
        return data

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class PublicationForm(forms.Form):
    """Publishing a meeting, or withdrawing it for a reason: carries which of the two the
    page offered and the meeting's version it showed."""

    publish = forms.ChoiceField(choices=[("yes", "Publish"), ("no", "Withdraw")])
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = reason_field(
        "Why withdraw the meeting?",
        "For example, the minutes name someone they should not.",
        "Say why the meeting is being withdrawn",
    )

    def __init__(self, *args, withdrawing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish"].widget = forms.HiddenInput()
        if not withdrawing:
            del self.fields["reason"]

    def clean(self):
        data = super().clean()
        name_hidden_errors(self)
        return data


class NumberingForm(forms.Form):
    """Where the body's minute numbers start in a municipal year."""

    year = forms.TypedChoiceField(
        error_messages={"required": "Select the municipal year"}, label="Municipal year", coerce=int
    )
    first_number = forms.IntegerField(
        error_messages={"required": "Enter the number of the year's first minute"},
        label="First minute number",
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, year_label(y)) for y in years]


class AttendanceForm(forms.Form):
    """Someone at the meeting (or sending apologies): picked from the people named at the
    partnership's meetings and its members, or named as the minutes print it."""

    person = forms.ChoiceField(
        label="Who",
        required=False,
        help_text="People already named at the partnership's meetings, then its members.",
    )
    name = forms.CharField(
        label="Or someone not on the list",
        max_length=200,
        required=False,
        help_text='Their name as the minutes print it: "Councillor Falcon", "Mr S Peerbux".',
    )
    kind = forms.ChoiceField(
        error_messages={
            "required": "Select how they are recorded: present, apologies or in attendance"
        },
        label="Recorded as",
        choices=Attendance.Kind.choices,
        widget=forms.RadioSelect,
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "None"), *Attendance.Role.choices],
        required=False,
        widget=forms.RadioSelect,
        initial="",
    )
    description = forms.CharField(
        max_length=300,
        required=False,
        help_text='Printed in brackets after the name, e.g. "Head of Community Safety".',
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting.minutes_approved:
            self.fields["correction"] = _correction_field()
        partnership_id = meeting.body.partnership_id
        recorded = Attendance.objects.filter(meeting=meeting).values("person_id")
        people = list(
            Person.objects.filter(partnership_id=partnership_id)
            .exclude(pk__in=recorded)
            .select_related("agency")
            .order_by("name")
        )
        named_users = Person.objects.filter(partnership_id=partnership_id, user__isnull=False)
        members = list(
            Membership.objects.filter(partnership_id=partnership_id)
            .exclude(user__in=named_users.values("user_id"))
            .select_related("user", "agency")
            .order_by("user__first_name", "user__last_name", "user__username")
        )
        self._people = {f"person-{p.pk}": p for p in people}
        self._members = {f"member-{m.user_id}": m.user for m in members}
        self.fields["person"].choices = [
            ("", "Choose someone"),
            (
                "People named at the partnership's meetings",
                [(key, _person_label(p)) for key, p in self._people.items()],
            ),
            (
                "Members of the partnership",
                [(f"member-{m.user_id}", _member_label(m)) for m in members],
            ),
        ]

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("name") or "").strip():
            self.add_error("person", "Choose who attended, or enter the name of someone else")
        elif data.get("person") and (data.get("name") or "").strip():
            self.add_error("name", "Choose someone from the list or enter a name, not both")
        if data.get("role") and data.get("kind") != Attendance.Kind.PRESENT:
            self.add_error("role", "Only someone present can take the chair.")
        return data

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        picked = data.pop("person")
        if picked in self._people:
            data["person"] = self._people[picked]
        elif picked in self._members:
            data["member"] = self._members[picked]
        return data


def _correction_field() -> forms.CharField:
    return forms.CharField(
        label="Why is this correction made?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The minutes are approved: this change is shown as a correction, with the "
        "reason, who made it and when.",
        error_messages={"required": "Say why this correction is made"},
    )


class RemovalForm(forms.Form):
    """Taking someone off the attendance; once the minutes are approved, with the reason."""

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting.minutes_approved:
            self.fields["correction"] = _correction_field()


def _person_label(person: Person) -> str:
    detail = [
        d for d in [person.job_title, person.agency.abbreviation if person.agency else ""] if d
    ]
    return f"{person.name} ({', '.join(detail)})" if detail else person.name


def _member_label(membership: Membership) -> str:
    user = membership.user
    name = user.get_full_name() or user.get_username()
    detail = [membership.get_role_display()]
    if membership.agency_id:
        detail.append(membership.agency.abbreviation or membership.agency.name)
    return f"{name} ({', '.join(detail)})"


class AgendaItemForm(forms.Form):
    """An item added at the end of the agenda."""

    section = forms.CharField(
        max_length=200, required=False, help_text='The heading, e.g. "B. Matters for Discussion".'
    )
    code = forms.CharField(
        max_length=10,
        required=False,
        help_text="For example A1 or B2.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4"}),
    )
    title = forms.CharField(error_messages={"required": "Enter the item's title"}, max_length=500)
    presenter = forms.CharField(max_length=300, required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    restricted = forms.BooleanField(
        label="Restricted: not for publication",
        required=False,
        help_text="Only coordinators, board members and those granted it will see it.",
    )
    paper_plan = forms.ModelChoiceField(
        label="Attach a plan's progress report",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="No plan",
    )
    paper_meeting = forms.ModelChoiceField(
        label="Attach the minutes of an earlier meeting",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="No minutes",
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paper_plan"].queryset = Plan.objects.filter(
            partnership_id=meeting.body.partnership_id
        ).order_by("-period_start")
        self.fields["paper_meeting"].queryset = (
            Meeting.objects.filter(body_id=meeting.body_id, date__lt=meeting.date)
            .select_related("body")
            .order_by("-date")
        )


class PaperUploadForm(forms.Form):
    """A PDF uploaded as a paper of an agenda item."""

    file = forms.FileField(
        label="PDF file",
        error_messages={"required": "Choose a PDF file to upload", "empty": "The file is empty"},
        widget=forms.FileInput(
            attrs={"class": "govuk-file-upload", "accept": "application/pdf,.pdf"}
        ),
    )
    title = forms.CharField(
        label="Title of the paper",
        max_length=300,
        required=False,
        help_text="As the pack prints it. Leave blank to use the file's name.",
    )

    def __init__(self, *args, max_mb: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"A PDF smaller than {max_mb} MB."


class ProgressPaperForm(forms.Form):
    """The plan's progress report as at a day, attached as a paper of an agenda item."""

    plan = forms.ModelChoiceField(
        label="Plan",
        queryset=Plan.objects.none(),
        empty_label="Choose a plan",
        error_messages={"required": "Choose the plan whose progress report to attach"},
    )
    as_at = forms.DateField(
        label="Progress as at",
        widget=DateInput,
        help_text="The day the report shows progress as at, for example the day papers go out.",
        error_messages={"required": "Enter the day the report is as at"},
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans.select_related("partnership").order_by(
            "partnership__name", "-period_start"
        )
        self.fields["plan"].label_from_instance = lambda plan: f"{plan.partnership}: {plan}"
        if not self.is_bound:
            self.initial.setdefault("as_at", timezone.localdate())


class ApprovalForm(forms.Form):
    """Approving a meeting's minutes: carries the meeting's version the page showed."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        name_hidden_errors(self)
        return data


class DeclarationForm(forms.Form):
    """A declaration of interest."""

    name = forms.CharField(
        error_messages={"required": "Enter who declared the interest"},
        label="Who declared it",
        max_length=200,
    )
    kind = forms.ChoiceField(
        error_messages={"required": "Select the kind of interest"},
        label="Kind of interest",
        choices=Declaration.Kind.choices,
        widget=forms.RadioSelect,
    )
    item_code = forms.CharField(
        label="Agenda item",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4"}),
    )
    interest = forms.CharField(
        error_messages={"required": "Enter the interest declared"},
        label="The interest",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    restricted = forms.BooleanField(label="Restricted: not for publication", required=False)


class MeetingActionForm(forms.Form):
    """An action arising from the meeting."""

    description = forms.CharField(
        error_messages={"required": "Enter the action arising"},
        label="Action arising",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    minute = forms.ModelChoiceField(
        label="From minute", queryset=Minute.objects.none(), required=False, empty_label="None"
    )
    owner = forms.CharField(
        label="Who will do it",
        max_length=200,
        required=False,
        help_text="A person's name, as the minutes print it.",
    )
    due_date = forms.DateField(label="Due date", required=False, widget=DateInput)
    restricted = forms.BooleanField(label="Restricted: not for publication", required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minute"].queryset = Minute.objects.filter(meeting=meeting).order_by("number")


class ActionDoneForm(forms.Form):
    """What was done about an action arising, recorded at a later meeting or in between."""

    outcome = forms.CharField(
        error_messages={"required": "Enter what was done"},
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    at_meeting = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MinuteForm(forms.Form):
    """A minute: its number, title, the discussion, the decision and what it cites."""

    number = forms.IntegerField(
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )
    item_code = forms.CharField(
        label="Agenda item",
        max_length=10,
        required=False,
        help_text="The code of the item it records, e.g. A3.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4"}),
    )
    title = forms.CharField(error_messages={"required": "Enter the minute's title"}, max_length=500)
    discussion = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Paragraphs split by a blank line; lines starting with “- ” make a list.",
    )
    resolution = forms.CharField(
        label="RESOLVED",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The decision, printed in bold after “RESOLVED”: “that the report be noted.”",
    )
    restricted = forms.BooleanField(
        label="Restricted: not for publication",
        required=False,
        help_text="A minute of a restricted agenda item is restricted whatever you choose.",
    )
    priorities = forms.ModelMultipleChoiceField(
        label="Priorities it discussed",
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actions = forms.ModelMultipleChoiceField(
        label="Plan actions it discussed",
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        meeting: Meeting,
        user,
        minute: Minute | None = None,
        next_number=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if meeting.minutes_approved:
            self.fields["correction"] = _correction_field()
        if next_number is not None:
            self.fields["number"].help_text = f"Leave blank for the next number, {next_number}."
        plans = _citable_plans(meeting, user)
        cited_priorities = minute.priorities.values("pk") if minute else []
        cited_actions = minute.actions.values("pk") if minute else []
        self.fields["priorities"].queryset = (
            Priority.objects.filter(Q(plan__in=plans) | Q(pk__in=cited_priorities))
            .select_related("plan__partnership")
            .order_by("-plan__period_start", "plan_id", "position")
        )
        self.fields["actions"].queryset = (
            Action.objects.filter(Q(plan__in=plans) | Q(pk__in=cited_actions))
            .select_related("plan__partnership")
            .order_by("-plan__period_start", "plan_id", "number")
        )
        # Name the plan beside each choice only when there is more than one to choose from.
        plan_ids = {
            *self.fields["actions"].queryset.values_list("plan_id", flat=True),
            *self.fields["priorities"].queryset.values_list("plan_id", flat=True),
        }
        several_plans = len(plan_ids) > 1
        if several_plans:
            self.fields["priorities"].label_from_instance = lambda p: f"{p.title} ({p.plan})"
            self.fields["actions"].label_from_instance = _action_label_with_plan
        else:
            self.fields["priorities"].label_from_instance = lambda p: p.title
            self.fields["actions"].label_from_instance = _action_label


def _action_label(action: Action) -> str:
    return f"{action.ref_display or action.number} {action.title.splitlines()[0]}"


def _action_label_with_plan(action: Action) -> str:
    return f"{_action_label(action)} ({action.plan})"


def _citable_plans(meeting: Meeting, user):
    """The plans a minute may cite: the body's partnership's (a county's, also its districts')
    that were running at the time of the meeting and that the user may read."""
    partnership = meeting.body.partnership
    return permissions.visible_plans(user).filter(
        partnership__in=[partnership.pk, *partnership.members.values_list("pk", flat=True)],
        period_start__lte=meeting.date,
        period_end__gte=meeting.date,
    )


class TrackerForm(forms.Form):
    """Filters of the actions arising tracker."""

    status = forms.ChoiceField(
        choices=[("open", "Open"), ("done", "Done"), ("", "All")],
        required=False,
        widget=forms.RadioSelect,
    )
    body = forms.ModelChoiceField(
        label="Body", queryset=Body.objects.none(), required=False, empty_label="All bodies"
    )

    def __init__(self, data=None, *, bodies, **kwargs):
        if data is None:
            data = {"status": "open"}
        super().__init__(data, **kwargs)
        self.fields["body"].queryset = bodies


class SearchForm(forms.Form):
    q = forms.CharField(
        error_messages={"required": "Enter words to search for"},
        label="Search minutes, agendas and actions arising",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
