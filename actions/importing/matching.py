"""Compare the file's plan with what is stored: what an import would create, change or leave.

Reads only, in a fixed number of queries whatever the number of rows. The result (a
Preview, see preview.py) is what the page and the command show, and what applying.py
carries out; its fingerprint is a digest of everything stored that it was computed from,
so that a confirmation can refuse when the database changed since the preview.
"""

import hashlib
from collections.abc import Callable

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.text import slugify

from actions.importing.columns import QUALIFIED_REF, RAG_FOR_STATUS, Problem
from actions.importing.parsing import AgencyName, ParsedPlan, Row, title_key
from actions.importing.preview import (
    ActionRow,
    Change,
    IssueTarget,
    Labels,
    NewAgency,
    PendingUpdate,
    Preview,
    PriorityTarget,
)
from actions.models import (
    CLOSED_STATUSES,
    NEEDS_NARRATIVE,
    Action,
    Measure,
    MeasureReading,
    Status,
    latest_update,
)
from csp_tracker.editing import given
from plans.models import Agency, Partnership, Plan, normalise_name


def compare(
    parsed: ParsedPlan,
    *,
    filename: str,
    digest: str,
    partnership: Partnership | None = None,
    may_use: Callable[[Partnership], bool] | None = None,
    lock: bool = False,
) -> Preview:
    """What importing the parsed file would do to the stored plan.

    `partnership` imports into that partnership whatever the file's column says. `may_use`
    (the web page) limits the import to partnerships the user coordinates and refuses to
    create one; without it (the command) a new partnership is created. With `lock` (inside
    the transaction that applies the import) the partnership's plans are locked first.
    """
    preview = Preview(parsed=parsed, filename=filename)
    preview.errors.extend(parsed.errors)
    preview.warnings.extend(parsed.warnings)
    snapshot: list = [digest]
    _match_partnership(preview, partnership, may_use, snapshot, lock)
    agencies = _AgencyIndex(snapshot)
    if preview.errors:
        preview.fingerprint = _digest(snapshot)
        return preview
    stored = _StoredPlan(preview.plan, snapshot)
    rows = _match_structure(preview, stored)
    _match_actions(preview, rows, stored, agencies)
    preview.new_agencies = list(agencies.new.values())
    preview.left_alone = [a for a in stored.actions if a.pk not in stored.claimed]
    preview.fingerprint = _digest(snapshot)
    return preview


def _digest(snapshot: list) -> str:
    return hashlib.sha256(repr(snapshot).encode()).hexdigest()


# Partnership and plan


def _match_partnership(preview, partnership, may_use, snapshot, lock) -> None:
    parsed = preview.parsed
    first = parsed.first_rows.get("partnership", parsed.rows[0].number if parsed.rows else None)
    preview.partnership_name = parsed.partnership
    if partnership is None and parsed.partnership:
        key = normalise_name(parsed.partnership)
        for candidate in Partnership.objects.order_by("pk"):
            snapshot.append(("partnership", candidate.pk, candidate.name, candidate.short_name))
            if key in {normalise_name(candidate.name), normalise_name(candidate.short_name)}:
                partnership = candidate
                break
    elif (
        partnership is not None
        and parsed.partnership
        and normalise_name(parsed.partnership)
        not in {normalise_name(partnership.name), normalise_name(partnership.short_name)}
    ):
        preview.warnings.append(
            Problem(
                f'the file names "{parsed.partnership}"; the plan is imported into '
                f"{partnership.name} as asked.",
                row=first,
                column="partnership",
            )
        )
    if may_use is not None and (
        not may_use(partnership) or (partnership is None and not parsed.partnership)
    ):
        if parsed.partnership:
            new = (
                " (a new partnership is set up by a site administrator)" if not partnership else ""
            )
            preview.errors.append(
                Problem(
                    f'"{parsed.partnership}" is not a partnership you coordinate{new}.',
                    row=first,
                    column="partnership",
                )
            )
        return
    preview.partnership = partnership
    if partnership is None:
        preview.new_partnership = _new_partnership(parsed.partnership)
    else:
        preview.partnership_name = partnership.name
        snapshot.append(("into", partnership.pk))
    _match_plan(preview, snapshot, lock)


