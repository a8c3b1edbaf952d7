"""manage.py import_plan: the same preview and errors as the page, non-zero exit on error."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from actions.models import Action
from plans.models import Partnership, Plan
from tests.factories import make_user
from tests.imports.helpers import csv_bytes, database_state, row

pytestmark = pytest.mark.django_db

ROWS = [
    row(action_ref="1", action="Brief staff on scams", lead_agency="KCC Wardens"),
    row(action_ref="2", action="Hold sessions", lead_agency="Sea Cadets (SC)"),
]


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes(ROWS))
    return path


def test_a_dry_run_prints_the_preview_and_changes_nothing(plan_file, capsys):
    state = database_state()
    call_command("import_plan", str(plan_file), "--dry-run")
    out = capsys.readouterr().out
    assert "Partnership: Thanet Community Safety Partnership" in out
    assert "Plan: Imported Plan 2016/17 (new), 1 April 2016 to 31 March 2017" in out
    assert "Actions to add: 2" in out
    assert "New agency: Sea Cadets (SC) (rows 3)" in out
    assert "Row 2: add 1 Brief staff on scams" in out
    assert "Dry run: nothing was imported." in out
    assert database_state() == state


def test_the_command_imports_the_file_naming_the_user_in_the_history(plan_file, capsys):
    user = make_user(username="loader")
    call_command("import_plan", str(plan_file), "--user", "loader")
    assert "Imported plan.csv: 2 actions created" in capsys.readouterr().out
    action = Action.objects.get(plan__title="Imported Plan 2016/17", ref="2")
    record = action.history.first()
    assert record.history_user == user
    assert record.history_change_reason is None or "plan.csv" in record.history_change_reason


def test_the_command_imports_into_the_partnership_it_is_given(plan_file, capsys):
    call_command("import_plan", str(plan_file), "--partnership", "ashford")
    plan = Plan.objects.get(title="Imported Plan 2016/17")
    assert plan.partnership == Partnership.objects.get(slug="ashford")
    assert "the plan is imported into Ashford Community Safety Partnership" in (
        capsys.readouterr().out
    )


def test_an_error_is_printed_and_the_command_fails_with_nothing_imported(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([*ROWS, row(action_ref="2", action="Again")]))
    state = database_state()
    with pytest.raises(CommandError, match="1 problem in bad.csv: nothing was imported"):
        call_command("import_plan", str(path))
    assert 'Row 4, action_ref: "2" is also the reference on row 3.' in capsys.readouterr().out
    assert database_state() == state


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.csv"], "Cannot read missing.csv"),
        (["{file}", "--partnership", "nowhere"], 'No partnership is called "nowhere".'),
        (["{file}", "--user", "nobody"], 'No user is called "nobody".'),
    ],
)
def test_wrong_arguments_are_refused_plainly(plan_file, arguments, message):
    arguments = [a.format(file=plan_file) for a in arguments]
    with pytest.raises(CommandError, match=message):
        call_command("import_plan", *arguments)
