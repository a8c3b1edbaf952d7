"""Every role × the coordinator's plan pages: update rounds (the list, opening one, a round,
closing and reopening it) and the plan's lifecycle (publish, unpublish, agree, close), each
for an unpublished plan of the partnership and for a published one (which outsiders and the
public may read, so that they get 403 rather than 404 where they may not act)."""

import pytest
from django.urls import reverse

from plans.services import publish_plan
from tests.conftest import ROLES
from tests.factories import make_period, make_plan

pytestmark = pytest.mark.django_db

# Reading rounds: coordinators, officers and board members; councillors 403.
READERS = {
    **dict.fromkeys(ROLES, 200),
    "anonymous": 302,
    "councillor": 403,
    "outsider": 404,
}
READERS_PUBLISHED = {**READERS, "outsider": 403}
COORDINATOR = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "outsider": 404, "coordinator": 200}
COORDINATOR_PUBLISHED = {**COORDINATOR, "outsider": 403}


@pytest.fixture
def objects(plan, partnership, action):
    published = publish_plan(plan=make_plan(partnership=partnership), by=None)
    return {
        "plan": plan,
        "published": published,
        "round": make_period(plan=plan, name="Q1 2015/16", slug="q1"),
        "published round": make_period(plan=published, name="Q1 2015/16", slug="q1"),
    }


def _plan_url(name, key):
    def url(f):
        plan = f[key]
        return reverse(name, args=[plan.partnership.slug, plan.slug])

    return url


def _round_url(name, key):
    def url(f):
        period = f[key]
        return reverse(name, args=[period.plan.partnership.slug, period.plan.slug, period.slug])

    return url


URLS = {
    "rounds": (_plan_url("actions:rounds", "plan"), READERS),
    "rounds (published)": (_plan_url("actions:rounds", "published"), READERS_PUBLISHED),
    "round": (_round_url("actions:round", "round"), READERS),
    "round (published)": (_round_url("actions:round", "published round"), READERS_PUBLISHED),
    "open a round": (_plan_url("actions:round-open", "plan"), COORDINATOR),
    "open a round (published)": (
        _plan_url("actions:round-open", "published"),
        COORDINATOR_PUBLISHED,
    ),
    "publish": (_plan_url("actions:plan-publish", "plan"), COORDINATOR),
    "unpublish": (_plan_url("actions:plan-unpublish", "published"), COORDINATOR_PUBLISHED),
    "agree": (_plan_url("actions:plan-agree", "plan"), COORDINATOR),
    "close": (_plan_url("actions:plan-close", "plan"), COORDINATOR),
    "close (published)": (_plan_url("actions:plan-close", "published"), COORDINATOR_PUBLISHED),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(URLS))
def test_role_gets_the_expected_answer(name, role, objects, as_role):
    make_url, expected = URLS[name]
    response = as_role(role).get(make_url(objects))
    assert response.status_code == expected[role], (name, role)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))


# An empty POST: refused by permission first (302, 403, 404), then by validation (422); a
# close, which has nothing to fill in, is done (302).
POSTS = {
    "open a round": _plan_url("actions:round-open", "plan"),
    "close the round": _round_url("actions:round-close", "round"),
    "reopen the round": _round_url("actions:round-reopen", "round"),
    "publish": _plan_url("actions:plan-publish", "plan"),
    "unpublish": _plan_url("actions:plan-unpublish", "published"),
    "agree": _plan_url("actions:plan-agree", "plan"),
    "close": _plan_url("actions:plan-close", "plan"),
}
REFUSED = {**COORDINATOR, "coordinator": 422}
POST_EXPECTED = {
    **dict.fromkeys(POSTS, REFUSED),
    "close the round": {**COORDINATOR, "coordinator": 302},
    "unpublish": {**COORDINATOR_PUBLISHED, "coordinator": 422},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(POSTS))
def test_role_posting_gets_the_expected_answer(name, role, objects, as_role):
    response = as_role(role).post(POSTS[name](objects), {})
    assert response.status_code == POST_EXPECTED[name][role], (name, role)


def test_the_post_only_urls_refuse_a_get(coordinator_client, objects):
    for name in ["close the round", "reopen the round"]:
        assert coordinator_client.get(POSTS[name](objects)).status_code == 405
