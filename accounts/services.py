"""Every change to a person's sign-in: second factors, recovery codes, passwords and resets,
signing out everywhere. Each writes its line in the security log (never a secret)."""

import smtplib

from axes.utils import reset as reset_throttling
from django.contrib.auth import SESSION_KEY, get_user_model, password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp import devices_for_user, match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import PasswordReset
from csp_tracker import links
from csp_tracker.security_log import log_event

RECOVERY_CODES = 10
APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"
WRONG_CODE = "Enter the 6-digit code your app shows now, or one of your recovery codes"
BAD_RESET_LINK = (
    "This link to reset your password does not work: it has been used, has expired (links "
    "last an hour) or is incomplete. Ask for a new one."
)


def has_second_factor(user) -> bool:
    """The person has confirmed an authenticator app: signing in asks for its code."""
    return user_has_device(user, confirmed=True)


@transaction.atomic
def start_enrolment(*, user) -> TOTPDevice:
    """The authenticator-app key being set up: the same one until it is confirmed, so that
    reloading the page does not change the QR code someone has just scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
    return device


@transaction.atomic
def confirm_enrolment(*, user, code: str, request=None) -> tuple[TOTPDevice, list[str]]:
    """The person typed a code from the app they set up: it becomes their second factor (any
    earlier app is replaced) and they get a fresh set of recovery codes, shown once."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError("Start again: the key you scanned has been replaced.")
    if not device.verify_token(_digits(code)):
        raise ValidationError({"code": WRONG_CODE})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save()
    codes = _new_recovery_codes(user)
    log_event("second_factor.enrolled", user=user, request=request)
    return device, codes


@transaction.atomic
def new_recovery_codes(*, user, request=None) -> list[str]:
    """Replace the person's recovery codes: the old ones stop working."""
    codes = _new_recovery_codes(user)
    log_event("second_factor.recovery_codes_replaced", user=user, request=request)
    return codes


def _new_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify_second_factor(*, user, code: str):
    """The device that accepts the code (an app's current code, or a recovery code, which is
    then used up), or None. django-otp refuses a code already used and slows repeated
    failures on the app's key."""
    code = code.strip().replace(" ", "").replace("-", "").lower()
    if not code:
        return None
    return match_token(user, code)


@transaction.atomic
def reset_second_factor(*, user, by, request=None) -> int:
    """A site administrator removes someone's second factor (a lost phone and lost codes):
    every app and recovery code goes and their sessions end; they set it up again at their
    next sign-in. Returns how many devices went."""
    removed = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        removed += 1
    _end_sessions(user)
    log_event(
        "second_factor.reset", user=by, request=request, target=user.get_username(), n=removed
    )
    return removed


def turn_off_second_factor(*, user, request=None) -> None:
    """Someone who need not use a second factor stops using it (views ask permissions)."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    log_event("second_factor.removed", user=user, request=request)


@transaction.atomic
def sign_out_everywhere(*, user, request=None) -> None:
    """End every session of the person, on every device, this one included (the view then
    signs the request's own session out)."""
    _end_sessions(user)
    log_event("session.signed_out_everywhere", user=user, request=request)


def _end_sessions(user) -> int:
    """Delete every session of the person from the session store (the database), so that no
    request needs to check anything more: a rare act that reads each live session once."""
    key = str(user.pk)
    live = Session.objects.filter(expire_date__gt=timezone.now())
    doomed = [
        session.session_key
        for session in live.iterator()
        if session.get_decoded().get(SESSION_KEY) == key
    ]
    Session.objects.filter(session_key__in=doomed).delete()
    return len(doomed)


# Passwords


@transaction.atomic
def change_password(*, user, password: str, request=None) -> None:
    """Set a new password the person chose (the form checked the old one and the rules)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    log_event("password.changed", user=user, request=request)


def request_password_reset(*, identifier: str, site: str, request=None) -> None:
    """Email a reset link to the account with this email address or username, if there is
    one that can sign in. The caller says the same thing either way: nobody learns from the
    answer whether an account exists."""
    identifier = identifier.strip()
    User = get_user_model()
    user = (
        User.objects.filter(Q(email__iexact=identifier) | Q(username__iexact=identifier))
        .filter(is_active=True)
        .order_by("pk")
        .first()
        if identifier
        else None
    )
    address = _address(user)
    if user is None or not address:
        log_event("password.reset_requested", request=request, known=False)
        return
    with transaction.atomic():
        reset = PasswordReset.objects.create(user=user)
        link = site.rstrip("/") + reverse("accounts:password-reset-link", args=[reset.token()])
        transaction.on_commit(lambda: _send_reset_email(user, address, link))
    log_event("password.reset_requested", user=user, request=request, known=True)


def _address(user) -> str:
    if user is None:
        return ""
    if user.email:
        return user.email
    return user.username if "@" in user.username else ""


def _send_reset_email(user, address: str, link: str) -> bool:
    context = {"user": user, "link": link, "hours": PasswordReset.lifetime().seconds // 3600}
    message = EmailMultiAlternatives(
        "Reset your CSP Tracker password",
        render_to_string("accounts/email/password_reset.txt", context),
        to=[address],
    )
    message.attach_alternative(
        render_to_string("accounts/email/password_reset.html", context), "text/html"
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        log_event("password.reset_email_failed", user=user)
        return False
    return True


def reset_for_link(token: str) -> PasswordReset:
    """The unused, unexpired reset a link is for; ValidationError otherwise."""
    try:
        pk, nonce = links.read_token("password_reset", token, max_age=PasswordReset.lifetime())
    except links.BadLink:
        raise ValidationError(BAD_RESET_LINK) from None
    reset = (
        PasswordReset.objects.select_for_update()
        .select_related("user")
        .filter(pk=pk, nonce=nonce, used_at__isnull=True, user__is_active=True)
        .first()
    )
    if reset is None:
        raise ValidationError(BAD_RESET_LINK)
    return reset


@transaction.atomic
def reset_password(*, token: str, password: str, request=None):
    """Set the password chosen through a reset link. The link (and every other reset link of
    the person) stops working, every session of theirs ends, and the sign-in wait on their
    username is lifted."""
    reset = reset_for_link(token)
    user = reset.user
    try:
        password_validation.validate_password(password, user)
    except ValidationError as invalid:
        raise ValidationError({"new_password1": invalid.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    PasswordReset.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
    _end_sessions(user)
    reset_throttling(username=user.get_username())
    log_event("password.reset", user=user, request=request)
    return user


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())
