"""The partnership's people, through the services: invitations by email (sent, accepted once,
expiring, withdrawn, sent again), roles changed, members removed, and who did each in the
history."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions.services import record_update
from csp_tracker import permissions
from csp_tracker.editing import StaleEdit
from plans import services
from plans.models import Invitation, Membership, Unusable
from tests.factories import make_membership, make_user

pytestmark = pytest.mark.django_db

Role = Membership.Role
SITE = "https://csp.example.org/"
LINK = re.compile(r"https://csp\.example\.org/invitations/([^/\s\"]+)/")


@pytest.fixture
def agency(partnership, lead_agency, coordinator):
    """An agency on the partnership's list."""
    services.add_partnership_agency(partnership=partnership, agency=lead_agency, by=coordinator)
    return lead_agency


def invite(partnership, by, email="pat.officer@kent.police.uk", **fields):
    fields.setdefault("role", Role.COUNCILLOR)
    return services.invite_member(partnership=partnership, email=email, by=by, site=SITE, **fields)


def sent_token(message) -> str:
    (token,) = set(LINK.findall(message.body))
    return token


# Inviting and the email.


def test_the_email_goes_once_the_invitation_is_saved(
    partnership, coordinator, agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invitation = invite(partnership, coordinator, role=Role.OFFICER, agency=agency)
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    (message,) = mail.outbox
    assert message.to == ["pat.officer@kent.police.uk"]
    assert message.subject == f"Invitation to join {partnership.name} on CSP Tracker"
    assert f"as an agency officer for {agency.name}" in message.body
    token = sent_token(message)
    assert Invitation.objects.from_link(token) == invitation
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert set(LINK.findall(html)) == {token}


def test_the_email_holds_one_link_and_nothing_else_secret(
    partnership, coordinator, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(partnership, coordinator)
    (message,) = mail.outbox
    everything = message.message().as_string()
    assert len(re.findall(r"https?://", message.body)) == 1
    assert settings.SECRET_KEY not in everything
    assert invitation.nonce not in everything  # only inside the signed token
    assert coordinator.password not in everything


def test_an_address_is_kept_in_lower_case(partnership, coordinator):
    invitation = invite(partnership, coordinator, email="  Pat.Officer@Kent.Police.UK ")
    assert invitation.email == "pat.officer@kent.police.uk"


def test_a_member_is_not_invited_again(partnership, coordinator):
    make_membership(
        user=make_user(username="pat", email="Pat@example.org"),
        partnership=partnership,
        role=Role.BOARD,
    )
    with pytest.raises(ValidationError, match="already a member of") as refused:
        invite(partnership, coordinator, email="pat@example.org")
    assert list(refused.value.message_dict) == ["email"]
    assert not Invitation.objects.filter(partnership=partnership).exists()


def test_one_pending_invitation_per_address(partnership, coordinator):
    invite(partnership, coordinator)
    with pytest.raises(ValidationError, match="has already been invited"):
        invite(partnership, coordinator, email="PAT.officer@kent.police.uk")
    assert Invitation.objects.filter(partnership=partnership).count() == 1


def test_an_expired_invitation_is_replaced_by_a_new_one(partnership, coordinator):
    old = invite(partnership, coordinator)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        new = invite(partnership, coordinator, role=Role.BOARD)
    old.refresh_from_db()
    assert old.revoked_by == coordinator
    assert old.history.first().history_change_reason == "Expired; replaced by a new invitation"
    assert list(Invitation.objects.filter(partnership=partnership).pending()) == [new]


def test_an_officer_is_invited_with_one_of_the_partnerships_agencies(
    partnership, coordinator, agency, support_agency
):
    with pytest.raises(ValidationError) as refused:
        invite(partnership, coordinator, role=Role.OFFICER)
    assert refused.value.message_dict == {"agency": ["Select the agency the officer reports for"]}
    with pytest.raises(ValidationError, match="is not one of the partnership's agencies"):
        invite(partnership, coordinator, role=Role.OFFICER, agency=support_agency)
    assert invite(partnership, coordinator, role=Role.OFFICER, agency=agency).agency == agency


def test_agency_and_restricted_access_are_kept_only_for_their_roles(
    partnership, coordinator, agency
):
    board = invite(partnership, coordinator, role=Role.BOARD, agency=agency, restricted_access=True)
    assert (board.agency, board.sees_restricted) == (None, False)
    councillor = invite(
        partnership, coordinator, email="cllr@thanet.gov.uk", restricted_access=True
    )
    assert councillor.sees_restricted is True


def test_the_invitation_is_in_the_history_with_who_sent_it(partnership, coordinator):
    invitation = invite(partnership, coordinator)
    record = invitation.history.get()
    assert (record.history_type, record.history_user) == ("+", coordinator)
    assert not hasattr(record, "nonce")


# Accepting.


def join(token, **fields):
    fields = {"first_name": "Pat", "last_name": "Officer", "password": "a long passphrase"} | fields
    return services.join_by_invitation(token=token, **fields)


def test_a_new_person_joins_with_their_own_password(partnership, coordinator, agency):
    invitation = invite(partnership, coordinator, role=Role.OFFICER, agency=agency)
    membership = join(invitation.token())
    user = membership.user
    assert (user.username, user.email, user.get_full_name()) == (
        "pat.officer@kent.police.uk",
        "pat.officer@kent.police.uk",
        "Pat Officer",
    )
    assert user.check_password("a long passphrase")
    assert (membership.partnership, membership.role, membership.agency) == (
        partnership,
        Role.OFFICER,
        agency,
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    assert invitation.history.first().history_user == user
    assert membership.history.get().history_user == user


def test_a_password_shorter_than_12_characters_is_refused(partnership, coordinator):
    invitation = invite(partnership, coordinator)
    with pytest.raises(ValidationError) as refused:
        join(invitation.token(), password="short-pass1")
    assert "at least 12 characters" in " ".join(refused.value.message_dict["password"])
    assert not get_user_model().objects.filter(username=invitation.email).exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_someone_with_an_account_signs_in_and_accepts(partnership, coordinator):
    user = make_user(username="pat", email="pat.officer@kent.police.uk")
    invitation = invite(partnership, coordinator, role=Role.BOARD)
    with pytest.raises(ValidationError, match="sign in to accept"):
        join(invitation.token())
    membership = services.accept_invitation(token=invitation.token(), user=user)
    assert (membership.user, membership.role) == (user, Role.BOARD)
    assert get_user_model().objects.filter(email__iexact=invitation.email).count() == 1


def test_a_link_works_once(partnership, coordinator):
    invitation = invite(partnership, coordinator)
    join(invitation.token())
    with pytest.raises(Unusable) as used:
        join(invitation.token(), first_name="Mallory")
    assert used.value.reason == Unusable.ACCEPTED
    assert used.value.invitation == invitation
    assert not Membership.objects.filter(partnership=partnership, user__first_name="Mallory")


def test_a_link_expires_after_14_days(partnership, coordinator):
    invitation = invite(partnership, coordinator)
    token = invitation.token()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=13, hours=23)):
        assert Invitation.objects.from_link(token) == invitation
    later = timezone.now() + datetime.timedelta(days=14, minutes=1)
    with time_machine.travel(later), pytest.raises(Unusable) as expired:
        join(token)
    assert expired.value.reason == Unusable.EXPIRED
    assert expired.value.invitation.invited_by == coordinator
    assert not Membership.objects.filter(user__username=invitation.email).exists()


def test_a_withdrawn_invitation_cannot_be_accepted(partnership, coordinator, board_member):
    invitation = invite(partnership, coordinator)
    services.revoke_invitation(invitation=invitation, by=board_member)
    invitation.refresh_from_db()
    assert invitation.revoked_by == board_member
    assert invitation.history.first().history_user == board_member
    with pytest.raises(Unusable) as withdrawn:
        join(invitation.token())
    assert withdrawn.value.reason == Unusable.REVOKED
    with pytest.raises(ValidationError, match="has been withdrawn"):
        services.revoke_invitation(invitation=invitation, by=coordinator)
    with pytest.raises(ValidationError, match="has been withdrawn"):
        services.resend_invitation(invitation=invitation, by=coordinator, site=SITE)


def test_sending_again_gives_a_new_link_and_retires_the_old(
    partnership, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(partnership, coordinator)
    first = sent_token(mail.outbox[0])
    later = timezone.now() + datetime.timedelta(days=10)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        resent = services.resend_invitation(invitation=invitation, by=coordinator, site=SITE)
    second = sent_token(mail.outbox[1])
    assert first != second
    assert resent.expires_at > later + datetime.timedelta(days=13)
    assert resent.history.first().history_change_reason == "Sent again"
    with pytest.raises(Unusable) as replaced:
        Invitation.objects.from_link(first)
    assert replaced.value.reason == Unusable.REPLACED
    with time_machine.travel(later + datetime.timedelta(days=13)):
        assert join(second).user.username == invitation.email


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "WzEsIngiXQ:1xZLAU:forged-signature", "a" * 500],
)
def test_a_damaged_link_says_nothing_about_any_invitation(token, partnership, coordinator):
    invite(partnership, coordinator)
    with pytest.raises(Unusable) as damaged:
        Invitation.objects.from_link(token)
    assert (damaged.value.reason, damaged.value.invitation) == (Unusable.DAMAGED, None)


