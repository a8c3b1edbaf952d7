"""manage.py import_plan FILE [--partnership …] [--dry-run] [--user …]

Prints what the import page shows (what will be created, changed and left alone, the
warnings and the errors) and, unless --dry-run, applies the file in one transaction. Any
error imports nothing and exits with status 1.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import ngettext

from actions import importing
from actions.importing.preview import Preview
from csp_tracker.editing import StaleEdit
from csp_tracker.security_log import log_event
from plans.models import Partnership
from plans.templatetags.plan_text import counted

SHOWN_PROBLEMS = 200


class Command(BaseCommand):
    help = "Import a plan from the template spreadsheet (CSV or Excel .xlsx), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV or .xlsx file.")
        parser.add_argument(
            "--partnership",
            help="Import into this partnership (slug or name), whatever the file's "
            "partnership column says.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; change nothing."
        )
        parser.add_argument("--user", help="The username the history names as the importer.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        partnership = self._partnership(options["partnership"])
        user = self._user(options["user"])
        read = importing.read_file(data, path.name)  # once, for the preview and the import
        preview = importing.preview_file(read, path.name, partnership=partnership)
        for line in preview_lines(preview):
            self.stdout.write(line)
        if not preview.ok:
            raise CommandError(
                f"{len(preview.errors)} problem{'s' if len(preview.errors) != 1 else ''} in "
                f"{path.name}: nothing was imported."
            )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was imported.")
            return
        try:
            result = importing.import_file(
                read, path.name, by=user, fingerprint=preview.fingerprint, partnership=partnership
            )
        except StaleEdit as stale:
            raise CommandError(f"{stale} Nothing was imported.") from None
        except importing.ImportRefused as refused:
            for line in problem_lines("Errors", refused.preview.errors):
                self.stdout.write(line)
            raise CommandError(f"{refused} Nothing was imported.") from None
        log_event(
            "import.applied",
            user=user,
            plan=result.plan.pk,
            partnership=result.plan.partnership_id,
            file_sha256=read.digest,
            source="import_plan command",
        )
        self.stdout.write(self.style.SUCCESS(f"Imported {path.name}: {result.summary}."))

    def _partnership(self, name: str | None) -> Partnership | None:
        if not name:
            return None
        found = Partnership.objects.filter(
            Q(slug=name) | Q(name__iexact=name) | Q(short_name__iexact=name)
        ).first()
        if found is None:
            raise CommandError(f'No partnership is called "{name}".')
        return found

    def _user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f'No user is called "{username}".')
        return user


def problem_lines(title: str, problems) -> list[str]:
    if not problems:
        return []
    lines = [f"{title} ({len(problems)}):"]
    lines += [f"  {problem}" for problem in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        lines.append(f"  … and {len(problems) - SHOWN_PROBLEMS} more.")
    return lines


def preview_lines(preview: Preview) -> list[str]:
    """The import page's preview as lines of text."""
    if preview.parsed.format == "":
        return problem_lines("Errors", preview.errors)
    new = " (new)"
    lines = [
        f"Partnership: {preview.partnership_name}{'' if preview.partnership else new}",
        f"Plan: {preview.plan_title}{'' if preview.plan else new}"
        + (
            f", {preview.period_start:%-d %B %Y} to {preview.period_end:%-d %B %Y}"
            if preview.period_start and preview.period_end
            else ""
        ),
        f"File: {preview.filename} ({preview.parsed.format}, {_rows(len(preview.parsed.rows))})",
        "",
        f"Actions to add: {len(preview.created)}",
        f"Actions to change: {len(preview.updated)}",
        f"Actions already as the file has them: {len(preview.unchanged)}",
        f"Progress updates to record: {len(preview.updates)}",
        f"{counted(preview.labels.priority, 2).capitalize()} to add: {len(preview.new_priorities)}",
        f"{counted(preview.labels.issue, 2).capitalize()} to add: {len(preview.new_issues)}",
        f"Agencies to add: {len(preview.new_agencies)}",
    ]
    if preview.plan is not None:
        lines.append(
            f"The plan's actions not in the file (left as they are): {len(preview.left_alone)}"
        )
    for agency in preview.new_agencies:
        lines.append(f"  New agency: {agency} (rows {', '.join(map(str, agency.rows))})")
    for priority in preview.priorities:
        if priority.priority is None:
            lines.append(f"  New {preview.labels.priority.lower()}: {priority.title}")
        for issue in priority.new_issues:
            lines.append(f"  New {preview.labels.issue.lower()}: {issue.display}")
    for item in preview.updated:
        lines.append(f"  Row {item.row.number}: change {_action(item)}")
        for change in item.changes:
            lines.append(f"    {change.label}: {_short(change.before)} → {_short(change.after)}")
    for item in preview.updates:
        update = item.update
        what = (
            f"status {update.previous_label} → {update.status_label} (RAG {update.rag})"
            if update.status
            else "a note"
        )
        lines.append(f"  Row {item.row.number}: progress update on {_action(item)}: {what}")
    for item in preview.created:
        lines.append(f"  Row {item.row.number}: add {_action(item)}")
    lines.append("")
    lines += problem_lines("Warnings", preview.warnings)
    lines += problem_lines("Errors", preview.errors)
    return lines


def _action(item) -> str:
    title = _short(item.title.splitlines()[0] if item.title else "")
    return f"{item.row.action_ref} {title}".strip()


def _short(text: str, length: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _rows(count: int) -> str:
    return ngettext("%(n)d row", "%(n)d rows", count) % {"n": count}
