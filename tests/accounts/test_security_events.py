"""The security log's sign-in events: one line each, never a password, code or session id."""

import logging

import pytest
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger="csp_tracker.security")

    def read():
        return [r.getMessage() for r in caplog.records if r.name == "csp_tracker.security"]

    return read


def events(lines):
    return [line.split(" ")[1] for line in lines]


def test_sign_in_failures_lock_outs_and_successes_are_logged(client, officer, lines):
    sign_in(client, officer.username, REMOTE_ADDR="203.0.113.4")
    session_key = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    for _ in range(5):
        sign_in(client, officer.username, "wrong-password-xyz")
    logged = lines()
    # django-axes reports the lock-out while the fifth failure is being recorded.
    assert events(logged) == ["sign_in.success", "sign_out"] + ["sign_in.failure"] * 4 + [
        "sign_in.locked_out",
        "sign_in.failure",
    ]
    assert "ip=203.0.113.4" in logged[0]
    assert f"username={officer.username}" in logged[2]
    assert all(line[:20].endswith("Z") for line in logged)
    assert not any("wrong-password-xyz" in line or PASSWORD in line for line in logged)
    assert not any(key in line for line in logged for key in [session_key, "sessionid"])


def test_password_changes_and_denials_are_logged(client, officer, lines, action):
    client.force_login(officer)
    client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "x" * 6 + " long enough now",
            "new_password2": "x" * 6 + " long enough now",
        },
    )
    client.get(reverse("accounts:second-factor-resets"))
    assert "password.changed" in events(lines())
    denied = [line for line in lines() if " permission.denied " in line]
    assert denied and "path=/account/second-factor-resets/" in denied[0]
    assert not any("long enough" in line for line in lines())


def test_a_required_second_factor_that_is_missing_is_logged(
    client, coordinator, plan, lines, password_only_login
):
    password_only_login(client, coordinator)
    client.get(plan.get_absolute_url())
    assert "second_factor.required" in events(lines())
