"""The plans app's models: partnerships, their agencies and members (partnerships.py); the
plans they agree and what a plan holds (plan.py); the performance indicators they watch
(indicators.py)."""

from plans.models.indicators import (
    Change,
    Indicator,
    IndicatorValue,
    ValueWithChanges,
    year_earlier,
)
from plans.models.partnerships import Agency, Membership, Partnership, normalise_name
from plans.models.plan import (
    CategoryCount,
    CategoryTag,
    Contact,
    EmergingIssue,
    GlossaryTerm,
    IssueImpact,
    Plan,
    PlanSection,
    Priority,
    PriorityCategory,
)

__all__ = [
    "Agency",
    "CategoryCount",
    "CategoryTag",
    "Change",
    "Contact",
    "EmergingIssue",
    "GlossaryTerm",
    "Indicator",
    "IndicatorValue",
    "IssueImpact",
    "Membership",
    "Partnership",
    "Plan",
    "PlanSection",
    "Priority",
    "PriorityCategory",
    "ValueWithChanges",
    "normalise_name",
    "year_earlier",
]