def test_only_the_person_invited_may_accept(partnership, coordinator, board_member):
    from django.contrib.auth.models import AnonymousUser

    invitation = invite(partnership, coordinator, email="Pat@Example.org")
    assert permissions.can_accept_invitation(AnonymousUser(), invitation)
    assert permissions.can_accept_invitation(make_user(email="pat@example.org"), invitation)
    assert permissions.can_accept_invitation(make_user(username="PAT@example.org"), invitation)
    assert not permissions.can_accept_invitation(board_member, invitation)
    assert not permissions.can_accept_invitation(coordinator, invitation)


def test_a_member_already_is_refused_and_the_invitation_kept(partnership, coordinator):
    user = make_user(email="pat@example.org")
    invitation = invite(partnership, coordinator, email="pat@example.org")
    make_membership(user=user, partnership=partnership, role=Role.BOARD)
    with pytest.raises(ValidationError, match="already a member"):
        services.accept_invitation(token=invitation.token(), user=user)
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


# Roles and removals.


def membership_of(user, partnership) -> Membership:
    return Membership.objects.get(user=user, partnership=partnership)


def test_a_role_change_is_saved_with_who_made_it(partnership, coordinator, councillor, agency):
    member = membership_of(councillor, partnership)
    changed = services.change_membership(
        membership=member, by=coordinator, version=member.version, role=Role.OFFICER, agency=agency
    )
    assert (changed.role, changed.agency, changed.version) == (Role.OFFICER, agency, 2)
    record = changed.history.first()
    assert (record.history_user, record.role) == (coordinator, Role.OFFICER)


