"""Every role × every people, agencies and invitation URL: 200 (422 for an empty form, 302
after an act), 302 to sign in, 403 or 404. Only coordinators see and change the partnership's
people and agencies; an invitation link is for whoever holds it, and accepted only by the
person it names."""

import pytest
from django.urls import reverse

from plans import services
from plans.models import Membership
from plans.services import publish_plan
from tests.conftest import ROLES
from tests.factories import make_agency, make_membership, make_partnership, make_plan

pytestmark = pytest.mark.django_db

Role = Membership.Role
SITE = "https://csp.example.org/"

COORDINATOR = {**dict.fromkeys(ROLES, 403), "anonymous": 302, "outsider": 404, "coordinator": 200}
# Another partnership with a published plan: found by everyone, but no one in the cast is in it.
NOT_THEIRS = {**dict.fromkeys(ROLES, 403), "anonymous": 302}
EVERYONE_REDIRECTED = dict.fromkeys(ROLES, 302)
NOBODY = dict.fromkeys(ROLES, 404)


@pytest.fixture
def objects(plan, partnership, coordinator, councillor):
    member = Membership.objects.get(user=councillor, partnership=partnership)
    spare = make_agency(name="Spare agency (test)")
    services.add_partnership_agency(partnership=partnership, agency=spare, by=coordinator)
    invitation = services.invite_member(
        partnership=partnership, email="new@example.org", role=Role.BOARD, by=coordinator, site=SITE
    )
    other = make_partnership()
    publish_plan(plan=make_plan(partnership=other), by=None)
    make_membership(partnership=other, role=Role.COORDINATOR)
    return {
        "p": partnership,
        "member": member,
        "spare": spare,
        "invitation": invitation,
        "token": invitation.token(),
        "other": other,
    }


def people(f, name, *args):
    """A URL of the partnership's own: `name` is the URL's name ("plans:people")."""
    return reverse(name, args=[f["p"].slug, *args])


URLS = {
    "people": (lambda f: people(f, "plans:people"), COORDINATOR),
    "member edit": (lambda f: people(f, "plans:member-edit", f["member"].pk), COORDINATOR),
    "member removal": (lambda f: people(f, "plans:member-removal", f["member"].pk), COORDINATOR),
    "agencies": (lambda f: people(f, "plans:agencies"), COORDINATOR),
    "people (not theirs)": (
        lambda f: reverse("plans:people", args=[f["other"].slug]),
        NOT_THEIRS,
    ),
    "agencies (not theirs)": (
        lambda f: reverse("plans:agencies", args=[f["other"].slug]),
        NOT_THEIRS,
    ),
    "invitation link": (
        lambda f: reverse("plans:invitation-open", args=[f["token"]]),
        EVERYONE_REDIRECTED,
    ),
    "invitation page, no link opened": (lambda f: reverse("plans:invitation"), NOBODY),
}

POSTS = {
    "invite": (lambda f: people(f, "plans:invite"), {**COORDINATOR, "coordinator": 422}),
    "resend": (
        lambda f: people(f, "plans:invitation-resend", f["invitation"].pk),
        {**COORDINATOR, "coordinator": 302},
    ),
    "revoke": (
        lambda f: people(f, "plans:invitation-revoke", f["invitation"].pk),
        {**COORDINATOR, "coordinator": 302},
    ),
    "member edit": (
        lambda f: people(f, "plans:member-edit", f["member"].pk),
        {**COORDINATOR, "coordinator": 422},
    ),
    "member removal": (
        lambda f: people(f, "plans:member-removal", f["member"].pk),
        {**COORDINATOR, "coordinator": 422},
    ),
    "agency add": (lambda f: people(f, "plans:agency-add"), {**COORDINATOR, "coordinator": 422}),
    "agency propose": (
        lambda f: people(f, "plans:agency-propose"),
        {**COORDINATOR, "coordinator": 422},
    ),
    "agency removal": (
        lambda f: people(f, "plans:agency-removal", f["spare"].pk),
        {**COORDINATOR, "coordinator": 302},
    ),
    "invite (not theirs)": (lambda f: reverse("plans:invite", args=[f["other"].slug]), NOT_THEIRS),
    "accept, no link opened": (lambda f: reverse("plans:invitation"), NOBODY),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(URLS))
def test_role_gets_the_expected_answer(name, role, objects, as_role):
    make_url, expected = URLS[name]
    response = as_role(role).get(make_url(objects))
    assert response.status_code == expected[role], (name, role)
    if response.status_code == 302 and name != "invitation link":
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(POSTS))
def test_role_posting_gets_the_expected_answer(name, role, objects, as_role):
    """An empty POST: refused by permission first (302, 403, 404), by validation (422) after;
    the acts that need no form (send again, withdraw, remove an unused agency) are done."""
    make_url, expected = POSTS[name]
    response = as_role(role).post(make_url(objects), {})
    assert response.status_code == expected[role], (name, role)
    if response.status_code == 302 and role == "anonymous":
        assert response.url.startswith(reverse("login"))


#: Once the link is opened: a new person (signed out) sees the form to join; anyone signed in
#: under another address is refused, since the invitation is not theirs.
ACCEPTING = {**dict.fromkeys(ROLES, 403), "anonymous": 200}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_accept_an_opened_invitation(role, objects, as_role):
    client = as_role(role)
    opened = client.get(reverse("plans:invitation-open", args=[objects["token"]]))
    assert opened.url == reverse("plans:invitation")
    assert client.get(opened.url).status_code == ACCEPTING[role], role
    assert client.post(opened.url, {}).status_code == {**ACCEPTING, "anonymous": 422}[role], role


def test_a_member_of_another_partnership_is_not_found_under_this_one(objects, coordinator_client):
    theirs = Membership.objects.filter(partnership=objects["other"]).get()
    url = people(objects, "plans:member-edit", theirs.pk)
    assert coordinator_client.get(url).status_code == 404
    assert (
        coordinator_client.post(people(objects, "plans:member-removal", theirs.pk)).status_code
        == 404
    )


def test_an_invitation_of_another_partnership_is_not_found_under_this_one(
    objects, coordinator_client, outsider
):
    theirs = services.invite_member(
        partnership=objects["other"], email="x@example.org", role=Role.BOARD, by=outsider, site=SITE
    )
    url = people(objects, "plans:invitation-revoke", theirs.pk)
    assert coordinator_client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
