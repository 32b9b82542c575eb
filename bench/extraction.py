"""Attachment text extraction: documents/s and MB/s over the corpus's attachments (each read
in its child process, as the worker reads them), and OCR pages/minute on generated scans.

    python bench/extraction.py [--seconds 120] [--ocr-pages 6]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.extract.confined import kind_of  # noqa: E402
from archive.extract.ocr import OcrLimits, tesseract  # noqa: E402
from archive.extract.outcome import Status, read_attachment  # noqa: E402
from archive.mbox import iter_mbox, open_archive  # noqa: E402
from archive.parse import parse_message  # noqa: E402

CORPUS = Path(os.environ.get("FORUM_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
MIB = 1024 * 1024


def corpus_attachments() -> Iterator[tuple[str, str, bytes]]:
    """(filename, content type, bytes) of every attachment with text to take, mboxes first."""
    for mbox in sorted((CORPUS / "lists").glob("*.mbox.xz"), reverse=True):
        with open_archive(mbox) as stream:
            for message in iter_mbox(stream):
                yield from _readable(message.raw)
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file() and "lists" not in p.parts):
        yield from _readable(path.read_bytes())


def _readable(raw: bytes) -> Iterator[tuple[str, str, bytes]]:
    try:
        parsed = parse_message(raw)
    except Exception:  # noqa: BLE001 - the corpus holds broken mail on purpose
        return
    for found in parsed.attachments:
        if kind_of(found.filename, found.content_type) is not None:
            yield found.filename, found.content_type, found.data


def bench_corpus(seconds: float) -> None:
    started = time.perf_counter()
    reading = 0.0
    per_kind = Counter[str]()
    count, size, statuses, kinds = 0, 0, Counter[str](), Counter[str]()
    for filename, content_type, data in corpus_attachments():
        began = time.perf_counter()
        outcome = read_attachment(filename, content_type, data, ocr=OcrLimits(max_pages=0))
        took = time.perf_counter() - began
        reading += took
        per_kind[kind_of(filename, content_type) or "?"] += took
        count, size = count + 1, size + len(data)
        statuses[outcome.status] += 1
        kinds[kind_of(filename, content_type) or "?"] += 1
        if time.perf_counter() - started > seconds:
            break
    elapsed = time.perf_counter() - started
    print(
        f"corpus: {count} attachments, {size / MIB:.1f} MiB in {elapsed:.1f} s (parsing mail too)"
    )
    print(f"  reading alone {reading:.1f} s: {count / reading:.1f} documents/s, ", end="")
    print(f"{size / MIB / reading:.2f} MB/s")
    print(f"  outcomes {dict(statuses)}")
    for kind, number in kinds.most_common():
        print(f"  {kind}: {number} in {per_kind[kind]:.2f} s, {number / per_kind[kind]:.1f}/s")


def scanned_pdf(pages: int) -> bytes:
    """A PDF of `pages` A4 page images at 150 dpi with Vietnamese text, as a scanner makes."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 28)
    text = "Kính gửi các Sở Giáo dục và Đào tạo về việc tuyển sinh lớp 10 năm học 2026-2027"
    document = FPDF()
    for _ in range(pages):
        page = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(page)
        for line in range(40):
            draw.text((90, 90 + line * 40), text, fill=0, font=font)
        png = io.BytesIO()
        page.save(png, format="PNG")
        document.add_page()
        document.image(png, x=0, y=0, w=210)
    return bytes(document.output())


def bench_ocr(pages: int) -> None:
    if tesseract() is None:
        print("ocr: tesseract with Vietnamese is not installed")
        return
    data = scanned_pdf(pages)
    started = time.perf_counter()
    outcome = read_attachment("scan.pdf", "application/pdf", data, ocr=OcrLimits(max_pages=pages))
    elapsed = time.perf_counter() - started
    assert outcome.status == Status.OCR, outcome
    print(
        f"ocr: {pages} A4 pages (150 dpi, 40 lines each) in {elapsed:.1f} s: "
        f"{pages / elapsed * 60:.1f} pages/minute (nice 19, one thread)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--ocr-pages", type=int, default=6)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    bench_corpus(args.seconds)
    bench_ocr(args.ocr_pages)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
