"""Every role × every plan-authoring URL: the workspace, starting a plan, and adding,
changing, moving and removing each part of a plan. Only the partnership's coordinators reach
them (others: 302 to sign in, 403, or 404 where they may not read the plan); a closed plan's
workspace reads only, and its change pages are refused to everyone."""

import pytest
from django.urls import reverse

from plans import authoring
from plans.models import Plan
from tests.conftest import ROLES
from tests.factories import make_action, make_measure, make_plan

pytestmark = pytest.mark.django_db

COORDINATOR = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "outsider": 404, "coordinator": 200}
FORM_POSTED = {**COORDINATOR, "coordinator": 422}
MOVED = {**COORDINATOR, "coordinator": 302}
CLOSED = {**COORDINATOR, "coordinator": 403}


@pytest.fixture
def objects(plan, partnership, priority, issue, coordinator):
    action = make_action(issue=issue)
    closed = make_plan(partnership=partnership, status=Plan.Status.CLOSED)
    return {
        "p": partnership,
        "plan": plan,
        "closed": closed,
        "priority": priority,
        "issue": issue,
        "action": action,
        "measure": make_measure(action=action),
        "section": authoring.add_section(plan=plan, by=coordinator, title="Foreword"),
        "glossary": authoring.add_glossary_term(
            plan=plan, by=coordinator, term="ASB", definition="Anti-social behaviour"
        ),
        "contact": authoring.add_contact(plan=plan, by=coordinator, name="Police", phone="101"),
    }


def of_plan(name, key=None, plan="plan"):
    """A URL under the plan: `name` is the URL's name, `key` the row it is about."""

    def url(f):
        args = [f[plan].partnership.slug, f[plan].slug]
        return reverse(name, args=[*args, f[key].pk] if key else args)

    return url


URLS = {
    "workspace": (of_plan("actions:plan-workspace"), COORDINATOR),
    "workspace (closed)": (of_plan("actions:plan-workspace", plan="closed"), COORDINATOR),
    "plan edit (closed)": (of_plan("plans:plan-edit", plan="closed"), CLOSED),
    "plan start": (lambda f: reverse("plans:plan-start", args=[f["p"].slug]), COORDINATOR),
    "plan edit": (of_plan("plans:plan-edit"), COORDINATOR),
    "priority add": (of_plan("plans:priority-add"), COORDINATOR),
    "priority edit": (of_plan("plans:priority-edit", "priority"), COORDINATOR),
    "priority removal": (of_plan("plans:priority-removal", "priority"), COORDINATOR),
    "issue add": (of_plan("plans:issue-add", "priority"), COORDINATOR),
    "issue edit": (of_plan("plans:issue-edit", "issue"), COORDINATOR),
    "issue removal": (of_plan("plans:issue-removal", "issue"), COORDINATOR),
    "action add": (of_plan("actions:action-add", "issue"), COORDINATOR),
    "action removal": (of_plan("actions:action-removal", "action"), COORDINATOR),
    "measure removal": (of_plan("actions:measure-removal", "measure"), COORDINATOR),
    "section add": (of_plan("plans:section-add"), COORDINATOR),
    "section edit": (of_plan("plans:section-edit", "section"), COORDINATOR),
    "section removal": (of_plan("plans:section-removal", "section"), COORDINATOR),
    "glossary add": (of_plan("plans:glossary-add"), COORDINATOR),
    "glossary edit": (of_plan("plans:glossary-edit", "glossary"), COORDINATOR),
    "glossary removal": (of_plan("plans:glossary-removal", "glossary"), COORDINATOR),
    "contact add": (of_plan("plans:contact-add"), COORDINATOR),
    "contact edit": (of_plan("plans:contact-edit", "contact"), COORDINATOR),
    "contact removal": (of_plan("plans:contact-removal", "contact"), COORDINATOR),
}

POSTS = {
    "plan start": (lambda f: reverse("plans:plan-start", args=[f["p"].slug]), FORM_POSTED),
    "plan edit": (of_plan("plans:plan-edit"), FORM_POSTED),
    "plan edit (closed)": (of_plan("plans:plan-edit", plan="closed"), CLOSED),
    "priority add": (of_plan("plans:priority-add"), FORM_POSTED),
    "priority edit": (of_plan("plans:priority-edit", "priority"), FORM_POSTED),
    "priority move": (of_plan("plans:priority-move", "priority"), MOVED),
    "priority removal": (of_plan("plans:priority-removal", "priority"), FORM_POSTED),
    "issue add": (of_plan("plans:issue-add", "priority"), FORM_POSTED),
    "issue edit": (of_plan("plans:issue-edit", "issue"), FORM_POSTED),
    "issue move": (of_plan("plans:issue-move", "issue"), MOVED),
    "issue removal": (of_plan("plans:issue-removal", "issue"), FORM_POSTED),
    "action add": (of_plan("actions:action-add", "issue"), FORM_POSTED),
    "action move": (of_plan("actions:action-move", "action"), MOVED),
    "action removal": (of_plan("actions:action-removal", "action"), FORM_POSTED),
    "measure removal": (of_plan("actions:measure-removal", "measure"), FORM_POSTED),
    "section add": (of_plan("plans:section-add"), FORM_POSTED),
    "section edit": (of_plan("plans:section-edit", "section"), FORM_POSTED),
    "section move": (of_plan("plans:section-move", "section"), MOVED),
    "section removal": (of_plan("plans:section-removal", "section"), FORM_POSTED),
    "glossary add": (of_plan("plans:glossary-add"), FORM_POSTED),
    "glossary edit": (of_plan("plans:glossary-edit", "glossary"), FORM_POSTED),
    "glossary move": (of_plan("plans:glossary-move", "glossary"), MOVED),
    "glossary removal": (of_plan("plans:glossary-removal", "glossary"), FORM_POSTED),
    "contact add": (of_plan("plans:contact-add"), FORM_POSTED),
    "contact edit": (of_plan("plans:contact-edit", "contact"), FORM_POSTED),
    "contact move": (of_plan("plans:contact-move", "contact"), MOVED),
    "contact removal": (of_plan("plans:contact-removal", "contact"), FORM_POSTED),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(URLS))
def test_role_gets_the_expected_answer(name, role, objects, as_role):
    make_url, expected = URLS[name]
    response = as_role(role).get(make_url(objects))
    assert response.status_code == expected[role], (name, role)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(POSTS))
def test_role_posting_gets_the_expected_answer(name, role, objects, as_role):
    """An empty POST: refused by permission first (302, 403, 404), by validation (422) after;
    a move without a direction goes back to the workspace having moved nothing."""
    make_url, expected = POSTS[name]
    response = as_role(role).post(make_url(objects), {})
    assert response.status_code == expected[role], (name, role)
    if response.status_code == 302 and role == "anonymous":
        assert response.url.startswith(reverse("login"))


def test_a_row_of_another_plan_is_not_found_under_this_one(objects, coordinator_client):
    """The URL names the plan: a priority of another plan of the same partnership is 404."""
    other = make_plan(partnership=objects["p"])
    url = reverse(
        "plans:priority-edit", args=[objects["p"].slug, other.slug, objects["priority"].pk]
    )
    assert coordinator_client.get(url).status_code == 404
    url = reverse(
        "actions:action-removal", args=[objects["p"].slug, other.slug, objects["action"].pk]
    )
    assert coordinator_client.post(url, {"reason": "Test"}).status_code == 404
