"""The people page and the invitation pages as a coordinator and an invited person use them:
what they see, what bad input is told (and that it changes nothing), and a flat query count."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.models import Invitation, Membership
from tests.conftest import count_queries
from tests.factories import make_agency, make_membership, make_user
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

Role = Membership.Role
LINK = re.compile(r"http://testserver(/invitations/[^/\s\"]+/)")


@pytest.fixture
def agency(partnership, coordinator):
    agency = make_agency(name="Kent Police (test)", abbreviation="KP-T")
    services.add_partnership_agency(partnership=partnership, agency=agency, by=coordinator)
    return agency


def people_url(partnership):
    return reverse("plans:people", args=[partnership.slug])


def send(client, partnership, **data):
    return client.post(reverse("plans:invite", args=[partnership.slug]), data)


def invite(partnership, by, email="pat@example.org", role=Role.BOARD, **fields):
    return services.invite_member(
        partnership=partnership, email=email, role=role, by=by, site="http://testserver", **fields
    )


def open_link(client, path):
    opened = client.get(path)
    return client.get(opened.url) if opened.status_code == 302 else opened


def test_a_coordinator_invites_an_officer_who_joins_through_the_email(
    client, coordinator_client, partnership, agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            coordinator_client,
            partnership,
            email="Pat.Officer@Kent.Police.UK",
            role=Role.OFFICER,
            agency=agency.pk,
        )
    assert response.status_code == 302
    page = text_of(coordinator_client.get(response.url))
    assert "An invitation has been sent to pat.officer@kent.police.uk." in page
    assert "1 invitation" in page
    (message,) = mail.outbox
    (path,) = set(LINK.findall(message.body))  # absolute, from the request's host

    coordinator_client.logout()
    page = open_link(client, path)
    assert page.status_code == 200
    words = text_of(page)
    assert f"Join {partnership.name}" in words
    assert "Agency officer, Kent Police (test)" in words
    assert "pat.officer@kent.police.uk" in words
    assert path.split("/")[2] not in page.content.decode()  # the token left the address bar
    joined = client.post(
        reverse("plans:invitation"),
        {
            "first_name": "Pat",
            "last_name": "Officer",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
        },
    )
    assert joined.url == partnership.get_absolute_url()
    landing = text_of(client.get(joined.url))
    assert (
        f"You have joined {partnership.name} as an agency officer for Kent Police (test)."
        in landing
    )
    member = Membership.objects.get(partnership=partnership, user__username__startswith="pat.")
    assert (member.role, member.agency) == (Role.OFFICER, agency)
    assert int(client.session["_auth_user_id"]) == member.user_id

    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "This invitation has been used" in text_of(again)


def test_a_new_persons_mistakes_are_explained_and_nothing_is_made(client, partnership, coordinator):
    invitation = invite(partnership, coordinator)
    open_link(client, reverse("plans:invitation-open", args=[invitation.token()]))
    response = client.post(
        reverse("plans:invitation"),
        {"first_name": "", "last_name": "Officer", "password1": "1234", "password2": "12345"},
    )
    assert response.status_code == 422
    words = text_of(response)
    assert "Enter your first name" in words
    assert "The two passwords are not the same" in words
    response = client.post(
        reverse("plans:invitation"),
        {
            "first_name": "Pat",
            "last_name": "O",
            "password1": "123456789012",
            "password2": "123456789012",
        },
    )
    assert response.status_code == 422
    assert "This password is entirely numeric." in text_of(response)
    assert not Membership.objects.filter(user__username="pat@example.org").exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_someone_with_an_account_signs_in_first_then_accepts(client, partnership, coordinator):
    user = make_user(username="pat", email="pat@example.org", password="pass-word-123")
    invitation = invite(partnership, coordinator)
    page = open_link(client, reverse("plans:invitation-open", args=[invitation.token()]))
    assert "You already have an account" in text_of(page)
    sign_in = f"{reverse('login')}?next=/invitations/accept/"
    assert sign_in in page.content.decode()
    assert "password1" not in page.content.decode()

    signed_in = client.post(
        sign_in, {"username": "pat", "password": "pass-word-123", "next": "/invitations/accept/"}
    )
    assert signed_in.url == reverse("plans:invitation")
    assert "Accept the invitation" in text_of(client.get(signed_in.url))
    accepted = client.post(signed_in.url)
    assert accepted.url == partnership.get_absolute_url()
    assert Membership.objects.get(user=user, partnership=partnership).role == Role.BOARD


def test_someone_signed_in_under_another_address_cannot_accept(
    board_client, partnership, coordinator
):
    invitation = invite(partnership, coordinator, email="someone.else@example.org")
    page = open_link(board_client, reverse("plans:invitation-open", args=[invitation.token()]))
    assert page.status_code == 403
    assert "This invitation is for someone else" in text_of(page)
    assert board_client.post(reverse("plans:invitation")).status_code == 403
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_an_expired_link_names_whom_to_ask(client, partnership, coordinator):
    invitation = invite(partnership, coordinator)
    link = reverse("plans:invitation-open", args=[invitation.token()])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        response = client.get(link)
    assert response.status_code == 410
    words = text_of(response)
    assert "This invitation has expired" in words
    assert f"Ask {coordinator.get_full_name()}, who invited you, to send it again" in words


def test_a_link_opened_then_expired_is_refused_at_the_form(client, partnership, coordinator):
    invitation = invite(partnership, coordinator)
    open_link(client, reverse("plans:invitation-open", args=[invitation.token()]))
    # The link runs out while the form is open.
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = client.post(
        reverse("plans:invitation"),
        {
            "first_name": "P",
            "last_name": "O",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
        },
    )
    assert response.status_code == 410
    assert "This invitation has expired" in text_of(response)
    assert not Membership.objects.filter(user__username="pat@example.org").exists()


def test_withdrawn_replaced_and_damaged_links_say_which(client, partnership, coordinator):
    withdrawn = invite(partnership, coordinator, email="a@example.org")
    token = withdrawn.token()
    services.revoke_invitation(invitation=withdrawn, by=coordinator)
    response = client.get(reverse("plans:invitation-open", args=[token]))
    assert response.status_code == 410
    assert "This invitation has been withdrawn" in text_of(response)

    resent = invite(partnership, coordinator, email="b@example.org")
    old = resent.token()
    services.resend_invitation(invitation=resent, by=coordinator, site="http://testserver")
    response = client.get(reverse("plans:invitation-open", args=[old]))
    assert response.status_code == 410
    assert "This invitation link has been replaced" in text_of(response)

    response = client.get(reverse("plans:invitation-open", args=[old[:-3] + "abc"]))
    assert response.status_code == 404
    assert "This invitation link does not work" in text_of(response)


def test_the_people_page_lists_members_and_invitations(
    coordinator_client, partnership, coordinator, agency
):
    make_membership(
        user=make_user(first_name="Alex", last_name="Officer", email="alex@kent.police.uk"),
        partnership=partnership,
        role=Role.OFFICER,
        agency=agency,
    )
    invite(
        partnership,
        coordinator,
        email="cllr@example.org",
        role=Role.COUNCILLOR,
        restricted_access=True,
    )
    words = text_of(coordinator_client.get(people_url(partnership)))
    assert "2 members" in words
    assert "Alex Officer alex@kent.police.uk Agency officer Kent Police (test)" in words
    assert "1 invitation" in words
    assert "cllr@example.org Scrutiny councillor Restricted items granted" in words


@pytest.mark.parametrize(
    "data, messages",
    [
        (
            {"email": "not-an-email", "role": "officer"},
            [
                "Enter an email address in the correct format, like name@example.org",
                "Select the agency the officer reports for",
            ],
        ),
        (
            {"email": "", "role": ""},
            [
                "Enter the email address of the person to invite",
                "Select a role",
            ],
        ),
    ],
)
def test_bad_invitations_are_explained_and_send_nothing(
    coordinator_client, partnership, data, messages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(coordinator_client, partnership, **data)
    assert response.status_code == 422
    words = text_of(response)
    assert "There is a problem" in words
    for message in messages:
        assert message in words
    assert not Invitation.objects.filter(partnership=partnership).exists()
    assert mail.outbox == []


def test_a_member_or_someone_invited_is_not_invited_again(
    coordinator_client, partnership, coordinator
):
    make_membership(
        user=make_user(email="member@example.org"), partnership=partnership, role=Role.BOARD
    )
    invite(partnership, coordinator, email="invited@example.org")
    response = send(coordinator_client, partnership, email="MEMBER@example.org", role="board")
    assert response.status_code == 422
    assert f"member@example.org is already a member of {partnership.name}" in text_of(response)
    response = send(coordinator_client, partnership, email="invited@example.org", role="board")
    assert response.status_code == 422
    assert "invited@example.org has already been invited" in text_of(response)
    assert Invitation.objects.filter(partnership=partnership).count() == 1


def test_resend_and_withdraw_from_the_page(
    coordinator_client, partnership, coordinator, django_capture_on_commit_callbacks
):
    invitation = invite(partnership, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("plans:invitation-resend", args=[partnership.slug, invitation.pk])
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    response = coordinator_client.post(
        reverse("plans:invitation-revoke", args=[partnership.slug, invitation.pk])
    )
    assert "has been withdrawn" in text_of(coordinator_client.get(response.url))
    response = coordinator_client.post(
        reverse("plans:invitation-resend", args=[partnership.slug, invitation.pk])
    )
    assert response.status_code == 422
    assert "The invitation to pat@example.org has been withdrawn." in text_of(response)


def test_a_role_is_changed_and_a_stale_form_refused(
    coordinator_client, partnership, councillor, agency
):
    member = Membership.objects.get(user=councillor, partnership=partnership)
    url = reverse("plans:member-edit", args=[partnership.slug, member.pk])
    assert "Change the role of" in text_of(coordinator_client.get(url))
    form = {"role": "officer", "agency": agency.pk, "version": member.version}
    response = coordinator_client.post(url, form)
    assert response.status_code == 302
    assert "is now an agency officer for Kent Police (test)." in text_of(
        coordinator_client.get(response.url)
    )
    response = coordinator_client.post(url, {**form, "role": "board"})
    assert response.status_code == 409
    assert "someone else changed this member" in text_of(response)
    assert Membership.objects.get(pk=member.pk).role == Role.OFFICER


def test_the_last_coordinator_is_told_why_they_cannot_step_down(
    coordinator_client, partnership, coordinator
):
    own = Membership.objects.get(user=coordinator, partnership=partnership)
    url = reverse("plans:member-edit", args=[partnership.slug, own.pk])
    response = coordinator_client.post(url, {"role": "board", "version": own.version})
    assert response.status_code == 422
    assert "is the partnership's only coordinator: make someone else coordinator first" in text_of(
        response
    )
    url = reverse("plans:member-removal", args=[partnership.slug, own.pk])
    response = coordinator_client.post(url, {"reason": "Moving on"})
    assert response.status_code == 422
    assert "only coordinator" in text_of(response)
    assert Membership.objects.get(pk=own.pk).role == Role.COORDINATOR


def test_a_member_is_removed_with_a_reason(coordinator_client, partnership, councillor):
    member = Membership.objects.get(user=councillor, partnership=partnership)
    url = reverse("plans:member-removal", args=[partnership.slug, member.pk])
    page = text_of(coordinator_client.get(url))
    assert "every update they recorded stays under their name" in page
    assert coordinator_client.post(url, {"reason": ""}).status_code == 422
    assert Membership.objects.filter(pk=member.pk).exists()
    response = coordinator_client.post(url, {"reason": "Not re-elected in May"})
    assert response.status_code == 302
    assert "is no longer a member of the partnership" in text_of(
        coordinator_client.get(response.url)
    )
    assert (
        Membership.history.filter(id=member.pk).first().history_change_reason
        == "Not re-elected in May"
    )


def test_the_partnership_page_links_coordinators_to_people_and_agencies(
    client, coordinator, board_member, partnership, plan
):
    client.force_login(coordinator)
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert reverse("plans:people", args=[partnership.slug]) in page
    assert reverse("plans:agencies", args=[partnership.slug]) in page
    client.force_login(board_member)
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert reverse("plans:people", args=[partnership.slug]) not in page
    assert reverse("plans:agencies", args=[partnership.slug]) not in page


def test_the_people_page_query_count_is_flat(coordinator_client, partnership, coordinator, agency):
    def add_members(count):
        for n in range(count):
            role = [Role.OFFICER, Role.BOARD, Role.COUNCILLOR][n % 3]
            make_membership(
                user=make_user(email=f"m{n}-{count}@example.org"),
                partnership=partnership,
                role=role,
                agency=agency if role == Role.OFFICER else None,
            )
            invite(
                partnership,
                coordinator,
                email=f"i{n}-{count}@example.org",
                role=role,
                agency=agency if role == Role.OFFICER else None,
            )

    add_members(2)  # with the coordinator: 3 members
    few = count_queries(coordinator_client, people_url(partnership))
    add_members(97)  # 100
    many = count_queries(coordinator_client, people_url(partnership))
    assert Membership.objects.filter(partnership=partnership).count() == 100
    assert many == few
