"""Every change to actions, their measures and their progress goes through here."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from actions.models import (
    NEEDS_NARRATIVE,
    Action,
    ActionUpdate,
    Measure,
    MeasureReading,
    Rag,
    ReportingPeriod,
    Status,
    latest_update,
)
from csp_tracker.editing import (
    UNCHANGED,
    StaleEdit,
    delete_with_history,
    describe_last_change,
    given,
    next_number,
    save_with_history,
    set_fields,
)
from plans.authoring import check_open
from plans.models import Agency, Plan


@transaction.atomic
def add_action(
    *,
    issue,
    title,
    ref="",
    lead_agency=None,
    lead_wording="",
    support_agencies=(),
    support_wording="",
    target_date=None,
    number=None,
    carried_over_from=None,
    by=None,
) -> Action:
    """Add an action under an issue, numbered next in the plan unless a number is given."""
    plan = issue.plan
    if number is None:
        number = next_number(plan.actions, "number")
    action = save_with_history(
        Action(
            plan=plan,
            issue=issue,
            number=number,
            ref=ref,
            title=title,
            lead_agency=lead_agency,
            lead_wording=lead_wording,
            support_wording=support_wording,
            target_date=target_date,
            carried_over_from=carried_over_from,
        ),
        by,
    )
    if support_agencies:
        action._history_user = by
        action.support_agencies.set(support_agencies)
    return action


@transaction.atomic
def add_measure(
    *, action, text, evidence="", is_numeric=False, target=None, unit="", baseline=None, by=None
) -> Measure:
    """Add a measure of success to an action."""
    position = next_number(action.measures)
    measure = Measure(
        action=action,
        position=position,
        text=text,
        evidence=evidence,
        is_numeric=is_numeric,
        target=target,
        unit=unit,
        baseline=baseline,
    )
    return save_with_history(measure, by)


#: Round slugs the rounds' URLs use for pages of their own.
RESERVED_ROUND_SLUGS = {"new"}


def round_slug(name: str) -> str:
    """The slug a round's name gives: "Q3 2015/16" → "q3-2015-16"."""
    return slugify(name.replace("/", "-"))[: ReportingPeriod._meta.get_field("slug").max_length]


def day(value: datetime.date) -> str:
    """A date as the partnership writes it: 1 October 2015."""
    return f"{value:%-d %B %Y}"


def check_reporting_period(*, plan, name, slug, start, end, due) -> None:
    """The rules every round of a plan obeys: within the plan's period, ending after it
    starts, due on or after its end, overlapping no other round of the plan, and a name and
    slug of its own."""
    errors = {}
    if start < plan.period_start:
        errors["start"] = (
            f"The round must start on or after the start of the plan, {day(plan.period_start)}."
        )
    if end <= start:
        errors["end"] = "The round must end after it starts."
    elif end > plan.period_end:
        errors["end"] = f"The round must end by the end of the plan, {day(plan.period_end)}."
    if due is not None and due < end:
        errors["due"] = f"The due date must be on or after the end of the round, {day(end)}."
    others = ReportingPeriod.objects.filter(plan=plan)
    overlapping = others.filter(start__lte=end, end__gte=start).order_by("start").first()
    if overlapping is not None and "start" not in errors and "end" not in errors:
        errors["start"] = (
            f"The round overlaps {overlapping.name} ({day(overlapping.start)} to "
            f"{day(overlapping.end)}): a plan's rounds cannot overlap."
        )
    if others.filter(name__iexact=name.strip()).exists():
        errors["name"] = f"The plan already has a round called “{name.strip()}”."
    if slug in RESERVED_ROUND_SLUGS:
        errors["slug"] = f"“{slug}” is kept for the rounds' own pages: choose another slug."
    elif others.filter(slug=slug).exists():
        errors["slug"] = f"Another round of the plan already has the slug “{slug}”."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_reporting_period(*, plan, name, start, end, slug="", due=None, by=None) -> ReportingPeriod:
    """Open an update round for a plan: what officers report on by its due date. The slug
    is made from the name unless given."""
    name = name.strip()
    slug = slug or round_slug(name)
    check_reporting_period(plan=plan, name=name, slug=slug, start=start, end=end, due=due)
    period = ReportingPeriod(plan=plan, name=name, slug=slug, start=start, end=end, due=due)
    return save_with_history(period, by, reason="Opened")


