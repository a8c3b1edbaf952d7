"""The board's dashboard: every figure against a hand-counted plan, and each figure's link.

The plan (today is 20 December 2015, in Q3; Q2 before it):

    action  priority     lead  target      updates                                  now
    a1      Safeguarding A     1 Nov 2015  Q3 10 Dec: completed, green              completed
    a2      Safeguarding A     1 Nov 2015  Q2 1 Sep: delayed, red                   delayed, overdue
    a3      Safeguarding B     —           Q3 5 Dec: on track, green (reading 30)   on track
    a4      Engagement   B     1 Mar 2016  —                                        not started
    a5      Engagement   B     1 Dec 2015  Q3 12 Dec: at risk, amber                at risk, overdue
    a6      Engagement   —     —           Q3 15 Dec: a note                        not started
    a7      Engagement   A     —           Q2 15 Aug: withdrawn, red                withdrawn

By hand: 7 actions; completed 1, on track 1, at risk 1, delayed 1, not started 2, withdrawn 1;
overdue 2 (a2, a5). RAG: green 2, amber 1, red 2, none 2. Q3 round: expected 6 (the five
open actions and a1, finished in Q3), updated 4 (a1, a3, a5, a6 by its note), awaiting 2
(a2 of A, a4 of B). Agency A leads 3 (1 completed, 1 delayed, 1 overdue, 1 awaiting, last
update 10 Dec); B leads 3 (0, 0, 1 overdue, 1 awaiting, last 12 Dec); a6 has no single lead.
"""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from actions import services
from plans.models import Indicator
from plans.services import define_indicator, record_indicator_value
from reports import dashboard
from tests.conftest import count_queries
from tests.factories import (
    make_action,
    make_agency,
    make_issue,
    make_measure,
    make_period,
    make_priority,
)
from tests.helpers import text_of
from tests.reports.pdf_reading import pdf_objects, pdf_text

pytestmark = pytest.mark.django_db

d = datetime.date


@pytest.fixture
def board(frozen_today, plan, officer, coordinator):
    """The hand-counted plan of the module docstring."""
    q2 = make_period(
        plan=plan, name="Q2 2015/16", slug="q2", start=d(2015, 7, 1), end=d(2015, 9, 30)
    )
    q3 = make_period(
        plan=plan, name="Q3 2015/16", slug="q3", start=d(2015, 10, 1), end=d(2015, 12, 31)
    )
    make_period(plan=plan, name="Q4 2015/16", slug="q4", start=d(2016, 1, 1), end=d(2016, 3, 31))
    safeguarding = make_issue(priority=make_priority(plan=plan, title="Safeguarding"))
    engagement = make_issue(priority=make_priority(plan=plan, title="Engagement"))
    a = make_agency(name="Agency A (test)", abbreviation="AA")
    b = make_agency(name="Agency B (test)", abbreviation="BB")

    def act(title, issue, lead, target=None, **extra):
        return make_action(issue=issue, title=title, lead_agency=lead, target_date=target, **extra)

    a1 = act("a1 Deliver training", safeguarding, a, d(2015, 11, 1))
    a2 = act("a2 Produce a mapping document", safeguarding, a, d(2015, 11, 1))
    a3 = act("a3 Triage people in crisis", safeguarding, b)
    a4 = act("a4 Survey young people", engagement, b, d(2016, 3, 1))
    a5 = act("a5 Refresh the communications strategy", engagement, b, d(2015, 12, 1))
    a6 = services.add_action(  # the factory always names a lead agency
        issue=engagement, title="a6 Review meeting structures", lead_wording="ALL partners"
    )
    a7 = act("a7 Run a road show", engagement, a)
    make_measure(action=a1, text="Training delivered")
    triaged = make_measure(
        action=a3, text="50 people triaged", is_numeric=True, target=50, baseline=10, unit="people"
    )
    make_measure(action=a5, text="5 campaigns", is_numeric=True, target=5)
    make_measure(action=a4, text="TBC", is_numeric=True)

    def report(action, day, period, status="", rag="", narrative="Done.", readings=None):
        services.record_update(
            action=action,
            by=coordinator,
            status=status,
            rag=rag,
            narrative=narrative,
            period=period,
            reported_on=day,
            readings=readings or {},
        )

    report(a7, d(2015, 8, 15), q2, "withdrawn", "red", "No longer needed.")
    report(a2, d(2015, 9, 1), q2, "delayed", "red", "Supplier failed.")
    report(a3, d(2015, 12, 5), q3, "on_track", "green", "Going well.", {triaged: Decimal(30)})
    report(a1, d(2015, 12, 10), q3, "completed", "green", "Forty officers trained.")
    report(a5, d(2015, 12, 12), q3, "at_risk", "amber", "Short of staff.")
    report(a6, d(2015, 12, 15), q3, narrative="Partners met in November.")
    return {
        "plan": plan,
        "q2": q2,
        "q3": q3,
        "a": a,
        "b": b,
        **{f"a{i}": x for i, x in enumerate([a1, a2, a3, a4, a5, a6, a7], start=1)},
    }


