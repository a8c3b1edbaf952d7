"""A councillor finds the plan's papers in a real browser: downloads, period choice, the report
as a web page with its charts; axe finds nothing."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


def test_councillor_chooses_a_period_and_downloads_the_papers(sign_in, site):
    page = sign_in("thanet-councillor")
    page.goto(site + "/partnerships/thanet/plans/2015-16/")
    page.get_by_role("link", name="Reports and downloads").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports and downloads")
    assert_accessible(page)

    page.get_by_label("Q3 2015/16 (1 October 2015 to 31 December 2015)").check()
    page.get_by_role("button", name="Show the documents").click()
    expect(page).to_have_url(re.compile(r"period=q3"))
    pdf_link = page.get_by_role(
        "link", name="Progress report Q3 2015/16, as at 31 December 2015 (PDF)"
    )
    expect(pdf_link).to_be_visible()
    assert_accessible(page)

    response = page.request.get(site + pdf_link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert "thanet-csp-progress-2015-16-q3.pdf" in response.headers["content-disposition"]
    assert response.body().startswith(b"%PDF-")

    xlsx = page.get_by_role("link", name="Spreadsheet (XLSX)")
    with page.expect_download() as download:
        xlsx.click()
    assert download.value.suggested_filename == "thanet-csp-actions-2015-16-q3.xlsx"


def test_a_date_that_is_not_a_date_is_explained(sign_in, site):
    page = sign_in("thanet-councillor")
    page.goto(site + "/partnerships/thanet/plans/2015-16/reports/")
    page.get_by_label("Or as at a date").fill("31/13/2015")
    page.get_by_role("button", name="Show the documents").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid date.")
    assert_accessible(page)


def test_the_progress_report_page_reads_with_its_charts(page, site):
    page.goto(site + "/partnerships/thanet/plans/2015-16/reports/progress/?period=q3")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Progress report")
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("Proposed Actions by status"))
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 100  # drawn, not a black box or nothing
    expect(page.get_by_text("Of the 4 priorities, there are 12 emerging issues")).to_be_visible()
    assert_accessible(page)
