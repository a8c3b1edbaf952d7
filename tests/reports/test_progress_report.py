"""What the progress report says: the summary, exceptions and changes, as at a day or period."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from reports import documents
from tests.factories import make_partnership, make_plan

pytestmark = pytest.mark.django_db

d = datetime.date


def report(year, viewer, **choice):
    moment = documents.as_at(year.plan, **choice)
    return documents.progress_document(year.plan, viewer, moment)


def by_title(context):
    return {a.title: a for a in context["actions"]}


def test_a_period_is_reported_as_at_its_end_or_today_while_it_runs(year):
    assert documents.as_at(year.plan, period_slug="q2").day == d(2015, 9, 30)
    q3 = documents.as_at(year.plan, period_slug="q3")
    assert (q3.day, q3.period, q3.previous) == (d(2015, 12, 20), year.q3, year.q2)


def test_by_default_the_report_is_of_the_current_period(year):
    moment = documents.as_at(year.plan)
    assert moment.period == year.q3
    assert moment.by_period


def test_a_date_finds_its_period_and_the_one_before(year):
    moment = documents.as_at(year.plan, day=d(2015, 8, 20))
    assert (moment.period, moment.previous, moment.by_period) == (year.q2, year.q1, False)
    assert moment.slug == "2015-08-20"
    assert moment.label == "as at 20 August 2015"


@pytest.mark.parametrize(
    "choice",
    [{"period_slug": "q9"}, {"period_slug": "q4"}, {"day": d(2015, 12, 21)}],
    ids=["unknown period", "period not started", "tomorrow"],
)
def test_a_report_of_the_future_or_of_no_period_cannot_be_made(year, choice):
    with pytest.raises(documents.NoSuchReport):
        documents.as_at(year.plan, **choice)


def test_a_plan_without_periods_reports_as_at_today_or_its_last_day(frozen_today):
    running = make_plan(period_start=d(2015, 4, 1), period_end=d(2016, 3, 31))
    ended = make_plan(period_start=d(2014, 4, 1), period_end=d(2015, 3, 31))
    assert documents.as_at(running).day == frozen_today
    assert documents.as_at(ended).day == d(2015, 3, 31)
    assert documents.as_at(ended).period is None


def test_the_summary_opens_in_the_plans_own_words(year, coordinator):
    context = report(year, coordinator, period_slug="q3")
    assert context["opening"] == (
        "Of the 2 priorities, there are 2 emerging issues with 4 actions: "
        "1 completed, 1 at risk, 1 delayed and 1 not started."
    )
    assert context["rag_summary"] == "1 green, 1 amber, 1 red and 1 not yet rated"


def test_the_summary_uses_another_plans_labels(year, coordinator):
    plan = year.plan
    plan.priority_label, plan.issue_label, plan.action_label = "Theme", "Objective", "Aim"
    context = report(year, coordinator, period_slug="q3")
    assert context["opening"].startswith("Of the 2 themes, there are 2 objectives with 4 aims:")


def test_a_past_period_shows_statuses_and_updates_as_they_stood(year, coordinator):
    q1 = by_title(report(year, coordinator, period_slug="q1"))
    assert q1["Pilot body worn video"].status_label == "On track"
    assert q1["Pilot body worn video"].latest.narrative == "Kit ordered."
    assert q1["Deliver training"].status_label == "Not started"
    assert q1["Deliver training"].latest is None
    q3 = by_title(report(year, coordinator, period_slug="q3"))
    assert q3["Pilot body worn video"].latest.narrative == "Supplier failed."
    assert q3["Pilot body worn video"].measure_list[0].progress_as_at == 40


def test_exceptions_are_delayed_at_risk_overdue_or_not_updated_this_period(year, coordinator):
    context = report(year, coordinator, period_slug="q3")
    reasons = {a.title: a.exception_reasons for a in context["exceptions"]}
    assert reasons == {
        "Pilot body worn video": ["Delayed"],
        "Produce a mapping document": [
            "Overdue (target date 1 November 2015)",
            "No update in Q3 2015/16",
        ],
        "Refresh the communications strategy": ["At risk"],
    }


def test_changes_since_the_previous_period_compare_with_its_end(year, coordinator):
    context = report(year, coordinator, period_slug="q3")
    assert [(a.title, a.previous_label, a.status_label) for a in context["changes"]] == [
        ("Pilot body worn video", "On track", "Delayed")
    ]
    q2 = report(year, coordinator, period_slug="q2")
    assert {a.title for a in q2["changes"]} == {
        "Deliver training",
        "Refresh the communications strategy",
    }
    assert report(year, coordinator, period_slug="q1")["changes"] == []


def test_a_chart_per_priority_counts_its_actions_by_status(year, coordinator):
    context = report(year, coordinator, period_slug="q3")
    safeguarding, engagement = context["outline"].priorities
    assert safeguarding.counts_text == "1 completed, 1 delayed and 1 not started"
    assert engagement.chart.description == "Engagement: 1 at risk."
    assert context["summary_chart"].rows == [
        ("Safeguarding", [1, 0, 1, 1], 3),
        ("Engagement", [0, 1, 0, 0], 1),
    ]


def test_the_document_reads_only_what_its_reader_may_see(year):
    """Built through visible_to: a reader outside the partnership gets an empty report."""
    outsider_view = report(year, AnonymousUser(), period_slug="q3")
    assert outsider_view["actions"] == []
    assert outsider_view["exceptions"] == []


def test_file_names_say_partnership_plan_and_period(year):
    year.plan.partnership.short_name = "Thanet CSP"
    year.plan.slug = "2015-16"
    q3 = documents.as_at(year.plan, period_slug="q3")
    assert documents.progress_filename(year.plan, q3) == "thanet-csp-progress-2015-16-q3.pdf"
    assert documents.plan_filename(year.plan) == "thanet-csp-plan-2015-16.pdf"


def test_a_plan_with_no_actions_says_so(frozen_today, coordinator):
    plan = make_plan(partnership=make_partnership())
    context = documents.progress_document(plan, coordinator, documents.as_at(plan))
    assert context["opening"] == "There are no actions to report on."
    assert context["summary_chart"] is None
