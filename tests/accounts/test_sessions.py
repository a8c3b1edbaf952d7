"""Sessions end 30 minutes after the last request and 12 hours after signing in; "Stay signed
in" extends the first; "Sign out everywhere" ends them all; signed-in pages are never cached;
a form sent too late is kept and offered back after signing in again."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import sign_in
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

MINUTES = datetime.timedelta(minutes=1)


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def test_thirty_idle_minutes_sign_the_person_out(client, officer, clock):
    sign_in(client, officer.username)
    clock.shift(29 * MINUTES)
    assert client.get(reverse("accounts:account")).status_code == 200
    clock.shift(29 * MINUTES)  # 58 minutes in, but only 29 idle
    assert client.get(reverse("accounts:account")).status_code == 200
    clock.shift(30 * MINUTES)
    ended = client.get(reverse("accounts:account"))
    assert ended.status_code == 302
    assert ended.url == f"{reverse('login')}?next=%2Faccount%2F"
    page = client.get(ended.url)
    assert "had not used CSP Tracker for 30 minutes" in text_of(page)
    assert "_auth_user_id" not in client.session


def test_twelve_hours_end_a_session_however_busy(client, officer, clock):
    sign_in(client, officer.username)
    for _ in range(24):
        clock.shift(29 * MINUTES)
        assert client.get(reverse("plans:home")).status_code == 200
    clock.shift(24 * MINUTES)  # 12 hours and 20 minutes... the limit passed at 12:00
    assert client.get(reverse("accounts:account")).status_code == 302
    assert "signed in more than 12 hours ago" in text_of(client.get(reverse("login")))


def test_reading_the_session_does_not_extend_it_but_staying_does(client, officer, clock):
    sign_in(client, officer.username)
    clock.shift(20 * MINUTES)
    left = client.get(reverse("accounts:session")).json()["seconds_left"]
    assert left == 10 * 60
    clock.shift(9 * MINUTES)
    assert client.get(reverse("accounts:session")).json()["seconds_left"] == 60
    stayed = client.post(reverse("accounts:session"), HTTP_ACCEPT="application/json")
    assert stayed.json()["seconds_left"] == 30 * 60
    clock.shift(20 * MINUTES)
    assert client.get(reverse("accounts:account")).status_code == 200


def test_every_signed_in_page_says_when_the_session_ends(client, officer, clock):
    sign_in(client, officer.username)
    page = client.get(reverse("plans:home"))
    ends = (timezone.localtime() + 30 * MINUTES).strftime("%H:%M")
    assert f"you will be signed out at {ends}" in text_of(page)
    assert 'id="session-warning"' in page.content.decode()
    assert 'data-session-seconds-left="1800"' in page.content.decode()


def test_sign_out_everywhere_ends_every_session(client, officer, clock):
    other = Client()
    other.force_login(officer)
    sign_in(client, officer.username)
    clock.shift(MINUTES)
    done = client.post(reverse("accounts:sign-out-everywhere"))
    assert done.url == reverse("login")
    assert client.get(reverse("accounts:account")).status_code == 302
    assert other.get(reverse("accounts:account")).status_code == 302
    clock.shift(MINUTES)
    assert sign_in(client, officer.username).status_code == 302  # a new session works
    assert client.get(reverse("accounts:account")).status_code == 200


def test_signed_in_pages_are_not_stored(client, officer, plan):
    anonymous = client.get(reverse("plans:home"))
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(officer)
    for url in [reverse("plans:home"), plan.get_absolute_url(), reverse("accounts:account")]:
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_a_form_sent_after_the_session_ended_is_offered_back(client, officer, action, clock):
    sign_in(client, officer.username)
    url = reverse("actions:record-update", args=[action.pk])
    assert client.get(url).status_code == 200
    clock.shift(45 * MINUTES)
    late = client.post(
        url,
        {"narrative": "Three school visits done;\nthe fourth is booked.", "status": "on_track"},
    )
    assert late.status_code == 302
    assert late.url == f"{reverse('login')}?next={url.replace('/', '%2F')}"
    assert "what you were sending has been kept" in text_of(client.get(late.url))
    back = client.post(
        f"{reverse('login')}?next={url}",
        {
            "username": officer.username,
            "password": "pass-word-123",
            "next": url,
        },
    )
    assert back.url == url
    page = client.get(url)
    assert "You were signed out while you were sending this form" in text_of(page)
    assert 'data-kept-value="Three school visits done;\nthe fourth is booked."' in (
        page.content.decode()
    )
    assert "csrfmiddlewaretoken" not in text_of(page)
    assert "You were signed out while" not in text_of(client.get(url))  # offered once


def test_a_kept_form_is_never_shown_to_someone_else(client, officer, other_officer, action, clock):
    sign_in(client, officer.username)
    url = reverse("actions:record-update", args=[action.pk])
    clock.shift(45 * MINUTES)
    client.post(url, {"narrative": "Private words"})
    sign_in(client, other_officer.username)
    assert "Private words" not in client.get(url).content.decode()


from tests.test_permission_matrix import URLS as MATRIX_URLS  # noqa: E402
from tests.test_permission_matrix import objects  # noqa: E402, F401  (the matrix's fixture)


def test_no_page_a_coordinator_opens_is_stored(coordinator_client, objects):  # noqa: F811
    """The main permission matrix's pages, as a coordinator (who sees restricted content)."""
    opened = 0
    for name, (make_url, _) in MATRIX_URLS.items():
        response = coordinator_client.get(make_url(objects))
        if response.status_code == 200:
            opened += 1
            assert "no-store" in response["Cache-Control"], name
    assert opened > 10
