"""Write the corpus of bad import files (tests/imports/corpus/) and the message each must give.

Run `.venv/bin/python -m tests.imports.make_corpus` after changing a case; the files and
corpus/expected.json are committed. Two cases are too big to keep in the repository (a file
over 5 MB, a workbook that unpacks to over 60 MB): test_corpus.py makes them on the fly.
"""

import codecs
import io
import json
import zipfile
from pathlib import Path

from tests.imports.helpers import HEADER, PLAN, THANET, csv_bytes, row, xlsx_bytes

CORPUS = Path(__file__).resolve().parent / "corpus"

GOOD = [
    row(action_ref="1", action="Map support services", lead_agency="Kent Police"),
    row(action_ref="2", action="Train practitioners", lead_agency="KFRS"),
]


def rows_with(number: int, **cells) -> list[dict]:
    """Twelve good rows (spreadsheet rows 2 to 13) with row `number` changed."""
    rows = [
        row(action_ref=str(n), action=f"Action {n}", lead_agency="Kent Police")
        for n in range(1, 13)
    ]
    rows[number - 2] = {**rows[number - 2], **cells}
    return rows


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def _merge_across(book, sheet):
    sheet.merge_cells("E3:F3")


def _two_sheets(book, sheet):
    sheet.title = "Plan"
    book.create_sheet("Notes").append(["Anything"])


def _thirteen_rows(rows):
    return rows + [row(action_ref="13", action="Action 13", target_date="31/13/2015")]


