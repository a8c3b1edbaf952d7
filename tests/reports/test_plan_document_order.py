"""The plan PDF against the published plans, page by page: the order of the parts, the contents,
every page of a priority's table naming its priority, and no page left with a heading alone.

Read back with pdftotext, so a test fails if the layout breaks what a reader turns the pages to.
"""

import re
import subprocess

import pytest
from django.urls import reverse

from tests.reports.pdf_reading import pdf_page_lines

pytestmark = pytest.mark.django_db

#: The seed plans never change during a run, so each seed's PDF is rendered once.
_pages = {}
_pdfs = {}

THANET_TABLES = [
    "SAFEGUARDING",
    "DRIVERS OF CRIME AND ANTI-SOCIAL BEHAVIOUR",
    "REDUCING RE-OFFENDING",
    "ENGAGEMENT",
]


def page_lines(client, plan) -> list[list[str]]:
    if plan.pk not in _pages:
        url = reverse("reports:plan-pdf", args=[plan.partnership.slug, plan.slug])
        response = client.get(url)
        assert response.status_code == 200
        _pdfs[plan.pk] = response.content
        _pages[plan.pk] = pdf_page_lines(response.content)
    return _pages[plan.pk]


def body(page: list[str]) -> list[str]:
    """A page without its running header (first line) and its "Page x of y" footer."""
    return [line for line in page[1:] if not re.fullmatch(r"Page \d+ of \d+", line)]


def first_page(pages, line: str) -> int:
    """The number (from 1) of the first page whose body has `line` as a line of its own."""
    for number, page in enumerate(pages, start=1):
        if line in body(page):
            return number
    raise AssertionError(f"{line!r} is on no page")


