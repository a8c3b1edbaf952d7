"""Recording progress: appended through a service, validated, attributed, never overwritten."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions import services
from actions.forms import UpdateForm
from actions.models import Action, ActionUpdate, Status
from csp_tracker.editing import StaleEdit
from tests.factories import make_measure, make_period
from tests.helpers import element_text, inputs, is_checked, text_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2015, 12, 20)


@pytest.fixture
def courses(action):
    return make_measure(action=action, text="2 Courses delivered", is_numeric=True, target=2)


def post_update(client, action, **fields):
    data = {
        "status": "on_track",
        "rag": "green",
        "narrative": "First course delivered.",
        "reported_on": "2015-12-18",
        "based_on": "none",
        "version": action.version,
        "period": "",
    }
    data.update({k: v for k, v in fields.items() if v is not None})
    return client.post(reverse("actions:record-update", args=[action.pk]), data)


def test_service_appends_an_update_and_the_action_status_follows(action, officer, q3):
    update = services.record_update(
        action=action,
        by=officer,
        status="delayed",
        rag="amber",
        narrative="Venue lost.",
        period=q3,
        reported_on=TODAY,
    )
    action.refresh_from_db()
    assert (action.status, action.rag) == ("delayed", "amber")
    assert update.author == officer
    assert action.history.first().history_user == officer  # the status change is audited
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_a_note_does_not_change_the_status(action, officer):
    services.record_update(
        action=action, by=officer, status="on_track", rag="green", narrative="Going well."
    )
    services.record_update(action=action, by=officer, narrative="A further note.")
    action.refresh_from_db()
    assert action.status == Status.ON_TRACK


def test_a_back_dated_update_does_not_replace_a_later_status(action, officer):
    services.record_update(
        action=action, by=officer, status="completed", rag="green", reported_on=TODAY
    )
    services.record_update(
        action=action,
        by=officer,
        status="delayed",
        rag="red",
        narrative="Earlier delay.",
        reported_on=datetime.date(2015, 11, 1),
    )
    action.refresh_from_db()
    assert action.status == Status.COMPLETED


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"status": "completed", "rag": "amber"}, "rag", "A completed action is rated green."),
        (
            {"status": "delayed", "rag": "red", "narrative": " "},
            "narrative",
            "Explain why the action is delayed.",
        ),
        ({"status": "on_track", "rag": ""}, "rag", "Choose a RAG rating for the new status."),
        (
            {"reported_on": datetime.date(2015, 12, 21)},
            "reported_on",
            "The date of the update cannot be in the future.",
        ),
    ],
)
def test_service_refuses_bad_updates(action, officer, fields, field, message):
    arguments = {"status": "on_track", "rag": "green", "narrative": "ok", **fields}
    with pytest.raises(ValidationError) as caught:
        services.record_update(action=action, by=officer, **arguments)
    assert message in caught.value.message_dict[field]
    assert not ActionUpdate.objects.filter(action=action).exists()


def test_service_refuses_a_stale_update(action, officer, coordinator):
    services.record_update(
        action=action,
        by=coordinator,
        status="at_risk",
        rag="amber",
        narrative="Funding unclear.",
        based_on=None,
    )
    with pytest.raises(StaleEdit) as caught:
        services.record_update(
            action=action,
            by=officer,
            status="on_track",
            rag="green",
            narrative="All fine.",
            based_on=None,
        )
    assert "Funding unclear." in caught.value.changes[0]
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_officer_records_an_update_with_a_reading(officer_client, action, courses, q3):
    response = post_update(officer_client, action, period=q3.pk, **{f"reading_{courses.pk}": "1"})
    assert response.status_code == 302
    update = ActionUpdate.objects.get(action=action)
    assert update.readings.get().value == Decimal("1")
    assert update.period == q3
    assert update.agency == action.lead_agency
    page = officer_client.get(action.get_absolute_url()).content.decode()
    assert "First course delivered." in page
    assert "50% of the way to the target" in page
    assert "Your update has been recorded." in page


def test_htmx_update_returns_the_whole_action_page_in_its_new_state(
    officer_client, action, courses
):
    response = officer_client.post(
        reverse("actions:record-update", args=[action.pk]),
        {
            "status": "at_risk",
            "rag": "amber",
            "narrative": "Via htmx.",
            "reported_on": "2015-12-18",
            "based_on": "none",
            "version": action.version,
            f"reading_{courses.pk}": "1",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="action-page"')
    assert "<html" not in html
    assert "Your update has been recorded. The status is now At risk, RAG amber." in html
    # The summary at the top, the latest reading, and the form's defaults: all the new state.
    assert "At risk" in element_text(html, "current-status")
    assert "RAG: Amber" in element_text(html, "current-status")
    assert "No reading yet" not in html
    assert "50% of the way to the target" in html
    assert is_checked(html, "status", "at_risk")
    assert is_checked(html, "rag", "amber")
    latest = ActionUpdate.objects.get(action=action)
    based_on = next(i for i in inputs(html) if i.get("name") == "based_on")
    assert based_on["value"] == str(latest.pk)


def test_a_second_update_from_the_returned_form_is_not_stale(officer_client, action):
    url = reverse("actions:record-update", args=[action.pk])
    first = {
        "status": "at_risk",
        "rag": "amber",
        "narrative": "First.",
        "reported_on": "2015-12-18",
        "based_on": "none",
        "version": action.version,
    }
    html = officer_client.post(url, first, headers={"HX-Request": "true"}).content.decode()
    second = {
        i["name"]: i.get("value", "")
        for i in inputs(html)
        if i.get("type") not in {"radio", "submit"} and "name" in i
    }
    second.update({"status": "on_track", "rag": "green", "narrative": "Second."})
    response = officer_client.post(url, second, headers={"HX-Request": "true"})
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.status == Status.ON_TRACK


def test_a_refused_stale_update_shows_the_current_state_in_the_summary(
    officer_client, coordinator, action
):
    services.record_update(
        action=action,
        by=coordinator,
        status="delayed",
        rag="red",
        narrative="Venue withdrawn.",
        reported_on=datetime.date(2015, 12, 19),
    )
    response = post_update(officer_client, action, based_on="none")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Delayed" in element_text(html, "current-status")
    assert "Venue withdrawn." in element_text(html, "conflict-body")


def test_without_javascript_the_saved_page_shows_the_new_state(officer_client, action):
    response = post_update(officer_client, action, status="at_risk", rag="amber", narrative="x")
    assert response.status_code == 302
    page = officer_client.get(response["Location"])
    html = page.content.decode()
    assert "At risk" in element_text(html, "current-status")
    assert is_checked(html, "status", "at_risk")
    assert "Your update has been recorded. The status is now At risk, RAG amber." in text_of(page)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "completed", "rag": "red"}, "A completed action is rated green."),
        (
            {"status": "withdrawn", "rag": "red", "narrative": ""},
            "Explain why the action is withdrawn.",
        ),
        ({"reported_on": "2016-01-05"}, "The date of the update cannot be in the future."),
        ({"reported_on": "31/13/2015"}, "Enter a valid date."),
        ({"status": "finished"}, "Select a valid choice."),
        ({"narrative": "x" * 5001}, "Ensure this value has at most 5000 characters"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(officer_client, action, fields, message):
    response = post_update(officer_client, action, **fields)
    assert response.status_code == 422
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert not ActionUpdate.objects.filter(action=action).exists()
    if "narrative" not in fields:
        assert "First course delivered." in page  # what the officer typed is kept


def test_the_form_shows_the_services_rule_errors_on_their_fields(action, monkeypatch):
    def rules(**arguments):
        raise ValidationError({"narrative": "Rule one.", "readings": "Rule two."})

    monkeypatch.setattr(services, "check_update_rules", rules)
    form = UpdateForm(
        {
            "status": "on_track",
            "rag": "green",
            "narrative": "Fine.",
            "reported_on": "2015-12-18",
            "based_on": "none",
            "version": action.version,
        },
        action=action,
    )
    assert not form.is_valid()
    assert form.errors["narrative"] == ["Rule one."]
    assert form.non_field_errors() == ["Rule two."]


def test_every_broken_rule_is_explained_at_once(officer_client, action):
    response = post_update(
        officer_client, action, status="completed", rag="amber", reported_on="2016-01-05"
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "A completed action is rated green." in page
    assert "The date of the update cannot be in the future." in page


def test_a_narrative_too_long_is_not_also_called_missing(officer_client, action):
    response = post_update(
        officer_client, action, status="delayed", rag="red", narrative="x" * 5001
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Ensure this value has at most 5000 characters" in page
    assert "Explain why the action is delayed." not in page


def test_negative_or_nonsense_readings_are_refused(officer_client, action, courses):
    for value, message in [("-1", "cannot be negative"), ("lots", "as a number")]:
        response = post_update(officer_client, action, **{f"reading_{courses.pk}": value})
        assert response.status_code == 422
        assert message in response.content.decode()
    assert not ActionUpdate.objects.filter(action=action).exists()


def test_stale_form_is_refused_with_what_changed_and_the_text_kept(
    officer_client, coordinator, action
):
    services.record_update(
        action=action,
        by=coordinator,
        status="at_risk",
        rag="amber",
        narrative="Budget not yet confirmed.",
    )
    response = post_update(officer_client, action, narrative="My careful paragraph.")
    assert response.status_code == 409
    page = response.content.decode()
    assert "someone else changed this action" in page
    assert "Budget not yet confirmed." in page
    assert "My careful paragraph." in page
    assert ActionUpdate.objects.filter(action=action).count() == 1
    # The kept form is now based on the other update, so sending it again goes through.
    latest = ActionUpdate.objects.get(action=action)
    assert f'name="based_on" value="{latest.pk}"' in page
    again = post_update(
        officer_client, action, narrative="My careful paragraph.", based_on=latest.pk
    )
    assert again.status_code == 302
    assert ActionUpdate.objects.filter(action=action).count() == 2


def test_details_changed_meanwhile_also_refuse_the_update(officer_client, coordinator, action):
    services.edit_action(action=action, by=coordinator, version=action.version, title="Renamed")
    response = post_update(officer_client, action)
    assert response.status_code == 409
    assert "The action's details were changed." in text_of(response)


def test_support_officer_adds_a_note_but_cannot_set_status(client, support_officer, action):
    client.force_login(support_officer)
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Add a note" in page and "New status" not in page
    response = post_update(
        client, action, status="completed", rag="green", narrative="We hosted the session."
    )
    assert response.status_code == 302
    update = ActionUpdate.objects.get(action=action)
    assert update.is_note and update.narrative == "We hosted the session."
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED


def test_empty_note_is_refused(client, support_officer, action):
    client.force_login(support_officer)
    response = post_update(client, action, narrative="")
    assert response.status_code == 422
    assert "Write the note." in response.content.decode()


@pytest.mark.parametrize("role", ["other_officer", "board_member", "councillor"])
def test_readers_and_other_agencies_cannot_update(client, request, action, role):
    client.force_login(request.getfixturevalue(role))
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Record an update" not in page and "Add a note" not in page
    assert post_update(client, action).status_code == 403
    assert not ActionUpdate.objects.filter(action=action).exists()


def test_outsider_gets_404_for_another_partnerships_action(outsider_client, action):
    assert post_update(outsider_client, action).status_code == 404
    assert outsider_client.get(action.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, action, plan, coordinator):
    from plans.services import publish_plan

    publish_plan(plan=plan, by=coordinator)
    response = post_update(client, action)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_coordinator_updates_any_action(coordinator_client, action):
    assert post_update(coordinator_client, action).status_code == 302
    assert Action.objects.get(pk=action.pk).status == Status.ON_TRACK


def test_status_cache_always_agrees_with_the_latest_update(action, officer, coordinator):
    """Whatever order reports arrive in, the cached status is the latest report's."""
    import random

    rng = random.Random(14122015)
    statuses = [
        ("on_track", "green"),
        ("at_risk", "amber"),
        ("delayed", "red"),
        ("completed", "green"),
        ("", ""),
    ]
    for _ in range(25):
        status, rag = rng.choice(statuses)
        day = datetime.date(2015, 4, 1) + datetime.timedelta(days=rng.randrange(260))
        services.record_update(
            action=action,
            by=rng.choice([officer, coordinator]),
            status=status,
            rag=rag,
            narrative="Report.",
            reported_on=day,
        )
        action.refresh_from_db()
        latest = (
            ActionUpdate.objects.filter(action=action)
            .exclude(status="")
            .order_by("-reported_on", "-created_at", "-pk")
            .first()
        )
        assert (action.status, action.rag) == (
            (latest.status, latest.rag) if latest else ("not_started", "")
        )


