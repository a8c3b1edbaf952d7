"""The import pages: who may use them, upload → preview → confirm, and the downloads."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from actions import importing, services
from actions.importing import applying
from actions.importing.columns import COLUMNS
from actions.importing.writing import export_plan, plan_rows
from actions.models import Action
from actions.views import SESSION_KEY
from csp_tracker.editing import StaleEdit
from plans.models import Agency, Plan
from plans.services import publish_plan
from tests.conftest import ROLES, count_queries
from tests.factories import make_action, make_partnership, make_plan
from tests.helpers import text_of
from tests.imports.helpers import PLAN, csv_bytes, database_state, row

pytestmark = pytest.mark.django_db

COORDINATORS = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": 302,
    "coordinator": 200,
    "outsider": 200,
}
REDIRECTED_COORDINATORS = {**COORDINATORS, "coordinator": 302, "outsider": 302}
OWN_PLAN = {**COORDINATORS, "outsider": 404}
OTHERS_PUBLISHED_PLAN = {**COORDINATORS, "coordinator": 403, "outsider": 403}


@pytest.fixture
def published_elsewhere():
    plan = make_plan(partnership=make_partnership())
    make_action(plan=plan)
    return publish_plan(plan=plan, by=None)


URLS = {
    "import page": (lambda f: reverse("actions:import"), COORDINATORS),
    "preview with nothing uploaded": (
        lambda f: reverse("actions:import-preview"),
        REDIRECTED_COORDINATORS,
    ),
    "blank template (Excel)": (
        lambda f: reverse("actions:import-template", args=["xlsx"]),
        COORDINATORS,
    ),
    "blank template (CSV)": (
        lambda f: reverse("actions:import-template", args=["csv"]),
        COORDINATORS,
    ),
    "Thanet example (Excel)": (
        lambda f: reverse("actions:import-example", args=["xlsx"]),
        COORDINATORS,
    ),
    "plan as a spreadsheet": (
        lambda f: reverse(
            "actions:plan-spreadsheet", args=[f["plan"].partnership.slug, f["plan"].slug, "xlsx"]
        ),
        OWN_PLAN,
    ),
    "another partnership's published plan as a spreadsheet": (
        lambda f: reverse(
            "actions:plan-spreadsheet",
            args=[f["published"].partnership.slug, f["published"].slug, "csv"],
        ),
        OTHERS_PUBLISHED_PLAN,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", list(URLS))
def test_who_may_use_the_import_pages(as_role, role, url_name, plan, action, published_elsewhere):
    url, expected = URLS[url_name]
    client = as_role(role)
    response = client.get(url({"plan": plan, "published": published_elsewhere}))
    assert response.status_code == expected[role], (url_name, role)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_confirm_an_import(as_role, role):
    response = as_role(role).post(reverse("actions:import-confirm"), {"token": "x"})
    assert response.status_code == REDIRECTED_COORDINATORS[role]


def upload(client, rows=None, *, data=None, name="plan.csv"):
    content = data if data is not None else csv_bytes(rows)
    return client.post(reverse("actions:import"), {"file": SimpleUploadedFile(name, content)})


ROWS = [
    row(
        emerging_issue="1. Scams",
        action_ref="1",
        action="Brief partner staff on scams",
        lead_agency="Thanet Youth Trust (TYT)",
        support_agencies="Kent Police",
        status="On track",
        progress_update="First briefing held.",
    ),
    row(emerging_issue="1. Scams", action_ref="2", action="Hold sessions", lead_agency="KFRS"),
]


def test_a_coordinator_uploads_checks_the_preview_and_confirms(thanet_client):
    response = upload(thanet_client, ROWS)
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:import-preview")
    preview = thanet_client.get(reverse("actions:import-preview"))
    assert preview.status_code == 200
    page = text_of(preview)
    assert "Check what the import will do" in page
    assert "Actions to add 2" in page
    assert "Agencies to add 1" in page
    assert "Thanet Youth Trust TYT 2" in page
    assert "Status: Not started → becomes On track , RAG green" in page
    assert not Plan.objects.filter(title="Imported Plan 2016/17").exists()
    confirm = thanet_client.post(
        reverse("actions:import-confirm"),
        {
            "token": preview.context["form"]["token"].value(),
            "fingerprint": preview.context["form"]["fingerprint"].value(),
            "add_agencies": "on",
        },
    )
    plan = Plan.objects.get(title="Imported Plan 2016/17")
    assert confirm.status_code == 302
    assert confirm["Location"] == plan.get_absolute_url()
    assert plan.actions.count() == 2
    assert SESSION_KEY not in thanet_client.session
    landed = text_of(thanet_client.get(confirm["Location"]))
    assert "plan.csv was imported: 2 actions created" in landed


def test_an_upload_with_errors_lists_each_problem_and_keeps_nothing(thanet_client):
    rows = [*ROWS, row(action_ref="3", action="Late", target_date="31/13/2015")]
    response = upload(thanet_client, rows)
    assert response.status_code == 422
    page = text_of(response)
    assert "There is a problem" in page
    assert "The file has 1 problem: nothing was imported." in page
    assert 'Row 4, target_date "31/13/2015" is not a date.' in page
    assert SESSION_KEY not in thanet_client.session


def test_the_page_refuses_a_partnership_the_coordinator_does_not_coordinate(thanet_client):
    response = upload(thanet_client, [row(partnership="Ashford CSP", action="Patrol")])
    assert response.status_code == 422
    assert 'Row 2, partnership "Ashford CSP" is not a partnership you coordinate.' in text_of(
        response
    )


def test_a_coordinator_cannot_create_a_partnership_by_import(thanet_client):
    response = upload(thanet_client, [row(partnership="Isles of Scilly CSP", action="Patrol")])
    assert response.status_code == 422
    assert (
        'Row 2, partnership "Isles of Scilly CSP" is not a partnership you coordinate '
        "(a new partnership is set up by a site administrator)."
    ) in text_of(response)


def test_a_site_administrator_imports_into_any_partnership_and_creates_new_ones(client):
    admin = get_user_model().objects.create_superuser("site-admin", "admin@example.org", "x")
    client.force_login(admin)
    assert client.get(reverse("actions:import")).status_code == 200
    response = upload(client, [row(partnership="Isles of Scilly CSP", action="Patrol")])
    assert response.status_code == 302, text_of(response)
    assert "Isles of Scilly CSP" in text_of(client.get(reverse("actions:import-preview")))
    _confirm(client)
    plan = Plan.objects.get(partnership__name="Isles of Scilly CSP")
    assert list(plan.actions.values_list("title", flat=True)) == ["Patrol"]


def _confirm(client, **overrides):
    preview = client.get(reverse("actions:import-preview"))
    form = preview.context["form"]
    data = {"token": form["token"].value(), "fingerprint": form["fingerprint"].value()}
    data.update(overrides)
    return client.post(reverse("actions:import-confirm"), data)


def test_new_agencies_must_be_confirmed_with_a_tick(thanet_client):
    upload(thanet_client, ROWS)
    state = database_state()
    response = _confirm(thanet_client)
    assert response.status_code == 422
    assert "Confirm that the new agencies should be added" in text_of(response)
    assert database_state() == state
    assert not Agency.objects.filter(name="Thanet Youth Trust").exists()


def _road_safety_group(*, lead_agency: str) -> dict:
    """Thanet's action 27 as a template row, led by `lead_agency`."""
    return row(
        plan_title=PLAN,
        period_start="2015-04-01",
        period_end="2016-03-31",
        priority="Engagement",
        emerging_issue="11. Need for partnership messages to be reaching intended audiences",
        action_ref="27",
        action="Create Road Safety Task and Finish Group",
        lead_agency=lead_agency,
    )


