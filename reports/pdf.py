"""The only module that imports WeasyPrint: HTML from a Django template into PDF bytes.

Documents fetch nothing: styles come from disk, charts are inline SVG, images are data:
URIs and fonts are installed. Any other URL raises, so a stray link fails a test rather
than a councillor's download.
"""

import functools
import os

import pydyf
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, URLFetcher

NO_NETWORK = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def _page_references(pdf) -> tuple[bytes, ...]:
    """pydyf's PDF.page_references, built once per page count instead of on every call.

    Tagging a PDF (pdf/ua-1) asks for the list once per tagged box, and pydyf 0.13 rebuilds it
    from every page each time: for a 67-page report, 8,800 lists of 67 references, a fifth
    of the time spent writing the PDF. Pages are only ever appended, so the count says
    whether the cached list is current.
    """
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_csp_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_csp_page_references"] = cached
    return cached[1]


#: pydyf's own property, kept for tests/reports/test_pdf_machinery.py to compare against.
PYDYF_PAGE_REFERENCES = pydyf.PDF.page_references
pydyf.PDF.page_references = property(_page_references)


@functools.cache
def _parsed_stylesheet(path: str, modified: float) -> CSS:
    """A stylesheet parsed once per version of the file (its modification time)."""
    return CSS(filename=path, url_fetcher=NO_NETWORK)


def stylesheet(name: str) -> CSS:
    path = finders.find(name)
    return _parsed_stylesheet(path, os.stat(path).st_mtime)


def render_pdf(template_name: str, context: dict, *, request=None, stylesheets=()) -> bytes:
    """Render the template and lay it out as a tagged A4 PDF: print.css, then `stylesheets`
    (static paths such as "css/print-dashboard.css") for a document's own rules."""
    html = render_to_string(template_name, context, request=request)
    sheets = [stylesheet(name) for name in ("css/print.css", *stylesheets)]
    document = HTML(string=html, url_fetcher=NO_NETWORK, base_url=None)
    return document.write_pdf(stylesheets=sheets, pdf_variant="pdf/ua-1")
