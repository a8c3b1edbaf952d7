"""Plain make_<model>(**overrides) functions: a test states only what matters to it."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from actions import services as action_services
from actions.models import Action, ReportingPeriod
from plans import services
from plans.models import Agency, Membership, Partnership, Plan

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def make_user(**overrides):
    n = _n()
    fields = {"username": f"user{n}", "first_name": "Person", "last_name": f"{n}"}
    fields.update(overrides)
    password = fields.pop("password", "pass-word-123")
    user = get_user_model().objects.create_user(password=password, **fields)
    return user


def make_partnership(**overrides) -> Partnership:
    n = _n()
    fields = {
        "slug": f"partnership-{n}",
        "name": f"Partnership {n} Community Safety Partnership",
        "short_name": f"P{n} CSP",
        "kind": Partnership.Kind.DISTRICT,
    }
    fields.update(overrides)
    return services.create_partnership(**fields)


def make_agency(**overrides) -> Agency:
    n = _n()
    fields = {"name": f"Agency {n}", "abbreviation": f"AG{n}"}
    fields.update(overrides)
    return services.create_agency(**fields)


def make_membership(*, user=None, partnership, role, agency=None, **overrides) -> Membership:
    return services.add_membership(
        user=user or make_user(), partnership=partnership, role=role, agency=agency, **overrides
    )


def make_plan(**overrides) -> Plan:
    n = _n()
    fields = {
        "partnership": overrides.pop("partnership", None) or make_partnership(),
        "slug": f"plan-{n}",
        "title": f"Community Safety Plan {n}",
        "period_start": datetime.date(2015, 4, 1),
        "period_end": datetime.date(2016, 3, 31),
        "status": Plan.Status.LIVE,
        "impacts_label": "Which of the other current priorities does this impact upon?",
    }
    fields.update(overrides)
    return services.create_plan(**fields)


def make_priority(*, plan=None, **overrides):
    plan = plan or make_plan()
    fields = {"title": f"Priority {_n()}"}
    fields.update(overrides)
    return services.add_priority(plan=plan, **fields)


def make_issue(*, priority=None, **overrides):
    priority = priority or make_priority()
    n = _n()
    fields = {"title": f"Emerging issue {n}", "ref": str(n)}
    fields.update(overrides)
    return services.add_issue(priority=priority, **fields)


def make_action(*, plan=None, issue=None, **overrides) -> Action:
    if issue is None:
        priority = make_priority(plan=plan) if plan else make_priority()
        issue = make_issue(priority=priority)
    n = _n()
    # A plan may leave the lead unset: pass lead_agency=None for that; omit it for a new agency.
    fields = {"title": f"Action {n}"}
    fields["lead_agency"] = (
        overrides.pop("lead_agency") if "lead_agency" in overrides else make_agency()
    )
    fields.update(overrides)
    if "ref" not in fields:
        fields["ref"] = str(n)
    return action_services.add_action(issue=issue, **fields)


def make_measure(*, action=None, **overrides):
    fields = {"text": f"Measure {_n()}"}
    fields.update(overrides)
    return action_services.add_measure(action=action or make_action(), **fields)


def make_period(*, plan, **overrides) -> ReportingPeriod:
    n = _n()
    fields = {
        "name": f"Q{n}",
        "slug": f"q{n}",
        "start": plan.period_start,
        "end": plan.period_start + datetime.timedelta(days=90),
    }
    fields.update(overrides)
    return action_services.add_reporting_period(plan=plan, **fields)
