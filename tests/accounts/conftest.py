"""The tools of the sign-in tests: a real two-step sign-in, and the current code of an app."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "pass-word-123"


def code_for(device: TOTPDevice, *, later: int = 0) -> str:
    """The code the person's app shows now (or `later` steps on)."""

    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + later,
    )
    return f"{value:0{device.digits}d}"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def give_code(client, code, **extra):
    return client.post(reverse("accounts:sign-in-code"), {"code": code}, **extra)


@pytest.fixture
def app_of():
    """A confirmed authenticator app for a user: app_of(user)."""

    def make(user):
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)

    return make
