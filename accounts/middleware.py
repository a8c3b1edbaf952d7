"""Sign-in rules applied to every request: session limits, the second factor, and no caching
of a signed-in page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from accounts import services, sessions
from csp_tracker import permissions
from csp_tracker.security_log import log_event


def ended_message(reason: str) -> str:
    """Why the person was signed out, in the limits the settings give."""
    if reason == "idle":
        seconds = int(settings.SESSION_IDLE_TIMEOUT.total_seconds())
        idle = f"{seconds // 60} minutes" if seconds >= 120 else f"{seconds} seconds"
        return f"You were signed out because you had not used CSP Tracker for {idle}."
    if reason == "absolute":
        hours = round(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() / 3600)
        return f"You were signed out because you signed in more than {hours} hours ago."
    return "You were signed out."


KEPT = " Sign in again: what you were sending has been kept for you."


class SessionLimitsMiddleware:
    """Ends a session 30 minutes after its last request or 12 hours after signing in ("Sign
    out everywhere" deletes the sessions themselves); a POST that arrives too late is kept to
    be offered back.
    Every response to a signed-in person is marked `Cache-Control: no-store`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = sessions.ended_because(request.session)
            if reason is not None:
                return self._ended(request, reason)
            if not request.path.startswith(reverse("accounts:session")):
                sessions.seen(request.session)
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response

    def _ended(self, request, reason):
        user = request.user
        kept = sessions.kept_form(request, user) if request.method == "POST" else None
        log_event("session.ended", user=user, request=request, reason=reason)
        logout(request)
        if kept and kept["fields"]:
            request.session[sessions.KEPT_FORM] = kept
        messages.info(request, ended_message(reason) + (KEPT if kept and kept["fields"] else ""))
        next_url = request.get_full_path() if request.method == "GET" else request.path
        response = redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = response["Location"]
        add_never_cache_headers(response)
        return response


#: What a signed-in person who still owes a second factor may open.
BEFORE_SECOND_FACTOR = {
    "logout",
    "accounts:two-factor",
    "accounts:sign-in-code",
    "accounts:session",
}


class SecondFactorMiddleware:
    """Whoever must use a second factor (permissions.needs_second_factor) and has not passed
    it in this session gets nothing but the page that asks for it, or sets it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        """Every refusal (403) goes into the security log."""
        if isinstance(exception, PermissionDenied):
            log_event("permission.denied", user=request.user, request=request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in BEFORE_SECOND_FACTOR:
            return None
        if not permissions.needs_second_factor(user):
            return None
        log_event("second_factor.required", user=user, request=request)
        target = (
            "accounts:sign-in-code" if services.has_second_factor(user) else "accounts:two-factor"
        )
        next_url = request.get_full_path() if request.method == "GET" else request.path
        return redirect(f"{reverse(target)}?{urlencode({'next': next_url})}")