def built(board, period_slug=None):
    return dashboard.build(board["plan"], today=d(2015, 12, 20), period_slug=period_slug)


def listed(client, url) -> set[str]:
    """The titles of the actions the action list shows at `url` (a1 … a7)."""
    response = client.get(url)
    assert response.status_code == 200
    return {a.title.split()[0] for a in response.context["page"].paginator.object_list}


def test_headline_counts_match_the_hand_count(board):
    result = built(board)
    assert result.total.count == 7
    assert {s.value: f.count for s, f in result.by_status} == {
        "completed": 1,
        "on_track": 1,
        "at_risk": 1,
        "delayed": 1,
        "not_started": 2,
        "withdrawn": 1,
    }
    assert result.overdue.count == 2


def test_statuses_per_priority_match_the_hand_count(board):
    rows = {r["priority"].title: r for r in built(board).priority_rows}
    assert rows["Safeguarding"]["total"].count == 3
    assert dict(rows["Safeguarding"]["counts"]) == {"completed": 1, "delayed": 1, "on_track": 1}
    assert rows["Engagement"]["total"].count == 4
    assert dict(rows["Engagement"]["counts"]) == {"not_started": 2, "at_risk": 1, "withdrawn": 1}


def test_rag_distribution_matches_the_hand_count(board):
    rag = {key: figure.count for key, _, figure in built(board).rag}
    assert rag == {"green": 2, "amber": 1, "red": 2, "none": 2}


def test_current_update_round_counts_notes_and_finished_actions_updated_in_it(board):
    round_ = built(board).update_round
    assert round_.period == board["q3"] and round_.is_current
    assert (round_.expected, round_.updated.count, round_.awaiting.count) == (6, 4, 2)
    assert round_.percent == 67
    assert [(name, f.count) for name, f in round_.agencies_awaiting] == [
        ("Agency A (test)", 1),
        ("Agency B (test)", 1),
    ]


def test_an_earlier_round_is_counted_and_linked_for_itself(board, board_client):
    round_ = built(board, "q2").update_round
    assert round_.period == board["q2"] and not round_.is_current
    # Expected: the five open actions and a7, withdrawn in Q2; updated in Q2: a2 and a7.
    assert (round_.expected, round_.updated.count, round_.awaiting.count) == (6, 2, 4)
    assert listed(board_client, round_.updated.url) == {"a2", "a7"}
    assert listed(board_client, round_.awaiting.url) == {"a3", "a4", "a5", "a6"}
    by_agency = {name: listed(board_client, f.url) for name, f in round_.agencies_awaiting}
    assert by_agency == {
        "Agency B (test)": {"a3", "a4", "a5"},
        "No single lead agency": {"a6"},
    }


def test_lead_agency_rows_match_the_hand_count(board):
    rows = {r.name: r for r in built(board).agencies}
    a, b, none = rows["Agency A (test)"], rows["Agency B (test)"], rows["No single lead agency"]
    assert (a.led.count, a.completed.count, a.delayed.count, a.overdue.count, a.awaiting.count) == (
        3,
        1,
        1,
        1,
        1,
    )
    assert a.last_update == d(2015, 12, 10)
    assert (b.led.count, b.completed.count, b.delayed.count, b.overdue.count, b.awaiting.count) == (
        3,
        0,
        0,
        1,
        1,
    )
    assert b.last_update == d(2015, 12, 12)
    assert (none.led.count, none.awaiting.count, none.last_update) == (1, 0, d(2015, 12, 15))


