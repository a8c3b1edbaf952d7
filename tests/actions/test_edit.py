"""Coordinators change an action's details and measures; concurrent changes are refused."""

import datetime

import pytest
from django.urls import reverse

from actions import services
from actions.models import Action, Measure
from csp_tracker.editing import StaleEdit
from plans.services import add_partnership_agency
from tests.factories import make_agency, make_measure
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def form_data(action, **changes):
    data = {
        "title": action.title,
        "lead_agency": action.lead_agency_id or "",
        "lead_wording": action.lead_wording,
        "support_agencies": [a.pk for a in action.support_agencies.all()],
        "support_wording": action.support_wording,
        "target_date": "",
        "version": action.version,
        "measures-TOTAL_FORMS": "1",
        "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "0",
        "measures-MAX_NUM_FORMS": "1000",
        "measures-0-id": "",
        "measures-0-text": "",
        "measures-0-target": "",
        "measures-0-unit": "",
        "measures-0-baseline": "",
    }
    data.update(changes)
    return data


def test_coordinator_changes_details_and_adds_a_numeric_measure(
    coordinator_client, coordinator, action
):
    new_lead = make_agency(name="Kent Police (test)")
    add_partnership_agency(partnership=action.plan.partnership, agency=new_lead, by=coordinator)
    url = reverse("actions:edit", args=[action.pk])
    response = coordinator_client.post(
        url,
        form_data(
            action,
            title="Pilot body worn video with NTE security staff",
            lead_agency=new_lead.pk,
            target_date="2016-03-31",
            **{
                "measures-0-text": "42 weeks of outreach delivered.",
                "measures-0-is_numeric": "on",
                "measures-0-target": "42",
                "measures-0-unit": "weeks",
            },
        ),
    )
    assert response.status_code == 302
    action = Action.objects.get(pk=action.pk)
    assert action.title == "Pilot body worn video with NTE security staff"
    assert action.lead_agency == new_lead
    assert str(action.target_date) == "2016-03-31"
    assert action.version == 2
    measure = action.measures.get()
    assert (measure.text, measure.target, measure.unit) == (
        "42 weeks of outreach delivered.",
        42,
        "weeks",
    )
    record = action.history.order_by("-history_date", "-history_id").first()
    assert record.history_user.username.startswith("coordinator")
    page = text_of(coordinator_client.get(action.get_absolute_url()))
    assert "Changes to this action" in page
    assert "Target date: “none” → “31 March 2016”" in page


def test_the_agencies_offered_are_the_partnerships(coordinator_client, coordinator, action):
    """The lead and support choices are Agency.objects.for_partnership: its list and the
    agencies its records name (this action's own), not every partnership's."""
    listed = make_agency(name="Thanet District Council (test)")
    add_partnership_agency(partnership=action.plan.partnership, agency=listed, by=coordinator)
    elsewhere = make_agency(name="Medway Council (test)")
    url = reverse("actions:edit", args=[action.pk])
    page = text_of(coordinator_client.get(url))
    assert listed.name in page
    assert action.lead_agency.name in page
    assert elsewhere.name not in page
    response = coordinator_client.post(url, form_data(action, lead_agency=elsewhere.pk))
    assert response.status_code == 422
    assert "Select the lead agency from the partnership's agencies" in text_of(response)
    assert Action.objects.get(pk=action.pk).lead_agency == action.lead_agency


def test_changing_an_existing_measure(coordinator_client, action):
    measure = make_measure(action=action, text="TBC")
    data = form_data(
        action,
        **{
            "measures-TOTAL_FORMS": "2",
            "measures-INITIAL_FORMS": "1",
            "measures-0-id": str(measure.pk),
            "measures-0-text": "25 people triaged",
            "measures-0-is_numeric": "on",
            "measures-0-target": "25",
            "measures-1-text": "",
        },
    )
    response = coordinator_client.post(reverse("actions:edit", args=[action.pk]), data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.text, measure.target) == ("25 people triaged", 25)


def test_a_target_without_a_number_is_explained(coordinator_client, action):
    data = form_data(action, **{"measures-0-text": "Briefing delivered", "measures-0-target": "5"})
    response = coordinator_client.post(reverse("actions:edit", args=[action.pk]), data)
    assert response.status_code == 422
    assert "A target or baseline needs the measure to be measured by a number." in text_of(response)
    assert not Measure.objects.filter(action=action).exists()


def test_someone_elses_measure_cannot_be_edited_through_this_action(coordinator_client, action):
    foreign = make_measure(text="Not yours")
    data = form_data(
        action,
        **{"measures-0-id": str(foreign.pk), "measures-0-text": "Hijacked"},
    )
    response = coordinator_client.post(reverse("actions:edit", args=[action.pk]), data)
    assert response.status_code == 403
    foreign.refresh_from_db()
    assert foreign.text == "Not yours"


def test_concurrent_detail_edits_are_refused(coordinator_client, coordinator, action):
    stale = form_data(action, title="My new title")
    services.edit_action(
        action=action, by=coordinator, version=action.version, title="Their new title"
    )
    response = coordinator_client.post(reverse("actions:edit", args=[action.pk]), stale)
    assert response.status_code == 409
    assert "someone else changed this action" in text_of(response)
    assert Action.objects.get(pk=action.pk).title == "Their new title"


def test_a_refused_edit_lists_what_the_other_person_changed_field_by_field(
    coordinator_client, coordinator, action
):
    stale = form_data(action, title="My new title")
    coordinator.first_name, coordinator.last_name = "Sam", "Coordinator"
    coordinator.save()
    services.edit_action(
        action=action,
        by=coordinator,
        version=action.version,
        title="Their new title",
        target_date=datetime.date(2016, 3, 31),
    )
    response = coordinator_client.post(reverse("actions:edit", args=[action.pk]), stale)
    assert response.status_code == 409
    page = text_of(response)
    assert f"Action: “{action.title}” → “Their new title” (Sam Coordinator," in page
    assert "Target date: “none” → “31 March 2016” (Sam Coordinator," in page


def test_service_refuses_a_stale_version(action, coordinator):
    with pytest.raises(StaleEdit):
        services.edit_action(action=action, by=coordinator, version=action.version + 1, title="x")


@pytest.mark.parametrize("role", ["officer", "support_officer", "board_member", "councillor"])
def test_only_coordinators_edit_details(client, request, action, role):
    client.force_login(request.getfixturevalue(role))
    url = reverse("actions:edit", args=[action.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(action, title="x")).status_code == 403
    assert Action.objects.get(pk=action.pk).title == action.title
