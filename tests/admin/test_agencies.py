"""The site administrator's shared list of agencies: merging a duplicate moves everything
that names it, in one transaction, with the history; proposed agencies are approved here."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from actions.models import ActionUpdate
from meetings import services as meeting_services
from plans import services
from plans.models import Agency, Invitation, Membership, PartnershipAgency
from tests.factories import make_action, make_agency, make_membership, make_partnership, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate(partnership):
    """ "Kent Police Force", proposed by the partnership, named by every kind of record."""
    return services.propose_agency(
        partnership=partnership, name="Kent Police Force", abbreviation="KPF", by=None
    )


@pytest.fixture
def kept():
    return Agency.objects.get(name="Kent Police")


@pytest.fixture
def named(partnership, plan, duplicate, kept, coordinator):
    """One of each record that names the duplicate."""
    services.add_partnership_agency(partnership=partnership, agency=kept, by=None)
    led = make_action(plan=plan, lead_agency=duplicate, support_agencies=[duplicate, kept])
    supported = make_action(plan=plan, support_agencies=[duplicate])
    officer = make_membership(
        partnership=partnership, role=Membership.Role.OFFICER, agency=duplicate
    )
    invitation = services.invite_member(
        partnership=partnership,
        email="new.officer@example.org",
        role=Membership.Role.OFFICER,
        agency=duplicate,
        by=coordinator,
        site="http://testserver",
    )
    person = meeting_services.add_person(partnership=partnership, name="PC Smith", agency=duplicate)
    update = ActionUpdate.objects.create(
        action=led,
        agency=duplicate,
        reported_on=datetime.date(2015, 12, 1),
        reported_by="PC Smith",
        narrative="Patrols",
    )
    unit = make_agency(name="Kent Police Force CSU", parent=duplicate)
    return {
        "led": led,
        "supported": supported,
        "officer": officer,
        "invitation": invitation,
        "person": person,
        "update": update,
        "unit": unit,
    }


def test_merging_moves_every_reference_and_deletes_the_duplicate(
    named, duplicate, kept, partnership, site_admin
):
    services.merge_agencies(keep=kept, duplicate=duplicate, by=site_admin)

    assert not Agency.objects.filter(pk=duplicate.pk).exists()
    led, supported = named["led"], named["supported"]
    led.refresh_from_db()
    assert led.lead_agency == kept
    assert list(led.support_agencies.all()) == [kept]  # both named: one left
    assert list(supported.support_agencies.all()) == [kept]
    assert Membership.objects.get(pk=named["officer"].pk).agency == kept
    assert Invitation.objects.get(pk=named["invitation"].pk).agency == kept
    named["person"].refresh_from_db()
    assert named["person"].agency == kept
    assert ActionUpdate.objects.get(pk=named["update"].pk).agency == kept
    assert Agency.objects.get(pk=named["unit"].pk).parent == kept
    links = PartnershipAgency.objects.filter(partnership=partnership, agency=kept)
    assert links.count() == 1  # the partnership listed both: it lists the one kept, once


def test_each_change_of_a_merge_is_in_the_history_with_who_and_why(
    named, duplicate, kept, site_admin
):
    services.merge_agencies(keep=kept, duplicate=duplicate, by=site_admin)
    reason = "Merged Kent Police Force (KPF) into Kent Police"
    action_row = named["led"].history.latest("history_date")
    assert (action_row.history_user, action_row.history_change_reason) == (site_admin, reason)
    gone = Agency.history.filter(id=duplicate.pk).latest("history_date")
    assert (gone.history_type, gone.history_user, gone.history_change_reason) == (
        "-",
        site_admin,
        reason,
    )
    link = PartnershipAgency.history.filter(agency_id=duplicate.pk).latest("history_date")
    assert (link.history_type, link.history_change_reason) == ("-", reason)  # listed both
    membership_row = Membership.history.filter(id=named["officer"].pk).latest("history_date")
    assert membership_row.history_change_reason == reason
    assert Membership.objects.get(pk=named["officer"].pk).version == named["officer"].version + 1


def test_a_merge_that_fails_changes_nothing(named, duplicate, kept, site_admin, monkeypatch):
    from plans import services as plan_services

    real = plan_services.delete_with_history

    def refuse(obj, by, **kwargs):
        if obj.pk == duplicate.pk and isinstance(obj, Agency):
            raise RuntimeError("the database went away")
        real(obj, by, **kwargs)

    monkeypatch.setattr(plan_services, "delete_with_history", refuse)
    with pytest.raises(RuntimeError):
        services.merge_agencies(keep=kept, duplicate=duplicate, by=site_admin)
    named["led"].refresh_from_db()
    assert named["led"].lead_agency == duplicate
    assert Membership.objects.get(pk=named["officer"].pk).agency == duplicate


def test_an_agency_is_not_merged_into_itself(kept, site_admin):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="cannot be merged into itself"):
        services.merge_agencies(keep=kept, duplicate=kept, by=site_admin)


def test_the_site_administrator_merges_from_the_admin_after_a_confirmation_page(
    site_admin_client, named, duplicate, kept
):
    url = reverse("admin:plans_agency_changelist")
    chosen = {"action": "merge_into", "_selected_action": [duplicate.pk]}
    page = site_admin_client.post(url, chosen)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Merge duplicate agencies" in text
    assert "1 action (lead agency)" in text and "2 actions (support agencies)" in text
    assert Agency.objects.filter(pk=duplicate.pk).exists()  # nothing yet

    response = site_admin_client.post(url, {**chosen, "keep": kept.pk, "confirm": "yes"})
    assert response.status_code == 302
    assert not Agency.objects.filter(pk=duplicate.pk).exists()
    named["led"].refresh_from_db()
    assert named["led"].lead_agency == kept
    messages = [str(m) for m in site_admin_client.get(url).context["messages"]]
    assert "Merged Kent Police Force into Kent Police." in messages


def test_a_duplicate_cannot_be_merged_into_one_of_those_being_merged(site_admin_client, duplicate):
    url = reverse("admin:plans_agency_changelist")
    response = site_admin_client.post(
        url,
        {
            "action": "merge_into",
            "_selected_action": [duplicate.pk],
            "keep": duplicate.pk,
            "confirm": "yes",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Agency.objects.filter(pk=duplicate.pk).exists()


def test_the_site_administrator_approves_a_proposed_agency(site_admin_client, duplicate):
    url = reverse("admin:plans_agency_changelist")
    response = site_admin_client.post(
        url, {"action": "approve", "_selected_action": [duplicate.pk]}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.approved
    row = Agency.history.filter(id=duplicate.pk).latest("history_date")
    assert row.history_change_reason == "Approved for the shared list"
    assert duplicate in Agency.objects.addable_to(make_partnership())


def test_a_coordinator_can_neither_merge_nor_approve(coordinator_client, duplicate, kept):
    url = reverse("admin:plans_agency_changelist")
    chosen = {"action": "merge_into", "_selected_action": [duplicate.pk]}
    response = coordinator_client.post(url, {**chosen, "keep": kept.pk, "confirm": "yes"})
    assert response.status_code == 302 and "/admin/" not in response.url
    assert Agency.objects.filter(pk=duplicate.pk, approved=False).exists()


def test_only_site_administrators_may_merge_agencies(coordinator, board_member):
    from csp_tracker import permissions

    admin = get_user_model().objects.create_superuser("root", "r@example.org", "x")
    assert permissions.can_merge_agencies(admin)
    for user in (coordinator, board_member, make_user()):
        assert not permissions.can_merge_agencies(user)