# The update's date: within the plan's period and its round, no later than today.


def test_an_update_dated_before_the_plan_is_refused_naming_the_plans_dates(action, officer):
    with pytest.raises(ValidationError) as refused:
        services.record_update(
            action=action,
            by=officer,
            status="on_track",
            rag="green",
            reported_on=datetime.date(1990, 1, 1),
        )
    assert refused.value.message_dict["reported_on"] == [
        "The date must fall within the plan's period, 1 April 2015 to 31 March 2016."
    ]
    assert not ActionUpdate.objects.filter(action=action).exists()


def test_an_update_dated_outside_its_round_is_refused_naming_the_rounds_dates(
    officer_client, officer, action, q3
):
    q4 = make_period(
        plan=action.plan,
        name="Q4 2015/16",
        slug="q4",
        start=datetime.date(2016, 1, 1),
        end=datetime.date(2016, 3, 31),
        due=datetime.date(2016, 4, 15),
    )
    with pytest.raises(ValidationError) as refused:
        services.record_update(
            action=action,
            by=officer,
            status="on_track",
            rag="green",
            period=q4,
            reported_on=datetime.date(2015, 4, 10),  # in the plan, but in no round before Q4
        )
    assert refused.value.message_dict["reported_on"] == [
        "An update for Q4 2015/16 is dated from 1 January 2016 to its due date, 15 April 2016. "
        "10 April 2015 is outside it: correct the date, or choose the round it reports on."
    ]
    response = post_update(officer_client, action, period=q3.pk, reported_on="2015-06-01")
    assert response.status_code == 422
    assert "An update for Q3 2015/16 is dated from 1 October 2015 to 31 December 2015" in (
        text_of(response)
    )
    assert not ActionUpdate.objects.filter(action=action).exists()


