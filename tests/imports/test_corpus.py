"""Every bad file of the corpus is refused with its message, and changes nothing.

The corpus (tests/imports/corpus/, written by make_corpus.py) holds the ways real files go
wrong: encodings, missing or doubled columns, bad and impossible dates, a plan that ends
before it starts, empty files, header only, duplicate references, spreadsheet errors and
formulas, merged cells, several sheets, files that are not spreadsheets, files too big.
"""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from actions import importing
from tests.helpers import text_of
from tests.imports.helpers import database_state
from tests.imports.make_corpus import CORPUS, GENERATED, generated

pytestmark = pytest.mark.django_db

EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
REFUSED_BY_THE_FORM = {
    "over-5-mb.csv": "The selected file must be smaller than 5 MB",
    "empty.csv": "The selected file is empty",
}


def content(name: str) -> bytes:
    return generated(name) if name in GENERATED else (CORPUS / name).read_bytes()


def test_the_corpus_has_at_least_forty_bad_files_each_with_its_message():
    on_disk = {p.name for p in CORPUS.iterdir() if p.name != "expected.json"}
    assert on_disk == set(EXPECTED) - set(GENERATED)
    assert len(EXPECTED) >= 40
    assert all(EXPECTED.values())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_bad_file_is_refused_with_its_message_and_changes_nothing(name):
    before = database_state()
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_file(content(name), name, by=None)
    messages = [str(problem) for problem in refused.value.preview.errors]
    assert any(EXPECTED[name] in message for message in messages), messages
    assert database_state() == before


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_upload_page_lists_a_bad_files_problem_without_a_server_error(thanet_client, name):
    before = database_state()
    upload = SimpleUploadedFile(name, content(name))
    response = thanet_client.post(reverse("actions:import"), {"file": upload})
    assert response.status_code == 422
    page = text_of(response)
    if name in REFUSED_BY_THE_FORM:  # before the file is read
        assert REFUSED_BY_THE_FORM[name] in page
    else:
        problem = EXPECTED[name].split(": ", 1)[-1] if EXPECTED[name].startswith("Row") else None
        assert (problem or EXPECTED[name]).rstrip(".").lower() in page.lower()
    assert database_state() == before


@pytest.mark.parametrize("name", ["target-date-31-13.csv", "several-sheets.xlsx", "empty.csv"])
def test_the_command_prints_the_problem_and_exits_with_an_error(name, capsys, tmp_path):
    path = Path(tmp_path) / name
    path.write_bytes(content(name))
    before = database_state()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_plan", str(path))
    assert EXPECTED[name] in capsys.readouterr().out
    assert database_state() == before
