"""The only module that imports WeasyPrint: HTML from a Django template into PDF bytes.

Documents fetch nothing: styles come from disk, charts are inline SVG, images are data:
URIs and fonts are installed. Any other URL raises, so a stray link fails a test rather
than a councillor's download.
"""

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


pydyf.PDF.page_references = property(_page_references)


def render_pdf(template_name: str, context: dict, *, request=None, stylesheets=()) -> bytes:
    """Render the template and lay it out as a tagged A4 PDF: print.css, then `stylesheets`
    (static paths such as "css/print-dashboard.css") for a document's own rules."""
    html = render_to_string(template_name, context, request=request)
    sheets = [
        CSS(filename=finders.find(name), url_fetcher=NO_NETWORK)
        for name in ("css/print.css", *stylesheets)
    ]
    document = HTML(string=html, url_fetcher=NO_NETWORK, base_url=None)
    return document.write_pdf(stylesheets=sheets, pdf_variant="pdf/ua-1")
