"""The partnership's agencies: its list drawn from the shared one, what names each agency,
adding, proposing (never a second Kent Police) and removing, the page, and the migration that
started each list from the records."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.services import record_update
from plans import services
from plans.models import AGENCY_USES, Agency, Membership, PartnershipAgency
from tests.conftest import count_queries
from tests.factories import make_action, make_agency, make_membership, make_plan, make_priority
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

Role = Membership.Role
SITE = "https://csp.example.org/"


def agencies_url(partnership):
    return reverse("plans:agencies", args=[partnership.slug])


@pytest.fixture
def named(partnership, plan, issue, coordinator):
    """One agency for each way the partnership's records name one (AGENCY_USES), by key."""
    lead, support, priority_lead, reporter, officer_agency, invited = (
        make_agency(name=f"Named by {key}", abbreviation="") for key in [u.key for u in AGENCY_USES]
    )
    action = make_action(issue=issue, lead_agency=lead, support_agencies=[support])
    make_priority(plan=plan, lead_agency=priority_lead)
    record_update(action=action, by=coordinator, narrative="A note.", agency=reporter)
    make_membership(partnership=partnership, role=Role.OFFICER, agency=officer_agency)
    # An officer is invited for an agency of the partnership's list; then only the invitation
    # names it.
    services.add_partnership_agency(partnership=partnership, agency=invited, by=coordinator)
    services.invite_member(
        partnership=partnership,
        email="officer2@example.org",
        role=Role.OFFICER,
        agency=invited,
        by=coordinator,
        site=SITE,
    )
    PartnershipAgency.objects.filter(agency=invited).delete()
    keys = [u.key for u in AGENCY_USES]
    return dict(
        zip(keys, [lead, support, priority_lead, reporter, officer_agency, invited], strict=True)
    )


def test_each_way_of_naming_an_agency_makes_it_the_partnerships(partnership, named):
    mine = set(Agency.objects.for_partnership(partnership))
    assert set(named.values()) <= mine
    elsewhere = make_agency(name="Another partnership's agency")
    make_action(plan=make_plan(), lead_agency=elsewhere)
    assert elsewhere not in set(Agency.objects.for_partnership(partnership))


def test_with_uses_counts_each_way_and_says_it(partnership, named):
    counted = {a.pk: a for a in Agency.objects.for_partnership(partnership).with_uses(partnership)}
    for use in AGENCY_USES:
        agency = counted[named[use.key].pk]
        assert getattr(agency, f"uses_{use.key}") == 1, use.key
        assert agency.uses() == [use.describe(1)]
    assert counted[named["leads"].pk].uses() == ["leads 1 action"]
    assert counted[named["members"].pk].uses() == ["is the agency of 1 member"]


def test_an_accepted_or_withdrawn_invitation_names_no_agency(partnership, coordinator, named):
    invitation = partnership.invitations.get(email="officer2@example.org")
    services.revoke_invitation(invitation=invitation, by=coordinator)
    assert named["invitations"] not in set(Agency.objects.for_partnership(partnership))


def test_adding_an_agency_of_the_shared_list(partnership, coordinator):
    agency = make_agency(name="Kent Fire and Rescue Service (shared)")
    assert agency in set(Agency.objects.addable_to(partnership))
    link = services.add_partnership_agency(partnership=partnership, agency=agency, by=coordinator)
    assert (link.added_by, link.history.get().history_user) == (coordinator, coordinator)
    assert agency in set(Agency.objects.for_partnership(partnership))
    assert agency not in set(Agency.objects.addable_to(partnership))
    with pytest.raises(ValidationError, match="already one of the partnership's agencies"):
        services.add_partnership_agency(partnership=partnership, agency=agency, by=coordinator)


def test_a_proposed_agency_is_the_partnerships_and_waits_for_approval(partnership, coordinator):
    agency = services.propose_agency(
        partnership=partnership,
        name=" Margate Task Force (test) ",
        abbreviation="MTF-T",
        by=coordinator,
    )
    assert (agency.name, agency.proposed_by, agency.approved) == (
        "Margate Task Force (test)",
        partnership,
        False,
    )
    assert agency.history.get().history_user == coordinator
    assert agency in set(Agency.objects.for_partnership(partnership))
    other = make_plan().partnership
    assert agency not in set(Agency.objects.addable_to(other))


