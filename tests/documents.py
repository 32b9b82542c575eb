"""Office documents and PDFs made in tests, with the words a test searches for."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl
from fpdf import FPDF

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def pdf(pages: list[str], password: str | None = None) -> bytes:
    """A PDF with a text layer, one string per page (Vietnamese needs DejaVu Sans; without
    it the text is folded to ASCII, which search finds all the same)."""
    document = FPDF()
    if FONT.exists():
        document.add_font("DejaVu", "", str(FONT))
        document.set_font("DejaVu", size=12)
    else:
        document.set_font("Helvetica", size=12)
    for text in pages:
        document.add_page()
        document.multi_cell(0, 8, text if FONT.exists() else _ascii(text))
    if password is not None:
        document.set_encryption(owner_password=password, user_password=password)
    return bytes(document.output())


def scanned_pdf(image_png: bytes) -> bytes:
    """A PDF whose one page is an image and nothing else, as a scanner makes it."""
    document = FPDF()
    document.add_page()
    document.image(io.BytesIO(image_png), x=0, y=0, w=210)
    return bytes(document.output())


def docx_file(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_file(rows: list[list[str]], title: str = "Sheet1") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ascii(text: str) -> str:
    from archive.folding import fold

    return fold(text)
