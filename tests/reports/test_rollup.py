"""The county roll-up: the districts × categories matrix, and delivery in the districts' plans."""

import datetime

import pytest
from django.urls import reverse

from actions import services as action_services
from plans.models import CategoryTag, Partnership
from plans.services import (
    get_or_create_category,
    publish_plan,
    record_category_count,
    tag_category,
)
from reports import rollup
from tests.conftest import count_queries
from tests.factories import (
    make_action,
    make_issue,
    make_membership,
    make_partnership,
    make_plan,
    make_priority,
    make_user,
)
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

d = datetime.date
Level = CategoryTag.Level


@pytest.fixture
def kent_viewer(client):
    user = make_user()
    make_membership(user=user, partnership=Partnership.objects.get(slug="kent"), role="board")
    client.force_login(user)
    return user


def test_kent_matrix_rows_follow_the_printed_order_with_parts_after_their_theme(kent_viewer):
    county = Partnership.objects.get(slug="kent")
    result = rollup.build(county, viewer=kent_viewer, today=d(2016, 3, 16))
    assert result.period_label == "2016/17"
    assert result.columns[:3] == ["Ashford", "Canterbury", "Dartford & Gravesham"]
    assert len(result.districts) == 11
    names = [r.category.name for r in result.rows]
    assert names[:6] == [
        "Domestic Abuse (inc. sexual offences & serious violence)",
        "Safeguarding (inc. public protection & resilience)",
        "Substance Misuse",
        "Crime / Serious & Organised Crime",
        "Violent Crime (other than DA)",
        "Acquisitive Crime (burglary, vehicle, shoplifting)",
    ]
    assert [r.is_part for r in result.rows[3:6]] == [False, True, True]
    assert names[-1] == "Mental Health"
    counts = [r.count for r in result.rows if not r.is_part]
    assert counts == sorted(counts, reverse=True)
    assert len(result.appendix) == 8
    assert result.appendix[0].category.name == "Troubled Families"
    assert result.appendix[0].printed == 3 and result.appendix[0].present == 0


def test_kent_matrix_shows_the_printed_count_and_the_marks_present(kent_viewer):
    result = rollup.build(
        Partnership.objects.get(slug="kent"), viewer=kent_viewer, today=d(2016, 3, 16)
    )
    rows = {r.category.name: r for r in result.rows}
    domestic = rows["Domestic Abuse (inc. sexual offences & serious violence)"]
    assert (domestic.printed, domestic.present, domestic.differs) == (10, 10, False)
    assert domestic.marks[0] == Level.NAMED  # Ashford: yellow
    assert domestic.marks[1] == Level.WITHIN_THEME  # Canterbury: grey
    assert domestic.marks[3] is None  # Dover: blank
    safeguarding = rows["Safeguarding (inc. public protection & resilience)"]
    assert (safeguarding.printed, safeguarding.present, safeguarding.differs) == (9, 4, True)
    assert [r.category.name for r in result.differing] == [
        "Safeguarding (inc. public protection & resilience)",
        "Substance Misuse",
        "Crime / Serious & Organised Crime",
        "ASB/Environmental",
    ]


def test_kent_roll_up_page_has_the_key_the_counts_and_says_marks_were_lost(client, kent_viewer):
    response = client.get(reverse("reports:county-rollup", args=["kent"]))
    assert response.status_code == 200
    page = text_of(response)
    assert "District priorities 2016/17" in page
    assert "N Named priority" in page
    assert "S Subsidiary priority or cross-cutting theme" in page
    assert "W Issue within a broader theme" in page
    assert "For 4 categories in the table below the marks recorded" in page
    named, subsidiary = "N Named priority", "S Subsidiary priority or cross-cutting theme"
    assert (
        f"Safeguarding (inc. public protection & resilience) {named} {subsidiary} {named} "
        f"{subsidiary} 9 4 differs"
    ) in page
    assert "Troubled Families 3 0" in page
    assert 'scope="col"' in response.content.decode()


def test_kent_roll_up_shows_delivery_in_thanets_live_plan(client, kent_viewer):
    page = text_of(client.get(reverse("reports:county-rollup", args=["kent"])))
    assert "Delivery in the districts" in page
    assert "Thanet CSP Community Safety Plan 2015/2016 9 21 30 0" in page
    assert "No other member partnership has a live plan you can read" in page
    assert "Ashford CSP" in page