def test_measures_with_numeric_targets_show_the_latest_reading_against_the_target(board):
    rows = [(r["measure"].text, r["value"], r["progress"]) for r in built(board).measures]
    # "TBC" (no number yet) and "Training delivered" (not a number) are left out.
    assert rows == [("50 people triaged", Decimal(30), 50), ("5 campaigns", None, None)]


def test_exceptions_list_delayed_at_risk_overdue_and_not_updated_actions(board):
    groups = {g["title"]: g for g in built(board).exceptions}
    names = {title: [a.title.split()[0] for a in g["actions"]] for title, g in groups.items()}
    assert names == {
        "Delayed": ["a2"],
        "At risk": ["a5"],
        "Overdue": ["a2", "a5"],
        "No update in Q3 2015/16": ["a2", "a4"],
    }


def test_recent_updates_are_newest_first(board):
    recent = [u.action.title.split()[0] for u in built(board).recent]
    assert recent == ["a6", "a5", "a1", "a3", "a2", "a7"]


def test_every_linked_figure_lists_exactly_the_actions_it_counts(board, board_client):
    result = built(board)
    figures = [result.total, result.overdue, *(f for _, f in result.by_status)]
    figures += [f for row in result.priority_rows for f in [row["total"], *row["cells"]] if f]
    figures += [f for _, _, f in result.rag]
    figures += [result.update_round.awaiting, result.update_round.updated]
    figures += [f for _, f in result.update_round.agencies_awaiting]
    for row in result.agencies:
        figures += [row.led, row.completed, row.delayed, row.overdue, row.awaiting]
    figures += [g["figure"] for g in result.exceptions]
    linked = [f for f in figures if f.url]
    assert len(linked) > 30
    for figure in linked:
        assert len(listed(board_client, figure.url)) == figure.count, figure.url
    assert [f for f in figures if not f.url] == []


def test_unrated_and_jointly_led_figures_link_to_their_actions(board, board_client):
    result = built(board)
    unrated = next(f for key, _, f in result.rag if key == "none")
    assert listed(board_client, unrated.url) == {"a4", "a6"}
    joint = next(r for r in result.agencies if r.name == "No single lead agency")
    assert listed(board_client, joint.led.url) == {"a6"}
    assert listed(board_client, result.update_round.updated.url) == {"a1", "a3", "a5", "a6"}


def test_awaiting_link_lists_the_very_actions_not_updated(board, board_client):
    result = built(board)
    assert listed(board_client, result.update_round.awaiting.url) == {"a2", "a4"}
    overdue = result.overdue.url
    assert listed(board_client, overdue) == {"a2", "a5"}


def test_the_page_shows_the_figures_and_links_them(board, board_client):
    url = reverse("reports:dashboard", args=[board["plan"].partnership.slug])
    response = board_client.get(url)
    assert response.status_code == 200
    page = text_of(response)
    assert "7 actions in the plan" in page
    assert "4 of 6 actions updated (67%)" in page
    assert "Awaiting an update: 2" in page
    assert "Delayed: 1" in page and "Overdue: 2" in page
    html = response.content.decode()
    actions_list = reverse("actions:list", args=[board["plan"].partnership.slug])
    assert html.count(f'href="{actions_list}?') > 30
    assert "<style" not in html and "style=" not in html


def test_the_round_in_the_url_is_shown(board, board_client):
    url = reverse("reports:dashboard", args=[board["plan"].partnership.slug])
    page = text_of(board_client.get(url, {"period": "q2"}))
    assert "Update round: Q2 2015/16" in page
    assert "2 of 6 actions updated (33%)" in page


def test_an_unknown_plan_in_the_url_is_not_found(board, board_client):
    url = reverse("reports:dashboard", args=[board["plan"].partnership.slug])
    assert board_client.get(url, {"plan": "no-such-plan"}).status_code == 404