@pytest.mark.parametrize(
    "name, abbreviation, field",
    [
        ("kent police (shared)", "", "name"),
        ("Kent-Police  (Shared).", "", "name"),
        ("KPS", "", "name"),  # a name that is another agency's abbreviation
        ("Kent Constabulary", "kps", "abbreviation"),
    ],
)
def test_an_agency_already_listed_is_offered_instead(
    partnership, coordinator, name, abbreviation, field
):
    existing = make_agency(name="Kent Police (shared)", abbreviation="KPS")
    with pytest.raises(services.AgencyExists) as refused:
        services.propose_agency(
            partnership=partnership, name=name, abbreviation=abbreviation, by=coordinator
        )
    assert refused.value.agency == existing
    assert refused.value.message_dict == {
        field: [f"{existing} is already on the shared list of agencies: add it instead"]
    }
    assert Agency.objects.filter(name__iexact="Kent Police (shared)").count() == 1
    assert Agency.objects.get(pk=existing.pk).name == "Kent Police (shared)"


def test_an_agency_nothing_names_is_removed(partnership, coordinator):
    agency = make_agency()
    services.add_partnership_agency(partnership=partnership, agency=agency, by=coordinator)
    link = PartnershipAgency.objects.get(partnership=partnership, agency=agency)
    services.remove_partnership_agency(partnership=partnership, agency=agency, by=coordinator)
    assert agency not in set(Agency.objects.for_partnership(partnership))
    assert PartnershipAgency.history.filter(id=link.pk).first().history_user == coordinator
    assert Agency.objects.filter(pk=agency.pk).exists()  # still on the shared list


def test_an_agency_in_use_is_not_removed_and_the_refusal_says_why(partnership, coordinator, named):
    lead = named["leads"]
    services.add_partnership_agency(partnership=partnership, agency=lead, by=coordinator)
    make_action(plan=partnership.plans.get(), lead_agency=lead, support_agencies=[])
    with pytest.raises(ValidationError) as refused:
        services.remove_partnership_agency(partnership=partnership, agency=lead, by=coordinator)
    assert refused.value.messages == [
        f"{lead.name} cannot be removed: it leads 2 actions in {partnership.name}."
    ]
    assert PartnershipAgency.objects.filter(partnership=partnership, agency=lead).exists()


# The page.


def test_the_page_lists_the_agencies_and_what_names_them(coordinator_client, partnership, named):
    words = text_of(coordinator_client.get(agencies_url(partnership)))
    assert "6 agencies" in words
    assert "Named by leads Leads 1 action Named in its records" in words
    assert "Named by members Is the agency of 1 member" in words


def test_adding_and_removing_on_the_page(coordinator_client, partnership, coordinator):
    agency = make_agency(name="Turning Point (test)")
    page = coordinator_client.get(agencies_url(partnership)).content.decode()
    assert f'<option value="{agency.pk}"' in page
    response = coordinator_client.post(
        reverse("plans:agency-add", args=[partnership.slug]), {"agency": agency.pk}
    )
    assert response.status_code == 302
    words = text_of(coordinator_client.get(response.url))
    assert "Turning Point (test) is now one of the partnership's agencies." in words
    assert f"Remove {agency.name}" in words
    response = coordinator_client.post(
        reverse("plans:agency-removal", args=[partnership.slug, agency.pk])
    )
    assert "Turning Point (test) is no longer one of the partnership's agencies." in text_of(
        coordinator_client.get(response.url)
    )


def test_adding_nothing_or_an_agency_already_there_is_explained(
    coordinator_client, partnership, coordinator
):
    agency = make_agency()
    services.add_partnership_agency(partnership=partnership, agency=agency, by=coordinator)
    url = reverse("plans:agency-add", args=[partnership.slug])
    response = coordinator_client.post(url, {})
    assert response.status_code == 422
    assert "Select the agency to add" in text_of(response)
    response = coordinator_client.post(url, {"agency": agency.pk})
    assert response.status_code == 422
    assert "Select an agency from the list" in text_of(response)
    assert PartnershipAgency.objects.filter(partnership=partnership).count() == 1


