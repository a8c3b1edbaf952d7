"""Admin where a coordinator can build a plan: partnership → plan → priorities → issues."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from csp_tracker.admin import PartnershipScopedAdmin, VersionedAdmin
from plans import services
from plans.models import (
    Agency,
    CategoryCount,
    CategoryTag,
    Contact,
    EmergingIssue,
    GlossaryTerm,
    Indicator,
    IndicatorValue,
    IssueImpact,
    Membership,
    Partnership,
    Plan,
    PlanSection,
    Priority,
    PriorityCategory,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "agency"]
    readonly_fields = ["version"]


@admin.register(Partnership)
class PartnershipAdmin(PartnershipScopedAdmin, SimpleHistoryAdmin):
    partnership_path = "pk"
    list_display = ["name", "short_name", "kind", "county"]
    list_filter = ["kind"]
    list_select_related = ["county"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["county"]
    inlines = [MembershipInline]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "abbreviation"]
    autocomplete_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(VersionedAdmin, PartnershipScopedAdmin, SimpleHistoryAdmin):
    list_display = ["user", "partnership", "role", "agency", "sees_restricted"]
    list_filter = ["role", "partnership"]
    list_select_related = ["user", "partnership", "agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    autocomplete_fields = ["user", "partnership", "agency"]


class PlanSectionInline(admin.StackedInline):
    model = PlanSection
    extra = 0


class PriorityInline(admin.StackedInline):
    model = Priority
    extra = 0
    fields = ["position", "title", "heading", "kind", "lead_agency", "lead_wording", "aims"]
    autocomplete_fields = ["lead_agency"]
    show_change_link = True


class GlossaryTermInline(admin.TabularInline):
    model = GlossaryTerm
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class CategoryTagInline(admin.TabularInline):
    model = CategoryTag
    extra = 0
    autocomplete_fields = ["category"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "priority" and request.resolver_match.kwargs.get("object_id"):
            plan_id = request.resolver_match.kwargs["object_id"]
            kwargs["queryset"] = Priority.objects.filter(plan_id=plan_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PlanAdminForm(forms.ModelForm):
    """A plan's status moves one step at a time (plans.services.NEXT_STATUS): the choice offers
    only the plan's own status and the next one; a new plan may start at any (one recorded
    after it was agreed). A draft cannot be published."""

    class Meta:
        model = Plan
        fields = ["status", "published_at"]  # the admin asks for its fieldsets' fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "status" in self.fields:
            allowed = services.next_statuses(self.instance)
            self.fields["status"].choices = [c for c in Plan.Status.choices if c[0] in allowed]
            self.fields[
                "status"
            ].help_text = "A plan moves on one step at a time: draft, agreed, live, closed."

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if self.instance.pk and status:
            try:
                services.check_status_change(self.instance, status)
            except ValidationError as error:
                self.add_error("status", error)
        if status and cleaned.get("published_at"):
            try:
                services.check_publishable(status)
            except ValidationError as error:
                self.add_error("published_at", error)
        return cleaned


@admin.register(Plan)
class PlanAdmin(PartnershipScopedAdmin, SimpleHistoryAdmin):
    form = PlanAdminForm
    list_display = ["title", "partnership", "kind", "period_start", "period_end", "status"]
    list_filter = ["status", "kind", "partnership"]
    list_select_related = ["partnership"]
    search_fields = ["title", "partnership__name"]
    date_hierarchy = "period_start"
    autocomplete_fields = ["partnership", "predecessor"]
    fieldsets = [
        (None, {"fields": ["partnership", "title", "slug", "kind", "status", "published_at"]}),
        ("Period", {"fields": ["period_start", "period_end", "predecessor", "refresh"]}),
        (
            "The plan's own words",
            {
                "fields": [
                    "priority_label",
                    "issue_label",
                    "action_label",
                    "lead_label",
                    "support_label",
                    "measures_label",
                    "evidence_label",
                    "impacts_label",
                ]
            },
        ),
        ("Document", {"fields": ["document_status", "introduction", "source", "notes"]}),
    ]
    inlines = [
        PlanSectionInline,
        PriorityInline,
        CategoryTagInline,
        GlossaryTermInline,
        ContactInline,
    ]


class IssueImpactInline(admin.TabularInline):
    model = IssueImpact
    extra = 0
    verbose_name = "impacted priority"
    verbose_name_plural = "other priorities this issue impacts"


class EmergingIssueInline(admin.StackedInline):
    model = EmergingIssue
    extra = 0
    fields = ["number", "ref", "title", "description"]
    show_change_link = True


@admin.register(Priority)
class PriorityAdmin(PartnershipScopedAdmin, SimpleHistoryAdmin):
    partnership_path = "plan__partnership"
    list_display = ["title", "plan", "position", "kind", "lead_agency"]
    list_filter = ["kind", "plan__partnership"]
    list_select_related = ["plan__partnership", "lead_agency"]
    search_fields = ["title", "plan__title"]
    autocomplete_fields = ["plan", "lead_agency"]
    inlines = [EmergingIssueInline]

    def save_formset(self, request, form, formset, change):
        """Issues added under a priority belong to its plan, numbered next in the plan."""
        for issue in formset.save(commit=False):
            if issue.plan_id is None:
                issue.plan = form.instance.plan
            if issue.number is None:
                issue.number = services.next_issue_number(issue.plan)
            issue.save()
        for issue in formset.deleted_objects:
            issue.delete()
        formset.save_m2m()


@admin.register(EmergingIssue)
class EmergingIssueAdmin(PartnershipScopedAdmin, SimpleHistoryAdmin):
    partnership_path = "plan__partnership"
    list_display = ["__str__", "plan", "priority", "number"]
    list_filter = ["plan__partnership"]
    list_select_related = ["plan__partnership", "priority"]
    search_fields = ["title", "ref", "plan__title"]
    autocomplete_fields = ["plan", "priority"]
    inlines = [IssueImpactInline]


@admin.register(PriorityCategory)
class PriorityCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "part_of"]
    list_select_related = ["part_of"]
    search_fields = ["name"]
    autocomplete_fields = ["part_of"]


@admin.register(CategoryCount)
class CategoryCountAdmin(PartnershipScopedAdmin, SimpleHistoryAdmin):
    list_display = ["category", "partnership", "period_label", "districts_count", "section"]
    list_filter = ["partnership", "period_label", "section"]
    list_select_related = ["category", "partnership"]
    search_fields = ["category__name"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    readonly_fields = ["version"]


@admin.register(Indicator)
class IndicatorAdmin(VersionedAdmin, PartnershipScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "partnership", "direction", "target", "unit"]
    list_filter = ["partnership", "direction"]
    list_select_related = ["partnership"]
    search_fields = ["name", "source"]
    autocomplete_fields = ["partnership", "priority"]
    inlines = [IndicatorValueInline]
