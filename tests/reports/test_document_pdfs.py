"""The PDFs themselves: every seed plan in its own terms, the progress report, per reader.

The words are read back from the PDF with pdftotext, so a test fails if a layout loses them.
"""

import pytest
from django.urls import reverse

from tests.conftest import ROLES
from tests.helpers import text_of
from tests.reports.pdf_reading import (
    pdf_info,
    pdf_objects,
    pdf_pages,
    pdf_text,
    unhyphenated,
)

pytestmark = pytest.mark.django_db

#: The seed plans never change during a run, so each seed's PDF is rendered once.
_seed_pdfs = {}


def plan_pdf(client, plan):
    if plan.pk not in _seed_pdfs:
        url = reverse("reports:plan-pdf", args=[plan.partnership.slug, plan.slug])
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        _seed_pdfs[plan.pk] = response
    return _seed_pdfs[plan.pk]


def test_thanet_plan_pdf_reads_like_the_published_plan(client, thanet_plan):
    response = plan_pdf(client, thanet_plan)
    assert response["Content-Disposition"] == 'inline; filename="thanet-csp-plan-2015-16.pdf"'
    text = pdf_text(response.content)
    for words in [
        "Thanet Community Safety Partnership",
        "Community Safety Plan 2015/2016",
        "DRAFT",  # the document's own marking, printed on the cover
        "1 April 2015 to 31 March 2016",
        "Contents",
        "1 Foreword",
        "Welcome to our partnership plan for 2015-16",
        "Key achievements for 2014/15",
        "SAFEGUARDING",
        "DRIVERS OF CRIME AND ANTI-SOCIAL BEHAVIOUR",
        "Through this plan we aim to:",
        "Emerging issue",
        "Which of the other current priorities does this impact upon?",
        "Proposed Actions",
        "Lead agency",
        "Measures of Success / Outcomes",
        "Strengthen links with local services supporting 'Looked After Children'",
        "KCC Early Help",
        "5 placements challenged",
        "Partnership structure",
        "ii Useful Phone Numbers",
        "01843 577000",
        "Glossary",
        "Anti Social Behaviour Order",
        "Page 3 of",
    ]:
        assert words in text, words
    assert 20 <= pdf_pages(response.content) <= 40


def test_thanet_plan_pdf_has_every_action_and_measure(client, thanet_plan):
    text = unhyphenated(pdf_text(plan_pdf(client, thanet_plan).content))
    for action in thanet_plan.actions.prefetch_related("measures"):
        assert unhyphenated(" ".join(action.title.split()[:6])) in text, action
        for measure in action.measures.all():
            assert unhyphenated(" ".join(measure.text.split()[:5])) in text, measure


def test_the_plan_pdf_leaves_progress_to_the_progress_report(client, thanet_plan):
    """Thanet has updates (on track), but the plan as published carries no status."""
    assert thanet_plan.actions.exclude(status="not_started").exists()
    text = pdf_text(plan_pdf(client, thanet_plan).content)
    assert "On track" not in text
    assert "RAG:" not in text


def test_ashford_plan_pdf_is_in_its_own_columns(client, ashford_plan):
    text = pdf_text(plan_pdf(client, ashford_plan).content)
    for words in [
        "2013/14 Tactical Delivery Plan",
        "Aim Action Main Partner Targets Evidence",
        "Domestic Abuse",
        "Support and promote the One Stop Shop",
        "500 students awareness levels raised",
        "Audit of students reached",
        "Ashford Community Safety Partnership",
    ]:
        assert words in text, words


def test_medway_plan_pdf_has_objectives_and_lettered_aims(client, medway_plan):
    response = plan_pdf(client, medway_plan)
    text = pdf_text(response.content)
    for words in [
        "Community Safety Partnership Action Plan 2016 – 2020",
        "2019 Refresh",
        "Objective Aim",
        "1) Tackling ASB",
        "a) To maintain a safe environment",
        "Strengthening Communities",
    ]:
        assert words in text, words
    assert "Lead agency" not in text  # Medway's tables have no lead column


def test_kent_agreement_pdf_lists_priorities_and_cross_cutting_themes(client, kent_plan):
    text = pdf_text(plan_pdf(client, kent_plan).content)
    for words in [
        "Kent Community Safety Agreement 2014-17",
        "Priorities and cross-cutting themes",
        "Anti-Social Behaviour",
        "Cross-cutting themes",
        "Supporting Victims and Vulnerable Households / Individuals",
    ]:
        assert words in text, words


def test_the_pdf_carries_its_title_language_and_tags(client, kent_plan):
    response = plan_pdf(client, kent_plan)
    info = pdf_info(response.content)
    assert (
        info["Title"]
        == "Kent Community Safety Partnership: Kent Community Safety Agreement 2014-17"
    )
    assert info["Tagged"] == "yes"
    assert b"/Lang (en-GB)" in pdf_objects(response.content)


def test_thanet_progress_pdf_reports_the_working_party_updates(client, thanet_plan):
    url = reverse("reports:progress-pdf", args=["thanet", "2015-16"])
    response = client.get(url, {"period": "q3"})
    assert response["Content-Disposition"] == (
        'inline; filename="thanet-csp-progress-2015-16-q3.pdf"'
    )
    text = pdf_text(response.content)
    for words in [
        "Progress report",
        "Q3 2015/16, as at 31 December 2015",
        "Of the 4 priorities, there are 12 emerging issues with 30 proposed actions:",
        "9 on track and 21 not started",
        "Exceptions",
        "Changes since Q2 2015/16",
        "The Community Pastor Scheme was still in place",
        "Working party minutes, 14 December 2015",
        "RAG: Green",
    ]:
        assert words in text, words
    assert 5 <= pdf_pages(response.content) <= 30


def test_a_progress_report_before_any_update_shows_none(client, thanet_plan):
    url = reverse("reports:progress", args=["thanet", "2015-16"])
    page = text_of(client.get(url, {"period": "q2"}))
    assert "30 not started" in page
    assert "The Community Pastor Scheme" not in page


@pytest.mark.parametrize("role", ROLES)
def test_each_reader_gets_the_progress_pdf_of_an_unpublished_plan_only_if_a_member(
    year, role, as_role
):
    url = reverse("reports:progress-pdf", args=[year.plan.partnership.slug, year.plan.slug])
    response = as_role(role).get(url, {"period": "q3"})
    if role in {"anonymous", "outsider"}:
        assert response.status_code == 404
        assert b"Supplier failed" not in response.content
        return
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Supplier failed." in text
    assert "Draft strategy shared with partners." in text
    assert "Pilot body worn video" in text


def test_the_same_report_asked_again_later_is_the_same(year, client, coordinator):
    """As at a past period, nothing recorded since changes the words (bar the production date)."""
    from actions import services

    client.force_login(coordinator)
    url = reverse("reports:progress-pdf", args=[year.plan.partnership.slug, year.plan.slug])
    before = pdf_text(client.get(url, {"period": "q2"}).content)
    services.record_update(
        action=year.mapping,
        by=coordinator,
        status="on_track",
        rag="green",
        narrative="Started at last.",
    )
    after = pdf_text(client.get(url, {"period": "q2"}).content)
    assert before == after
    assert "Started at last." in pdf_text(client.get(url, {"period": "q3"}).content)
