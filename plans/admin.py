"""The site administrators' admin for plans: partnerships, memberships and the shared lists
(agencies, priority categories) are theirs to change; a partnership's plans are shown as the
app would show them to the same user, and changed only by its coordinators."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from csp_tracker import permissions
from csp_tracker.admin import ScopedHistoryAdmin, ScopedInline, VersionedAdmin
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


class MembershipInline(ScopedInline, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "agency"]
    readonly_fields = ["version"]


@admin.register(Partnership)
class PartnershipAdmin(ScopedHistoryAdmin):
    shared = True
    partnership_path = "pk"
    list_display = ["name", "short_name", "kind", "county"]
    list_filter = ["kind"]
    list_select_related = ["county"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["county"]
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and permissions.can_create_partnership(
            request.user
        )


class MergeAgenciesForm(forms.Form):
    """Which agency the duplicates are merged into: any agency not among them."""

    keep = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        label="Merge into",
        help_text="Everything that names the duplicates will name this agency instead.",
    )

    def __init__(self, *args, duplicates, **kwargs):
        super().__init__(*args, **kwargs)
        others = Agency.objects.exclude(pk__in=[a.pk for a in duplicates])
        self.fields["keep"].queryset = others.order_by("-approved", "name")


def references(agency) -> list[str]:
    """What names the agency, in words ("3 actions (lead agency)"), over every relation."""
    words = []
    for relation in services.agency_relations():
        model = relation.related_model
        count = model._base_manager.filter(**{relation.field.name: agency}).count()
        if count:
            name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            words.append(f"{count} {name} ({relation.field.verbose_name})")
    return words


@admin.register(Agency)
class AgencyAdmin(ScopedHistoryAdmin):
    shared = True
    list_display = ["name", "abbreviation", "parent", "approved", "proposed_by"]
    list_filter = ["approved"]
    list_select_related = ["parent", "proposed_by"]
    search_fields = ["name", "abbreviation"]
    autocomplete_fields = ["parent"]
    actions = ["merge_into", "approve"]

    def has_merge_permission(self, request):
        return permissions.can_merge_agencies(request.user)

    @admin.action(description="Merge into…", permissions=["merge"])
    def merge_into(self, request, queryset):
        """Merge the chosen duplicates into one agency kept, after a confirmation page that
        says what moves."""
        duplicates = list(queryset)
        form = MergeAgenciesForm(
            request.POST if "keep" in request.POST else None, duplicates=duplicates
        )
        if "confirm" in request.POST and form.is_valid():
            keep = form.cleaned_data["keep"]
            try:
                for duplicate in duplicates:
                    keep = services.merge_agencies(keep=keep, duplicate=duplicate, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None
            names = ", ".join(a.name for a in duplicates)
            self.message_user(request, f"Merged {names} into {keep.name}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge duplicate agencies",
            "opts": self.model._meta,
            "duplicates": [(agency, references(agency)) for agency in duplicates],
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/plans/agency/merge.html", context)

    @admin.action(description="Approve for the shared list", permissions=["merge"])
    def approve(self, request, queryset):
        approved = [
            services.approve_agency(agency=agency, by=request.user)
            for agency in queryset.filter(approved=False)
        ]
        self.message_user(request, f"{len(approved)} proposed agencies approved.")


@admin.register(Membership)
class MembershipAdmin(VersionedAdmin, ScopedHistoryAdmin):
    shared = True
    list_display = ["user", "partnership", "role", "agency", "sees_restricted"]
    list_filter = ["role", "partnership"]
    list_select_related = ["user", "partnership", "agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    autocomplete_fields = ["user", "partnership", "agency"]


class PlanSectionInline(ScopedInline, admin.StackedInline):
    model = PlanSection
    extra = 0


class PriorityInline(ScopedInline, admin.StackedInline):
    model = Priority
    extra = 0
    fields = ["position", "title", "heading", "kind", "lead_agency", "lead_wording", "aims"]
    autocomplete_fields = ["lead_agency"]
    show_change_link = True


class GlossaryTermInline(ScopedInline, admin.TabularInline):
    model = GlossaryTerm
    extra = 0


class ContactInline(ScopedInline, admin.TabularInline):
    model = Contact
    extra = 0


class CategoryTagInline(ScopedInline, admin.TabularInline):
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
class PlanAdmin(ScopedHistoryAdmin):
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


class IssueImpactInline(ScopedInline, admin.TabularInline):
    model = IssueImpact
    extra = 0
    verbose_name = "impacted priority"
    verbose_name_plural = "other priorities this issue impacts"


class EmergingIssueInline(ScopedInline, admin.StackedInline):
    model = EmergingIssue
    extra = 0
    fields = ["number", "ref", "title", "description"]
    show_change_link = True


@admin.register(Priority)
class PriorityAdmin(ScopedHistoryAdmin):
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
class EmergingIssueAdmin(ScopedHistoryAdmin):
    partnership_path = "plan__partnership"
    list_display = ["__str__", "plan", "priority", "number"]
    list_filter = ["plan__partnership"]
    list_select_related = ["plan__partnership", "priority"]
    search_fields = ["title", "ref", "plan__title"]
    autocomplete_fields = ["plan", "priority"]
    inlines = [IssueImpactInline]


@admin.register(PriorityCategory)
class PriorityCategoryAdmin(ScopedHistoryAdmin):
    shared = True
    list_display = ["name", "part_of"]
    list_select_related = ["part_of"]
    search_fields = ["name"]
    autocomplete_fields = ["part_of"]


@admin.register(CategoryCount)
class CategoryCountAdmin(ScopedHistoryAdmin):
    list_display = ["category", "partnership", "period_label", "districts_count", "section"]
    list_filter = ["partnership", "period_label", "section"]
    list_select_related = ["category", "partnership"]
    search_fields = ["category__name"]


class IndicatorValueInline(ScopedInline, admin.TabularInline):
    model = IndicatorValue
    extra = 0
    readonly_fields = ["version"]


@admin.register(Indicator)
class IndicatorAdmin(VersionedAdmin, ScopedHistoryAdmin):
    list_display = ["name", "partnership", "direction", "target", "unit"]
    list_filter = ["partnership", "direction"]
    list_select_related = ["partnership"]
    search_fields = ["name", "source"]
    autocomplete_fields = ["partnership", "priority"]
    inlines = [IndicatorValueInline]
