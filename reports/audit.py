"""A partnership's audit trail: who changed what and when, from the history of every record.

Every model whose changes matter is registered with django-simple-history; SOURCES names, for
each, the path from its history rows to the partnership. The page is one union of all those
history tables (newest first, paginated in the database), then, for the rows on the page, one
query per kind of record for the rows themselves and one for the versions before them, so
that what changed can be named. The number of queries grows with the kinds of record on a
page, never with the number of history rows.
"""

from dataclasses import dataclass

import django_filters
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import CharField, OuterRef, Subquery, Value

from csp_tracker import permissions
from csp_tracker.forms import DateInput
from plans.models import Partnership

#: Each audited model (app label.Model), the path from its history rows to the partnership,
#: and what the page calls it. Shared lists (agencies, priority categories) belong to no one
#: partnership: agencies appear when this partnership proposed them.
SOURCES = {
    "plans.Partnership": ("id", "Partnership"),
    "plans.Agency": ("proposed_by", "Agency proposed"),
    "plans.PartnershipAgency": ("partnership", "Partnership's agency"),
    "plans.Membership": ("partnership", "Membership"),
    "plans.Invitation": ("partnership", "Invitation"),
    "plans.Plan": ("partnership", "Plan"),
    "plans.PlanSection": ("plan__partnership", "Plan section"),
    "plans.Priority": ("plan__partnership", "Priority"),
    "plans.CategoryTag": ("plan__partnership", "Priority category tag"),
    "plans.CategoryCount": ("partnership", "Priority category count"),
    "plans.EmergingIssue": ("plan__partnership", "Emerging issue"),
    "plans.GlossaryTerm": ("plan__partnership", "Glossary term"),
    "plans.Contact": ("plan__partnership", "Contact"),
    "plans.Indicator": ("partnership", "Indicator"),
    "plans.IndicatorValue": ("indicator__partnership", "Indicator value"),
    "actions.ReportingPeriod": ("plan__partnership", "Reporting period"),
    "actions.Action": ("plan__partnership", "Action"),
    "actions.Measure": ("action__plan__partnership", "Measure"),
    "meetings.Body": ("partnership", "Meeting body"),
    "meetings.MinuteNumbering": ("body__partnership", "Minute numbering"),
    "meetings.Meeting": ("body__partnership", "Meeting"),
    "meetings.Person": ("partnership", "Person"),
    "meetings.Attendance": ("meeting__body__partnership", "Attendance"),
    "meetings.AgendaItem": ("meeting__body__partnership", "Agenda item"),
    "meetings.Minute": ("body__partnership", "Minute"),
    "meetings.Declaration": ("meeting__body__partnership", "Declaration"),
    "meetings.MeetingAction": ("meeting__body__partnership", "Action arising"),
}
#: Shared lists that no partnership owns. (Many-to-many rows, such as an issue's impacts, are
#: kept with their owner's history row, not on their own.)
NOT_AUDITED_HERE = {"plans.PriorityCategory"}

PAGE_SIZE = 50
#: The fields a record is named by on the page, the first it has.
LABEL_FIELDS = (
    "title",
    "name",
    "label",
    "heading",
    "term",
    "email",
    "text",
    "code",
    "date",
    "number",
    "ref",
    "role",
)
#: What the history rows carry about themselves rather than the record.
HISTORY_FIELDS = {"history_id", "history_date", "history_type", "history_user"}
HISTORY_FIELDS |= {"history_change_reason", "version", "updated_at", "modified_at"}
CHANGES = {"+": "Created", "~": "Changed", "-": "Deleted"}
RESTRICTED_LABEL = "A restricted item"


def history_model(label: str):
    return apps.get_model(label).history.model