def _describe_round_change(period) -> str:
    return describe_last_change(period, what="the round", unknown="The round was changed.")


@transaction.atomic
def close_reporting_period(*, period, by, when: datetime.datetime | None = None):
    """Close an update round: it takes no more updates. Refused with StaleEdit if someone
    closed it meanwhile."""
    locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not locked.is_open:
        raise StaleEdit(
            f"{locked.name} was closed after you opened the page.",
            changes=[_describe_round_change(locked)],
        )
    locked.closed_at = when or timezone.now()
    locked.closed_by = by
    return save_with_history(locked, by, reason="Closed")


@transaction.atomic
def reopen_reporting_period(*, period, by, reason: str) -> ReportingPeriod:
    """Reopen a closed round, for the reason given (kept in its history). Refused with
    StaleEdit if someone reopened it meanwhile."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the round is being reopened."})
    locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if locked.is_open:
        raise StaleEdit(
            f"{locked.name} was reopened after you opened the page.",
            changes=[_describe_round_change(locked)],
        )
    locked.closed_at = None
    locked.closed_by = None
    return save_with_history(locked, by, reason=reason.strip())


def report_by(period) -> datetime.date:
    """The last day an update for a round may carry: its due date (a report on the round
    made after it ended), or its end when it has none."""
    return period.due or period.end


def counts_for(period, reported_on: datetime.date):
    """The round an update for `period` dated `reported_on` counts for: that round when the
    date falls from its start to its due date; an earlier round of the plan when the date
    falls within that round's dates (a late report for it); None when it fits neither."""
    if period is None:
        return None
    if period.start <= reported_on <= report_by(period):
        return period
    return (
        ReportingPeriod.objects.filter(
            plan_id=period.plan_id,
            start__lt=period.start,
            start__lte=reported_on,
            end__gte=reported_on,
        )
        .order_by("-start")
        .first()
    )


def latest_report_date(plan, period=None, today: datetime.date | None = None) -> datetime.date:
    """The date an update is given when none is: today, or the last day it may carry when
    that is earlier (the round's due date, or the plan's end)."""
    today = today or timezone.localdate()
    limit = report_by(period) if period is not None else plan.period_end
    return min(today, limit)


def _period_words(period) -> str:
    if period.due:
        return f"{day(period.start)} to its due date, {day(period.due)}"
    return f"{day(period.start)} to {day(period.end)}"


def _check_date(plan, period, reported_on, errors, *, dated: bool):
    """The date rules: no later than today, within the plan's period, and within the round's
    dates (or an earlier round's, which it then counts for). Returns the round it counts for.
    A date nobody chose (`dated` False: an import's "as at today", see latest_report_date)
    only has to be no later than today."""
    if reported_on > timezone.localdate():
        errors["reported_on"] = "The date of the update cannot be in the future."
        return period
    if not dated:
        return period
    # A round's report may come after the plan's end, up to the round's due date.
    last = plan.period_end
    if period is not None and "period" not in errors:
        last = max(last, report_by(period))
    if not plan.period_start <= reported_on <= last:
        errors["reported_on"] = (
            f"The date must fall within the plan's period, {day(plan.period_start)} to "
            f"{day(plan.period_end)}."
        )
        return period
    if period is None or "period" in errors:
        return period
    counted = counts_for(period, reported_on)
    if counted is None:
        errors["reported_on"] = (
            f"An update for {period.name} is dated from {_period_words(period)}. "
            f"{day(reported_on)} is outside it: correct the date, or choose the round it "
            "reports on."
        )
        return period
    if not counted.is_open:
        errors["reported_on"] = (
            f"{day(reported_on)} falls within {counted.name} ({day(counted.start)} to "
            f"{day(counted.end)}), which is closed: correct the date, or ask the coordinator "
            "to reopen the round."
        )
    return counted