def test_an_update_dated_within_an_earlier_round_counts_for_it(officer_client, action, q3):
    q2 = q3.plan.reporting_periods.get(slug="q2")
    response = post_update(officer_client, action, period=q3.pk, reported_on="2015-08-20")
    assert response.status_code == 302
    update = ActionUpdate.objects.get(action=action)
    assert update.period == q2
    page = officer_client.get(response["Location"])
    assert "It is dated within Q2 2015/16, so it counts for that round (a late report)." in (
        text_of(page)
    )
    assert "20 August 2015 · counts for Q2 2015/16" in text_of(page)


def test_a_late_report_for_a_closed_round_is_refused(action, officer, coordinator, q3):
    q2 = q3.plan.reporting_periods.get(slug="q2")
    services.close_reporting_period(period=q2, by=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.record_update(
            action=action,
            by=officer,
            narrative="A note.",
            period=q3,
            reported_on=datetime.date(2015, 8, 20),
        )
    assert (
        "falls within Q2 2015/16 (1 July 2015 to 30 September 2015), which is closed"
        in (refused.value.message_dict["reported_on"][0])
    )


def test_the_form_offers_the_latest_date_the_plan_allows_once_its_year_is_over(action):
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 12, 4, 10, 0), tick=False):
        form = UpdateForm(action=action)
        assert form.initial["reported_on"] == datetime.date(2016, 3, 31)
        assert "counts for that round" in form.fields["reported_on"].help_text
        update = services.record_update(
            action=action, by=None, status="on_track", rag="green", narrative="Year end."
        )
    assert update.reported_on == datetime.date(2016, 3, 31)


def test_a_date_outside_the_plan_is_refused_naming_the_plan_even_for_a_round(
    officer_client, action, q3
):
    response = post_update(officer_client, action, period=q3.pk, reported_on="1990-01-01")
    assert response.status_code == 422
    assert "The date must fall within the plan's period, 1 April 2015 to 31 March 2016." in (
        text_of(response)
    )
    assert not ActionUpdate.objects.filter(action=action).exists()