def test_a_confirmation_after_the_plan_changed_shows_the_new_preview_instead(
    thanet_client, thanet_plan, thanet_coordinator
):
    rows = [_road_safety_group(lead_agency="KFRS")]
    upload(thanet_client, rows)
    preview = thanet_client.get(reverse("actions:import-preview"))
    action = Action.objects.get(plan=thanet_plan, ref="27")
    services.record_update(action=action, by=thanet_coordinator, narrative="Group met.")
    state = database_state()
    response = thanet_client.post(
        reverse("actions:import-confirm"),
        {
            "token": preview.context["form"]["token"].value(),
            "fingerprint": preview.context["form"]["fingerprint"].value(),
        },
    )
    assert response.status_code == 409
    assert "Nothing was imported: the plan changed after your preview" in text_of(response)
    assert database_state() == state
    again = _confirm(thanet_client)
    assert again.status_code == 302
    action.refresh_from_db()
    assert action.title == "Create Road Safety Task and Finish Group"


def _confirmation(client, **overrides) -> dict:
    form = client.get(reverse("actions:import-preview")).context["form"]
    data = {"token": form["token"].value(), "fingerprint": form["fingerprint"].value()}
    data.update(overrides)
    return data


@pytest.mark.parametrize("ticked", [True, False])
def test_a_confirmation_compares_what_was_read_with_the_plan_once_without_reading_again(
    thanet_client, monkeypatch, ticked
):
    upload(thanet_client, ROWS)
    data = _confirmation(thanet_client, **({"add_agencies": "on"} if ticked else {}))
    calls = []
    read, compare = importing.read_table, importing.compare

    def counted_read(*args, **kwargs):
        calls.append("read")
        return read(*args, **kwargs)

    def counted_compare(*args, **kwargs):
        calls.append(("compare", kwargs.get("lock", False)))
        return compare(*args, **kwargs)

    monkeypatch.setattr(importing, "read_table", counted_read)
    monkeypatch.setattr(importing, "compare", counted_compare)
    response = thanet_client.post(reverse("actions:import-confirm"), data)
    assert response.status_code == (302 if ticked else 422)
    # The file was read on upload; the confirmation compares, once, under the import's lock:
    # the same comparison decides, applies and is shown.
    assert calls == [("compare", True)]
    if not ticked:
        page = text_of(response)
        assert "Confirm that the new agencies should be added" in page
        assert "Agencies to add 1" in page


