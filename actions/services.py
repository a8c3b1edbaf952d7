"""Every change to actions, their measures and their progress goes through here."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

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
from plans.services import StaleEdit, _save, describe_last_change, locked_at_version, set_fields

#: Passed as `based_on` by callers that are not answering a form (seeds, imports).
UNCHECKED = object()


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
        last = plan.actions.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    action = _save(
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
    position = action.measures.count() + 1
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
    return _save(measure, by)


@transaction.atomic
def add_reporting_period(*, plan, name, slug, start, end, due=None, by=None) -> ReportingPeriod:
    """Open an update round for a plan."""
    period = ReportingPeriod(plan=plan, name=name, slug=slug, start=start, end=end, due=due)
    return _save(period, by)


def _latest_update(action) -> ActionUpdate | None:
    return ActionUpdate.objects.filter(action=action).latest_first().first()


def check_update_rules(*, action, status, rag, narrative, reported_on, readings) -> None:
    """The rules every progress report obeys, whoever sends it (form, import or seed)."""
    errors = {}
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
    if reported_on > timezone.localdate():
        errors["reported_on"] = "The date of the update cannot be in the future."
    for measure, value in readings.items():
        if measure.action_id != action.pk:
            errors["readings"] = f"“{measure.text}” is a measure of another action."
        elif not measure.is_numeric:
            errors["readings"] = f"“{measure.text}” is not measured by a number."
        elif value < 0:
            errors["readings"] = f"A reading for “{measure.text}” cannot be negative."
    if errors:
        raise ValidationError(errors)


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
    based_on=UNCHECKED,
    version=None,
    agency=None,
    reported_by="",
    source="",
) -> ActionUpdate:
    """Append a progress report to an action; the action's status follows its latest update.

    `based_on` is the id of the latest update the author saw (None if there was none) and
    `version` the action's version; if either moved on meanwhile the save is refused with
    StaleEdit, so nobody overwrites a report they have not read.
    """
    readings = readings or {}
    reported_on = reported_on or timezone.localdate()
    locked = Action.objects.select_for_update().get(pk=action.pk)
    latest = _latest_update(locked)
    changes = []
    if based_on is not UNCHECKED and (latest.pk if latest else None) != based_on:
        changes.append(_describe_update(latest))
    if version is not None and version != locked.version:
        changes.append("The action's details were changed.")
    if changes:
        raise StaleEdit(
            "Someone else changed this action after you opened the form. "
            "Read their changes below, then send your update again.",
            changes=changes,
        )
    check_update_rules(
        action=locked,
        status=status,
        rag=rag,
        narrative=narrative,
        reported_on=reported_on,
        readings=readings,
    )
    update = ActionUpdate(
        action=locked,
        period=period,
        reported_on=reported_on,
        author=by,
        reported_by=reported_by,
        agency=agency,
        status=status,
        rag=rag,
        narrative=narrative,
        source=source,
    )
    update.full_clean()
    update.save()
    for measure, value in readings.items():
        reading = MeasureReading(update=update, measure=measure, value=value)
        reading.full_clean()
        reading.save()
    _refresh_status(locked, by=by)
    return update


def _describe_update(update) -> str:
    if update is None:
        return "An update was withdrawn."
    who = update.who or "Someone"
    what = update.get_status_display() if update.status else "a note"
    return f"{who} reported {what} on {update.reported_on:%-d %B %Y}: {update.narrative}".strip()


def _refresh_status(action, *, by) -> None:
    """Copy the latest status-bearing update onto the action's cache fields."""
    updates = ActionUpdate.objects.filter(action=action).latest_first()
    latest_status = updates.exclude(status="").first()
    latest_any = updates.first()
    action.status = latest_status.status if latest_status else Status.NOT_STARTED
    action.rag = latest_status.rag if latest_status else ""
    action.last_update_at = latest_any.created_at if latest_any else None
    action._history_user = by
    action.save(update_fields=["status", "rag", "last_update_at"])


EDITABLE_FIELDS = ("title", "lead_agency", "lead_wording", "support_wording", "target_date")


@transaction.atomic
def edit_action(*, action, by, version, support_agencies=None, measures=None, **changes) -> Action:
    """Change an action's details (and measures); refused with StaleEdit if it changed since
    `version`.

    `measures` is a list of dicts (id, text, is_numeric, target, unit, baseline): those with
    an id change that measure of the action, the others are added after it.
    """
    locked = locked_at_version(
        Action.objects, pk=action.pk, version=version, name="action", **DETAILS_CHANGED
    )
    set_fields(locked, changes, EDITABLE_FIELDS)
    locked.version += 1
    _save(locked, by)
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
    return _save(measure, by)


