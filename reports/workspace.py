"""What needs doing in a partnership, for its coordinator's home (the partnership page): plans
not yet published, the open update round's missing reports by lead agency, meetings held
without minutes and past meetings still marked as scheduled.

In the reports app because it reads plans, actions and meetings at once; each part is read
in a fixed number of queries however many actions the plans hold.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from actions.models import ReportingPeriod
from actions.pages import RoundProgress, open_round, rounds_progress
from meetings.models import Meeting, Minute
from plans.models import Partnership, Plan


@dataclass
class PlanRound:
    """A plan still being delivered, with its open round's progress (None: no open round)."""

    plan: Plan
    progress: RoundProgress | None


@dataclass
class ToDo:
    running: list[Plan]
    unpublished: list[Plan]
    rounds: list[PlanRound]
    without_minutes: list[Meeting]
    still_scheduled: list[Meeting]

    @property
    def missing_updates(self) -> int:
        return sum(r.progress.missing for r in self.rounds if r.progress)

    @property
    def nothing(self) -> bool:
        """Whether there is nothing on the list."""
        return not (
            self.unpublished
            or self.missing_updates
            or any(r.progress is None for r in self.rounds)
            or self.without_minutes
            or self.still_scheduled
        )


def what_needs_doing(
    partnership: Partnership, plans: list[Plan], user, today: datetime.date
) -> ToDo:
    """The coordinator's list for `partnership`, from its `plans` (as the page lists them)."""
    running = [p for p in plans if p.status != Plan.Status.CLOSED]
    by_plan = defaultdict(list)
    periods = ReportingPeriod.objects.filter(plan__in=running).order_by("start")
    for period in periods:
        by_plan[period.plan_id].append(period)
    chosen = {plan.pk: open_round(by_plan[plan.pk], today) for plan in running}
    for plan in running:
        if chosen[plan.pk] is not None:
            chosen[plan.pk].plan = plan
    progress = rounds_progress([p for p in chosen.values() if p is not None])
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(body__partnership=partnership)
        .for_list()
        .order_by("-date")
    )
    minuted = Minute.objects.filter(meeting=OuterRef("pk"))
    return ToDo(
        running=running,
        unpublished=[p for p in running if not p.is_published],
        rounds=[
            PlanRound(plan, progress[chosen[plan.pk].pk] if chosen[plan.pk] else None)
            for plan in running
            if plan.status == Plan.Status.LIVE or chosen[plan.pk]
        ],
        without_minutes=list(meetings.filter(status=Meeting.Status.HELD).exclude(Exists(minuted))),
        still_scheduled=list(meetings.filter(status=Meeting.Status.SCHEDULED, date__lt=today)),
    )
