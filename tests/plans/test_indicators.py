"""Performance indicators: the seeded figures, the rules on values, the services and the pages."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from csp_tracker.editing import StaleEdit
from plans import services
from plans.forms import parse_date, parse_number
from plans.models import Indicator, IndicatorValue, Partnership
from plans.seeds import load_indicators
from tests.conftest import count_queries
from tests.factories import make_partnership, make_plan, make_priority
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

d = datetime.date


def seeded(slug: str, name: str) -> Indicator:
    return Indicator.objects.with_values().get(partnership__slug=slug, name=name)


def figures(indicator) -> list[tuple[str, Decimal, datetime.date | None, datetime.date | None]]:
    return [(v.period_label, v.value, v.period_start, v.period_end) for v in indicator.series]


# The seeds: only the figures the documents print, with the periods they state.


def test_thanet_figures_are_the_plans_own_with_its_periods():
    assert figures(seeded("thanet", "ASB incidents reported to Kent Police")) == [
        ("Period not stated in the plan", Decimal(6160), None, None)
    ]
    assert figures(seeded("thanet", "Violent crime incidents")) == [
        ("October 2013 to September 2014", Decimal(3750), d(2013, 10, 1), d(2014, 9, 30))
    ]
    assert figures(seeded("thanet", "Violence against the person (VAP)"))[0][1] == 3329
    assert figures(seeded("thanet", "Alcohol related recorded crime")) == [
        ("2012/13", Decimal(1088), d(2012, 4, 1), d(2013, 3, 31))
    ]
    assert figures(seeded("thanet", "Repeat domestic abuse incidents"))[0][1] == 856
    assert figures(seeded("thanet", "Domestic abuse incidents recorded"))[0][1] == 3350
    neet = seeded("thanet", "Young people 16-18 not in education, employment or training (NEET)")
    assert figures(neet) == [("Sep 2014", Decimal("9.79"), d(2014, 9, 1), d(2014, 9, 30))]
    assert neet.latest.shown == "9.79%"
    assert neet.priority.title == "Drivers of Crime and Anti-Social Behaviour"


def test_ashford_comparisons_give_the_documents_own_changes():
    """The assessment prints each change; computed from the two figures, they agree."""
    expected = {
        "ASB incidents reported to the police": "−222 (−6.1%)",
        "Shoplifting offences": "+92 (+13.8%)",
        "Casualties from road traffic collisions": "−60 (−11.5%)",
        "Drug offences": "+11 (+5.9%)",
        "Violence against the person": "+102 (+9.5%)",
    }
    for name, change in expected.items():
        indicator = seeded("ashford", name)
        latest = indicator.latest
        assert latest.change_from(indicator.previous(latest)).shown == change, name


def test_ashford_periods_are_as_stated_and_the_same_period_last_year_is_only_an_exact_match():
    shoplifting = seeded("ashford", "Shoplifting offences")
    assert figures(shoplifting) == [
        ("Oct – Sept 10/11", Decimal(668), d(2010, 10, 1), d(2011, 9, 30)),
        ("Oct – Sept 11/12", Decimal(760), d(2011, 10, 1), d(2012, 9, 30)),
    ]
    assert shoplifting.same_period_last_year(shoplifting.latest).value == 668
    asb = seeded("ashford", "ASB incidents reported to the police")
    assert figures(asb)[1] == (
        "2012/13 (as of 7th March)",
        Decimal(3408),
        d(2012, 4, 1),
        d(2013, 3, 7),
    )
    assert asb.same_period_last_year(asb.latest) is None  # 2011/12 was a full year
    road = seeded("ashford", "Casualties from road traffic collisions")
    assert [v.period_start for v in road.series] == [None, None]
    assert road.same_period_last_year(road.latest) is None


def test_ashford_satisfaction_meets_the_force_target():
    satisfaction = seeded("ashford", "Satisfaction with the police response to ASB")
    assert (satisfaction.target, satisfaction.target_note) == (
        Decimal("79.3"),
        "Force target for 2012/13",
    )
    assert satisfaction.latest.value == Decimal("83.3")
    assert satisfaction.meets_target(satisfaction.latest.value) is True
    assert seeded("ashford", "Domestic abuse repeat victims").latest.value == Decimal("24.6")
    one_stop = seeded("ashford", "Average monthly visits to the Domestic Abuse One Stop Shop")
    assert one_stop.target == 22 and one_stop.latest is None


def test_kent_figures_are_the_crimestoppers_statistics_with_their_periods():
    information = seeded("kent", "Crimestoppers: pieces of anonymous information received")
    assert figures(information) == [
        ("Apr '15 to Jan '16", Decimal(1951), d(2015, 4, 1), d(2016, 1, 31))
    ]
    assert seeded(
        "kent", "Crimestoppers: worth of drugs removed from Kent streets"
    ).latest.shown == ("£40,000")


def test_every_seeded_value_quotes_its_source_and_none_is_invented():
    values = IndicatorValue.objects.filter(
        indicator__partnership__slug__in=["thanet", "ashford", "kent"]
    )
    assert values.count() == 27  # Thanet 10, Ashford 12, Kent 5
    sources = {
        "thanet": "thanet-community-safety-plan-2015-16.txt",
        "ashford": "ashford-csp-scrutiny-report-and-delivery-plan-2013-14.txt",
        "kent": "kent-csp-agenda-pack-2016-03-16.txt",
    }
    from django.conf import settings

    for value in values.select_related("indicator__partnership"):
        document = (
            settings.BASE_DIR.parent
            / "shared"
            / "seeds"
            / sources[value.indicator.partnership.slug]
        )
        if not document.exists():
            pytest.skip("The seed documents are not next to the checkout.")
        text = " ".join(document.read_text(encoding="utf-8").split())
        assert value.note and " ".join(value.note.split())[:60] in text, value


def test_loading_the_indicator_seeds_again_changes_nothing():
    before = (Indicator.objects.count(), IndicatorValue.objects.count())
    load_indicators(report=None)
    assert (Indicator.objects.count(), IndicatorValue.objects.count()) == before


# The rules on values.


@pytest.fixture
def indicator(partnership):
    return services.define_indicator(
        partnership=partnership, name="ASB incidents", unit="incidents", target=Decimal(100)
    )


def test_a_value_gives_both_dates_or_neither(indicator):
    with pytest.raises(ValidationError, match="Give both the start and the end"):
        services.record_indicator_value(
            indicator=indicator, period_label="2014", value=1, period_start=d(2014, 1, 1)
        )
    services.record_indicator_value(indicator=indicator, period_label="Not stated", value=1)


def test_a_period_cannot_end_before_it_starts(indicator):
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.record_indicator_value(
            indicator=indicator,
            period_label="Backwards",
            value=1,
            period_start=d(2015, 4, 1),
            period_end=d(2015, 3, 1),
        )


def test_an_indicator_has_one_value_per_period(indicator):
    services.record_indicator_value(indicator=indicator, period_label="2014/15", value=1)
    with pytest.raises(ValidationError, match="already has a value for this period"):
        services.record_indicator_value(indicator=indicator, period_label="2014/15", value=2)


def test_the_database_refuses_a_priority_of_another_partnership(indicator):
    foreign = make_priority(plan=make_plan(partnership=make_partnership()))
    with pytest.raises(ValidationError, match="another partnership"):
        services.edit_indicator(indicator=indicator, by=None, version=1, priority=foreign)
    with transaction.atomic(), pytest.raises(IntegrityError, match="indicator_priority_of"):
        Indicator.objects.filter(pk=indicator.pk).update(priority=foreign)


def test_the_priority_of_the_partnerships_own_plan_is_accepted(indicator, plan):
    own = make_priority(plan=plan)
    saved = services.edit_indicator(indicator=indicator, by=None, version=1, priority=own)
    assert saved.priority == own


def test_meeting_the_target_depends_on_the_direction(indicator):
    assert indicator.meets_target(Decimal(90)) is True
    assert indicator.meets_target(Decimal(110)) is False
    indicator.direction = Indicator.Direction.HIGHER
    assert indicator.meets_target(Decimal(110)) is True
    indicator.direction = Indicator.Direction.NEUTRAL
    assert indicator.meets_target(Decimal(110)) is None


def test_a_year_before_29_february_is_28_february(indicator):
    value = services.record_indicator_value(
        indicator=indicator,
        period_label="Feb 2016",
        value=5,
        period_start=d(2016, 2, 1),
        period_end=d(2016, 2, 29),
    )
    earlier = services.record_indicator_value(
        indicator=indicator,
        period_label="Feb 2015",
        value=4,
        period_start=d(2015, 2, 1),
        period_end=d(2015, 2, 28),
    )
    fresh = Indicator.objects.with_values().get(pk=indicator.pk)
    assert fresh.same_period_last_year(value) == earlier


# Services: history names who acted; stale edits are refused.


def test_editing_an_indicator_records_who_and_refuses_a_stale_version(indicator, coordinator):
    saved = services.edit_indicator(
        indicator=indicator, by=coordinator, version=1, name="ASB incidents reported"
    )
    assert saved.version == 2
    assert saved.history.latest().history_user == coordinator
    with pytest.raises(StaleEdit) as stale:
        services.edit_indicator(indicator=indicator, by=coordinator, version=1, unit="crimes")
    assert "changed it at" in stale.value.changes[0]


def test_correcting_a_value_keeps_what_it_said_before(indicator, coordinator):
    value = services.record_indicator_value(
        indicator=indicator, period_label="2014/15", value=10, by=coordinator
    )
    services.correct_indicator_value(recorded=value, by=coordinator, version=1, value=Decimal(12))
    history = list(value.history.order_by("history_date").values_list("value", "history_user"))
    assert history == [(Decimal(10), coordinator.pk), (Decimal(12), coordinator.pk)]
    with pytest.raises(StaleEdit):
        services.correct_indicator_value(recorded=value, by=coordinator, version=1, value=1)


def test_many_values_are_saved_all_or_none(indicator, coordinator):
    rows = [
        {"line": 2, "indicator": indicator, "period_label": "2013/14", "value": Decimal(5)},
        {"line": 3, "indicator": indicator, "period_label": "2013/14", "value": Decimal(6)},
    ]
    with pytest.raises(ValidationError) as invalid:
        services.record_indicator_values(partnership=indicator.partnership, rows=rows, by=None)
    assert invalid.value.messages == ["Line 3: The indicator already has a value for this period."]
    assert not indicator.values.exists()
    services.record_indicator_values(partnership=indicator.partnership, rows=rows[:1], by=None)
    assert indicator.values.get().history.get().history_user is None


# Reading numbers and dates as people type them.


@pytest.mark.parametrize(
    "text, number", [("6160", 6160), ("6,160", 6160), ("9.79%", "9.79"), ("£40,000", 40000)]
)
def test_figures_are_read_as_people_type_them(text, number):
    assert parse_number(text) == Decimal(number)


@pytest.mark.parametrize("text", ["", "six", "NaN", "1.2.3"])
def test_what_is_not_a_figure_is_refused(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_dates_are_read_in_iso_or_uk_order():
    assert parse_date("2015-04-01") == parse_date("01/04/2015") == d(2015, 4, 1)
    assert parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("04/31/2015")


# The pages.


def test_the_list_shows_each_indicators_latest_value_and_target(indicator, coordinator_client):
    services.record_indicator_value(indicator=indicator, period_label="2014/15", value=6160)
    page = text_of(
        coordinator_client.get(reverse("plans:indicators", args=[indicator.partnership.slug]))
    )
    assert "ASB incidents 6,160 incidents 2014/15 100 incidents" in page
    assert "Add an indicator" in page and "Upload values from a CSV file" in page


def test_readers_do_not_see_the_coordinators_buttons(indicator, board_client):
    page = text_of(board_client.get(reverse("plans:indicators", args=[indicator.partnership.slug])))
    assert "ASB incidents" in page and "Add an indicator" not in page


def test_the_indicator_page_shows_every_value_with_its_changes(indicator, board_client):
    for label, year, value in [("2013/14", 2013, 150), ("2014/15", 2014, 120)]:
        services.record_indicator_value(
            indicator=indicator,
            period_label=label,
            value=value,
            period_start=d(year, 4, 1),
            period_end=d(year + 1, 3, 31),
        )
    page = text_of(board_client.get(indicator.get_absolute_url()))
    assert "2014/15 1 Apr 2014 to 31 Mar 2015 120 incidents −30 (−20.0%)" in page
    assert "Misses the target" in page


def test_a_coordinator_adds_an_indicator(coordinator_client, partnership, plan, coordinator):
    priority = make_priority(plan=plan, title="Safeguarding")
    response = coordinator_client.post(
        reverse("plans:indicator-add", args=[partnership.slug]),
        {
            "name": "Repeat victims",
            "unit": "%",
            "direction": "lower",
            "target": "20",
            "priority": priority.pk,
        },
    )
    created = Indicator.objects.get(partnership=partnership, name="Repeat victims")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert (created.target, created.priority) == (Decimal(20), priority)
    assert created.history.get().history_user == coordinator


def test_a_duplicate_name_is_shown_as_an_error(indicator, coordinator_client):
    response = coordinator_client.post(
        reverse("plans:indicator-add", args=[indicator.partnership.slug]),
        {"name": "ASB incidents", "direction": "lower"},
    )
    assert response.status_code == 422
    assert "already has an indicator of this name" in text_of(response)


def test_an_edit_based_on_an_old_version_is_refused_with_409(indicator, coordinator_client):
    services.edit_indicator(indicator=indicator, by=None, version=1, unit="crimes")
    response = coordinator_client.post(
        reverse("plans:indicator-edit", args=[indicator.pk]),
        {"name": "ASB", "direction": "lower", "version": 1},
    )
    assert response.status_code == 409
    assert "someone else changed this indicator" in text_of(response)
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit) == ("ASB incidents", "crimes")


def test_a_coordinator_records_and_corrects_a_value(indicator, coordinator_client):
    response = coordinator_client.post(
        reverse("plans:indicator-value-add", args=[indicator.pk]),
        {
            "period_label": "2014/15",
            "period_start": "2014-04-01",
            "period_end": "2015-03-31",
            "value": "120",
        },
    )
    assert response.status_code == 302
    value = indicator.values.get()
    response = coordinator_client.post(
        reverse("plans:indicator-value-edit", args=[indicator.pk, value.pk]),
        {"period_label": "2014/15", "value": "121", "version": 1},
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.value, value.period_start, value.version) == (121, None, 2)


def test_a_value_with_one_date_is_refused_on_the_form(indicator, coordinator_client):
    response = coordinator_client.post(
        reverse("plans:indicator-value-add", args=[indicator.pk]),
        {"period_label": "2014/15", "period_start": "2014-04-01", "value": "120"},
    )
    assert response.status_code == 422
    assert "Give both days of the period, or neither." in text_of(response)
    assert not indicator.values.exists()


def upload(client, partnership, text: str, name="values.csv", encoding="utf-8"):
    file = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post(reverse("plans:indicator-upload", args=[partnership.slug]), {"file": file})


def test_an_upload_saves_every_row(indicator, coordinator_client, coordinator):
    response = upload(
        coordinator_client,
        indicator.partnership,
        "indicator,period,period_start,period_end,value,source,note\n"
        'ASB incidents,2013/14,2013-04-01,2014-03-31,"6,160",Kent Police,\n'
        "asb incidents,2014/15,01/04/2014,31/03/2015,5900,Kent Police,Fewer\n"
        ",,,,,,\n",
    )
    assert response.status_code == 302
    assert [(v.period_label, v.value) for v in indicator.values.order_by("period_start")] == [
        ("2013/14", Decimal(6160)),
        ("2014/15", Decimal(5900)),
    ]
    assert {v.history.get().history_user for v in indicator.values.all()} == {coordinator}


def test_an_upload_with_a_wrong_row_saves_nothing_and_names_every_wrong_line(
    indicator, coordinator_client
):
    response = upload(
        coordinator_client,
        indicator.partnership,
        "indicator,period,period_start,period_end,value\n"
        "ASB incidents,2013/14,2013-04-01,2014-03-31,6160\n"
        "KSI casualties,2013/14,,,12\n"
        "ASB incidents,2014/15,2014-04-01,,5900\n"
        "ASB incidents,2015/16,,,lots\n",
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "Line 3: there is no indicator called “KSI casualties”." in page
    assert "Line 4: give both period_start and period_end, or neither." in page
    assert "Line 5: the value “lots” is not a number." in page
    assert "Line 2" not in page
    assert not indicator.values.exists()


def test_an_upload_repeating_a_period_saves_nothing(indicator, coordinator_client):
    services.record_indicator_value(indicator=indicator, period_label="2013/14", value=1)
    response = upload(
        coordinator_client,
        indicator.partnership,
        "indicator,period,value\nASB incidents,2014/15,2\nASB incidents,2013/14,3\n",
    )
    assert response.status_code == 422
    assert "Line 3: The indicator already has a value for this period." in text_of(response)
    assert indicator.values.count() == 1


def test_an_upload_without_the_columns_is_refused(indicator, coordinator_client):
    response = upload(coordinator_client, indicator.partnership, "name,figure\nASB,3\n")
    assert response.status_code == 422
    assert "missing: indicator, period, value" in text_of(response)


def test_a_spreadsheets_windows_csv_is_read(indicator, coordinator_client):
    response = upload(
        coordinator_client,
        indicator.partnership,
        "indicator,period,value,note\nASB incidents,Oct – Sept 11/12,760,“quoted”\n",
        encoding="cp1252",
    )
    assert response.status_code == 302
    assert indicator.values.get().period_label == "Oct – Sept 11/12"


def test_the_template_lists_the_columns_and_the_indicators(indicator, coordinator_client):
    response = coordinator_client.get(
        reverse("plans:indicator-template", args=[indicator.partnership.slug])
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "indicator,period,period_start,period_end,value,source,note"
    assert lines[1] == "ASB incidents,,,,,,"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_the_template_writes_a_name_that_looks_like_a_formula_as_text(
    start, partnership, coordinator, coordinator_client
):
    services.define_indicator(
        partnership=partnership,
        name=f'{start}HYPERLINK("http://x.example","Click")',
        by=coordinator,
    )
    response = coordinator_client.get(reverse("plans:indicator-template", args=[partnership.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == f'\'{start}HYPERLINK("http://x.example","Click")'


def test_the_list_query_count_does_not_grow_with_indicators_and_values(
    indicator, coordinator_client
):
    url = reverse("plans:indicators", args=[indicator.partnership.slug])
    one = count_queries(coordinator_client, url)
    for n in range(5):
        extra = services.define_indicator(partnership=indicator.partnership, name=f"Extra {n}")
        for year in range(3):
            services.record_indicator_value(indicator=extra, period_label=str(year), value=year)
    assert count_queries(coordinator_client, url) == one


def test_the_indicator_page_query_count_does_not_grow_with_values(
    indicator, plan, coordinator_client
):
    services.edit_indicator(
        indicator=indicator, by=None, version=1, priority=make_priority(plan=plan)
    )
    services.record_indicator_value(indicator=indicator, period_label="2000/01", value=1)
    url = indicator.get_absolute_url()
    one = count_queries(coordinator_client, url)
    for year in range(2001, 2021):
        services.record_indicator_value(
            indicator=indicator,
            period_label=f"{year}/{year + 1 - 2000:02}",
            value=year - 1990,
            period_start=d(year, 4, 1),
            period_end=d(year + 1, 3, 31),
        )
    assert count_queries(coordinator_client, url) == one


def test_the_indicator_page_reads_the_indicator_once(
    indicator, plan, coordinator_client, django_assert_num_queries
):
    services.edit_indicator(
        indicator=indicator, by=None, version=1, priority=make_priority(plan=plan)
    )
    services.record_indicator_value(indicator=indicator, period_label="2014/15", value=6160)
    url = indicator.get_absolute_url()
    coordinator_client.get(url)  # warm the session
    # session, user, the demo group check, memberships, the indicator with its partnership,
    # priority and plan, its values, and the second factor's device (django-otp)
    with django_assert_num_queries(7):
        coordinator_client.get(url)


def test_each_value_is_compared_with_the_one_before_and_a_year_before(indicator):
    for label, start, end, value in [
        ("Not stated", None, None, 90),
        ("2013/14", d(2013, 4, 1), d(2014, 3, 31), 150),
        ("Q1 2014/15", d(2014, 4, 1), d(2014, 6, 30), 40),
        ("2014/15", d(2014, 4, 1), d(2015, 3, 31), 120),
    ]:
        services.record_indicator_value(
            indicator=indicator, period_label=label, value=value, period_start=start, period_end=end
        )
    rows = Indicator.objects.with_values().get(pk=indicator.pk).values_with_changes()
    assert [r.value.period_label for r in rows] == [
        "Not stated",
        "2013/14",
        "Q1 2014/15",
        "2014/15",
    ]
    assert [r.on_previous and r.on_previous.shown for r in rows] == [
        None,
        "+60 (+66.7%)",
        "−110 (−73.3%)",
        "+80 (+200.0%)",
    ]
    assert [r.on_last_year and r.on_last_year.earlier.period_label for r in rows] == [
        None,
        None,
        None,
        "2013/14",
    ]
    assert [r.meets_target for r in rows] == [True, False, True, False]


def test_the_thanet_indicator_pages_show_the_seeded_figures(client):
    from tests.factories import make_membership, make_user

    user = make_user()
    make_membership(
        user=user, partnership=Partnership.objects.get(slug="thanet"), role="councillor"
    )
    client.force_login(user)
    page = text_of(client.get(reverse("plans:indicators", args=["thanet"])))
    assert (
        "ASB incidents reported to Kent Police Drivers of Crime and Anti-Social Behaviour "
        "6,160 incidents Period not stated in the plan"
    ) in page
    indicator = seeded("thanet", "Violent crime incidents")
    page = text_of(client.get(indicator.get_absolute_url()))
    assert "Thanet recorded the highest number of incidents of violent crime" in page
