"""Reading PDFs back in the document tests: their words, pages and document information."""

import re
import subprocess
import zlib


def pdf_text(content: bytes) -> str:
    """The words of a PDF as pdftotext reads them, spacing folded."""
    assert content.startswith(b"%PDF-")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


def pdf_pages(content: bytes) -> int:
    """The number of pages, as pdfinfo counts them."""
    result = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    for line in result.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")


def pdf_info(content: bytes) -> dict[str, str]:
    """The PDF's document information (Title, Author, Tagged…)."""
    result = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    info = {}
    for line in result.stdout.decode().splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def pdf_objects(content: bytes) -> bytes:
    """The PDF's objects with their compressed streams inflated (to find /Lang, /Title…)."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n", content):
        try:
            parts.append(zlib.decompressobj().decompress(content[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def unhyphenated(text: str) -> str:
    """Text without hyphens: pdftotext joins a word hyphenated at a line end ("co-ordinate")."""
    return text.replace("-", "")


def pdf_page_lines(content: bytes) -> list[list[str]]:
    """Each page's lines as pdftotext reads them (blank lines dropped), the first page first."""
    assert content.startswith(b"%PDF-")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    pages = result.stdout.decode("utf-8").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [
        [" ".join(line.split()) for line in page.splitlines() if line.strip()] for page in pages
    ]
