"""The only module that imports WeasyPrint: HTML from a Django template into PDF bytes.

Documents fetch nothing: styles come from disk, charts are inline SVG, images are data:
URIs and fonts are installed. Any other URL raises, so a stray link fails a test rather
than a councillor's download.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, URLFetcher

NO_NETWORK = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


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