def _latest_update(action) -> ActionUpdate | None:
    return ActionUpdate.objects.filter(action=action).latest_first().first()


def check_update_rules(
    *, action, status, rag, narrative, reported_on, readings, period=None, dated=True
) -> ReportingPeriod | None:
    """The rules every progress report obeys, whoever sends it (form, import or seed).

    Returns the round the report counts for (counts_for): the one chosen, or the earlier
    round its date falls within.
    """
    errors = {}
    if period is not None and period.plan_id != action.plan_id:
        errors["period"] = f"{period.name} is a round of another plan."
    elif period is not None and not period.is_open:
        errors["period"] = (
            f"{period.name} is closed: report for an open round, or ask the coordinator to "
            "reopen it."
        )
    if status and not rag:
        errors["rag"] = "Choose a RAG rating for the new status."
    if rag and not status:
        errors["status"] = "Choose a status for the RAG rating."
    if status == Status.COMPLETED and rag and rag != Rag.GREEN:
        errors["rag"] = "A completed action is rated green."
    if status in NEEDS_NARRATIVE and not narrative.strip():
        label = Status(status).label.lower()
        errors["narrative"] = f"Explain why the action is {label}."
    if not status and not narrative.strip():
        errors["narrative"] = "Write the note."
    counted = _check_date(action.plan, period, reported_on, errors, dated=dated)
    for measure, value in readings.items():
        if measure.action_id != action.pk:
            errors["readings"] = f"“{measure.text}” is a measure of another action."
        elif not measure.is_numeric:
            errors["readings"] = f"“{measure.text}” is not measured by a number."
        elif value < 0:
            errors["readings"] = f"A reading for “{measure.text}” cannot be negative."
    if errors:
        raise ValidationError(errors)
    return counted


@transaction.atomic
def record_update(
    *,
    action,
    by,
    status="",
    rag="",
    narrative="",
    period=None,
    reported_on: datetime.date | None = None,
    readings: dict[Measure, Decimal] | None = None,
    based_on=UNCHANGED,
    version=UNCHANGED,
    agency=None,
    reported_by="",
    source="",
) -> ActionUpdate:
    """Append a progress report to an action; the action's status follows its latest update.

    `based_on` is the id of the latest update the author saw (None if there was none) and
    `version` the action's version; if either moved on meanwhile the save is refused with
    StaleEdit, so nobody overwrites a report they have not read. Left UNCHANGED (a seed, a
    script), neither is checked.
    """
    update = {
        "action": action,
        "status": status,
        "rag": rag,
        "narrative": narrative,
        "period": period,
        "reported_on": reported_on,
        "readings": readings or {},
        "based_on": based_on,
        "version": version,
        "agency": agency,
        "reported_by": reported_by,
        "source": source,
    }
    stale = (
        "Someone else changed this action after you opened the form. "
        "Read their changes below, then send your update again."
    )
    return append_updates([update], by=by, stale=stale)[0]


def _describe_update(update) -> str:
    if update is None:
        return "An update was withdrawn."
    who = update.who or "Someone"
    what = update.get_status_display() if update.status else "a note"
    return f"{who} reported {what} on {update.reported_on:%-d %B %Y}: {update.narrative}".strip()


def _stale_changes(update: dict, locked: Action) -> list[str]:
    """What moved on since the author's form was opened (nothing for an unchecked update)."""
    changes = []
    if given(update.get("based_on", UNCHANGED)) and locked.latest_id != update["based_on"]:
        changes.append(_describe_update(_latest_update(locked)))
    if given(update.get("version", UNCHANGED)) and locked.version != update["version"]:
        changes.append("The action's details were changed.")
    return changes


