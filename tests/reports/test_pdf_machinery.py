"""reports/pdf.py: the one place WeasyPrint is called, and its fix to pydyf's page list."""

import pydyf
from django.template.loader import render_to_string
from django.test import override_settings

from reports import pdf
from tests.reports.pdf_reading import pdf_info, pdf_pages

HTML = "".join(
    f"<section><h2>Part {n}</h2><p>{'Words of the report. ' * 400}</p></section>" for n in range(6)
)


def render() -> bytes:
    """Laid out each time: write_pdf, not render_pdf, which would serve the second from the
    documents cache."""
    html = render_to_string("reports/_pdf_machinery_test.html", {"body": HTML})
    return pdf.write_pdf(html)


@override_settings(
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {
                            "reports/_pdf_machinery_test.html": (
                                '<html lang="en-GB"><head><title>Machinery</title></head>'
                                '<body class="document">{{ body|safe }}</body></html>'
                            )
                        },
                    )
                ]
            },
        }
    ]
)
def test_cached_page_references_write_the_same_tagged_pdf(monkeypatch):
    fast = render()
    monkeypatch.setattr(pydyf.PDF, "page_references", pdf.PYDYF_PAGE_REFERENCES)
    slow = render()
    assert pdf_pages(fast) > 5
    assert pdf_info(fast)["Tagged"] == "yes"
    assert fast == slow
