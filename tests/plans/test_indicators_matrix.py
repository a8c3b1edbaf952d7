"""Every role × every indicator page, read and write: 200 (or 422 for an empty POST), 302 to
sign in, 403 or 404. Members read indicators; only coordinators change them."""

import pytest
from django.urls import reverse

from plans.services import define_indicator, publish_plan, record_indicator_value
from tests.conftest import ROLES
from tests.factories import make_partnership, make_plan

pytestmark = pytest.mark.django_db

MEMBERS = {**dict.fromkeys(ROLES, 200), "anonymous": 302, "outsider": 404}
COORDINATOR = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "outsider": 404, "coordinator": 200}
# Another partnership with a published plan: found by everyone, but no one in the cast is in it.
NOT_THEIRS = {**dict.fromkeys(ROLES, 403), "anonymous": 302}


@pytest.fixture
def objects(plan, partnership):
    indicator = define_indicator(partnership=partnership, name="ASB incidents", unit="incidents")
    value = record_indicator_value(indicator=indicator, period_label="2014/15", value=6160)
    other = make_partnership()
    publish_plan(plan=make_plan(partnership=other), by=None)
    theirs = define_indicator(partnership=other, name="KSI casualties")
    return {"p": partnership, "i": indicator, "v": value, "other": other, "theirs": theirs}


URLS = {
    "indicators": (lambda f: reverse("plans:indicators", args=[f["p"].slug]), MEMBERS),
    "indicator": (lambda f: reverse("plans:indicator", args=[f["i"].pk]), MEMBERS),
    "add": (lambda f: reverse("plans:indicator-add", args=[f["p"].slug]), COORDINATOR),
    "edit": (lambda f: reverse("plans:indicator-edit", args=[f["i"].pk]), COORDINATOR),
    "record value": (
        lambda f: reverse("plans:indicator-value-add", args=[f["i"].pk]),
        COORDINATOR,
    ),
    "correct value": (
        lambda f: reverse("plans:indicator-value-edit", args=[f["i"].pk, f["v"].pk]),
        COORDINATOR,
    ),
    "upload": (lambda f: reverse("plans:indicator-upload", args=[f["p"].slug]), COORDINATOR),
    "template": (lambda f: reverse("plans:indicator-template", args=[f["p"].slug]), COORDINATOR),
    "indicators (not theirs)": (
        lambda f: reverse("plans:indicators", args=[f["other"].slug]),
        NOT_THEIRS,
    ),
    "indicator (not theirs)": (
        lambda f: reverse("plans:indicator", args=[f["theirs"].pk]),
        NOT_THEIRS,
    ),
    "edit (not theirs)": (
        lambda f: reverse("plans:indicator-edit", args=[f["theirs"].pk]),
        NOT_THEIRS,
    ),
}

POSTS = ["add", "edit", "record value", "correct value", "upload"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(URLS))
def test_role_gets_the_expected_answer(name, role, objects, as_role):
    make_url, expected = URLS[name]
    response = as_role(role).get(make_url(objects))
    assert response.status_code == expected[role], (name, role)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", POSTS)
def test_role_posting_gets_the_expected_answer(name, role, objects, as_role):
    """An empty POST: refused by permission first (302, 403, 404), by validation (422) after."""
    make_url, expected = URLS[name]
    response = as_role(role).post(make_url(objects), {})
    want = 422 if expected[role] == 200 else expected[role]
    assert response.status_code == want, (name, role)


def test_a_value_of_another_indicator_is_not_found(objects, coordinator_client):
    url = reverse("plans:indicator-value-edit", args=[objects["i"].pk, objects["v"].pk + 10_000])
    assert coordinator_client.get(url).status_code == 404