def test_a_role_change_on_a_stale_form_is_refused(partnership, coordinator, councillor):
    member = membership_of(councillor, partnership)
    services.change_membership(
        membership=member, by=coordinator, version=member.version, role=Role.BOARD
    )
    with pytest.raises(StaleEdit) as stale:
        services.change_membership(
            membership=member, by=coordinator, version=member.version, role=Role.COUNCILLOR
        )
    assert "changed this member's role" in stale.value.changes[0]
    assert membership_of(councillor, partnership).role == Role.BOARD


def test_an_officer_keeps_an_agency(partnership, coordinator, councillor):
    member = membership_of(councillor, partnership)
    with pytest.raises(ValidationError, match="Select the agency the officer reports for"):
        services.change_membership(
            membership=member, by=coordinator, version=member.version, role=Role.OFFICER
        )


def test_the_last_coordinator_is_not_demoted_or_removed(partnership, coordinator):
    own = membership_of(coordinator, partnership)
    with pytest.raises(ValidationError, match="only coordinator") as refused:
        services.change_membership(
            membership=own, by=coordinator, version=own.version, role=Role.BOARD
        )
    assert list(refused.value.message_dict) == ["role"]
    with pytest.raises(ValidationError, match="only coordinator"):
        services.remove_membership(membership=own, by=coordinator, reason="Leaving")
    assert membership_of(coordinator, partnership).role == Role.COORDINATOR


def test_with_another_coordinator_one_may_step_down(partnership, coordinator):
    deputy = make_membership(partnership=partnership, role=Role.COORDINATOR)
    own = membership_of(coordinator, partnership)
    services.change_membership(membership=own, by=coordinator, version=own.version, role=Role.BOARD)
    assert membership_of(coordinator, partnership).role == Role.BOARD
    coordinator.refresh_from_db()
    assert not coordinator.is_staff
    assert not coordinator.groups.filter(name=services.COORDINATORS_GROUP).exists()
    assert deputy.user.groups.filter(name=services.COORDINATORS_GROUP).exists()


def test_removal_keeps_the_account_and_the_updates_under_their_name(
    partnership, coordinator, officer, action
):
    update = record_update(
        action=action, by=officer, status="on_track", rag="green", narrative="Done so far."
    )
    member = membership_of(officer, partnership)
    services.remove_membership(membership=member, by=coordinator, reason="Left Kent Police")
    assert not Membership.objects.filter(user=officer, partnership=partnership).exists()
    assert get_user_model().objects.filter(pk=officer.pk).exists()
    update.refresh_from_db()
    assert update.author == officer
    assert update.who == officer.get_full_name()
    record = Membership.history.filter(id=member.pk).first()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "-",
        coordinator,
        "Left Kent Police",
    )


def test_a_removal_needs_a_reason(partnership, coordinator, councillor):
    member = membership_of(councillor, partnership)
    with pytest.raises(ValidationError) as refused:
        services.remove_membership(membership=member, by=coordinator, reason="  ")
    assert list(refused.value.message_dict) == ["reason"]
    assert Membership.objects.filter(pk=member.pk).exists()


def test_a_removed_member_loses_sight_of_the_partnership(client, partnership, councillor, plan):
    client.force_login(councillor)
    assert client.get(plan.get_absolute_url()).status_code == 200
    services.remove_membership(
        membership=membership_of(councillor, partnership), by=None, reason="Term ended"
    )
    assert client.get(plan.get_absolute_url()).status_code == 404


class UnreachableServer:
    """A mail backend whose server cannot be reached."""

    def __init__(self, **options):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused")


def test_an_unreachable_mail_server_leaves_the_invitation_to_send_again(
    partnership, coordinator, settings, caplog, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.UnreachableServer"}}
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(partnership, coordinator)
    assert Invitation.objects.filter(pk=invitation.pk).pending().exists()
    (record,) = [r for r in caplog.records if r.name == "plans.services"]
    assert record.getMessage() == f"The email for invitation {invitation.pk} could not be sent."
    assert invitation.token().split(":")[0] not in caplog.text
