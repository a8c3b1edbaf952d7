"""Every seed loader, in order: what `load_seeds` and the tests load."""

from django.db import transaction

from actions import seeds as plan_documents
from meetings import seeds as meeting_documents
from plans.seeds import load_indicators


@transaction.atomic
def load_all_seeds() -> plan_documents.LoadReport:
    """The plans (with their actions and progress), then their indicators, then meetings."""
    report = plan_documents.load_all()
    load_indicators(report=report)
    meeting_documents.load_all(report=report)
    return report