#: How a change to an action's details is worded in a StaleEdit.
DETAILS_CHANGED = {"what": "the action's details", "unknown": "The action's details were changed."}


def _describe_version_change(action) -> str:
    return describe_last_change(action, **DETAILS_CHANGED)


#: Passed for a detail the caller leaves as it is (an import file without that column).
KEEP = object()
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
    reported_on = reported_on or timezone.localdate()
    actions = []
    for spec in specs:
        update = spec.get("update")
        action = Action(
            plan_id=spec["issue"].plan_id,
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
            check_update_rules(action=action, readings={}, reported_on=reported_on, **update)
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
        {"action": action, "based_on": None, **spec["update"]}
        for action, spec in zip(actions, specs, strict=True)
        if spec.get("update")
    ]
    # Their first history record already holds the status: no second one for the cache.
    _append_updates(
        news, by=by, reason=reason, reported_on=reported_on, period=period, history=False
    )
    return actions


@transaction.atomic
def update_actions_from_import(*, changes: list[dict], by, reason: str = "") -> list[Action]:
    """Bring actions in line with their rows in an imported plan, at once.

    Each change holds the action, the `version` the preview saw, and the details to set
    (issue, title, lead_agency, support_agencies, target_date, and measures as texts in
    order), any of them KEEP. Refused with StaleEdit if an action changed since its version.
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
            if change.get(field, KEEP) is not KEEP:
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
            if change.get("support_agencies", KEEP) is not KEEP
        }
    )
    for change in changes:
        if change.get("measures", KEEP) is not KEEP:
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
    return _append_updates(
        updates,
        by=by,
        reason=reason,
        reported_on=reported_on or timezone.localdate(),
        period=period,
    )


def _append_updates(
    updates, *, by, reason, reported_on, period, history=True
) -> list[ActionUpdate]:
    if not updates:
        return []
    ids = [u["action"].pk for u in updates]
    locked = Action.objects.select_for_update().annotate(latest_id=latest_update("pk")).in_bulk(ids)
    moved = [
        locked[u["action"].pk] for u in updates if locked[u["action"].pk].latest_id != u["based_on"]
    ]
    if moved:
        raise StaleEdit(
            "Someone reported progress on an action after the import was previewed.",
            changes=[_describe_update(_latest_update(action)) for action in moved[:5]],
        )
    rows = []
    for u in updates:
        action = locked[u["action"].pk]
        check_update_rules(
            action=action,
            status=u["status"],
            rag=u["rag"],
            narrative=u["narrative"],
            reported_on=reported_on,
            readings={},
        )
        row = ActionUpdate(
            action=action,
            period=period,
            reported_on=reported_on,
            author=by,
            status=u["status"],
            rag=u["rag"],
            narrative=u["narrative"],
            source=reason[:300],
        )
        _check(row)
        rows.append(row)
    ActionUpdate.objects.bulk_create(rows)
    # Each new report is its action's latest (nothing is reported later than today), so the
    # cache is set with one UPDATE per status rather than bulk_update's CASE over every row.
    by_status: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        if row.status:
            row.action.status, row.action.rag = row.status, row.rag
            by_status.setdefault((row.status, row.rag), []).append(row.action.pk)
        row.action.last_update_at = row.created_at
    for (status, rag), pks in by_status.items():
        Action.objects.filter(pk__in=pks).update(status=status, rag=rag)
    Action.objects.filter(pk__in=ids).update(last_update_at=latest_update("created_at"))
    actions = [locked[pk] for pk in ids]
    if history:
        _record_history(actions, by=by, reason=reason, update=True)
    return rows


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
        measure._history_user = by
        measure.delete()
    moving = [
        (position, m)
        for position, m in enumerate(final, start=1)
        if isinstance(m, Measure) and m.position != position
    ]
    for position, measure in moving:  # out of the way first: positions are unique
        measure.position = 10000 + position
        _save(measure, by)
    result = []
    for position, item in enumerate(final, start=1):
        if isinstance(item, Measure):
            if item.position != position:
                item.position = position
                _save(item, by)
            result.append(item)
        else:
            result.append(_save(Measure(action=action, position=position, text=item), by))
    return result
