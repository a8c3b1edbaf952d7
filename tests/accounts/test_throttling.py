"""Failed sign-ins are limited per username and per address: five, then a 15-minute wait that
further failures do not extend; the same answer whether or not the account exists."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.views import LOCKED
from tests.accounts.conftest import PASSWORD, give_code, sign_in
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


def fail(client, username, times, **extra):
    return [sign_in(client, username, WRONG, **extra).status_code for _ in range(times)]


def test_five_failures_then_the_right_password_waits_15_minutes(client, officer):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert fail(client, officer.username, 4) == [422] * 4
        assert sign_in(client, officer.username, WRONG).status_code == 429
        refused = sign_in(client, officer.username)
        assert refused.status_code == 429
        assert LOCKED in text_of(refused)
        assert "_auth_user_id" not in client.session
        clock.shift(datetime.timedelta(minutes=14))
        assert sign_in(client, officer.username).status_code == 429  # does not extend the wait
        clock.shift(datetime.timedelta(minutes=1, seconds=1))
        assert sign_in(client, officer.username).status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_an_unknown_username_gets_the_same_answers(client, officer):
    real = fail(client, officer.username, 6)
    client.logout()
    unknown = fail(client, "nobody-by-this-name", 6, REMOTE_ADDR="192.0.2.50")
    assert real == unknown == [422] * 4 + [429] * 2
    one = text_of(sign_in(client, officer.username, WRONG, REMOTE_ADDR="192.0.2.60"))
    other = text_of(sign_in(client, "nobody-by-this-name", WRONG, REMOTE_ADDR="192.0.2.61"))
    assert LOCKED in one and LOCKED in other


def test_an_address_that_tries_many_usernames_is_held_up(client, officer, councillor):
    for n in range(5):
        sign_in(client, f"guess-{n}", WRONG, REMOTE_ADDR="198.51.100.7")
    # The address waits, even for an account it has never tried...
    assert sign_in(client, officer.username, REMOTE_ADDR="198.51.100.7").status_code == 429
    # ...while the person, from their own address, signs in.
    assert sign_in(client, officer.username, REMOTE_ADDR="203.0.113.5").status_code == 302


def test_a_forwarded_header_is_ignored_unless_configured(client, officer, settings):
    spoofed = [
        sign_in(
            client, f"guess-{n}", WRONG, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}"
        ).status_code
        for n in range(6)
    ]
    assert spoofed[-1] == 429  # a new X-Forwarded-For each time did not hide the address
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    behind_proxy = sign_in(
        client, officer.username, REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert behind_proxy.status_code == 302


def test_wrong_codes_at_the_second_step_count_as_failures(client, coordinator, app_of):
    app_of(coordinator)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(4):
            sign_in(client, coordinator.username)
            assert give_code(client, "000000").status_code == 422
            clock.shift(datetime.timedelta(seconds=20))  # django-otp's own slow-down
        sign_in(client, coordinator.username)
        locked = give_code(client, "000000")
        assert locked.status_code == 429
        assert sign_in(client, coordinator.username, PASSWORD).status_code == 429


def test_a_success_clears_the_count(client, officer):
    fail(client, officer.username, 4)
    assert sign_in(client, officer.username).status_code == 302
    client.post(reverse("logout"))
    assert fail(client, officer.username, 4) == [422] * 4


def test_the_password_hasher_runs_for_an_unknown_username_too(client, officer, monkeypatch):
    """The same work, so the same time, whether or not the account exists."""
    from django.contrib.auth.hashers import MD5PasswordHasher

    calls = []
    for method in ("encode", "verify"):
        real = getattr(MD5PasswordHasher, method)
        monkeypatch.setattr(
            MD5PasswordHasher,
            method,
            lambda self, *a, _real=real, _m=method, **k: calls.append(_m) or _real(self, *a, **k),
        )
    sign_in(client, officer.username, WRONG)
    known = len(calls)
    sign_in(client, "nobody-by-this-name", WRONG)
    # Checking a password hashes once (verify); an unknown username hashes it once (encode).
    assert calls[:known].count("encode") == 1
    assert calls[known:] == ["encode"]
