"""What every app's services share when they change a record: saving it with the acting user
in its history, refusing an edit made on a stale copy, numbering the next row.

Services in plans, actions and meetings call these; nothing here knows about any one model.
"""

from typing import Any, Final

from django.db.models import Max, Model, QuerySet
from django.utils import timezone


class _Unchanged:
    """The type of UNCHANGED, named when printed."""

    def __repr__(self) -> str:
        return "UNCHANGED"


#: An argument the caller leaves out on purpose: a value that stays as it is (an import file
#: without that column) or a stale-edit check nobody asked for (a seed, not a form).
UNCHANGED: Final = _Unchanged()


#: How long a history row's change reason may be (django-simple-history's column).
HISTORY_REASON_LENGTH: Final = 100


def given(value: Any) -> bool:
    """Whether the caller gave a value (anything but UNCHANGED; None is a value)."""
    return value is not UNCHANGED


class StaleEdit(Exception):
    """Someone else changed the record since the form was opened."""

    def __init__(self, message: str, *, changes: list[str] | None = None):
        super().__init__(message)
        self.changes = changes or []


def save_with_history[M: Model](obj: M, by, *, reason: str = "") -> M:
    """Validate (fields and named constraints) and save, with `by` in the history row and
    `reason` as its change reason (up to HISTORY_REASON_LENGTH characters)."""
    obj.full_clean()
    obj._history_user = by
    # Set every time: simple-history keeps the attribute, and a later save must not repeat it.
    obj._change_reason = reason[:HISTORY_REASON_LENGTH] or None
    obj.save()
    return obj


def delete_with_history(obj: Model, by, *, reason: str = "") -> None:
    """Delete, with `by` in the history row that keeps what it said, and `reason` as its
    change reason (up to HISTORY_REASON_LENGTH characters)."""
    obj._history_user = by
    obj._change_reason = reason[:HISTORY_REASON_LENGTH] or None
    obj.delete()


def still_attached(obj: Model, *, own=(), describe=None, shown: int = 5) -> list[str]:
    """What refers to a record that is about to be removed, one line per kind of referring
    row ("2 minutes: 97. Plan update; 98. Funding"), found through every reverse relation of
    its model, whichever app the referring model belongs to. `own` names the relations that
    go with the record (its measures, its impact ticks); `describe` maps a relation's name to
    a function wording one of its rows. Empty when nothing holds on to it."""
    lines = []
    for relation in obj._meta.related_objects:
        name = relation.get_accessor_name()
        if name in own or name.startswith("history") or not name:
            continue
        manager = getattr(obj, name, None)
        if manager is None or not hasattr(manager, "all"):
            continue
        rows = list(manager.all()[: shown + 1])
        if not rows:
            continue
        count = manager.count() if len(rows) > shown else len(rows)
        meta = relation.related_model._meta
        noun = meta.verbose_name if count == 1 else meta.verbose_name_plural
        word = (describe or {}).get(name, str)
        named = "; ".join(word(row) for row in rows[:shown])
        more = f" and {count - shown} more" if count > shown else ""
        lines.append(f"{count} {noun}: {named}{more}")
    return lines


def describe_last_change(obj, *, what: str = "it", unknown: str = "The record was changed.") -> str:
    """Who last changed a record and when, from its history: a line of a StaleEdit's changes.

    `what` names the record in that line ("the meeting"); `unknown` is said instead when the
    history names nobody (a change by a seed or a script).
    """
    history = obj.history.order_by("-history_date", "-history_id").select_related("history_user")
    record = history.first()
    if record is None or record.history_user is None:
        return unknown
    who = record.history_user.get_full_name() or record.history_user.get_username()
    return f"{who} changed {what} at {timezone.localtime(record.history_date):%H:%M}."


def locked_at_version(queryset: QuerySet, *, pk: int, version: int, name: str, **describe):
    """The row, locked until the transaction ends; refused with StaleEdit when its version is
    no longer `version` (someone saved it after the form was opened). `name` says what it is
    in the refusal ("meeting"); `describe` words the change as describe_last_change does."""
    locked = queryset.select_for_update().get(pk=pk)
    if locked.version != version:
        raise StaleEdit(
            f"Someone else changed this {name} after you opened the form.",
            changes=[describe_last_change(locked, **describe)],
        )
    return locked


def set_fields(obj: Model, changes: dict, editable) -> None:
    """Give the record the changed values; a field that is not `editable` is a caller's bug."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(obj, field, value)


def next_number(queryset: QuerySet, field: str = "position") -> int:
    """One past the highest `field` in the queryset (1 for none): an append after rows were
    deleted does not collide with the last one."""
    return (queryset.aggregate(highest=Max(field))["highest"] or 0) + 1
