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
from plans.models.partnerships import (
    AGENCY_USES,
    Agency,
    Invitation,
    Membership,
    Partnership,
    PartnershipAgency,
    Unusable,
    normalise_name,
)
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
    "AGENCY_USES",
    "Agency",
    "CategoryCount",
    "CategoryTag",
    "Change",
    "Contact",
    "EmergingIssue",
    "GlossaryTerm",
    "Indicator",
    "IndicatorValue",
    "Invitation",
    "IssueImpact",
    "Membership",
    "Partnership",
    "PartnershipAgency",
    "Plan",
    "PlanSection",
    "Priority",
    "PriorityCategory",
    "Unusable",
    "ValueWithChanges",
    "normalise_name",
    "year_earlier",
]
