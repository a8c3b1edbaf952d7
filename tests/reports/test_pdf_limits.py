"""What a PDF may cost: fresh layouts are rate-limited per user and per address, the public's
dates are taken to the last round so a new `?on=` makes no new layout, and a document too long
to lay out within the time budget is refused with a page that says so, never a 500."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.urls import reverse

from actions.models import Action
from plans.services import publish_plan
from reports import documents, pdf
from tests.factories import make_agency
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 laid out\n%%EOF"


@pytest.fixture
def quick_layouts(layouts, monkeypatch):
    """Layouts counted as the `layouts` fixture does, without WeasyPrint's seconds."""

    def fake(html, stylesheets=("css/print.css",)):
        layouts.append(html)
        return FAKE_PDF

    monkeypatch.setattr(pdf, "write_pdf", fake)
    return layouts


def _progress_pdf(plan):
    return reverse("reports:progress-pdf", args=[plan.partnership.slug, plan.slug])


def test_fresh_layouts_are_limited_per_user_kept_ones_are_not(
    year, board_client, quick_layouts, settings
):
    settings.PDF_LAYOUTS_PER_WINDOW = 2
    url = _progress_pdf(year.plan)
    assert board_client.get(url, {"on": "2015-12-01"}).status_code == 200
    assert board_client.get(url, {"on": "2015-12-02"}).status_code == 200
    refused = board_client.get(url, {"on": "2015-12-03"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= settings.PDF_LAYOUT_WINDOW_SECONDS
    page = text_of(refused)
    assert "Too many documents asked for" in page
    assert "Try again in" in page
    assert len(quick_layouts) == 2
    # A document already laid out costs nothing: it is served whatever the count.
    assert board_client.get(url, {"on": "2015-12-01"}).status_code == 200
    assert len(quick_layouts) == 2


def test_the_limit_follows_the_user_to_another_address(year, board_client, quick_layouts, settings):
    settings.PDF_LAYOUTS_PER_WINDOW = 1
    url = _progress_pdf(year.plan)
    assert board_client.get(url, {"on": "2015-12-01"}, REMOTE_ADDR="10.0.0.1").status_code == 200
    again = board_client.get(url, {"on": "2015-12-02"}, REMOTE_ADDR="10.0.0.2")
    assert again.status_code == 429


def test_the_limit_holds_for_an_address_whoever_signs_in(
    year, client, board_member, councillor, quick_layouts, settings
):
    settings.PDF_LAYOUTS_PER_WINDOW = 1
    url = _progress_pdf(year.plan)
    client.force_login(board_member)
    assert client.get(url, {"on": "2015-12-01"}).status_code == 200
    client.force_login(councillor)
    assert client.get(url, {"on": "2015-12-02"}).status_code == 429


def test_a_public_reader_gets_the_last_rounds_report_for_any_day(
    year, client, coordinator, quick_layouts
):
    publish_plan(plan=year.plan, by=coordinator)
    url = _progress_pdf(year.plan)
    for day in ["2015-10-01", "2015-11-17", "2015-12-14", "2015-12-19"]:
        response = client.get(url, {"on": day})
        assert response.status_code == 200
        assert response.content == FAKE_PDF
    assert len(quick_layouts) == 1  # all as at the end of Q2, 30 September 2015
    assert "as at 30 September 2015" in quick_layouts[0]
    page = text_of(
        client.get(
            reverse("reports:progress", args=[year.plan.partnership.slug, year.plan.slug]),
            {"on": "2015-12-14"},
        )
    )
    assert "as at 30 September 2015" in page


def test_a_member_still_chooses_any_day(year, board_client, quick_layouts):
    board_client.get(_progress_pdf(year.plan), {"on": "2015-12-14"})
    assert "as at 14 December 2015" in quick_layouts[0]


def test_public_days_before_any_round_ended_are_taken_to_the_first_of_the_month(year):
    import datetime

    day = documents.public_report_day(year.plan, datetime.date(2015, 5, 17))
    assert day == datetime.date(2015, 5, 1)
    day = documents.public_report_day(year.plan, datetime.date(2015, 12, 31))
    assert day == datetime.date(2015, 12, 31)


def _very_large_plan(plan, issue, actions: int):
    agency = make_agency()
    start = plan.actions.count() + 1
    Action.objects.bulk_create(
        Action(
            plan=plan,
            issue=issue,
            number=start + n,
            ref=f"L{start + n}",
            title=f"Deliver part {n} of the very large plan's work with partners",
            lead_agency=agency,
        )
        for n in range(actions)
    )


def test_a_very_large_plans_pdf_is_refused_with_a_message_not_a_500(
    year, client, coordinator, issue, layouts, settings
):
    _very_large_plan(year.plan, issue, 1500)
    publish_plan(plan=year.plan, by=coordinator)
    started = time.monotonic()
    response = client.get(_progress_pdf(year.plan))
    assert response.status_code == 503
    assert time.monotonic() - started < 30  # the page's own rendering; no layout
    page = text_of(response)
    assert "This document is too long to make here" in page
    assert "Read it as a web page instead" in page
    assert layouts == []
    # What the refusal saved: the report's elements, from the same HTML the PDF is made of.
    context = documents.progress_document(year.plan, AnonymousUser(), documents.as_at(year.plan))
    html = render_to_string("reports/progress_document.html", context)
    assert pdf.layout_elements(html) > settings.PDF_LAYOUT_MAX_ELEMENTS


def test_the_budget_is_counted_in_elements_before_any_layout(settings):
    settings.PDF_LAYOUT_MAX_ELEMENTS = 3
    pdf.check_layout_budget("<p>one</p><p>two</p><p>three</p>")
    with pytest.raises(pdf.TooLargeToLayOut):
        pdf.check_layout_budget("<p>one</p><p>two</p><p>three</p><p>four</p>")