@pytest.fixture
def county():
    """A county of two districts, each with plans for 2016/17 and one for 2015/16."""
    county = make_partnership(kind=Partnership.Kind.COUNTY, name="Shire CSP", short_name="Shire")
    north = make_partnership(county=county, name="North CSP", short_name="North CSP")
    south = make_partnership(county=county, name="South CSP", short_name="South CSP")
    year = {"period_start": d(2016, 4, 1), "period_end": d(2017, 3, 31)}
    plans = {
        "north": make_plan(partnership=north, **year),
        "north-2": make_plan(partnership=north, **year),
        "south": make_plan(partnership=south, **year),
        "south-old": make_plan(partnership=south),  # 2015/16
    }
    cats = {n: get_or_create_category(n) for n in ["Xylo (test)", "Yarrow (test)", "Zinnia (test)"]}
    tag_category(plan=plans["north"], category=cats["Xylo (test)"], level=Level.NAMED)
    tag_category(plan=plans["north"], category=cats["Yarrow (test)"], level=Level.WITHIN_THEME)
    tag_category(plan=plans["north-2"], category=cats["Yarrow (test)"], level=Level.SUBSIDIARY)
    tag_category(plan=plans["south"], category=cats["Xylo (test)"], level=Level.SUBSIDIARY)
    tag_category(plan=plans["south-old"], category=cats["Zinnia (test)"], level=Level.NAMED)
    record_category_count(
        partnership=county, period_label="2016/17", category=cats["Xylo (test)"], districts_count=3
    )
    return {"county": county, "north": north, "south": south, "plans": plans, "cats": cats}


def test_a_district_is_counted_at_its_strongest_level_for_the_period(county):
    viewer = make_user(is_superuser=True)
    result = rollup.build(county["county"], viewer=viewer, today=d(2016, 5, 1))
    rows = {r.category.name: r for r in result.rows}
    assert set(rows) == {"Xylo (test)", "Yarrow (test)"}  # Zinnia is of 2015/16
    assert rows["Xylo (test)"].marks == [Level.NAMED, Level.SUBSIDIARY]
    assert rows["Yarrow (test)"].marks == [Level.SUBSIDIARY, None]
    assert (rows["Xylo (test)"].printed, rows["Xylo (test)"].present) == (3, 2)
    assert rows["Yarrow (test)"].printed is None
    assert [r.category.name for r in result.rows] == ["Xylo (test)", "Yarrow (test)"]


def test_district_delivery_counts_statuses_of_the_live_plans_the_viewer_reads(county, client):
    north_plan, south_plan = county["plans"]["north"], county["plans"]["south"]
    publish_plan(plan=north_plan, by=None)  # South's stays unpublished
    issue = make_issue(priority=make_priority(plan=north_plan))
    done = make_action(issue=issue, target_date=d(2016, 5, 1))
    late = make_action(issue=issue, target_date=d(2016, 5, 1))
    make_action(issue=issue)
    make_action(issue=make_issue(priority=make_priority(plan=south_plan)))
    action_services.record_update(
        action=done, by=None, status="completed", rag="green", reported_on=d(2016, 5, 2)
    )
    user = make_user()
    make_membership(user=user, partnership=county["county"], role="board")
    client.force_login(user)
    delivery = rollup.district_delivery(
        [county["north"], county["south"]], viewer=user, today=d(2016, 6, 1)
    )
    (row,) = delivery.rows
    assert row.plan == north_plan
    assert dict(row.counts) == {"completed": 1, "not_started": 2}
    assert (row.total.count, row.overdue.count) == (3, 1)
    assert delivery.without_plan == [county["south"]]
    assert [label for _, label in delivery.columns] == ["Completed", "Not started"]
    assert delivery.totals == [1, 2, 3, 1]
    for figure in [row.total, row.overdue, *(c for c in row.cells if c)]:
        response = client.get(figure.url)
        assert response.context["page"].paginator.count == figure.count, figure.url
    assert late.pk in {a.pk for a in client.get(row.overdue.url).context["page"].object_list}


def test_only_a_county_has_a_roll_up(client, kent_viewer):
    thanet = Partnership.objects.get(slug="thanet")
    make_membership(user=kent_viewer, partnership=thanet, role="board")
    assert client.get(reverse("reports:county-rollup", args=["thanet"])).status_code == 404


def test_roll_up_query_count_does_not_grow_with_districts_plans_and_actions(county, client):
    user = make_user()
    make_membership(user=user, partnership=county["county"], role="board")
    client.force_login(user)
    url = reverse("reports:county-rollup", args=[county["county"].slug])
    for key in ["north", "south"]:
        publish_plan(plan=county["plans"][key], by=None)
    one = count_queries(client, url)
    for key in ["north", "south"]:
        issue = make_issue(priority=make_priority(plan=county["plans"][key]))
        for _ in range(5):
            make_action(issue=issue, target_date=d(2016, 5, 1))
    extra = make_partnership(county=county["county"])
    make_plan(partnership=extra, period_start=d(2016, 4, 1), period_end=d(2017, 3, 31))
    tag_category(
        plan=extra.plans.get(), category=county["cats"]["Zinnia (test)"], level=Level.NAMED
    )
    assert count_queries(client, url) == one


def test_county_dashboard_shows_delivery_and_links_to_the_roll_up(client, kent_viewer):
    page = text_of(client.get(reverse("reports:dashboard", args=["kent"])))
    assert "District priorities roll-up" in page
    assert "Delivery in the districts" in page
    assert "Thanet CSP Community Safety Plan 2015/2016" in page


def test_financial_year_reads_the_papers_period_labels():
    assert rollup.financial_year("2016/17") == (d(2016, 4, 1), d(2017, 3, 31))
    assert rollup.financial_year("Spring") is None
