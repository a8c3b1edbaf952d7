"""The accessibility statement and the privacy notice: public pages, the same for everyone, in
the words of whoever runs the service (its operator, from settings)."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET


def operator() -> dict:
    """Who runs this service and how to reach them, as settings give it."""
    return {
        "name": settings.OPERATOR_NAME,
        "email": settings.OPERATOR_EMAIL,
        "phone": settings.OPERATOR_PHONE,
        "address": settings.OPERATOR_ADDRESS,
        "dpo_email": settings.OPERATOR_DPO_EMAIL or settings.OPERATOR_EMAIL,
        "ico_registration": settings.OPERATOR_ICO_REGISTRATION,
    }


@require_GET
def accessibility(request):
    """How accessible the service is, what is not yet and when it will be, and how to ask."""
    context = {
        "operator": operator(),
        "prepared_on": settings.ACCESSIBILITY_STATEMENT_DATE,
        "nav": "about",
    }
    return render(request, "about/accessibility.html", context)


@require_GET
def privacy(request):
    """What the service holds about people, why, for how long, and whom to ask."""
    context = {"operator": operator(), "nav": "about"}
    return render(request, "about/privacy.html", context)
