"""What every page shows about the session: when it ends (for the warning), and a form that
was kept when the session ended, offered back on its page to the person who was filling it."""

from django.conf import settings
from django.utils import timezone

from accounts import sessions


def session(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    kept = request.session.get(sessions.KEPT_FORM)
    if kept and (kept["user"] != user.pk or kept["path"] != request.path):
        kept = None
    elif kept:
        del request.session[sessions.KEPT_FORM]  # offered once
    ends_at = sessions.ends_at(request.session)
    return {
        "session_ends_at": ends_at,
        "session_seconds_left": max(0, int((ends_at - timezone.now()).total_seconds())),
        "session_warn_seconds": int(settings.SESSION_WARNING_BEFORE.total_seconds()),
        "kept_form": kept,
    }