def test_a_confirmation_without_the_fingerprint_is_refused(thanet_client):
    upload(thanet_client, ROWS)
    state = database_state()
    data = _confirmation(thanet_client, add_agencies="on")
    del data["fingerprint"]
    response = thanet_client.post(reverse("actions:import-confirm"), data)
    assert response.status_code == 409
    assert database_state() == state


def test_a_changed_plan_is_reported_before_an_unticked_agency(
    thanet_client, thanet_plan, thanet_coordinator
):
    rows = [_road_safety_group(lead_agency="Thanet Youth Trust (TYT)")]
    upload(thanet_client, rows)
    data = _confirmation(thanet_client)
    action = Action.objects.get(plan=thanet_plan, ref="27")
    services.record_update(action=action, by=thanet_coordinator, narrative="Group met.")
    state = database_state()
    response = thanet_client.post(reverse("actions:import-confirm"), data)
    assert response.status_code == 409
    page = text_of(response)
    assert "Nothing was imported: the plan changed after your preview" in page
    assert "Confirm that the new agencies should be added" not in page
    assert database_state() == state


def test_a_report_made_while_the_import_is_applied_refuses_it_and_shows_the_file_again(
    thanet_client, monkeypatch
):
    upload(thanet_client, ROWS)
    data = _confirmation(thanet_client, add_agencies="on")
    state = database_state()

    def reported_meanwhile(**kwargs):
        raise StaleEdit("Someone reported progress on an action after the import was previewed.")

    monkeypatch.setattr(applying.services, "record_updates_from_import", reported_meanwhile)
    response = thanet_client.post(reverse("actions:import-confirm"), data)
    assert response.status_code == 409
    page = text_of(response)
    assert "Someone reported progress on an action after the import was previewed." in page
    assert "Actions to add 2" in page  # read again after the rollback, not as half-applied
    assert database_state() == state
    assert SESSION_KEY in thanet_client.session


