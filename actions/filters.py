"""The filters of a partnership's action list: everything in the URL, so a list is bookmarkable."""

import django_filters
from django import forms
from django.db.models import F, Q

from actions.models import Action, Rag, ReportingPeriod, Status
from plans.models import Agency, EmergingIssue, Plan, Priority

#: The RAG filter's value for actions not yet rated.
NO_RAG = "none"
#: The lead agency filter's value, and its label, for actions without a single lead agency.
NO_LEAD = "null"
NO_LEAD_LABEL = "No single lead agency"


class CheckboxFilter(django_filters.BooleanFilter):
    """A yes-only checkbox: ticked filters, unticked shows everything."""

    field_class = forms.BooleanField


class NullsLastOrdering(django_filters.OrderingFilter):
    """Sorting where actions without a date come last, whichever way the list is sorted."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = self.param_map[param.lstrip("-")]
        expression = F(field)
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", method="search", help_text="Words from the action or its reference"
    )
    plan = django_filters.ModelChoiceFilter(label="Plan", queryset=None, empty_label="All plans")
    priority = django_filters.ModelChoiceFilter(
        label="Priority", field_name="issue__priority", queryset=None, empty_label="All"
    )
    issue = django_filters.ModelChoiceFilter(
        label="Emerging issue", queryset=None, empty_label="All"
    )
    lead_agency = django_filters.ModelChoiceFilter(
        label="Lead agency",
        queryset=None,
        empty_label="Any",
        null_label=NO_LEAD_LABEL,
        null_value=NO_LEAD,
    )
    support_agency = django_filters.ModelChoiceFilter(
        label="Support agency",
        field_name="support_agencies",
        queryset=None,
        empty_label="Any",
        distinct=True,
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status", choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    rag = django_filters.MultipleChoiceFilter(
        label="RAG",
        choices=[*Rag.choices, (NO_RAG, "No rating yet")],
        widget=forms.CheckboxSelectMultiple,
        method="rag_in",
    )
    overdue = CheckboxFilter(label="Overdue: target date passed, not completed", method="only_true")
    period = django_filters.ChoiceFilter(
        label="Reporting period",
        method="in_period",
        choices=[],
        empty_label="The current one",
        help_text="The round the next two filters look at.",
    )
    no_update = CheckboxFilter(label="No update in the reporting period", method="not_updated")
    updated = CheckboxFilter(label="Updated in the reporting period", method="was_updated")
    sort = NullsLastOrdering(
        label="Sort by",
        fields=(("number", "number"), ("target_date", "target_date"), ("last_reported_on", "last")),
        field_labels={"number": "Number", "target_date": "Target date", "last": "Last update"},
        empty_label="Plan order",
    )

    class Meta:
        model = Action
        fields = []

    def __init__(self, data=None, *args, partnership, plans, **kwargs):
        super().__init__(data, *args, **kwargs)
        plans = list(plans)
        self.partnership = partnership
        plan_ids = [p.pk for p in plans]
        agencies_in_use = Agency.objects.filter(
            Q(led_actions__plan_id__in=plan_ids) | Q(supported_actions__plan_id__in=plan_ids)
        ).distinct()
        self.filters["plan"].queryset = Plan.objects.filter(pk__in=plan_ids).select_related(
            "partnership"
        )
        self.filters["issue"].label = " / ".join(dict.fromkeys(p.issue_label for p in plans)) or (
            "Emerging issue"
        )
        self.filters["priority"].label = " / ".join(
            dict.fromkeys(p.priority_label for p in plans)
        ) or ("Priority")
        self.filters["priority"].queryset = Priority.objects.filter(plan_id__in=plan_ids)
        self.filters["issue"].queryset = EmergingIssue.objects.filter(plan_id__in=plan_ids)
        self.filters["period"].extra["choices"] = period_choices(plan_ids)
        self.filters["lead_agency"].queryset = agencies_in_use.order_by("name")
        self.filters["support_agency"].queryset = agencies_in_use.order_by("name")

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(ref__iexact=word) | Q(issue__title__icontains=word)
            )
        return queryset

    def only_true(self, queryset, name, value):
        return queryset.filter(**{name: True}) if value else queryset

    def rag_in(self, queryset, name, values):
        if not values:
            return queryset
        chosen = Q(rag__in=[v for v in values if v != NO_RAG])
        if NO_RAG in values:
            chosen |= Q(rag="")
        return queryset.filter(chosen)

    def in_period(self, queryset, name, slug):
        """Judge "updated" against the named round of each action's plan, not the current."""
        return queryset.in_round(slug) if slug else queryset

    def not_updated(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(current_period_id__isnull=False, updated_this_period=False)

    def was_updated(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(updated_this_period=True)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.in_list_order()
        return queryset

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(
            v not in (None, "", [], False) for k, v in self.form.cleaned_data.items() if k != "sort"
        )


def period_choices(plan_ids: list[int]) -> list[tuple[str, str]]:
    """The reporting rounds of the plans, one choice per slug ("q3"), in date order, named as
    each plan names it ("Q3 2015/16 / Q3 2016/17")."""
    names: dict[str, list[str]] = {}
    rounds = ReportingPeriod.objects.filter(plan_id__in=plan_ids).order_by("start", "pk")
    for slug, name in rounds.values_list("slug", "name"):
        names.setdefault(slug, [])
        if name not in names[slug]:
            names[slug].append(name)
    return [(slug, " / ".join(labels)) for slug, labels in names.items()]
