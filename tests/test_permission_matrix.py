"""Every role × every URL: what each kind of user gets (200, 302 to sign in, 403 or 404).

Each app adds its URLs to URLS below as it grows. A URL is a function of the test's objects
(fixtures), so the same page is checked for every role with the same setup.
"""

import pytest
from django.urls import reverse

from plans.services import publish_plan
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

ALL_200 = dict.fromkeys(ROLES, 200)
MEMBERS_ONLY = {**dict.fromkeys(ROLES, 200), "anonymous": 404, "outsider": 404}
SIGNED_IN = {**dict.fromkeys(ROLES, 200), "anonymous": 302}
# Updating: the lead agency's officer and coordinators; other members 403; others 404.
UPDATERS = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": 302,
    "outsider": 404,
    "coordinator": 200,
    "officer": 200,
}
COORDINATOR_ONLY = {**UPDATERS, "officer": 403}
# The admin is the site administrators' alone: the signed-out are sent to sign in, everyone
# else to their workspace (tests/admin/test_sweep.py walks every admin URL).
ADMIN = dict.fromkeys(ROLES, 302)

URLS = {
    "home": (lambda f: reverse("plans:home"), ALL_200),
    "sign-in": (lambda f: reverse("login"), ALL_200),
    "accessibility statement": (lambda f: reverse("about:accessibility"), ALL_200),
    "privacy notice": (lambda f: reverse("about:privacy"), ALL_200),
    "partnership (nothing published)": (
        lambda f: reverse("reports:partnership", args=[f["plan"].partnership.slug]),
        MEMBERS_ONLY,
    ),
    "plan (unpublished)": (lambda f: f["plan"].get_absolute_url(), MEMBERS_ONLY),
    "plan (published)": (lambda f: f["published_plan"].get_absolute_url(), ALL_200),
    "partnership (published plan)": (
        lambda f: reverse("reports:partnership", args=[f["published_plan"].partnership.slug]),
        ALL_200,
    ),
    "action list": (
        lambda f: reverse("actions:list", args=[f["plan"].partnership.slug]),
        MEMBERS_ONLY,
    ),
    "action list (published)": (
        lambda f: reverse("actions:list", args=[f["published_plan"].partnership.slug]),
        ALL_200,
    ),
    "my actions": (lambda f: reverse("actions:my-actions"), SIGNED_IN),
    "action": (lambda f: f["action"].get_absolute_url(), MEMBERS_ONLY),
    "action (published plan)": (lambda f: f["published_action"].get_absolute_url(), ALL_200),
    "record update form": (
        lambda f: reverse("actions:record-update", args=[f["action"].pk]),
        UPDATERS,
    ),
    "edit action": (lambda f: reverse("actions:edit", args=[f["action"].pk]), COORDINATOR_ONLY),
    "admin index": (lambda f: reverse("admin:index"), ADMIN),
    "admin plans": (lambda f: reverse("admin:plans_plan_changelist"), ADMIN),
    "admin actions": (lambda f: reverse("admin:actions_action_changelist"), ADMIN),
    "admin action updates": (lambda f: reverse("admin:actions_actionupdate_changelist"), ADMIN),
}


@pytest.fixture
def objects(plan, action, coordinator, partnership):
    from tests.factories import make_action, make_partnership, make_plan

    other = make_plan(partnership=make_partnership())
    published = publish_plan(plan=other, by=None)
    published_action = make_action(plan=published)
    return {
        "plan": plan,
        "action": action,
        "published_plan": published,
        "published_action": published_action,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(URLS))
def test_role_gets_the_expected_answer(name, role, objects, as_role):
    make_url, expected = URLS[name]
    response = as_role(role).get(make_url(objects))
    assert response.status_code == expected[role], (name, role)
    if response.status_code == 302 and not name.startswith("admin"):
        assert response.url.startswith(reverse("login"))


POSTS = {
    "record update": lambda f: reverse("actions:record-update", args=[f["action"].pk]),
    "edit action": lambda f: reverse("actions:edit", args=[f["action"].pk]),
}
POST_EXPECTED = {
    "record update": {**UPDATERS, "coordinator": 422, "officer": 422},
    "edit action": {**COORDINATOR_ONLY, "coordinator": 422},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(POSTS))
def test_role_posting_gets_the_expected_answer(name, role, objects, as_role):
    """An empty POST: refused by permission first (302, 403, 404), by validation (422) after."""
    response = as_role(role).post(POSTS[name](objects), {})
    assert response.status_code == POST_EXPECTED[name][role], (name, role)