def test_a_confirmation_of_another_upload_is_refused(thanet_client):
    upload(thanet_client, ROWS)
    state = database_state()
    response = thanet_client.post(
        reverse("actions:import-confirm"), {"token": "stale", "fingerprint": "x"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:import")
    assert database_state() == state


def test_the_preview_says_when_a_file_would_change_nothing(thanet_client, thanet_plan):
    upload(thanet_client, data=export_plan(thanet_plan, "xlsx"), name="thanet.xlsx")
    response = thanet_client.get(reverse("actions:import-preview"))
    page = text_of(response)
    assert "The plan already holds everything in this file" in page
    assert "Confirm and import" not in page


def test_the_preview_page_runs_the_same_number_of_queries_whatever_the_rows(thanet_client):
    def queries(count):
        rows = [
            row(action_ref=str(n), action=f"Action {n}", lead_agency="KFRS") for n in range(count)
        ]
        upload(thanet_client, rows)
        return count_queries(thanet_client, reverse("actions:import-preview"))

    assert queries(3) == queries(40)


def test_the_blank_templates_hold_the_header_row_and_the_guidance(thanet_client):
    csv = thanet_client.get(reverse("actions:import-template", args=["csv"]))
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="plan-import-template.csv"' in csv["Content-Disposition"]
    assert csv.content.decode("utf-8-sig").strip() == ",".join(COLUMNS)
    xlsx = thanet_client.get(reverse("actions:import-template", args=["xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert [c.value for c in book["Actions"][1]] == COLUMNS
    assert book["Guidance"]["A2"].value == "partnership"
    assert thanet_client.get(reverse("actions:import-template", args=["pdf"])).status_code == 404


def test_the_example_files_are_thanets_seed_plan_in_the_template(thanet_client, thanet_plan):
    examples = Path(settings.BASE_DIR) / "fixtures" / "import"
    assert (examples / "thanet-example.csv").read_bytes() == export_plan(thanet_plan, "csv")
    book = load_workbook(examples / "thanet-example.xlsx")
    cells = [[c.value for c in r] for r in book["Actions"].iter_rows(min_row=2)]
    expected = plan_rows(thanet_plan)
    assert len(cells) == len(expected) == 30
    assert [r[7] for r in cells] == [r["action"] for r in expected]
    download = thanet_client.get(reverse("actions:import-example", args=["xlsx"]))
    assert download.content == (examples / "thanet-example.xlsx").read_bytes()


def test_a_coordinator_downloads_the_plan_to_correct_it_and_import_it_again(
    thanet_client, thanet_plan
):
    url = reverse("actions:plan-spreadsheet", args=["thanet", thanet_plan.slug, "xlsx"])
    response = thanet_client.get(url)
    assert response.status_code == 200
    assert 'filename="thanet-csp-plan-2015-16.xlsx"' in response["Content-Disposition"]
    page = text_of(thanet_client.get(reverse("actions:import")))
    assert "Thanet CSP: Community Safety Plan 2015/2016 — Excel" in page


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_who_may_import_into_a_partnership_or_create_one(role, request, partnership):
    from csp_tracker import permissions

    user = request.getfixturevalue(role)
    assert permissions.can_import_into(user, partnership) is (role == "coordinator")
    assert permissions.can_import_into(user, None) is False
    admin = get_user_model().objects.create_superuser("site-admin-2", "a@example.org", "x")
    # A site administrator sets up a new partnership by import; an existing one's plans are
    # its coordinators' (a site administrator is not a partnership role).
    assert permissions.can_import_into(admin, None)
    assert not permissions.can_import_into(admin, partnership)


def test_a_file_is_read_once_from_upload_through_preview_to_confirmation(
    thanet_client, monkeypatch
):
    reads = []
    read = importing.read_table

    def counted(data):
        reads.append(len(data))
        return read(data)

    monkeypatch.setattr(importing, "read_table", counted)
    assert upload(thanet_client, ROWS).status_code == 302
    response = _confirm(thanet_client, add_agencies="on")
    assert response.status_code == 302
    assert Plan.objects.filter(title="Imported Plan 2016/17").exists()
    assert len(reads) == 1


def test_a_kept_upload_changed_in_the_session_is_not_trusted(thanet_client):
    """What the upload read waits in the session signed; other bytes there are refused (and
    never unpickled), and the coordinator is asked to upload again."""
    import base64
    import pickle
    import zlib

    upload(thanet_client, ROWS)
    session = thanet_client.session
    forged = zlib.compress(pickle.dumps({"not": "what was read"}))
    session[SESSION_KEY] = {**session[SESSION_KEY], "read": base64.b64encode(forged).decode()}
    session.save()
    state = database_state()
    response = thanet_client.get(reverse("actions:import-preview"))
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:import")
    response = thanet_client.post(
        reverse("actions:import-confirm"),
        {"token": session[SESSION_KEY]["token"], "fingerprint": "x"},
    )
    assert response.status_code == 302
    assert database_state() == state
