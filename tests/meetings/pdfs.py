"""Small PDFs for the papers tests, made with pypdf (what the app merges packs with)."""

import io

from pypdf import PdfWriter


def blank_pdf(pages: int = 1) -> bytes:
    """A real PDF of `pages` blank A4 pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