def append_updates(
    updates: list[dict], *, by, stale: str, reason: str = "", history: bool = True
) -> list[ActionUpdate]:
    """Append progress reports to actions, at once, and make each action's cached status,
    RAG and last update follow its latest report: the one way every report is recorded
    (the update form, the import, the seeds).

    Each holds the action, status, rag, narrative and reported_on, and may hold period,
    readings ({measure: value}), agency, reported_by, source, and the `based_on` and
    `version` its author saw. If any action moved on since, nothing is saved: StaleEdit
    with the `stale` message, naming what changed. Every report obeys check_update_rules.
    The actions' history names `by` (and `reason`), unless `history` is off because the
    caller has just written it (new actions whose first record holds their status).
    """
    if not updates:
        return []
    ids = [u["action"].pk for u in updates]
    locked = Action.objects.select_for_update(of=("self",)).select_related("plan").in_bulk(ids)
    # Read once the locks are held, in a statement of its own: on PostgreSQL a subquery of
    # the locking SELECT would see the snapshot from before a report that held the lock.
    latest = dict(Action.objects.filter(pk__in=ids).values_list("pk", latest_update("pk")))
    for pk, action in locked.items():
        action.latest_id = latest[pk]
    changes = [c for u in updates for c in _stale_changes(u, locked[u["action"].pk])]
    if changes:
        raise StaleEdit(stale, changes=changes[:5])
    # The rounds as they stand now, held until the reports are in: one closed meanwhile
    # refuses them, and closing waits for them.
    period_ids = {u["period"].pk for u in updates if u.get("period") is not None}
    periods = ReportingPeriod.objects.select_for_update().in_bulk(period_ids)
    rows, readings = [], []
    for u in updates:
        action = locked[u["action"].pk]
        chosen = periods.get(u["period"].pk) if u.get("period") is not None else None
        reported_on = u.get("reported_on") or latest_report_date(action.plan, chosen)
        counted = check_update_rules(
            dated=u.get("reported_on") is not None,
            action=action,
            status=u["status"],
            rag=u["rag"],
            narrative=u["narrative"],
            reported_on=reported_on,
            readings=u.get("readings", {}),
            period=chosen,
        )
        row = ActionUpdate(
            action=action,
            period=counted,
            reported_on=reported_on,
            author=by,
            reported_by=u.get("reported_by", ""),
            agency=u.get("agency"),
            status=u["status"],
            rag=u["rag"],
            narrative=u["narrative"],
            source=u.get("source", "")[:300],
        )
        _check(row)
        rows.append(row)
        readings += [(row, m, value) for m, value in u.get("readings", {}).items()]
    ActionUpdate.objects.bulk_create(rows)
    new_readings = [MeasureReading(update=row, measure=m, value=v) for row, m, v in readings]
    for reading in new_readings:
        _check(reading)
    MeasureReading.objects.bulk_create(new_readings)
    _refresh_status(ids)
    if history:
        actions = list(Action.objects.in_bulk(ids).values())
        _record_history(actions, by=by, reason=reason, update=True)
    return rows


def _refresh_status(ids: list[int]) -> None:
    """Copy each action's latest status-bearing report onto its cache fields (status, RAG,
    last update), in one UPDATE however many actions: a back-dated report is not the latest."""
    statuses = (
        ActionUpdate.objects.filter(action=OuterRef("pk"))
        .exclude(status="")
        .order_by("-reported_on", "-created_at", "-pk")
    )
    Action.objects.filter(pk__in=ids).update(
        status=Coalesce(Subquery(statuses.values("status")[:1]), Value(Status.NOT_STARTED.value)),
        rag=Coalesce(Subquery(statuses.values("rag")[:1]), Value("")),
        last_update_at=latest_update("created_at"),
    )


EDITABLE_FIELDS = ("title", "lead_agency", "lead_wording", "support_wording", "target_date")


@transaction.atomic
def edit_action(*, action, by, version, support_agencies=None, measures=None, **changes) -> Action:
    """Change an action's details (and measures); refused with StaleEdit if it changed since
    `version`.

    `measures` is a list of dicts (id, text, is_numeric, target, unit, baseline): those with
    an id change that measure of the action, the others are added after it.
    """
    check_open(action.plan)
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.version != version:
        raise StaleEdit(
            "Someone else changed this action after you opened the form.",
            changes=details_changed_since(locked, version),
        )
    set_fields(locked, changes, EDITABLE_FIELDS)
    locked.version += 1
    save_with_history(locked, by)
    if support_agencies is not None:
        locked._history_user = by
        locked.support_agencies.set(support_agencies)
    for spec in measures or []:
        _save_measure(locked, spec, by=by)
    return locked


