"""The documents cache (reports/pdf.py): a PDF is laid out once for the same content, laid out
again when what it shows changes, and a broken cache never stops a download."""

import datetime
import os
from pathlib import Path

import pytest
from django.urls import reverse

from actions import services
from tests.reports.pdf_reading import pdf_text

pytestmark = pytest.mark.django_db


def _progress_pdf(client, plan):
    url = reverse("reports:progress-pdf", args=[plan.partnership.slug, plan.slug])
    response = client.get(url + "?period=q3")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_a_report_is_laid_out_once_until_what_it_shows_changes(
    coordinator_client, year, officer, layouts
):
    first = _progress_pdf(coordinator_client, year.plan)
    again = _progress_pdf(coordinator_client, year.plan)
    assert again == first
    assert len(layouts) == 1

    services.record_update(
        action=year.mapping,
        by=officer,
        status="completed",
        rag="green",
        narrative="Mapping document published to partners.",
        period=year.q3,
        reported_on=datetime.date(2015, 12, 18),
        readings={},
    )
    changed = _progress_pdf(coordinator_client, year.plan)
    assert len(layouts) == 2
    assert "Mapping document published to partners." in pdf_text(changed)
    assert "Mapping document published to partners." not in pdf_text(first)


def test_a_report_asked_for_again_later_the_same_day_is_not_laid_out_again(
    coordinator_client, year, layouts
):
    """The PDF says the day it was produced, not the minute, so a councillor downloading the
    unchanged Q3 report in the afternoon gets the morning's copy."""
    import time_machine

    first = _progress_pdf(coordinator_client, year.plan)
    with time_machine.travel(datetime.datetime(2015, 12, 20, 16, 30), tick=False):
        assert _progress_pdf(coordinator_client, year.plan) == first
    assert len(layouts) == 1
    assert "Produced by CSP Tracker on 20 December 2015." in pdf_text(first)


def test_a_damaged_kept_file_is_laid_out_again(coordinator_client, year, layouts, settings):
    first = _progress_pdf(coordinator_client, year.plan)
    (kept,) = settings.DOCUMENT_CACHE_DIR.glob("*.pdf")
    kept.write_bytes(first[: len(first) // 2])  # cut short, as by a full disk
    assert _progress_pdf(coordinator_client, year.plan) == first
    assert _progress_pdf(coordinator_client, year.plan) == first
    assert len(layouts) == 2  # laid out again once, and kept


def test_a_store_it_cannot_write_to_still_gives_the_document(
    coordinator_client, year, layouts, settings, tmp_path
):
    blocked = tmp_path / "a-file-not-a-directory"
    blocked.write_text("")
    settings.DOCUMENT_CACHE_DIR = blocked
    content = _progress_pdf(coordinator_client, year.plan)
    assert "Pilot body worn video" in pdf_text(content)
    assert _progress_pdf(coordinator_client, year.plan) == content
    assert len(layouts) == 2


def test_the_oldest_kept_documents_go_beyond_the_count(
    coordinator_client, year, officer, layouts, settings
):
    settings.DOCUMENT_CACHE_ENTRIES = 1
    _progress_pdf(coordinator_client, year.plan)
    url = reverse("reports:plan-pdf", args=[year.plan.partnership.slug, year.plan.slug])
    assert coordinator_client.get(url).status_code == 200
    assert len(list(settings.DOCUMENT_CACHE_DIR.glob("*.pdf"))) == 1
    _progress_pdf(coordinator_client, year.plan)
    assert len(layouts) == 3  # the report was no longer kept


def test_a_changed_stylesheet_lays_documents_out_again(
    coordinator_client, year, layouts, settings, tmp_path
):
    """A new release's print.css is a new document, whatever the files' dates say."""
    from django.contrib.staticfiles import finders

    _progress_pdf(coordinator_client, year.plan)
    changed = tmp_path / "static" / "css" / "print.css"
    changed.parent.mkdir(parents=True)
    original = Path(finders.find("css/print.css"))
    changed.write_text(original.read_text() + "\n.document h1 { color: #000; }\n")
    os.utime(changed, ns=(original.stat().st_atime_ns, original.stat().st_mtime_ns))
    settings.STATICFILES_DIRS = [tmp_path / "static", *settings.STATICFILES_DIRS]
    _progress_pdf(coordinator_client, year.plan)
    assert len(layouts) == 2
