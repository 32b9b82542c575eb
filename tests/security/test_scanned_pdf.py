"""Scanned PDFs (a page image, no text layer): read by OCR when Tesseract with Vietnamese is
installed, else recorded as a scan that search cannot find."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, ImageFont

from archive.extract.ocr import OcrLimits, tesseract
from archive.extract.outcome import Status, read_attachment
from archive.folding import fold
from tests.documents import FONT, scanned_pdf

LINES = ["GIẤY MỜI HỌP", "Kính mời đại diện các trường", "dự hội nghị tuyển sinh lớp 10"]


def scanned_page() -> bytes:
    """A page as a scanner gives it: black text on white, 150 dpi, no text layer."""
    page = Image.new("L", (1240, 600), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 44)
    for number, line in enumerate(LINES):
        draw.text((80, 80 + number * 90), line, fill=0, font=font)
    out = io.BytesIO()
    page.save(out, format="PNG")
    return out.getvalue()


needs_font = pytest.mark.skipif(not FONT.exists(), reason="DejaVu Sans is not installed")


@needs_font
@pytest.mark.skipif(tesseract() is None, reason="tesseract with Vietnamese is not installed")
def test_a_scanned_vietnamese_page_is_read_by_ocr() -> None:
    found = read_attachment("giay moi.pdf", "application/pdf", scanned_pdf(scanned_page()))
    assert found.status == Status.OCR
    assert found.unit == "page"
    folded = fold(found.text).lower()
    assert "giay moi hop" in folded
    assert "tuyen sinh" in folded
    assert "tuyển sinh" in found.text  # diacritics read too


@needs_font
def test_without_ocr_a_scan_is_listed_as_not_searchable() -> None:
    pdf = scanned_pdf(scanned_page())
    found = read_attachment("scan.pdf", "application/pdf", pdf, ocr=OcrLimits(max_pages=0))
    assert found.status == Status.SCAN
    assert found.reason == "scan, not searchable"
    assert found.text == ""