def _new_partnership(name: str) -> dict:
    short = name.replace("Community Safety Partnership", "CSP").strip()[:60]
    base = slugify(name.replace("Community Safety Partnership", "")) or "partnership"
    taken = set(Partnership.objects.values_list("slug", flat=True))
    return {
        "name": name,
        "short_name": short,
        "slug": _unique_slug(base[:50], taken),
        "kind": Partnership.Kind.DISTRICT,
    }


def _unique_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _match_plan(preview, snapshot, lock: bool) -> None:
    parsed = preview.parsed
    preview.plan_title = parsed.plan_title
    preview.period_start, preview.period_end = parsed.period_start, parsed.period_end
    plans = []
    if preview.partnership:
        stored = preview.partnership.plans.order_by("pk")
        # An import holds its partnership's plans until it is applied: another waits.
        plans = list(stored.select_for_update() if lock else stored)
    key = title_key(parsed.plan_title)
    plan = next((p for p in plans if title_key(p.title) == key), None)
    for p in plans:
        snapshot.append(("plan", p.pk, p.slug, p.title, p.period_start, p.period_end))
    if plan is None:
        preview.plan_slug = _unique_slug(_period_slug(parsed), {p.slug for p in plans})
        return
    preview.plan = plan
    preview.plan_title = plan.title
    preview.labels = Labels(plan.priority_label, plan.issue_label, plan.action_label)
    for column, stored in (("period_start", plan.period_start), ("period_end", plan.period_end)):
        written = getattr(parsed, column)
        if written and written != stored:
            preview.errors.append(
                Problem(
                    f'the plan "{plan.title}" runs from {plan.period_start:%-d %B %Y} to '
                    f"{plan.period_end:%-d %B %Y}; the file says {written:%-d %B %Y}. The import "
                    "does not change a plan's period.",
                    row=parsed.first_rows.get(column),
                    column=column,
                )
            )


def _period_slug(parsed) -> str:
    start, end = parsed.period_start, parsed.period_end
    if not (start and end):
        return "plan"
    if end.year - start.year == 1:
        return f"{start.year}-{str(end.year)[-2:]}"
    return f"{start.year}-{end.year}"


# What is stored


class _AgencyIndex:
    """Every agency by name and by abbreviation, ignoring case, spacing and punctuation."""

    def __init__(self, snapshot):
        self.by_name, self.by_abbreviation, self.by_pk = {}, {}, {}
        for agency in Agency.objects.order_by("pk"):
            snapshot.append(("agency", agency.pk, agency.name, agency.abbreviation))
            self.by_pk[agency.pk] = agency
            self.by_name.setdefault(normalise_name(agency.name), agency)
            if agency.abbreviation:
                self.by_abbreviation.setdefault(normalise_name(agency.abbreviation), agency)
        self.new: dict[str, NewAgency] = {}

    def find(self, named: AgencyName, row: int, errors: list[Problem], column: str):
        """The stored agency the cell names, or the new one it asks for."""
        for text, table in (
            (named.text, self.by_name),
            (named.text, self.by_abbreviation),
            (named.name, self.by_name),
            (named.abbreviation, self.by_abbreviation),
        ):
            key = normalise_name(text)
            if key and key in table:
                return table[key]
        key = normalise_name(named.name)
        new = self.new.get(key)
        if new is None:
            abbreviation = named.abbreviation
            clash = normalise_name(abbreviation) if abbreviation else ""
            if clash and any(normalise_name(n.abbreviation) == clash for n in self.new.values()):
                errors.append(
                    Problem(
                        f'the abbreviation "{abbreviation}" is given to two new agencies.',
                        row=row,
                        column=column,
                    )
                )
            new = self.new[key] = NewAgency(named.name, abbreviation)
        if row not in new.rows:
            new.rows.append(row)
        return new


