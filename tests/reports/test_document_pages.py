"""The downloads page and the progress report page: who may see them, what they offer, and a
query count that does not grow with the plan."""

import pytest
from django.urls import reverse

from plans.services import publish_plan
from tests.conftest import ROLES, count_queries
from tests.factories import make_action, make_agency, make_measure
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

MEMBERS_ONLY = {**dict.fromkeys(ROLES, 200), "anonymous": 404, "outsider": 404}
ALL_200 = dict.fromkeys(ROLES, 200)


NAMES = ["index", "plan pdf", "progress", "progress pdf", "export csv", "export xlsx"]


def urls(plan) -> dict[str, str]:
    args = [plan.partnership.slug, plan.slug]
    return {
        "index": reverse("reports:index", args=args),
        "plan pdf": reverse("reports:plan-pdf", args=args),
        "progress": reverse("reports:progress", args=args) + "?period=q3",
        "progress pdf": reverse("reports:progress-pdf", args=args) + "?on=2015-12-01",
        "export csv": reverse("reports:export", args=[*args, "csv"]),
        "export xlsx": reverse("reports:export", args=[*args, "xlsx"]) + "?period=q2",
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", [n for n in NAMES if n != "progress pdf"])
def test_role_gets_the_documents_of_the_plans_it_may_read(name, role, year, as_role):
    """The progress PDF's answer per role is checked, with its words, in test_document_pdfs."""
    response = as_role(role).get(urls(year.plan)[name])
    assert response.status_code == MEMBERS_ONLY[role], (name, role)


@pytest.mark.parametrize("role", ROLES)
def test_everyone_gets_the_documents_of_a_published_plan(role, year, as_role):
    plan = publish_plan(plan=year.plan, by=None)
    client = as_role(role)
    for name, url in urls(plan).items():
        if name in {"plan pdf", "progress pdf"}:
            continue  # the PDFs are rendered per reader in test_document_pdfs
        assert client.get(url).status_code == 200, (name, role)


def test_index_lists_the_documents_with_file_names(year, councillor_client):
    plan = year.plan
    response = councillor_client.get(urls(plan)["index"], {"period": "q2"})
    page = text_of(response)
    stem = plan.partnership.short_name.lower().replace(" ", "-")
    assert f"{stem}-plan-{plan.slug}.pdf" in page
    assert f"{stem}-progress-{plan.slug}-q2.pdf" in page
    assert f"{stem}-actions-{plan.slug}-q2.xlsx" in page
    assert "Progress report Q2 2015/16, as at 30 September 2015" in page
    html = response.content.decode()
    assert (
        f"{reverse('reports:progress-pdf', args=[plan.partnership.slug, plan.slug])}?period=q2"
        in html
    )
    assert 'value="q2"' in html and "checked" in html


def test_index_offers_only_periods_that_have_started(year, councillor_client):
    page = text_of(councillor_client.get(urls(year.plan)["index"]))
    assert "Q3 2015/16 (1 October 2015 to 31 December 2015)" in page
    assert "Q4 2015/16" not in page


def test_index_takes_a_date_instead_of_a_period(year, councillor_client):
    response = councillor_client.get(urls(year.plan)["index"], {"period": "q3", "on": "14/08/2015"})
    assert response.status_code == 200
    assert "Progress report as at 14 August 2015" in text_of(response)
    assert "?on=2015-08-14" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/13/2015", "Enter a valid date."),
        ("21/12/2015", "The date must be today or in the past."),
    ],
)
def test_index_explains_a_date_it_cannot_use(year, councillor_client, value, message):
    response = councillor_client.get(urls(year.plan)["index"], {"on": value})
    assert response.status_code == 422
    page = text_of(response)
    assert "There is a problem" in page
    assert message in page


@pytest.mark.parametrize(
    "query", ["?period=q9", "?period=q4", "?on=2015-12-21", "?on=not-a-date", "?recorded=soon"]
)
def test_a_document_that_cannot_exist_is_not_found(year, councillor_client, query):
    url = reverse("reports:progress", args=[year.plan.partnership.slug, year.plan.slug])
    assert councillor_client.get(url + query).status_code == 404


def test_progress_page_shows_summary_exceptions_changes_and_each_action(year, councillor_client):
    response = councillor_client.get(urls(year.plan)["progress"])
    page = text_of(response)
    for words in [
        "Progress report Q3 2015/16, as at 20 December 2015",
        "Of the 2 priorities, there are 2 emerging issues with 4 actions",
        "Exceptions",
        "Overdue (target date 1 November 2015)",
        "Changes since Q2 2015/16",
        "Supplier failed.",
        "10 cameras in use – 4 of 10 (40%), read 2 November 2015",
        "RAG: Red",
        "Draft strategy shared with partners.",
    ]:
        assert words in page, words
    html = response.content.decode()
    assert 'role="img"' in html  # the charts, each with its words
    assert "<style" not in html.split("<body", 1)[1]  # nothing the CSP would block
    assert " style=" not in html


def test_progress_page_links_to_its_exact_version(year, councillor_client):
    html = councillor_client.get(urls(year.plan)["progress"]).content.decode()
    assert "recorded=2015-12-20T10%3A00%3A00%2B00%3A00" in html


def test_plan_page_links_to_its_reports(year, councillor_client):
    html = councillor_client.get(year.plan.get_absolute_url()).content.decode()
    assert urls(year.plan)["index"] in html


def _grow(year):
    for _ in range(8):
        action = make_action(
            issue=year.mapping.issue, support_agencies=[make_agency(), make_agency()]
        )
        make_measure(action=action, is_numeric=True, target=5)


@pytest.mark.parametrize("name", ["index", "progress", "progress pdf", "plan pdf"])
def test_document_query_count_does_not_grow_with_actions(year, coordinator_client, name):
    url = urls(year.plan)[name]
    one = count_queries(coordinator_client, url)
    _grow(year)
    assert count_queries(coordinator_client, url) == one


def test_progress_report_reads_in_a_fixed_budget(
    year, coordinator_client, django_assert_num_queries
):
    url = urls(year.plan)["progress"]
    coordinator_client.get(url)  # session and memberships warmed
    # session, user, the demo-account check, the second factor's device, memberships, plan,
    # periods, actions as at (one query with subqueries), support agencies, measures as at,
    # latest updates, priorities, their issues, issue ticks, sections, glossary, contacts.
    with django_assert_num_queries(17):
        coordinator_client.get(url)
