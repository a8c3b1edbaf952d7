"""Update rounds: opening one within the plan's rules, closing and reopening it, progress
reports refused for a closed round, and the round's page of who has reported and who has not.

Today is 20 December 2015 (tests/actions/conftest.py); the plan runs 1 April 2015 to 31
March 2016.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions import services
from actions.forms import UpdateForm
from actions.models import ReportingPeriod, Status
from csp_tracker.editing import StaleEdit
from tests.conftest import count_queries
from tests.factories import make_action, make_agency, make_issue, make_period, make_priority
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

d = datetime.date


def _rounds_url(plan, name="actions:rounds", *extra):
    return reverse(name, args=[plan.partnership.slug, plan.slug, *extra])


def _open(plan, **overrides):
    fields = {
        "name": "Q4 2015/16",
        "start": d(2016, 1, 1),
        "end": d(2016, 3, 31),
        "due": d(2016, 4, 15),
    }
    fields.update(overrides)
    return services.add_reporting_period(plan=plan, by=None, **fields)


def _refusal(plan, **overrides) -> dict:
    with pytest.raises(ValidationError) as refused:
        _open(plan, **overrides)
    return refused.value.message_dict


# The service: the rules of a round.


def test_opening_a_round_makes_its_slug_from_the_name_and_names_who_opened_it(plan, coordinator):
    period = services.add_reporting_period(
        plan=plan,
        name="Q4 2015/16",
        start=d(2016, 1, 1),
        end=d(2016, 3, 31),
        due=d(2016, 4, 15),
        by=coordinator,
    )
    assert period.slug == "q4-2015-16"
    assert period.is_open
    record = period.history.get()
    assert (record.history_user, record.history_change_reason) == (coordinator, "Opened")


def test_a_slug_given_is_kept(plan):
    assert _open(plan, slug="q4").slug == "q4"


def test_a_round_outside_the_plans_period_is_refused(plan):
    assert _refusal(plan, start=d(2015, 3, 1), end=d(2015, 5, 31), due=d(2015, 6, 1)) == {
        "start": ["The round must start on or after the start of the plan, 1 April 2015."]
    }
    assert _refusal(plan, end=d(2016, 4, 30), due=d(2016, 5, 15)) == {
        "end": ["The round must end by the end of the plan, 31 March 2016."]
    }


def test_a_round_ending_before_it_starts_is_refused(plan):
    assert _refusal(plan, end=d(2015, 12, 31), due=d(2016, 1, 15)) == {
        "end": ["The round must end after it starts."]
    }


def test_a_due_date_before_the_end_is_refused(plan):
    assert _refusal(plan, due=d(2016, 3, 1)) == {
        "due": ["The due date must be on or after the end of the round, 31 March 2016."]
    }


def test_a_round_overlapping_another_is_refused_naming_it(plan, q3):
    assert _refusal(plan, start=d(2015, 12, 1)) == {
        "start": [
            "The round overlaps Q3 2015/16 (1 October 2015 to 31 December 2015): a plan's "
            "rounds cannot overlap."
        ]
    }


def test_a_round_may_start_the_day_after_another_ends(plan, q3):
    assert _open(plan, start=d(2016, 1, 1)).start == d(2016, 1, 1)


def test_a_name_or_slug_used_by_another_round_is_refused(plan, q3):
    assert _refusal(plan, name="q3 2015/16") == {
        "name": ["The plan already has a round called “q3 2015/16”."]
    }
    assert _refusal(plan, slug="q3") == {
        "slug": ["Another round of the plan already has the slug “q3”."]
    }
    assert _refusal(plan, slug="new") == {
        "slug": ["“new” is kept for the rounds' own pages: choose another slug."]
    }


def test_a_refused_round_is_not_saved(plan):
    _refusal(plan, due=d(2016, 1, 1))
    assert not plan.reporting_periods.exists()


def test_closing_a_round_records_when_and_who(q3, coordinator):
    closed = services.close_reporting_period(period=q3, by=coordinator)
    assert not closed.is_open
    assert closed.closed_by == coordinator
    record = closed.history.order_by("-history_id").first()
    assert (record.history_user, record.history_change_reason) == (coordinator, "Closed")


def test_closing_a_round_someone_closed_meanwhile_is_refused(q3, coordinator):
    services.close_reporting_period(period=q3, by=coordinator)
    with pytest.raises(StaleEdit, match="Q3 2015/16 was closed after you opened the page."):
        services.close_reporting_period(period=q3, by=coordinator)


def test_reopening_needs_a_reason_and_keeps_it_in_the_history(q3, coordinator):
    services.close_reporting_period(period=q3, by=coordinator)
    with pytest.raises(ValidationError, match="Say why the round is being reopened."):
        services.reopen_reporting_period(period=q3, by=coordinator, reason="  ")
    assert not ReportingPeriod.objects.get(pk=q3.pk).is_open
    reopened = services.reopen_reporting_period(
        period=q3, by=coordinator, reason="Kent Police's update came late"
    )
    assert reopened.is_open and reopened.closed_by is None
    record = reopened.history.order_by("-history_id").first()
    assert record.history_change_reason == "Kent Police's update came late"
    with pytest.raises(StaleEdit, match="was reopened after you opened the page"):
        services.reopen_reporting_period(period=q3, by=coordinator, reason="Again")


# A closed round takes no report.


def test_a_report_for_a_closed_round_is_refused_and_nothing_is_saved(action, q3, officer):
    services.close_reporting_period(period=q3, by=None)
    with pytest.raises(ValidationError) as refused:
        services.record_update(action=action, by=officer, status="on_track", rag="green", period=q3)
    assert refused.value.message_dict == {
        "period": [
            "Q3 2015/16 is closed: report for an open round, or ask the coordinator to reopen it."
        ]
    }
    assert not action.updates.exists()


def test_a_round_closed_after_the_form_was_read_still_refuses_the_report(action, q3, officer):
    """The service reads the round as it is, not the copy the form was given."""
    stale_copy = ReportingPeriod.objects.get(pk=q3.pk)
    services.close_reporting_period(period=q3, by=None)
    with pytest.raises(ValidationError, match="is closed"):
        services.record_update(
            action=action, by=officer, status="on_track", rag="green", period=stale_copy
        )


def test_a_round_of_another_plan_is_refused(action, officer):
    other = make_period(plan=make_action().plan)
    with pytest.raises(ValidationError, match="is a round of another plan"):
        services.record_update(
            action=action, by=officer, status="on_track", rag="green", period=other
        )


def test_the_update_form_offers_only_open_rounds(action, q3, plan):
    q2 = plan.reporting_periods.get(slug="q2")
    services.close_reporting_period(period=q2, by=None)
    form = UpdateForm(action=action)
    assert list(form.fields["period"].queryset) == [q3]
    assert form.initial["period"] == q3
    services.close_reporting_period(period=q3, by=None)
    assert UpdateForm(action=action).initial["period"] is None


def test_posting_a_closed_round_says_so_and_records_nothing(officer_client, action, q3):
    services.close_reporting_period(period=q3, by=None)
    response = officer_client.post(
        reverse("actions:record-update", args=[action.pk]),
        {
            "status": "on_track",
            "rag": "green",
            "narrative": "",
            "period": q3.pk,
            "reported_on": "2015-12-20",
            "based_on": "none",
            "version": action.version,
        },
    )
    assert response.status_code == 422
    assert "Choose an open reporting period: the one chosen has been closed." in text_of(response)
    assert not action.updates.exists()


def test_the_seeded_rounds_stay_open(thanet_plan):
    assert thanet_plan.reporting_periods.count() == 4
    assert all(p.is_open for p in thanet_plan.reporting_periods.all())


# The round's page: who has reported, who has not.


@pytest.fixture
def round_scene(plan, q3, officer, lead_agency):
    """In Q3: the lead agency reported on one action and not another; a second agency
    reported on nothing; an action without a lead was reported on; a completed action (not
    reported in Q3) is not asked about; one completed in Q3 counts as reported."""
    issue = make_issue(priority=make_priority(plan=plan))
    police = make_agency(name="Kent Police (test)", abbreviation="KP-T")
    reported = make_action(issue=issue, title="Pilot body worn video", lead_agency=lead_agency)
    missing = make_action(issue=issue, title="Deliver training", lead_agency=lead_agency)
    police_missing = make_action(issue=issue, title="Map the hotspots", lead_agency=police)
    no_lead = make_action(issue=issue, title="Refresh the strategy", lead_agency=None)
    finished = make_action(issue=issue, title="Publish the leaflet", lead_agency=police)
    finished_in_q3 = make_action(issue=issue, title="Train the wardens", lead_agency=police)
    q2 = plan.reporting_periods.get(slug="q2")
    services.record_update(
        action=finished,
        by=officer,
        status="completed",
        rag="green",
        period=q2,
        reported_on=d(2015, 9, 1),
    )
    for action, status, rag in [
        (reported, "on_track", "green"),
        (no_lead, "on_track", "green"),
        (finished_in_q3, "completed", "green"),
    ]:
        services.record_update(
            action=action,
            by=officer,
            status=status,
            rag=rag,
            period=q3,
            reported_on=d(2015, 12, 1),
        )
    # A report for Q2 does not count for Q3.
    services.record_update(
        action=missing,
        by=officer,
        status="on_track",
        rag="green",
        period=q2,
        reported_on=d(2015, 9, 1),
    )
    return {
        "plan": plan,
        "q3": q3,
        "url": q3.get_absolute_url(),
        "police": police,
        "missing": missing,
        "police_missing": police_missing,
    }


def test_the_round_page_lists_each_agencys_reported_and_missing_actions(
    coordinator_client, round_scene, lead_agency
):
    response = coordinator_client.get(round_scene["url"])
    page = text_of(response)
    assert "Reported on 3 of 5 actions; 2 missing" in page
    assert "1 finished action is not asked about." in page
    agencies = [row.name for row in response.context["progress"].agencies]
    assert agencies == [lead_agency.name, "Kent Police (test)", "No single lead agency"]
    lead, police, no_lead = response.context["progress"].agencies
    assert [a.title for a in lead.missing] == ["Deliver training"]
    assert [a.title for a in lead.updated] == ["Pilot body worn video"]
    assert [a.title for a in police.missing] == ["Map the hotspots"]
    assert [a.title for a in police.updated] == ["Train the wardens"]
    assert (no_lead.missing, [a.title for a in no_lead.updated]) == ([], ["Refresh the strategy"])
    html = response.content.decode()
    assert f'href="{round_scene["missing"].get_absolute_url()}"' in html
    assert f'id="agency-{round_scene["police"].pk}"' in html


def test_the_rounds_page_counts_each_round(coordinator_client, round_scene):
    response = coordinator_client.get(_rounds_url(round_scene["plan"]))
    rows = {r.period.slug: r for r in response.context["rounds"]}
    # The four open actions are asked about in each round, and those finished in it.
    assert (rows["q3"].updated, rows["q3"].expected, rows["q3"].is_current) == (3, 5, True)
    assert (rows["q2"].updated, rows["q2"].expected, rows["q2"].is_current) == (2, 5, False)
    assert "3 of 5 2 missing" in text_of(response)


def test_officers_and_board_members_read_the_round_but_do_not_get_its_controls(
    client, round_scene, officer, board_member, councillor
):
    for user in (officer, board_member):
        client.force_login(user)
        page = text_of(client.get(round_scene["url"]))
        assert "Deliver training" in page and "Close this round" not in page
    client.force_login(councillor)
    assert client.get(round_scene["url"]).status_code == 403


def test_a_coordinator_opens_a_round_from_the_form(coordinator_client, plan, coordinator):
    response = coordinator_client.post(
        _rounds_url(plan, "actions:round-open"),
        {
            "name": "Q1 2015/16",
            "slug": "",
            "start": "2015-04-01",
            "end": "2015-06-30",
            "due": "2015-07-15",
        },
    )
    period = plan.reporting_periods.get()
    assert response.status_code == 302 and response.url == period.get_absolute_url()
    assert (period.slug, period.due) == ("q1-2015-16", d(2015, 7, 15))
    page = text_of(coordinator_client.get(response.url))
    assert "Q1 2015/16 is open: officers can report for it now." in page


def test_a_refused_round_comes_back_with_the_message_on_its_field(coordinator_client, plan, q3):
    response = coordinator_client.post(
        _rounds_url(plan, "actions:round-open"),
        {"name": "Q4", "start": "2015-12-01", "end": "2016-03-31", "due": "2016-03-01"},
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors["start"] == [
        "The round overlaps Q3 2015/16 (1 October 2015 to 31 December 2015): a plan's rounds "
        "cannot overlap."
    ]
    assert form.errors["due"] == [
        "The due date must be on or after the end of the round, 31 March 2016."
    ]
    assert "There is a problem" in text_of(response)
    assert plan.reporting_periods.count() == 2


def test_an_empty_round_form_says_what_is_missing(coordinator_client, plan):
    response = coordinator_client.post(_rounds_url(plan, "actions:round-open"), {})
    assert response.status_code == 422
    page = text_of(response)
    for message in [
        "Enter the name of the round",
        "Enter the first day of the round",
        "Enter the last day of the round",
        "Enter the day updates are due",
    ]:
        assert message in page


def test_closing_and_reopening_from_the_round_page(coordinator_client, plan, q3):
    close = _rounds_url(plan, "actions:round-close", "q3")
    response = coordinator_client.post(close)
    assert response.status_code == 302
    page = text_of(coordinator_client.get(q3.get_absolute_url()))
    assert "Q3 2015/16 is closed: it takes no more updates." in page
    assert "Closed on 20 Dec 2015 by" in page
    # A second close (a page opened before the first) is a conflict: nothing changes.
    response = coordinator_client.post(close)
    assert response.status_code == 409
    assert "Q3 2015/16 was closed after you opened the page." in text_of(response)
    reopen = _rounds_url(plan, "actions:round-reopen", "q3")
    response = coordinator_client.post(reopen, {"reason": ""})
    assert response.status_code == 422
    assert "Say why the round is being reopened" in text_of(response)
    assert not ReportingPeriod.objects.get(pk=q3.pk).is_open
    response = coordinator_client.post(reopen, {"reason": "x" * 101})
    assert response.status_code == 422
    assert "The reason must be 100 characters or fewer" in text_of(response)
    response = coordinator_client.post(reopen, {"reason": "An update arrived late"})
    assert response.status_code == 302
    assert ReportingPeriod.objects.get(pk=q3.pk).is_open


def test_an_unknown_round_is_not_found(coordinator_client, plan):
    assert coordinator_client.get(_rounds_url(plan, "actions:round", "q9")).status_code == 404


# Flat query counts.


def _grow(plan, issue, agencies, officer, q3, count):
    start = plan.actions.count()
    for n in range(start, start + count):
        action = make_action(
            issue=issue, lead_agency=agencies[n % len(agencies)] if n % 5 else None
        )
        if n % 2:
            services.record_update(
                action=action, by=officer, status="on_track", rag="green", period=q3
            )
        elif n % 7 == 0:
            services.record_update(action=action, by=officer, status=Status.COMPLETED, rag="green")


def test_the_round_pages_keep_a_flat_query_count_from_10_to_300_actions(
    coordinator_client, plan, issue, officer, q3
):
    agencies = [make_agency() for _ in range(6)]
    urls = [q3.get_absolute_url(), _rounds_url(plan)]
    _grow(plan, issue, agencies, officer, q3, 10)
    at_10 = [count_queries(coordinator_client, url) for url in urls]
    _grow(plan, issue, agencies, officer, q3, 290)
    assert plan.actions.count() == 300
    assert [count_queries(coordinator_client, url) for url in urls] == at_10


def test_query_budget_of_the_round_page(coordinator_client, round_scene, django_assert_num_queries):
    coordinator_client.get(round_scene["url"])  # warm the session
    # session, user, the demo-users check of sign-in, the second factor's device,
    # memberships, plan, round, actions with whether each was reported on in the round
    with django_assert_num_queries(8):
        coordinator_client.get(round_scene["url"])
