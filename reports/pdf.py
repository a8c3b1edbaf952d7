"""The only module that imports WeasyPrint: HTML from a Django template into PDF bytes.

Documents fetch nothing: styles come from disk, charts are inline SVG, images are data:
URIs and fonts are installed. Any other URL raises, so a stray link fails a test rather
than a councillor's download.

Laying out a long document takes seconds, so each PDF is kept (DocumentStore) under a hash
of everything it is made from: the HTML, the stylesheets' contents and the versions of
WeasyPrint and pydyf. The same HTML always gives the same PDF, so a document
whose content has not changed (a plan as agreed, a report as at a past round) is served
from the cache, and any change to what it shows (an update, an edit, a reader who may see
less) is a different hash and a fresh layout. Nothing is ever invalidated by hand.
"""

import functools
import hashlib
import logging
import os
import tempfile
from pathlib import Path

import pydyf
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
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


@functools.cache
def _file_digest(path: str, modified_ns: int, size: int) -> str:
    """A stylesheet's content hash, read once per version of the file."""
    with open(path, "rb") as sheet:
        return hashlib.file_digest(sheet, "sha256").hexdigest()


def _sheet_digest(name: str) -> str:
    path = _sheet_path(name)
    stat = os.stat(path)
    return _file_digest(path, stat.st_mtime_ns, stat.st_size)


#: Raise when this module changes how the same HTML becomes a PDF (so kept ones go).
RENDERING = 1


def document_key(html: str, stylesheets: tuple[str, ...]) -> str:
    """A hash of everything a PDF is made from: its HTML, each stylesheet's content,
    WeasyPrint's and pydyf's versions and this module's way of writing it."""
    digest = hashlib.sha256()
    for part in (str(RENDERING), weasyprint.__version__, pydyf.__version__):
        digest.update(part.encode() + b"\0")
    for name in stylesheets:
        digest.update(f"{name}\0{_sheet_digest(name)}\0".encode())
    digest.update(html.encode("utf-8"))
    return digest.hexdigest()


class DocumentStore:
    """Laid-out PDFs as files named by their document_key, in settings.DOCUMENT_CACHE_DIR.

    Plain bytes, never unpickled: a file that is not a whole PDF (cut short, or put there by
    something else) is ignored and replaced. Written to a temporary name and renamed, so a
    reader never sees half a file. The oldest beyond settings.DOCUMENT_CACHE_ENTRIES go.
    Nothing here stops a download: a store it cannot read or write is logged and skipped.
    """

    def __init__(self, directory, entries: int):
        self.directory = Path(directory)
        self.entries = entries

    def get(self, key: str) -> bytes | None:
        try:
            content = (self.directory / f"{key}.pdf").read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            logger.warning("Could not read a kept PDF; laying it out again.", exc_info=True)
            return None
        if content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF"):
            return content
        logger.warning("A kept PDF (%s) is damaged; laying it out again.", key)
        return None

    def put(self, key: str, content: bytes) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                dir=self.directory, prefix=".writing-", delete=False
            ) as part:
                part.write(content)
            os.replace(part.name, self.directory / f"{key}.pdf")
            self._cull()
        except OSError:
            logger.warning("Could not keep a PDF in %s.", self.directory, exc_info=True)

    def clear(self) -> None:
        """Forget every kept PDF (the benchmark lays documents out from nothing)."""
        for path in self.directory.glob("*.pdf"):
            path.unlink(missing_ok=True)

    def _cull(self) -> None:
        kept = sorted(self.directory.glob("*.pdf"), key=lambda p: p.stat().st_mtime_ns)
        for path in kept[: max(0, len(kept) - self.entries)]:
            path.unlink(missing_ok=True)


def document_store() -> DocumentStore:
    return DocumentStore(settings.DOCUMENT_CACHE_DIR, settings.DOCUMENT_CACHE_ENTRIES)


def write_pdf(html: str, stylesheets: tuple[str, ...] = ("css/print.css",)) -> bytes:
    """Lay the HTML out as a tagged A4 PDF with the static stylesheets named (none kept)."""
    sheets = [stylesheet(name) for name in stylesheets]
    document = HTML(string=html, url_fetcher=NO_NETWORK, base_url=None)
    return document.write_pdf(stylesheets=sheets, pdf_variant="pdf/ua-1")


class TooLargeToLayOut(Exception):
    """The document would take longer to lay out than a request may: nothing was laid out."""

    def __init__(self, elements: int):
        super().__init__(f"The document has {elements:,} elements to lay out.")
        self.elements = elements


def layout_elements(html: str) -> int:
    """How many elements the HTML opens: what laying it out costs grows with this."""
    return html.count("<") - html.count("</")


def check_layout_budget(html: str) -> None:
    """Refuse, before any layout, a document past settings.PDF_LAYOUT_MAX_ELEMENTS.

    WeasyPrint cannot be stopped part way, so the time a layout would take is estimated from
    the number of elements (some 100 to 300 a second on a 2-core machine, busy or not; see
    the setting), and a document that would run past the budget is refused.
    """
    elements = layout_elements(html)
    if elements > settings.PDF_LAYOUT_MAX_ELEMENTS:
        raise TooLargeToLayOut(elements)


def render_pdf(
    template_name: str, context: dict, *, request=None, stylesheets=(), before_layout=None
) -> bytes:
    """Render the template and lay it out as a tagged A4 PDF: print.css, then `stylesheets`
    (static paths such as "css/print-dashboard.css") for a document's own rules. The same
    HTML is laid out once: after that it comes from the document store.

    A fresh layout is first checked against the time budget (TooLargeToLayOut), then
    `before_layout()` is called (the page's rate limit, which may raise); a kept PDF costs
    nothing and is served whatever either would say."""
    html = render_to_string(template_name, context, request=request)
    names = ("css/print.css", *stylesheets)
    key = document_key(html, names)
    store = document_store()
    content = store.get(key)
    if content is None:
        check_layout_budget(html)
        if before_layout is not None:
            before_layout()
        content = write_pdf(html, names)
        store.put(key, content)
    return content
