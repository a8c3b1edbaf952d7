"""Configuration from the environment: bad values refused, production checks pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from csp_tracker.settings import (
    database_from_url,
    env_bool,
    env_date,
    env_dotted_path,
    env_email_address,
    env_int,
    env_list,
    env_plain_email,
    env_port,
)

ROOT = Path(__file__).resolve().parent.parent


def test_env_bool_rejects_what_is_not_a_yes_or_no(monkeypatch):
    monkeypatch.setenv("X_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be true or false"):
        env_bool("X_FLAG", False)
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env_bool("X_FLAG", False) is True


def test_env_int_and_list_reject_nonsense(monkeypatch):
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_LIST", " , ")
    with pytest.raises(ImproperlyConfigured, match="lists nothing"):
        env_list("X_LIST", [])


def test_email_settings_reject_nonsense(monkeypatch):
    monkeypatch.setenv("X_PORT", "70000")
    with pytest.raises(ImproperlyConfigured, match="X_PORT must be a port number"):
        env_port("X_PORT", 25)
    monkeypatch.setenv("X_BACKEND", "smtp")
    with pytest.raises(ImproperlyConfigured, match="dotted Python path"):
        env_dotted_path("X_BACKEND", "")
    monkeypatch.setenv("X_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    assert env_dotted_path("X_BACKEND", "") == "django.core.mail.backends.smtp.EmailBackend"
    for bad in ("noreply", "CSP Tracker", "no reply@example.org"):
        monkeypatch.setenv("X_FROM", bad)
        with pytest.raises(ImproperlyConfigured, match="X_FROM must be an email address"):
            env_email_address("X_FROM", "")
    monkeypatch.setenv("X_FROM", "CSP Tracker <noreply@example.org>")
    assert env_email_address("X_FROM", "") == "CSP Tracker <noreply@example.org>"


def test_the_smtp_variables_make_the_default_mailer():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MAILERS['default']['BACKEND'], sorted(s.MAILERS['default']['OPTIONS'].items()), "
        "s.DEFAULT_FROM_EMAIL)"
    )
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "csp_tracker.settings",
        "EMAIL_BACKEND": smtp,
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "csp",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": "true",
        "DEFAULT_FROM_EMAIL": "CSP Tracker <csp@example.org>",
    }
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr  # no deprecated EMAIL_* setting is defined
    assert result.stdout.split()[0] == smtp
    assert "('host', 'smtp.example.org')" in result.stdout
    assert "('port', 587)" in result.stdout
    assert "('use_tls', True)" in result.stdout
    assert result.stdout.strip().endswith("CSP Tracker <csp@example.org>")


def test_operator_details_reject_nonsense(monkeypatch):
    monkeypatch.setenv("OPERATOR_EMAIL", "Thanet council")
    with pytest.raises(ImproperlyConfigured, match="OPERATOR_EMAIL must be an email address"):
        env_plain_email("OPERATOR_EMAIL", "")
    monkeypatch.setenv("OPERATOR_EMAIL", " csp@thanet.gov.uk ")
    assert env_plain_email("OPERATOR_EMAIL", "") == "csp@thanet.gov.uk"
    monkeypatch.setenv("ACCESSIBILITY_STATEMENT_DATE", "30/11/2026")
    with pytest.raises(ImproperlyConfigured, match="must be a date like 2026-12-04"):
        env_date("ACCESSIBILITY_STATEMENT_DATE", "2026-12-04")
    monkeypatch.delenv("ACCESSIBILITY_STATEMENT_DATE")
    monkeypatch.delenv("OPERATOR_EMAIL")
    result = _manage("check", OPERATOR_NAME="  ")
    assert result.returncode != 0
    assert "OPERATOR_NAME must name whoever runs the service" in result.stderr


def test_a_bad_email_variable_stops_the_start_up():
    result = _manage("check", EMAIL_PORT="smtp")
    assert result.returncode != 0
    assert "EMAIL_PORT must be a whole number" in result.stderr


def test_database_url_for_postgres_and_sqlite():
    pg = database_from_url("postgres://csp:s%40cret@db.internal:5433/csp")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "csp",
        "s@cret",
        "db.internal",
        "5433",
        "csp",
    )
    lite = database_from_url("sqlite:///demo.sqlite3")
    assert lite["NAME"] == ROOT / "demo.sqlite3"
    assert database_from_url("sqlite:////var/lib/csp.sqlite3")["NAME"] == Path(
        "/var/lib/csp.sqlite3"
    )
    with pytest.raises(ImproperlyConfigured, match="must start sqlite:// or postgres://"):
        database_from_url("mysql://x/y")


def _manage(*args, **env):
    unwanted = {"DATABASE_URL", "DEMO_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "csp.example.org",
    "DATABASE_URL": "postgres://csp@db.example.org/csp",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "CSP Tracker <csp@example.org>",
}


def test_check_deploy_passes_with_a_production_configuration():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_about_the_checkout_default_key():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_check_deploy_refuses_the_console_email_backend():
    production = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_BACKEND"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode != 0
    assert "development-only email backend" in result.stdout + result.stderr


def test_a_client_address_header_must_be_a_request_meta_name():
    result = _manage("check", CLIENT_IP_HEADER="X-Forwarded-For")
    assert result.returncode != 0
    assert "CLIENT_IP_HEADER must be a request.META name" in result.stderr
    assert _manage("check", CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR").returncode == 0


def test_demo_mode_is_refused_with_a_production_secret_key():
    result = _manage("check", DEMO_MODE="true", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert result.returncode != 0
    assert "DEMO_MODE is for the local demo only" in result.stderr


def test_a_worker_loads_every_view_before_its_first_request():
    """gunicorn's worker imports csp_tracker.wsgi: the views (WeasyPrint with them) are loaded
    and what start-up made is frozen out of the garbage collector's full collections."""
    script = (
        "import gc, sys; import csp_tracker.wsgi; "
        "print('weasyprint' in sys.modules, gc.get_freeze_count())"
    )
    unwanted = {"DATABASE_URL", "DEMO_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in unwanted},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    loaded, frozen = result.stdout.split()
    assert loaded == "True"
    assert int(frozen) > 50_000
