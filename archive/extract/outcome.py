"""What reading one attachment came to: its text, page by page, or why there is none."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from archive.budget import Limits, OverBudget, run_limited
from archive.extract.confined import PAGE_BREAK, ExtractLimits, extract_pages, kind_of
from archive.extract.ocr import OcrLimits, ocr_image, tesseract
from archive.legacy_vietnamese import to_unicode


class Status(StrEnum):
    WORKING = "working"  # claimed by a worker, not done yet
    TEXT = "text"  # read from the document's text
    OCR = "ocr"  # read from page images by OCR
    SCAN = "scan"  # a scan, no OCR here: not searchable
    SKIPPED = "skipped"  # not extracted: `reason` says why (encrypted, too big, broken)
    NONE = "none"  # a format without text (images, archives)


SEARCHABLE = (Status.TEXT, Status.OCR)
UNITS = {"pdf": "page", "xlsx": "sheet", "odf": ""}


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Status
    reason: str = ""
    text: str = ""  # pages apart by PAGE_BREAK
    unit: str = ""
    pages: int = 0


def read_attachment(
    filename: str,
    content_type: str,
    data: bytes,
    limits: ExtractLimits | None = None,
    ocr: OcrLimits | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> Outcome:
    """Read one attachment; never raises for anything the file holds. OCR stops between
    pages once `stopping()` says so (the worker is shutting down)."""
    kind = kind_of(filename, content_type)
    if kind is None:
        return Outcome(Status.NONE, "no text in this format")
    try:
        pages = extract_pages(kind, data, limits)
    except OverBudget as error:
        return Outcome(Status.SKIPPED, error.reason)
    except (ValueError, RuntimeError) as error:  # refused, or the reader itself broke
        return Outcome(Status.SKIPPED, str(error)[:300])
    text = PAGE_BREAK.join(to_unicode(page).text for page in pages)
    unit = UNITS.get(kind, "")
    if kind == "odf" and (filename.lower().endswith(".ods") or "spreadsheet" in content_type):
        unit = "sheet"
    if kind == "pdf" and not text.replace(PAGE_BREAK, "").strip():
        return _scanned(data, len(pages), ocr or OcrLimits(), stopping)
    return Outcome(Status.TEXT, "", text, unit, len(pages))


def _scanned(data: bytes, pages: int, limits: OcrLimits, stopping: Callable[[], bool]) -> Outcome:
    """A PDF without a text layer: OCR when tesseract with Vietnamese is here."""
    program = tesseract() if limits.max_pages > 0 else None
    if program is None:
        return Outcome(Status.SCAN, "scan, not searchable", "", "page", pages)
    try:
        confined = Limits(seconds=60.0, output_bytes=256 * 1024 * 1024)
        found = run_limited(f"{__name__}:page_images_bytes", _numbered(limits, data), confined)
        images = json.loads(found)
        texts = []
        for image in images:
            if stopping():
                raise OverBudget("stopped with the worker")
            texts.append(ocr_image(program, bytes.fromhex(image), limits))
    except OverBudget as error:
        return Outcome(Status.SKIPPED, f"scan: {error.reason}", "", "page", pages)
    except (ValueError, RuntimeError) as error:
        return Outcome(Status.SKIPPED, f"scan: {str(error)[:200]}", "", "page", pages)
    reason = f"OCR of {len(texts)} of {pages} pages" if pages > len(texts) else ""
    return Outcome(Status.OCR, reason, PAGE_BREAK.join(texts), "page", pages)


def _numbered(limits: OcrLimits, data: bytes) -> bytes:
    return f"{limits.max_pages}\n".encode() + data


def page_images_bytes(payload: bytes) -> bytes:
    """The child's side of taking page images out of a scanned PDF: `pages\n` and the PDF."""
    from archive.extract.ocr import page_images

    pages, _, data = payload.partition(b"\n")
    images = page_images(data, OcrLimits(max_pages=int(pages)))
    return json.dumps([image.hex() for image in images]).encode()
