"""Every role × every accounts URL: what each kind of user gets. Everyone signed in reaches
their own account pages; the second-factor reset page is for site administrators only."""

import pytest
from django.urls import reverse

from accounts.models import PasswordReset
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

ALL_200 = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**ALL_200, "anonymous": 302}
NOBODY = {**dict.fromkeys(ROLES, 403), "anonymous": 302}
EVERYONE_REDIRECTED = dict.fromkeys(ROLES, 302)
# Those with a second factor (the fixtures give one to whoever must have it) make new codes.
WITH_SECOND_FACTOR = {
    **NOBODY,
    "coordinator": 200,
    "board_member": 200,
    "outsider": 200,
}


@pytest.fixture
def objects(coordinator):
    return {"token": PasswordReset.objects.create(user=coordinator).token()}


URLS = {
    "account": (lambda f: reverse("accounts:account"), SIGNED_IN),
    "password change": (lambda f: reverse("accounts:password-change"), SIGNED_IN),
    "password reset": (lambda f: reverse("accounts:password-reset"), ALL_200),
    "password reset link": (
        lambda f: reverse("accounts:password-reset-link", args=[f["token"]]),
        ALL_200,
    ),
    "password reset link (damaged)": (
        lambda f: reverse("accounts:password-reset-link", args=[f["token"] + "x"]),
        dict.fromkeys(ROLES, 404),
    ),
    "two-factor": (lambda f: reverse("accounts:two-factor"), SIGNED_IN),
    # Nobody is between the two steps: anonymous back to sign in, the rest on their way.
    "sign-in code": (lambda f: reverse("accounts:sign-in-code"), EVERYONE_REDIRECTED),
    "session": (lambda f: reverse("accounts:session"), SIGNED_IN),
    "second factor resets": (lambda f: reverse("accounts:second-factor-resets"), NOBODY),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(URLS))
def test_role_gets_the_expected_answer(name, role, objects, as_role):
    make_url, expected = URLS[name]
    response = as_role(role).get(make_url(objects))
    assert response.status_code == expected[role], (name, role)
    if response.status_code == 302 and role == "anonymous":
        assert response.url.startswith(reverse("login"))


POSTS = {
    "recovery codes": (lambda f: reverse("accounts:recovery-codes"), WITH_SECOND_FACTOR),
    # Only someone who need not use a second factor may turn theirs off; nobody here has one
    # that they may drop (officers and the councillor have none).
    "two-factor off": (lambda f: reverse("accounts:two-factor-off"), NOBODY),
    "sign out everywhere": (
        lambda f: reverse("accounts:sign-out-everywhere"),
        EVERYONE_REDIRECTED,
    ),
    "stay signed in": (lambda f: reverse("accounts:session"), EVERYONE_REDIRECTED),
    "second factor reset": (
        lambda f: reverse("accounts:second-factor-resets"),
        NOBODY,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(POSTS))
def test_role_posting_gets_the_expected_answer(name, role, objects, as_role):
    make_url, expected = POSTS[name]
    response = as_role(role).post(make_url(objects), {})
    assert response.status_code == expected[role], (name, role)


def test_a_site_administrator_opens_the_second_factor_resets(client):
    from tests.factories import make_user

    admin = make_user(username="site-admin")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)
    assert client.get(reverse("accounts:second-factor-resets")).status_code == 200
    assert client.post(reverse("accounts:second-factor-resets"), {}).status_code == 422
