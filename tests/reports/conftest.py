"""Fixtures of the document tests: a plan with a year of progress.

Today is 20 December 2015, in the plan's third quarter. Four actions, each with a history:

- "Pilot body worn video": on track in Q1 (2 of 10 cameras), delayed in Q3 (4 of 10);
- "Deliver training": completed in Q2;
- "Produce a mapping document": target 1 November 2015, never updated (overdue);
- "Refresh the communications strategy" (a second priority): at risk in Q2, a note in Q3.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine

from actions import services
from actions.models import Action, Measure, ReportingPeriod
from tests.factories import make_action, make_issue, make_measure, make_period, make_priority

TODAY = datetime.date(2015, 12, 20)
NOW = datetime.datetime(2015, 12, 20, 10, 0)


@pytest.fixture
def frozen_today():
    with time_machine.travel(NOW, tick=False):
        yield TODAY


@dataclass
class YearOfProgress:
    plan: object
    q1: ReportingPeriod
    q2: ReportingPeriod
    q3: ReportingPeriod
    video: Action
    training: Action
    mapping: Action
    comms: Action
    cameras: Measure


def _period(plan, name, slug, start, end):
    return make_period(plan=plan, name=name, slug=slug, start=start, end=end)


@pytest.fixture
def year(frozen_today, plan, issue, lead_agency, support_agency, officer, coordinator):
    d = datetime.date
    q1 = _period(plan, "Q1 2015/16", "q1", d(2015, 4, 1), d(2015, 6, 30))
    q2 = _period(plan, "Q2 2015/16", "q2", d(2015, 7, 1), d(2015, 9, 30))
    q3 = _period(plan, "Q3 2015/16", "q3", d(2015, 10, 1), d(2015, 12, 31))
    _period(plan, "Q4 2015/16", "q4", d(2016, 1, 1), d(2016, 3, 31))
    video = make_action(
        issue=issue,
        title="Pilot body worn video",
        lead_agency=lead_agency,
        support_agencies=[support_agency],
        target_date=d(2016, 3, 31),
    )
    cameras = make_measure(
        action=video, text="10 cameras in use", is_numeric=True, target=10, unit="cameras"
    )
    training = make_action(issue=issue, title="Deliver training", lead_agency=lead_agency)
    mapping = make_action(
        issue=issue,
        title="Produce a mapping document",
        lead_agency=lead_agency,
        target_date=d(2015, 11, 1),
    )
    engagement = make_issue(priority=make_priority(plan=plan, title="Engagement"))
    comms = make_action(
        issue=engagement, title="Refresh the communications strategy", lead_agency=lead_agency
    )

    def report(action, day, period, status="", rag="", narrative="", readings=None):
        services.record_update(
            action=action,
            by=officer,
            status=status,
            rag=rag,
            narrative=narrative,
            period=period,
            reported_on=day,
            readings=readings or {},
        )

    report(video, d(2015, 6, 10), q1, "on_track", "green", "Kit ordered.", {cameras: Decimal(2)})
    report(training, d(2015, 9, 1), q2, "completed", "green", "Forty officers trained.")
    report(comms, d(2015, 8, 15), q2, "at_risk", "amber", "Short of staff over summer.")
    report(video, d(2015, 11, 2), q3, "delayed", "red", "Supplier failed.", {cameras: Decimal(4)})
    report(comms, d(2015, 12, 1), q3, narrative="Draft strategy shared with partners.")
    return YearOfProgress(plan, q1, q2, q3, video, training, mapping, comms, cameras)
