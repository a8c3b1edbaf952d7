"""The security log: one line per event, UTC, never a credential, no forged lines."""

import logging

import pytest
import time_machine
from django.test import RequestFactory

from csp_tracker.security_log import client_address, log_event


@time_machine.travel("2026-07-01 09:30:05+01:00", tick=False)
def test_a_line_has_the_utc_time_the_event_and_its_fields(caplog):
    request = RequestFactory().post("/sign-in/", REMOTE_ADDR="203.0.113.9")
    with caplog.at_level(logging.INFO, logger="csp_tracker.security"):
        line = log_event("sign_in.failure", request=request, username="someone else", tries=3)
    assert line == (
        "2026-07-01T08:30:05Z sign_in.failure ip=203.0.113.9 method=POST path=/sign-in/ "
        'username="someone else" tries=3'
    )
    assert [record.getMessage() for record in caplog.records] == [line]
    assert caplog.records[0].name == "csp_tracker.security"


def test_a_value_cannot_start_a_second_line():
    line = log_event("sign_in.failure", username='x\n2026-01-01T00:00:00Z sign_in.success u="a"')
    assert "\n" not in line
    assert "\\x0a" in line and '\\"a\\"' in line


@pytest.mark.parametrize("field", ["password", "new_password1", "token", "session_key", "code"])
def test_credentials_are_refused_as_fields(field):
    with pytest.raises(ValueError, match="never records"):
        log_event("password.changed", **{field: "hunter2"})


def test_the_client_address_comes_from_the_configured_header_only(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7"
    )
    settings.CLIENT_IP_HEADER = ""
    assert client_address(request) == "10.0.0.2"
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_address(request) == "198.51.100.7"
