"""Admin for actions and their measures; progress reports can be read here, never changed."""

from django.contrib import admin

from actions.models import Action, ActionUpdate, Measure, MeasureReading, ReportingPeriod
from csp_tracker.admin import ScopedAdmin, ScopedHistoryAdmin, ScopedInline, VersionedAdmin
from plans.models import Plan


class PlanListFilter(admin.RelatedFieldListFilter):
    """Plans named with their partnership, read in one query."""

    def field_choices(self, field, request, model_admin):
        plans = model_admin.get_queryset(request).values("plan")
        return [
            (p.pk, str(p)) for p in Plan.objects.filter(pk__in=plans).select_related("partnership")
        ]


class MeasureInline(ScopedInline, admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["position", "text", "evidence", "is_numeric", "target", "unit", "baseline"]


@admin.register(Action)
class ActionAdmin(VersionedAdmin, ScopedHistoryAdmin):
    partnership_path = "plan__partnership"
    list_display = ["__str__", "plan", "lead_agency", "status", "rag", "target_date"]
    list_filter = ["status", "rag", "plan__partnership", ("plan", PlanListFilter)]
    list_select_related = ["plan__partnership", "lead_agency"]
    search_fields = ["title", "ref", "lead_agency__name", "lead_agency__abbreviation"]
    autocomplete_fields = ["plan", "issue", "lead_agency", "support_agencies", "carried_over_from"]
    readonly_fields = ["status", "rag", "last_update_at"]
    inlines = [MeasureInline]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ScopedHistoryAdmin):
    partnership_path = "plan__partnership"
    list_display = ["name", "plan", "start", "end", "due"]
    list_filter = ["plan__partnership"]
    list_select_related = ["plan__partnership"]
    search_fields = ["name", "plan__title"]
    autocomplete_fields = ["plan"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only records: listed and shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MeasureReadingInline(ScopedInline, admin.TabularInline):
    model = MeasureReading
    extra = 0
    can_delete = False
    readonly_fields = ["measure", "value"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ActionUpdate)
class ActionUpdateAdmin(ScopedAdmin, ReadOnlyAdmin):
    partnership_path = "action__plan__partnership"
    list_display = ["action", "reported_on", "status", "rag", "author", "reported_by", "period"]
    list_filter = ["status", "rag", "action__plan__partnership"]
    list_select_related = ["action", "author", "period"]
    search_fields = ["narrative", "action__title", "reported_by"]
    date_hierarchy = "reported_on"
    inlines = [MeasureReadingInline]
