"""Import a plan from the template spreadsheet (CSV or Excel), all or nothing.

    bytes ──reading──▶ Table ──parsing──▶ ParsedPlan ──matching──▶ Preview ──applying──▶ plan
                       (cells)           (checked rows)         (reads only)        (services)

`read_file` reads and checks a file's cells once; its ReadFile is what the other two take (or
the bytes, which they read first). `preview_file` never writes: the page and the command show
its Preview (what will be created, updated or left alone, warnings and errors). `import_file`
compares the same ReadFile with the plan again inside one transaction, refuses if the stored plan
changed since the preview (the fingerprint), refuses on any error or when the importer does
not confirm that preview, and otherwise applies every row through the services with the
importer named in the history. Each refusal carries the preview it computed, so a caller
shows what the file would do now without reading it a third time.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import ngettext

from actions.importing.applying import ImportResult, execute
from actions.importing.columns import Problem, UnreadableFile
from actions.importing.matching import compare
from actions.importing.parsing import ParsedPlan, parse_table
from actions.importing.preview import Preview
from actions.importing.reading import read_table
from csp_tracker.editing import HISTORY_REASON_LENGTH, StaleEdit
from plans.models import Partnership

__all__ = [
    "ImportRefused",
    "ImportResult",
    "NotConfirmed",
    "PlanChanged",
    "Preview",
    "Problem",
    "ReadFile",
    "import_file",
    "preview_file",
    "read_file",
]


class ImportRefused(Exception):
    """The file has errors: nothing was imported."""

    def __init__(self, preview: Preview):
        count = len(preview.errors)
        problems = ngettext("%(n)d problem", "%(n)d problems", count) % {"n": count}
        super().__init__(f"{problems}; nothing was imported.")
        self.preview = preview


class PlanChanged(StaleEdit):
    """The stored plan changed after the preview: nothing was imported."""

    def __init__(self, preview: Preview):
        super().__init__(
            "The plan changed after the preview: check the new preview and confirm again."
        )
        self.preview = preview


class NotConfirmed(Exception):
    """The importer did not confirm what the preview asks them to: nothing was imported."""

    def __init__(self, preview: Preview):
        super().__init__("The import was not confirmed; nothing was imported.")
        self.preview = preview


@dataclass
class ReadFile:
    """A file read once: its checked plan, or why it cannot be read, and a hash of its bytes."""

    filename: str
    digest: str
    parsed: ParsedPlan | None
    unreadable: list[Problem] = field(default_factory=list)


def read_file(data: bytes, filename: str) -> ReadFile:
    """Read and check every cell of the file; touches no database."""
    digest = _digest(data)
    try:
        return ReadFile(filename, digest, parse_table(read_table(data)))
    except UnreadableFile as unreadable:
        return ReadFile(filename, digest, None, list(unreadable.problems))


def preview_file(
    data: bytes | ReadFile,
    filename: str,
    *,
    partnership: Partnership | None = None,
    may_use: Callable[[Partnership], bool] | None = None,
) -> Preview:
    """What importing the file would do, with its warnings and errors; reads only."""
    read = _read(data, filename)
    if read.parsed is None:
        return _unreadable(read)
    return compare(
        read.parsed,
        filename=read.filename,
        digest=read.digest,
        partnership=partnership,
        may_use=may_use,
    )


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(data: bytes | ReadFile, filename: str) -> ReadFile:
    return data if isinstance(data, ReadFile) else read_file(data, filename)


def _unreadable(read: ReadFile) -> Preview:
    """A preview holding why the file cannot be read at all."""
    parsed = ParsedPlan(format="", columns=set())
    return Preview(
        parsed=parsed, filename=read.filename, errors=read.unreadable, fingerprint=read.digest
    )


@transaction.atomic
def import_file(
    data: bytes | ReadFile,
    filename: str,
    *,
    by,
    fingerprint: str | None = None,
    partnership: Partnership | None = None,
    may_use: Callable[[Partnership], bool] | None = None,
    confirmed: Callable[[Preview], bool] | None = None,
) -> ImportResult:
    """Apply the file in one transaction: every row, or with any error nothing.

    With `fingerprint` (the preview's) the import is refused with PlanChanged (a StaleEdit)
    when the stored plan, its actions or the agencies changed since that preview. Then
    `confirmed` (the page's confirmation) is asked whether the importer agreed to this preview,
    now known to be the one they saw; if not, NotConfirmed.
    """
    read = _read(data, filename)
    if read.parsed is None:
        raise ImportRefused(_unreadable(read))
    options = {"filename": read.filename, "digest": read.digest}
    options.update(partnership=partnership, may_use=may_use)
    preview = compare(read.parsed, lock=True, **options)
    if fingerprint is not None and preview.fingerprint != fingerprint:
        raise PlanChanged(preview)
    if not preview.ok:
        raise ImportRefused(preview)
    if confirmed is not None and not confirmed(preview):
        raise NotConfirmed(preview)
    return execute(preview, by=by, reason=import_reason(read.filename, by))


REASON_LENGTH = HISTORY_REASON_LENGTH


def import_reason(filename: str, by) -> str:
    """ "Imported from plan.xlsx by thanet-coordinator", the file's name shortened to fit."""
    who = by.get_username() if by is not None else "the import_plan command"
    room = REASON_LENGTH - len(f"Imported from  by {who}")
    if len(filename) > room:
        filename = filename[: max(room - 1, 1)] + "…"
    return f"Imported from {filename} by {who}"[:REASON_LENGTH]