def cases() -> dict[str, tuple[bytes, str]]:
    """Each bad file's name, bytes and the message (or the part of it) the import gives."""
    c = {}
    c["empty.csv"] = (b"", "The file is empty.")
    c["blank-lines.csv"] = (b"\r\n  \r\n\t\r\n", "The file is empty.")
    c["bom-only.csv"] = (codecs.BOM_UTF8, "The file is empty.")
    c["header-only.csv"] = (csv_bytes([]), "Row 1: the file has a header row but no actions")
    c["header-only.xlsx"] = (xlsx_bytes([]), "Row 1: the file has a header row but no actions")
    c["empty-workbook.xlsx"] = (
        xlsx_bytes([], header=[]),
        "The file is empty.",
    )
    c["missing-columns.csv"] = (
        csv_bytes(GOOD, header=[h for h in HEADER if h not in {"period_end", "action"}]),
        "Row 1: the file has no column named period_end, action.",
    )
    c["misspelt-column.csv"] = (
        csv_bytes(GOOD, header=[h.replace("plan_title", "plan title") for h in HEADER]),
        "Row 1: the file has no column named plan_title.",
    )
    c["duplicate-column.csv"] = (
        csv_bytes(GOOD, header=[*HEADER, "action"]),
        'Row 1: the column "action" appears twice (columns H and O).',
    )
    c["no-header.csv"] = (
        csv_bytes(GOOD)[csv_bytes(GOOD).index(b"\r\n") + 2 :],
        "the file has no column named partnership, plan_title, period_start, period_end, "
        "priority, action.",
    )
    c["target-date-31-13.csv"] = (
        csv_bytes(_thirteen_rows(rows_with(5))),
        'Row 14, target_date: "31/13/2015" is not a date.',
    )
    c["target-date-31-13.xlsx"] = (
        xlsx_bytes(_thirteen_rows(rows_with(5))),
        'Row 14, target_date: "31/13/2015" is not a date.',
    )
    c["period-start-30-february.csv"] = (
        csv_bytes(rows_with(2, period_start="2016-02-30")),
        'Row 2, period_start: "2016-02-30" is not a date.',
    )
    c["date-in-words.csv"] = (
        csv_bytes(rows_with(4, target_date="next March")),
        'Row 4, target_date: "next March" is not a date.',
    )
    c["two-digit-year.csv"] = (
        csv_bytes(rows_with(3, target_date="31/03/17")),
        'Row 3, target_date: "31/03/17" is not a date.',
    )
    c["american-date.csv"] = (
        csv_bytes(rows_with(6, target_date="03/31/2017")),
        'Row 6, target_date: "03/31/2017" is not a date.',
    )
    c["end-before-start.csv"] = (
        csv_bytes([{**r, "period_end": "2016-03-31"} for r in GOOD]),
        "Row 2, period_end: the plan ends (31/03/2016) before it starts (01/04/2016).",
    )
    c["end-on-start.csv"] = (
        csv_bytes([{**r, "period_end": "01/04/2016"} for r in GOOD]),
        "Row 2, period_end: the plan ends (01/04/2016) before it starts (01/04/2016).",
    )
    c["blank-partnership.csv"] = (
        csv_bytes(rows_with(3, partnership="")),
        "Row 3, partnership: is blank.",
    )
    c["blank-priority.csv"] = (
        csv_bytes(rows_with(7, priority="")),
        "Row 7, priority: is blank.",
    )
    c["blank-period-end.xlsx"] = (
        xlsx_bytes(rows_with(2, period_end=None)),
        "Row 2, period_end: is blank.",
    )
    c["action-missing-but-lead.csv"] = (
        csv_bytes(rows_with(4, action="")),
        "Row 4, action: is blank, but the row has action_ref and lead_agency.",
    )
    c["duplicate-refs.csv"] = (
        csv_bytes(rows_with(9, action_ref="4")),
        'Row 9, action_ref: "4" is also the reference on row 5.',
    )
    c["repeated-unnumbered-action.csv"] = (
        csv_bytes(
            [
                row(action="Support the Pubwatch scheme"),
                row(action="Review the licensing policy"),
                row(action="Support the  pubwatch scheme"),
            ]
        ),
        "Row 4, action: the same action is on row 2 under the same priority.",
    )
    c["two-plans.csv"] = (
        csv_bytes(rows_with(8, plan_title="Another Plan")),
        'Row 8, plan_title: differs from row 2 ("Imported Plan 2016/17").',
    )
    c["two-partnerships.csv"] = (
        csv_bytes(rows_with(10, partnership="Ashford Community Safety Partnership")),
        "Row 10, partnership: differs from row 2",
    )
    c["two-periods.csv"] = (
        csv_bytes(rows_with(11, period_end="2018-03-31")),
        'Row 11, period_end: differs from row 2 ("31/03/2017").',
    )
    c["unknown-status.csv"] = (
        csv_bytes(rows_with(3, status="nearly done")),
        'Row 3, status: "nearly done" is not a status the import knows.',
    )
    c["delayed-without-reason.csv"] = (
        csv_bytes(rows_with(5, status="Delayed")),
        "Row 5, progress_update: is blank: say why the action is delayed.",
    )
    c["withdrawn-without-reason.xlsx"] = (
        xlsx_bytes(rows_with(6, status="withdrawn")),
        "Row 6, progress_update: is blank: say why the action is withdrawn.",
    )
    c["two-lead-agencies.csv"] = (
        csv_bytes(rows_with(2, lead_agency="Kent Police; KFRS")),
        "Row 2, lead_agency: names more than one agency.",
    )
    c["issue-under-two-priorities.csv"] = (
        csv_bytes(
            [
                row(emerging_issue="1. Scams", action="Brief staff"),
                row(priority="Engagement", emerging_issue="1. Scams", action="Hold sessions"),
            ]
        ),
        'Row 3, emerging_issue: "Scams" is under the priority "Safeguarding" on row 2.',
    )
    c["reference-too-long.csv"] = (
        csv_bytes(rows_with(4, action_ref="A" * 21)),
        "Row 4, action_ref: is 21 characters long; the most it may hold is 20.",
    )
    c["priority-too-long.csv"] = (
        csv_bytes(rows_with(2, priority="Safeguarding " * 24)),
        "Row 2, priority: is 311 characters long; the most it may hold is 300.",
    )
    c["same-new-abbreviation.csv"] = (
        csv_bytes(
            [
                row(action="One", lead_agency="Foxhole Trust (FX)"),
                row(action="Two", lead_agency="Fenland Exchange (FX)"),
            ]
        ),
        'Row 3, lead_agency: the abbreviation "FX" is given to two new agencies.',
    )
    c["reference-twice-in-issue.csv"] = (
        csv_bytes(
            [
                row(emerging_issue="1) Tackling ASB", action_ref="1.1.a", action="One"),
                row(emerging_issue="1) Tackling ASB", action_ref="a", action="Two"),
            ]
        ),
        'Row 3, action_ref: the action on row 2 already has the reference "a"',
    )
    c["thanet-period-changed.csv"] = (
        csv_bytes(
            [
                row(
                    plan_title=PLAN,
                    period_start="2015-04-02",
                    period_end="2016-03-31",
                    action_ref="1",
                    action="Strengthen links",
                )
            ]
        ),
        'Row 2, period_start: the plan "Community Safety Plan 2015/2016" runs from 1 April '
        "2015 to 31 March 2016; the file says 2 April 2015.",
    )
    c["thanet-issue-moved.csv"] = (
        csv_bytes(
            [
                row(
                    plan_title=PLAN,
                    period_start="2015-04-01",
                    period_end="2016-03-31",
                    priority="Engagement",
                    emerging_issue="Sharing good practice amongst partners on Domestic Abuse",
                    action_ref="7",
                    action="Produce e-learning package",
                )
            ]
        ),
        "The import does not move an emerging issue to another priority.",
    )
    c["formula-as-date.xlsx"] = (
        xlsx_bytes(rows_with(3, target_date="=TODAY()")),
        'Row 3, target_date: "=TODAY()" is not a date.',
    )
    c["formula-text-as-status.csv"] = (
        csv_bytes(rows_with(4, status="=1+1")),
        'Row 4, status: "=1+1" is not a status the import knows.',
    )
    c["plus-as-date.csv"] = (
        csv_bytes(rows_with(2, period_start="+2016-04-01")),
        'Row 2, period_start: "+2016-04-01" is not a date.',
    )
    c["at-as-date.csv"] = (
        csv_bytes(rows_with(5, target_date="@SUM(A1)")),
        'Row 5, target_date: "@SUM(A1)" is not a date.',
    )
    c["minus-as-date.csv"] = (
        csv_bytes(rows_with(6, target_date="-1")),
        'Row 6, target_date: "-1" is not a date.',
    )
    c["error-cell.xlsx"] = (
        xlsx_bytes(rows_with(7, action="#REF!")),
        'Row 7, action: the cell shows the spreadsheet error "#REF!".',
    )
    c["merged-across-columns.xlsx"] = (
        xlsx_bytes(rows_with(3), build=_merge_across),
        "Row 3: cells are merged across several columns.",
    )
    c["several-sheets.xlsx"] = (
        xlsx_bytes(GOOD, build=_two_sheets),
        'The workbook has 2 sheets ("Plan", "Notes").',
    )
    c["truncated.xlsx"] = (
        xlsx_bytes(GOOD)[:2000],
        "The file could not be opened as an Excel workbook.",
    )
    c["zip-of-text.xlsx"] = (
        _zip({"notes.txt": b"not a workbook"}),
        "The file could not be opened as an Excel workbook.",
    )
    c["word-document.xlsx"] = (
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
        "This is a Word document.",
    )
    c["old-excel.xls"] = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "This is an Excel 97–2003 workbook (.xls) or a password-protected one.",
    )
    c["renamed-pdf.csv"] = (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "This is a PDF.")
    c["binary.csv"] = (
        bytes(range(256)) * 4,
        "This is not a CSV file or an Excel workbook.",
    )
    c["not-windows-1252.csv"] = (
        csv_bytes(GOOD).replace(b"Map support", b"Map \x81\x8d support"),
        "could not be read as UTF-8 or Windows-1252.",
    )
    c["bom-but-not-utf8.csv"] = (
        codecs.BOM_UTF8 + csv_bytes(GOOD).replace(b"Map support", b"Map \xe9 support"),
        "The file says it is UTF-8 but is not.",
    )
    c["stray-quote.csv"] = (
        csv_bytes(GOOD) + f'{THANET},"Imported Plan" 2016,2016-04-01\r\n'.encode(),
        "Row 4: the file could not be read as CSV",
    )
    c["unclosed-quote.csv"] = (
        csv_bytes(GOOD) + f'{THANET},"Imported Plan 2016/17,2016-04-01\r\n'.encode(),
        "Row 4: the file could not be read as CSV",
    )
    return c