MEASURE_FIELDS = ("text", "is_numeric", "target", "unit", "baseline")


def _save_measure(action, spec: dict, *, by) -> Measure:
    fields = {name: spec.get(name) for name in MEASURE_FIELDS}
    fields["unit"] = fields["unit"] or ""
    if not spec.get("id"):
        return add_measure(action=action, evidence=spec.get("evidence", ""), by=by, **fields)
    measure = Measure.objects.select_for_update().get(pk=spec["id"], action=action)
    if all(getattr(measure, name) == value for name, value in fields.items()):
        return measure
    for name, value in fields.items():
        setattr(measure, name, value)
    return save_with_history(measure, by)


#: Fields of an action whose changes the action page lists (status and RAG show in the
#: timeline), and a refused edit names.
HISTORY_FIELDS = {
    "title": "Action",
    "lead_agency_id": "Lead agency",
    "lead_wording": "Lead as printed",
    "support_wording": "Support as printed",
    "target_date": "Target date",
    "issue_id": "Issue",
    "ref": "Reference",
}


def show_value(value) -> str:
    """A field's value as a change lists it: "none" for blank, dates as people write them."""
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return f"{value:%-d %B %Y}" if hasattr(value, "strftime") else str(value)


def details_changed_since(action, version: int) -> list[str]:
    """What others changed in the action's details since `version`, field by field, with who
    changed it and when (from its history, in two queries)."""
    records = list(
        action.history.select_related("history_user").order_by("history_date", "history_id")
    )
    seen = [r for r in records if r.version == version]
    later = [r for r in records if r.version > version]
    if not seen or not later:
        return [describe_last_change(action, **DETAILS_CHANGED)]
    before, after = seen[-1], later[-1]
    agency_ids = {before.lead_agency_id, after.lead_agency_id} - {None}
    agencies = {a.pk: a.short_name for a in Agency.objects.filter(pk__in=agency_ids)}
    people = sorted(
        {
            r.history_user.get_full_name() or r.history_user.get_username()
            for r in later
            if r.history_user
        }
    )
    by = f" ({', '.join(people)}, {timezone.localtime(after.history_date):%-d %B %Y %H:%M})"
    lines = []
    for field, label in HISTORY_FIELDS.items():
        old, new = getattr(before, field), getattr(after, field)
        if old == new:
            continue
        if field == "lead_agency_id":
            old, new = agencies.get(old, "none"), agencies.get(new, "none")
        lines.append(f"{label}: “{show_value(old)}” → “{show_value(new)}”{by}")
    return lines or [describe_last_change(action, **DETAILS_CHANGED)]


#: How a change to an action's details is worded in a StaleEdit.
DETAILS_CHANGED = {"what": "the action's details", "unknown": "The action's details were changed."}


def _describe_version_change(action) -> str:
    return describe_last_change(action, **DETAILS_CHANGED)


#: Relations the import's bulk writes do not look up one by one: the foreign keys hold.
RELATIONS = ["plan", "issue", "lead_agency", "carried_over_from", "action", "period", "author"]
IMPORTED_DETAILS = ("issue", "title", "lead_agency", "target_date")


def _check(obj) -> None:
    """The field checks of full_clean, without a query per relation or unique constraint."""
    obj.full_clean(
        exclude=[*RELATIONS, "agency"], validate_unique=False, validate_constraints=False
    )


def _record_history(actions, *, by, reason: str, update: bool) -> None:
    """One history record per action, naming `by` and `reason`, with its supporters then
    (as simple-history records for an action saved by itself)."""
    records = Action.history.bulk_history_create(
        actions, update=update, default_user=by, default_change_reason=reason
    )
    snapshot = Action.history.model._meta.get_field(
        "historicalaction_support_agencies"
    ).related_model
    by_action = {record.id: record for record in records}
    links = Action.support_agencies.through.objects.filter(action_id__in=list(by_action))
    snapshot.objects.bulk_create(
        [
            snapshot(
                id=link.pk,
                action_id=link.action_id,
                agency_id=link.agency_id,
                history=by_action[link.action_id],
            )
            for link in links
        ]
    )


