"""The only module that imports WeasyPrint: HTML from a Django template into PDF bytes.

Documents fetch nothing: styles come from disk, charts are inline SVG, images are data:
URIs and fonts are installed. Any other URL raises, so a stray link fails a test rather
than a councillor's download.

Laying out a long document takes seconds, so each PDF is kept in the "documents" cache
under a hash of everything it is made from: the HTML, the stylesheets' versions and the
versions of WeasyPrint and pydyf. The same HTML always gives the same PDF, so a document
whose content has not changed (a plan as agreed, a report as at a past round) is served
from the cache, and any change to what it shows (an update, an edit, a reader who may see
less) is a different hash and a fresh layout. Nothing is ever invalidated by hand.
"""

import functools
import hashlib
import logging
import os
import pickle
import zlib

import pydyf
import weasyprint
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, URLFetcher

logger = logging.getLogger(__name__)

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


def _sheet_path(name: str) -> str:
    path = finders.find(name)
    if path is None:
        raise FileNotFoundError(f"No static file {name}")
    return path


def stylesheet(name: str) -> CSS:
    path = _sheet_path(name)
    return _parsed_stylesheet(path, os.stat(path).st_mtime)


#: Raise when this module changes how the same HTML becomes a PDF (so cached ones go).
RENDERING = 1


def cache_key(html: str, stylesheets: tuple[str, ...]) -> str:
    """A hash of everything a PDF is made from: its HTML, each stylesheet's file and version,
    WeasyPrint's and pydyf's versions and this module's way of writing it."""
    digest = hashlib.sha256()
    for part in (str(RENDERING), weasyprint.__version__, pydyf.__version__):
        digest.update(part.encode() + b"\0")
    for name in stylesheets:
        path = _sheet_path(name)
        digest.update(f"{path}\0{os.stat(path).st_mtime_ns}\0".encode())
    digest.update(html.encode("utf-8"))
    return f"pdf:{digest.hexdigest()}"


#: What a damaged or unreadable cache file raises: the document is laid out again instead.
CACHE_ERRORS = (OSError, EOFError, ValueError, zlib.error, pickle.UnpicklingError)


def write_pdf(html: str, stylesheets: tuple[str, ...] = ("css/print.css",)) -> bytes:
    """Lay the HTML out as a tagged A4 PDF with the static stylesheets named (no cache)."""
    sheets = [stylesheet(name) for name in stylesheets]
    document = HTML(string=html, url_fetcher=NO_NETWORK, base_url=None)
    return document.write_pdf(stylesheets=sheets, pdf_variant="pdf/ua-1")


def render_pdf(template_name: str, context: dict, *, request=None, stylesheets=()) -> bytes:
    """Render the template and lay it out as a tagged A4 PDF: print.css, then `stylesheets`
    (static paths such as "css/print-dashboard.css") for a document's own rules. The same
    HTML is laid out once: after that it comes from the documents cache."""
    html = render_to_string(template_name, context, request=request)
    names = ("css/print.css", *stylesheets)
    key = cache_key(html, names)
    try:
        cached = caches["documents"].get(key)
    except CACHE_ERRORS:
        logger.warning("Could not read a cached PDF; laying it out again.", exc_info=True)
        cached = None
    if cached is not None:
        return cached
    content = write_pdf(html, names)
    try:
        caches["documents"].set(key, content)
    except CACHE_ERRORS:
        logger.warning("Could not keep a PDF in the documents cache.", exc_info=True)
    return content
