"""The cast of the import and meeting tests, for the security events they cause."""

from tests.imports.conftest import thanet_client, thanet_coordinator  # noqa: F401
from tests.meetings.conftest import body, meeting, next_meeting, person  # noqa: F401
from tests.meetings.test_restricted import scene  # noqa: F401


def tiny_pdf() -> bytes:
    """A real one-page PDF, for tests that count layouts without WeasyPrint's seconds (the
    agenda pack merges its parts, so they must be readable)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