@transaction.atomic
def add_actions_from_import(
    *,
    specs: list[dict],
    by,
    reason: str,
    reported_on: datetime.date | None = None,
    period=None,
) -> list[Action]:
    """Add the new actions of an imported plan at once, with everything the history needs.

    Each spec holds issue, number, ref, title, lead_agency, support_agencies, target_date,
    measures (texts, in order) and update (status, rag, narrative, or None). A plan of a
    thousand actions is written in a few dozen queries: every action, measure and first
    progress report passes the checks of one added by hand (the database's constraints and
    triggers the rest), and the history names `by` with `reason`.
    """
    plans = {p.pk: p for p in Plan.objects.filter(pk__in={s["issue"].plan_id for s in specs})}
    actions = []
    for spec in specs:
        update = spec.get("update")
        plan = plans[spec["issue"].plan_id]
        action = Action(
            plan=plan,
            issue=spec["issue"],
            number=spec["number"],
            ref=spec.get("ref", ""),
            title=spec["title"],
            lead_agency=spec.get("lead_agency"),
            target_date=spec.get("target_date"),
        )
        if update and update["status"]:
            action.status, action.rag = update["status"], update["rag"]
        _check(action)
        if update:
            check_update_rules(
                action=action,
                readings={},
                reported_on=reported_on or latest_report_date(plan, period),
                dated=reported_on is not None,
                period=period,
                **update,
            )
        actions.append(action)
    Action.objects.bulk_create(actions)
    through = Action.support_agencies.through
    through.objects.bulk_create(
        [
            through(action_id=action.pk, agency_id=agency.pk)
            for action, spec in zip(actions, specs, strict=True)
            for agency in spec.get("support_agencies", ())
        ]
    )
    _record_history(actions, by=by, reason=reason, update=False)
    measures = [
        Measure(action=action, position=position, text=text)
        for action, spec in zip(actions, specs, strict=True)
        for position, text in enumerate(spec.get("measures", ()), start=1)
    ]
    for measure in measures:
        _check(measure)
    Measure.objects.bulk_create(measures)
    Measure.history.bulk_history_create(measures, default_user=by, default_change_reason=reason)
    news = [
        {
            "action": action,
            "based_on": None,
            "reported_on": reported_on,
            "period": period,
            "source": reason,
            **spec["update"],
        }
        for action, spec in zip(actions, specs, strict=True)
        if spec.get("update")
    ]
    # Their first history record already holds the status: no second one for the cache.
    append_updates(news, by=by, reason=reason, stale=IMPORT_STALE, history=False)
    return actions


@transaction.atomic
def update_actions_from_import(*, changes: list[dict], by, reason: str = "") -> list[Action]:
    """Bring actions in line with their rows in an imported plan, at once.

    Each change holds the action, the `version` the preview saw, and the details to set
    (issue, title, lead_agency, support_agencies, target_date, and measures as texts in
    order), any of them UNCHANGED (an import file without that column). Refused with
    StaleEdit if an action changed since its version.
    """
    ids = [change["action"].pk for change in changes]
    locked = Action.objects.select_for_update(of=("self",)).select_related("issue").in_bulk(ids)
    stale = [
        locked[c["action"].pk] for c in changes if locked[c["action"].pk].version != c["version"]
    ]
    if stale:
        raise StaleEdit(
            "Someone changed an action after the import was previewed.",
            changes=[_describe_version_change(action) for action in stale[:5]],
        )
    # One UPDATE per field and value, rather than bulk_update's CASE over every row: a
    # thousand new target dates are usually one or a few dates.
    groups: dict[tuple[str, object], list[int]] = {}
    for change in changes:
        action = locked[change["action"].pk]
        for field in IMPORTED_DETAILS:
            if given(change.get(field, UNCHANGED)):
                setattr(action, field, change[field])
                value = getattr(action, Action._meta.get_field(field).attname)
                groups.setdefault((field, value), []).append(action.pk)
        action.version += 1
        _check(action)
    for (field, value), pks in groups.items():
        Action.objects.filter(pk__in=pks).update(**{Action._meta.get_field(field).attname: value})
    Action.objects.filter(pk__in=ids).update(version=F("version") + 1)
    _set_supporters(
        {
            change["action"].pk: {agency.pk for agency in change["support_agencies"]}
            for change in changes
            if given(change.get("support_agencies", UNCHANGED))
        }
    )
    for change in changes:
        if given(change.get("measures", UNCHANGED)):
            set_measure_texts(action=locked[change["action"].pk], texts=change["measures"], by=by)
    _record_history([locked[pk] for pk in ids], by=by, reason=reason, update=True)
    return [locked[pk] for pk in ids]


