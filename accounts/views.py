"""Sign-in, the second factor, passwords and sessions: HTTP only; changes are services."""

import base64
import io

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import services, sessions
from accounts.forms import CodeForm, EnrolForm, ResetRequestForm, ResetSecondFactorForm
from csp_tracker import permissions
from csp_tracker.forms import add_refusal, form_status, posted
from csp_tracker.security_log import log_event

#: The second step must follow the first within this many seconds.
PENDING_SECONDS = 5 * 60
LOCKED = (
    "Too many attempts to sign in. Wait 15 minutes, then try again, or reset your password "
    "by email."
)


def _next(request, default="plans:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


@require_http_methods(["GET", "POST"])
def sign_in(request):
    """The first step: username and password. Someone with a second factor goes on to give
    its code; django-axes has already refused a locked-out username or address."""
    form = AuthenticationForm(request, data=posted(request))
    if form.is_valid():
        user = form.get_user()
        if services.has_second_factor(user):
            request.session.cycle_key()
            request.session[sessions.PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "at": sessions.now_ts(),
            }
            return redirect(_with_next("accounts:sign-in-code", request))
        login(request, user)
        return redirect(_next(request))
    context = {"form": form, "next": _next(request) if request.GET.get("next") else ""}
    return render(request, "registration/login.html", context, status=form_status(form))


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """django-axes's answer to a locked-out username or address: the same page and words
    whether or not the account exists."""
    context = {"form": AuthenticationForm(request), "next": "", "locked": LOCKED}
    return render(request, "registration/login.html", context, status=429)


def _pending_user(request):
    """Who is between the two steps: the password was right a moment ago, or they are signed
    in without the second factor (a session from before it was required)."""
    if request.user.is_authenticated:
        return request.user, None
    pending = request.session.get(sessions.PENDING)
    if not pending or sessions.now_ts() - pending["at"] > PENDING_SECONDS:
        request.session.pop(sessions.PENDING, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending["backend"]


@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """The second step: a code from the authenticator app or a recovery code. A wrong code
    counts as a failed sign-in for django-axes, as a wrong password does."""
    user, backend = _pending_user(request)
    if user is None:
        messages.info(request, "Sign in again: the page asking for your code had expired.")
        return redirect("login")
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_next(request))
    if not services.has_second_factor(user):
        return redirect(_with_next("accounts:two-factor", request))
    credentials = {"username": user.get_username()}
    form = CodeForm(posted(request))
    if form.is_valid():
        if not AxesProxyHandler.is_allowed(request, credentials):
            return locked_out(request)
        device = services.verify_second_factor(user=user, code=form.cleaned_data["code"])
        if device is None:
            user_login_failed.send(
                sender=__name__, credentials=credentials, request=request, step="code"
            )
            form.add_error("code", services.WRONG_CODE)
        else:
            return _signed_in(request, user, backend, device)
    context = {"form": form, "next": _next(request)}
    return render(request, "accounts/sign_in_code.html", context, status=form_status(form))


def _signed_in(request, user, backend, device):
    request.session.pop(sessions.PENDING, None)
    if not request.user.is_authenticated:
        login(request, user, backend=backend)
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        left = services.recovery_codes_left(user)
        log_event("second_factor.recovery_code_used", user=user, request=request, left=left)
        messages.warning(
            request,
            f"You signed in with a recovery code: it will not work again, and you have {left} "
            "left. Make new ones from your account page if you are running out.",
        )
    return redirect(_next(request))


@login_required
def account(request):
    """The person's own page: password, second factor, signing out everywhere."""
    context = {
        "has_second_factor": services.has_second_factor(request.user),
        "needs_second_factor": permissions.needs_second_factor(request.user),
        "codes_left": services.recovery_codes_left(request.user),
        "can_reset_second_factors": permissions.can_reset_second_factors(request.user),
        "session_ends_at": sessions.ends_at(request.session),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Everyone changes their own password, giving the current one first."""
    form = PasswordChangeForm(request.user, posted(request))
    if form.is_valid():
        services.change_password(
            user=request.user, password=form.cleaned_data["new_password1"], request=request
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, "Your password has been changed.")
        return redirect("accounts:account")
    return render(
        request, "accounts/password_change.html", {"form": form}, status=form_status(form)
    )


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Ask for a reset link by email. The answer is the same whether or not the account
    exists."""
    form = ResetRequestForm(posted(request))
    if form.is_valid():
        services.request_password_reset(
            identifier=form.cleaned_data["identifier"],
            site=request.build_absolute_uri("/"),
            request=request,
        )
        return render(request, "accounts/password_reset_sent.html")
    return render(request, "accounts/password_reset.html", {"form": form}, status=form_status(form))


@require_http_methods(["GET", "POST"])
def password_reset_link(request, token):
    """Where the emailed link leads: choose a new password."""
    try:
        reset = services.reset_for_link(token)
    except ValidationError as refusal:
        return render(
            request, "accounts/password_reset_bad_link.html", {"refusal": refusal}, status=404
        )
    form = SetPasswordForm(reset.user, posted(request))
    if form.is_valid():
        try:
            services.reset_password(
                token=token, password=form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Your password has been changed. Sign in with it now.")
            return redirect("login")
    return render(
        request, "accounts/password_reset_link.html", {"form": form}, status=form_status(form)
    )


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Set up the second factor (a QR code and the key as text), or see that it is on."""
    user = request.user
    if services.has_second_factor(user) and request.method == "GET":
        context = {
            "codes_left": services.recovery_codes_left(user),
            "needs_second_factor": permissions.needs_second_factor(user),
        }
        return render(request, "accounts/two_factor_on.html", context)
    if services.has_second_factor(user) and not user.is_verified():
        return redirect("accounts:sign-in-code")
    device = services.start_enrolment(user=user)
    form = EnrolForm(posted(request))
    if form.is_valid():
        try:
            device, codes = services.confirm_enrolment(
                user=user, code=form.cleaned_data["code"], request=request
            )
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            otp_login(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next(request, "accounts:account"), "enrolled": True},
            )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "qr": _qr_data_uri(device.config_url),
        "secret": _grouped(secret),
        "needs_second_factor": permissions.needs_second_factor(user),
        "next": request.GET.get("next") or request.POST.get("next", ""),
    }
    return render(request, "accounts/two_factor_enrol.html", context, status=form_status(form))


def _verified_owner(request):
    if not services.has_second_factor(request.user) or not request.user.is_verified():
        raise PermissionDenied
    return request.user


@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes, shown once; the old ones stop working."""
    codes = services.new_recovery_codes(user=_verified_owner(request), request=request)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:account"), "enrolled": False},
    )


@login_required
@require_POST
def two_factor_off(request):
    """Someone who need not use a second factor stops using it."""
    user = _verified_owner(request)
    if permissions.needs_second_factor(user):
        raise PermissionDenied
    services.turn_off_second_factor(user=user, request=request)
    messages.success(request, "Two-factor sign-in is off.")
    return redirect("accounts:account")


@login_required
@require_POST
def sign_out_everywhere(request):
    """End every session of this account, here and on every other device."""
    services.sign_out_everywhere(user=request.user, request=request)
    logout(request)
    messages.success(request, "You have been signed out everywhere. Sign in again to go on.")
    return redirect("login")


@login_required
@require_http_methods(["GET", "POST"])
def session(request):
    """When the session ends (GET, for the warning's script: reading it does not extend the
    session); POST is "Stay signed in"."""
    if request.method == "POST":
        request.session[sessions.LAST_SEEN] = sessions.now_ts()
        if not request.headers.get("Accept", "").startswith("application/json"):
            messages.success(request, "You are still signed in.")
            return redirect(_next(request))
    ends_at = sessions.ends_at(request.session)
    left = max(0, int((ends_at - timezone.now()).total_seconds()))
    warn = int(settings.SESSION_WARNING_BEFORE.total_seconds())
    return JsonResponse(
        {"ends_at": ends_at.isoformat(), "seconds_left": left, "warn_seconds": warn}
    )


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_resets(request):
    """A site administrator removes the second factor of someone who lost their device and
    their recovery codes; they set it up again at their next sign-in."""
    if not permissions.can_reset_second_factors(request.user):
        raise PermissionDenied
    form = ResetSecondFactorForm(posted(request))
    if form.is_valid():
        target = form.cleaned_data["user"]
        removed = services.reset_second_factor(user=target, by=request.user, request=request)
        messages.success(
            request,
            f"{target.get_username()}'s second factor has been removed ({removed} removed); "
            "they set it up again when they next sign in.",
        )
        return redirect("accounts:second-factor-resets")
    return render(
        request, "accounts/second_factor_resets.html", {"form": form}, status=form_status(form)
    )