def test_proposing_a_duplicate_offers_the_agency_there(coordinator_client, partnership):
    existing = make_agency(name="Kent Police (shared)", abbreviation="KPS")
    response = coordinator_client.post(
        reverse("plans:agency-propose", args=[partnership.slug]), {"name": "KENT POLICE (shared)"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    words = text_of(response)
    assert (
        "Kent Police (shared) (KPS) is already on the shared list of agencies: add it instead"
        in words
    )
    assert f'<input type="hidden" name="agency" value="{existing.pk}">' in page
    assert "Add Kent Police (shared) instead" in words
    assert Agency.objects.filter(name__iexact="kent police (shared)").count() == 1


def test_proposing_on_the_page(coordinator_client, partnership):
    response = coordinator_client.post(
        reverse("plans:agency-propose", args=[partnership.slug]),
        {"name": "Oasis Domestic Abuse Service (test)", "abbreviation": ""},
    )
    assert response.status_code == 302
    words = text_of(coordinator_client.get(response.url))
    assert "Oasis Domestic Abuse Service (test) Waiting for a site administrator" in words
    response = coordinator_client.post(
        reverse("plans:agency-propose", args=[partnership.slug]), {"name": ""}
    )
    assert response.status_code == 422
    assert "Enter the agency's name" in text_of(response)


def test_removing_an_agency_in_use_on_the_page_is_refused(
    coordinator_client, partnership, coordinator, named
):
    lead = named["leads"]
    services.add_partnership_agency(partnership=partnership, agency=lead, by=coordinator)
    words = text_of(coordinator_client.get(agencies_url(partnership)))
    assert f"Remove {lead.name}" not in words
    response = coordinator_client.post(
        reverse("plans:agency-removal", args=[partnership.slug, lead.pk])
    )
    assert response.status_code == 422
    assert f"{lead.name} cannot be removed: it leads 1 action in {partnership.name}." in text_of(
        response
    )
    assert PartnershipAgency.objects.filter(partnership=partnership, agency=lead).exists()


def test_no_form_on_the_page_renames_a_shared_agency(coordinator_client, partnership, named):
    page = coordinator_client.get(agencies_url(partnership)).content.decode()
    for agency in named.values():
        assert f'value="{agency.name}"' not in page


def test_the_agencies_page_query_count_is_flat(
    coordinator_client, partnership, plan, issue, coordinator
):
    def add(count):
        for _ in range(count):
            agency = make_agency()
            services.add_partnership_agency(partnership=partnership, agency=agency, by=coordinator)
            make_action(issue=issue, lead_agency=agency, support_agencies=[make_agency()])

    add(3)
    few = count_queries(coordinator_client, agencies_url(partnership))
    add(40)
    assert count_queries(coordinator_client, agencies_url(partnership)) == few


# The migration that started each partnership's list.


def seed_module():
    return importlib.import_module("plans.migrations.0009_seed_partnership_agencies")


def test_the_migration_lists_what_the_records_name_and_can_run_again(
    partnership, named, coordinator
):
    PartnershipAgency.objects.filter(partnership=partnership).delete()
    seed_module().forwards(apps, None)
    listed = set(
        PartnershipAgency.objects.filter(partnership=partnership).values_list("agency", flat=True)
    )
    # Invitations are not records the migration reads: none existed before this issue.
    assert listed == {a.pk for key, a in named.items() if key != "invitations"}
    records = PartnershipAgency.history.filter(agency=named["leads"], partnership=partnership)
    record = records.get()
    assert (record.history_type, record.history_user) == ("+", None)
    assert record.history_change_reason == "Named by the partnership's records"
    count = PartnershipAgency.objects.count()
    seed_module().forwards(apps, None)
    assert PartnershipAgency.objects.count() == count

    kept = make_agency()
    services.add_partnership_agency(partnership=partnership, agency=kept, by=coordinator)
    seed_module().backwards(apps, None)
    assert list(PartnershipAgency.objects.filter(partnership=partnership)) == [
        PartnershipAgency.objects.get(agency=kept)
    ]


def test_the_migration_lists_the_seeds_agencies(thanet_plan):
    """On the seeded Thanet plan: every lead and supporter of its actions ends on its list."""
    thanet = thanet_plan.partnership
    seed_module().forwards(apps, None)
    listed = set(
        PartnershipAgency.objects.filter(partnership=thanet).values_list("agency", flat=True)
    )
    named = set(thanet_plan.actions.values_list("lead_agency", flat=True)) - {None}
    assert named and named <= listed
    assert listed == set(Agency.objects.for_partnership(thanet).values_list("pk", flat=True))
