"""PDF files as bytes: whether an upload really is one, how many pages it has, and one PDF
made of several (an agenda pack). pypdf reads and merges; WeasyPrint (reports/pdf.py) lays
documents out."""

import io
import logging

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError, PyPdfError

logger = logging.getLogger(__name__)

#: Every PDF starts with these bytes.
PDF_MAGIC = b"%PDF-"


class NotAPdf(ValueError):
    """The bytes are not a PDF that can be read and merged; the message says why."""


def page_count(content: bytes) -> int:
    """The number of pages of a PDF; NotAPdf if it is not one, is damaged, has a password
    or has no pages."""
    if not content.startswith(PDF_MAGIC):
        raise NotAPdf("The file is not a PDF.")
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise NotAPdf("The PDF is protected by a password; upload one without.")
        pages = len(reader.pages)
    except NotAPdf:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        logger.info("An uploaded PDF could not be read: %s", error)
        raise NotAPdf("The PDF is damaged and cannot be read.") from None
    if pages == 0:
        raise NotAPdf("The PDF has no pages.")
    return pages


def merge(parts: list[bytes]) -> bytes:
    """One PDF of the parts' pages in order."""
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
