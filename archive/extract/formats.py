"""Extractors, one per format: bytes in, the text of each page (or sheet, or the whole
document as one part) out. They run in a child process (see archive.extract.confined), so
they may be slow or greedy: the process's limits stop them. Each stops itself at `MAX_CHARS`
and `MAX_PAGES`; a document it cannot read raises ValueError with the reason."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from archive.budget import OverBudget
from archive.charsets import decode_bytes
from archive.html_text import html_to_text

MAX_CHARS = 500_000  # of text kept per attachment: a 300-page report has about 600,000
MAX_PAGES = 300  # of a PDF read (the rest is left out, and said to be)

Pages = list[str]


class Budget:
    """Counts the characters taken; the extractors stop once it is spent."""

    def __init__(self, chars: int = MAX_CHARS) -> None:
        self.left = chars

    def take(self, text: str) -> str:
        kept = text[: max(self.left, 0)]
        self.left -= len(text)
        return kept

    @property
    def spent(self) -> bool:
        return self.left <= 0


def pdf_pages(data: bytes) -> Pages:
    """The text layer of each page; an encrypted PDF is refused (we hold no password)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise ValueError("encrypted PDF")
        budget, pages = Budget(), []
        for number, page in enumerate(reader.pages):
            if number >= MAX_PAGES or budget.spent:
                break
            pages.append(budget.take(page.extract_text() or ""))
    except (PdfReadError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise ValueError(f"unreadable PDF: {type(error).__name__}") from error
    return pages


def _opens_without_password(reader: object) -> bool:
    """Many PDFs are 'encrypted' with an empty user password (print restrictions only)."""
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - any failure means we cannot read it
        return False


def docx_pages(data: bytes) -> Pages:
    """Paragraphs and table cells in document order, as one part."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as error:
        raise ValueError(f"not a DOCX document: {type(error).__name__}") from error
    budget, lines = Budget(), []
    body = document.element.body
    for text in _docx_texts(body):
        lines.append(budget.take(text))
        if budget.spent:
            break
    return ["\n".join(lines)]


def _docx_texts(body: object) -> Iterator[str]:
    """Every paragraph's text (tables' cells included) in document order."""
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for paragraph in body.iter(f"{namespace}p"):  # type: ignore[attr-defined]
        text = "".join(node.text or "" for node in paragraph.iter(f"{namespace}t"))
        if text.strip():
            yield text


def xlsx_pages(data: bytes) -> Pages:
    """One part per sheet: its name, then each row's cells separated by tabs."""
    import openpyxl

    _check_package(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise ValueError(f"not an XLSX workbook: {type(error).__name__}") from error
    budget, sheets = Budget(), []
    for sheet in book.worksheets:
        lines = [sheet.title]
        for row in sheet.iter_rows(values_only=True):
            cells = [str(cell) for cell in row if cell is not None and str(cell).strip()]
            if cells:
                lines.append(budget.take("\t".join(cells)))
            if budget.spent:
                break
        sheets.append("\n".join(lines))
        if budget.spent:
            break
    book.close()
    return sheets


def odf_pages(data: bytes) -> Pages:
    """An ODT's paragraphs and headings, or an ODS's cells, as one part per sheet (ODS) or
    one part (ODT)."""
    from odf import opendocument, table, text

    _check_package(data)
    try:
        document = opendocument.load(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError) as error:
        raise ValueError(f"not an OpenDocument file: {type(error).__name__}") from error
    budget = Budget()
    sheets = document.body.getElementsByType(table.Table) if _is_sheet(document) else []
    if sheets:
        return [_odf_part(sheet, text.P, budget, sheet.getAttribute("name")) for sheet in sheets]
    return [_odf_part(document.text, (text.H, text.P), budget)]


def _is_sheet(document: Any) -> bool:
    return "spreadsheet" in str(document.mimetype)


def _odf_part(root: Any, kinds: Any, budget: Budget, name: str | None = None) -> str:
    """The text of each element of `kinds` (ODF classes) under `root`, a line each."""
    from odf import teletype

    lines = [name] if name else []
    for kind in kinds if isinstance(kinds, tuple) else (kinds,):
        for element in root.getElementsByType(kind):
            line = teletype.extractText(element).strip()
            if line:
                lines.append(budget.take(line))
            if budget.spent:
                return "\n".join(lines)
    return "\n".join(lines)


def text_pages(data: bytes) -> Pages:
    return [Budget().take(decode_bytes(data[: MAX_CHARS * 4], None)[0])]


def html_pages(data: bytes) -> Pages:
    html = decode_bytes(data[: MAX_CHARS * 8], None)[0]
    return [Budget().take(html_to_text(html))]


def _check_package(data: bytes) -> None:
    """A zip package is measured before any library unpacks it (zip bombs, XML bombs)."""
    from archive.document_limits import DocumentLimits, check_package

    check_package(data, DocumentLimits())


EXTRACTORS: dict[str, Callable[[bytes], Pages]] = {
    "pdf": pdf_pages,
    "docx": docx_pages,
    "xlsx": xlsx_pages,
    "odf": odf_pages,
    "text": text_pages,
    "html": html_pages,
}

__all__ = ["EXTRACTORS", "MAX_CHARS", "MAX_PAGES", "OverBudget", "Pages"]
