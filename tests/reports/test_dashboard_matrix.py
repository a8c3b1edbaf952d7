"""Every role × the dashboard, its PDF and the county roll-up: 200, 302 to sign in, 403 or 404.

The cast's partnership is a county here, so that one set of members covers the dashboard
and the roll-up; a district's roll-up is a 404 whoever asks.
"""

import pytest
from django.urls import reverse

from plans.models import Partnership
from plans.services import publish_plan
from tests.conftest import ROLES
from tests.factories import make_partnership, make_plan

pytestmark = pytest.mark.django_db

BOARD_ONLY = {
    "anonymous": 302,
    "coordinator": 200,
    "officer": 403,
    "other_officer": 403,
    "board_member": 200,
    "councillor": 403,
    "outsider": 404,
}
# A partnership with a published plan: everyone may find it, no one in the cast is its member.
NOT_THEIRS = {**dict.fromkeys(ROLES, 403), "anonymous": 302}
NOBODY = {**dict.fromkeys(ROLES, 404), "anonymous": 302}


@pytest.fixture
def partnership():
    return make_partnership(kind=Partnership.Kind.COUNTY)


@pytest.fixture
def objects(plan, partnership):
    district = make_partnership(county=partnership)
    other = make_partnership(kind=Partnership.Kind.COUNTY)
    publish_plan(plan=make_plan(partnership=other), by=None)
    return {"county": partnership, "district": district, "other": other}


URLS = {
    "dashboard": (lambda f: reverse("reports:dashboard", args=[f["county"].slug]), BOARD_ONLY),
    "dashboard pdf": (
        lambda f: reverse("reports:dashboard-pdf", args=[f["county"].slug]),
        BOARD_ONLY,
    ),
    "roll-up": (lambda f: reverse("reports:county-rollup", args=[f["county"].slug]), BOARD_ONLY),
    "dashboard (not theirs)": (
        lambda f: reverse("reports:dashboard", args=[f["other"].slug]),
        NOT_THEIRS,
    ),
    "dashboard pdf (not theirs)": (
        lambda f: reverse("reports:dashboard-pdf", args=[f["other"].slug]),
        NOT_THEIRS,
    ),
    "roll-up (not theirs)": (
        lambda f: reverse("reports:county-rollup", args=[f["other"].slug]),
        NOT_THEIRS,
    ),
    "roll-up of a district": (
        lambda f: reverse("reports:county-rollup", args=[f["district"].slug]),
        NOBODY,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(URLS))
def test_role_gets_the_expected_answer(name, role, objects, as_role):
    make_url, expected = URLS[name]
    response = as_role(role).get(make_url(objects))
    assert response.status_code == expected[role], (name, role)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ["coordinator", "board_member"])
def test_the_pdf_is_a_pdf_for_those_who_may_read_it(role, objects, as_role):
    response = as_role(role).get(reverse("reports:dashboard-pdf", args=[objects["county"].slug]))
    assert response.content.startswith(b"%PDF-")
