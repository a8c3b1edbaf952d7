"""The security log's sign-in events, from Django's and django-axes's signals, and the start
of each session's clock."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts import sessions
from csp_tracker.security_log import log_event


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.start(request.session)
    log_event("sign_in.success", user=user, request=_real(request))


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        log_event("sign_out", user=user, request=_real(request))


@receiver(user_login_failed)
def _failed(sender, credentials, request=None, **kwargs):
    log_event("sign_in.failure", request=_real(request), username=credentials.get("username"))


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    log_event("sign_in.locked_out", request=_real(request), username=username)


def _real(request):
    """The test client's force_login passes a bare HttpRequest without a path's meaning."""
    return request if request is not None and getattr(request, "path", "") else None
