"""Signing in and out; demo accounts only work in the demo."""

import pytest
from django.urls import reverse

from plans.demo import DEMO_PASSWORD, create_demo_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(settings):
    settings.DEMO_MODE = True
    return create_demo_users()


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_demo_users_sign_in_in_demo_mode(client, demo_users):
    response = sign_in(client, "thanet-officer-kfrs", DEMO_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("plans:home")


def test_demo_credentials_do_not_work_outside_demo_mode(client, demo_users, settings):
    settings.DEMO_MODE = False
    response = sign_in(client, "thanet-coordinator", DEMO_PASSWORD)
    assert response.status_code == 422
    assert "Please enter a correct username and password" in response.content.decode()


def test_a_demo_session_ends_when_demo_mode_is_turned_off(client, demo_users, settings):
    sign_in(client, "thanet-board", DEMO_PASSWORD)
    settings.DEMO_MODE = False
    response = client.get(reverse("plans:home"))
    assert "Sign in" in response.content.decode()
    assert "Your partnerships" not in response.content.decode()


def test_demo_users_have_one_role_each_in_thanet(demo_users):
    from plans.models import Membership

    roles = dict(
        Membership.objects.filter(user__username__startswith="thanet-").values_list(
            "user__username", "role"
        )
    )
    assert roles == {
        "thanet-coordinator": "coordinator",
        "thanet-officer-police": "officer",
        "thanet-officer-kfrs": "officer",
        "thanet-board": "board",
        "thanet-councillor": "councillor",
    }
    kfrs = Membership.objects.get(user__username="thanet-officer-kfrs")
    assert kfrs.agency.abbreviation == "KFRS"


def test_wrong_password_shows_a_clear_error_and_keeps_the_username(client, demo_users):
    response = sign_in(client, "thanet-board", "nope")
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'value="thanet-board"' in page


def test_sign_out_is_a_post(client, demo_users):
    sign_in(client, "thanet-board", DEMO_PASSWORD)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