class AuditFilter(django_filters.FilterSet):
    """Who, what kind of record, and between which days; every choice is in the URL."""

    person = django_filters.ModelChoiceFilter(
        label="Person", field_name="history_user", queryset=None, empty_label="Anyone"
    )
    record = django_filters.ChoiceFilter(
        label="Type of record", choices=(), empty_label="Any", method="by_kind"
    )
    since = django_filters.DateFilter(
        label="From", field_name="history_date", lookup_expr="date__gte", widget=DateInput
    )
    until = django_filters.DateFilter(
        label="To", field_name="history_date", lookup_expr="date__lte", widget=DateInput
    )

    def __init__(self, data, *, partnership: Partnership):
        super().__init__(data, queryset=history_model("plans.Plan").objects.none())
        self.filters["person"].queryset = (
            get_user_model()
            .objects.filter(memberships__partnership=partnership)
            .order_by("first_name", "last_name", "username")
        )
        self.filters["record"].extra["choices"] = sorted(
            ((label, name) for label, (_path, name) in SOURCES.items()), key=lambda c: c[1]
        )

    def by_kind(self, queryset, name, value):
        return queryset  # the kind chooses which history tables are read (sources())

    def sources(self) -> list[str]:
        """The kinds of record to read: the one chosen, or all."""
        chosen = self.form.cleaned_data.get("record") if self.is_valid() else None
        return [chosen] if chosen else list(SOURCES)


@dataclass
class Entry:
    """One change on the audit page."""

    when: object
    who: str
    kind: str
    change: str
    record: str
    fields: list[str]
    reason: str


def audit_page(partnership: Partnership, viewer, filters: AuditFilter, number) -> Page:
    """One page of the partnership's changes, newest first, as the viewer may read them."""
    selects = []
    for label in filters.sources():
        path, _name = SOURCES[label]
        rows = history_model(label).objects.filter(**{path: partnership.pk}).order_by()
        if filters.is_valid():
            rows = filters.filter_queryset(rows)
        selects.append(
            rows.annotate(audit_kind=Value(label, output_field=CharField())).values(
                "history_id", "history_date", "audit_kind"
            )
        )
    union = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
    page = Paginator(union.order_by("-history_date", "-history_id"), PAGE_SIZE).get_page(number)
    page.object_list = _entries(list(page.object_list), partnership, viewer)
    return page


def _entries(rows: list[dict], partnership, viewer) -> list[Entry]:
    """The page's rows in full: one query per kind for them, one for the versions before."""
    restricted_shown = permissions.reads_restricted_history(viewer, partnership.pk)
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        by_kind.setdefault(row["audit_kind"], []).append(row["history_id"])
    loaded = {}
    for label, ids in by_kind.items():
        model = history_model(label)
        before = model.objects.filter(
            id=OuterRef("id"), history_date__lt=OuterRef("history_date")
        ).order_by("-history_date", "-history_id")
        records = list(
            model.objects.filter(history_id__in=ids)
            .select_related("history_user")
            .annotate(previous_id=Subquery(before.values("history_id")[:1]))
        )
        previous_ids = [r.previous_id for r in records if r.previous_id]
        previous = {p.history_id: p for p in model.objects.filter(history_id__in=previous_ids)}
        for record in records:
            loaded[(label, record.history_id)] = (record, previous.get(record.previous_id))
    entries = []
    for row in rows:
        record, before = loaded[(row["audit_kind"], row["history_id"])]
        entries.append(_entry(row["audit_kind"], record, before, restricted_shown))
    return entries


def _entry(label: str, record, before, restricted_shown: bool) -> Entry:
    hidden = getattr(record, "restricted", False) and not restricted_shown
    user = record.history_user
    return Entry(
        when=record.history_date,
        who=(user.get_full_name() or user.get_username()) if user else "The system",
        kind=SOURCES[label][1],
        change=CHANGES.get(record.history_type, record.history_type),
        record=RESTRICTED_LABEL if hidden else _label(record),
        fields=[] if hidden else _changed_fields(record, before),
        reason="" if hidden else (record.history_change_reason or ""),
    )


def _label(record) -> str:
    """What the record is called, from its own fields (never a related row: no queries)."""
    for name in LABEL_FIELDS:
        value = getattr(record, name, None)
        if value in (None, ""):
            continue
        display = getattr(record, f"get_{name}_display", None)
        if display is not None:
            value = display()
        elif hasattr(value, "strftime"):
            value = f"{value:%-d %B %Y}"
        text = str(value)
        return text if len(text) <= 120 else text[:119] + "…"
    return f"No. {record.id}"


def _changed_fields(record, before) -> list[str]:
    """The names of the fields the change set (none for a creation or deletion)."""
    if before is None or record.history_type != "~":
        return []
    names = []
    for field in record._meta.concrete_fields:
        if field.name in HISTORY_FIELDS or field.primary_key or field.name == "id":
            continue
        if field.attname in HISTORY_FIELDS:
            continue
        if getattr(record, field.attname) != getattr(before, field.attname):
            names.append(str(field.verbose_name))
    return names
