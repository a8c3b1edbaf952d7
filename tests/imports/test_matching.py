"""Matching, not duplicating: what an import creates, changes, records and leaves alone."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import services
from actions.importing import ImportRefused, import_file, preview_file
from actions.models import Action, ActionUpdate, Measure, Rag, Status
from csp_tracker.editing import StaleEdit
from plans.models import Agency, EmergingIssue, Partnership, Plan, Priority
from tests.factories import make_user
from tests.imports.helpers import PLAN, THANET, csv_bytes, database_state, row

pytestmark = pytest.mark.django_db

NEW_PLAN = "Imported Plan 2016/17"


@pytest.fixture
def importer():
    return make_user(username="importer", first_name="Ima", last_name="Porter")


def imported(rows, importer, name="plan.csv", **options):
    return import_file(csv_bytes(rows), name, by=importer, **options)


def plan_rows():
    return [
        row(
            emerging_issue="1. Scams",
            action_ref="1",
            action="Brief partner staff on scams",
            lead_agency="KCC Wardens",
            support_agencies="Kent Police; KCC Trading Standards",
            measures="Briefing delivered; No. of professionals attending",
            target_date="31/03/2017",
        ),
        row(
            emerging_issue="1. Scams",
            action_ref="2",
            action="Hold information sessions",
            lead_agency="KFRS",
        ),
        row(
            priority="Engagement", emerging_issue="2. Young people", action_ref="3", action="Survey"
        ),
    ]


def test_a_new_plan_is_created_with_its_priorities_issues_actions_and_measures(importer):
    result = imported(plan_rows(), importer)
    plan = result.plan
    assert plan.title == NEW_PLAN
    assert plan.partnership.slug == "thanet"
    assert (plan.slug, plan.status, plan.kind) == ("2016-17", Plan.Status.DRAFT, "annual")
    assert [p.title for p in plan.priorities.order_by("position")] == [
        "Safeguarding",
        "Engagement",
    ]
    assert [(i.ref, i.title) for i in plan.issues.order_by("number")] == [
        ("1", "Scams"),
        ("2", "Young people"),
    ]
    first = Action.objects.get(plan=plan, ref="1")
    assert first.number == 1
    assert first.lead_agency.name == "KCC Wardens"
    assert sorted(a.name for a in first.support_agencies.all()) == [
        "KCC Trading Standards",
        "Kent Police",
    ]
    assert [m.text for m in first.measures.all()] == [
        "Briefing delivered",
        "No. of professionals attending",
    ]
    assert first.target_date == datetime.date(2017, 3, 31)
    assert result.created == 3


def test_reimporting_the_same_file_changes_nothing(importer):
    imported(plan_rows(), importer)
    state = database_state()
    result = imported(plan_rows(), importer)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert database_state() == state


def test_a_changed_row_updates_that_action_and_its_history_names_the_importer(importer):
    plan = imported(plan_rows(), importer).plan
    rows = plan_rows()
    rows[1] = {**rows[1], "action": "Hold information sessions in schools", "target_date": ""}
    rows[1]["target_date"] = "2017-01-31"
    preview = preview_file(csv_bytes(rows), "v2.csv")
    [change] = preview.updated
    assert [(c.label, c.before, c.after) for c in change.changes] == [
        ("Action", "Hold information sessions", "Hold information sessions in schools"),
        ("Target date", "none", "31 January 2017"),
    ]
    other = make_user()
    imported(rows, other, name="v2.csv")
    action = Action.objects.get(plan=plan, ref="2")
    assert action.title == "Hold information sessions in schools"
    assert action.version == 2
    record = action.history.order_by("-history_id").first()
    assert record.history_user == other
    assert record.history_change_reason == f"Imported from v2.csv by {other.username}"
    assert Action.objects.filter(plan=plan).count() == 3


def test_a_progress_update_becomes_an_action_update_by_the_importer(importer):
    rows = plan_rows()
    rows[0] = {**rows[0], "status": "In progress", "progress_update": "Two briefings held."}
    imported(rows, importer, name="q1.csv")
    action = Action.objects.get(plan__title=NEW_PLAN, ref="1")
    update = ActionUpdate.objects.get(action=action)
    assert (update.status, update.rag, update.narrative) == (
        Status.ON_TRACK,
        Rag.GREEN,
        "Two briefings held.",
    )
    assert update.author == importer
    assert update.source == "Imported from q1.csv by importer"
    assert (action.status, action.rag) == (Status.ON_TRACK, Rag.GREEN)


def test_new_words_without_a_new_status_are_recorded_as_a_note(importer):
    imported(plan_rows(), importer)
    rows = plan_rows()
    rows[2] = {**rows[2], "status": "Not started", "progress_update": "Survey drafted."}
    preview = preview_file(csv_bytes(rows), "notes.csv")
    [item] = preview.updates
    assert (item.update.status, item.update.narrative) == ("", "Survey drafted.")
    imported(rows, importer)
    update = ActionUpdate.objects.get(action__plan__title=NEW_PLAN, action__ref="3")
    assert update.is_note
    assert Action.objects.get(pk=update.action_id).status == Status.NOT_STARTED


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("complete", Status.COMPLETED),
        ("Completed", Status.COMPLETED),
        ("ongoing", Status.ON_TRACK),
        ("On-going", Status.ON_TRACK),
        ("in progress", Status.ON_TRACK),
        ("ON TRACK", Status.ON_TRACK),
        ("at risk", Status.AT_RISK),
        ("Delayed", Status.DELAYED),
        ("carried forward", Status.CARRIED_OVER),
        ("Carried over", Status.CARRIED_OVER),
        ("withdrawn", Status.WITHDRAWN),
        ("not started", Status.NOT_STARTED),
    ],
)
def test_status_accepts_our_names_and_common_synonyms(word, status):
    rows = [row(action="Review", status=word, progress_update="As reported to the board.")]
    preview = preview_file(csv_bytes(rows), "s.csv")
    assert preview.errors == []
    expected = None if status == Status.NOT_STARTED else status
    assert (preview.actions[0].update.status or None) == expected


@pytest.mark.parametrize(
    "written",
    ["KFRS", "kfrs", "Kent Fire & Rescue Service", "KENT FIRE AND RESCUE SERVICE.", "K.F.R.S."],
)
def test_agencies_match_by_name_or_abbreviation_ignoring_case_spacing_and_punctuation(written):
    preview = preview_file(csv_bytes([row(action="Review", lead_agency=written)]), "a.csv")
    assert preview.new_agencies == []
    assert preview.actions[0].lead == Agency.objects.get(abbreviation="KFRS")


def test_new_agencies_are_listed_and_only_added_when_the_import_is_applied(importer):
    rows = [
        row(action="One", lead_agency="Thanet Youth Trust (TYT)", support_agencies="Kent Police"),
        row(action="Two", lead_agency="KFRS", support_agencies="thanet youth trust; Sea Cadets"),
    ]
    preview = preview_file(csv_bytes(rows), "n.csv")
    assert [(a.name, a.abbreviation, a.rows) for a in preview.new_agencies] == [
        ("Thanet Youth Trust", "TYT", [2, 3]),
        ("Sea Cadets", "", [3]),
    ]
    assert not Agency.objects.filter(name="Thanet Youth Trust").exists()
    imported(rows, importer)
    trust = Agency.objects.get(name="Thanet Youth Trust")
    assert trust.abbreviation == "TYT"
    assert trust.history.get().history_user == importer
    two = Action.objects.get(plan__title=NEW_PLAN, title="Two")
    assert {a.name for a in two.support_agencies.all()} == {"Thanet Youth Trust", "Sea Cadets"}


def test_unnumbered_actions_are_numbered_in_file_order_and_matched_by_their_text(importer):
    rows = [
        row(
            priority="Violent Crime", action="Target serial perpetrators", lead_agency="Kent Police"
        ),
        row(priority="Violent Crime", action="Enforcement of DPPO", lead_agency="Kent Police"),
        row(priority="Road Safety", action="Run a Biker Down event", lead_agency="KFRS"),
    ]
    plan = imported(rows, importer).plan
    assert list(Action.objects.filter(plan=plan).values_list("number", "ref", "title")) == [
        (1, "", "Target serial perpetrators"),
        (2, "", "Enforcement of DPPO"),
        (3, "", "Run a Biker Down event"),
    ]
    changed = [
        rows[2],
        {**rows[1], "lead_agency": "KCC Wardens"},
        rows[0],
        row(priority="Road Safety", action="Deliver RUSH programmes", lead_agency="KFRS"),
    ]
    preview = preview_file(csv_bytes(changed), "again.csv")
    assert [(a.row.number, a.kind) for a in preview.actions] == [
        (2, "unchanged"),
        (3, "updated"),
        (4, "unchanged"),
        (5, "created"),
    ]
    imported(changed, importer)
    assert Action.objects.get(plan=plan, title="Deliver RUSH programmes").number == 4
    assert Action.objects.get(plan=plan, title="Enforcement of DPPO").lead_agency.name == (
        "KCC Wardens"
    )


def test_priorities_and_issues_match_by_title_ignoring_case_and_spacing(importer):
    plan = imported(plan_rows(), importer).plan
    rows = [
        row(priority="SAFEGUARDING", emerging_issue="1.  scams", action_ref="4", action="New"),
    ]
    preview = preview_file(csv_bytes(rows), "more.csv")
    assert preview.new_priorities == [] and preview.new_issues == []
    imported(rows, importer)
    assert Priority.objects.filter(plan=plan).count() == 2
    assert EmergingIssue.objects.filter(plan=plan).count() == 2
    assert Action.objects.get(plan=plan, ref="4").issue.title == "Scams"


def test_an_action_moves_to_the_issue_its_row_names(importer):
    plan = imported(plan_rows(), importer).plan
    rows = plan_rows()
    rows[1] = {**rows[1], "emerging_issue": "3. Fraud against older people"}
    imported(rows, importer)
    moved = Action.objects.get(plan=plan, ref="2")
    assert (moved.issue.ref, moved.issue.title) == ("3", "Fraud against older people")
    assert moved.issue.priority.title == "Safeguarding"


def test_a_row_without_an_action_adds_a_priority_with_no_actions_yet(importer):
    rows = [*plan_rows(), row(priority="Reducing re-offending")]
    plan = imported(rows, importer).plan
    priority = Priority.objects.get(plan=plan, title="Reducing re-offending")
    assert not priority.issues.exists()


def test_actions_without_an_issue_go_under_their_priority_and_export_that_way(importer):
    from actions.importing.writing import plan_rows as exported

    rows = [row(priority="Road Safety", action_ref="1", action="Speed watch")]
    plan = imported(rows, importer).plan
    action = Action.objects.get(plan=plan)
    assert action.issue.title == "Road Safety"
    assert exported(plan)[0]["emerging_issue"] == ""


def test_the_plans_actions_missing_from_the_file_are_left_as_they_are(thanet_plan, importer):
    rows = [
        row(
            plan_title=PLAN,
            period_start="2015-04-01",
            period_end="2016-03-31",
            priority="Engagement",
            emerging_issue="12. Better data / information exchange amongst partners and "
            "increased agency commitment",
            action_ref="31",
            action="Agree a data sharing protocol",
            lead_agency="TDC CSU",
        )
    ]
    preview = preview_file(csv_bytes(rows), "one.csv")
    assert preview.errors == [], preview.errors
    assert preview.plan == thanet_plan
    assert len(preview.left_alone) == 30
    imported(rows, importer)
    assert thanet_plan.actions.count() == 31
    assert Action.objects.get(plan=thanet_plan, ref="31").number == 31


def test_a_column_the_file_does_not_have_is_left_alone(importer):
    plan = imported(plan_rows(), importer).plan
    header = ["partnership", "plan_title", "period_start", "period_end", "priority"]
    header += ["emerging_issue", "action_ref", "action"]
    preview = preview_file(csv_bytes(plan_rows(), header=header), "short.csv")
    assert [a.kind for a in preview.actions] == ["unchanged"] * 3
    import_file(csv_bytes(plan_rows(), header=header), "short.csv", by=importer)
    assert Action.objects.get(plan=plan, ref="1").lead_agency.name == "KCC Wardens"


def test_a_blank_lead_agency_is_allowed_with_a_warning(importer):
    rows = [row(action="Review meeting structures"), row(action="Compile training list")]
    preview = preview_file(csv_bytes(rows), "lead.csv")
    assert preview.errors == []
    assert [str(w) for w in preview.warnings] == [
        "Rows 2 to 3, lead_agency: is blank: those actions will have no lead agency."
    ]
    imported(rows, importer)
    assert Action.objects.get(title="Review meeting structures").lead_agency is None


def test_a_new_partnership_and_plan_are_created_only_when_the_import_is_applied(importer):
    rows = [row(partnership="Isles of Scilly Community Safety Partnership", action="Patrol")]
    preview = preview_file(csv_bytes(rows), "scilly.csv")
    assert preview.partnership is None and preview.plan is None
    assert preview.new_partnership["slug"] == "isles-of-scilly"
    assert not Partnership.objects.filter(slug="isles-of-scilly").exists()
    plan = imported(rows, importer).plan
    assert plan.partnership.name == "Isles of Scilly Community Safety Partnership"
    assert plan.partnership.short_name == "Isles of Scilly CSP"


def test_a_page_import_may_not_create_or_use_a_partnership_the_user_does_not_coordinate():
    thanet = Partnership.objects.get(slug="thanet")
    for name in [THANET, "Isles of Scilly Community Safety Partnership"]:
        preview = preview_file(
            csv_bytes([row(partnership=name, action="x")]),
            "p.csv",
            may_use=lambda p: p is not None and p.pk != thanet.pk,
        )
        new = "" if name == THANET else " (a new partnership is set up by a site administrator)"
        assert [str(e) for e in preview.errors] == [
            f'Row 2, partnership: "{name}" is not a partnership you coordinate{new}.'
        ]


def test_the_partnership_given_by_the_caller_wins_over_the_files_with_a_warning(importer):
    ashford = Partnership.objects.get(slug="ashford")
    rows = [row(action="Review")]
    preview = preview_file(csv_bytes(rows), "a.csv", partnership=ashford)
    assert preview.partnership == ashford
    assert "the plan is imported into Ashford Community Safety Partnership" in str(
        preview.warnings[0]
    )


def test_the_import_is_refused_if_the_plan_changed_after_the_preview(importer):
    plan = imported(plan_rows(), importer).plan
    rows = plan_rows()
    rows[0] = {**rows[0], "target_date": "2017-02-28"}
    data = csv_bytes(rows)
    preview = preview_file(data, "late.csv")
    action = Action.objects.get(plan=plan, ref="1")
    services.edit_action(action=action, by=importer, version=action.version, title="Changed")
    state = database_state()
    with pytest.raises(StaleEdit):
        import_file(data, "late.csv", by=importer, fingerprint=preview.fingerprint)
    assert database_state() == state


def test_the_fingerprint_changes_when_a_progress_update_is_recorded(importer):
    plan = imported(plan_rows(), importer).plan
    before = preview_file(csv_bytes(plan_rows()), "f.csv").fingerprint
    action = Action.objects.get(plan=plan, ref="3")
    services.record_update(action=action, by=importer, narrative="Survey sent.")
    assert preview_file(csv_bytes(plan_rows()), "f.csv").fingerprint != before


def test_any_error_applies_nothing_even_from_rows_that_were_fine(importer):
    rows = [*plan_rows(), row(action_ref="9", action="Bad date", target_date="31/13/2015")]
    state = database_state()
    with pytest.raises(ImportRefused):
        imported(rows, importer)
    assert database_state() == state


def test_a_measure_with_readings_cannot_be_removed_by_an_import(importer):
    plan = imported(plan_rows(), importer).plan
    action = Action.objects.get(plan=plan, ref="1")
    measure = Measure.objects.get(action=action, text="No. of professionals attending")
    services.edit_action(
        action=action,
        by=importer,
        version=action.version,
        measures=[{"id": measure.pk, "text": measure.text, "is_numeric": True, "target": 20}],
    )
    services.record_update(
        action=action,
        by=importer,
        status=Status.ON_TRACK,
        rag=Rag.GREEN,
        readings={Measure.objects.get(pk=measure.pk): Decimal(12)},
    )
    rows = plan_rows()
    rows[0] = {**rows[0], "measures": "Briefing delivered", "status": "On track"}
    preview = preview_file(csv_bytes(rows), "m.csv")
    assert [str(e) for e in preview.errors] == [
        'Row 2, measures: the measure "No. of professionals attending" has readings recorded, '
        "so the import cannot remove it. Keep it in the list."
    ]


def test_measures_keep_their_numbers_when_the_list_is_reordered_and_extended(importer):
    plan = imported(plan_rows(), importer).plan
    action = Action.objects.get(plan=plan, ref="1")
    kept = Measure.objects.get(action=action, text="No. of professionals attending")
    services.edit_action(
        action=action,
        by=importer,
        version=action.version,
        measures=[{"id": kept.pk, "text": kept.text, "is_numeric": True, "target": 20}],
    )
    rows = plan_rows()
    rows[0] = {**rows[0], "measures": "No. of professionals attending; Feedback gathered"}
    imported(rows, importer)
    measures = list(Measure.objects.filter(action=action).order_by("position"))
    assert [(m.position, m.text) for m in measures] == [
        (1, "No. of professionals attending"),
        (2, "Feedback gathered"),
    ]
    assert measures[0].pk == kept.pk and measures[0].target == 20


def test_cells_that_look_like_formulas_are_stored_as_text(importer):
    rows = [
        row(
            action='=HYPERLINK("http://example.com","Click")',
            measures="+44 helpline calls answered; @home visits; -5% repeat victims",
            progress_update="=1+1",
        )
    ]
    plan = imported(rows, importer).plan
    action = Action.objects.get(plan=plan)
    assert action.title == '=HYPERLINK("http://example.com","Click")'
    assert [m.text for m in action.measures.all()] == [
        "+44 helpline calls answered",
        "@home visits",
        "-5% repeat victims",
    ]
    assert action.updates.get().narrative == "=1+1"


def test_a_preview_reads_in_a_fixed_number_of_queries_whatever_the_number_of_rows(importer):
    def queries(count):
        rows = [
            row(action_ref=str(n), action=f"Action {n}", lead_agency="KFRS") for n in range(count)
        ]
        imported(rows, importer)
        with CaptureQueriesContext(connection) as captured:
            preview = preview_file(csv_bytes(rows), "q.csv")
        assert len(preview.unchanged) == count
        return len(captured)

    assert queries(5) == queries(60)


def test_setting_a_finished_action_back_to_an_open_status_is_warned_about(importer):
    rows = plan_rows()
    rows[0] = {**rows[0], "status": "Completed", "progress_update": "All briefed."}
    imported(rows, importer)
    rows[0] = {**rows[0], "status": "On track"}
    preview = preview_file(csv_bytes(rows), "old.csv")
    assert [str(w) for w in preview.warnings] == [
        "Row 2, status: the action is recorded as completed; the file sets it back to on "
        "track. If the file is older than that update, correct the file first."
    ]


def test_a_long_file_name_is_shortened_to_fit_the_history(importer):
    name = "Thanet CSP action plan " + "final version " * 10 + ".csv"
    plan = imported(plan_rows(), importer, name=name).plan
    reason = Action.objects.filter(plan=plan).first().history.first().history_change_reason
    assert reason.startswith("Imported from Thanet CSP action plan final version")
    assert reason.endswith("… by importer")
    assert len(reason) <= 100


def test_a_preview_of_a_stored_plan_reads_in_eight_queries(thanet_plan, django_assert_num_queries):
    from actions.importing.writing import export_plan

    data = export_plan(thanet_plan, "csv")
    # partnerships, the partnership's plans, agencies, priorities, issues, actions (with
    # their latest update), their support agencies, their measures (with "has readings")
    with django_assert_num_queries(8):
        preview = preview_file(data, "thanet.csv")
    assert len(preview.unchanged) == 30