class _StoredPlan:
    """The plan's priorities, issues and actions as stored (nothing when the plan is new)."""

    def __init__(self, plan: Plan | None, snapshot: list):
        self.priorities, self.issues, self.actions = [], [], []
        self.claimed: set[int] = set()
        self.by_plain_ref, self.by_issue_ref, self.by_text = {}, {}, {}
        self.next_number = 1
        if plan is None:
            return
        self.priorities = list(plan.priorities.order_by("position"))
        self.issues = list(plan.issues.order_by("number"))
        readings = MeasureReading.objects.filter(measure=OuterRef("pk"))
        measures = Measure.objects.annotate(has_readings=Exists(readings)).order_by("position")
        self.actions = list(
            Action.objects.filter(plan=plan)
            .annotate(latest_id=latest_update("pk"), latest_narrative=latest_update("narrative"))
            .prefetch_related("support_agencies", Prefetch("measures", queryset=measures))
            .order_by("number")
        )
        for p in self.priorities:
            snapshot.append(("priority", p.pk, p.position, p.title))
        for i in self.issues:
            snapshot.append(("issue", i.pk, i.priority_id, i.number, i.ref, i.title))
        for a in self.actions:
            snapshot.append(
                (
                    "action",
                    a.pk,
                    a.version,
                    a.issue_id,
                    a.number,
                    a.ref,
                    a.title,
                    a.lead_agency_id,
                    a.target_date,
                    a.status,
                    a.latest_id,
                    sorted(s.pk for s in a.support_agencies.all()),
                    [(m.pk, m.position, m.text, m.has_readings) for m in a.measures.all()],
                )
            )
        issue_priority = {i.pk: i.priority_id for i in self.issues}
        refs = [a.ref for a in self.actions if a.ref]
        self.by_plain_ref = {a.ref: a for a in self.actions if a.ref and refs.count(a.ref) == 1}
        self.by_issue_ref = {(a.issue_id, a.ref): a for a in self.actions if a.ref}
        self.by_text = {}
        for a in self.actions:
            if not a.ref:
                key = (issue_priority[a.issue_id], title_key(a.title))
                self.by_text.setdefault(key, a)
        self.next_number = max((a.number for a in self.actions), default=0) + 1


# Priorities and issues


def _match_structure(preview: Preview, stored: _StoredPlan) -> list:
    """Each row with its priority and issue (stored or new), in the file's order."""
    targets = [PriorityTarget(p.title, p) for p in stored.priorities]
    by_key = {title_key(t.title): t for t in targets}
    issue_targets = {}
    for i in stored.issues:
        owner = next(t for t in targets if t.priority.pk == i.priority_id)
        target = IssueTarget(i.title, i.ref, owner, i)
        owner.issues.append(target)
        issue_targets.setdefault(title_key(i.title), []).append(target)
    rows = []
    for row in preview.parsed.rows:
        priority = by_key.get(title_key(row.priority))
        if priority is None:
            priority = by_key[title_key(row.priority)] = PriorityTarget(row.priority, None)
            targets.append(priority)
        issue = None
        if row.issue_title or row.has_action:
            issue = _issue_target(preview, row, priority, issue_targets)
        rows.append((row, priority, issue))
    for rank, priority in enumerate(targets, start=1):
        priority.rank = rank
        for issue_rank, issue in enumerate(priority.issues, start=1):
            issue.rank = issue_rank
    preview.priorities = targets
    return rows


def _issue_target(preview, row: Row, priority: PriorityTarget, issue_targets) -> IssueTarget:
    default = not row.issue_title
    title = row.issue_title or priority.title
    candidates = issue_targets.get(title_key(title), [])
    same = [c for c in candidates if c.priority is priority]
    if same:
        target = same[0]
        if target.issue is not None and row.issue_ref and row.issue_ref != target.ref:
            preview.warnings.append(
                Problem(
                    f'the plan numbers "{target.title}" as "{target.ref or "unnumbered"}"; the '
                    f'number "{row.issue_ref}" in the file was not applied.',
                    row=row.number,
                    column="emerging_issue",
                )
            )
        return target
    if candidates and not default:
        other = candidates[0]
        if other.issue is not None:
            preview.errors.append(
                Problem(
                    f'"{title}" is under the {preview.labels.priority.lower()} '
                    f'"{other.priority.title}" in the plan. The import does not move an '
                    "emerging issue to another priority.",
                    row=row.number,
                    column="emerging_issue",
                )
            )
    target = IssueTarget(title, row.issue_ref, priority, None, first_row=row.number)
    priority.issues.append(target)
    issue_targets.setdefault(title_key(title), []).append(target)
    return target