def _set_supporters(wanted: dict[int, set[int]]) -> None:
    through = Action.support_agencies.through
    links = list(through.objects.filter(action_id__in=list(wanted)))
    held: dict[int, set[int]] = {pk: set() for pk in wanted}
    for link in links:
        held[link.action_id].add(link.agency_id)
    through.objects.filter(
        pk__in=[link.pk for link in links if link.agency_id not in wanted[link.action_id]]
    ).delete()
    through.objects.bulk_create(
        [
            through(action_id=pk, agency_id=agency_id)
            for pk, agency_ids in wanted.items()
            for agency_id in sorted(agency_ids - held[pk])
        ]
    )


def update_action_from_import(*, action, by, version, reason: str = "", **details) -> Action:
    """One action brought in line with its row in an imported plan (see
    update_actions_from_import); StaleEdit if it changed since `version`."""
    change = {"action": action, "version": version, **details}
    return update_actions_from_import(changes=[change], by=by, reason=reason)[0]


@transaction.atomic
def record_updates_from_import(
    *,
    updates: list[dict],
    by,
    reason: str,
    reported_on: datetime.date | None = None,
    period=None,
) -> list[ActionUpdate]:
    """Append the progress reports of an imported file at once; each action's status follows.

    Each holds the action, `based_on` (the id of its latest update when the file was
    previewed, None if it had none) and the status, rag and narrative to record (a blank
    status is a note). Refused with StaleEdit if any action had a report meanwhile.
    """
    return append_updates(
        [
            {
                **u,
                "reported_on": reported_on,
                "period": period,
                "source": reason,
            }
            for u in updates
        ],
        by=by,
        reason=reason,
        stale=IMPORT_STALE,
    )


#: How an import refused for a report made since its preview says so.
IMPORT_STALE = "Someone reported progress on an action after the import was previewed."


@transaction.atomic
def set_measure_texts(*, action, texts: list[str], by) -> list[Measure]:
    """Make an action's measures these texts, in this order.

    A measure whose text stays keeps its numbers and readings; a new text is added as a
    measure in words; a measure no longer listed is removed (its history kept), which is
    refused if readings were recorded against it.
    """
    current = list(Measure.objects.select_for_update().filter(action=action).order_by("position"))
    unused = list(current)
    final = []
    for text in texts:
        match = next((m for m in unused if m.text == text), None)
        if match is not None:
            unused.remove(match)
        final.append(match or text)
    for measure in unused:
        if measure.readings.exists():
            raise ValidationError(
                {"measures": f"“{measure.text}” has readings recorded, so it cannot be removed."}
            )
        delete_with_history(measure, by)
    moving = [
        (position, m)
        for position, m in enumerate(final, start=1)
        if isinstance(m, Measure) and m.position != position
    ]
    for position, measure in moving:  # out of the way first: positions are unique
        measure.position = 10000 + position
        save_with_history(measure, by)
    result = []
    for position, item in enumerate(final, start=1):
        if isinstance(item, Measure):
            if item.position != position:
                item.position = position
                save_with_history(item, by)
            result.append(item)
        else:
            result.append(
                save_with_history(Measure(action=action, position=position, text=item), by)
            )
    return result
