"""Everyone changes their own password; a forgotten one is reset through an emailed link that
works once, for an hour; the answer never says whether an account exists."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import PASSWORD, sign_in
from tests.factories import make_user
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

NEW = "a long new passphrase 2026"


def test_every_role_changes_their_password(client, councillor):
    client.force_login(councillor)
    url = reverse("accounts:password-change")
    wrong_old = client.post(
        url, {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    )
    assert wrong_old.status_code == 422
    short = client.post(
        url, {"old_password": PASSWORD, "new_password1": "short1", "new_password2": "short1"}
    )
    assert short.status_code == 422
    assert "at least 12 characters" in text_of(short)
    common = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "password1234",
            "new_password2": "password1234",
        },
    )
    assert "too common" in text_of(common)
    done = client.post(url, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 200  # still signed in
    councillor.refresh_from_db()
    assert councillor.check_password(NEW)


def ask(client, identifier):
    return client.post(reverse("accounts:password-reset"), {"identifier": identifier})


def link_in(message) -> str:
    return re.search(r"https?://\S+/account/password/reset/\S+/", message.body).group(0)


def test_the_answer_is_the_same_whether_or_not_the_account_exists(
    client, django_capture_on_commit_callbacks
):
    make_user(username="someone", email="someone@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = ask(client, "Someone@Example.org")
        unknown = ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert text_of(known) == text_of(unknown)
    assert [m.to for m in mail.outbox] == [["someone@example.org"]]


def test_a_reset_link_works_once_and_ends_every_session(client, django_capture_on_commit_callbacks):
    from django.test import Client

    user = make_user(username="someone", email="someone@example.org")
    elsewhere = Client()
    elsewhere.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "someone")
    link = link_in(mail.outbox[0])
    assert "token" not in mail.outbox[0].subject
    form = client.get(link)
    assert form.status_code == 200
    weak = client.post(link, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 422
    done = client.post(link, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    again = client.get(link)
    assert again.status_code == 404
    assert "Ask for a new one" in text_of(again)
    assert elsewhere.get(reverse("accounts:account")).status_code == 302  # signed out
    assert sign_in(client, "someone", NEW).status_code == 302


def test_a_reset_link_expires_after_an_hour(client, django_capture_on_commit_callbacks):
    make_user(username="someone", email="someone@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "someone")
    link = link_in(mail.outbox[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        assert client.get(link).status_code == 404


def test_a_reset_lifts_the_wait_on_the_username(client, django_capture_on_commit_callbacks):
    make_user(username="someone", email="someone@example.org")
    for _ in range(5):
        sign_in(client, "someone", "wrong")
    assert sign_in(client, "someone").status_code == 429
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "someone")
    client.post(link_in(mail.outbox[0]), {"new_password1": NEW, "new_password2": NEW})
    assert sign_in(client, "someone", NEW, REMOTE_ADDR="192.0.2.9").status_code == 302