# Actions


def _match_actions(preview: Preview, rows, stored: _StoredPlan, agencies: _AgencyIndex) -> None:
    columns = preview.parsed.columns
    claimed_by: dict[int, int] = {}
    slots: dict[tuple[int, str], int] = {}
    next_number = stored.next_number
    for row, priority, issue in rows:
        if not row.has_action:
            continue
        ref, action = _find_action(row, priority, issue, stored)
        if ref and (id(issue), ref) in slots:
            preview.errors.append(
                Problem(
                    f"the action on row {slots[(id(issue), ref)]} already has the reference "
                    f'"{ref}" under this emerging issue.',
                    row=row.number,
                    column="action_ref",
                )
            )
        slots.setdefault((id(issue), ref or f"#{row.number}"), row.number)
        if action is not None:
            if action.pk in claimed_by:
                preview.errors.append(
                    Problem(
                        f"this row and row {claimed_by[action.pk]} both match the plan's action "
                        f"{action.ref_display or action.number}.",
                        row=row.number,
                        column="action_ref" if row.action_ref else "action",
                    )
                )
            claimed_by[action.pk] = row.number
            stored.claimed.add(action.pk)
        result = ActionRow(row=row, kind="unchanged", action=action, issue=issue, ref=ref)
        errors = preview.errors
        if "lead_agency" in columns:
            result.lead = row.lead and agencies.find(row.lead, row.number, errors, "lead_agency")
        if "support_agencies" in columns:
            result.support = [
                agencies.find(a, row.number, errors, "support_agencies") for a in row.support
            ]
        if "measures" in columns:
            result.measures = row.measures
        if "target_date" in columns:
            result.target_date = row.target_date
        if action is None:
            result.kind = "created"
            result.number = next_number
            next_number += 1
        else:
            _compare_action(preview, result, stored, agencies.by_pk)
        result.update = _pending_update(preview, result)
        preview.actions.append(result)
    leaderless = [
        a.row.number
        for a in preview.actions
        if a.lead is None and (a.kind == "created" or a.action.lead_agency_id is not None)
    ]
    if leaderless:
        preview.warnings.append(
            Problem(
                "is blank: "
                + ("the action" if len(leaderless) == 1 else "those actions")
                + " will have no lead agency.",
                rows=leaderless,
                column="lead_agency",
            )
        )


def _find_action(row: Row, priority: PriorityTarget, issue: IssueTarget, stored: _StoredPlan):
    """The action's own reference, and the stored action the row is, if any.

    A reference qualified by its priority's and issue's places ("2.1.a", see importing/writing.py)
    is the issue's action "a"; a plain one is looked for under the row's issue, then in the
    whole plan (where it is unique there).
    """
    if not row.action_ref:
        if priority.priority is None:
            return "", None
        return "", stored.by_text.get((priority.priority.pk, title_key(row.action)))
    ref = row.action_ref
    in_issue = (lambda r: stored.by_issue_ref.get((issue.issue.pk, r))) if issue.issue else None
    qualified = QUALIFIED_REF.fullmatch(ref)
    if qualified and (int(qualified[1]), int(qualified[2])) == (priority.rank, issue.rank):
        own = qualified[3]
        found = in_issue and in_issue(own)
        if found:
            return own, found
        found = (in_issue and in_issue(ref)) or stored.by_plain_ref.get(ref)
        return (ref, found) if found else (own, None)
    found = (in_issue and in_issue(ref)) or stored.by_plain_ref.get(ref)
    return ref, found


