"""The security log's app events: plan state changes, imports, and downloads of documents
that hold restricted items; one UTC line each, naming who acted."""

import logging
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Plan
from plans.services import advance_plan, publish_plan, unpublish_plan
from tests.factories import make_plan
from tests.imports.helpers import csv_bytes, row

pytestmark = pytest.mark.django_db

LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ [a-z_.]+( [a-z_0-9]+=\S+)*")


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="csp_tracker.security")

    def lines():
        return [r.getMessage() for r in caplog.records if r.name == "csp_tracker.security"]

    return lines


def _events(lines):
    return [line.split(" ")[1] for line in lines]


def test_each_state_change_of_a_plan_is_a_line(
    partnership, coordinator, security_log, django_capture_on_commit_callbacks
):
    plan = make_plan(partnership=partnership, status=Plan.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        publish_plan(plan=plan, by=coordinator)
        unpublish_plan(plan=plan, by=coordinator, reason="A mistake in the foreword")
        advance_plan(plan=Plan.objects.get(pk=plan.pk), to=Plan.Status.CLOSED, by=coordinator)
    lines = security_log()
    assert _events(lines) == [
        "plan.agreed",
        "plan.made_live",
        "plan.published",
        "plan.unpublished",
        "plan.closed",
    ]
    for line in lines:
        assert LINE.match(line), line
        assert f"user={coordinator.pk}" in line
        assert f"plan={plan.pk}" in line


def test_a_change_rolled_back_is_not_logged(plan, coordinator, security_log):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        unpublish_plan(plan=plan, by=coordinator, reason="Not published yet")
    assert security_log() == []


def test_an_import_applied_and_a_file_refused_are_lines(
    thanet_client, thanet_coordinator, security_log
):
    refused = thanet_client.post(
        reverse("actions:import"),
        {"file": SimpleUploadedFile("bad.csv", csv_bytes([row(period_start="31/02/2016")]))},
    )
    assert refused.status_code == 422
    upload = thanet_client.post(
        reverse("actions:import"),
        {"file": SimpleUploadedFile("plan.csv", csv_bytes([row(action="Patrol")]))},
    )
    assert upload.status_code == 302
    form = thanet_client.get(reverse("actions:import-preview")).context["form"]
    data = {"token": form["token"].value(), "fingerprint": form["fingerprint"].value()}
    assert thanet_client.post(reverse("actions:import-confirm"), data).status_code == 302
    lines = security_log()
    [refusal] = [line for line in lines if " import.refused " in line]
    assert "problems=1" in refusal
    assert f"username={thanet_coordinator.get_username()}" in refusal
    [applied] = [line for line in lines if " import.applied " in line]
    plan = Plan.objects.get(title="Imported Plan 2016/17")
    assert f"plan={plan.pk}" in applied
    assert re.search(r"file_sha256=[0-9a-f]{64}", applied)
    assert "ip=127.0.0.1" in applied


def test_a_meeting_document_with_restricted_items_is_logged_when_it_holds_them(
    scene, as_role, security_log, layouts, monkeypatch
):
    """The board's minutes hold the restricted item: a line. The public's do not: none."""
    from django.test import Client

    from reports import pdf

    monkeypatch.setattr(pdf, "write_pdf", lambda html, stylesheets=(): b"%PDF-1.7\n%%EOF")
    url = reverse("reports:minutes-pdf", args=[scene["meeting"].pk])
    assert Client().get(url).status_code == 200
    assert security_log() == []
    board = as_role("board_member")
    assert board.get(url).status_code == 200
    [line] = security_log()
    assert " download.restricted " in line
    assert f"meeting={scene['meeting'].pk}" in line
    assert "document=minutes" in line
    pack = reverse("reports:agenda-pdf", args=[scene["next"].pk])
    assert board.get(pack).status_code == 200
    assert "document=agenda_pack" in security_log()[-1]