def contents(content: bytes) -> list[str]:
    """The contents page's entries as laid out (number and title), page numbers left off."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", "2", "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    lines = [" ".join(line.split()) for line in result.stdout.decode().splitlines()]
    lines = [line for line in lines[lines.index("Contents") + 1 :] if line]
    return [re.sub(r" \d+$", "", line) for line in lines if not line.startswith("Page ")]


def after_contents(pages) -> str:
    """The words of the pages after the contents, a line a line."""
    start = first_page(pages, "Contents")
    return "\n".join("\n".join(body(page)) for page in pages[start:])


def test_thanets_parts_come_in_the_published_plans_order(client, thanet_plan):
    pages = page_lines(client, thanet_plan)
    text = after_contents(pages)
    order = [
        "5 Priorities for 2015/16",
        "Safeguarding",
        "Reducing re-offending",
        "Drivers of Crime and Anti-Social Behaviour",
        "Engagement",
        "Monitoring the plan",
        "6 Actions",
        *THANET_TABLES,
        "i Partnership structure",
        "ii Useful Phone Numbers",
        "iii Glossary of terms",
    ]
    positions = [re.search(rf"^{re.escape(line)}$", text, re.M) for line in order]
    assert all(positions), [line for line, found in zip(order, positions, strict=True) if not found]
    starts = [found.start() for found in positions]
    assert starts == sorted(starts), order
    # The narratives sit in section 5, before the tables: each is followed by its words.
    assert "Safeguarding\nWe recognise the need to protect those most vulnerable" in text
    assert "Reducing re-offending\nA lot of offences are committed repeatedly" in text


def test_thanets_contents_list_its_sections_and_appendices_once(client, thanet_plan):
    page_lines(client, thanet_plan)
    assert contents(_pdfs[thanet_plan.pk]) == [
        "1 Foreword",
        "2 Background and context",
        "3 Key achievements for 2014/15",
        "4 How does it all work?",
        "5 Priorities for 2015/16",
        "6 Actions",
        "Appendices",
        "i Partnership structure",
        "ii Useful Phone Numbers",
        "iii Glossary of terms",
    ]


def test_thanets_phone_numbers_and_glossary_are_its_appendices(client, thanet_plan):
    pages = page_lines(client, thanet_plan)
    text = after_contents(pages)
    assert "Useful contacts" not in text
    phones = first_page(pages, "ii Useful Phone Numbers")
    assert "Thanet District Council" in body(pages[phones - 1])
    glossary = " ".join(text[text.index("iii Glossary of terms") :].split())
    terms = ["ASBO", "ABA", "Child Sexual Exploitation (CSE)", "Youth Offending Team"]
    assert [glossary.index(term) for term in terms] == sorted(glossary.index(t) for t in terms)
    assert "Multi Agency Risk Assessment Conference (MARAC)" in glossary


def test_every_page_of_a_priority_table_names_the_priority_and_repeats_the_header(
    client, thanet_plan
):
    pages = page_lines(client, thanet_plan)
    tables = range(first_page(pages, "6 Actions"), first_page(pages, "i Partnership structure"))
    assert len(tables) >= len(THANET_TABLES)
    current = None
    for number in tables:
        page = pages[number - 1]
        starting = [heading for heading in THANET_TABLES if heading in body(page)]
        current = starting[-1] if starting else current
        assert current and page[0].endswith(f"· {current}"), (number, page[0])
        assert "Emerging issue" in page and "Proposed Actions" in page, number


@pytest.mark.parametrize("seed", ["thanet_plan", "ashford_plan", "medway_plan"])
def test_no_page_ends_on_a_heading_or_an_introduction_to_what_follows(client, seed, request):
    plan = request.getfixturevalue(seed)
    pages = page_lines(client, plan)
    headings = {s.title for s in plan.sections.all()} | {
        f"{s.number} {s.title}" for s in plan.sections.all()
    }
    headings |= {p.title for p in plan.priorities.all()} | {
        p.heading for p in plan.priorities.all()
    }
    for number, page in enumerate(pages[1:], start=2):
        lines = body(page)
        assert lines, f"page {number} is blank"
        assert not lines[-1].endswith(":"), (number, lines[-1])
        assert lines[-1] not in headings, (number, lines[-1])
        assert not set(lines) <= headings, f"page {number} holds only a heading: {lines}"


def test_thanets_monitoring_shares_its_page_with_the_last_narrative(client, thanet_plan):
    pages = page_lines(client, thanet_plan)
    page = body(pages[first_page(pages, "Monitoring the plan") - 1])
    assert "Improve information sharing amongst the partners" in " ".join(page)
    intro = body(pages[first_page(pages, "5 Priorities for 2015/16") - 1])
    assert "Safeguarding" in intro  # "…the new priorities will include:" keeps what follows


def test_ashford_reads_as_its_report_then_its_plan(client, ashford_plan):
    pages = page_lines(client, ashford_plan)
    entries = contents(_pdfs[ashford_plan.pk])
    assert entries[0].startswith("Ashford Community Safety Partnership: an update on the new")
    assert entries[-2:] == ["5) Tactical Delivery Plans", "Glossary"]
    assert "Useful contacts" not in entries
    text = after_contents(pages)
    order = [
        "4) The Priorities",
        "Why is domestic abuse a priority?",
        "Why is violent crime a priority?",
        "5) Tactical Delivery Plans",
        "Priority: Domestic Abuse",
        "Violent Crime",
        "Glossary",
    ]
    start = 0
    for line in order:  # each after the one before
        start = text.index(f"\n{line}\n", start)
    # The note on Community Resolution Panels is printed under the ASB table, as in the plan.
    tables = text.index("\n5) Tactical Delivery Plans\n")
    asb = text.index("\nAnti-social behaviour and environmental crime\n", tables)
    assert text.index("What is a Community Resolution Panel?") > asb


def test_medways_footnotes_follow_their_tables_and_the_gang_strategy_runs_on(client, medway_plan):
    pages = page_lines(client, medway_plan)
    text = " ".join(after_contents(pages).split())
    assert text.index("Objective") < text.index("* Medway Council's 'Regeneration")
    gangs = "Combating youth gang violence – the Kent and Medway"
    assert text.count("Kent and Medway Gang Strategy is added as Appendix 1.") == 1
    page = next(body(p) for p in pages if any(line.startswith(gangs) for line in body(p)))
    assert len(page) > 5  # it shares the page with the table before it