def test_indicators_show_latest_value_changes_and_target(board, board_client, partnership):
    indicator = define_indicator(
        partnership=partnership,
        name="ASB incidents",
        unit="incidents",
        direction=Indicator.Direction.LOWER,
        target=Decimal(100),
    )
    for label, start, value in [("2013/14", 2013, 150), ("2014/15", 2014, 120)]:
        record_indicator_value(
            indicator=indicator,
            period_label=label,
            period_start=d(start, 4, 1),
            period_end=d(start + 1, 3, 31),
            value=Decimal(value),
        )
    (row,) = built(board).indicators
    assert row.latest.period_label == "2014/15"
    assert row.on_previous.shown == "−30 (−20.0%)"
    assert row.on_last_year.earlier.period_label == "2013/14"
    assert row.meets_target is False and row.better is True
    assert len(row.chart.points) == 2 and row.chart.target_y is not None
    page = text_of(board_client.get(reverse("reports:dashboard", args=[partnership.slug])))
    assert "120 incidents 2014/15" in page
    assert "Misses the target" in page and "Better" in page


def test_a_plan_without_actions_says_so_and_still_shows_indicators(board_member, client, kent_plan):
    from tests.factories import make_membership

    make_membership(user=board_member, partnership=kent_plan.partnership, role="board")
    client.force_login(board_member)
    page = text_of(client.get(reverse("reports:dashboard", args=["kent"])))
    assert "This plan has no actions recorded in CSP Tracker" in page
    assert "1,951 pieces of information" in page
    assert "Apr '15 to Jan '16" in page


def test_thanet_dashboard_shows_the_seeded_plan_progress_and_indicators(client, thanet_plan):
    from tests.factories import make_membership, make_user

    user = make_user()
    make_membership(user=user, partnership=thanet_plan.partnership, role="board")
    client.force_login(user)
    url = reverse("reports:dashboard", args=["thanet"])
    page = text_of(client.get(url, {"plan": "2015-16", "period": "q3"}))
    assert "30 proposed actions in the plan" in page
    assert "9 on track" in page
    assert "21 not started" in page
    assert "11 of 30 proposed actions updated (37%)" in page
    for priority in ["Safeguarding", "Drivers of Crime and Anti-Social Behaviour", "Engagement"]:
        assert priority in page
    assert "Role models are being used to support and motivate young people" in page
    assert "6,160 incidents" in page and "Period not stated in the plan" in page
    assert "3,750 incidents October 2013 to September 2014" in page


