"""Admin for bodies and their meetings, scoped to the coordinator's partnerships.

The pages (meetings/views.py) are where meetings are recorded day to day; the admin is for
putting mistakes right, with every change in the history.
"""

from django.contrib import admin

from csp_tracker.admin import ScopedHistoryAdmin, ScopedInline, VersionedAdmin
from meetings.models import (
    AgendaItem,
    Attendance,
    Body,
    Declaration,
    Meeting,
    MeetingAction,
    Minute,
    MinuteNumbering,
    Person,
)


class MinuteNumberingInline(ScopedInline, admin.TabularInline):
    model = MinuteNumbering
    extra = 0


@admin.register(Body)
class BodyAdmin(ScopedHistoryAdmin):
    list_display = ["name", "partnership", "kind", "chair_label", "year_starts"]
    list_filter = ["kind"]
    list_select_related = ["partnership"]
    search_fields = ["name", "partnership__name"]
    autocomplete_fields = ["partnership"]
    inlines = [MinuteNumberingInline]


@admin.register(Person)
class PersonAdmin(ScopedHistoryAdmin):
    list_display = ["name", "job_title", "partnership", "agency", "user"]
    list_select_related = ["partnership", "agency", "user"]
    search_fields = ["name", "job_title"]
    autocomplete_fields = ["partnership", "agency", "user"]


class AttendanceInline(ScopedInline, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person"]


class AgendaItemInline(ScopedInline, admin.TabularInline):
    model = AgendaItem
    fk_name = "meeting"
    extra = 0
    fields = ["position", "section", "code", "title", "presenter", "pages", "restricted"]


@admin.register(Meeting)
class MeetingAdmin(VersionedAdmin, ScopedHistoryAdmin):
    partnership_path = "body__partnership"
    list_display = ["__str__", "date", "start_time", "status", "published_at"]
    list_filter = ["status"]
    list_select_related = ["body__partnership"]
    search_fields = ["body__name", "venue"]
    date_hierarchy = "date"
    autocomplete_fields = ["body"]
    inlines = [AttendanceInline, AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(ScopedHistoryAdmin):
    partnership_path = "meeting__body__partnership"
    list_display = ["__str__", "meeting", "presenter", "restricted"]
    list_filter = ["restricted"]
    list_select_related = ["meeting__body"]
    search_fields = ["title", "code", "presenter"]
    autocomplete_fields = ["meeting", "paper_plan", "paper_meeting"]


@admin.register(Minute)
class MinuteAdmin(VersionedAdmin, ScopedHistoryAdmin):
    partnership_path = "body__partnership"
    list_display = ["__str__", "meeting", "item_code", "restricted"]
    list_filter = ["restricted"]
    list_select_related = ["meeting__body"]
    search_fields = ["title", "discussion", "resolution"]
    autocomplete_fields = ["meeting", "priorities", "actions"]
    readonly_fields = ["body", "municipal_year"]


@admin.register(Declaration)
class DeclarationAdmin(ScopedHistoryAdmin):
    partnership_path = "meeting__body__partnership"
    list_display = ["person", "meeting", "kind", "item_code", "restricted"]
    list_filter = ["kind", "restricted"]
    list_select_related = ["person", "meeting__body"]
    search_fields = ["interest", "person__name"]
    autocomplete_fields = ["meeting", "person"]


@admin.register(MeetingAction)
class MeetingActionAdmin(VersionedAdmin, ScopedHistoryAdmin):
    partnership_path = "meeting__body__partnership"
    list_display = ["description", "meeting", "owner", "owner_wording", "due_date", "status"]
    list_filter = ["status", "restricted"]
    list_select_related = ["meeting__body", "owner"]
    search_fields = ["description", "outcome", "owner__name", "owner_wording"]
    autocomplete_fields = ["meeting", "minute", "owner", "closed_at_meeting"]