def _compare_action(preview: Preview, result: ActionRow, stored: _StoredPlan, agencies) -> None:
    action, row, changes = result.action, result.row, result.changes
    issue = result.issue
    if issue.issue is None or issue.issue.pk != action.issue_id:
        before = next(i for i in stored.issues if i.pk == action.issue_id)
        changes.append(Change(preview.labels.issue, before.title, issue.title))
        result.changed.add("issue")
        if issue.issue is not None:
            occupant = stored.by_issue_ref.get((issue.issue.pk, result.ref))
            if result.ref and occupant is not None and occupant.pk != action.pk:
                preview.errors.append(
                    Problem(
                        f'another action under "{issue.title}" already has the reference '
                        f'"{result.ref}".',
                        row=row.number,
                        column="action_ref",
                    )
                )
    if action.title != row.action:
        changes.append(Change(preview.labels.action, action.title, row.action))
        result.changed.add("title")
    if given(result.lead):
        lead = result.lead or None
        before = agencies.get(action.lead_agency_id)
        if _identity(lead) != _identity(before):
            changes.append(Change("Lead agency", _agency_text(before), _agency_text(lead)))
            result.changed.add("lead_agency")
    if given(result.support):
        before = list(action.support_agencies.all())
        if {_identity(a) for a in before} != {_identity(a) for a in result.support}:
            changes.append(
                Change(
                    "Support agencies",
                    _names(before),
                    _names(result.support),
                )
            )
            result.changed.add("support_agencies")
    if given(result.measures):
        before = list(action.measures.all())
        if [m.text for m in before] != result.measures:
            changes.append(
                Change("Measures", _names(m.text for m in before), _names(result.measures))
            )
            result.changed.add("measures")
            for measure in before:
                if measure.text not in result.measures and measure.has_readings:
                    preview.errors.append(
                        Problem(
                            f'the measure "{measure.text}" has readings recorded, so the import '
                            "cannot remove it. Keep it in the list.",
                            row=row.number,
                            column="measures",
                        )
                    )
    if given(result.target_date) and result.target_date != action.target_date:
        changes.append(
            Change("Target date", _date_text(action.target_date), _date_text(result.target_date))
        )
        result.changed.add("target_date")
    result.kind = "updated" if changes else "unchanged"


def _pending_update(preview: Preview, result: ActionRow) -> PendingUpdate | None:
    """A status different from the action's is a status update; new words alone are a note."""
    row, action = result.row, result.action
    columns = preview.parsed.columns
    status = row.status if "status" in columns else ""
    progress = row.progress if "progress_update" in columns else ""
    current = action.status if action else Status.NOT_STARTED
    latest = (action.latest_narrative or "") if action else ""
    based_on = action.latest_id if action else None
    new_words = progress if progress and progress != latest else ""
    if status and status != current:
        if current in CLOSED_STATUSES and status not in CLOSED_STATUSES:
            preview.warnings.append(
                Problem(
                    f"the action is recorded as {Status(current).label.lower()}; the file sets "
                    f"it back to {Status(status).label.lower()}. If the file is older than "
                    "that update, correct the file first.",
                    row=row.number,
                    column="status",
                )
            )
        narrative = new_words or (progress if status in NEEDS_NARRATIVE else "")
        if status in NEEDS_NARRATIVE and not narrative:
            preview.errors.append(
                Problem(
                    f"is blank: say why the action is {Status(status).label.lower()}.",
                    row=row.number,
                    column="progress_update",
                )
            )
        return PendingUpdate(status, RAG_FOR_STATUS[status], narrative, current, based_on)
    if new_words:
        return PendingUpdate("", "", new_words, current, based_on)
    return None


def _identity(agency) -> object:
    if not agency:
        return None
    return ("stored", agency.pk) if isinstance(agency, Agency) else ("new", id(agency))


def _agency_text(agency) -> str:
    return str(agency) if agency else "none"


def _names(items) -> str:
    items = [str(i) for i in items]
    return "; ".join(items) if items else "none"


def _date_text(day) -> str:
    return f"{day:%-d %B %Y}" if day else "none"
