"""The demo's second factors: every demo account that must use one gets an authenticator key
fixed by its username, so the demo works in two commands and `manage.py demo_code <username>`
prints the code its app would show. Only in DEMO_MODE (the demo accounts only work there)."""

import base64
import hashlib

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import APP_DEVICE
from csp_tracker.auth import DEMO_GROUP
from csp_tracker.permissions import needs_second_factor


def demo_key(username: str) -> str:
    """The fixed key (hex, 20 bytes) of a demo account: the same on every demo machine."""
    return hashlib.sha1(f"csp-tracker-demo-second-factor:{username}".encode()).hexdigest()


def secret(username: str) -> str:
    """The key as an authenticator app takes it (base32)."""
    return base64.b32encode(bytes.fromhex(demo_key(username))).decode().rstrip("=")


@transaction.atomic
def enrol_demo_users() -> list[str]:
    """Give each demo account that must use a second factor its fixed key; returns their
    usernames. Safe to run again."""
    enrolled = []
    for user in get_user_model().objects.filter(groups__name=DEMO_GROUP).order_by("username"):
        if not needs_second_factor(user):
            continue
        TOTPDevice.objects.filter(user=user).exclude(key=demo_key(user.username)).delete()
        TOTPDevice.objects.update_or_create(
            user=user,
            key=demo_key(user.username),
            defaults={"name": APP_DEVICE, "confirmed": True},
        )
        enrolled.append(user.username)
    return enrolled


def current_code(username: str) -> str:
    """The code the demo account's app shows now: the next one if the current one has just
    been used (a code works once)."""
    device = TOTPDevice.objects.get(user__username=username, key=demo_key(username))
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.drift = device.last_t + 1 - totp.t() + device.drift
    return f"{totp.token():0{device.digits}d}"