def test_the_pdf_has_the_dashboard_words_and_absolute_links(board, board_client):
    url = reverse("reports:dashboard-pdf", args=[board["plan"].partnership.slug])
    response = board_client.get(url, {"period": "q3"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Executive board dashboard" in text
    assert "4 of 6 actions updated (67%)" in text
    assert "a2 Produce a mapping document" in text
    assert b"http://testserver/partnerships/" in pdf_objects(response.content)
    assert f"-dashboard-{board['plan'].slug}-q3.pdf" in response["Content-Disposition"]


def test_kent_pdf_has_the_districts_delivery(client, kent_plan):
    from tests.factories import make_membership, make_user

    user = make_user()
    make_membership(user=user, partnership=kent_plan.partnership, role="board")
    client.force_login(user)
    response = client.get(reverse("reports:dashboard-pdf", args=["kent"]))
    text = pdf_text(response.content)
    assert "Delivery in the districts" in text
    assert "Thanet CSP" in text and "Community Safety Plan 2015/2016" in text


def _grow(plan, issues, agencies, officer, count, period):
    """Add actions of every kind: updated or not, with measures, support agencies and notes."""
    start = plan.actions.count()
    for n in range(start, start + count):
        action = make_action(
            issue=issues[n % len(issues)],
            lead_agency=agencies[n % len(agencies)] if n % 7 else None,
            support_agencies=[agencies[(n + 1) % len(agencies)]],
            target_date=d(2015, 11, 1) if n % 3 == 0 else None,
        )
        if n % 4 == 0:
            make_measure(action=action, text=f"{n} sessions", is_numeric=True, target=n + 1)
        if n % 2 == 0:
            services.record_update(
                action=action,
                by=officer,
                status=["on_track", "delayed", "at_risk"][n % 3],
                rag=["green", "red", "amber"][n % 3],
                narrative="Progress.",
                period=period,
                reported_on=d(2015, 12, 1),
            )


def test_query_count_is_the_same_for_10_and_300_actions(
    frozen_today, plan, coordinator, board_client, partnership
):
    q3 = make_period(plan=plan, name="Q3", slug="q3", start=d(2015, 10, 1), end=d(2015, 12, 31))
    issues = [make_issue(priority=make_priority(plan=plan)) for _ in range(3)]
    agencies = [make_agency() for _ in range(5)]
    indicator = define_indicator(partnership=partnership, name="Incidents")
    record_indicator_value(indicator=indicator, period_label="2014/15", value=Decimal(3))
    url = reverse("reports:dashboard", args=[partnership.slug])
    _grow(plan, issues, agencies, coordinator, 10, q3)
    ten = count_queries(board_client, url)
    _grow(plan, issues, agencies, coordinator, 290, q3)
    assert plan.actions.count() == 300
    assert count_queries(board_client, url) == ten


def test_query_budget_of_the_dashboard(board, board_client, django_assert_num_queries):
    url = reverse("reports:dashboard", args=[board["plan"].partnership.slug])
    board_client.get(url)  # warm the session
    # session, user, the second factor's device, memberships, partnership, plans, periods,
    # actions, priorities, measures, recent updates, indicators, their values
    with django_assert_num_queries(13):
        board_client.get(url)


def test_charts_draw_with_presentation_attributes_only(board, board_client):
    html = board_client.get(
        reverse("reports:dashboard", args=[board["plan"].partnership.slug])
    ).content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) >= 4
    for svg in svgs:
        assert "<style" not in svg and "style=" not in svg
        assert 'aria-hidden="true"' in svg or 'role="img"' in svg


def test_after_the_last_round_the_dashboard_says_the_rounds_have_ended(
    board, board_client, board_member
):
    url = reverse("reports:dashboard", args=[board["plan"].partnership.slug])
    assert "(the current round)" in text_of(board_client.get(url))
    with time_machine.travel(datetime.datetime(2016, 6, 1, 12, 0), tick=False):
        board_client.force_login(board_member)  # months later: a new session
        page = text_of(board_client.get(url))
    assert "(the plan's last round: it has ended)" in page
    assert "(the current round)" not in page


def test_the_pdf_keeps_its_rag_dots(board, board_client):
    """RAG is in words as well as colour, and the dot is on the paper too."""
    url = reverse("reports:dashboard-pdf", args=[board["plan"].partnership.slug])
    text = pdf_text(board_client.get(url, {"period": "q3"}).content)
    assert "● Green" in text and "● Red" in text


def test_thanets_seeded_progress_says_what_minute_99_records(client, thanet_plan):
    """The working party of 14 December 2015 heard of the magistrates' guide produced,
    drink-drive campaigns held, body-worn video a success and the Neighbourhood
    Responsibility Panel introduced: none of those actions is "not started", and each update
    names who reported it at the meeting and the minute it comes from."""
    from actions.models import Action

    actions = {a.ref: a for a in Action.objects.filter(plan=thanet_plan)}
    reporters = {
        "7": {"Martyn Cassell"},
        "13": {"Martyn Cassell"},
        "14": {"Chief Inspector Sharon Adley"},
        "20": {"Martyn Cassell", "Inspector Pearson"},
    }
    for ref, who in reporters.items():
        action = actions[ref]
        assert action.status == "on_track", ref
        updates = list(action.updates.filter(period__slug="q3"))
        assert {u.reported_by for u in updates} == who
        assert {u.source for u in updates} == {"Working party minutes, 14 December 2015, minute 99"}
        assert action.minutes.filter(number=99, meeting__date="2015-12-14").exists()
    page = text_of(client.get(actions["14"].get_absolute_url()))
    assert "Chief Inspector Sharon Adley · Working party minutes, 14 December 2015" in page
