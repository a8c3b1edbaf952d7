"""A coordinator adds, orders and removes a plan's actions and their measures of success in
the app (changing an action's details and measures is services.edit_action, the action's
edit page). As plans/authoring.py does for the plan's other parts: a closed plan is refused,
every change names who acted, and a removal needs a reason and is refused while progress
updates, minutes or a carry-over refer to the row, saying which."""

from django.core.exceptions import ValidationError
from django.db import transaction

from actions import services
from actions.models import Action
from csp_tracker.editing import delete_with_history, still_attached
from plans.authoring import check_open, move_among, refusal
from plans.models import Agency, Plan


def _open_plan(plan) -> Plan:
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    check_open(locked)
    return locked


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why it is being removed."})
    return reason


def check_agencies(plan, agencies) -> None:
    """Refuse an agency the partnership does not work with (a form offers only its own)."""
    wanted = {a.pk for a in agencies if a is not None}
    if not wanted:
        return
    known = set(
        Agency.objects.for_partnership(plan.partnership)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if wanted - known:
        raise ValidationError("Choose agencies from the partnership's list of agencies.")


@transaction.atomic
def add_action(
    *, issue, by, title, measures=(), support_agencies=(), lead_agency=None, **details
) -> Action:
    """Add an action under an issue, numbered next in the plan, with its measures of success
    (dicts of text, is_numeric, target, unit, baseline)."""
    plan = _open_plan(issue.plan)
    check_agencies(plan, [lead_agency, *support_agencies])
    action = services.add_action(
        issue=issue,
        title=title,
        lead_agency=lead_agency,
        support_agencies=list(support_agencies),
        by=by,
        **details,
    )
    for spec in measures:
        services.add_measure(
            action=action,
            text=spec["text"],
            is_numeric=spec.get("is_numeric", False),
            target=spec.get("target"),
            unit=spec.get("unit") or "",
            baseline=spec.get("baseline"),
            by=by,
        )
    return action


@transaction.atomic
def move_action(*, action, by, direction) -> Action:
    """Move an action up or down among its issue's actions."""
    _open_plan(action.plan)
    action = Action.objects.get(pk=action.pk)
    siblings = Action.objects.filter(issue_id=action.issue_id)
    return move_among(action, siblings, "number", direction, by=by)


def _update_words(update) -> str:
    return f"{update.reported_on:%-d %B %Y} by {update.who or 'someone unnamed'}"


def _carried_words(action) -> str:
    return f"{action} in {action.plan.title}"


def _reading_words(reading) -> str:
    return f"{reading.value.normalize():f} reported on {reading.update.reported_on:%-d %B %Y}"


def holding_action(action) -> list[str]:
    """What keeps an action from being removed: its progress updates, minutes that discussed
    it, a carry-over from or into another plan, readings of its measures."""
    action = Action.objects.select_related("carried_over_from__plan").get(pk=action.pk)
    attached = still_attached(
        action, own={"measures", "carried_over_into"}, describe={"updates": _update_words}
    )
    if action.carried_over_from_id:
        attached.append(f"a carry-over from {_carried_words(action.carried_over_from)}")
    for later in action.carried_over_into.select_related("plan"):
        attached.append(f"a carry-over into {_carried_words(later)}")
    for measure in action.measures.all():
        attached += holding_measure(measure)
    return attached


def holding_measure(measure) -> list[str]:
    """What keeps a measure from being removed: the readings progress updates recorded."""
    return still_attached(measure, describe={"readings": _reading_words})


#: What a refused removal of an action suggests instead.
WITHDRAW = "Record its status as withdrawn instead if it will not be delivered."


@transaction.atomic
def remove_action(*, action, by, reason) -> None:
    """Remove an action, with its measures, unless it has progress updates, is linked from
    minutes, or is carried over from or into another plan."""
    plan = _open_plan(action.plan)
    reason = _reason(reason)
    attached = holding_action(action)
    if attached:
        raise ValidationError(refusal(plan.action_label.lower(), attached, WITHDRAW))
    for measure in action.measures.all():
        delete_with_history(measure, by, reason=reason)
    delete_with_history(action, by, reason=reason)


@transaction.atomic
def remove_measure(*, measure, by, reason) -> None:
    """Remove a measure of success that has no readings recorded."""
    _open_plan(measure.action.plan)
    reason = _reason(reason)
    attached = holding_measure(measure)
    if attached:
        raise ValidationError(refusal("measure", attached, "It stays in the record."))
    delete_with_history(measure, by, reason=reason)