#: Made by the test itself: too big to keep in the repository.
GENERATED = {
    "over-5-mb.csv": "the import takes files up to 5 MB. Split the plan into smaller files",
    "too-many-rows.csv": "The file has more than 5,000 rows; the import takes up to 5,000.",
    "unpacks-too-large.xlsx": "The workbook unpacks to 61 MB, more than the import reads",
}


def generated(name: str) -> bytes:
    if name == "over-5-mb.csv":
        filler = row(action="x" * 1000)
        return csv_bytes([{**filler, "action_ref": str(n)} for n in range(5200)])
    if name == "too-many-rows.csv":
        return csv_bytes(
            [row(action_ref=str(n), action=f"A{n}") for n in range(1, 5002)], header=HEADER[:8]
        )
    if name == "unpacks-too-large.xlsx":
        book = xlsx_bytes(GOOD)
        with zipfile.ZipFile(io.BytesIO(book)) as source:
            files = {n: source.read(n) for n in source.namelist()}
        files["xl/media/padding.bin"] = b"\x00" * (61 * 1024 * 1024)
        return _zip(files)
    raise KeyError(name)


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.iterdir():
        old.unlink()
    expected = {}
    for name, (content, message) in sorted(cases().items()):
        (CORPUS / name).write_bytes(content)
        expected[name] = message
    expected.update(GENERATED)
    text = json.dumps(expected, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    (CORPUS / "expected.json").write_text(text, encoding="utf-8")
    print(f"{len(expected)} bad files described in {CORPUS / 'expected.json'}")


if __name__ == "__main__":
    import django

    django.setup()
    main()
