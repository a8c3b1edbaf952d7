"""Session limits kept in the session itself: when it began, when it was last used, and a
form that was being sent when it ended (offered back after signing in again)."""

import datetime

from django.conf import settings
from django.utils import timezone

SIGNED_IN_AT = "accounts.signed_in_at"
LAST_SEEN = "accounts.last_seen"
KEPT_FORM = "accounts.kept_form"
PENDING = "accounts.pending_sign_in"
#: Fields never kept from a form (the CSRF token changes, secrets are never stored).
NOT_KEPT = ("csrfmiddlewaretoken", "password", "code", "token")


def now_ts() -> float:
    return timezone.now().timestamp()


def start(session) -> None:
    session[SIGNED_IN_AT] = session[LAST_SEEN] = now_ts()


def seen(session) -> None:
    """Note a request: written at most every thirtieth of the idle limit (a minute), so that
    most requests do not write the session, and the limit is never later than it says."""
    now = now_ts()
    step = min(60.0, settings.SESSION_IDLE_TIMEOUT.total_seconds() / 30)
    if now - session.get(LAST_SEEN, 0) >= step:
        session[LAST_SEEN] = now


def ended_because(session) -> str | None:
    """Why the session is over ("idle", "absolute"), or None while it lasts."""
    now = now_ts()
    signed_in_at = session.setdefault(SIGNED_IN_AT, now)
    last_seen = session.setdefault(LAST_SEEN, now)
    if now - signed_in_at >= settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
        return "absolute"
    if now - last_seen >= settings.SESSION_IDLE_TIMEOUT.total_seconds():
        return "idle"
    return None


def ends_at(session) -> datetime.datetime:
    """When the session ends if nothing more happens: the idle or the absolute limit."""
    idle = session.get(LAST_SEEN, now_ts()) + settings.SESSION_IDLE_TIMEOUT.total_seconds()
    absolute = (
        session.get(SIGNED_IN_AT, now_ts()) + settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
    )
    return datetime.datetime.fromtimestamp(min(idle, absolute), datetime.UTC)


def kept_form(request, user) -> dict:
    """What a POST that arrived too late carried, minus secrets and files: offered back on the
    same page to the same person after they sign in again."""
    fields = [
        [name, value]
        for name, values in request.POST.lists()
        if not any(word in name.lower() for word in NOT_KEPT)
        for value in values
    ]
    return {"path": request.path, "user": user.pk, "fields": fields}
